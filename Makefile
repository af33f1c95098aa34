# Two commands set everything up on a fresh machine:
#   make run    launch Casebook (creates .venv on first use)
#   make test   run the whole test suite (lint + type check + pytest, offscreen)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test quick lint bench dist install-desktop clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/casebook

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

quick: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow" -x -q

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(BIN)/.installed
	$(BIN)/python -m bench.run $(BENCH_ARGS)

dist: $(BIN)/.installed
	$(BIN)/python .ci/check_dist.py
	$(BIN)/pyinstaller --noconfirm --clean build.spec

install-desktop: $(BIN)/.installed
	$(BIN)/casebook --install-desktop

clean:
	rm -rf build dist .pytest_cache .ruff_cache .mypy_cache
