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
# What a cg_persist_fn returns: CG_PERSIST_STORED is the only success.
PERSIST_STORED, PERSIST_STALE = (
    int(re.search(rf"^#define CG_PERSIST_{name} (\d+)$", HEADER.read_text(), re.M).group(1))
    for name in ("STORED", "STALE")
)


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


class CgFinding(ctypes.Structure):
    _fields_ = [
        ("kind", ctypes.c_char_p),
        ("rule", ctypes.c_char_p),
        ("start", ctypes.c_size_t),
        ("end", ctypes.c_size_t),
        ("start_utf16", ctypes.c_size_t),
        ("end_utf16", ctypes.c_size_t),
        ("confidence", ctypes.c_float),
        ("subject", ctypes.c_char_p),
    ]


class CgRecipientTrust(ctypes.Structure):
    _fields_ = [("verification", ctypes.c_uint32), ("key_changed", ctypes.c_bool)]


class CgPolicyContext(ctypes.Structure):
    _fields_ = [
        ("conversation", ctypes.c_uint32),
        ("platform_approved", ctypes.c_bool),
        ("emergency", ctypes.c_bool),
        ("recipients", ctypes.POINTER(CgRecipientTrust)),
        ("recipients_len", ctypes.c_size_t),
    ]


class CgDecisionSummary(ctypes.Structure):
    _fields_ = [("verdict", ctypes.c_int), ("reasons_len", ctypes.c_size_t), ("suggestion", ctypes.c_char_p)]


class CgReason(ctypes.Structure):
    _fields_ = [("code", ctypes.c_char_p), ("guidance", ctypes.c_char_p), ("message", ctypes.c_char_p)]


class CgRetentionPolicy(ctypes.Structure):
    _fields_ = [
        ("has_after_send", ctypes.c_bool),
        ("after_send", ctypes.c_uint64),
        ("has_after_read", ctypes.c_bool),
        ("after_read", ctypes.c_uint64),
        ("has_transcription_hold_max", ctypes.c_bool),
        ("transcription_hold_max", ctypes.c_uint64),
    ]


class CgRetentionMessage(ctypes.Structure):
    _fields_ = [
        ("id", ctypes.c_uint64),
        ("has_expires_at", ctypes.c_bool),
        ("expires_at", ctypes.c_uint64),
        ("has_read_at", ctypes.c_bool),
        ("read_at", ctypes.c_uint64),
        ("policy", CgRetentionPolicy),
        ("clinical", ctypes.c_bool),
        ("transcribed", ctypes.c_bool),
    ]


class CgHeld(ctypes.Structure):
    _fields_ = [
        ("id", ctypes.c_uint64),
        ("due_at", ctypes.c_uint64),
        ("hold_until", ctypes.c_uint64),
        ("open_time", ctypes.c_uint64),
    ]


class CgSweep(ctypes.Structure):
    _fields_ = [
        ("delete_ids", ctypes.POINTER(ctypes.c_uint64)),
        ("delete_len", ctypes.c_size_t),
        ("deleted_untranscribed_ids", ctypes.POINTER(ctypes.c_uint64)),
        ("deleted_untranscribed_len", ctypes.c_size_t),
        ("awaiting", ctypes.POINTER(CgHeld)),
        ("awaiting_len", ctypes.c_size_t),
        ("has_next_wake", ctypes.c_bool),
        ("next_wake", ctypes.c_uint64),
    ]


class CgCardInfo(ctypes.Structure):
    _fields_ = [
        ("staff_id", ctypes.c_char_p),
        ("display_name", ctypes.c_char_p),
        ("device_id", ctypes.c_uint8 * 16),
        ("created_at", ctypes.c_uint64),
        ("expires_at", ctypes.c_uint64),
        ("attested", ctypes.c_bool),
    ]


# Safe sending, audit logs and Trust policy packs (issue 17).
class CgRecipientEntry(ctypes.Structure):
    _fields_ = [
        ("id", ctypes.c_char_p),
        ("id_len", ctypes.c_size_t),
        ("display_name", ctypes.c_char_p),
        ("display_name_len", ctypes.c_size_t),
        ("kind", ctypes.c_uint32),
        ("attested", ctypes.c_bool),
        ("verification", ctypes.c_uint32),
        ("purpose", ctypes.c_uint32),
        ("members_outside_trust", ctypes.c_size_t),
        ("identifiers_sent_before", ctypes.c_bool),
    ]


class CgRecipientWarning(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_char_p),
        ("guidance", ctypes.c_char_p),
        ("message", ctypes.c_char_p),
        ("alternative_id", ctypes.c_char_p),
        ("alternative_name", ctypes.c_char_p),
        ("confusion", ctypes.c_char_p),
        ("distance", ctypes.c_uint32),
        ("members", ctypes.c_size_t),
    ]


class CgGroupMember(ctypes.Structure):
    _fields_ = [
        ("card", ctypes.c_char_p),
        ("card_len", ctypes.c_size_t),
        ("joined_at", ctypes.c_uint64),
        ("verified_in_person", ctypes.c_bool),
    ]


class CgGroup(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("name_len", ctypes.c_size_t),
        ("purpose", ctypes.c_uint32),
        ("members", ctypes.POINTER(CgGroupMember)),
        ("members_len", ctypes.c_size_t),
        ("last_review", ctypes.c_uint64),
        ("clinical_messages_since_review", ctypes.c_uint32),
    ]


class CgGroupRules(ctypes.Structure):
    _fields_ = [("review_interval_secs", ctypes.c_uint64), ("max_members", ctypes.c_size_t)]


class CgGroupFinding(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_char_p),
        ("staff_id", ctypes.c_char_p),
        ("device_id", ctypes.c_uint8 * 16),
        ("card_status", ctypes.c_int),
        ("at", ctypes.c_uint64),
        ("count", ctypes.c_uint64),
        ("max", ctypes.c_uint64),
    ]


class CgAuditRecord(ctypes.Structure):
    _fields_ = [
        ("time", ctypes.c_uint64),
        ("conversation", ctypes.c_uint32),
        ("verdict", ctypes.c_uint32),
        ("action", ctypes.c_uint32),
        ("emergency", ctypes.c_bool),
        ("findings", ctypes.c_void_p),
        ("reason", ctypes.c_char_p),
        ("reason_len", ctypes.c_size_t),
    ]


class CgAuditTotals(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in (
        "records", "allowed", "warned", "blocked", "emergency", "segments", "first_time", "last_time")]


class CgAuditCount(ctypes.Structure):
    _fields_ = [("category", ctypes.c_char_p), ("name", ctypes.c_char_p), ("count", ctypes.c_uint64)]


class CgTrustPackInfo(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint64),
        ("issued_at", ctypes.c_uint64),
        ("expires_at", ctypes.c_uint64),
        ("emergency_allowed", ctypes.c_bool),
        ("emergency_max_secs", ctypes.c_uint64),
        ("group_rules", CgGroupRules),
        ("notification_detail", ctypes.c_uint32),
        ("approved_platforms_len", ctypes.c_size_t),
        ("hospital_number_patterns_len", ctypes.c_size_t),
        ("allow_list_len", ctypes.c_size_t),
    ]


class CgEmergencyOrder(ctypes.Structure):
    _fields_ = [
        ("id", ctypes.c_uint64),
        ("starts_at", ctypes.c_uint64),
        ("ends_at", ctypes.c_uint64),
        ("pack_version", ctypes.c_uint64),
        ("in_force", ctypes.c_bool),
    ]


RECIPIENT_CONTACT, RECIPIENT_GROUP = 0, 1
GROUP_CLINICAL, GROUP_OPERATIONAL, GROUP_SOCIAL = 0, 1, 2
ACTION_SENT, ACTION_SENT_MINIMISED, ACTION_CANCELLED, ACTION_OVERRIDDEN = 0, 1, 2, 3
PACK_PLATFORMS, PACK_PATTERNS, PACK_ALLOW_LIST = 0, 1, 2


CONVERSATION_CLINICAL, CONVERSATION_SOCIAL, CONVERSATION_BROADCAST = 1, 2, 3
VERDICT_ALLOW, VERDICT_WARN, VERDICT_BLOCK = 0, 1, 2
MASK_PLACEHOLDER, MASK_PARTIAL = 0, 1
VERIFICATION_UNVERIFIED, VERIFICATION_ATTESTED, VERIFICATION_IN_PERSON = 0, 1, 2
CARD_UNCHANGED, CARD_ROTATED, CARD_KEY_CHANGED = 0, 1, 2

PERSIST_FN = ctypes.CFUNCTYPE(
    ctypes.c_int32, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t, ctypes.POINTER(ctypes.c_uint8),
    ctypes.c_size_t,
)


def persist_callback(compare_and_swap) -> PERSIST_FN:
    """A cg_persist_fn around `compare_and_swap(expected: bytes, new: bytes)`, which
    returns True once `new` durably replaced a stored blob equal to `expected`, and
    False (writing nothing) if the stored blob differs.

    It fails closed: an exception of any kind, or any other return value, is reported
    as a failure. (ctypes itself returns 0 from a callback that raised.) Keep the
    returned object alive for as long as C may call it."""

    def callback(_context, expected, expected_len, blob, blob_len):
        try:
            swapped = compare_and_swap(ctypes.string_at(expected, expected_len), ctypes.string_at(blob, blob_len))
        except BaseException:  # noqa: BLE001 - anything raised means "not stored"
            return -1
        if swapped is True:
            return PERSIST_STORED
        if swapped is False:
            return PERSIST_STALE
        return -1

    return PERSIST_FN(callback)

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
_decl("cg_wipe_verify_and_execute", ST, U8P, SZ, U8P, SZ, U8P, SZ, U64, ctypes.POINTER(U64), P, U64, BYTES_P, ctypes.POINTER(U64))
_decl("cg_wipe_local", ST, U32, P, U64, BYTES_P)
_decl("cg_wipe_order_sign", ST, U8P, SZ, U64, U64, U64, U8P, SZ, BYTES_P)
_decl("cg_wipe_org_public_key", ST, U8P, SZ, BYTES_P)
# safe sending, audit log, Trust policy packs
_decl("cg_notification_text", ST, U8P, SZ, U32, U8P, SZ, U8P, SZ, ctypes.POINTER(P))
_decl("cg_audit_log_verify", ST, U8P, SZ, U8P, SZ, U8P, SZ, ctypes.POINTER(U64), BYTES_P)
_decl("cg_trust_pack_verify", ST, U8P, SZ, U8P, SZ, U64, ctypes.POINTER(U64), ctypes.POINTER(U64))
_decl("cg_address_book_new", ST, ctypes.POINTER(CgRecipientEntry), SZ, ctypes.POINTER(P))
_decl("cg_address_book_check", ST, P, ctypes.POINTER(CgRecipientEntry), ctypes.c_bool, ctypes.c_bool, ctypes.POINTER(P))
_decl("cg_address_book_free", None, P)
_decl("cg_recipient_warnings_len", ST, P, ctypes.POINTER(SZ))
_decl("cg_recipient_warnings_get", ST, P, SZ, ctypes.POINTER(CgRecipientWarning))
_decl("cg_recipient_warnings_free", None, P)
_decl("cg_group_rules_default", ST, ctypes.POINTER(CgGroupRules))
_decl("cg_group_review", ST, ctypes.POINTER(CgGroup), U64, U8P, SZ, ctypes.c_bool, U8P, SZ, ctypes.POINTER(CgGroupRules),
      ctypes.POINTER(P))
_decl("cg_group_findings_len", ST, P, ctypes.POINTER(SZ))
_decl("cg_group_findings_get", ST, P, SZ, ctypes.POINTER(CgGroupFinding))
_decl("cg_group_findings_free", None, P)
_decl("cg_audit_chain_new", ST, P, ctypes.POINTER(P))
_decl("cg_audit_chain_restore", ST, U8P, SZ, ctypes.POINTER(P))
_decl("cg_audit_chain_state", ST, P, BYTES_P)
_decl("cg_audit_chain_head", ST, P, BYTES_P)
_decl("cg_audit_chain_seal", ST, P, P, ctypes.POINTER(CgAuditRecord), SZ, P, BYTES_P)
_decl("cg_audit_chain_free", None, P)
_decl("cg_audit_device_public_key", ST, P, BYTES_P)
_decl("cg_audit_log_summarise", ST, U8P, SZ, U8P, SZ, U8P, SZ, ctypes.POINTER(P))
_decl("cg_audit_summary_totals", ST, P, ctypes.POINTER(CgAuditTotals))
_decl("cg_audit_summary_len", ST, P, ctypes.POINTER(SZ))
_decl("cg_audit_summary_get", ST, P, SZ, ctypes.POINTER(CgAuditCount))
_decl("cg_audit_summary_free", None, P)
_decl("cg_trust_pack_open", ST, U8P, SZ, U8P, SZ, U64, ctypes.POINTER(U64), ctypes.POINTER(P))
_decl("cg_trust_pack_get_info", ST, P, ctypes.POINTER(CgTrustPackInfo))
_decl("cg_trust_pack_list_get", ST, P, U32, SZ, ctypes.POINTER(ctypes.c_char_p))
_decl("cg_trust_pack_retention", ST, P, U32, ctypes.POINTER(CgRetentionPolicy))
_decl("cg_trust_pack_platform_approved", ST, P, U8P, SZ, ctypes.POINTER(ctypes.c_bool))
_decl("cg_trust_pack_scanner", ST, P, ctypes.POINTER(P))
_decl("cg_trust_pack_free", None, P)
_decl("cg_emergency_order_verify", ST, U8P, SZ, U8P, SZ, P, U64, ctypes.POINTER(CgEmergencyOrder))
# detect and policy
_decl("cg_scanner_builder_new", ST, ctypes.POINTER(P))
_decl("cg_scanner_builder_kind", ST, P, U8P, SZ, ctypes.c_bool)
_decl("cg_scanner_builder_confidence_threshold", ST, P, ctypes.c_float)
_decl("cg_scanner_builder_mask_style", ST, P, U32)
_decl("cg_scanner_builder_hospital_number_pattern", ST, P, U8P, SZ)
_decl("cg_scanner_builder_allow", ST, P, U8P, SZ)
_decl("cg_scanner_builder_extra_given_name", ST, P, U8P, SZ)
_decl("cg_scanner_builder_extra_surname", ST, P, U8P, SZ)
_decl("cg_scanner_builder_staff_name", ST, P, U8P, SZ)
_decl("cg_scanner_builder_build", ST, P, ctypes.POINTER(P))
_decl("cg_scanner_builder_free", None, P)
_decl("cg_scanner_new", ST, ctypes.POINTER(P))
_decl("cg_scanner_scan", ST, P, U8P, SZ, ctypes.POINTER(P))
_decl("cg_scanner_has_findings", ST, P, U8P, SZ, ctypes.POINTER(ctypes.c_bool))
_decl("cg_scanner_minimise", ST, P, U8P, SZ, ctypes.POINTER(P))
_decl("cg_scanner_free", None, P)
_decl("cg_findings_len", ST, P, ctypes.POINTER(SZ))
_decl("cg_findings_get", ST, P, SZ, ctypes.POINTER(CgFinding))
_decl("cg_findings_free", None, P)
_decl("cg_policy_decide", ST, P, ctypes.POINTER(CgPolicyContext), ctypes.POINTER(P))
_decl("cg_policy_review", ST, P, U8P, SZ, ctypes.POINTER(CgPolicyContext), ctypes.POINTER(P))
_decl("cg_decision_get_summary", ST, P, ctypes.POINTER(CgDecisionSummary))
_decl("cg_decision_reason", ST, P, SZ, ctypes.POINTER(CgReason))
_decl("cg_decision_free", None, P)
# retention
_decl("cg_retention_policy_merge", ST, ctypes.POINTER(CgRetentionPolicy), ctypes.POINTER(CgRetentionPolicy),
      ctypes.POINTER(CgRetentionPolicy))
_decl("cg_retention_expires_at", ST, ctypes.POINTER(CgRetentionPolicy), U64, ctypes.POINTER(ctypes.c_bool),
      ctypes.POINTER(U64))
_decl("cg_clock_now", ST, ctypes.POINTER(U64), U64, ctypes.POINTER(U64), ctypes.POINTER(ctypes.c_bool))
_decl("cg_retention_sweep", ST, ctypes.POINTER(CgRetentionMessage), SZ, U64, ctypes.POINTER(CgSweep))
_decl("cg_sweep_free", None, ctypes.POINTER(CgSweep))
# identity
_decl("cg_device_keys_generate", ST, ctypes.POINTER(P))
_decl("cg_device_keys_wrap_in_vault", ST, P, P, U64, BYTES_P)
_decl("cg_device_keys_unwrap_from_vault", ST, P, U8P, SZ, U64, ctypes.POINTER(P))
_decl("cg_device_keys_issue_card", ST, P, P, U8P, SZ, U8P, SZ, U64, U64, U8P, SZ, BYTES_P)
_decl("cg_device_keys_rotate", ST, P, ctypes.POINTER(P))
_decl("cg_contact_trust", ST, P, ctypes.c_bool, ctypes.c_bool, ctypes.POINTER(CgRecipientTrust))
_decl("cg_contact_observe", ST, P, P, ctypes.POINTER(ctypes.c_bool), ctypes.POINTER(ctypes.c_bool),
      ctypes.POINTER(U32))
_decl("cg_device_keys_free", None, P)
_decl("cg_card_verify", ST, U8P, SZ, U8P, SZ, ctypes.c_bool, U8P, SZ, U64, ctypes.POINTER(P))
_decl("cg_verified_card_info", ST, P, ctypes.POINTER(CgCardInfo))
_decl("cg_verified_card_free", None, P)
_decl("cg_revocation_list_sign", ST, U8P, SZ, U8P, SZ, U64, BYTES_P)
_decl("cg_safety_number", ST, P, P, ctypes.POINTER(P), BYTES_P)
_decl("cg_safety_number_matches_scanned", ST, P, P, U8P, SZ, ctypes.POINTER(ctypes.c_bool))
_decl("cg_identity_seal", ST, P, ctypes.POINTER(P), SZ, P, U8P, SZ, U8P, SZ, U8P, SZ, ctypes.POINTER(CgSealOptions),
      U64, BYTES_P)
_decl("cg_identity_open", ST, P, P, U8P, SZ, U8P, SZ, U8P, SZ, U64, ctypes.POINTER(P), SZ, BYTES_P,
      ctypes.POINTER(CgEnvelopeInfo), ctypes.POINTER(SZ))


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


class Scanner:
    """A cg_scanner handle (default settings, or from a configured builder)."""

    def __init__(self, handle=None):
        if handle is None:
            handle = P()
            check(lib.cg_scanner_new(ctypes.byref(handle)), "cg_scanner_new")
        self.handle = handle

    def scan(self, text: str):
        """Findings as dicts (kind, rule, byte and UTF-16 ranges, confidence, subject)."""
        data = text.encode()
        findings = P()
        check(lib.cg_scanner_scan(self.handle, data, len(data), ctypes.byref(findings)), "cg_scanner_scan")
        try:
            n = ctypes.c_size_t()
            check(lib.cg_findings_len(findings, ctypes.byref(n)), "cg_findings_len")
            out = []
            for i in range(n.value):
                f = CgFinding()
                check(lib.cg_findings_get(findings, i, ctypes.byref(f)), "cg_findings_get")
                out.append({
                    "kind": f.kind.decode(), "rule": f.rule.decode(), "start": f.start, "end": f.end,
                    "start_utf16": f.start_utf16, "end_utf16": f.end_utf16, "confidence": f.confidence,
                    "subject": f.subject.decode(),
                })
            return out
        finally:
            lib.cg_findings_free(findings)

    def minimise(self, text: str) -> str:
        data = text.encode()
        out = P()
        check(lib.cg_scanner_minimise(self.handle, data, len(data), ctypes.byref(out)), "cg_scanner_minimise")
        return take_string(out)

    def review(self, text: str, conversation: int, approved: bool, emergency=False, recipients=()):
        """(verdict, [(code, guidance, message)], suggestion or None); recipients are
        (verification, key_changed) pairs."""
        data = text.encode()
        trust = (CgRecipientTrust * max(len(recipients), 1))(*[CgRecipientTrust(v, c) for v, c in recipients])
        ctx = CgPolicyContext(conversation, approved, emergency, trust if recipients else None, len(recipients))
        d = P()
        check(lib.cg_policy_review(self.handle, data, len(data), ctypes.byref(ctx), ctypes.byref(d)), "review")
        try:
            return decision_contents(d)
        finally:
            lib.cg_decision_free(d)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        lib.cg_scanner_free(self.handle)
        self.handle = P()


def decision_contents(d):
    summary = CgDecisionSummary()
    check(lib.cg_decision_get_summary(d, ctypes.byref(summary)), "cg_decision_get_summary")
    reasons = []
    for i in range(summary.reasons_len):
        r = CgReason()
        check(lib.cg_decision_reason(d, i, ctypes.byref(r)), "cg_decision_reason")
        reasons.append((r.code.decode(), r.guidance.decode(), r.message.decode()))
    suggestion = summary.suggestion.decode() if summary.suggestion else None
    return summary.verdict, reasons, suggestion
