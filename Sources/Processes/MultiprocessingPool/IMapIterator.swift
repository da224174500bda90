import Dispatch
import Foundation
import Futures

extension multiprocessing {
    /// The results of `Pool.imap` (in input order) or `Pool.imapUnordered` (in the order the
    /// workers finish them): Python's `multiprocessing.pool.IMapIterator`.
    ///
    ///     let squares = try pool.imap(square, 0..<10)
    ///     while let value = try squares.next() { print(value) }
    public final class IMapIterator<Output: Sendable>: Sendable {
        private struct State: Sendable {
            var buffer: [Output] = []
            var nextChunk = 0
            /// Chunks finished, in the order they finished (for `imap_unordered`).
            var finished: [Int] = []
            /// A failed chunk ended the iteration (`stopsAtFirstError`).
            var exhausted = false
        }

        private let chunks: [concurrent.futures.Future<[Output]>]
        private let ordered: Bool
        /// With `chunksize > 1`, CPython returns `(item for chunk in result for item in chunk)`:
        /// the first failed chunk raises out of that generator, which is then finished.
        private let stopsAtFirstError: Bool
        private let state = Locked(State())
        private let finishedCount = DispatchSemaphore(value: 0)

        init(chunks: [concurrent.futures.Future<[Output]>], ordered: Bool, stopsAtFirstError: Bool = false) {
            self.chunks = chunks
            self.ordered = ordered
            self.stopsAtFirstError = stopsAtFirstError
            guard !ordered else { return }
            for (index, chunk) in chunks.enumerated() {
                chunk.addDoneCallback { [state, finishedCount] _ in
                    state.withLock { $0.finished.append(index) }
                    finishedCount.signal()
                }
            }
        }

        /// Python: `next(timeout=None)`: the next result, `nil` when there are no more
        /// (`StopIteration`). Waits with the calling cell's GIL released; after `timeout`
        /// seconds, `multiprocessing.TimeoutError`. A call that raised raises here, in its
        /// place (once for its whole chunk); with `chunksize: 1` the iteration goes on after
        /// it, with a larger chunksize it ends there, as CPython's generator does.
        public func next(timeout: TimeInterval? = nil) throws -> Output? {
            while true {
                let (item, chunkIndex): (Output?, Int?) = state.withLock { s in
                    if s.exhausted { return (nil, nil) }
                    if !s.buffer.isEmpty { return (s.buffer.removeFirst(), nil) }
                    return (nil, s.nextChunk < chunks.count ? s.nextChunk : nil)
                }
                if let item { return item }
                guard chunkIndex != nil else { return nil }
                let chunk = try ordered ? nextInOrder(timeout: timeout) : nextFinished(timeout: timeout)
                do {
                    let outputs = try chunk.result()  // done: returns at once (or throws the call's error)
                    state.withLock { $0.buffer = outputs }
                } catch {
                    if stopsAtFirstError { state.withLock { $0.exhausted = true } }
                    throw error
                }
            }
        }

        private func nextInOrder(timeout: TimeInterval?) throws -> concurrent.futures.Future<[Output]> {
            let chunk = chunks[state.withLock { $0.nextChunk }]
            _ = try? chunk.exception(timeout: timeout)  // waits; what it finished with is read below
            guard chunk.done else { throw multiprocessing.TimeoutError() }
            state.withLock { $0.nextChunk += 1 }
            return chunk
        }

        private func nextFinished(timeout: TimeInterval?) throws -> concurrent.futures.Future<[Output]> {
            let deadline: DispatchTime = timeout.map { .now() + max(0, $0) } ?? .distantFuture
            if finishedCount.wait(timeout: .now()) == .timedOut {
                guard Ambient.blocking({ finishedCount.wait(timeout: deadline) }) == .success else {
                    throw multiprocessing.TimeoutError()
                }
            }
            let index = state.withLock { s in
                s.nextChunk += 1
                return s.finished.removeFirst()
            }
            return chunks[index]
        }
    }
}
