"""Thin ctypes declarations of the careguard C ABI, used by the pytest suite.

Every declaration mirrors ffi/include/careguard.h; `check` turns a cg_status into a
`CareguardError` carrying the status name and the thread-local message, the way an
app's binding would.
"""

import ctypes
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LIB_PATH = Path(os.environ.get("CAREGUARD_FFI_LIB", ROOT / "target/release/libcareguard_ffi.so"))

lib = ctypes.CDLL(str(LIB_PATH))

# cg_status values, read from the committed header so they cannot drift from it.
HEADER = ROOT / "ffi/include/careguard.h"
STATUS = {
    m.group(1).lower(): int(m.group(2))
    for m in re.finditer(r"^\s*CG_STATUS_([A-Z0-9_]+) = (\d+),", HEADER.read_text(), re.M)
}
globals().update({name.upper(): value for name, value in STATUS.items()})


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


class CgKdfParams(ctypes.Structure):
    _fields_ = [("m_kib", ctypes.c_uint32), ("t_cost", ctypes.c_uint32), ("p_cost", ctypes.c_uint32)]


class CgBlobStatus(ctypes.Structure):
    _fields_ = [
        ("wiped", ctypes.c_bool),
        ("device_bound", ctypes.c_bool),
        ("failures", ctypes.c_uint32),
        ("last_attempt_at", ctypes.c_uint64),
        ("params", CgKdfParams),
        ("wipe_reason", ctypes.c_int),
        ("wiped_at", ctypes.c_uint64),
    ]


class CgLockoutPolicy(ctypes.Structure):
    _fields_ = [
        ("free_attempts", ctypes.c_uint32),
        ("delays", ctypes.POINTER(ctypes.c_uint64)),
        ("delays_len", ctypes.c_size_t),
        ("wipe_after", ctypes.c_uint32),
    ]


class CgUnlockInfo(ctypes.Structure):
    _fields_ = [("failures", ctypes.c_uint32), ("remaining", ctypes.c_uint32), ("retry_at", ctypes.c_uint64)]


class CgSealOptions(ctypes.Structure):
    _fields_ = [
        ("content_type", ctypes.c_char_p),
        ("content_type_len", ctypes.c_size_t),
        ("expires_at", ctypes.c_uint64),
        ("pad", ctypes.c_bool),
    ]


class CgEnvelopeInfo(ctypes.Structure):
    _fields_ = [
        ("message_id", ctypes.c_uint8 * 16),
        ("created_at", ctypes.c_uint64),
        ("expires_at", ctypes.c_uint64),
        ("padded", ctypes.c_bool),
        ("content_type", ctypes.c_char * 129),
    ]


PERSIST_FN = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t)

# Wipe reasons (cg_wipe_reason, cg_local_wipe_reason).
WIPE_REASON_NONE, WIPE_REASON_PIN_FAILURES, WIPE_REASON_REMOTE_ORDER, WIPE_REASON_USER_REQUEST = 0, 1, 2, 3
LOCAL_WIPE_PIN_FAILURES, LOCAL_WIPE_USER_REQUEST = 1, 2

P = ctypes.c_void_p
U8P = ctypes.c_char_p  # bytes objects pass as const uint8_t * / const char *
SZ = ctypes.c_size_t
U64 = ctypes.c_uint64
U32 = ctypes.c_uint32
ST = ctypes.c_int
BYTES_P = ctypes.POINTER(CgBytes)

_decl("cg_version", ctypes.c_char_p)
_decl("cg_status_name", ctypes.c_char_p, ctypes.c_int32)
_decl("cg_last_error_message", ctypes.c_char_p)
_decl("cg_bytes_free", None, BYTES_P)
_decl("cg_string_free", None, P)
_decl("cg_key_generate", ST, BYTES_P)
# key ring and envelopes
_decl("cg_keyring_new", ST, ctypes.POINTER(P))
_decl("cg_keyring_insert", ST, P, U32, U8P, SZ)
_decl("cg_keyring_insert_vault_kek", ST, P, P, U32, U64)
_decl("cg_keyring_remove", ST, P, U32, ctypes.POINTER(ctypes.c_bool))
_decl("cg_keyring_sealing_key_id", ST, P, ctypes.POINTER(ctypes.c_bool), ctypes.POINTER(U32))
_decl("cg_key_id_derive", ST, U8P, SZ, ctypes.POINTER(U32))
_decl("cg_keyring_free", None, P)
_decl("cg_envelope_seal", ST, P, U8P, SZ, U8P, SZ, U8P, SZ, ctypes.POINTER(CgSealOptions), U64, BYTES_P)
_decl("cg_envelope_open", ST, P, U8P, SZ, U8P, SZ, U8P, SZ, U64, BYTES_P, ctypes.POINTER(CgEnvelopeInfo))
# vault
_decl("cg_kdf_params_default", ST, ctypes.POINTER(CgKdfParams))
_decl("cg_kdf_params_calibrate", ST, U64, U32, ctypes.POINTER(CgKdfParams))
_decl("cg_vault_status", ST, U8P, SZ, ctypes.POINTER(CgBlobStatus))
_decl("cg_vault_create", ST, U8P, SZ, U8P, SZ, ctypes.POINTER(CgKdfParams), U64, U64, ctypes.POINTER(P), BYTES_P)
_decl(
    "cg_vault_unlock", ST, U8P, SZ, U8P, SZ, U8P, SZ, ctypes.POINTER(CgLockoutPolicy), U64, U64, PERSIST_FN, P,
    ctypes.POINTER(P), BYTES_P, ctypes.POINTER(CgUnlockInfo),
)
_decl("cg_vault_touch", ST, P, U64)
_decl("cg_vault_lock_if_idle", ST, P, U64, ctypes.POINTER(ctypes.c_bool), ctypes.POINTER(U64))
_decl("cg_vault_lock", ST, P)
_decl("cg_vault_change_pin", ST, P, U8P, SZ, U8P, SZ, ctypes.POINTER(CgKdfParams), U64, BYTES_P)
_decl("cg_vault_wrap_secret", ST, P, U8P, SZ, U8P, SZ, U64, BYTES_P)
_decl("cg_vault_unwrap_secret", ST, P, U8P, SZ, U8P, SZ, U64, BYTES_P)
_decl("cg_vault_free", None, P)
# wipe
_decl("cg_wipe_verify_and_execute", ST, U8P, SZ, U8P, SZ, U8P, SZ, ctypes.POINTER(U64), P, U64, BYTES_P, ctypes.POINTER(U64))
_decl("cg_wipe_local", ST, U32, P, U64, BYTES_P)
_decl("cg_wipe_order_sign", ST, U8P, SZ, U64, U64, U8P, SZ, BYTES_P)
_decl("cg_wipe_org_public_key", ST, U8P, SZ, BYTES_P)


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


def out_bytes(fn, *args) -> bytes:
    """Calls `fn(*args, &out)` for a function whose last argument is a cg_bytes."""
    out = CgBytes()
    check(fn(*args, ctypes.byref(out)), fn.__name__)
    return out.take()


def blob_status(blob: bytes) -> CgBlobStatus:
    st = CgBlobStatus()
    check(lib.cg_vault_status(blob, len(blob), ctypes.byref(st)), "cg_vault_status")
    return st


class Keyring:
    """A cg_keyring handle as a context manager."""

    def __init__(self):
        self.handle = P()
        check(lib.cg_keyring_new(ctypes.byref(self.handle)), "cg_keyring_new")

    def insert(self, key_id: int, key: bytes) -> None:
        check(lib.cg_keyring_insert(self.handle, key_id, key, len(key)), "cg_keyring_insert")

    def seal(self, payload: bytes, conversation=b"", sender=b"", now=0, options=None) -> bytes:
        opts = ctypes.byref(options) if options is not None else None
        return out_bytes(
            lib.cg_envelope_seal, self.handle, payload, len(payload), conversation, len(conversation), sender,
            len(sender), opts, now,
        )

    def open(self, envelope: bytes, conversation=b"", sender=b"", now=0):
        info = CgEnvelopeInfo()
        out = CgBytes()
        check(
            lib.cg_envelope_open(
                self.handle, envelope, len(envelope), conversation, len(conversation), sender, len(sender), now,
                ctypes.byref(out), ctypes.byref(info),
            ),
            "cg_envelope_open",
        )
        return out.take(), info

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        lib.cg_keyring_free(self.handle)
        self.handle = P()
