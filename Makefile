# Two entry points, both safe to run on a fresh machine with only Python 3.11+ and make:
#   make run   — set up .venv, build a demo registry if there is none, open the app on it
#   make test  — set up .venv with the test tools, then lint, type-check and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo-registry
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml examples/*/pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck pytest bench bench-screens clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet -e examples/jilin
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	test -e $(DEMO_DB)/registry.json || $(BIN)/shegong --db $(DEMO_DB) demo
	$(BIN)/shegong --db $(DEMO_DB)

lint: $(STAMP)
	$(BIN)/ruff check core plugins tui tests bench examples
	$(BIN)/ruff format --check core plugins tui tests bench examples

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy examples/jilin/shegong_jilin

pytest: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# What the payroll and round screens cost at 5,000-10,000 workers (beside the issue's figures).
bench-screens: $(STAMP)
	$(BIN)/python bench/round_bench.py
	$(BIN)/python bench/payroll_screen_bench.py

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache .mypy_cache .ruff_cache

# The fault-injection suite with its figures counted: kills, concurrent edits, injected faults,
# damaged files, plugin faults and fuzzed inputs (the README's "Reliability" table comes from here).
.PHONY: reliability
FIGURES := $(VENV)/reliability-figures.jsonl
reliability: $(STAMP)
	rm -f $(FIGURES)
	SHEGONG_FIGURES=$(CURDIR)/$(FIGURES) $(BIN)/python -m pytest -n 2 -q tests/storage tests/fuzz tests/core/test_plugin_faults.py
	$(BIN)/python -m tests.storage.figures $(FIGURES)
