#!/usr/bin/env bash
# Builds CareGuardFFI.xcframework (next to Package.swift) from the careguard-uniffi
# static library for iOS devices, the iOS simulator (arm64 + x86_64) and macOS
# (arm64 + x86_64), with the generated C header and module map in Headers/.
#
# Needs a Mac with Xcode (xcodebuild, lipo) and rustup. The project's CI machines have
# neither, so this script has never been run there (docs/INTEGRATION-ios.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"

# The Swift module must match the library it calls: regenerate from this source first.
bindings/uniffi/generate.sh

export IPHONEOS_DEPLOYMENT_TARGET=15.0 MACOSX_DEPLOYMENT_TARGET=12.0
for t in "${targets[@]}"; do
  cargo build --release --locked -p careguard-uniffi --target "$t"
done

lib=libcareguard_uniffi.a
out=target/xcframework
rm -rf "$out" && mkdir -p "$out/ios-sim" "$out/macos"
lipo -create "target/aarch64-apple-ios-sim/release/$lib" "target/x86_64-apple-ios/release/$lib" \
  -output "$out/ios-sim/$lib"
lipo -create "target/aarch64-apple-darwin/release/$lib" "target/x86_64-apple-darwin/release/$lib" \
  -output "$out/macos/$lib"

rm -rf "$here/CareGuardFFI.xcframework"
# -headers copies CareGuardFFI.h and module.modulemap (module CareGuardFFI) into each
# slice, which is what `import CareGuardFFI` in the generated Swift needs.
xcodebuild -create-xcframework \
  -library "target/aarch64-apple-ios/release/$lib" -headers bindings/swift/Headers \
  -library "$out/ios-sim/$lib" -headers bindings/swift/Headers \
  -library "$out/macos/$lib" -headers bindings/swift/Headers \
  -output "$here/CareGuardFFI.xcframework"
echo "built $here/CareGuardFFI.xcframework"
