# Prunebook: every set-up step lives here, so a fresh Debian machine needs only
# `make demo` or `make test`.

SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev libreadline-dev pkg-config zlib1g-dev tmux
BENCH_PACKAGES := python3-numpy python3-scipy lua5.4
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PRUNEBOOK_DATA ?= $(abspath ../shared/data)
export PRUNEBOOK_DATA
BUILD_LOG := .build/prunebook-build.log

.PHONY: all deps test-deps build demo test fuzz fuzz-smoke test-asan generate bench model install clean

PREFIX ?= /usr/local

all: build

## Install the system libraries Prunebook links (only those missing; apt-get update only when needed).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get install -y $$missing >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update >/dev/null && $(SUDO) apt-get install -y $$missing; }; \
	fi

## Build the debug binary; fails on any compiler warning (warnings are bugs).
build: deps
	@mkdir -p .build
	@$(SWIFT) build --build-tests 2>&1 | tee $(BUILD_LOG) | grep -E "error|warning:|Compiling|Build" | grep -v "^\[" || true
	@if grep -q "error:" $(BUILD_LOG); then echo "build failed (see $(BUILD_LOG))"; exit 1; fi
	@if grep -E "warning:" $(BUILD_LOG) | grep -vE "^warning: '(swift-[a-z-]+|zipfoundation)'" ; then echo "build has compiler warnings (treated as errors)"; exit 1; fi
	@echo "build ok"

## Run the tour notebook on what the project ships, printing it with fresh outputs.
demo: build
	.build/debug/prunebook run notebooks/tour.md

## Python peers the tests check file formats against (the `safetensors` package and NumPy).
test-deps:
	@python3 -c "import numpy, safetensors" 2>/dev/null || \
	  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore numpy safetensors

## Every test: replay every notebook, then unit tests, the script corpus, doc examples,
## notebook and CLI tests.
test: build test-deps
	.build/debug/prunebook replay notebooks/*.md
	@$(SWIFT) test --skip-build > .build/prunebook-test.log 2>&1; status=$$?; \
	  grep -E "✘|error:|recorded an issue" .build/prunebook-test.log | head -80; \
	  grep -E "Test run with|Executed [0-9]+ tests" .build/prunebook-test.log | tail -2; \
	  skipped=$$(grep -c "^skipped:" .build/prunebook-test.log); \
	  if [ "$$skipped" -gt 0 ]; then echo "$$skipped tests skipped: they need PRUNEBOOK_DATA ($(PRUNEBOOK_DATA)) with stories260K.bin (list: grep ^skipped: .build/prunebook-test.log)"; fi; \
	  exit $$status
	@$(MAKE) --no-print-directory fuzz-smoke

## Fuzzing (docs/fuzzing.md). The targets live in the nested package Fuzz/, which depends on
## this one by path, so `make build` never compiles them; Fuzz/run.sh builds them with
## `-sanitize=fuzzer,address` in .build-fuzz (ld.gold's "Cannot export local symbol" warnings
## there are harmless and not counted as warnings) and runs them two at a time.
FUZZ_SECONDS ?= 600

## Fuzz every target for FUZZ_SECONDS (default 600) seconds, recording execs and coverage in
## docs/fuzz-results/DATE-COMMIT.md; fails naming the input of any crash.
fuzz:
	bash Fuzz/run.sh $(FUZZ_SECONDS) docs/fuzz-results/$$(date -u +%F)-$$(git rev-parse --short HEAD).md

## The fuzz part of `make test`: every target for 20 seconds, no results file.
fuzz-smoke:
	bash Fuzz/run.sh 20

## The whole test suite under AddressSanitizer, in its own build (.build-asan; slow, not part
## of `make test`). Leak detection is off: Swift test processes end with live globals, and
## leaks are the fuzz targets' job.
test-asan: deps test-deps
	@mkdir -p .build-asan
	@$(SWIFT) build --build-tests --scratch-path .build-asan -Xswiftc -sanitize=address > .build-asan/build.log 2>&1 || \
	  { grep -E "error:" .build-asan/build.log | head -20; echo "asan build failed (see .build-asan/build.log)"; exit 1; }
	@ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no $(SWIFT) test --skip-build --scratch-path .build-asan \
	  > .build-asan/test.log 2>&1; status=$$?; \
	  grep -E "✘|error:|recorded an issue|ERROR: AddressSanitizer|SUMMARY: AddressSanitizer" .build-asan/test.log | head -80; \
	  grep -E "Test run with|Executed [0-9]+ tests" .build-asan/test.log | tail -2; \
	  exit $$status

## Regenerate docs/builtins.md and the embedded stdlib.
generate:
	$(SWIFT) run prunebook-generate

## Measure against the peers (release build; installs numpy, scipy and lua5.4 when missing);
## BENCH_GROUPS="sparse interpreter" runs only those groups (see bench/README.md).
bench: deps
	@missing=""; for p in $(BENCH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get install -y $$missing >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update >/dev/null && $(SUDO) apt-get install -y $$missing; }; \
	fi
	bash bench/run.sh $(BENCH_GROUPS)

## Retrain the shipped default model (models/tiny-stories.safetensors) with the notebook that
## made it, writing its outputs back (release build; about ten minutes on two cores).
model: deps
	$(SWIFT) build -c release --product prunebook --scratch-path .build-release
	cd notebooks && ../.build-release/release/prunebook run train-tiny.md --write --quiet --allow-write ../models -p steps=2000 -p save=true

## Install a release build of `prunebook` into $(PREFIX)/bin.
install: deps
	$(SWIFT) build -c release --product prunebook --scratch-path .build-release
	install -D -m 755 .build-release/release/prunebook $(DESTDIR)$(PREFIX)/bin/prunebook

clean:
	rm -rf .build .build-release .build-fuzz .build-asan
