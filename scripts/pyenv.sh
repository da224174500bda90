#!/usr/bin/env bash
# Creates (once) a Python venv at $1 holding the PyPI packages named after it.
# The tests use it to compare nbrun's bytes with the real nbformat's and Out[n] with IPython's,
# and `nbrun verify` to run the notebooks in a real kernel (nbclient, ipykernel).
set -euo pipefail
venv="$1"; shift
stamp="$venv/.installed-$(echo "$*" | tr ' ' '_')"
if [ -f "$stamp" ]; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "$@"
touch "$stamp"
