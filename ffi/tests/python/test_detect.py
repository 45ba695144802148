"""Scanner, findings (byte and UTF-16 offsets), minimise and policy through ctypes."""

import ctypes

import careguard_ctypes as cg
import pytest


@pytest.fixture(scope="module")
def scanner():
    with cg.Scanner() as s:
        yield s


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    "prefix",
    ["", "Zoë ", "👍👍 ", "患者 ", "Ünal — "],
)
def test_offsets_match_python_strings(scanner, prefix):
    text = prefix + "NHS 943 476 5919"
    data = text.encode()
    [f] = [f for f in scanner.scan(text) if f["kind"] == "nhs_number"]
    assert data[f["start"]:f["end"]].decode() == "943 476 5919"
    # UTF-16 offsets are what Java/Swift/JS index with; check against Python's count.
    start16 = utf16_len(data[: f["start"]].decode())
    assert (f["start_utf16"], f["end_utf16"]) == (start16, start16 + 12)
    assert 0 < f["confidence"] <= 1 and f["rule"]


def test_kinds_are_design_names(scanner):
    text = "Mrs Jane Smith NHS 943 476 5919, jane@example.com, 07700 900123, LS1 4AB"
    kinds = {f["kind"] for f in scanner.scan(text)}
    allowed = {"nhs_number", "chi_number", "hc_number", "date_of_birth", "date", "person_name", "postcode",
               "phone_number", "email", "ni_number", "hospital_number"}
    assert kinds <= allowed
    assert {"nhs_number", "email", "phone_number", "postcode"} <= kinds


def test_minimise_and_has_findings(scanner):
    assert "5919" not in scanner.minimise("NHS 943 476 5919")
    has = ctypes.c_bool()
    cg.check(cg.lib.cg_scanner_has_findings(scanner.handle, b"bed 4 obs stable", 16, ctypes.byref(has)), "has")
    assert not has.value
    assert cg.lib.cg_scanner_has_findings(scanner.handle, b"\xff\xfe", 2, ctypes.byref(has)) == cg.INVALID_UTF8


def test_minimise_refuses_nul_but_scan_accepts_it(scanner):
    out = ctypes.c_void_p()
    text = b"Jane Smith 943 476 5919\x00"
    assert cg.lib.cg_scanner_minimise(scanner.handle, text, len(text), ctypes.byref(out)) == cg.INVALID_ARGUMENT
    assert not out.value
    # the message names the argument and the offset, never the text
    message = cg.lib.cg_last_error_message()
    assert b"offset 23" in message and b"Smith" not in message and b"5919" not in message
    assert scanner.scan("a\x00b") == []


def test_builder_options():
    b = ctypes.c_void_p()
    cg.check(cg.lib.cg_scanner_builder_new(ctypes.byref(b)), "new")
    try:
        cg.check(cg.lib.cg_scanner_builder_kind(b, b"postcode", 8, False), "kind")
        assert cg.lib.cg_scanner_builder_kind(b, b"nope", 4, False) == cg.INVALID_ARGUMENT
        cg.check(cg.lib.cg_scanner_builder_mask_style(b, cg.MASK_PARTIAL), "mask")
        pattern = rb"\bRX[0-9]{7}\b"
        cg.check(cg.lib.cg_scanner_builder_hospital_number_pattern(b, pattern, len(pattern)), "pattern")
        cg.check(cg.lib.cg_scanner_builder_staff_name(b, b"Bronwen Pugh", 12), "staff name")
        s = ctypes.c_void_p()
        cg.check(cg.lib.cg_scanner_builder_build(b, ctypes.byref(s)), "build")
        with cg.Scanner(s) as scanner:
            assert [f["kind"] for f in scanner.scan("ref RX1234567 at LS1 4AB")] == ["hospital_number"]
            assert scanner.minimise("NHS 943 476 5919") == "NHS *** *** 5919"
            assert [(f["kind"], f["subject"]) for f in scanner.scan("Bronwen Pugh is NIC today")] == [
                ("person_name", "staff")]
            assert [(f["kind"], f["subject"]) for f in scanner.scan("Mrs Okoro in bed 4 is NBM")] == [
                ("person_name", "patient")]
        bad = b"(unclosed"
        cg.check(cg.lib.cg_scanner_builder_hospital_number_pattern(b, bad, len(bad)), "pattern")
        assert cg.lib.cg_scanner_builder_build(b, ctypes.byref(s)) == cg.INVALID_PATTERN
        assert b"pattern 1" in cg.lib.cg_last_error_message()
    finally:
        cg.lib.cg_scanner_builder_free(b)


def test_policy_review(scanner):
    text = "NHS 943 476 5919 for bed 4"
    verdict, reasons, suggestion = scanner.review(text, cg.CONVERSATION_SOCIAL, True)
    assert verdict == cg.VERDICT_BLOCK and reasons[0][0] == "social_group" and "5919" not in suggestion
    verdict, reasons, suggestion = scanner.review(text, cg.CONVERSATION_CLINICAL, False)
    assert verdict == cg.VERDICT_BLOCK and reasons[0][0] == "unapproved_platform"
    verdict, reasons, _ = scanner.review(text, cg.CONVERSATION_CLINICAL, False, emergency=True)
    assert verdict == cg.VERDICT_WARN
    assert scanner.review("bed 4 obs stable", cg.CONVERSATION_SOCIAL, False) == (cg.VERDICT_ALLOW, [], None)
    verdict, reasons, _ = scanner.review(text, cg.CONVERSATION_CLINICAL, True,
                                         recipients=[(cg.VERIFICATION_UNVERIFIED, False)])
    assert verdict == cg.VERDICT_WARN and "unverified_recipient" in [r[0] for r in reasons]
    verdict, reasons, _ = scanner.review(text, cg.CONVERSATION_CLINICAL, True,
                                         recipients=[(cg.VERIFICATION_IN_PERSON, True)])
    assert verdict == cg.VERDICT_WARN and "recipient_key_changed" in [r[0] for r in reasons]
    with pytest.raises(cg.CareguardError) as e:
        scanner.review(text, cg.CONVERSATION_CLINICAL, True, recipients=[(9, False)])
    assert e.value.name == "invalid_argument"
    d = ctypes.c_void_p()
    ctx = cg.CgPolicyContext(99, True, False, None, 0)
    assert cg.lib.cg_policy_review(scanner.handle, b"x", 1, ctypes.byref(ctx), ctypes.byref(d)) == cg.INVALID_ARGUMENT


def test_policy_decide_from_findings(scanner):
    findings = ctypes.c_void_p()
    text = b"NHS 943 476 5919"
    cg.check(cg.lib.cg_scanner_scan(scanner.handle, text, len(text), ctypes.byref(findings)), "scan")
    try:
        d = ctypes.c_void_p()
        ctx = cg.CgPolicyContext(cg.CONVERSATION_BROADCAST, True, False, None, 0)
        cg.check(cg.lib.cg_policy_decide(findings, ctypes.byref(ctx), ctypes.byref(d)), "decide")
        verdict, reasons, suggestion = cg.decision_contents(d)
        cg.lib.cg_decision_free(d)
        assert verdict == cg.VERDICT_BLOCK and reasons[0][0] == "broadcast" and suggestion is None
        f = cg.CgFinding()
        assert cg.lib.cg_findings_get(findings, 99, ctypes.byref(f)) == cg.INVALID_ARGUMENT
    finally:
        cg.lib.cg_findings_free(findings)
