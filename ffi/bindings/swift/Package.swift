// swift-tools-version:5.9
// careguard for iOS: the CareGuardFFI binary target (libcareguard_ffi.a + careguard.h +
// module.modulemap, built by docs/INTEGRATION-ios.md) and the CareGuard Swift wrapper.
// NOT compiled by this project's CI: Swift is not available on its machines.
import PackageDescription

let package = Package(
    name: "CareGuard",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "CareGuard", targets: ["CareGuard"]),
    ],
    targets: [
        .binaryTarget(name: "CareGuardFFI", path: "CareGuardFFI.xcframework"),
        .target(name: "CareGuard", dependencies: ["CareGuardFFI"]),
    ]
)
