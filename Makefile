# The two commands of the README: `make run` and `make test`. Both set up .venv/ first when needed.
# `make bench` times the warehouse at scale factors of the programme (BENCHMARKS.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO := build/demo
OUT := build/output
DEMO_YEAR := 2024
# make run ENGINE=postgres: the same run on a throwaway PostgreSQL (build/postgres/), published in build/output-postgres/
ENGINE ?= duckdb
# make bench SCALES="1 10" RUNS=3 INCREMENTAL=10: scale factors, repetitions, where adding a year is timed
SCALES ?= 1 10 100
RUNS ?= 3
INCREMENTAL ?= 10 100
# make test: test modules spread over this many processes (one per core, at most 4; TEST_WORKERS=0: in one process)
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; echo $$n)

.PHONY: setup system run test lint demo bench clean

AXE := tests/axe/node_modules/axe-core/axe.min.js

setup: system $(INSTALLED) $(AXE)

# Debian packages for the PDF reports (WeasyPrint's libraries) and the browser test (chromium): installed when
# missing and root, otherwise named with the command to run.
system:
	@bash scripts/setup_system.sh

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(INSTALLED)

# axe-core for the accessibility test, at the version of tests/axe/package-lock.json (npm ci: exactly the lock)
$(AXE): tests/axe/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "setup: npm is missing: the accessibility test cannot run (scripts/setup_system.sh installs it as root)" >&2; fi

demo: $(DEMO)/.generated

$(DEMO)/.generated: $(INSTALLED) scripts/generate_demo.py
	rm -rf $(DEMO)
	$(BIN)/python scripts/generate_demo.py --out $(DEMO)
	touch $@

run: setup demo
ifeq ($(ENGINE),postgres)
	$(BIN)/python scripts/throwaway_postgres.py run build/postgres -- $(BIN)/fabriques run \
		$(sort $(wildcard $(DEMO)/campaign-*)) --year $(DEMO_YEAR) --out $(OUT)-postgres --engine postgres
else
	$(BIN)/fabriques run $(sort $(wildcard $(DEMO)/campaign-*)) --year $(DEMO_YEAR) --out $(OUT)
endif

test: setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# make lint: Python (ruff: lint and format, pyproject.toml) and the dbt project's SQL (sqlfluff with the dbt
# templater, .sqlfluff: the macros are linted in the models that call them; dbt compiles against a throwaway
# warehouse under build/)
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p build/lint
	FABRIQUES_WAREHOUSE=$(CURDIR)/build/lint/warehouse.duckdb $(BIN)/sqlfluff lint models tests/dbt

bench: setup
	$(BIN)/python scripts/bench.py --scales $(SCALES) --runs $(RUNS) --incremental $(INCREMENTAL)

clean:
	rm -rf build target logs
