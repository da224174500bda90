// swift-tools-version:6.0
// nbrun: runs the `no-run` cells of Jupyter notebooks through registered Swift ports.
// Linux only (glibc, pthreads, /proc). The module graph, one way, no cycles:
//   CJansson (system library) -> Notebook --.
//                                            +--> Engine -> nbrun (CLI, swift-argument-parser)
//   Futures -> Demos -------------------------'
// Notebook (the file format) and Futures/Demos (the ports) know nothing of each other;
// Engine joins them. Each module has its own test target.
import PackageDescription

let package = Package(
    name: "nbrun",
    products: [
        .library(name: "Notebook", targets: ["Notebook"]),
        .library(name: "Futures", targets: ["Futures"]),
        .executable(name: "nbrun", targets: ["nbrun"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CJansson",
            pkgConfig: "jansson",
            providers: [.apt(["libjansson-dev"])]
        ),
        .target(name: "Notebook", dependencies: ["CJansson"]),
        .target(name: "CProcess"),
        .target(name: "Futures", dependencies: ["CProcess"]),
        // Registers test functions and serves as worker and orphan-test parent for FuturesTests.
        .executableTarget(name: "FuturesWorkerFixture", dependencies: ["Futures"]),
        .target(name: "Demos", dependencies: ["Futures"]),
        .target(name: "Engine", dependencies: ["Notebook", "Futures", "Demos"]),
        .executableTarget(
            name: "nbrun",
            dependencies: [
                "Engine", "Notebook", "Demos", "Futures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"], exclude: ["Corpus"]),
        .testTarget(name: "FuturesTests", dependencies: ["Futures", "FuturesWorkerFixture"]),
        // nbrun is the worker executable of the process-pool ports.
        .testTarget(name: "DemosTests", dependencies: ["Demos", "Futures", "nbrun"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Notebook", "Demos", "Futures"]),
        .testTarget(name: "nbrunTests", dependencies: ["Notebook"]),
    ]
)
