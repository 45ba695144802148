"""Version, status names, last-error behaviour, buffers and key generation via ctypes."""

import ctypes
import threading

import careguard_ctypes as cg
import pytest


def test_version_is_semver():
    parts = cg.lib.cg_version().decode().split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts)


def test_every_header_status_has_its_name():
    # The names are the stable interface shared with the WASM package.
    assert len(cg.STATUS) >= 25
    for name, code in cg.STATUS.items():
        assert cg.lib.cg_status_name(code).decode() == name
    assert len(set(cg.STATUS.values())) == len(cg.STATUS)


@pytest.mark.parametrize("code", [-1, 7, 2**31 - 1])
def test_unknown_status_numbers(code):
    assert cg.lib.cg_status_name(code) == b"unknown"


def test_key_generate_gives_distinct_32_byte_keys():
    a, b = cg.key_generate(), cg.key_generate()
    assert len(a) == 32 and len(b) == 32 and a != b


def test_null_out_pointer_is_an_error_with_message_then_cleared():
    assert cg.lib.cg_key_generate(None) == cg.NULL_POINTER
    assert b"NULL" in cg.lib.cg_last_error_message()
    cg.key_generate()
    assert cg.lib.cg_last_error_message() == b""


def test_last_error_is_thread_local():
    assert cg.lib.cg_key_generate(None) == cg.NULL_POINTER
    seen = []
    t = threading.Thread(target=lambda: seen.append(cg.lib.cg_last_error_message()))
    t.start()
    t.join()
    assert seen == [b""]
    assert cg.lib.cg_last_error_message() != b""


def test_free_functions_accept_null_and_reset():
    cg.lib.cg_bytes_free(None)
    cg.lib.cg_string_free(None)
    out = cg.CgBytes()
    cg.check(cg.lib.cg_key_generate(ctypes.byref(out)), "cg_key_generate")
    cg.lib.cg_bytes_free(ctypes.byref(out))
    assert not out.data and out.len == 0
    cg.lib.cg_bytes_free(ctypes.byref(out))
