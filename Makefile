# Kraftsenter — the two commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
KS := $(BIN)/kraftsenter
export KRAFTSENTER_DEBUG ?= 1

.PHONY: demo test test-unit test-pg test-browser fuzz drills bench bench-pg install lint typecheck format messages lock clean serve

## Install -------------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The interface's catalogues (English is the source language and has none): docs/languages.md.
LOCALES := nb nn se
CATALOGUES := $(foreach l,$(LOCALES),locale/$(l)/LC_MESSAGES/django.mo)
$(CATALOGUES): locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(VENV)/.installed
	$(KS) compilemessages --ignore=.venv --ignore=node_modules -v 0

install: $(VENV)/.installed node_modules/.installed $(CATALOGUES)

## The two commands ------------------------------------------------------------------------

demo: install
	$(KS) migrate --noinput -v 0
	$(KS) load_demo
	@echo "Kraftsenter kjører på http://127.0.0.1:$(PORT)/  (Ctrl-C stopper)"
	$(KS) runserver 127.0.0.1:$(PORT)

test: install lint typecheck
	$(KS) check --fail-level WARNING
	$(KS) makemigrations --check --dry-run -v 1
	@mkdir -p var && rm -f var/.coverage*
	$(BIN)/coverage run -m pytest -m "not browser" -q -n 2
	$(BIN)/coverage combine -q
	$(BIN)/coverage report

## Slower suites that CI runs too -------------------------------------------------------------

# Runs the unit suite against PostgreSQL; DATABASE_URL must point at a server (see .ci/run).
test-pg: install
	@test -n "$$DATABASE_URL" || (echo "Set DATABASE_URL=postgres://… (see .ci/run)"; exit 2)
	$(BIN)/pytest -m "not browser" -q -p no:cacheprovider -n 2

test-browser: install
	$(BIN)/pytest -m browser -q -p no:cacheprovider

# Schemathesis over every API operation (anonymous and with an editor's token) against a
# served demo database: no server errors, no response outside the schema. Bounded in time.
fuzz: install
	bash tests/fuzz/run.sh

# Operational drills against a served database, each bounded in time, each printing its
# figures: 20 parallel PATCHes with one version, kill -9 during each import, 10 concurrent
# SQLite writers beside an import and a backup, 200 clients for 60 s on the bench dataset.
# DRILL_POSTGRES_URL=postgres://…/postgres adds the PATCH race on PostgreSQL (.ci/run sets it).
drills: install
	$(BIN)/python tests/drills/run.py

bench: install
	$(BIN)/python bench/run.py --requests 500 --duration 8 --write-docs

# The same bench on PostgreSQL: a throwaway cluster started as .ci/run does and removed
# afterwards (or KRAFTSENTER_BENCH_DATABASE_URL=postgres://…, dropped and rebuilt).
bench-pg: install
	$(BIN)/python bench/run.py --database postgres --requests 500 --duration 8 --write-docs


## Housekeeping ------------------------------------------------------------------------------

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed
	$(KS) makemessages $(foreach l,$(LOCALES),-l $(l)) --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --no-obsolete

lock: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache
