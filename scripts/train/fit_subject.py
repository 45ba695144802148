#!/usr/bin/env python3
"""Fits careguard's subject model (issue 19) and writes core/src/detect/subject_weights.rs.

    python3 scripts/train/fit_subject.py            # from the repository root

Needs only Python 3 (no packages) and cargo. It
1. reads the feature names from the `features!` list in core/src/detect/subject.rs and,
   if the committed table names other features, writes a zero table so the crate builds;
2. runs `cargo run --release -p careguard --example evaluate -- tune --subject-features`,
   which prints one line per found name of the training corpus's tune split whose gold
   subject is patient or staff: label (1 staff, 0 patient), message number, features;
3. fits an L2-regularised logistic regression by Newton's method (deterministic);
4. picks the two decision thresholds from 5-fold out-of-fold scores on tune (folds by
   message): `staff` at the score that maximises staff names called staff minus
   PATIENT_AS_STAFF_COST times patients' names called staff; `patient` below the score
   under which MAX_STAFF_AS_PATIENT of staff names fall; between them `unknown`;
5. writes the table. The dev split (every fifth message) is never read here.
"""
import math
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUBJECT_RS = os.path.join(ROOT, "core", "src", "detect", "subject.rs")
TABLE_RS = os.path.join(ROOT, "core", "src", "detect", "subject_weights.rs")
L2 = float(os.environ.get("FIT_L2", "0.3"))
FOLDS = 5
# calling a patient's name staff lets it through the policy: it costs as much as
# this many staff names left unknown
PATIENT_AS_STAFF_COST = float(os.environ.get("FIT_COST", "10"))
MAX_STAFF_AS_PATIENT = 0.10
COMMAND = "python3 scripts/train/fit_subject.py"


def feature_names():
    src = open(SUBJECT_RS, encoding="utf-8").read()
    block = src[src.index("features! {"):]
    block = block[: block.index("\n}\n")]
    return re.findall(r'^\s+\w+ = "(\w+)",$', block, re.M)


def write_table(names, bias, weights, staff_above, patient_below, stats):
    lines = [
        "//! The subject model's weights: GENERATED, do not edit. Regenerate with",
        f"//! `{COMMAND}` (scripts/train/fit_subject.py).",
        "//!",
        "//! Logistic regression over the features of `subject.rs` (log odds that a name is",
        "//! staff rather than a patient's), fitted on the tune split of",
        f"//! core/tests/corpus/train/ ({stats}).",
        "",
        "/// Log odds of a name with no feature.",
        f"pub(super) const BIAS: f32 = {bias:.4};",
        "",
        "/// The features the weights are for, in the order of `Feature::ALL` (checked when",
        "/// the crate compiles, so never in the binary).",
        "pub(super) const NAMES: [&str; " + str(len(names)) + "] = [",
    ]
    lines += [f'    "{n}",' for n in names]
    lines += [
        "];",
        "",
        "/// The weight of each feature, in the order of `NAMES`.",
        "pub(super) const WEIGHTS: [f32; " + str(len(names)) + "] = [",
    ]
    lines += [f"    {w:.4f}," for w in weights]
    lines += [
        "];",
        "",
        "/// A score at or above this is `staff`.",
        f"pub(super) const STAFF_ABOVE: f32 = {staff_above:.4};",
        "",
        "/// A score at or below this is `patient`; between the two, `unknown`.",
        f"pub(super) const PATIENT_BELOW: f32 = {patient_below:.4};",
        "",
    ]
    with open(TABLE_RS, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def table_names():
    try:
        src = open(TABLE_RS, encoding="utf-8").read()
    except OSError:
        return None
    if "const NAMES" not in src:
        return None
    block = src[src.index("const NAMES"):]
    block = block[: block.index("];")]
    return re.findall(r'^\s+"(\w+)",$', block, re.M)


def export(names):
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "-p", "careguard", "--example",
         "evaluate", "--", "tune", "--subject-features"],
        cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
    ).stdout
    index = {n: i for i, n in enumerate(names)}
    rows = []
    for line in out.splitlines():
        if not line.startswith("FEATURES\t"):
            continue
        _, label, msg, feats = (line.split("\t") + [""])[:4]
        x = [index[f] for f in feats.split(",") if f]
        rows.append((int(label), int(msg), x))
    return rows


def solve(a, b):
    """Solves a x = b (a symmetric positive definite) by Gaussian elimination."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            k = m[r][c] / m[c][c]
            if k:
                for j in range(c, n + 1):
                    m[r][j] -= k * m[c][j]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][j] * x[j] for j in range(r + 1, n))) / m[r][r]
    return x


def fit(rows, d):
    """L2-regularised logistic regression (bias unpenalised), Newton's method."""
    w = [0.0] * (d + 1)  # w[d] is the bias
    for _ in range(50):
        grad = [0.0] * (d + 1)
        hess = [[0.0] * (d + 1) for _ in range(d + 1)]
        for y, _, x in rows:
            z = w[d] + sum(w[j] for j in x)
            p = 1.0 / (1.0 + math.exp(-z))
            g, h = p - y, p * (1.0 - p)
            idx = x + [d]
            for j in idx:
                grad[j] += g
                hj = hess[j]
                for k in idx:
                    hj[k] += h
        for j in range(d):
            grad[j] += L2 * w[j]
            hess[j][j] += L2
        hess[d][d] += 1e-9
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return w[d], w[:d]


def score(bias, weights, x):
    return bias + sum(weights[j] for j in x)


def thresholds(scored):
    patients = sorted(s for y, s in scored if y == 0)
    staff = sorted(s for y, s in scored if y == 1)
    # staff: the threshold that gains most staff names right for patients' names
    # called staff, each of those costing PATIENT_AS_STAFF_COST staff names
    best = None
    for t in sorted({s + 1e-3 for _, s in scored}):
        gain = sum(1 for s in staff if s >= t) - PATIENT_AS_STAFF_COST * sum(
            1 for s in patients if s >= t
        )
        if best is None or gain > best[0]:
            best = (gain, t)
    staff_above = best[1]
    # patient: below all but MAX_STAFF_AS_PATIENT of staff scores, never above staff's
    k = int(MAX_STAFF_AS_PATIENT * len(staff))
    patient_below = min(staff[k] - 1e-3, staff_above - 1e-3)
    return staff_above, patient_below


def main():
    names = feature_names()
    if table_names() != names:
        write_table(names, 0.0, [0.0] * len(names), 1.0, -1.0, "placeholder")
    rows = export(names)
    d = len(names)
    # out-of-fold scores for the thresholds, folds by message
    oof = []
    for k in range(FOLDS):
        train = [r for r in rows if r[1] % FOLDS != k]
        bias, weights = fit(train, d)
        oof += [(y, score(bias, weights, x)) for y, m, x in rows if m % FOLDS == k]
    staff_above, patient_below = thresholds(oof)
    bias, weights = fit(rows, d)
    n_staff = sum(y for y, _, _ in rows)
    stats = f"{len(rows)} names, {n_staff} staff; L2 {L2}; thresholds from {FOLDS}-fold out-of-fold scores"
    write_table(names, bias, weights, staff_above, patient_below, stats)
    for (n, wt) in sorted(zip(names, weights), key=lambda t: -abs(t[1])):
        print(f"{wt:+8.3f}  {n}")
    print(f"bias {bias:+.3f}; staff >= {staff_above:.3f}, patient <= {patient_below:.3f}")
    tp = sum(1 for y, s in oof if y == 1 and s >= staff_above)
    fp = sum(1 for y, s in oof if y == 0 and s >= staff_above)
    pp = sum(1 for y, s in oof if y == 0 and s <= patient_below)
    print(f"out-of-fold on tune: staff->staff {tp}/{n_staff}, patient->staff {fp}/{len(rows) - n_staff}, "
          f"patient->patient {pp}/{len(rows) - n_staff}")


if __name__ == "__main__":
    sys.exit(main())
