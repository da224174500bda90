// A port imports one module, `PythonRuntime`: it re-exports the look-alikes of
// concurrent.futures (`Futures`) and of multiprocessing and process pools (`Processes`) that
// the runtime is built on, and BigInt, Python's ints beyond 64 bits (`PyValue.bigInt`,
// `random.getrandbits`), so a course depends on the one product.
@_exported import BigInt
@_exported import Futures
@_exported import Processes
