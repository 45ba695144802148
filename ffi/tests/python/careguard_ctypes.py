"""Thin ctypes declarations of the careguard C ABI, used by the pytest suite.

Every declaration mirrors ffi/include/careguard.h; `check` turns a cg_status into a
`CareguardError` carrying the status name and the thread-local message, the way an
app's binding would.
"""

import ctypes
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LIB_PATH = Path(os.environ.get("CAREGUARD_FFI_LIB", ROOT / "target/release/libcareguard_ffi.so"))

lib = ctypes.CDLL(str(LIB_PATH))

# cg_status values (ffi/src/status.rs); names come from cg_status_name.
OK = 0
NULL_POINTER = 1
INVALID_UTF8 = 2
INVALID_LENGTH = 3
INVALID_ARGUMENT = 4
INTERNAL = 8
PANIC = 9


class CgBytes(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint8)), ("len", ctypes.c_size_t)]

    def take(self) -> bytes:
        """Copies the bytes out and frees the buffer."""
        try:
            return ctypes.string_at(self.data, self.len) if self.len else b""
        finally:
            lib.cg_bytes_free(ctypes.byref(self))


def _decl(name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


_decl("cg_version", ctypes.c_char_p)
_decl("cg_status_name", ctypes.c_char_p, ctypes.c_int32)
_decl("cg_last_error_message", ctypes.c_char_p)
_decl("cg_bytes_free", None, ctypes.POINTER(CgBytes))
_decl("cg_string_free", None, ctypes.c_void_p)
_decl("cg_key_generate", ctypes.c_int, ctypes.POINTER(CgBytes))


class CareguardError(Exception):
    def __init__(self, status: int, operation: str):
        self.status = status
        self.name = lib.cg_status_name(status).decode()
        self.message = lib.cg_last_error_message().decode()
        self.operation = operation
        super().__init__(f"{operation}: {self.name}: {self.message}")


def check(status: int, operation: str) -> None:
    if status != OK:
        raise CareguardError(status, operation)


def take_string(ptr: ctypes.c_void_p) -> str:
    """Copies a careguard-owned C string out and frees it."""
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        lib.cg_string_free(ptr)


def key_generate() -> bytes:
    out = CgBytes()
    check(lib.cg_key_generate(ctypes.byref(out)), "cg_key_generate")
    return out.take()
