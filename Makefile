# spectcoder: each target rebuilds what it needs from files, with fixed seeds throughout.
#   make run     score the bundled sample archive into SQLite and serve the review app
#   make test    the whole test suite (SQLite, PostgreSQL, Chromium, Spark)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DEV_CASES ?= ../shared/eval/dev-cases.jsonl
GOLD := $(sort $(wildcard corpus/gold/gold-*.jsonl))
CORPUS_SRC := $(wildcard corpus/*.py corpus/templates/*)
TRAIN_SEED ?= 101
CALIB_SEED ?= 202
TRAIN_N ?= 12000
CALIB_N ?= 3000

.PHONY: install test test-fast lint format run serve corpus train evaluate eval-facts bench bench-spark notebook clean

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

# The main job on the embedded defaults: score nlp/samples/archive.jsonl with the bundled
# model into a SQLite review queue (var/demo.db), create the first admin and serve on
# 127.0.0.1:8000 (the URL and the first login are printed).
run: install
	$(PY) -m nlp.review.web.demo

# --- the model: corpus -> train -> evaluate ----------------------------------------------
corpus: corpus/generated/train.jsonl corpus/generated/calib.jsonl

corpus/generated/train.jsonl: $(CORPUS_SRC) | install
	$(PY) -m corpus.generate --n $(TRAIN_N) --seed $(TRAIN_SEED) --out $@

corpus/generated/calib.jsonl: $(CORPUS_SRC) | install
	$(PY) -m corpus.generate --n $(CALIB_N) --seed $(CALIB_SEED) --out $@

train: corpus
	$(BIN)/spectcoder train --corpus corpus/generated/train.jsonl --calib corpus/generated/calib.jsonl \
	  $(foreach g,$(GOLD),--gold $(g)) --out models

evaluate: install
	mkdir -p var
	$(BIN)/spectcoder evaluate $(DEV_CASES) --json var/eval-dev.json
	cat $(GOLD) > var/gold-all.jsonl
	$(BIN)/spectcoder evaluate var/gold-all.jsonl --gold-split heldout --no-misses --json var/eval-gold-heldout.json

eval-facts: install
	$(BIN)/spectcoder evaluate-facts $(DEV_CASES)

notebook: install
	$(BIN)/jupyter execute notebooks/01-evaluation.ipynb

# --- benchmarks: each compares against a baseline measured in the same run ---------------
bench: install
	$(PY) -m bench.pipeline --reports 10000
	$(PY) -m bench.product --reports 20000 --workers 2
	$(PY) -m bench.web --clients 20 --seconds 30

bench-spark: install
	$(PY) -m bench.spark --reports 2000

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache var/demo.db
