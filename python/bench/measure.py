"""Measures the Python binding against the C ABI and the CLI, in one run.

1. Per-call overhead: the same short scan through careguard's PyO3 binding and through
   the C ABI's ctypes client (ffi/tests/python/careguard_ctypes.py), interleaved.
2. Throughput: ``Scanner.scan_many`` (parallel, no GIL), a plain ``scan`` loop and
   ``Scanner.scan_columns`` over a generated chat archive, against
   ``careguard scan --format jsonl`` on the same text as a file.

Run after scripts/ci.d/25-python-package.sh (which builds the wheel, the C library and
the CLI):

    CAREGUARD_FFI_LIB=target/release/libcareguard_ffi.so CAREGUARD_CLI=target/release/careguard \\
      .tools/python-pkg/venv/bin/python python/bench/measure.py [MEGABYTES]
"""

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "ffi/tests/python"))
sys.path.insert(0, str(ROOT / "python/tests"))

import careguard  # noqa: E402
import careguard_ctypes  # noqa: E402
from test_spark import message  # noqa: E402  (the archive generator the Spark test uses)


def per_call_ns(fns, arg, calls=20_000, rounds=7):
    """Median ns per call of each function; rounds alternate between the functions so
    that load from other processes falls on both alike."""
    samples = [[] for _ in fns]
    for _ in range(rounds):
        for fn, out in zip(fns, samples):
            started = time.perf_counter_ns()
            for _ in range(calls):
                fn(arg)
            out.append((time.perf_counter_ns() - started) / calls)
    return [statistics.median(s) for s in samples]


def main():
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 8.0
    py = careguard.Scanner()
    c = careguard_ctypes.Scanner()
    print(f"careguard {careguard.__version__}, {os.cpu_count()} cores")
    print("\n| call (median of 7 x 20,000) | PyO3 binding | C ABI via ctypes |")
    print("|---|---|---|")
    for label, text in [("scan, 13 bytes, no finding", "bed 4 obs due"),
                        ("scan, 30 bytes, 2 findings", "pt John Smith NHS 943 476 5919"),
                        ("minimise, 30 bytes", "pt John Smith NHS 943 476 5919")]:
        if label.startswith("minimise"):
            p, q = per_call_ns([py.minimise, c.minimise], text)
        else:
            p, q = per_call_ns([py.scan, c.scan], text)
        print(f"| {label} | {p / 1000:.2f} µs | {q / 1000:.2f} µs |")

    rng = random.Random(15)
    lines, size = [], 0
    while size < megabytes * 1_000_000:
        line = message(rng)
        lines.append(line)
        size += len(line.encode()) + 1
    mb = size / 1_000_000
    print(f"\nthroughput over {len(lines):,} generated chat lines, {mb:.1f} MB:\n")
    print("| what | time | MB/s |")
    print("|---|---|---|")

    def timed(label, fn, repeat=3):
        best = min(_time(fn) for _ in range(repeat))
        print(f"| {label} | {best:.2f} s | {mb / best:.1f} |")

    timed("`Scanner.scan_many(lines)` (rayon, GIL released)", lambda: py.scan_many(lines))
    timed("`Scanner.scan_columns(lines)` (what careguard.pandas uses)", lambda: py.scan_columns(lines))
    timed("`[scanner.scan(l) for l in lines]` (one thread)", lambda: [py.scan(line) for line in lines])
    step = len(lines) // 8 + 1
    chunks = ["\n".join(lines[i:i + step]) for i in range(0, len(lines), step)]
    timed("`Scanner.scan_many(chunks)`: the same text as 8 chunks of ~1 MB",
          lambda: py.scan_many(chunks))
    timed("`[scanner.scan(c) for c in chunks]` (one thread)", lambda: [py.scan(c) for c in chunks])
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive.txt"
        archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cli = os.environ["CAREGUARD_CLI"]
        timed("`careguard scan --format jsonl FILE` (CLI, whole process)",
              lambda: subprocess.run([cli, "scan", "--format", "jsonl", str(archive)],
                                     stdout=subprocess.DEVNULL, check=False))


def _time(fn):
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
