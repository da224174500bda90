/// The example notebook `nbrun init` writes (`notebooks/01-hello.ipynb`): one markdown cell
/// and one `no-run` code cell, in the bytes nbformat writes, and the port of that cell.
enum ExampleNotebook {
    static let name = "01-hello"

    static let text = #"""
        {
         "cells": [
          {
           "cell_type": "markdown",
           "id": "intro",
           "metadata": {},
           "source": [
            "# Hello, threads\n",
            "\n",
            "The cell below starts a thread. It is tagged `no-run`: nbrun fills in its outputs by running its Swift port."
           ]
          },
          {
           "cell_type": "code",
           "execution_count": null,
           "id": "greet",
           "metadata": {
            "tags": [
             "no-run"
            ]
           },
           "outputs": [],
           "source": [
            "import threading\n",
            "import time\n",
            "\n",
            "def greet(name):\n",
            "    time.sleep(0.1)\n",
            "    print(f'hello from {name}')\n",
            "\n",
            "t = threading.Thread(target=greet, args=('a thread',))\n",
            "t.start()\n",
            "print('main thread waits')\n",
            "t.join()\n",
            "print('joined')"
           ]
          }
         ],
         "metadata": {
          "kernelspec": {
           "display_name": "Python 3",
           "language": "python",
           "name": "python3"
          },
          "language_info": {
           "name": "python"
          }
         },
         "nbformat": 4,
         "nbformat_minor": 5
        }

        """#

    /// The code cell's source, as nbformat joins it.
    static let cellSource = """
        import threading
        import time

        def greet(name):
            time.sleep(0.1)
            print(f'hello from {name}')

        t = threading.Thread(target=greet, args=('a thread',))
        t.start()
        print('main thread waits')
        t.join()
        print('joined')
        """

    /// The port's statements, line for line with the Python above.
    static let portBody = """
        // def greet(name): a Python function becomes a Swift closure or function.
        @Sendable func greet(_ name: String) {
            time.sleep(0.1)  // time.sleep: a real sleep, with the cell's GIL released meanwhile
            ctx.print("hello from \\(name)")
        }
        let t = threading.Thread { greet("a thread") }
        t.start()
        ctx.print("main thread waits")
        t.join()
        ctx.print("joined")
        """

    /// What the cell prints, in CPython and in the port.
    static let expectedOutput = "main thread waits\nhello from a thread\njoined\n"
}
