// swift-tools-version: 6.1
// The libFuzzer targets of Prunebook (docs/fuzzing.md). A separate package that depends on
// the root one by path, so `swift build` at the root never builds them; `make fuzz` builds
// this one with `-sanitize=fuzzer,address` in its own scratch path (it links only so).
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which depends on where the repository
// was cloned (`prunebook`, `wt-fuzz`, ...): read it rather than spell it.
let rootIdentity = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "PrunebookFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .systemLibrary(name: "CLibFuzzer"),
        .executableTarget(
            name: "prunebook-fuzz",
            dependencies: [
                "CLibFuzzer",
                .product(name: "PrunebookLanguage", package: rootIdentity),
                .product(name: "PrunebookBuiltins", package: rootIdentity),
                .product(name: "PrunebookNotebook", package: rootIdentity),
                .product(name: "Models", package: rootIdentity),
            ]
        ),
    ]
)
