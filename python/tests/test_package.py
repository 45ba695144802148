import subprocess
import sys
from pathlib import Path

import careguard


def test_imports_the_installed_wheel_not_the_source_tree():
    installed = Path(careguard.__file__).resolve()
    assert "site-packages" in installed.parts, installed
    assert Path(sys.prefix).resolve() in installed.parents


def test_wheel_ships_type_stubs_and_py_typed():
    pkg = Path(careguard.__file__).parent
    for name in ("py.typed", "__init__.pyi", "_careguard.pyi"):
        assert (pkg / name).is_file(), name
    stub = (pkg / "_careguard.pyi").read_text()
    for cls in ("class Scanner", "class Finding", "class Vault", "class KeyRing", "class WrongPinError"):
        assert cls in stub


def test_stubs_match_the_native_module(tmp_path):
    # stubtest imports the module and compares every class, method, signature and
    # default with _careguard.pyi. PyO3 classes are PEP 800 disjoint bases, which the
    # stubs do not spell out (the marker needs a newer typing_extensions than 3.9 has).
    run = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "--ignore-disjoint-bases", "careguard._careguard"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_native_module_is_abi3():
    pkg = Path(careguard.__file__).parent
    native = [p.name for p in pkg.iterdir() if p.name.startswith("_careguard") and p.suffix == ".so"]
    assert native == ["_careguard.abi3.so"], native


def test_public_names():
    for name in careguard.__all__:
        assert hasattr(careguard, name), name
    assert careguard.KINDS == [
        "nhs_number", "chi_number", "hc_number", "date_of_birth", "date", "person_name",
        "postcode", "phone_number", "email", "ni_number", "hospital_number",
    ]
