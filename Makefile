# moviesite: the two commands are `make run` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# make run / demo: the embedded mode with the development server.
DEV_ENV := DJANGO_DEBUG=1

.DEFAULT_GOAL := run
.PHONY: help run demo setup install install-dev translations messages migrate serve test lint format bench test-deps clean

## help: list these targets with what each does
help:
	@sed -n 's/^## //p' $(firstword $(MAKEFILE_LIST))

## run: set everything up (venv, database, demo catalog, models, admin) and serve on http://$(HOST):$(PORT)
run: demo
	$(DEV_ENV) $(MANAGE) serve_embedded $(HOST):$(PORT)

## demo: everything `make run` does, without serving
demo: setup
	$(DEV_ENV) $(MANAGE) load_demo --if-empty
	$(DEV_ENV) $(MANAGE) train --if-missing
	$(DEV_ENV) $(MANAGE) ensure_admin --site-url http://$(HOST):$(PORT)

setup: install translations migrate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## translations: compile locale/*.po to .mo with polib (no system gettext needed)
translations: install
	$(DEV_ENV) $(MANAGE) compiletranslations

## messages: update locale/es from the sources (needs GNU gettext); then translate what is new or fuzzy
messages:
	$(DEV_ENV) $(MANAGE) makemessages -l es --add-location=file --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=staticfiles --no-obsolete

migrate: install
	$(DEV_ENV) $(MANAGE) migrate --noinput

## serve: services mode (DATABASE_URL, REDIS_URL set): gunicorn, Celery worker and beat via the Procfile.
## Production settings when DJANGO_SECRET_KEY is set; otherwise DJANGO_DEBUG=1 for a local try-out.
## The services are checked before anything touches a database, and the migration runs with the
## settings the site will serve with.
SERVE_ENV := $(if $(DJANGO_SECRET_KEY),,$(DEV_ENV))
serve: install translations
	@test -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || { echo "make serve needs DATABASE_URL and REDIS_URL (see README)"; exit 2; }
	@if [ -z "$$DJANGO_SECRET_KEY" ]; then echo "DJANGO_SECRET_KEY is not set: serving with DJANGO_DEBUG=1"; fi
	$(SERVE_ENV) $(MANAGE) migrate --noinput
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/honcho start --port $(PORT)

## test-deps: Debian's Chromium (browser tests, driven by Playwright: no ChromeDriver), wrk (load benchmark tests)
## and gettext (the translation catalog's completeness test runs `make messages`)
test-deps:
	@command -v chromium >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium wrk gettext >/dev/null; \
	  else echo "browser, load and catalog tests need Debian's packages: sudo apt-get install chromium wrk gettext"; fi; }

## test: install the dev requirements and run the whole suite (PYTEST_ARGS="-k ..." to narrow it)
test: install-dev translations test-deps
	$(BIN)/pytest $(PYTEST_ARGS)

## lint: ruff (lint + format), mypy with django-stubs, migrations up to date
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/mypy .
	$(DEV_ENV) $(MANAGE) makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: the benchmarks under bench/ but bench_layers, figures written to BENCHMARKS.md
bench: install-dev
	$(PY) -m bench.run_all

clean:
	rm -rf $(VENV) var staticfiles
