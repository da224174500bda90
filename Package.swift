// swift-tools-version:6.0
// nbrun: runs the `no-run` cells of Jupyter notebooks through registered Swift ports.
// Linux only (glibc, pthreads, /proc). The module graph, one way, no cycles:
//
//   CJansson (system library) -> Notebook ------------------------------.
//                                                                        +--> Engine -> NBRunCLI -> nbrun
//   CProcess -> Futures -> PythonRuntime -> (a course's ports: Demos) --'                  ^          |
//                                                                                           '----------'
// Notebook (the file format) and Futures/PythonRuntime (what ports are written against)
// know nothing of each other; Engine joins them; NBRunCLI is the whole command line as a
// library, given a course's ports; `nbrun` is that command line for the course in
// notebooks/ (its ports are `Demos`), and a course in its own repository is the same thin
// `main` over its own ports. Each module has its own test target. Under both Notebook and
// PythonRuntime sits PythonRepr (Python's text forms of values: `repr(float)`), which the
// file format (json.dumps) and a cell's value (`Out[n]`) both write.
import PackageDescription

let package = Package(
    name: "nbrun",
    products: [
        // What a course depends on, the public and versioned API: the runtime its ports are
        // written against (PythonRuntime, with Futures for executors, process pools and
        // PythonError), and the command line its executable runs (NBRunCLI: `NBRun.main`).
        // Engine is internal to nbrun and not a product.
        .library(name: "PythonRuntime", targets: ["PythonRuntime"]),
        .library(name: "NBRunCLI", targets: ["NBRunCLI"]),
        .library(name: "Notebook", targets: ["Notebook"]),
        .library(name: "Futures", targets: ["Futures"]),
        .library(name: "PythonRepr", targets: ["PythonRepr"]),
        .executable(name: "nbrun", targets: ["nbrun"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation --target PythonRuntime`: the port author's API
        // (Sources/PythonRuntime/PythonRuntime.docc). A command plugin only: nothing links it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CJansson",
            pkgConfig: "jansson",
            providers: [.apt(["libjansson-dev"])]
        ),
        // Python's text forms of values (`repr(float)`), which the file format and the
        // runtime's values both write.
        .target(name: "PythonRepr"),
        .target(name: "Notebook", dependencies: ["CJansson", "PythonRepr"]),
        .target(name: "CProcess"),
        .target(name: "Futures", dependencies: ["CProcess"]),
        // Registers test functions and serves as worker and orphan-test parent for FuturesTests.
        .executableTarget(name: "FuturesWorkerFixture", dependencies: ["Futures"]),
        .target(name: "PythonRuntime", dependencies: ["Futures", "PythonRepr"]),
        .target(name: "Demos", dependencies: ["PythonRuntime", "Futures"]),
        .target(name: "Engine", dependencies: ["Notebook", "Futures", "PythonRuntime", "PythonRepr"]),
        .target(
            name: "NBRunCLI",
            dependencies: [
                "Engine", "Notebook", "PythonRuntime", "Futures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "nbrun", dependencies: ["NBRunCLI", "Demos"]),
        // What the test targets share (a rendezvous for threads, thread counts).
        .target(name: "TestKit", path: "Tests/TestKit"),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"], exclude: ["Corpus"]),
        .testTarget(name: "FuturesTests", dependencies: ["Futures", "FuturesWorkerFixture", "TestKit"]),
        .testTarget(name: "PythonRuntimeTests", dependencies: ["PythonRuntime", "PythonRepr", "Futures", "TestKit"]),
        // nbrun is the worker executable of the process-pool ports.
        .testTarget(name: "DemosTests", dependencies: ["Demos", "PythonRuntime", "Futures", "nbrun", "TestKit"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Notebook", "Demos", "PythonRuntime", "Futures", "TestKit"]),
        .testTarget(name: "nbrunTests", dependencies: ["Notebook"]),
    ]
)
