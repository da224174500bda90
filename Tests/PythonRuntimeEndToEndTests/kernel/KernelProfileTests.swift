import Foundation
import FuturesWorkerFixture
import Processes
import PythonRuntime
import TestKit
import XCTest

/// `KernelProfile.ipykernel7` against the real kernel (`scripts/kernel_profile.py`, nbclient
/// and ipykernel from the test venv): its threads, its counter, its cell file names.
final class KernelProfileTests: XCTestCase {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/kernel_profile.py").path

    struct Measured: Decodable {
        let threads: [String]
        let daemons: [Bool]
        let activeCount: Int
        let nextThreadName: String
        let cellFileOfX: String
        let pid: Int

        enum CodingKeys: String, CodingKey {
            case threads, daemons, pid
            case activeCount = "active_count"
            case nextThreadName = "next_thread_name"
            case cellFileOfX = "cell_file_of_x"
        }
    }

    func testTheProfileIsWhatTheRealKernelShows() throws {
        try XCTSkipUnless(KernelReference.isAvailable, "needs nbclient and ipykernel (make pyenv)")
        let text = try PythonReference.run(try String(contentsOfFile: Self.script, encoding: .utf8), limit: 120)
        let measured = try JSONDecoder().decode(Measured.self, from: Data(text.utf8))
        let profile = KernelProfile.ipykernel7
        XCTAssertEqual(measured.threads, ["MainThread"] + profile.threads)
        XCTAssertEqual(measured.daemons, [false] + profile.threads.map { _ in true })
        XCTAssertEqual(measured.activeCount, profile.threads.count + 1)
        XCTAssertEqual(measured.nextThreadName, "Thread-\(profile.threadCounter + 1) (<lambda>)")
        var there = profile
        there.pid = measured.pid
        XCTAssertEqual(there.cellFile(source: "x = 1\n"), measured.cellFileOfX)

        // An interpreter made with the profile shows the same threads and counts on.
        let interpreter = PyInterpreter(kernel: profile)
        let (names, count, next) = interpreter.run {
            (
                threading.enumerate().map(\.name), threading.activeCount(),
                threading.Thread(targetName: "<lambda>") {}.name
            )
        }
        XCTAssertEqual(names, measured.threads)
        XCTAssertEqual(count, measured.activeCount)
        XCTAssertEqual(next, measured.nextThreadName)
        XCTAssertEqual(interpreter.startedThreads.count, 0, "the kernel's threads are not the notebook's")
    }

    func testCellFileNamesHashAsIpykernelDoes() throws {
        try XCTSkipUnless(KernelReference.isAvailable, "needs nbclient and ipykernel (make pyenv)")
        let sources = [
            "", "a", "ab", "abc", "abcd", "x = 1\n", "print('é ✓ 🎉')\n", String(repeating: "z", count: 1001),
        ]
        let payload = try JSONSerialization.data(withJSONObject: sources).base64EncodedString()
        let lines = try PythonReference.lines(
            """
            import base64, json, ipykernel.compiler as c
            for s in json.loads(base64.b64decode('\(payload)')):
                print(c.murmur2_x86(s, c.get_tmp_hash_seed()))
            """)
        var profile = KernelProfile.ipykernel7
        profile.pid = 7
        XCTAssertEqual(sources.map { profile.cellFile(source: $0) }, lines.map { "/tmp/ipykernel_7/\($0).py" })
    }

    /// asyncio task names and multiprocessing's process names count per notebook, on from
    /// what the kernel made, across cells: nbrun's session against the real kernel's.
    func testTaskAndProcessNamesCountOnAcrossCellsAsInTheKernel() throws {
        try XCTSkipUnless(KernelReference.isAvailable, "needs nbclient and ipykernel (make pyenv)")
        let cells = [
            "x = 1",
            "import asyncio\nasync def _t(): pass\nt = asyncio.create_task(_t())\nawait asyncio.sleep(0)\nprint(t.get_name())",
            "x = 2",
            "t = asyncio.create_task(_t())\nawait asyncio.sleep(0)\nprint(t.get_name())",
            "import multiprocessing as mp\nprint(mp.Process(target=print).name, mp.Process(target=print).name)",
            "t = asyncio.create_task(_t())\nawait asyncio.sleep(0)\nprint(t.get_name())",
        ]
        let kernel = try KernelReference.run(cells).map(\.stdout)
        let ctx = DemoContext(seed: 1, kernel: .ipykernel7)
        var printed: [[String]] = []
        let taskCell = {
            try ctx.interpreter.run {
                try asyncio.topLevel(ctx) {
                    let task = asyncio.createTask {}
                    try await asyncio.sleep(0)
                    return [task.name]
                }
            }
        }
        for (index, source) in cells.enumerated() {
            ctx.interpreter.enterCell(source: source)
            switch index {
            case 1, 3, 5: printed.append(try taskCell())
            case 4:
                printed.append(
                    ctx.interpreter.run {
                        let name = {
                            multiprocessing.Process(target: MultiprocessingFunctions.processName, args: 0).name
                        }
                        return [name() + " " + name()]
                    })
            default: printed.append([])
            }
        }
        XCTAssertEqual(printed, kernel)
        ctx.interpreter.shutDown()
    }
}
