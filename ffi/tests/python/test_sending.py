"""Lock-screen notification text, audit-log and Trust-pack verification via ctypes, on
core's committed vectors (core/tests/vectors/audit-log-v1.json, trust-pack-v1.json)."""

import ctypes
import json
import pathlib

import careguard_ctypes as cg
import pytest

VECTORS = pathlib.Path(__file__).resolve().parents[3] / "core" / "tests" / "vectors"
AUDIT = json.loads((VECTORS / "audit-log-v1.json").read_text())
TRUST = json.loads((VECTORS / "trust-pack-v1.json").read_text())
NOW = 1_780_000_000


def notification(envelope, detail, conversation=b"", sender=b""):
    out = ctypes.c_void_p()
    cg.check(cg.lib.cg_notification_text(envelope, len(envelope), detail, conversation, len(conversation), sender,
                                         len(sender), ctypes.byref(out)), "cg_notification_text")
    return cg.take_string(out)


def test_notification_text_never_shows_the_payload():
    ring = cg.Keyring()
    ring.insert(1, cg.key_generate())
    sealed = ring.seal(b"Mr John Smith NHS 943 476 5919", now=NOW)
    assert notification(sealed, 0, b"Ward 7", b"Dr A") == "New message"
    assert notification(sealed, 1, b"Ward 7", b"Dr A") == "New message in Ward 7"
    assert notification(sealed, 2, b"Ward 7", b"Dr A") == "New message from Dr A in Ward 7"
    with pytest.raises(cg.CareguardError) as e:
        notification(sealed[:3], 0)
    assert e.value.name == "truncated"


def audit_verify(log, head):
    records = ctypes.c_uint64()
    out = cg.CgBytes()
    key = bytes.fromhex(AUDIT["device_ed25519"])
    status = cg.lib.cg_audit_log_verify(log, len(log), key, len(key), head, len(head) if head else 0,
                                        ctypes.byref(records), ctypes.byref(out))
    cg.check(status, "cg_audit_log_verify")
    head_out = ctypes.string_at(out.data, out.len)
    cg.lib.cg_bytes_free(ctypes.byref(out))
    return records.value, head_out


def test_audit_log_vector_verifies_and_tampering_is_refused():
    head = bytes.fromhex(AUDIT["head"])
    assert audit_verify(bytes.fromhex(AUDIT["log"]), head) == (3, head)
    names = []
    for bad in AUDIT["bad"]:
        with pytest.raises(cg.CareguardError) as e:
            audit_verify(bytes.fromhex(bad["log"]), head)
        names.append(e.value.name)
    assert names == ["truncated", "bad_signature", "truncated"]


def trust_verify(pack, accepted):
    version = ctypes.c_uint64()
    key = bytes.fromhex(TRUST["organisation_ed25519"])
    acc = ctypes.byref(ctypes.c_uint64(accepted)) if accepted is not None else None
    cg.check(cg.lib.cg_trust_pack_verify(pack, len(pack), key, len(key), TRUST["now"], acc, ctypes.byref(version)),
             "cg_trust_pack_verify")
    return version.value


def test_trust_pack_vector_verifies_and_rollback_is_refused():
    assert trust_verify(bytes.fromhex(TRUST["pack"]), TRUST["accepted_version"]) == 5
    names = []
    for bad in TRUST["bad"]:
        with pytest.raises(cg.CareguardError) as e:
            trust_verify(bytes.fromhex(bad["pack"]), TRUST["accepted_version"])
        names.append(e.value.name)
    assert names == ["replayed", "bad_signature", "bad_signature", "expired"]
