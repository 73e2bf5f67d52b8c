# Toezicht: `make run` sets everything up and serves; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := TOEZICHT_DEBUG=true TOEZICHT_SECURE_COOKIES=false

.PHONY: run install assets migrate demo serve test lint types migrations-check pytest e2e lock clean

run: install migrate demo serve

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: install
	$(DEV_ENV) $(BIN)/toezicht migrate --verbosity 0

demo: install
	$(DEV_ENV) $(BIN)/toezicht demo --if-empty

serve: install
	@echo "Toezicht draait op http://127.0.0.1:8000 (stoppen met Ctrl+C)"
	$(DEV_ENV) $(BIN)/toezicht runserver 127.0.0.1:8000

test: install lint types migrations-check pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: install
	$(BIN)/mypy src

migrations-check: install
	$(BIN)/toezicht makemigrations --check --dry-run

pytest: install
	$(BIN)/pytest -n 2 --dist loadgroup

e2e: install
	$(BIN)/pytest -m e2e -p no:xdist

# Re-pin the Python dependencies after editing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .ruff_cache
