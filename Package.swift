// swift-tools-version:6.0
// nbrun: runs the `no-run` cells of Jupyter notebooks through registered Swift ports.
// Linux only (glibc, pthreads, /proc). The module graph goes one way, no cycles; it is drawn
// in docs/architecture.md, which scripts/check-module-graph.sh (`make lint`) keeps equal to
// the targets below. Notebook (the file format) and Futures/Processes/PythonRuntime (what
// ports are written against) know nothing of each other; Engine joins them; NBRunCLI is the
// whole command line as a library, given a course's ports; `nbrun` is that command line for
// the course in notebooks/ (its ports are `Demos`), and a course in its own repository is the
// same thin `main` over its own ports. Under them all sits SystemCalls (every libc call).
import PackageDescription

let package = Package(
    name: "nbrun",
    products: [
        // What a course depends on, the public and versioned API: the runtime its ports are
        // written against (PythonRuntime, which re-exports Futures and Processes: executors,
        // process pools, Python's exception classes), and the command line its executable runs (NBRunCLI:
        // `NBRun.main`). Notebook is for tools that read and write notebooks. Engine and the
        // other modules are nbrun's own: what they share is `package`, not public.
        .library(name: "PythonRuntime", targets: ["PythonRuntime"]),
        .library(name: "NBRunCLI", targets: ["NBRunCLI"]),
        .library(name: "Notebook", targets: ["Notebook"]),
        .executable(name: "nbrun", targets: ["nbrun"]),
        .executable(name: "io-server", targets: ["io-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation --target PythonRuntime`: the port author's API
        // (Sources/PythonRuntime/PythonRuntime.docc). A command plugin only: nothing links it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        // Python's ints beyond 64 bits (`PyValue.bigInt`, `random.getrandbits(k)`, seeds).
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        // The web server of the course's 07-io notebook (io-server): the smallest real HTTP
        // server here, ~25 s of a clean release build (Hummingbird and SwiftNIO cost minutes).
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CJansson",
            pkgConfig: "jansson",
            providers: [.apt(["libjansson-dev"])]
        ),
        // The libc calls, errors (call + Errno, seen by ports as Python's OSError) and clocks
        // of every module below, in one place.
        .target(name: "SystemCalls"),
        // Python's text forms of values (`repr(float)`), which the file format and the
        // runtime's values both write.
        .target(name: "PythonRepr"),
        .target(name: "Notebook", dependencies: ["CJansson", "PythonRepr", "SystemCalls"]),
        .target(name: "Futures", dependencies: ["SystemCalls"]),
        // Process pools, `multiprocessing` look-alikes and the worker side, apart from the
        // thread-level Futures (as NIOPosix is from NIOCore); CProcess is its C shim.
        .target(name: "CProcess"),
        .target(name: "Processes", dependencies: ["Futures", "CProcess", "SystemCalls"]),
        // Registers test functions and serves as worker and orphan-test parent for the process tests.
        .executableTarget(name: "FuturesWorkerFixture", dependencies: ["Futures", "Processes", "PythonRuntime"]),
        .target(
            name: "PythonRuntime",
            dependencies: [
                "Futures", "Processes", "PythonRepr", "SystemCalls", .product(name: "BigInt", package: "BigInt"),
            ]
        ),
        // The course in notebooks/: its ports see what a course sees, PythonRuntime, and the
        // race demo pins threads to cores through SystemCalls.
        .target(name: "Demos", dependencies: ["PythonRuntime", "SystemCalls"]),
        .target(
            name: "Engine",
            dependencies: ["Notebook", "Futures", "Processes", "PythonRuntime", "PythonRepr", "SystemCalls"]),
        .target(
            name: "NBRunCLI",
            dependencies: [
                "Engine", "Notebook", "PythonRuntime", "Futures", "Processes", "SystemCalls",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "nbrun", dependencies: ["NBRunCLI", "Demos"]),
        // The course's web server, a service nbrun starts for 07-io (Catalog.services).
        .executableTarget(name: "io-server", dependencies: [.product(name: "FlyingFox", package: "FlyingFox")]),
        // What the test targets share (a rendezvous for threads, thread counts, the real
        // python3 and kernel as references), and each module's fixtures, shared by its two tiers.
        .target(name: "TestKit", dependencies: ["Futures"], path: "Tests/TestKit"),
        .target(name: "FuturesTestKit", dependencies: ["Futures"], path: "Tests/FuturesTestKit"),
        .target(
            name: "ProcessesTestKit", dependencies: ["Futures", "Processes", "TestKit"], path: "Tests/ProcessesTestKit"),
        .target(
            name: "PythonRuntimeTestKit", dependencies: ["Futures", "PythonRuntime", "TestKit"],
            path: "Tests/PythonRuntimeTestKit"),
        .target(
            name: "EngineTestKit", dependencies: ["Demos", "Engine", "Notebook", "PythonRuntime", "TestKit"],
            path: "Tests/EngineTestKit"),
        // The tests in two tiers. Unit (`<Module>Tests`): one module at a time, never sleeping,
        // timing or starting a kernel, nbrun or a service. End to end (`<Module>EndToEndTests`,
        // `DemosTests`, `nbrunTests`): real time, real kernels and servers, the course's ports.
        .testTarget(name: "SystemCallsTests", dependencies: ["SystemCalls", "TestKit"]),
        .testTarget(name: "SystemCallsEndToEndTests", dependencies: ["SystemCalls"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "SystemCalls"], exclude: ["Corpus"]),
        .testTarget(name: "FuturesTests", dependencies: ["Futures", "FuturesTestKit", "SystemCalls", "TestKit"]),
        .testTarget(
            name: "FuturesEndToEndTests", dependencies: ["Futures", "FuturesTestKit", "SystemCalls", "TestKit"]),
        // Process pools and the multiprocessing look-alikes, with the fixture as their worker.
        .testTarget(
            name: "ProcessesTests",
            dependencies: [
                "Processes", "ProcessesTestKit", "Futures", "SystemCalls", "FuturesWorkerFixture", "TestKit",
            ]),
        .testTarget(
            name: "ProcessesEndToEndTests",
            dependencies: [
                "Processes", "ProcessesTestKit", "Futures", "SystemCalls", "FuturesWorkerFixture", "TestKit",
            ]),
        .testTarget(
            name: "PythonRuntimeTests",
            dependencies: [
                "PythonRuntime", "PythonRuntimeTestKit", "PythonRepr", "Futures", "Processes", "FuturesWorkerFixture",
                "TestKit",
            ]),
        .testTarget(
            name: "PythonRuntimeEndToEndTests",
            dependencies: [
                "PythonRuntime", "PythonRuntimeTestKit", "PythonRepr", "Futures", "Processes", "FuturesWorkerFixture",
                "io-server", "TestKit",
            ]),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "EngineTestKit", "Notebook", "Demos", "PythonRuntime", "Futures", "TestKit"]),
        .testTarget(
            name: "EngineEndToEndTests",
            dependencies: [
                "Engine", "EngineTestKit", "Notebook", "Demos", "PythonRuntime", "Futures", "Processes", "io-server",
                "TestKit",
            ]),
        // nbrun is the worker executable of the process-pool ports.
        .testTarget(
            name: "DemosTests",
            dependencies: ["Demos", "PythonRuntime", "Futures", "Processes", "nbrun", "io-server", "TestKit"]),
        .testTarget(name: "nbrunTests", dependencies: ["Notebook"]),
    ]
)
