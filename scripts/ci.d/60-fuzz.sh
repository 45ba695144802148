#!/usr/bin/env bash
# Fuzzing: runs every cargo-fuzz target in fuzz/ (whatever `cargo +nightly fuzz list`
# shows) for a short bounded time, FUZZ_SECONDS each (default 20), starting from the
# committed seeds in fuzz/seeds/<target>/. Installs cargo-fuzz (into cargo's own bin
# directory) if it is missing; needs the nightly toolchain. A crash fails the step: add
# the input from fuzz/artifacts/<target>/ as a regression test (and to
# fuzz/seeds/<target>/).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh

seconds="${FUZZ_SECONDS:-20}"
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz (a few minutes, once per machine)"
  cargo install --locked --root "$CAREGUARD_CARGO_ROOT" cargo-fuzz
fi

cd fuzz
targets=$(cargo +nightly fuzz list)
echo "fuzz targets: $(echo $targets)"
mkdir -p artifacts
for target in $targets; do
  mkdir -p "corpus/$target"
  seeds=()
  if [ -d "seeds/$target" ]; then seeds=("seeds/$target"); fi
  log="artifacts/$target.log"
  echo "fuzzing $target for ${seconds} s (${#seeds[@]} seed dir; log in fuzz/$log)"
  if ! cargo +nightly fuzz run "$target" "corpus/$target" "${seeds[@]}" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target failed: see fuzz/artifacts/$target/ for the input" >&2
    exit 1
  fi
  grep -E '^(Done|stat::number_of_executed_units)' "$log" || tail -n 3 "$log"
done
