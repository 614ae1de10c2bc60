# spectcoder: every target rebuilds what it needs from files (fixed seeds throughout).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DEV_CASES ?= ../shared/eval/dev-cases.jsonl

.PHONY: install test test-fast lint format run bench eval-facts clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

test: install
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not slow and not browser and not spark"

lint: install
	$(BIN)/ruff check nlp tests corpus bench
	$(BIN)/ruff format --check nlp tests corpus bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix nlp tests corpus bench
	$(BIN)/ruff format nlp tests corpus bench

# Facts of the bundled sample reports (replaced by scoring + the review app as they land).
run: install
	$(BIN)/spectcoder extract --file nlp/samples/bone-spect-ct.txt

eval-facts: install
	$(BIN)/spectcoder evaluate-facts $(DEV_CASES)

bench: install
	$(PY) -m bench.pipeline --reports 10000

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
