#!/usr/bin/env python3
"""Measures the process a Jupyter kernel runs a notebook in (docs/kernel.md), with the real
nbclient and ipykernel: prints one JSON object. nbrun's KernelProfile holds the same facts;
the tests compare the two.

    .venv/bin/python scripts/kernel_profile.py
"""
import json
import sys

import nbformat
from nbclient import NotebookClient

PROBE = r'''
import threading, asyncio, multiprocessing, sys, os, json, traceback, time
def _probe():
    alive = threading.enumerate()
    t = threading.Thread(target=lambda: None); name = t.name
    def f():
        raise ValueError('x')
    try:
        f()
    except ValueError as e:
        tb = traceback.extract_tb(e.__traceback__)[-1]
    return {
        'threads': [x.name for x in alive],
        'daemons': [x.daemon for x in alive],
        'active_count': threading.active_count(),
        'next_thread_name': name,
        'prefix': os.path.dirname(threading.__file__) + '/',
        'version': sys.version.split()[0],
        'cell_file': tb.filename,
        'pid': os.getpid(),
        'running_loop': type(asyncio.get_event_loop()).__name__,
    }
print(json.dumps(_probe()))
'''
TASK = r'''
async def _t(): pass
print(json.dumps({'task': asyncio.create_task(_t()).get_name()}))
'''
PROCESS = r'''
print(json.dumps({'process': multiprocessing.Process(target=print).name}))
'''
CELL_HASH = r'''
import ipykernel.compiler as _c
print(json.dumps({'hash_of_x': _c.murmur2_x86("x = 1\n", _c.get_tmp_hash_seed()),
                  'seed': _c.get_tmp_hash_seed(), 'cell_file_of_x': _c.get_file_name("x = 1\n")}))
'''


def main():
    cells = [PROBE, TASK, PROCESS, CELL_HASH]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=30, kernel_name='python3').execute()
    found = {}
    for cell in nb.cells:
        for out in cell.outputs:
            if out.get('name') == 'stdout':
                found.update(json.loads(out['text']))
    json.dump(found, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == '__main__':
    main()
