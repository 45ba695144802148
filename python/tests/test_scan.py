import threading
import time

import careguard

TEXT = "pt John Smith NHS 943 476 5919 dob 14/03/1952"


def test_scan_finds_kinds_offsets_and_subject(scanner):
    found = scanner.scan(TEXT)
    assert [f.kind for f in found] == ["person_name", "nhs_number", "date_of_birth"]
    name, nhs, dob = found
    assert TEXT[nhs.start_char:nhs.end_char] == "943 476 5919"
    assert (nhs.start, nhs.end) == (18, 30)
    assert name.subject == "patient"
    assert nhs.subject == "unknown"
    assert 0.5 <= dob.confidence <= 1.0
    assert isinstance(nhs.rule, str) and nhs.rule
    assert nhs.to_dict()["kind"] == "nhs_number"


def test_offsets_in_bytes_utf16_and_code_points():
    text = "🙂 Zoë Ní Bhriain NHS 943 476 5919"
    nhs = careguard.Scanner(kinds=["nhs_number"]).scan(text)[0]
    assert text.encode()[nhs.start:nhs.end] == b"943 476 5919"
    assert text.encode("utf-16-le")[2 * nhs.start_utf16:2 * nhs.end_utf16].decode("utf-16-le") == "943 476 5919"
    assert text[nhs.start_char:nhs.end_char] == "943 476 5919"
    assert nhs.start - nhs.start_char == 5  # the emoji is 4 bytes, ë and í 2 each
    assert nhs.start_utf16 - nhs.start_char == 1  # the emoji is a surrogate pair


def test_builder_options():
    assert careguard.Scanner(kinds=["postcode"]).scan(TEXT) == []
    low = careguard.Scanner(threshold=0.2).scan("clinic 14/03/2026")
    assert [f.kind for f in low] == ["date"]
    assert careguard.Scanner().scan("clinic 14/03/2026") == []
    staff = careguard.Scanner(staff_names=["Bronwen Pugh"]).scan("Bronwen Pugh is NIC today")
    assert staff[0].subject == "staff"
    trust = careguard.Scanner(hospital_number_patterns=[r"\bRX[0-9]{7}\b"]).scan("ref RX1234567")
    assert trust[0].kind == "hospital_number"
    assert not careguard.Scanner(allow=["Ward Beaumont"]).has_findings("moved to Ward Beaumont")
    assert careguard.Scanner(mask="partial").minimise("NHS 943 476 5919") == "NHS *** *** 5919"


def test_minimise(scanner):
    assert scanner.minimise(TEXT) == "pt [name] NHS [NHS number] dob [date of birth]"
    assert scanner.minimise("nothing to see") == "nothing to see"


def test_batch_calls_match_one_by_one(scanner):
    texts = [TEXT, "", "nothing", "Mrs Patel 01632 960 123 LS1 4AB", "ü" * 10 + TEXT] * 50
    assert scanner.scan_many(texts) == [scanner.scan(t) for t in texts]
    assert scanner.minimise_many(texts) == [scanner.minimise(t) for t in texts]
    assert scanner.scan_many([]) == []


def test_scan_many_releases_the_gil(scanner):
    texts = [TEXT + " filler text" * 2000] * 256
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0)

    counter = threading.Thread(target=count)
    counter.start()
    time.sleep(0.05)
    started = time.perf_counter()
    scanner.scan_many(texts)
    ended = time.perf_counter()
    done.set()
    counter.join()
    elapsed = ended - started
    assert elapsed > 0.02, "make the batch bigger: it finished too fast to tell"
    # The middle half of the call is pure scanning (converting 256 texts in and a few
    # findings out is quick): with the GIL held there, the other thread could not tick.
    middle = [t for t in ticks if started + elapsed / 4 < t < ended - elapsed / 4]
    assert len(middle) > 10, (len(middle), elapsed)


def test_review_decisions(scanner):
    social = scanner.review(TEXT, careguard.Context("social"))
    assert social.verdict == "block"
    assert social.reasons[0].code == "social_group"
    assert set(social.reasons[0].kinds) == {"nhs_number", "date_of_birth", "person_name"}
    assert "NHS England" in social.reasons[0].guidance
    assert social.suggestion == "pt [name] NHS [NHS number] dob [date of birth]"
    allowed = scanner.review("bed 4 needs obs", careguard.Context("social"))
    assert (allowed.verdict, allowed.reasons, allowed.suggestion) == ("allow", [], None)
    unapproved = scanner.review(TEXT, careguard.Context("clinical", platform_approved=False))
    assert unapproved.verdict == "block"
    assert unapproved.reasons[0].code == "unapproved_platform"
    clinical = scanner.review(TEXT)
    assert clinical.verdict in ("allow", "warn")
