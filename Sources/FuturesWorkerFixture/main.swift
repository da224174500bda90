import Foundation
import Futures
import Processes

// A worker for FuturesTests, and a parent for the orphan tests:
//   FuturesWorkerFixture parent-with-pool N   starts N pool workers and one Process, prints
//                                             their pids on one line, then waits to be killed.
//   FuturesWorkerFixture cpython-cost LIMIT       the port of a prime count spending CPython's
//                                                 CPU time (bench/cpu_cost_row.py).
//   FuturesWorkerFixture measure-map              the notebook's 10,000 squares on 2 workers,
//                                                 chunksize 1 vs 1000 (figures for the report).
//   FuturesWorkerFixture child-start N            N times `start()` to the child's first
//                                                 statement, in ms (bench/child_start_row.py).
ProcessWorker.register(FixtureFunctions.all + MultiprocessingFunctions.all + [ChildStartMeasurement.stamp])
ProcessWorker.runIfRequested()

let arguments = CommandLine.arguments
if arguments.count == 3, arguments[1] == "cpython-cost", let limit = Int(arguments[2]) {
    CPythonCostDemo.run(limit: limit)
    exit(0)
}
if arguments.count == 3, arguments[1] == "child-start", let count = Int(arguments[2]) {
    try ChildStartMeasurement.run(count: count)
    exit(0)
}
if arguments.count == 2, arguments[1] == "measure-map" {
    try MapMeasurement.run()
    exit(0)
}
guard arguments.count == 3, arguments[1] == "parent-with-pool", let workers = Int(arguments[2]), workers > 0 else {
    FileHandle.standardError.write(Data("usage: FuturesWorkerFixture parent-with-pool N | measure-map\n".utf8))
    exit(2)
}
let pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: workers)
let futures = try (0..<workers).map { _ in try pool.submit(FixtureFunctions.whoami, 0.2) }
var pids = Set<Int32>()
for future in futures {
    if let pid = try? future.result() { pids.insert(pid) }
}
let sleeper = multiprocessing.Process(target: FixtureFunctions.whoami, args: 1000)
try sleeper.start()
if let pid = try sleeper.pid { pids.insert(pid) }
FileHandle.standardOutput.write(Data((pids.sorted().map(String.init).joined(separator: " ") + "\n").utf8))
Thread.sleep(forTimeInterval: 1000)
