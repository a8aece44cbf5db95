# Integritas: `make run` serves the demo, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test lint bench messages clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    set up, migrate, load demo data, serve on http://$(HOST):$(PORT) (gunicorn)"
	@echo "make test   set up and run the whole test suite"
	@echo "make dev    like run, but Django's autoreloading development server"
	@echo "make lint   ruff (lint + format check), mypy, and the import layers (import-linter)"
	@echo "make bench  performance figures (PARTS=portal: only the portal over HTTP)"

# The environment is rebuilt when the dependency list or the lock file changes.
$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $@

var:
	@mkdir -p var/media var/mail

run: export DEMO_MODE ?= true
run: $(VENV)/.runtime var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py send_reminders --schedule
	$(BIN)/python manage.py compute_indices --schedule
	$(BIN)/python manage.py publish_anchor --schedule
	$(BIN)/python manage.py purge_exports --schedule
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Integritas is serving on http://$(HOST):$(PORT)/ with a background worker (Ctrl+C stops both)"
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py integritas.wsgi --bind $(HOST):$(PORT)

dev: export DEMO_MODE ?= true
dev: export DEBUG ?= true
dev: $(VENV)/.dev var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py send_reminders --schedule
	$(BIN)/python manage.py compute_indices --schedule
	$(BIN)/python manage.py publish_anchor --schedule
	$(BIN)/python manage.py purge_exports --schedule
	@$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy integritas
	$(BIN)/lint-imports

# DuckDB is optional: without it (no network, no wheel) the bench skips its DuckDB reference.
$(VENV)/.bench: $(VENV)/.dev
	@$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,bench]' \
		&& touch $@ || echo "make bench: DuckDB could not be installed; its reference is skipped"

# DATABASE_URL=postgres://... make bench measures on PostgreSQL (a test database is created there).
# PARTS=portal (or audit, pages, import, indices, dashboards, exports) runs only the parts named.
bench: $(VENV)/.bench
	$(BIN)/python bench/run.py $(PARTS)

# Regenerate the translation catalogues after changing strings (needs GNU gettext).
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l id -l en --no-obsolete --ignore '$(VENV)/*' --ignore 'var/*' --ignore '*/tests/*' --ignore 'bench/*'
	$(BIN)/python manage.py compilemessages --ignore '$(VENV)'

clean:
	rm -rf $(VENV) var/static
