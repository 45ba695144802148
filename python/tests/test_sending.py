"""Safe sending (right recipient, group review), audit logs and Trust policy packs
(issue 17), on core's committed vectors where they exist (core/tests/vectors)."""

import json
from pathlib import Path

import careguard
import pytest

VECTORS = Path(__file__).resolve().parents[2] / "core" / "tests" / "vectors"
CARDS = json.loads((VECTORS / "device-card-v1.json").read_text())
AUDIT = json.loads((VECTORS / "audit-log-v1.json").read_text())
TRUST = json.loads((VECTORS / "trust-pack-v1.json").read_text())


def card(name):
    return next(v for v in CARDS["vectors"] if v["name"] == name)


def test_confusable_recipient_is_named():
    smith = careguard.RecipientEntry("c1", "Dr John Smith", attested=True, verification="attested_by_organisation",
                                     identifiers_sent_before=True)
    book = careguard.AddressBook([smith, careguard.RecipientEntry("c2", "Dr John Smyth", attested=True)])
    assert len(book) == 2
    [w] = book.check(smith, patient_identifiers=True, clinical=True)
    assert (w.code, w.alternative_id, w.alternative_name, w.confusion, w.distance) == (
        "confusable_name", "c2", "Dr John Smyth", "edit_distance", 1)
    assert "Dr John Smyth" in w.message and "correct person or group" in w.guidance
    assert book.check(smith, patient_identifiers=False, clinical=False) == []


def test_group_recipient_and_new_contact_warnings():
    social = careguard.RecipientEntry("g1", "Ward 7 social", kind="group", purpose="social",
                                      members_outside_trust=2)
    book = careguard.AddressBook([social])
    codes = [(w.code, w.members) for w in book.check(social, patient_identifiers=True, clinical=True)]
    assert codes == [("outside_trust", 2), ("clinical_to_social_group", None)]
    stranger = careguard.RecipientEntry("x", "Someone Else")
    assert [w.code for w in book.check(stranger, patient_identifiers=True, clinical=False)] == [
        "first_identifiers_to_contact", "outside_trust"]


def test_recipient_entry_refuses_unknown_names():
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.RecipientEntry("x", "y", kind="person")
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.RecipientEntry("x", "y", verification="trusted")
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.RecipientEntry("x", "y", kind="group", purpose="fun")


def test_group_review_lists_member_and_group_findings():
    org = bytes.fromhex(CARDS["organisation_public_key"])
    now = card("valid, attested")["now"]
    attested = careguard.GroupMember(bytes.fromhex(card("valid, attested")["card"]), now - 10)
    plain = careguard.GroupMember(bytes.fromhex(card("valid, not attested")["card"]), now - 5)
    findings = careguard.review_group("Ward 7", "social", [attested, plain], last_review=now - 100 * 86400, now=now,
                                      clinical_messages_since_review=4, org_public_keys=[org], max_members=1)
    got = [(f.code, f.staff_id, f.at, f.count, f.max) for f in findings]
    staff = plain.staff_id
    assert got == [
        ("member_joined_since_review", attested.staff_id, now - 10, None, None),
        ("member_not_attested", staff, None, None, None),
        ("member_unverified", staff, None, None, None),
        ("member_joined_since_review", staff, now - 5, None, None),
        ("review_overdue", None, now - 10 * 86400, None, None),
        ("social_and_clinical_mixed", None, None, 4, None),
        ("too_large", None, None, 2, 1),
    ]


def test_group_review_reports_revoked_and_expired_cards():
    revoked = card("revoked by the organisation")
    policy = revoked["policy"]
    member = careguard.GroupMember(bytes.fromhex(revoked["card"]), 0)
    [f] = careguard.review_group("Ward 7", "clinical", [member], last_review=revoked["now"], now=revoked["now"],
                                 org_public_keys=[bytes.fromhex(k) for k in policy["organisations"]],
                                 revocation_list=bytes.fromhex(policy["revocation_list"]))
    assert f.code == "member_revoked" and len(f.device_id) == 16
    expired = card("expired")
    [f] = careguard.review_group("Ward 7", "clinical", [careguard.GroupMember(bytes.fromhex(expired["card"]), 0)],
                                 last_review=expired["now"], now=expired["now"])
    assert f.code == "member_card_expired" and f.at <= expired["now"]


def test_group_review_refuses_bad_input():
    with pytest.raises(careguard.TruncatedError):
        careguard.GroupMember(bytes.fromhex(card("truncated")["card"]), 0)
    with pytest.raises(careguard.MalformedError):
        careguard.GroupMember(bytes.fromhex(card("bad magic")["card"]), 0)
    with pytest.raises(careguard.InvalidLengthError):
        careguard.review_group("g", "clinical", [], last_review=0, now=0, org_public_keys=[b"short"])
    with pytest.raises(careguard.MalformedError):
        careguard.review_group("g", "clinical", [], last_review=0, now=0, revocation_list=b"junk")
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.review_group("g", "party", [], last_review=0, now=0)


def test_audit_vector_verifies_and_summarises():
    head = bytes.fromhex(AUDIT["head"])
    log = careguard.verify_audit_log(bytes.fromhex(AUDIT["log"]), bytes.fromhex(AUDIT["device_ed25519"]), head)
    assert log.head == head and log.device_id.hex() == AUDIT["device_id"]
    got = [(r.time, r.action, r.verdict, r.emergency, sorted(r.kinds.items()), r.reason) for r in log.records]
    want = [(r["time"], r["action"], r["verdict"], r["emergency"], sorted(map(tuple, r["kinds"])), r["reason"])
            for r in AUDIT["records"]]
    assert got == want
    s = careguard.summarise_audit(log.records)
    assert (s.records, s.allowed, s.warned, s.blocked, s.emergency) == (3, 1, 1, 1, 1)
    assert s.kinds == {"date_of_birth": 1, "nhs_number": 1, "person_name": 2}
    names = []
    for bad in AUDIT["bad"]:
        with pytest.raises(careguard.CareguardError) as e:
            careguard.verify_audit_log(bytes.fromhex(bad["log"]), bytes.fromhex(AUDIT["device_ed25519"]), head)
        names.append(e.value.name)
    assert names == ["truncated", "bad_signature", "truncated"]


def test_audit_log_written_here_verifies_and_detects_tampering():
    keys = careguard.DeviceKeys.generate()
    chain = careguard.AuditChain(keys)
    scanner = careguard.Scanner()
    reason = "Mr John Smith 943 476 5919 needs review"
    records = [
        careguard.AuditRecord(100, "clinical", "warn", "sent_minimised", kinds={"nhs_number": 1}),
        careguard.AuditRecord(160, "social", "block", "overridden", emergency=True, reason=reason, scanner=scanner),
    ]
    first = chain.seal(records, keys)
    assert b"Smith" not in first and b"5919" not in first
    state = chain.state()
    second = careguard.AuditChain.restore(state).seal(records[:1], keys)
    chain.seal(records[:1], keys)
    head = chain.head()
    log = careguard.verify_audit_log(first + second, keys.audit_public_key, head)
    assert (len(log.records), log.segments, log.head) == (3, 2, head)
    assert "Smith" not in log.records[1].reason and log.records[1].reason
    with pytest.raises(careguard.TruncatedError):
        careguard.verify_audit_log(first, keys.audit_public_key, head)
    with pytest.raises(careguard.TamperedError):
        careguard.verify_audit_log(second + first, keys.audit_public_key)
    edited = bytearray(first)
    edited[60] ^= 1
    with pytest.raises(careguard.CareguardError):
        careguard.verify_audit_log(bytes(edited), keys.audit_public_key)
    with pytest.raises(careguard.InvalidLengthError):
        careguard.verify_audit_log(first, keys.audit_public_key[:31])
    with pytest.raises(careguard.InvalidLengthError):
        careguard.verify_audit_log(first, keys.audit_public_key, head[:39])
    with pytest.raises(careguard.KeyRevokedError):
        chain.seal(records, careguard.DeviceKeys.generate())
    with pytest.raises(careguard.MalformedError):
        chain.seal([], keys)
    with pytest.raises(careguard.MalformedError):
        careguard.AuditChain.restore(state[:63])


def test_audit_record_refuses_bad_input():
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.AuditRecord(0, "clinical", "maybe", "sent")
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.AuditRecord(0, "clinical", "allow", "shouted")
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.AuditRecord(0, "chat", "allow", "sent")
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.AuditRecord(0, "clinical", "allow", "sent", kinds={"shoe_size": 1})
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.AuditRecord(0, "clinical", "block", "overridden", reason="needed")


def test_device_keys_survive_the_vault():
    vault, _blob = careguard.Vault.create("730419", params=(19 * 1024, 2, 1))
    keys = careguard.DeviceKeys.generate()
    again = careguard.DeviceKeys.unwrap_from_vault(vault, keys.wrap_in_vault(vault))
    assert again.audit_public_key == keys.audit_public_key and again.device_id == keys.device_id


def test_trust_pack_settings_and_emergency_order():
    org = [bytes.fromhex(TRUST["organisation_ed25519"])]
    now, expect = TRUST["now"], TRUST["expect"]
    pack = careguard.TrustPack.verify(bytes.fromhex(TRUST["pack"]), org, now=now,
                                      accepted_version=TRUST["accepted_version"])
    assert (pack.version, pack.issued_at, pack.expires_at) == (
        expect["version"], expect["issued_at"], expect["expires_at"])
    assert pack.approved_platforms == expect["approved_platforms"]
    assert pack.hospital_number_patterns == expect["hospital_number_patterns"]
    assert pack.allow_list == expect["allow_list"]
    assert (pack.emergency_allowed, pack.emergency_max_secs) == (expect["emergency_allowed"],
                                                                 expect["emergency_max_secs"])
    assert (pack.group_review_interval_secs, pack.group_max_members) == (
        expect["group_review_interval"], expect["group_max_members"])
    assert pack.notification_detail == "conversation"
    assert pack.retention("clinical") == tuple(expect["retention"][0][1:])
    assert pack.retention("social") == (86400, None, 0)
    assert pack.platform_approved(" pando ") and not pack.platform_approved("WhatsApp")
    assert [f.kind for f in pack.scanner().scan("Patient RA7123456")] == ["hospital_number"]

    order = bytes.fromhex(TRUST["emergency_order"])
    em = pack.verify_emergency(order, org, now=now)
    assert (em.id, em.starts_at, em.ends_at, em.pack_version) == (
        TRUST["emergency_expect"]["id"], TRUST["emergency_expect"]["starts_at"],
        TRUST["emergency_expect"]["ends_at"], 5)
    assert em.in_force(now) and not em.in_force(em.ends_at)
    with pytest.raises(careguard.ExpiredError):
        pack.verify_emergency(order, org, now=em.ends_at)
    with pytest.raises(careguard.BadSignatureError):
        pack.verify_emergency(order[:-1] + bytes([order[-1] ^ 1]), org, now=now)
    with pytest.raises(careguard.TruncatedError):
        pack.verify_emergency(order[:20], org, now=now)


def test_trust_pack_refuses_rollback_and_tampering():
    org = [bytes.fromhex(TRUST["organisation_ed25519"])]
    names = []
    for bad in TRUST["bad"]:
        with pytest.raises(careguard.CareguardError) as e:
            careguard.TrustPack.verify(bytes.fromhex(bad["pack"]), org, now=TRUST["now"],
                                       accepted_version=TRUST["accepted_version"])
        names.append(e.value.name)
    assert names == ["replayed", "bad_signature", "bad_signature", "expired"]
    with pytest.raises(careguard.InvalidLengthError):
        careguard.TrustPack.verify(bytes.fromhex(TRUST["pack"]), [b"short"], now=TRUST["now"])
    with pytest.raises(careguard.TruncatedError):
        careguard.TrustPack.verify(bytes.fromhex(TRUST["pack"])[:10], org, now=TRUST["now"])
