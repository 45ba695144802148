import ctypes

import pytest

import careguard


def test_every_c_abi_status_has_an_exception_with_the_same_code_and_name(ffi_lib_path):
    lib = ctypes.CDLL(str(ffi_lib_path))
    lib.cg_status_name.restype = ctypes.c_char_p
    lib.cg_status_name.argtypes = [ctypes.c_int32]
    c_statuses = {
        code: lib.cg_status_name(code).decode()
        for code in range(0, 256)
        if lib.cg_status_name(code) != b"unknown"
    }
    assert c_statuses.pop(0) == "ok"
    python_statuses = {code: cls.name for code, cls in careguard.ERRORS_BY_CODE.items()}
    assert python_statuses == c_statuses


def test_exception_classes_are_typed_and_carry_the_code():
    err = careguard.ERRORS_BY_CODE[20]
    assert err is careguard.WrongKeyError
    assert issubclass(err, careguard.CareguardError)
    assert (err.code, err.name) == (20, "wrong_key")
    assert issubclass(careguard.InvalidArgumentError, ValueError)
    assert not issubclass(careguard.WrongPinError, ValueError)
    assert careguard.WrongPinError.__module__ == "careguard"


def test_bad_arguments_raise_typed_errors():
    with pytest.raises(careguard.InvalidArgumentError) as e:
        careguard.Scanner(kinds=["nhs_numbr"])
    assert e.value.code == 4
    with pytest.raises(careguard.InvalidPatternError) as e:
        careguard.Scanner(hospital_number_patterns=["(unclosed"])
    assert e.value.code == 70
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.Scanner(threshold=1.5)
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.Scanner(mask="stars")
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.Context("group chat")
    with pytest.raises(careguard.InvalidLengthError):
        careguard.KeyRing().insert(1, b"short")
