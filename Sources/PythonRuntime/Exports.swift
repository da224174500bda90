// A port imports one module, `PythonRuntime`: it re-exports the look-alikes of
// concurrent.futures (`Futures`) and of multiprocessing and process pools (`Processes`) that
// the runtime is built on, so a course depends on the one product.
@_exported import Futures
@_exported import Processes
// Python's ints beyond 64 bits (`PyValue.bigInt`, `random.getrandbits`) are BigInt's.
@_exported import BigInt
