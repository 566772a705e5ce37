# The README's two commands are `make run` and `make test`; CI (.ci/run) calls `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest worker bench clients tools chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml clients/python/pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,all]' -e clients/python
	touch $@ $(VENV)/.base-installed

## run: install and serve the API on http://127.0.0.1:8000 (embedded Postgres unless PAYBILL_DATABASE_URL is set)
run: $(VENV)/.base-installed
	$(BIN)/paybill serve

## worker: run a provisioning worker against PAYBILL_DATABASE_URL
worker: $(VENV)/.base-installed
	$(BIN)/paybill worker

## test: install dev dependencies, lint, type-check and run the whole test suite
test: lint typecheck pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff format --check src tests benchmarks migrations scripts
	$(BIN)/ruff check src tests benchmarks migrations scripts

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

pytest: $(VENV)/.dev-installed tools chromium
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

## chromium: Debian's Chromium for the console's browser tests (as root: apt-get; never `playwright install`)
chromium:
	@if [ -x /usr/lib/chromium/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "warning: could not install chromium; the console's browser tests will be skipped" >&2; \
	else echo "note: no Chromium (sudo apt-get install chromium); the console's browser tests will be skipped" >&2; fi

## tools: the Node tools the tests run (Redocly CLI, axe-core; pinned in tools/package.json)
tools: tools/node_modules/.package-lock.json

tools/node_modules/.package-lock.json: tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## clients: regenerate openapi.json, clients/python and clients/typescript from the code
clients: $(VENV)/.dev-installed
	$(BIN)/python -m scripts.generate_clients

## bench: every benchmark against its bare baseline (BENCH_ARGS=--quick: < 3 min each); appends to benchmarks/RESULTS.md
bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.run_all $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .paybill .paybill-test .pytest_cache .mypy_cache .ruff_cache tools/node_modules
