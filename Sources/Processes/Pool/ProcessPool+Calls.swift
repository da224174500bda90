import Foundation
import Futures

extension ProcessPool {
    /// Queues one call of `function` on a batch of `arguments`; `future` gets `collect` of the
    /// outputs, or the error. An argument that can't be encoded fails the future with
    /// `PicklingError`; a broken or shut down pool throws as `checkAccepting()` does.
    func submit<Argument, Output, T>(
        _ function: RemoteFunction<Argument, Output>, _ arguments: [Argument],
        into future: concurrent.futures.Future<T>,
        _ collect: @escaping @Sendable ([Output]) throws -> T
    ) throws {
        let payload: [UInt8]
        do {
            payload = try function.encode(arguments)
        } catch {
            try checkAccepting()  // a broken or shut down pool raises first, as in Python
            future.setException(Self.picklingError(error))
            return
        }
        try enqueue(
            PoolCall(
                function: function.name,
                payload: payload,
                start: { future.setRunningOrNotifyCancel() },
                finish: { result in
                    let outcome = Result {
                        let outputs: [Output]
                        do { outputs = try function.decodeOutputs(try result.get()) } catch let error
                            as DecodingError
                        {
                            throw pickle.UnpicklingError(String(describing: error))
                        }
                        return try collect(outputs)
                    }
                    switch outcome {
                    case .success(let value): future.setResult(value)
                    case .failure(let error): future.setException(error)
                    }
                },
                cancel: { future.cancel() }))
    }

    static func picklingError(_ error: any Error) -> any Error {
        if error is BaseException { return error }  // e.g. a shared Value, which only crosses by inheritance
        return pickle.PicklingError("Can't pickle argument: \(error)")
    }
}
