/// A server a course's notebooks talk to while they run (07-io's web server on port 8765):
/// `run`, `check` and `verify` start it before the first cell of a notebook that needs it,
/// wait until it answers, and stop it when the run ends (see docs/services.md).
///
/// It is declared with the ports, in Swift, because the ports need it wherever the notebooks
/// are: it is part of the course as its worker functions are, and its executable is a
/// product of the course's package, built next to the course's nbrun.
public struct Service: Sendable {
    /// How it is named in messages: `io-server`.
    public let name: String
    /// The program: a name without `/` is looked up next to the running nbrun binary (the
    /// course package's own products), then on `PATH`; a path is used as it is.
    public let executable: String
    /// Its command-line arguments, e.g. `["--port", "8765"]`.
    public let arguments: [String]
    /// The TCP port it listens on, on 127.0.0.1. A port already taken is an error.
    public let port: Int
    /// A path to GET once the port accepts connections: any HTTP reply means ready. Nil:
    /// ready as soon as the port accepts a connection.
    public let readyPath: String?
    /// The notebooks (file names without `.ipynb`, as `Demo.notebook`) whose ports need it.
    public let notebooks: [String]
    /// Seconds it may take to answer before the run fails.
    public let startupTimeout: Double

    /// A service; `readyPath` and `startupTimeout` as the properties say.
    public init(
        name: String, executable: String, arguments: [String] = [], port: Int, readyPath: String? = nil,
        notebooks: [String], startupTimeout: Double = 10
    ) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.port = port
        self.readyPath = readyPath
        self.notebooks = notebooks
        self.startupTimeout = startupTimeout
    }
}
