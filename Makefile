# Yishi: `make run` serves the demo meeting; `make test` runs the whole test suite.
SHELL := /bin/bash
VENV := .venv
STAMP := $(VENV)/.installed
PORT ?= 5000
HTTPS ?= 0

.PHONY: run test setup lint typecheck translations clean

$(STAMP): pyproject.toml scripts/setup.sh
	scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP) translations

translations: $(STAMP)
	@PYBABEL=$(VENV)/bin/pybabel scripts/i18n.sh compile >/dev/null

run: setup
	PORT=$(PORT) YISHI_HTTPS=$(HTTPS) $(VENV)/bin/yishi run

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) instance test-artifacts .pytest_cache .mypy_cache .ruff_cache
