import ArgumentParser
import Foundation

/// `nbrun init DIR`: a new course package in an empty or new folder (see `CourseTemplate`).
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a new course package: Package.swift, an example notebook and its port, a test, CI.",
        discussion:
            "The course's executable is nbrun with the course's ports: `swift build -c release`, then "
            + "`.build/release/NAME notebooks/`. Package.swift names nbrun by --nbrun PATH (a local "
            + "checkout) or else by --nbrun-url and --nbrun-version."
    )

    static let defaultURL = "https://github.com/nbrun/nbrun.git"

    @Argument(help: "The folder to create; it must not exist or be empty.")
    var directory: String

    @Option(help: ArgumentHelp("Depend on the nbrun checkout at this path (works offline).", valueName: "path"))
    var nbrun: String?

    @Option(
        help: ArgumentHelp("The URL Package.swift fetches nbrun from, when --nbrun is not given.", valueName: "url"))
    var nbrunURL: String = defaultURL

    @Option(
        help: ArgumentHelp(
            "The lowest nbrun version Package.swift accepts, when --nbrun is not given.", valueName: "version"))
    var nbrunVersion: String = RootCommand.configuration.version

    @Option(help: "The course executable's name (default: the folder's name).")
    var name: String?

    func validate() throws {
        if let name, !Self.isExecutableName(name) {
            throw ValidationError(
                "--name must be letters, digits, '-' or '_', starting with a letter, and not one of nbrun's modules")
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
        guard folder.lastPathComponent.lowercased() != template.nbrun.identity else {
            // SwiftPM names packages by folder: the course and nbrun would be one identity.
            Terminal.printError(
                "nbrun: \(directory): a course folder cannot be named like nbrun's (\(template.nbrun.identity))")
            throw ExitCode.usage
        }
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
            && !reservedNames.contains(name.lowercased())
    }

    /// Target names must be unique across a package graph: nbrun's own, and the course's
    /// ports target, cannot name the course's executable.
    private static let reservedNames: Set<String> = [
        "nbrun", "nbruncli", "engine", "notebook", "futures", "pythonruntime", "demos", "cjansson", "cprocess",
        "testkit", "futuresworkerfixture", CourseTemplate.portsTarget.lowercased(),
        CourseTemplate.portsTarget.lowercased() + "tests",
    ]
}
