// swift-tools-version: 6.1
// Prunebook: a literate scripting environment for exploring neural-network pruning.
// Module graph and import rules: see docs/architecture.md (from ../shared/ARCHITECTURE.md).
import PackageDescription

// The forward-pass kernels (Sources/Models) are vectorised loops: in release builds on x86-64
// they target Haswell-class CPUs (AVX2 + FMA, 2013 and later), measured 1.3–1.6× faster on
// the bench's LLaMA rows than the SSE2 baseline. Debug builds and other architectures keep
// the default target.
// Debug builds optimise this one target too: the test suite runs the real model over the
// whole validation file, which unoptimised SIMD code makes several times slower.
#if arch(x86_64)
let modelKernelSettings: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release)),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]
#else
let modelKernelSettings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
#endif

let package = Package(
    name: "Prunebook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "prunebook", targets: ["prunebook"]),
        // Libraries for the fuzzing package in Fuzz/ (docs/fuzzing.md), which depends on
        // this one by path so the normal build never compiles the fuzz targets.
        .library(name: "PrunebookLanguage", targets: ["PrunebookLanguage"]),
        .library(name: "PrunebookBuiltins", targets: ["PrunebookBuiltins"]),
        .library(name: "PrunebookNotebook", targets: ["PrunebookNotebook"]),
        .library(name: "Models", targets: ["Models"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas"),
        .systemLibrary(name: "CReadline"),
        .target(
            name: "TensorModule",
            dependencies: [
                "COpenBLAS",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        .target(name: "TerminalPlots"),
        // The n:m GEMV for x86-64 with AVX2 + FMA + F16C, in C because it needs variable
        // in-register permutes (vpermilps / vpermps) that Swift's SIMD types do not offer;
        // its functions carry their own target attribute and Sparse calls them only after a
        // run-time CPU check. Optimised in debug builds too (the tests run it at full size).
        // DWARF 4 debug info: valgrind 3.19 (Debian 12) gives up on the whole binary when one
        // object carries clang's default DWARF 5, and callgrind is how kernels get profiled.
        .target(name: "CSparseKernels", cSettings: [.unsafeFlags(["-O2", "-Wall", "-Wextra", "-gdwarf-4"])]),
        // Compressed N:M and CSR matrices and their kernels; Haswell-class code in release
        // builds like Models (F16C widens f16 values, FMA for the products). The portable
        // Swift GEMV serves other CPUs.
        .target(name: "Sparse", dependencies: ["CSparseKernels"], swiftSettings: modelKernelSettings),
        .target(
            name: "Models",
            dependencies: [
                "TensorModule",
                "COpenBLAS",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: modelKernelSettings
        ),
        // One-matrix pruning algorithms (weights + statistics → weights and mask); no Models.
        // Same kernel settings as Models: SparseGPT's per-row sweeps measured 2× faster with
        // AVX2 + FMA than with the SSE2 baseline.
        .target(
            name: "Pruning",
            dependencies: ["TensorModule", "COpenBLAS"],
            swiftSettings: modelKernelSettings
        ),
        .target(
            name: "PrunebookLanguage",
            dependencies: [
                "TensorModule",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: [
                // The interpreter's hot path reads and writes frames and globals on every
                // step; dynamic exclusivity checks there cost ~18% (measured with perf).
                // Debug builds keep them.
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
            ]
        ),
        .target(
            name: "PrunebookBuiltins",
            dependencies: [
                "TensorModule",
                "Models",
                "Pruning",
                "Sparse",
                "TerminalPlots",
                "PrunebookLanguage",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "PrunebookNotebook",
            dependencies: ["PrunebookBuiltins", "PrunebookLanguage", "Models"]
        ),
        .target(
            name: "PrunebookREPL",
            dependencies: ["PrunebookNotebook", "PrunebookBuiltins", "PrunebookLanguage", "Models", "CReadline"]
        ),
        .executableTarget(
            name: "prunebook",
            dependencies: [
                "PrunebookREPL",
                "PrunebookNotebook",
                "PrunebookBuiltins",
                "PrunebookLanguage",
                "Models",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "prunebook-generate",
            dependencies: ["PrunebookBuiltins", "PrunebookLanguage"]
        ),
        .target(
            name: "PrunebookTestSupport",
            dependencies: ["PrunebookBuiltins", "PrunebookLanguage"],
            path: "Tests/PrunebookTestSupport"
        ),
        .testTarget(name: "TensorModuleTests", dependencies: ["TensorModule"], exclude: ["Fixtures"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "TensorModule"], exclude: ["Fixtures"]),
        .testTarget(name: "PruningTests", dependencies: ["Pruning", "TensorModule"], exclude: ["Fixtures"]),
        .testTarget(name: "SparseTests", dependencies: ["Sparse"]),
        .testTarget(name: "TerminalPlotsTests", dependencies: ["TerminalPlots"], exclude: ["References"]),
        .testTarget(
            name: "PrunebookLanguageTests",
            dependencies: ["PrunebookLanguage", "PrunebookTestSupport"]
        ),
        .testTarget(
            name: "PrunebookBuiltinsTests",
            dependencies: ["PrunebookBuiltins", "PrunebookLanguage", "PrunebookTestSupport"]
        ),
        .testTarget(
            name: "PrunebookNotebookTests",
            dependencies: ["PrunebookNotebook", "PrunebookBuiltins", "PrunebookLanguage", "PrunebookTestSupport"]
        ),
        .testTarget(
            name: "PrunebookREPLTests",
            dependencies: ["PrunebookREPL", "PrunebookNotebook", "PrunebookBuiltins", "PrunebookLanguage", "PrunebookTestSupport"]
        ),
        .testTarget(
            name: "PrunebookCLITests",
            dependencies: ["PrunebookTestSupport"]
        ),
    ]
)
