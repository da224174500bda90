import Foundation

/// A real Jupyter kernel as a reference: runs cells through nbclient and ipykernel (the
/// test venv has them: `make pyenv`) and returns what each cell showed, so tests compare
/// nbrun with what a student sees instead of strings typed by hand.
public enum KernelReference {
    /// What one cell showed, its streams split into lines, tracebacks without colours.
    public struct CellOutputs: Decodable, Sendable, Equatable {
        /// The cell's stdout stream, by line.
        public var stdout: [String]
        /// The cell's stderr stream, by line.
        public var stderr: [String]
        /// `Out[n]`'s `text/plain`.
        public var value: String?
        /// The error output's `ename`, e.g. `ValueError`.
        public var ename: String?
        /// The error output's `evalue`, the message.
        public var evalue: String?
        /// The traceback's entries, ANSI colours removed.
        public var traceback: [String]
    }

    /// Whether the python in use has nbclient and ipykernel.
    public static var isAvailable: Bool {
        (try? PythonReference.run("import nbclient, ipykernel", limit: 60)) != nil
    }

    /// Runs `cells` in order in one fresh kernel; `timeout` and `interruptOnTimeout` are
    /// nbclient's. Throws when python or the kernel fails (a test skips without them).
    public static func run(
        _ cells: [String], timeout: Double = 30, interruptOnTimeout: Bool = false,
        allowErrors: Bool = true, limit: TimeInterval = 120
    ) throws -> [CellOutputs] {
        let source = try JSONSerialization.data(withJSONObject: cells)
        let script = """
            import json, re, sys, base64
            import nbformat
            from nbclient import NotebookClient
            cells = json.loads(base64.b64decode('\(source.base64EncodedString())'))
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
            NotebookClient(nb, timeout=\(timeout), kernel_name='python3', allow_errors=\(allowErrors ? "True" : "False"),
                           interrupt_on_timeout=\(interruptOnTimeout ? "True" : "False")).execute()
            ansi = re.compile(r'\\x1b\\[[0-9;]*m')
            result = []
            for cell in nb.cells:
                found = {'stdout': '', 'stderr': '', 'value': None, 'ename': None, 'evalue': None, 'traceback': []}
                for out in cell.outputs:
                    if out.output_type == 'stream':
                        found[out.name] += out.text  # however the kernel chunked it
                    elif out.output_type == 'execute_result':
                        found['value'] = out.data.get('text/plain')
                    elif out.output_type == 'error':
                        found['ename'], found['evalue'] = out.ename, out.evalue
                        found['traceback'] = [ansi.sub('', line) for line in out.traceback]
                found['stdout'], found['stderr'] = found['stdout'].splitlines(), found['stderr'].splitlines()
                result.append(found)
            print(json.dumps(result))
            """
        let output = try PythonReference.run(script, limit: limit)
        return try JSONDecoder().decode([CellOutputs].self, from: Data(output.utf8))
    }
}
