# Two entry points, both safe to run on a fresh machine with only Python 3.11+ and make:
#   make run   — set up .venv, build a demo registry if there is none, open the app on it
#   make test  — set up .venv with the test tools, then lint, type-check and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo-registry
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml examples/*/pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	test -e $(DEMO_DB)/registry.json || $(BIN)/shegong --db $(DEMO_DB) demo
	$(BIN)/shegong --db $(DEMO_DB)

lint: $(STAMP)
	$(BIN)/ruff check core plugins tui tests bench
	$(BIN)/ruff format --check core plugins tui tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache .mypy_cache .ruff_cache
