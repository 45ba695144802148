"""A Presidio recogniser for NHS identifiers, backed by careguard.

Teams already on Microsoft Presidio add careguard in two lines:

```python
from careguard.presidio import CareguardRecognizer
analyzer.registry.add_recognizer(CareguardRecognizer())
```

It reports NHS numbers (``UK_NHS``, modulus 11), Scottish CHI numbers (``UK_CHI``),
Northern Ireland H&C numbers (``UK_HC_NUMBER``), dates of birth (``DATE_OF_BIRTH``) and
personal names (``PERSON``) by default; ``CareguardRecognizer(entities=ALL_ENTITIES)``
adds the other kinds (``ENTITY_BY_KIND``). Offsets are Python ``str`` indices, as Presidio
expects; scores are careguard's confidences; each result's explanation names the rule.

``blank_nlp_engine()`` gives an ``AnalyzerEngine`` an NLP engine that needs no spaCy
model download (a blank spaCy pipeline: tokens, no NER), for pipelines whose names come
from careguard rather than from a statistical model.
"""

from typing import Any, Iterable, List, Optional

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from careguard._careguard import Scanner

#: Presidio entity name for each careguard kind. Presidio's own names where it has one.
ENTITY_BY_KIND = {
    "nhs_number": "UK_NHS",
    "chi_number": "UK_CHI",
    "hc_number": "UK_HC_NUMBER",
    "date_of_birth": "DATE_OF_BIRTH",
    "date": "DATE_TIME",
    "person_name": "PERSON",
    "postcode": "UK_POSTCODE",
    "phone_number": "PHONE_NUMBER",
    "email": "EMAIL_ADDRESS",
    "ni_number": "UK_NINO",
    "hospital_number": "UK_HOSPITAL_NUMBER",
}
KIND_BY_ENTITY = {entity: kind for kind, entity in ENTITY_BY_KIND.items()}

#: The entities reported by default: the NHS identifiers, dates of birth and names.
DEFAULT_ENTITIES = ["UK_NHS", "UK_CHI", "UK_HC_NUMBER", "DATE_OF_BIRTH", "PERSON"]
ALL_ENTITIES = list(ENTITY_BY_KIND.values())


class CareguardRecognizer(EntityRecognizer):
    """Presidio ``EntityRecognizer`` over one ``careguard.Scanner``.

    ``entities``: the Presidio entity names to report (default ``DEFAULT_ENTITIES``);
    other keyword arguments (``staff_names``, ``hospital_number_patterns``, ``threshold``,
    ...) go to ``careguard.Scanner``.
    """

    def __init__(
        self,
        entities: Optional[Iterable[str]] = None,
        supported_language: str = "en",
        name: str = "CareguardRecognizer",
        **scanner_options: Any,
    ) -> None:
        entities = list(DEFAULT_ENTITIES if entities is None else entities)
        unknown = [e for e in entities if e not in KIND_BY_ENTITY]
        if unknown:
            raise ValueError(f"careguard does not report {unknown}; it reports {ALL_ENTITIES}")
        kinds = [KIND_BY_ENTITY[e] for e in entities]
        self.scanner = Scanner(kinds=kinds, **scanner_options)
        super().__init__(
            supported_entities=entities,
            name=name,
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load: the scanner is built in ``__init__``."""

    def analyze(
        self, text: str, entities: List[str], nlp_artifacts: Any = None
    ) -> List[RecognizerResult]:
        """careguard's findings in ``text`` for the requested ``entities``."""
        wanted = set(entities or self.supported_entities) & set(self.supported_entities)
        results = []
        for f in self.scanner.scan(text):
            entity = ENTITY_BY_KIND[f.kind]
            if entity not in wanted:
                continue
            explanation = AnalysisExplanation(
                recognizer=self.name,
                original_score=f.confidence,
                textual_explanation=f"careguard rule {f.rule} (subject: {f.subject})",
            )
            results.append(
                RecognizerResult(
                    entity_type=entity,
                    start=f.start_char,
                    end=f.end_char,
                    score=f.confidence,
                    analysis_explanation=explanation,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        "careguard_rule": f.rule,
                        "careguard_subject": f.subject,
                    },
                )
            )
        return results


class BlankSpacyNlpEngine(SpacyNlpEngine):
    """A spaCy NLP engine on ``spacy.blank(lang)``: tokenisation only, no model to
    download, no statistical NER."""

    def __init__(self, lang_code: str = "en") -> None:
        super().__init__(models=[{"lang_code": lang_code, "model_name": f"blank:{lang_code}"}])

    def load(self) -> None:
        import spacy

        self.nlp = {m["lang_code"]: spacy.blank(m["lang_code"]) for m in self.models}


def blank_nlp_engine(lang_code: str = "en") -> BlankSpacyNlpEngine:
    """An NLP engine for ``AnalyzerEngine(nlp_engine=...)`` that needs no model download."""
    return BlankSpacyNlpEngine(lang_code)
