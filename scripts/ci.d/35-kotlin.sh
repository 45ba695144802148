#!/usr/bin/env bash
# The generated Kotlin binding (bindings/kotlin, from the uniffi interface in
# bindings/uniffi) on the JVM through JNA, the path an Android app takes: the Rust tests
# of the interface, a check that the committed Kotlin and Swift are what uniffi-bindgen
# generates, then the Kotlin client compiled with kotlinc and run against the release
# cdylib. Swift cannot be compiled on these machines; what is checked of the generated
# Swift module is its C side: CareGuardFFI.h as C and as a Clang module through its
# module map (how Swift imports it).
#
# kotlinc comes from the npm package kotlin-compiler (JetBrains' full command-line
# compiler), unpacked into .tools/kotlin with `npm pack` (no global install); JNA and the
# JDK from Debian. The first run downloads about 90 MB; compiling takes a few minutes on
# 2 cores, so the compiled generated binding is cached in .tools keyed by its hash.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh

KOTLIN_VERSION=2.4.20
step() { echo "35-kotlin: $*"; }

step "installing JNA and a JDK (if missing)"
apt_install libjna-java openjdk-17-jdk-headless clang-14

kotlin_home="$CAREGUARD_TOOLS/kotlin/package"
if [ "$(cat "$CAREGUARD_TOOLS/kotlin/.version" 2>/dev/null)" != "$KOTLIN_VERSION" ]; then
  step "installing kotlin-compiler $KOTLIN_VERSION from npm into $CAREGUARD_TOOLS/kotlin"
  rm -rf "$CAREGUARD_TOOLS/kotlin" && mkdir -p "$CAREGUARD_TOOLS/kotlin"
  (cd "$CAREGUARD_TOOLS/kotlin" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null &&
    tar xzf "kotlin-compiler-$KOTLIN_VERSION.tgz" && rm "kotlin-compiler-$KOTLIN_VERSION.tgz")
  echo "$KOTLIN_VERSION" >"$CAREGUARD_TOOLS/kotlin/.version"
fi
kotlinc="$kotlin_home/bin/kotlinc-jvm"
stdlib="$kotlin_home/lib/kotlin-stdlib.jar"
jna=/usr/share/java/jna.jar

step "Rust tests of the uniffi interface (codes and names match the C ABI)"
cargo test --release --locked -p careguard-uniffi --features bindgen

step "the committed Kotlin and Swift are what uniffi-bindgen generates"
bindings/uniffi/generate.sh --check

step "the Swift module's C header as C and as the Clang module CareGuardFFI"
swift_work="$CAREGUARD_TOOLS/swift-header-ci"
rm -rf "$swift_work" && mkdir -p "$swift_work"
printf '#include "CareGuardFFI.h"\nint main(void) { return 0; }\n' >"$swift_work/h.c"
clang-14 -fsyntax-only -std=c11 -Wall -Wextra -Werror -Ibindings/swift/Headers "$swift_work/h.c"
printf '@import CareGuardFFI;\nint main(void) { return 0; }\n' >"$swift_work/m.m"
clang-14 -fsyntax-only -fmodules -fmodules-cache-path="$swift_work/modules" -Werror -Ibindings/swift/Headers \
  "$swift_work/m.m"

lib_dir="${CARGO_TARGET_DIR:-$CAREGUARD_ROOT/target}/release"
generated=bindings/kotlin/src/main/kotlin/org/careguard/careguard.kt
work="$CAREGUARD_TOOLS/kotlin-ci"
binding_classes="$work/binding-$(sha256sum "$generated" | cut -c1-16)"
if [ ! -d "$binding_classes" ]; then
  step "compiling the generated binding with kotlinc $KOTLIN_VERSION"
  rm -rf "$work" && mkdir -p "$work"
  "$kotlinc" -nowarn -cp "$jna" -d "$binding_classes.tmp" "$generated"
  mv "$binding_classes.tmp" "$binding_classes"
fi

step "compiling the JVM client"
rm -rf "$work/test"
"$kotlinc" -Werror -cp "$jna:$binding_classes" -d "$work/test" bindings/kotlin/jvm-test/CareGuardTest.kt

step "running it against $lib_dir/libcareguard_uniffi.so"
java -cp "$work/test:$binding_classes:$jna:$stdlib" -Djna.library.path="$lib_dir" CareGuardTestKt
