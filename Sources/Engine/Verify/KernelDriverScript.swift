/// The Python side of `nbrun verify`: runs one notebook once in a real Jupyter kernel
/// (nbclient + ipykernel, as Jupyter and nbconvert do) and writes the executed notebook.
/// Before each code cell it asks nbrun for admission on the protocol pipe and waits for
/// `go`, so kernels share the cores under the same rules as ports (`KernelAdmission`).
///
/// Protocol (one line each way): the driver says `ready` once its kernel is up, `ask N`
/// before cell N, `done N` after it, `end` when the notebook is written; nbrun answers `go`.
/// Exit 3 with `missing: NAMES` on stderr when nbclient or ipykernel cannot be imported.
enum KernelDriverScript {
    static let fileName = "nbrun_verify_driver.py"

    static let source = #"""
        import json, os, signal, sys

        # nbrun blocks SIGINT and SIGTERM in its threads (a thread of its own takes them), and a
        # child inherits the mask: unblock them, or nbclient's interrupt (SIGINT to the kernel,
        # which inherits this mask in turn) and nbrun's SIGTERM would never arrive.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])

        # The kernel inherits fds 0-2: keep the protocol on private descriptors so nothing
        # the kernel (or its children) prints or reads touches it.
        commands = os.fdopen(os.dup(0), "r")
        replies = os.fdopen(os.dup(1), "w")
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(2, 1)

        missing = []
        for name in ("nbformat", "nbclient", "ipykernel"):
            try:
                __import__(name)
            except ImportError:
                missing.append(name)
        if missing:
            print("missing: " + " ".join(missing), file=sys.stderr)
            sys.exit(3)

        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        # Die with nbrun: a SIGTERM (also sent when nbrun itself dies) unwinds through
        # nbclient's cleanup, which shuts the kernel down.
        def stop(signum, frame):
            raise SystemExit(128 + signum)
        signal.signal(signal.SIGTERM, stop)
        try:
            import ctypes
            ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except Exception:
            pass

        def say(line):
            replies.write(line + "\n")
            replies.flush()

        def wait_go():
            if commands.readline().strip() != "go":
                raise SystemExit(4)

        source, target, settings_path = sys.argv[1:4]
        with open(settings_path) as f:
            settings = json.load(f)
        timeouts = {int(k): v for k, v in settings["timeouts"].items()}
        interrupts = set(settings["interrupt"])
        nb = nbformat.read(source, as_version=4)
        positions = {id(cell): index for index, cell in enumerate(nb.cells)}

        def timeout_of(cell):
            return timeouts.get(positions.get(id(cell)), settings["default_timeout"])

        client = NotebookClient(
            nb, timeout_func=timeout_of, kernel_name=settings["kernel"],
            resources={"metadata": {"path": settings["cwd"]}})
        current = [None]

        def on_start(cell, cell_index):
            client.interrupt_on_timeout = cell_index in interrupts
            if current[0] is not None:
                say("done %d" % current[0])
            current[0] = cell_index
            say("ask %d" % cell_index)
            wait_go()

        def on_executed(cell, cell_index, execute_reply):
            if current[0] == cell_index:
                say("done %d" % cell_index)
                current[0] = None

        def on_kernel_ready(**_):
            say("ready")

        client.on_cell_execute = on_start
        client.on_cell_executed = on_executed
        client.on_notebook_start = on_kernel_ready
        stopped = ""
        try:
            client.execute()
        except CellTimeoutError as error:
            stopped = "timeout"
        except (CellExecutionError, DeadKernelError) as error:
            stopped = type(error).__name__
        if current[0] is not None:
            say("done %d" % current[0])
        # The kernel's library folder written as the kernel profile writes it (the references
        # were made so): tracebacks through threading.py then read the same on any machine.
        prefix = settings.get("library_prefix")
        if prefix:
            import sysconfig
            library = sysconfig.get_paths()["stdlib"].rstrip("/") + "/"
            for cell in nb.cells:
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "stream":
                        output["text"] = output["text"].replace(library, prefix)
                    elif output.get("output_type") == "error":
                        output["traceback"] = [line.replace(library, prefix) for line in output["traceback"]]
        nbformat.write(nb, target)
        say("end " + stopped)
        """#
}
