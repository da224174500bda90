import ArgumentParser
import Foundation

/// `nbrun init DIR`: a new course package in an empty or new folder (see `CourseTemplate`).
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a new course package: Package.swift, an example notebook and its port, a test, CI.",
        discussion: """
            The course's executable is nbrun with the course's ports: `swift build -c release`, then
            `.build/release/NAME notebooks/`. Package.swift names nbrun by --nbrun PATH (a local
            checkout) or else by --nbrun-url and --nbrun-version.
            """
    )

    static let defaultURL = "https://github.com/nbrun/nbrun.git"

    @Argument(help: "The folder to create; it must not exist or be empty.")
    var directory: String

    @Option(help: "Depend on the nbrun checkout at this path (works offline).")
    var nbrun: String?

    @Option(help: "The URL Package.swift fetches nbrun from, when --nbrun is not given.")
    var nbrunURL: String = defaultURL

    @Option(help: "The lowest nbrun version Package.swift accepts, when --nbrun is not given.")
    var nbrunVersion: String = RootCommand.configuration.version

    @Option(help: "The course executable's name (default: the folder's name).")
    var name: String?

    func validate() throws {
        if let name, !Self.isExecutableName(name) {
            throw ValidationError("--name must be letters, digits, '-' or '_', starting with a letter")
        }
    }

    func run() throws {
        let manager = FileManager.default
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            let entries = isDirectory.boolValue ? (try? manager.contentsOfDirectory(atPath: folder.path)) : nil
            guard let entries, entries.isEmpty else {
                Terminal.printError(
                    "nbrun: \(directory): not an empty folder; init writes a course only into a new one")
                throw ExitCode.failure
            }
        }
        let template = CourseTemplate(name: try executableName(for: folder), nbrun: try nbrunSource())
        do {
            for file in template.files {
                let url = folder.appendingPathComponent(file.path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.text.utf8).write(to: url, options: .withoutOverwriting)
            }
        } catch {
            Terminal.printError("nbrun: \(directory): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        print(
            """
            Wrote the course \(template.name) in \(directory). Next:
              cd \(directory)
              swift build -c release
              .build/release/\(template.name) notebooks/          # fill in the example's outputs
              .build/release/\(template.name) check notebooks/    # compare a fresh run with them
              swift test                                        # the ports' own tests
            """)
    }

    private func nbrunSource() throws -> CourseTemplate.NBRunSource {
        guard let nbrun else { return .url(nbrunURL, version: nbrunVersion) }
        let checkout = URL(fileURLWithPath: nbrun).standardizedFileURL
        guard FileManager.default.fileExists(atPath: checkout.appendingPathComponent("Package.swift").path) else {
            Terminal.printError("nbrun: \(nbrun): no Package.swift there; --nbrun names a checkout of nbrun")
            throw ExitCode.failure
        }
        return .path(checkout.path)
    }

    private func executableName(for folder: URL) throws -> String {
        if let name { return name }
        let base = folder.lastPathComponent
        guard Self.isExecutableName(base) else {
            Terminal.printError(
                "nbrun: \(directory): the folder's name is not an executable name; give one with --name")
            throw ExitCode.usage
        }
        return base
    }

    private static func isExecutableName(_ name: String) -> Bool {
        name.range(of: #"^[A-Za-z][A-Za-z0-9_-]*$"#, options: .regularExpression) != nil
            && name != CourseTemplate.portsTarget
    }
}
