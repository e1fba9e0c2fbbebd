# Two entry points, as in the README quick start.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup example test lint

$(BIN)/khabar: pyproject.toml src/khabar/text/_scan.c src/khabar/text/_halfspace.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	# byte-compile the sources as pip does for a regular install (an editable one does not, and where
	# PYTHONDONTWRITEBYTECODE is set every run would compile them again: ~0.1 s of each command's start)
	$(BIN)/python -m compileall -q src
	touch $(BIN)/khabar

setup: $(BIN)/khabar

example: setup
	$(BIN)/khabar analyze examples/*.txt | $(BIN)/python examples/show.py

test: setup
	$(BIN)/ruff check src tests training bench examples
	$(BIN)/python -m pytest
