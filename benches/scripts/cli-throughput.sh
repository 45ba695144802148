#!/usr/bin/env bash
# End-to-end CLI throughput and peak memory on a generated Android WhatsApp export:
#   careguard scan EXPORT --format jsonl -j THREADS > /dev/null
# usage: benches/scripts/cli-throughput.sh [SIZE_MB=200] [THREADS=2] [FLAGGED=0.02]
# FLAGGED is the share of messages with identifiers (0.5: issue 14's dense export).
# Prints wall-clock MB/s, CPU seconds, MB per CPU-second and peak RSS, after checking
# that the jsonl output is byte-identical with 1 thread and with THREADS (so a fast
# wrong answer cannot pass) and that the run found something (exit status 1).
set -euo pipefail
cd "$(dirname "$0")/../.."
size_mb=${1:-200}
threads=${2:-2}
flagged=${3:-0.02}
data=target/bench-data/android-${size_mb}mb.txt
if [ "$flagged" != 0.02 ]; then data=target/bench-data/android-${size_mb}mb-flagged${flagged}.txt; fi
mkdir -p target/bench-data
if [ ! -s "$data" ]; then
  echo "generating $data ..."
  python3 benches/scripts/gen-android-export.py "$size_mb" "$flagged" > "$data"
fi
cargo build --release --locked -p careguard-cli
bin=target/release/careguard
bytes=$(stat -c %s "$data")
cat "$data" > /dev/null   # warm the page cache: measure the tool, not the disk

timing=$(mktemp)
trap 'rm -f "$timing"' EXIT
# rusage of the child: wall, user, sys, peak RSS (what /usr/bin/time -v reports).
python3 - "$timing" "$bin" scan "$data" --format jsonl -j "$threads" <<'PY'
import resource, subprocess, sys, time
out = sys.argv[1]
t = time.monotonic()
with open("/dev/null", "wb") as null:
    rc = subprocess.run(sys.argv[2:], stdout=null).returncode
wall = time.monotonic() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(out, "w").write(f"{wall} {ru.ru_utime} {ru.ru_stime} {ru.ru_maxrss} {rc}\n")
PY
read -r wall user sys peak_kb rc < "$timing"
if [ "$rc" != 1 ]; then echo "expected exit status 1 (findings), got $rc" >&2; exit 1; fi

sum_n=$("$bin" scan "$data" --format jsonl -j "$threads" | tee >(wc -l > "$timing.lines") | sha256sum || true)
sum_1=$("$bin" scan "$data" --format jsonl -j 1 | sha256sum || true)
if [ "$sum_n" != "$sum_1" ]; then echo "jsonl differs between -j $threads and -j 1" >&2; exit 1; fi
lines=$(cat "$timing.lines"); rm -f "$timing.lines"

python3 - "$bytes" "$wall" "$user" "$sys" "$peak_kb" "$threads" "$lines" <<'PY'
import sys
b, wall, user, sys_, kb = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
threads, lines = sys.argv[6], sys.argv[7]
mb = b / 1e6
cpu = user + sys_
print(f"careguard scan {mb:.0f} MB Android export --format jsonl -j {threads}: "
      f"{wall:.2f} s wall = {mb / wall:.0f} MB/s; {cpu:.2f} CPU-s = {mb / cpu:.0f} MB per CPU-second; "
      f"peak RSS {kb / 1024:.1f} MiB; {lines} jsonl lines (identical with -j 1)")
PY
