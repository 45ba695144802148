import pytest
from presidio_analyzer import AnalyzerEngine, EntityRecognizer

from careguard.presidio import ALL_ENTITIES, CareguardRecognizer, blank_nlp_engine

TEXT = "Pt John Smith, NHS 943 476 5919, CHI 0101011237? dob 14/03/1952, call 01632 960123"


@pytest.fixture(scope="module")
def analyzer():
    # No spaCy model is downloaded: a blank pipeline tokenises; careguard finds names.
    analyzer = AnalyzerEngine(nlp_engine=blank_nlp_engine(), supported_languages=["en"])
    analyzer.registry.add_recognizer(CareguardRecognizer())
    return analyzer


def by_entity(results, text):
    return {(r.entity_type, text[r.start:r.end]) for r in results}


def test_two_lines_add_nhs_identifiers_dobs_and_names(analyzer):
    assert isinstance(CareguardRecognizer(), EntityRecognizer)
    results = analyzer.analyze(text=TEXT, language="en")
    found = by_entity(results, TEXT)
    assert ("UK_NHS", "943 476 5919") in found
    assert ("DATE_OF_BIRTH", "14/03/1952") in found
    assert ("PERSON", "John Smith") in found
    # With a blank spaCy pipeline there is no statistical NER: names and dates of birth
    # can only come from careguard.
    person = next(r for r in results if r.entity_type == "PERSON")
    assert person.recognition_metadata["careguard_subject"] == "patient"
    without = AnalyzerEngine(nlp_engine=blank_nlp_engine(), supported_languages=["en"])
    assert not {"PERSON", "DATE_OF_BIRTH"} & {e for e, _ in by_entity(without.analyze(text=TEXT, language="en"), TEXT)}


def test_recognizer_results_carry_scores_and_rules():
    results = CareguardRecognizer().analyze(TEXT, [])
    assert [r.entity_type for r in results] == ["PERSON", "UK_NHS", "UK_CHI", "DATE_OF_BIRTH"]
    nhs = results[1]
    assert 0.9 < nhs.score <= 1.0
    assert nhs.recognition_metadata["careguard_rule"].startswith("nhs")
    assert "careguard rule nhs" in nhs.analysis_explanation.textual_explanation


def test_chi_and_hc_numbers_and_entity_filter(analyzer):
    text = "CHI 0101011237 for transfer"
    results = analyzer.analyze(text=text, language="en", entities=["UK_CHI"])
    assert [(r.entity_type, text[r.start:r.end]) for r in results] == [("UK_CHI", "0101011237")]
    assert analyzer.analyze(text=TEXT, language="en", entities=["UK_HC_NUMBER"]) == []


def test_all_entities_and_scanner_options():
    rec = CareguardRecognizer(entities=ALL_ENTITIES, staff_names=["John Smith"])
    results = rec.analyze(TEXT, ["PHONE_NUMBER", "PERSON"])
    assert {r.entity_type for r in results} == {"PHONE_NUMBER", "PERSON"}
    person = next(r for r in results if r.entity_type == "PERSON")
    assert person.recognition_metadata["careguard_subject"] == "staff"
    with pytest.raises(ValueError):
        CareguardRecognizer(entities=["CREDIT_CARD"])


def test_offsets_are_python_string_indices():
    text = "🙂 Zoë says NHS 943 476 5919"
    (r,) = CareguardRecognizer(entities=["UK_NHS"]).analyze(text, ["UK_NHS"])
    assert text[r.start:r.end] == "943 476 5919"
