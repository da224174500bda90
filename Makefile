# nbrun: the commands a maintainer types. Each target installs libjansson-dev itself
# when pkg-config cannot find jansson (Debian/Ubuntu; needs root or sudo).
SWIFT        ?= swift
CONFIG       ?= release
NBRUN         = .build/$(CONFIG)/nbrun
PYTHON       ?= python3
VENV         ?= .venv
FUZZ_SECONDS ?= 60

.PHONY: build test tsan run check fmt format lint bench fuzz leaks deps pyenv clean

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build -c $(CONFIG) --product nbrun

# The whole suite (the real nbformat is used by the round-trip tests: see scripts/pyenv.sh),
# then the golden notebooks checked against fresh runs (with the debug build just made).
test: deps pyenv
	NBRUN_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test
	.build/debug/nbrun check notebooks/

# ThreadSanitizer over the whole suite, in its own build folder. TSan sleeps 1 s at every
# exit by default (atexit_sleep_ms) to let threads report; the end-to-end tests start
# hundreds of nbrun processes and workers, so that second is switched off.
tsan: deps pyenv
	TSAN_OPTIONS="atexit_sleep_ms=0 $$TSAN_OPTIONS" NBRUN_SANITIZER=thread NBRUN_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test --sanitize=thread --scratch-path .build-tsan

# Regenerates the course notebooks in place.
run: build
	$(NBRUN) notebooks/

check: build
	$(NBRUN) check notebooks/

fmt: build
	$(NBRUN) fmt notebooks/

# The Swift sources in the house style (.swift-format); `lint` is what CI runs.
format:
	$(SWIFT) format -i -r Sources Tests Fuzz

lint:
	$(SWIFT) format lint --strict -r Sources Tests Fuzz

pyenv:
	@scripts/pyenv.sh $(VENV) nbformat ipython nbclient ipykernel

# Figures side by side with nbconvert, papermill, nbformat and json (BENCH.md). Never fails on speed.
bench: deps
	@scripts/bench.sh

# libFuzzer + AddressSanitizer on the reader and canonical writer (read -> write -> read agrees).
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

# Reading and writing notebooks leaks nothing (valgrind).
leaks: deps
	@scripts/leaks.sh

clean:
	rm -rf .build .build-* $(VENV)
