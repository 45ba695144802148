#!/usr/bin/env python3
"""Check the heldout2 markup: spans, kinds, subjects, check digits; print counts.

Run from this directory: python3 validate.py  (exit status 1 on any error)."""
import datetime
import glob
import os
import re
import sys
from collections import Counter

KINDS = {"name", "nhs", "chi", "hc", "dob", "date", "pc", "phone", "email", "ni", "hosp"}
SUBJECTS = {"patient", "staff", "unknown"}
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "sister", "nurse", "matron", "prof", "professor",
          "sr", "staff", "consultant", "baby", "bo", "master", "rev", "pt"}
# Words used in one message both as a name and, deliberately, as an eponym or place.
DUAL_USE = {"Parkinson", "Garden", "Florence", "Victoria"}
SPAN = re.compile(r"\[\[([^\[\]|]+)\|([^\[\]]*)\]\]")


def mod11(d):
    s = sum(int(c) * w for c, w in zip(d[:9], range(10, 1, -1)))
    c = 11 - s % 11
    c = 0 if c == 11 else c
    return c != 10 and c == int(d[9])


WORD_DIGITS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
               "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}


def digits(t):
    """The digits of a number written with digits or, as dictated, in words."""
    if re.search(r"[a-z]", t):
        return "".join(WORD_DIGITS.get(w, "?") for w in t.lower().split())
    return re.sub(r"[\s-]", "", t)


def check_span(kind, text, err):
    d = digits(text)
    if kind in ("nhs", "chi", "hc"):
        if not re.fullmatch(r"\d{10}", d):
            return err(f"{kind} not 10 digits: {text!r}")
        if not mod11(d):
            return err(f"{kind} bad check digit: {text!r}")
        if kind == "nhs" and not (400 <= int(d[:3]) <= 499 or 600 <= int(d[:3]) <= 799):
            err(f"nhs out of England/Wales range: {text!r}")
        if kind == "hc" and not 320 <= int(d[:3]) <= 399:
            err(f"hc out of range: {text!r}")
        if kind == "chi":
            try:
                datetime.date(2000 + int(d[4:6]), int(d[2:4]), int(d[:2]))
            except ValueError:
                err(f"chi bad date: {text!r}")
    if kind == "name":
        words = text.split()
        if not words or text != text.strip():
            err(f"name span empty or padded: {text!r}")
        elif words[0].lower().strip(".") in TITLES:
            err(f"title inside name span: {text!r}")
        if text.endswith("'s") or text.endswith("’s") or re.search(r"[,.;:()]$", text):
            err(f"possessive/punctuation inside name span: {text!r}")
    if kind == "dob" and re.search(r"(?i)\b(dob|born|d\.o\.b)\b", text):
        err(f"label word inside dob span: {text!r}")
    if kind == "email" and not re.search(r"@example\.", text):
        err(f"email not on an example domain: {text!r}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    errors = 0
    total = Counter()
    msgs_total = empty_total = staff_total = 0
    for path in sorted(glob.glob(os.path.join(here, "*.txt"))):
        name = os.path.basename(path)
        counts = Counter()
        msgs = empty = staff_only = 0
        for no, line in enumerate(open(path, encoding="utf-8"), 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue

            def err(msg, no=no):
                nonlocal errors
                errors += 1
                print(f"{name}:{no}: {msg}")

            msgs += 1
            rest = SPAN.sub("", line)
            if "[[" in rest or "]]" in rest:
                err("unbalanced or malformed [[ ]]")
            spans = SPAN.findall(line)
            if not spans:
                empty += 1
            elif all(tag == "name:staff" for tag, _ in spans):
                staff_only += 1
            for tag, text in spans:
                kind, _, subject = tag.partition(":")
                if kind not in KINDS:
                    err(f"unknown kind {kind!r}")
                    continue
                if kind == "name" and subject not in SUBJECTS:
                    err(f"name without a known subject: {tag!r}")
                if kind != "name" and subject:
                    err(f"subject on a non-name kind: {tag!r}")
                counts[f"{kind}:{subject}" if subject else kind] += 1
                check_span(kind, text, err)
            # every occurrence: a labelled name word must not also appear unlabelled
            for tag, text in spans:
                if tag.startswith("name"):
                    for w in text.split():
                        if len(w) > 2 and w not in DUAL_USE and re.search(rf"(?<![\w@]){re.escape(w)}(?!\w)", rest):
                            err(f"name word {w!r} also occurs unlabelled")
            # lint: a valid-looking 10-digit number left unlabelled
            for m in re.finditer(r"(?<![\d|])(\d{3}[ -]?\d{3}[ -]?\d{4})(?![\d\]])", rest):
                if mod11(digits(m.group(1))):
                    err(f"unlabelled number passes mod 11: {m.group(1)!r}")
        msgs_total += msgs
        empty_total += empty
        staff_total += staff_only
        total.update(counts)
        print(f"{name}: {msgs} messages, {empty} without identifiers, {staff_only} staff names only; "
              + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"TOTAL: {msgs_total} messages, {empty_total} without identifiers "
          f"({100 * empty_total / max(msgs_total, 1):.0f} %), {staff_total} staff names only; "
          + ", ".join(f"{k} {v}" for k, v in sorted(total.items())))
    print(f"{errors} error(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
