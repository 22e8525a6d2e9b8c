# The two commands: `make demo` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
VPY := $(VENV)/bin/python
export VIRTUAL_ENV := $(abspath $(VENV))
STAMP := $(VENV)/.deps-stamp
CARGO ?= cargo

.PHONY: demo test test-rust test-python develop bench bench-peer bench-rust lint clean

$(STAMP): requirements-dev.txt pyproject.toml
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -r requirements-dev.txt
	touch $@

## Build the extension in release mode into the venv.
develop: $(STAMP)
	$(VENV)/bin/maturin develop --release -q

## The main job on a built-in synthetic cohort: match, explain, audit, rematch, with timings.
demo: develop
	$(VPY) -m mentorpair.demo

test-rust:
	$(CARGO) test --all-targets --features arrow -q
	$(CARGO) test --doc --features arrow -q

# pytest's exit code 5 ("no tests collected") is a failure here, never a silent pass.
test-python: develop
	$(VPY) -m pytest -q -rs tests/python; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

## Lint, then all Rust and Python tests.
test: lint
	$(MAKE) test-rust test-python

bench: develop
	$(VPY) -m pip install -q -r requirements-bench.txt
	$(VPY) benches/compare.py

## mentorpair against the peer package mentor-match on its own sample cohorts (needs ../shared).
bench-peer: develop
	$(VPY) -m pip install -q -r requirements-bench.txt
	$(VPY) benches/peer_mentor_match.py

bench-rust:
	$(CARGO) bench --bench lsap

## Rust: rustfmt and clippy (warnings are errors). Python: ruff (lint and format) and mypy --strict
## on the package, with the versions pinned in requirements-dev.txt.
lint: $(STAMP)
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --all-features -- -D warnings
	$(VENV)/bin/ruff check python/mentorpair
	$(VENV)/bin/ruff format --check python/mentorpair
	$(VENV)/bin/mypy --strict python/mentorpair

clean:
	rm -rf $(VENV) target
