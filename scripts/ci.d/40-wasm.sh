#!/usr/bin/env bash
# WASM: builds wasm/pkg (installing the wasm32 toolchain, wasm-bindgen-cli and the npm
# tools into .tools/ and wasm/node_modules on first run), checks the size budget, runs
# the node tests of the JS API, type-checks the TypeScript types, and runs the browser
# extension in headless Chromium (Debian's, driven by playwright-core).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh

BUDGET_GZIP_BYTES=$((300 * 1000))

step() { echo "40-wasm: $*"; }

step "build (scripts/build-wasm.sh)"
bash scripts/build-wasm.sh

for flavour in web node; do
  wasm="wasm/pkg/$flavour/careguard_wasm_bg.wasm"
  gz=$(gzip -9 -c "$wasm" | wc -c)
  step "$wasm: $(stat -c %s "$wasm") bytes raw, $gz bytes gzipped (budget $BUDGET_GZIP_BYTES)"
  if [ "$gz" -gt "$BUDGET_GZIP_BYTES" ]; then
    echo "40-wasm: $wasm is over the gzipped size budget" >&2
    exit 1
  fi
done

step "node tests (wasm/tests)"
js_sealed="$CAREGUARD_ROOT/target-wasm/js-sealed-envelopes.json"
rm -f "$js_sealed"
CAREGUARD_JS_SEALED_OUT="$js_sealed" node --test wasm/tests/

step "envelopes sealed in JS open in native Rust"
cargo run --quiet --release --locked -p careguard-wasm --example open_envelopes -- "$js_sealed"

step "TypeScript types (tsc --noEmit against wasm/pkg)"
wasm/node_modules/.bin/tsc -p wasm/tests/tsconfig.json

step "browser extension in headless Chromium"
apt_install chromium
node --test wasm/examples/browser-extension/test/
