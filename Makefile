# The two commands of the README: `make run` and `make test`. Both set up .venv/ first when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO := build/demo
OUT := build/output
DEMO_YEAR := 2024

.PHONY: setup system run test demo clean

setup: system $(INSTALLED)

# Debian packages for the PDF reports (WeasyPrint's libraries) and the browser test (chromium): installed when
# missing and root, otherwise named with the command to run.
system:
	@bash scripts/setup_system.sh

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(INSTALLED)

demo: $(DEMO)/.generated

$(DEMO)/.generated: $(INSTALLED) scripts/generate_demo.py
	rm -rf $(DEMO)
	$(BIN)/python scripts/generate_demo.py --out $(DEMO)
	touch $@

run: setup demo
	$(BIN)/fabriques run $(sort $(wildcard $(DEMO)/campaign-*)) --year $(DEMO_YEAR) --out $(OUT)

test: setup
	$(BIN)/python -m pytest

clean:
	rm -rf build target logs
