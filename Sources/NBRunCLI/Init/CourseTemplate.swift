import Engine
import Foundation

/// The files of a new course package, as `nbrun init DIR` writes them: a SwiftPM package
/// whose executable is nbrun for the course's own ports (and its own process-pool worker).
struct CourseTemplate {
    /// How the course's `Package.swift` names nbrun.
    enum NBRunSource {
        /// `.package(path:)`: a local checkout (`--nbrun PATH`), the route that works offline.
        case path(String)
        /// `.package(url:from:)`: a published nbrun (`--nbrun-url`, `--nbrun-version`).
        case url(String, version: String)

        /// SwiftPM's identity of the dependency: the last path component, lowercased, without
        /// `.git`. Target dependencies name the package by it.
        var identity: String {
            let last: String
            switch self {
            case .path(let path): last = URL(fileURLWithPath: path).lastPathComponent
            case .url(let url, _): last = URL(string: url)?.lastPathComponent ?? url
            }
            return (last.hasSuffix(".git") ? String(last.dropLast(4)) : last).lowercased()
        }

        var packageLine: String {
            switch self {
            case .path(let path): ".package(path: \(literal(path)))"
            case .url(let url, let version): ".package(url: \(literal(url)), from: \(literal(version)))"
            }
        }
    }

    /// The executable's name, which is the built binary's: `.build/release/NAME`.
    let name: String
    let nbrun: NBRunSource

    static let portsTarget = "CoursePorts"
    static let portsFolder = "Sources/CoursePorts"

    /// Each file's path inside the course, and its contents.
    var files: [(path: String, text: String)] {
        let example = ScaffoldTemplate(notebook: ExampleNotebook.name, stubs: [exampleStub])
        return [
            ("Package.swift", packageManifest),
            (".gitignore", gitignore),
            ("nbrun.json", rules),
            ("notebooks/\(ExampleNotebook.name).ipynb", ExampleNotebook.text),
            ("Sources/\(name)/main.swift", mainFile),
            (
                "\(Self.portsFolder)/\(CourseCatalogFile.fileName)",
                CourseCatalogFile.text(types: [example.typeName], services: true)
            ),
            ("\(Self.portsFolder)/\(CourseCatalogFile.servicesFileName)", servicesFile),
            ("\(Self.portsFolder)/\(ExampleNotebook.name)/\(example.typeName).swift", example.text),
            ("Tests/\(Self.portsTarget)Tests/\(example.typeName)Tests.swift", exampleTest(type: example.typeName)),
            (".github/workflows/notebooks.yml", workflow),
        ]
    }

    private var exampleStub: ScaffoldTemplate.Stub {
        let fingerprint = SourceFingerprint(source: ExampleNotebook.cellSource)
        return ScaffoldTemplate.Stub(
            label: "cell 2 (id greet)", name: "greet", source: ExampleNotebook.cellSource,
            fingerprint: fingerprint.digest, sketch: fingerprint.sketch, body: ExampleNotebook.portBody)
    }

    private var packageManifest: String {
        """
        // swift-tools-version:6.0
        // A course for nbrun: the notebooks in notebooks/, the Swift ports of their `no-run` cells
        // in \(Self.portsFolder) (one folder per notebook), and `\(name)`, the nbrun command line
        // for these ports: `swift build -c release`, then `.build/release/\(name) notebooks/`.
        import PackageDescription

        /// nbrun's package identity (the last component of its path or URL).
        let nbrun = \(literal(nbrun.identity))

        let package = Package(
            name: \(literal(name)),
            dependencies: [
                \(nbrun.packageLine),
            ],
            targets: [
                // The ports, written against nbrun's Python runtime.
                .target(
                    name: \(literal(Self.portsTarget)),
                    dependencies: [
                        .product(name: "PythonRuntime", package: nbrun),
                    ]
                ),
                // The command line: nbrun given this course's ports. It is also the course's
                // worker process for process pools.
                .executableTarget(
                    name: \(literal(name)),
                    dependencies: [\(literal(Self.portsTarget)), .product(name: "NBRunCLI", package: nbrun)]
                ),
                // A server the notebooks talk to (see \(Self.portsFolder)/\(CourseCatalogFile.servicesFileName)) is
                // one more executable of the course, built next to it, e.g. on FlyingFox:
                // .executableTarget(name: "course-server", dependencies: [.product(name: "FlyingFox", package: "FlyingFox")]),
                .testTarget(
                    name: \(literal(Self.portsTarget + "Tests")),
                    dependencies: [
                        \(literal(Self.portsTarget)),
                        .product(name: "PythonRuntime", package: nbrun),
                    ]
                ),
            ]
        )

        """
    }

    /// The course's services: none yet, and how one is declared.
    private var servicesFile: String {
        """
        import PythonRuntime

        /// The servers the course's notebooks talk to while they run. `run` and `check` start
        /// the ones a run's notebooks need before the first cell, wait until each answers, and
        /// stop them when the run ends (also on ^C, and if nbrun is killed). A server of the
        /// course is one more executable target of this package (see Package.swift), built
        /// next to `\(name)` and found there:
        ///
        ///     Service(
        ///         name: "course-server", executable: "course-server", arguments: ["--port", "8765"],
        ///         port: 8765, readyPath: "/", notebooks: ["07-io"])
        ///
        /// (`swift build` builds every product; `swift build --product \(name)` builds the
        /// command line alone.)
        public enum CourseServices {
            public static let services: [Service] = []
        }

        """
    }

    private var mainFile: String {
        """
        import \(Self.portsTarget)
        import NBRunCLI

        // The whole nbrun command line (run, check, diff, fmt, list, scaffold) for this course's ports.
        NBRun.main(course: CourseCatalog.course)

        """
    }

    private var gitignore: String {
        """
        /.build
        /.build-*
        /.swiftpm
        # Resolved versions differ between machines that mirror packages; swift build writes it anew.
        Package.resolved
        .ipynb_checkpoints/

        """
    }

    private var rules: String {
        """
        {
         "defaults": {
          "tolerance": {"relative": 0.25, "absolute": 0.05}
         },
         "demos": {
         }
        }

        """
    }

    private func exampleTest(type: String) -> String {
        """
        import PythonRuntime
        import XCTest

        @testable import \(Self.portsTarget)

        /// Each port prints what its Python cell prints (CPython's output, kept in the notebook).
        final class \(type)Tests: XCTestCase {
            func testGreetPrintsWhatTheCellPrints() throws {
                let context = DemoContext(seed: 1)
                try \(type).greet.run(context)
                let stdout = context.capturedStreams().filter { $0.name == .stdout }.map(\\.text).joined()
                XCTAssertEqual(stdout, \(literal(ExampleNotebook.expectedOutput)))
            }

            func testEveryDemoIsInTheCourse() {
                let ids = Set(CourseCatalog.demos.map(\\.id))
                XCTAssertTrue(ids.contains("\(ExampleNotebook.name)/greet"))
            }
        }

        """
    }

    private var workflow: String {
        let install = """
                  - uses: actions/checkout@v4
                  - run: sudo apt-get install -y libjansson-dev
                  - run: swift build -c release --product \(name)
            """
        let pathNote =
            if case .path = nbrun {
                "\n# Package.swift names nbrun by a local path: point it at a URL CI can fetch first.\n"
            } else { "" }
        return """
            # Checks the notebooks on every pull request (four machines, each a shard of the
            # notebooks) and regenerates them on main, committing only when an output changed.
            \(pathNote)name: notebooks
            on: [push, pull_request]
            jobs:
              test:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - run: sudo apt-get install -y libjansson-dev
                  - run: swift test
              check:
                if: github.event_name == 'pull_request'
                runs-on: ubuntu-latest
                strategy:
                  fail-fast: false
                  matrix:
                    shard: [1, 2, 3, 4]
                steps:
            \(install)
                  # --format github is implied by GITHUB_ACTIONS=true: failures show on the cells.
                  - run: .build/release/\(name) check notebooks/ --shard ${{ matrix.shard }}/4 --junit report-${{ matrix.shard }}.xml
              regenerate:
                if: github.event_name == 'push' && github.ref == 'refs/heads/main'
                needs: test
                runs-on: ubuntu-latest
                permissions:
                  contents: write
                steps:
            \(install)
                  - run: .build/release/\(name) run --keep-unchanged notebooks/
                  - name: Commit only if a cell changed
                    run: |
                      if [ -n "$(git status --porcelain notebooks/)" ]; then
                        git config user.name "github-actions[bot]"
                        git config user.email "github-actions[bot]@users.noreply.github.com"
                        git commit -am "Regenerate notebook outputs"
                        git push
                      fi

            """
    }
}

/// A one-line Swift string literal of `text`.
func literal(_ text: String) -> String {
    var escaped = ""
    for character in text {
        switch character {
        case "\\": escaped += "\\\\"
        case "\"": escaped += "\\\""
        case "\n": escaped += "\\n"
        case "\r": escaped += "\\r"
        case "\t": escaped += "\\t"
        default: escaped.append(character)
        }
    }
    return "\"" + escaped + "\""
}
