# nbrun: the commands a maintainer types. Each target installs libjansson-dev itself
# when pkg-config cannot find jansson (Debian/Ubuntu; needs root or sudo).
SWIFT        ?= swift
CONFIG       ?= release
NBRUN         = .build/$(CONFIG)/nbrun
PYTHON       ?= python3
VENV         ?= .venv
FUZZ_SECONDS ?= 60

.PHONY: build test test-unit test-e2e tsan run check verify fmt format lint docs bench fuzz leaks deps pyenv clean

deps:
	@scripts/ensure-deps.sh

# nbrun and the course's web server (io-server, which nbrun starts for 07-io), side by side.
build: deps
	$(SWIFT) build -c $(CONFIG) --product nbrun
	$(SWIFT) build -c $(CONFIG) --product io-server

# The suite in two tiers (the real nbformat and python3 are used by the reference tests: see
# scripts/pyenv.sh). Unit (`<Module>Tests`): one module at a time, nothing that sleeps, waits
# out a timeout, reads a clock against a bound, or starts a kernel, nbrun or a service; run on
# every change. End to end: each module's timing and real-process tests (`<Module>EndToEndTests`),
# the ports against their goldens with their timing windows (DemosTests), the command line and a
# course built outside the checkout (nbrunTests), then the golden notebooks checked against fresh runs.
UNIT_TESTS = ^(SystemCallsTests|NotebookTests|FuturesTests|ProcessesTests|PythonRuntimeTests|EngineTests)\.
E2E_TESTS  = ^([A-Za-z]+EndToEndTests|DemosTests|nbrunTests)\.

test: test-unit test-e2e

test-unit: deps pyenv
	NBRUN_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test --filter '$(UNIT_TESTS)'

test-e2e: deps pyenv
	NBRUN_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test --filter '$(E2E_TESTS)'
	.build/debug/nbrun check notebooks/

# ThreadSanitizer over the whole suite, in its own build folder. TSan sleeps 1 s at every
# exit by default (atexit_sleep_ms) to let threads report; the end-to-end tests start
# hundreds of nbrun processes and workers, so that second is switched off.
tsan: deps pyenv
	TSAN_OPTIONS="atexit_sleep_ms=0 $$TSAN_OPTIONS" NBRUN_SANITIZER=thread NBRUN_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test --sanitize=thread --scratch-path .build-tsan

# Regenerates the course notebooks in place, rewriting only cells whose outputs changed under
# `check`'s rules, so an up-to-date clone stays clean. `make run KEEP=` rewrites every cell.
KEEP         ?= --keep-unchanged
run: build
	$(NBRUN) run $(KEEP) notebooks/

check: build
	$(NBRUN) check notebooks/

# Every port checked against a real Jupyter kernel (the venv's nbclient and ipykernel).
verify: build pyenv
	$(NBRUN) verify --python $(CURDIR)/$(VENV)/bin/python notebooks/

fmt: build
	$(NBRUN) fmt notebooks/

# The Swift sources in the house style (.swift-format); `lint` is what CI runs.
format:
	$(SWIFT) format -i -r Sources Tests Fuzz

lint:
	$(SWIFT) format lint --strict -r Sources Tests Fuzz
	@scripts/check-module-graph.sh

# The port author's API (Sources/PythonRuntime/PythonRuntime.docc): a broken link or an
# undocumented parameter fails the build.
docs:
	$(SWIFT) package generate-documentation --target PythonRuntime --warnings-as-errors

# nbformat and IPython for the round-trip tests; nbclient and ipykernel for `nbrun verify`
# (the real kernel the ports are checked against).
pyenv:
	@scripts/pyenv.sh $(VENV) nbformat ipython nbclient ipykernel

# Figures side by side with nbconvert, papermill, nbformat and json (BENCH.md). Never fails on speed.
bench: deps
	@scripts/bench.sh

# libFuzzer + AddressSanitizer on the reader and canonical writer (read -> write -> read agrees)
# and on a notebook with its comparison rules (patterns, masks, budgets, the diff).
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

# Reading and writing notebooks leaks nothing (valgrind).
leaks: deps
	@scripts/leaks.sh

clean:
	rm -rf .build .build-* $(VENV)
