"""The right recipient, group review, audit-log writing and summaries, and Trust pack
settings and emergency orders through the C ABI via ctypes (issue 17)."""

import ctypes
import json
import pathlib

import careguard_ctypes as cg
import pytest

VECTORS = pathlib.Path(__file__).resolve().parents[3] / "core" / "tests" / "vectors"
TRUST = json.loads((VECTORS / "trust-pack-v1.json").read_text())
NOW = 1_700_000_000
DAY = 86_400


def entry(id_, name, kind=cg.RECIPIENT_CONTACT, attested=True, sent_before=True, purpose=0, outside=0,
          verification=cg.VERIFICATION_ATTESTED):
    i, n = id_.encode(), name.encode()
    return cg.CgRecipientEntry(i, len(i), n, len(n), kind, attested, verification, purpose, outside, sent_before)


def check_recipient(book, chosen, identifiers=True, clinical=True):
    w = cg.P()
    cg.check(cg.lib.cg_address_book_check(book, ctypes.byref(chosen), identifiers, clinical, ctypes.byref(w)),
             "cg_address_book_check")
    try:
        n = ctypes.c_size_t()
        cg.check(cg.lib.cg_recipient_warnings_len(w, ctypes.byref(n)), "cg_recipient_warnings_len")
        out = []
        for i in range(n.value):
            item = cg.CgRecipientWarning()
            cg.check(cg.lib.cg_recipient_warnings_get(w, i, ctypes.byref(item)), "cg_recipient_warnings_get")
            out.append((item.code.decode(), item.alternative_name and item.alternative_name.decode(),
                        item.confusion and item.confusion.decode(), item.members))
        item = cg.CgRecipientWarning()
        assert cg.lib.cg_recipient_warnings_get(w, n.value, ctypes.byref(item)) == cg.INVALID_ARGUMENT
        return out
    finally:
        cg.lib.cg_recipient_warnings_free(w)


@pytest.fixture
def book():
    entries = (cg.CgRecipientEntry * 3)(
        entry("c1", "Dr John Smith"), entry("c2", "Dr Jon Smith", sent_before=False),
        entry("g1", "Ward 7 social", kind=cg.RECIPIENT_GROUP, purpose=cg.GROUP_SOCIAL, outside=3),
    )
    handle = cg.P()
    cg.check(cg.lib.cg_address_book_new(entries, 3, ctypes.byref(handle)), "cg_address_book_new")
    yield handle, entries
    cg.lib.cg_address_book_free(handle)


def test_confusable_recipient_is_named_and_groups_are_checked(book):
    handle, entries = book
    assert check_recipient(handle, entries[0]) == [("confusable_name", "Dr Jon Smith", "edit_distance", 0)]
    assert check_recipient(handle, entries[2]) == [
        ("outside_trust", None, None, 3), ("clinical_to_social_group", None, None, 0)]
    assert check_recipient(handle, entries[0], identifiers=False, clinical=False) == []


def test_address_book_refuses_bad_input(book):
    handle, _ = book
    out = cg.P()
    bad = entry("x", "Someone", kind=5)
    assert cg.lib.cg_address_book_check(handle, ctypes.byref(bad), True, True, ctypes.byref(out)) == cg.INVALID_ARGUMENT
    bad = entry("x", "Someone")
    bad.display_name, bad.display_name_len = b"\xff", 1
    assert cg.lib.cg_address_book_check(handle, ctypes.byref(bad), True, True, ctypes.byref(out)) == cg.INVALID_UTF8
    assert cg.lib.cg_address_book_check(None, ctypes.byref(bad), True, True, ctypes.byref(out)) == cg.NULL_POINTER
    assert cg.lib.cg_address_book_new(None, 1, ctypes.byref(out)) == cg.NULL_POINTER
    assert not out.value


def issue_card(keys, staff, name, org_seed):
    s, n = staff.encode(), name.encode()
    return cg.out_bytes(cg.lib.cg_device_keys_issue_card, keys, None, s, len(s), n, len(n), NOW, NOW + 365 * DAY,
                        org_seed, len(org_seed) if org_seed else 0)


def review(group, now, org_pk, rules=None, revocations=b""):
    f = cg.P()
    cg.check(cg.lib.cg_group_review(ctypes.byref(group), now, org_pk, len(org_pk), False, revocations or None,
                                    len(revocations), ctypes.byref(rules) if rules else None, ctypes.byref(f)),
             "cg_group_review")
    try:
        n = ctypes.c_size_t()
        cg.check(cg.lib.cg_group_findings_len(f, ctypes.byref(n)), "cg_group_findings_len")
        out = []
        for i in range(n.value):
            item = cg.CgGroupFinding()
            cg.check(cg.lib.cg_group_findings_get(f, i, ctypes.byref(item)), "cg_group_findings_get")
            out.append((item.code.decode(), item.staff_id and item.staff_id.decode(), item.at, item.count, item.max))
        return out
    finally:
        cg.lib.cg_group_findings_free(f)


def test_group_review_lists_what_the_administrator_must_act_on():
    seed = bytes([3]) * 32
    org_pk = cg.out_bytes(cg.lib.cg_wipe_org_public_key, seed, 32)
    a, b = cg.P(), cg.P()
    cg.check(cg.lib.cg_device_keys_generate(ctypes.byref(a)), "generate")
    cg.check(cg.lib.cg_device_keys_generate(ctypes.byref(b)), "generate")
    try:
        alice = issue_card(a, "alice@nhs.net", "Dr Alice", seed)
        bob = issue_card(b, "bob@nhs.net", "Nurse Bob", None)
        members = (cg.CgGroupMember * 2)(cg.CgGroupMember(alice, len(alice), NOW, False),
                                         cg.CgGroupMember(bob, len(bob), NOW, True))
        group = cg.CgGroup(b"Ward 7", 6, cg.GROUP_CLINICAL, members, 2, NOW, 0)
        rules = cg.CgGroupRules()
        cg.check(cg.lib.cg_group_rules_default(ctypes.byref(rules)), "cg_group_rules_default")
        assert (rules.review_interval_secs, rules.max_members) == (90 * DAY, 50)
        assert review(group, NOW + DAY, org_pk) == [("member_not_attested", "bob@nhs.net", 0, 0, 0)]
        assert review(group, NOW + 100 * DAY, org_pk, cg.CgGroupRules(30 * DAY, 1)) == [
            ("member_not_attested", "bob@nhs.net", 0, 0, 0),
            ("review_overdue", None, NOW + 30 * DAY, 0, 0),
            ("too_large", None, 0, 2, 1),
        ]
        junk = cg.CgGroupMember(b"junk", 4, NOW, False)
        bad = cg.CgGroup(b"Ward 7", 6, cg.GROUP_CLINICAL, ctypes.pointer(junk), 1, NOW, 0)
        with pytest.raises(cg.CareguardError) as e:
            review(bad, NOW, org_pk)
        assert e.value.name == "malformed"
        bad = cg.CgGroup(b"Ward 7", 6, 9, members, 2, NOW, 0)
        with pytest.raises(cg.CareguardError) as e:
            review(bad, NOW, org_pk)
        assert e.value.name == "invalid_argument"
    finally:
        cg.lib.cg_device_keys_free(a)
        cg.lib.cg_device_keys_free(b)


def summarise(log, key, head):
    s = cg.P()
    cg.check(cg.lib.cg_audit_log_summarise(log, len(log), key, len(key), head, len(head), ctypes.byref(s)),
             "cg_audit_log_summarise")
    try:
        totals = cg.CgAuditTotals()
        cg.check(cg.lib.cg_audit_summary_totals(s, ctypes.byref(totals)), "cg_audit_summary_totals")
        n = ctypes.c_size_t()
        cg.check(cg.lib.cg_audit_summary_len(s, ctypes.byref(n)), "cg_audit_summary_len")
        counts = {}
        for i in range(n.value):
            c = cg.CgAuditCount()
            cg.check(cg.lib.cg_audit_summary_get(s, i, ctypes.byref(c)), "cg_audit_summary_get")
            counts[(c.category.decode(), c.name.decode())] = c.count
        return {name: getattr(totals, name) for name, _ in totals._fields_}, counts
    finally:
        cg.lib.cg_audit_summary_free(s)


def test_audit_log_written_here_verifies_and_summarises():
    keys = cg.P()
    cg.check(cg.lib.cg_device_keys_generate(ctypes.byref(keys)), "generate")
    chain = cg.P()
    cg.check(cg.lib.cg_audit_chain_new(keys, ctypes.byref(chain)), "cg_audit_chain_new")
    try:
        with cg.Scanner() as scanner:
            reason = b"Mr John Smith 943 476 5919"
            records = (cg.CgAuditRecord * 2)(
                cg.CgAuditRecord(NOW, cg.CONVERSATION_CLINICAL, cg.VERDICT_ALLOW, cg.ACTION_SENT, False, None, None, 0),
                cg.CgAuditRecord(NOW + 9, cg.CONVERSATION_CLINICAL, cg.VERDICT_BLOCK, cg.ACTION_OVERRIDDEN, True, None,
                                 reason, len(reason)),
            )
            segment = cg.out_bytes(cg.lib.cg_audit_chain_seal, chain, keys, records, 2, scanner.handle)
        assert b"Smith" not in segment and b"5919" not in segment
        state = cg.out_bytes(cg.lib.cg_audit_chain_state, chain)
        head = cg.out_bytes(cg.lib.cg_audit_chain_head, chain)
        assert (len(state), len(head)) == (64, 40)
        key = cg.out_bytes(cg.lib.cg_audit_device_public_key, keys)
        totals, counts = summarise(segment, key, head)
        assert (totals["records"], totals["allowed"], totals["blocked"], totals["emergency"]) == (2, 1, 1, 1)
        assert counts[("action", "overridden")] == 1 and counts[("conversation", "clinical")] == 2

        restored = cg.P()
        cg.check(cg.lib.cg_audit_chain_restore(state, len(state), ctypes.byref(restored)), "restore")
        try:
            second = cg.out_bytes(cg.lib.cg_audit_chain_seal, restored, keys, records, 1, None)
            new_head = cg.out_bytes(cg.lib.cg_audit_chain_head, restored)
        finally:
            cg.lib.cg_audit_chain_free(restored)
        assert summarise(segment + second, key, new_head)[0]["segments"] == 2
        for log, head_, name in [(segment, new_head, "truncated"), (second + segment, b"", "tampered"),
                                 (segment[:-1] + bytes([segment[-1] ^ 1]), b"", "bad_signature")]:
            with pytest.raises(cg.CareguardError) as e:
                summarise(log, key, head_)
            assert e.value.name == name
        # a reason needs a scanner to minimise it
        with pytest.raises(cg.CareguardError) as e:
            cg.out_bytes(cg.lib.cg_audit_chain_seal, chain, keys, ctypes.byref(records[1]), 1, None)
        assert e.value.name == "null_pointer"
        with pytest.raises(cg.CareguardError) as e:
            cg.out_bytes(cg.lib.cg_audit_chain_state, None)
        assert e.value.name == "null_pointer"
    finally:
        cg.lib.cg_audit_chain_free(chain)
        cg.lib.cg_device_keys_free(keys)


def test_trust_pack_settings_and_emergency_order():
    pack_bytes = bytes.fromhex(TRUST["pack"])
    org = bytes.fromhex(TRUST["organisation_ed25519"])
    now, expect = TRUST["now"], TRUST["expect"]
    pack = cg.P()
    cg.check(cg.lib.cg_trust_pack_open(pack_bytes, len(pack_bytes), org, 32, now, None, ctypes.byref(pack)), "open")
    try:
        info = cg.CgTrustPackInfo()
        cg.check(cg.lib.cg_trust_pack_get_info(pack, ctypes.byref(info)), "cg_trust_pack_get_info")
        assert (info.version, info.expires_at, info.emergency_max_secs) == (
            expect["version"], expect["expires_at"], expect["emergency_max_secs"])
        assert info.group_rules.max_members == expect["group_max_members"]
        assert info.notification_detail == expect["notification_detail"]

        def items(which, n):
            out = []
            for i in range(n):
                s = ctypes.c_char_p()
                cg.check(cg.lib.cg_trust_pack_list_get(pack, which, i, ctypes.byref(s)), "cg_trust_pack_list_get")
                out.append(s.value.decode())
            return out

        assert items(cg.PACK_PLATFORMS, info.approved_platforms_len) == expect["approved_platforms"]
        assert items(cg.PACK_PATTERNS, info.hospital_number_patterns_len) == expect["hospital_number_patterns"]
        assert items(cg.PACK_ALLOW_LIST, info.allow_list_len) == expect["allow_list"]
        s = ctypes.c_char_p()
        assert cg.lib.cg_trust_pack_list_get(pack, 7, 0, ctypes.byref(s)) == cg.INVALID_ARGUMENT
        r = cg.CgRetentionPolicy()
        cg.check(cg.lib.cg_trust_pack_retention(pack, cg.CONVERSATION_CLINICAL, ctypes.byref(r)), "retention")
        assert (r.after_send, r.after_read, r.transcription_hold_max) == tuple(expect["retention"][0][1:])
        approved = ctypes.c_bool()
        cg.check(cg.lib.cg_trust_pack_platform_approved(pack, b"Pando", 5, ctypes.byref(approved)), "approved")
        assert approved.value
        scanner = cg.P()
        cg.check(cg.lib.cg_trust_pack_scanner(pack, ctypes.byref(scanner)), "cg_trust_pack_scanner")
        kinds = [f["kind"] for f in cg.Scanner(scanner).scan("Patient RA7123456")]
        cg.lib.cg_scanner_free(scanner)
        assert kinds == ["hospital_number"]

        order = bytes.fromhex(TRUST["emergency_order"])
        em = cg.CgEmergencyOrder()
        cg.check(cg.lib.cg_emergency_order_verify(order, len(order), org, 32, pack, now, ctypes.byref(em)), "verify")
        assert (em.id, em.starts_at, em.ends_at, em.in_force) == (
            TRUST["emergency_expect"]["id"], TRUST["emergency_expect"]["starts_at"],
            TRUST["emergency_expect"]["ends_at"], True)
        tampered = order[:-1] + bytes([order[-1] ^ 1])
        assert cg.lib.cg_emergency_order_verify(tampered, len(order), org, 32, pack, now,
                                                ctypes.byref(em)) == cg.BAD_SIGNATURE
        assert cg.lib.cg_emergency_order_verify(order, len(order), org, 32, None, now, ctypes.byref(em)) == cg.NULL_POINTER
    finally:
        cg.lib.cg_trust_pack_free(pack)
    other = cg.P()
    assert cg.lib.cg_trust_pack_open(pack_bytes, len(pack_bytes), org, 32, now, ctypes.byref(ctypes.c_uint64(6)),
                                     ctypes.byref(other)) == cg.REPLAYED
    assert not other.value
