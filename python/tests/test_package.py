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
