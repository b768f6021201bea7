# Every target bootstraps .venv by itself on a fresh machine with Python 3.11+.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-fast lint format bench fuzz sdk sdk-check spec-check clean

$(STAMP): pyproject.toml $(wildcard sdk/pyproject.toml)
	@test -n "$(PYTHON)" || { echo "Python 3.11+ is required (python3.11 or newer on PATH)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]" $(if $(wildcard sdk/pyproject.toml),-e ./sdk,)
	@touch $(STAMP)

install: $(STAMP)

## Serve on 127.0.0.1:4850 with SQLite under ~/.agent-relay (migrates first).
run: install
	$(BIN)/agent-relay serve

## Every test: SQLite always, PostgreSQL too when AGENT_RELAY_TEST_POSTGRES_URL is set.
test: install sdk-check
	$(BIN)/ruff check server tests scripts sdk
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check server tests scripts sdk
	$(BIN)/ruff format --check server tests scripts sdk

format: install
	$(BIN)/ruff format server tests scripts sdk
	$(BIN)/ruff check --fix server tests scripts sdk

## Stateful schemathesis fuzzing of a live server, FUZZ_SECONDS per backend (SQLite; PostgreSQL
## too when AGENT_RELAY_TEST_POSTGRES_URL is set). `make fuzz FUZZ_SECONDS=900` runs longer.
FUZZ_SECONDS ?= 240
fuzz: install
	$(BIN)/python scripts/fuzz.py --seconds $(FUZZ_SECONDS) $(FUZZ_ARGS)

bench: install
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

## Regenerate sdk/openapi.json and sdk/agent_relay_client/_generated from the server.
sdk: install
	BIN=$(BIN) scripts/gen_sdk.sh

## Fail if the committed SDK differs from what the server's spec generates.
sdk-check: install
	BIN=$(BIN) scripts/gen_sdk.sh --check

## The spec as other tools see it: Redocly lint (0 problems), openapi-typescript types and a
## TypeScript client type-checked with tsc. Needs Node.js 20.19+ with npm (installs its tools).
spec-check: install
	BIN=$(BIN) scripts/check_spec.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
