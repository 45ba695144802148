#!/usr/bin/env bash
# Runs every careguard test, installing whatever the tests need (Python packages,
# the WASM toolchain, Chromium, JNA, cargo-fuzz). `.ci/run` calls exactly this.
#
# Each step is a script in scripts/ci.d/, run in name order; a step that fails stops
# the run. Run one step alone with `bash scripts/ci.d/NAME.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
for step in scripts/ci.d/*.sh; do
  echo "==> ${step}"
  step_started=$SECONDS
  bash "$step"
  echo "<== ${step} passed in $((SECONDS - step_started)) s"
done
echo "all test steps passed in $((SECONDS - started)) s"
