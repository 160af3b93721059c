# pimlearn — the two commands that matter: `make build` and `make test`.
# Everything they need is installed here: the virtual environment, the Python
# packages, and (when missing) the Debian packages and the npm test tools.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_STAMP := tests/js/node_modules/.installed-stamp
PYTEST_ARGS ?=
ARGS ?=

.PHONY: help setup setup-test build test check lint format bench bench-compare fuzz clean

help:
	@echo "make build   set up, then build every course in every locale into dist/"
	@echo "make test    set up (with test tools), lint, then run the test suite"
	@echo "make check   validate content and catalogs without writing anything"
	@echo "make lint    ruff and mypy --strict"
	@echo "make bench   build a large generated course and print per-stage times"
	@echo "make bench-compare   the same, beside a minimal pipeline, with the -j speed-up"
	@echo "make fuzz    run the property-based tests with many random examples"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
	scripts/system-deps.sh build

$(NODE_STAMP): tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --silent --no-audit --no-fund
	touch $(NODE_STAMP)

setup-test: $(STAMP) $(NODE_STAMP)
	scripts/system-deps.sh test

build: setup
	$(BIN)/pimlearn build

check: setup
	$(BIN)/pimlearn check

lint: $(STAMP)
	$(BIN)/ruff check pimlearn tests build.py
	$(BIN)/ruff format --check pimlearn tests build.py
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix pimlearn tests build.py
	$(BIN)/ruff format pimlearn tests build.py

test: setup-test lint
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# ARGS passes options through, e.g. make bench ARGS="--modules 8 --compare" (python -m tests.bench --help).
bench: setup
	$(BIN)/python -m tests.bench $(ARGS)

# pimlearn beside a minimal pipeline of the same libraries, and the -j speed-up (several more builds).
bench-compare: setup
	$(BIN)/python -m tests.bench --compare --jobs-speedup $(ARGS)

# The test suite runs property tests on fixed examples (hypothesis profile "ci");
# this hunts for new failures with many random ones (several minutes).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -p no:xdist -m fuzz -q $(PYTEST_ARGS)

clean:
	rm -rf dist .pytest_cache .mypy_cache .ruff_cache
