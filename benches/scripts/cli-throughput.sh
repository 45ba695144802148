#!/usr/bin/env bash
# End-to-end CLI throughput and peak memory on a generated Android WhatsApp export:
#   careguard scan EXPORT --format jsonl > /dev/null
# usage: benches/scripts/cli-throughput.sh [SIZE_MB=200] [THREADS=2]
# Prints MB/s (wall clock) and peak RSS (from /usr/bin/time -v, or getrusage via
# Python when GNU time is missing), and checks the findings count against a second
# single-threaded run so a fast wrong answer cannot pass.
set -euo pipefail
cd "$(dirname "$0")/../.."
size_mb=${1:-200}
threads=${2:-2}
data=target/bench-data/android-${size_mb}mb.txt
mkdir -p target/bench-data
if [ ! -s "$data" ]; then
  echo "generating $data ..."
  python3 benches/scripts/gen-android-export.py "$size_mb" > "$data"
fi
cargo build --release --locked -p careguard-cli
bin=target/release/careguard
bytes=$(stat -c %s "$data")
cat "$data" > /dev/null   # warm the page cache: measure the scanner, not the disk

run() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
with open("/dev/null", "wb") as null:
    rc = subprocess.run(sys.argv[1:], stdout=null).returncode
wall = time.monotonic() - t
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{wall:.3f} {peak_kb} {rc}")
PY
}

read -r wall peak_kb rc < <(run "$bin" scan "$data" --format jsonl -j "$threads")
if [ "$rc" != 1 ]; then echo "expected exit 1 (findings), got $rc" >&2; exit 1; fi
lines=$("$bin" scan "$data" --format jsonl -j "$threads" | wc -l || true)
lines1=$("$bin" scan "$data" --format jsonl -j 1 | wc -l || true)
if [ "$lines" != "$lines1" ]; then echo "findings differ: $lines with $threads threads, $lines1 with 1" >&2; exit 1; fi
python3 - "$bytes" "$wall" "$peak_kb" "$threads" "$lines" <<'PY'
import sys
b, wall, kb, threads, lines = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
print(f"input {b/1e6:.1f} MB, {threads} threads: {wall:.2f} s, {b/1e6/wall:.1f} MB/s, peak RSS {kb/1024:.1f} MiB, {lines} jsonl lines")
PY
