"""Shared fixtures. These tests import the *installed* careguard wheel (the CI step
builds it and installs it into a fresh venv), never the source tree."""

import os
from pathlib import Path

import pytest


def _path_from_env(name: str) -> Path:
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set (scripts/ci.d/25-python-package.sh sets it)")
    path = Path(value)
    assert path.exists(), f"{name}={value} does not exist"
    return path


@pytest.fixture(scope="session")
def ffi_lib_path() -> Path:
    """The C ABI's cdylib, for comparing codes and overhead with the ctypes client."""
    return _path_from_env("CAREGUARD_FFI_LIB")


@pytest.fixture(scope="session")
def cli_path() -> Path:
    """The `careguard` CLI binary, whose `scan --format jsonl` output is the reference."""
    return _path_from_env("CAREGUARD_CLI")


@pytest.fixture(scope="session")
def scanner():
    import careguard

    return careguard.Scanner()
