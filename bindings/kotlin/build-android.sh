#!/usr/bin/env bash
# Cross-builds libcareguard_uniffi.so for Android into src/main/jniLibs/<abi>/ with
# cargo-ndk, then (if gradle is on PATH) assembles the AAR.
#
# Needs: rustup targets aarch64-linux-android, armv7-linux-androideabi,
# x86_64-linux-android; `cargo install cargo-ndk`; ANDROID_NDK_HOME (r26 or later);
# for the AAR, the Android SDK (ANDROID_HOME) and Gradle. None of these exist on the
# project's CI machines, so this script is not run there (docs/INTEGRATION-android.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."

: "${ANDROID_NDK_HOME:?set ANDROID_NDK_HOME to an Android NDK (r26 or later)}"
rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
command -v cargo-ndk >/dev/null || cargo install cargo-ndk

# The bindings must match the library they call: regenerate from this source first.
bindings/uniffi/generate.sh

# API 24 is the AAR's minSdk. 16 KB pages (required for new apps on Android 15+).
RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,-z,max-page-size=16384" \
  cargo ndk --platform 24 -t arm64-v8a -t armeabi-v7a -t x86_64 \
  -o "$here/src/main/jniLibs" build --release --locked -p careguard-uniffi

if command -v gradle >/dev/null; then
  (cd "$here" && gradle --no-daemon assembleRelease)
  echo "AAR: $here/build/outputs/aar/"
else
  echo "native libraries in $here/src/main/jniLibs; run 'gradle assembleRelease' in $here for the AAR"
fi
