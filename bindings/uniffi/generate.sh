#!/usr/bin/env bash
# Regenerates the Kotlin and Swift bindings from the careguard-uniffi library, with the
# uniffi-bindgen built from the same crate (so generator and scaffolding match).
#   bindings/kotlin/src/main/kotlin/org/careguard/careguard.kt
#   bindings/swift/Sources/CareGuard/CareGuard.swift
#   bindings/swift/Headers/{CareGuardFFI.h,module.modulemap}
# With --check, generates into a temporary directory and fails if the committed files
# differ (CI runs this so nobody edits generated code by hand).
set -euo pipefail
cd "$(dirname "$0")/../.."

target="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --locked -p careguard-uniffi --features bindgen
lib="$target/release/libcareguard_uniffi.so"
bindgen="$target/release/uniffi-bindgen"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# --no-format: ktlint and swift-format are not on these machines; the output is what
# uniffi writes, untouched.
"$bindgen" generate --no-format --library "$lib" --language kotlin --out-dir "$out/kotlin" >/dev/null
"$bindgen" generate --no-format --library "$lib" --language swift --out-dir "$out/swift" >/dev/null

declare -A files=(
  ["$out/kotlin/org/careguard/careguard.kt"]=bindings/kotlin/src/main/kotlin/org/careguard/careguard.kt
  ["$out/swift/CareGuard.swift"]=bindings/swift/Sources/CareGuard/CareGuard.swift
  ["$out/swift/CareGuardFFI.h"]=bindings/swift/Headers/CareGuardFFI.h
  ["$out/swift/CareGuardFFI.modulemap"]=bindings/swift/Headers/module.modulemap
)
status=0
for src in "${!files[@]}"; do
  dst=${files[$src]}
  if [ "${1:-}" = --check ]; then
    if ! cmp -s "$src" "$dst"; then
      echo "$dst is stale: run bindings/uniffi/generate.sh" >&2
      status=1
    fi
  else
    mkdir -p "$(dirname "$dst")"
    cp "$src" "$dst"
  fi
done
exit $status
