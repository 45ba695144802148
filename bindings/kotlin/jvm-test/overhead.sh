#!/usr/bin/env bash
# Measures the per-call cost of the generated Kotlin binding next to the C ABI from the
# JVM through JNA, in one process (README, "Bindings: per-call overhead"). Uses the
# kotlinc that scripts/ci.d/35-kotlin.sh installs into .tools/kotlin; run that first.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source scripts/lib/common.sh
kotlin_home="$CAREGUARD_TOOLS/kotlin/package"
jna=/usr/share/java/jna.jar
cargo build --release --locked -p careguard-uniffi -p careguard-ffi
lib_dir="${CARGO_TARGET_DIR:-$CAREGUARD_ROOT/target}/release"
work="$CAREGUARD_TOOLS/kotlin-overhead"
rm -rf "$work" && mkdir -p "$work"
"$kotlin_home/bin/kotlinc-jvm" -nowarn -cp "$jna" -d "$work/classes" \
  bindings/kotlin/src/main/kotlin/org/careguard/careguard.kt bindings/kotlin/jvm-test/Overhead.kt
java -cp "$work/classes:$jna:$kotlin_home/lib/kotlin-stdlib.jar" -Djna.library.path="$lib_dir" OverheadKt
