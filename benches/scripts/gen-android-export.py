#!/usr/bin/env python3
"""Writes a synthetic Android WhatsApp export of about SIZE_MB megabytes to stdout.

Deterministic (fixed seed). Ward-group chatter, about 1 message in 50 carries an
identifier (NHS number, name, postcode, phone, date of birth), or the fraction
FLAGGED of them (0.5 for issue 14's dense export); some messages span lines; media
placeholders and system lines are mixed in. All content is invented.

usage: gen-android-export.py SIZE_MB [FLAGGED=0.02] > export.txt
"""
import random
import sys

size = int(float(sys.argv[1]) * 1_000_000) if len(sys.argv) > 1 else 200_000_000
flagged_share = float(sys.argv[2]) if len(sys.argv) > 2 else 0.02
rng = random.Random(20240105)
senders = ["Sister Jones", "Dave Okafor", "Priya (F2)", "\u202a+44\u00a07700\u00a0900123\u202c",
           "Ward Clerk", "Dr Mensah", "~\u202fSam"]
plain = [
    "Morning all, handover at 8 in the office",
    "Can someone cover bay 3 for breaks?",
    "Pharmacy have the TTOs ready",
    "Bloods back, all within range",
    "Porter booked for 10:30 to x-ray",
    "Thanks!",
    "Fluids running, obs stable, NEWS 1",
    "Will do",
    "Bed 12 for discharge this afternoon, transport booked",
    "Anyone seen the bladder scanner?",
    "Doctors round starting now",
    "ok",
]
flagged = [
    "Bed 4 John Smith NHS 943 476 5919 for discharge",
    "Mrs Patel in side room 2, DOB 12/03/1954",
    "Daughter's number is 07700 900456 if needed",
    "Moving to LS1 3EX care home tomorrow",
    "SMITH, John and JONES, Mary both need reviewing",
]
out = sys.stdout
written = 0
day, minute = 1, 0
buf = []
while written < size:
    minute += rng.randint(0, 3)
    if minute >= 24 * 60:
        minute -= 24 * 60
        day = day % 28 + 1
    header = f"{day:02d}/03/2024, {minute // 60:02d}:{minute % 60:02d} - "
    r = rng.random()
    if r < 0.01:
        line = header + "Sister Jones added Dave Okafor"
    elif r < 0.04:
        line = header + rng.choice(senders) + ": <Media omitted>"
    elif r < 0.04 + flagged_share:
        line = header + rng.choice(senders) + ": " + rng.choice(flagged)
    elif r < 0.08 + flagged_share:
        line = header + rng.choice(senders) + ": " + rng.choice(plain) + "\n" + rng.choice(plain) + "\n\n" + rng.choice(plain)
    else:
        line = header + rng.choice(senders) + ": " + rng.choice(plain)
    line += "\n"
    buf.append(line)
    written += len(line.encode("utf-8"))
    if len(buf) >= 10000:
        out.write("".join(buf))
        buf.clear()
out.write("".join(buf))
