#!/usr/bin/env python3
"""Validate held-out corpus files and print counts."""
import re, sys, glob, collections, datetime
KINDS = {"name", "nhs", "chi", "hc", "dob", "pc", "phone", "email", "ni", "hosp"}
SUBJ = {"patient", "staff", "unknown"}
span = re.compile(r"\[\[([^\]|]+)\|([^\]]*)\]\]")
def mod11(d):
    s = sum(int(c) * w for c, w in zip(d[:9], range(10, 1, -1)))
    c = 11 - s % 11
    c = 0 if c == 11 else c
    return c != 10 and c == int(d[9])
errs = []; msgs = 0; pat_msgs = 0; staff_only = 0; nothing = 0; unknown_only = 0
kinds = collections.Counter(); per_file = {}
files = sorted(glob.glob("/work/corpora/heldout/*.txt"))
for f in files:
    n = 0
    for i, line in enumerate(open(f, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"): continue
        n += 1; msgs += 1
        where = f"{f.split('/')[-1]}:{i}"
        if re.search(r"\{(NHS|CHI|HC)", line): errs.append(f"{where} unfilled placeholder")
        rest = span.sub("", line)
        if "[[" in rest or "]]" in rest: errs.append(f"{where} unbalanced [[ ]]")
        subjects = set(); has_other = False
        for kind, text in span.findall(line):
            if not text.strip() or text != text.strip(): errs.append(f"{where} bad span text {text!r}")
            if kind.startswith("name"):
                if ":" not in kind or kind.split(":", 1)[1] not in SUBJ:
                    errs.append(f"{where} name without subject: {kind}"); continue
                subjects.add(kind.split(":")[1]); kinds[kind] += 1
                if re.match(r"(?i)(mr|mrs|ms|miss|dr|sister|nurse)\.? ", text): errs.append(f"{where} title inside span {text!r}")
                if text.endswith("'s"): errs.append(f"{where} possessive in span {text!r}")
                continue
            if kind not in KINDS: errs.append(f"{where} unknown kind {kind}"); continue
            kinds[kind] += 1; has_other = True
            digits = re.sub(r"\D", "", text)
            if kind in ("nhs", "chi", "hc") and not re.search(r"[a-z]", text):
                if len(digits) != 10 or not mod11(digits): errs.append(f"{where} bad check digit {kind} {text}")
                v = int(digits[:9]) if len(digits) == 10 else 0
                if kind == "nhs" and not (400000000 <= v <= 499999999 or 600000000 <= v <= 799999999): errs.append(f"{where} nhs out of range {text}")
                if kind == "hc" and not (320000000 <= v <= 399999999): errs.append(f"{where} hc out of range {text}")
                if kind == "chi":
                    try: datetime.datetime.strptime(digits[:6], "%d%m%y")
                    except ValueError: errs.append(f"{where} chi bad date {text}")
        if has_other or "patient" in subjects: pat_msgs += 1
        elif subjects == {"staff"}: staff_only += 1
        elif subjects: unknown_only += 1
        else: nothing += 1
    per_file[f.split('/')[-1]] = n
for e in errs: print("ERROR", e)
for k, v in per_file.items(): print(f"  {k:28s} {v}")
print(f"messages: {msgs}")
print(f"messages with patient identifiers: {pat_msgs} ({100*pat_msgs/max(msgs,1):.0f}%)")
print(f"messages whose only names are staff: {staff_only} ({100*staff_only/max(msgs,1):.0f}%)")
print(f"messages with only name:unknown: {unknown_only}")
print(f"messages with nothing: {nothing} ({100*nothing/max(msgs,1):.0f}%)")
print("spans per kind:")
for k, v in sorted(kinds.items()): print(f"  {k:14s} {v}")
print("errors:", len(errs))
