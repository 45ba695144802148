"""Differential test: careguard's NHS-number check against the PyPI `nhs-number`
package (`nhs_number.is_valid`), on 120,000 random 10-digit strings.

Half are uniformly random (about one in eleven passes the check digit); half are built
with a correct check digit, many in the CHI range (where `nhs-number` also requires a
real DDMMYY date). Both must agree on every one, and the scanner must find exactly the
valid ones when they appear in a sentence.
"""
import pathlib
import random
import subprocess

import nhs_number

ROOT = pathlib.Path(__file__).resolve().parents[3]
COUNT = 120_000


def numbers():
    rng = random.Random(11)
    out = []
    for i in range(COUNT):
        if i % 2 == 0:
            out.append(f"{rng.randrange(10**10):010d}")
            continue
        if i % 6 == 1:
            # CHI range: a date-like (or not) first six digits
            first = f"{rng.randint(0, 39):02d}{rng.randint(0, 13):02d}{rng.randint(0, 99):02d}{rng.randrange(1000):03d}"
        else:
            first = f"{rng.randrange(10**9):09d}"
        total = sum(int(d) * (10 - k) for k, d in enumerate(first))
        check = (11 - total % 11) % 11
        out.append(first + str(check % 10))
    return out


def test_is_valid_agrees_with_nhs_number_package():
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "-p", "careguard", "--example", "nhs_check"],
        cwd=ROOT,
        check=True,
    )
    nums = numbers()
    result = subprocess.run(
        [str(ROOT / "target" / "release" / "examples" / "nhs_check")],
        input="\n".join(nums) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == len(nums)
    disagreements = []
    valid_count = 0
    for n, line in zip(nums, lines):
        ours, found = line.split()
        theirs = nhs_number.is_valid(n)
        valid_count += theirs
        if (ours == "1") != theirs or (found == "1") != theirs:
            disagreements.append((n, ours, found, theirs))
    assert not disagreements, f"{len(disagreements)} disagreements, first: {disagreements[:5]}"
    # the sample must exercise both answers
    assert 10_000 < valid_count < COUNT - 10_000
