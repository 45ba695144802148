#!/usr/bin/env bash
# Builds the careguard-wasm npm package into wasm/pkg/: web/ and node/ (scanner, policy,
# envelopes, vault) and web-e2e/ and node-e2e/ (the same plus `careguard::identity`:
# device keys, cards, safety numbers, end-to-end envelopes; the crate's `identity`
# feature). Ed25519/X25519/HPKE would push the default package over its size budget,
# so apps that need end-to-end recipients load the -e2e flavour instead. The -e2e
# flavour also has the `full-patterns` feature (Trust patterns in the whole regex-lite
# syntax); the default one compiles them with core's own matcher, which takes a subset
# (docs/DETECT.md "Trust patterns") and saves about 10 KB gzipped.
#
#   bash scripts/build-wasm.sh            # install what is missing, build, optimise
#   bash scripts/build-wasm.sh --no-opt   # skip wasm-opt (faster while iterating)
#
# Toolchain, in order of preference:
#  1. rustup's wasm32-unknown-unknown target, when `rustup target list --installed`
#     lists it (`rustup target add wasm32-unknown-unknown` on a normal machine);
#  2. otherwise Debian's rustc-web (1.9x, with std sources) unpacked into
#     .tools/rustc-web, building std from source with -Zbuild-std and linking with
#     wasm-ld from lld-22 (see TOOLCHAINS notes in docs/wasm.md).
# wasm-bindgen-cli is installed into cargo's bin directory at exactly the version of
# the wasm-bindgen crate in Cargo.lock unless that version is already on PATH.
# wasm-opt comes from npm's binaryen (wasm/package.json, installed with `npm ci` into
# wasm/node_modules): Debian's binaryen 108 breaks wasm-bindgen's externref table.
# The build uses its own target dir (target-wasm/) so it never disturbs the host build.
# Never add the `insecure-test-params` feature here: every flavour built below is what
# apps ship, and wasm/tests/test_params.test.mjs checks they refuse weak Argon2 params.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

optimise=1
for arg in "$@"; do
  case "$arg" in
    --no-opt) optimise=0 ;;
    *) echo "build-wasm: unknown argument $arg" >&2; exit 2 ;;
  esac
done

TARGET=wasm32-unknown-unknown
TARGET_DIR="$CAREGUARD_ROOT/target-wasm"
PKG="$CAREGUARD_ROOT/wasm/pkg"
CRATE=careguard_wasm

log() { echo "build-wasm: $*"; }

apt_updated_once() {
  if [ ! -f "$CAREGUARD_TOOLS/.apt-updated" ]; then
    apt-get update -qq && touch "$CAREGUARD_TOOLS/.apt-updated"
  fi
}

# Debian's rustc-web, unpacked (not installed: it would clash with rustup's rustc).
install_rustc_web() {
  local prefix="$CAREGUARD_TOOLS/rustc-web"
  apt_install libllvm22 lld-22
  if [ -x "$prefix/usr/bin/rustc" ] && [ -d "$prefix/usr/lib/rustlib/src/rust/library" ]; then
    return 0
  fi
  log "fetching Debian rustc-web + rust-web-src into $prefix"
  apt_updated_once
  local version minor debs="$CAREGUARD_TOOLS/debs"
  version=$(apt-cache policy rustc-web | awk '/Candidate:/ {print $2}')
  minor=$(echo "$version" | cut -d. -f1,2)
  case "$minor" in
    1.[0-8][0-9]|"") echo "build-wasm: rustc-web candidate '$version' is too old (need the 1.9x security update)" >&2; exit 1 ;;
  esac
  rm -rf "$debs" "$prefix.partial"
  mkdir -p "$debs" "$prefix.partial"
  # apt-get download writes into the current directory.
  (cd "$debs" && apt-get download -q "rustc-web=$version" "libstd-rust-web-dev=$version" \
      "libstd-rust-web-$minor=$version" "rust-web-src=$version")
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$prefix.partial"; done
  rm -rf "$prefix" && mv "$prefix.partial" "$prefix"
  rm -rf "$debs"
}

install_wasm_bindgen() {
  local want have=""
  want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)
  if command -v wasm-bindgen >/dev/null; then
    have=$(wasm-bindgen --version | awk '{print $2}')
  fi
  if [ "$have" = "$want" ]; then
    return 0
  fi
  log "installing wasm-bindgen-cli $want (takes ~6 min on 2 cores, once per machine)"
  # No --locked: the locked tree asks for a webpki-roots the reachable registry lacks.
  cargo install --quiet --root "$CAREGUARD_CARGO_ROOT" wasm-bindgen-cli --version "=$want"
}

# wasm/node_modules from the committed package-lock.json (binaryen, typescript,
# playwright-core), reinstalled only when the lock file changes.
wasm_npm_ci() {
  local dir="$CAREGUARD_ROOT/wasm"
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.careguard-installed-lock" 2>/dev/null; then
    log "npm ci in wasm/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$dir/node_modules/.careguard-installed-lock"
  fi
}

# Size: the gzipped .wasm must stay under its budget (305 KB, checked by scripts/ci.d/40-wasm.sh).
# Fat LTO, one codegen unit, opt-level "s" and wasm-opt -Oz. Measured on the scanner
# (2,000-character draft, Node): opt-level 3 scans in 0.13 ms, "s" in 0.2-0.3 ms and
# is ~60 KB smaller gzipped, "z" is no smaller than "s" but 4x slower. Argon2 (vault
# unlock) costs about the same at 3 and "s". Override with CAREGUARD_WASM_OPT_LEVEL.
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CAREGUARD_WASM_OPT_LEVEL:-s}"
export CARGO_PROFILE_RELEASE_LTO=true
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_PROFILE_RELEASE_PANIC=abort
# WebAssembly SIMD: every browser and Node version we target has it (Chrome 91,
# Firefox 89, Safari 16.4, Node 16.4); Argon2 gets about 10% faster.
rustflags="-C target-feature=+simd128"

started=$SECONDS
# build_raw FEATURES: cargo build of careguard-wasm with FEATURES (may be empty).
build_raw() {
  local features=()
  [ -n "$1" ] && features=(--features "$1")
  if rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
    log "using rustup's $TARGET target"
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CAREGUARD_WASM_RUSTFLAGS:-$rustflags}" \
    cargo build --release --locked --target "$TARGET" --target-dir "$TARGET_DIR" -p careguard-wasm "${features[@]}"
  else
    install_rustc_web
    prefix="$CAREGUARD_TOOLS/rustc-web"
    # std is built from source here anyway, so also drop the panic machinery (a panic
    # is a trap either way with panic = abort; this removes the message formatting,
    # about 30 KB gzipped) and build std with its optimize_for_size feature (about
    # 9 KB gzipped). Both are unstable, hence only on this path.
    immediate_abort="-Zunstable-options -Cpanic=immediate-abort"
    log "using Debian rustc-web ($(LD_LIBRARY_PATH="$prefix/usr/lib/x86_64-linux-gnu" "$prefix/usr/bin/rustc" -V)) with -Zbuild-std"
    LD_LIBRARY_PATH="$prefix/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    PATH="/usr/lib/llvm-22/bin:$PATH" \
    RUSTC="$prefix/usr/bin/rustc" \
    RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CAREGUARD_WASM_RUSTFLAGS:-$rustflags $immediate_abort}" \
      cargo build --release --locked --target "$TARGET" --target-dir "$TARGET_DIR" \
        -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size -p careguard-wasm \
        "${features[@]}"
  fi
}

raw="$TARGET_DIR/$TARGET/release/$CRATE.wasm"
build_raw identity,full-patterns
cp "$raw" "$TARGET_DIR/${CRATE}-e2e.wasm"
build_raw ""
log "cargo build took $((SECONDS - started)) s"

install_wasm_bindgen
if [ "$optimise" = 1 ]; then
  wasm_npm_ci
fi

rm -rf "$PKG"
mkdir -p "$PKG"
# One .wasm per feature set: wasm-bindgen's web and nodejs targets emit the same module
# (checked below), so node/ and node-e2e/ load the one in web/ and web-e2e/ and the
# tarball carries two .wasm files instead of four (1.45 MB unpacked, about 674 KB packed, less).
for pair in web:node web-e2e:node-e2e; do
  web="$PKG/${pair%%:*}" node="$PKG/${pair##*:}"
  input=$raw
  case "$web" in *-e2e) input="$TARGET_DIR/${CRATE}-e2e.wasm" ;; esac
  wasm-bindgen --target web --out-dir "$web" --out-name "$CRATE" "$input"
  wasm-bindgen --target nodejs --out-dir "$node" --out-name "$CRATE" "$input"
  if ! cmp -s "$web/${CRATE}_bg.wasm" "$node/${CRATE}_bg.wasm"; then
    echo "build-wasm: wasm-bindgen's web and nodejs .wasm differ; node/ cannot share web/'s" >&2
    exit 1
  fi
  rm "$node/${CRATE}_bg.wasm" "$node/${CRATE}_bg.wasm.d.ts"
  wasm_from_node="\${__dirname}/../${web##*/}/${CRATE}_bg.wasm"
  sed -i "s|^const wasmPath = .*|const wasmPath = \`$wasm_from_node\`;|" "$node/${CRATE}.js"
  grep -qF "$wasm_from_node" "$node/${CRATE}.js" || { echo "build-wasm: could not point $node at the shared .wasm" >&2; exit 1; }
  if [ "$optimise" = 1 ]; then
    # Features rustc enables by default for wasm32 (and simd128, enabled above).
    # --converge repeats -Oz until nothing shrinks: about 1.2 KB gzipped for ~10 s.
    # Measured and not used (docs/wasm.md "Size"): -Os, -O3, --gufa, --closed-world,
    # --zero-filled-memory (within 1 KB either way); --traps-never-happen (would let
    # the optimiser drop the traps that stand in for panics).
    "$CAREGUARD_ROOT/wasm/node_modules/.bin/wasm-opt" -Oz --converge --strip-debug --strip-producers \
      --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
      --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
      --enable-simd \
      -o "$web/${CRATE}_bg.wasm" "$web/${CRATE}_bg.wasm"
  fi
done

# Hand-written parts of the package: package.json, entry points, the error class.
template="$CAREGUARD_ROOT/wasm/package-template"
cp "$template/package.json" "$template/README.md" LICENSE-MIT LICENSE-APACHE "$PKG/"
for web in web web-e2e; do
  cp "$template/errors.d.ts" "$template/errors.js" "$PKG/$web/"
  cp "$template/index.web.js" "$PKG/$web/index.js"
  sed -n 's/^export function \([A-Za-z0-9_]*\)(.*/\1/p' "$PKG/$web/${CRATE}.js" |
    while read -r fn; do
      echo "export const $fn = guardFunction('$fn', glue.$fn);"
    done >> "$PKG/$web/index.js"
  cp "$template/index.web.d.ts" "$PKG/$web/index.d.ts"
  echo '{ "type": "module" }' > "$PKG/$web/package.json"
done
for node in node node-e2e; do
  cp "$template/errors.d.ts" "$PKG/$node/"
  cp "$template/index.node.cjs" "$PKG/$node/index.js"
  cp "$template/index.node.d.ts" "$PKG/$node/index.d.ts"
  echo '{ "type": "commonjs" }' > "$PKG/$node/package.json"
  # The node flavour is CommonJS: the same class, exported the CommonJS way.
  sed -e 's/^export class CareguardError/class CareguardError/' \
      -e 's/^export const ERROR_CODES/const ERROR_CODES/' \
      -e 's/^export function /function /' "$template/errors.js" > "$PKG/$node/errors.js"
  echo 'module.exports = { CareguardError, ERROR_CODES, guardClass, guardFunction, isClass };' >> "$PKG/$node/errors.js"
  # Node's ES module entry: the CommonJS one re-exported by name (Node cannot see names
  # in a computed module.exports), so ESM and CJS callers share one instance.
  names=$(node -e 'console.log(Object.keys(require(process.argv[1])).join(", "))' "$PKG/$node/index.js")
  {
    echo "// Node ES module entry (generated by scripts/build-wasm.sh): the CommonJS entry's exports by name."
    echo "import api from './index.js';"
    echo ""
    echo "export const { $names } = api;"
    echo ""
    echo "/** Node instantiates the module on import: init() is there so that browser code runs unchanged. */"
    echo "export default async function init() {}"
  } > "$PKG/$node/index.mjs"
  { cat "$template/index.node.d.ts"
    echo "/** Resolves at once: the Node build is instantiated on import (the browser build's init fetches the .wasm). */"
    echo "export default function init(options?: unknown): Promise<void>;"
  } > "$PKG/$node/index.d.mts"
done

# The example extension loads the web flavour from its own pkg/ directory.
ext_pkg="$CAREGUARD_ROOT/wasm/examples/browser-extension/pkg"
rm -rf "$ext_pkg" && cp -r "$PKG/web" "$ext_pkg"

for dir in web web-e2e; do
  wasm="$PKG/$dir/${CRATE}_bg.wasm"
  log "$dir: $(stat -c %s "$wasm") bytes raw, $(gzip -9 -c "$wasm" | wc -c) bytes gzipped"
done
log "done in $((SECONDS - started)) s"
