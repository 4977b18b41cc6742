# Two commands for a newcomer: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PROFILE ?= hatinh-ubnd
STAMP := $(VENV)/.installed
PYTEST_ARGS ?= -n 2

.PHONY: run test install lint format migrate demo serve bench clean messages test-browser test-security

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

migrate: install
	mkdir -p var/broker/queue var/broker/processed var/media
	$(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	$(BIN)/python manage.py load_profile $(PROFILE) --demo-users

## make run: install, migrate, load the demo office and serve on http://127.0.0.1:8000 with the worker and beat.
run: demo
	$(BIN)/honcho start -f Procfile.dev

serve: migrate
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: lint, formatting and the whole test suite (DATABASE_URL/REDIS_URL select PostgreSQL/Redis).
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

## make test-browser: only the Playwright journeys (Debian's chromium; screenshots of failures in test-artifacts/).
test-browser: install
	$(BIN)/pytest tests/browser $(PYTEST_ARGS)

## make test-security: permission matrix, security, operations and query-count tests.
test-security: install
	$(BIN)/pytest tests/test_permission_matrix.py tests/test_security.py tests/test_ops.py tests/test_ops_backup.py \
		tests/test_ops_query_counts.py $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf var/broker var/celerybeat-schedule* .pytest_cache
