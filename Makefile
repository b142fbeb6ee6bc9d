# ISF: `make run` serves the demo, `make test` runs every test. Both install what is missing.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 2>/dev/null || ls -d $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -n 1 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
ISF_ADDR ?= 127.0.0.1:8000
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup run test test-sqlite test-postgres lint bench messages nightly worker prod-smoke clean

setup: $(VENV)/.installed node_modules/.installed
	@$(BIN)/python scripts/compile_messages.py >/dev/null
	@bash scripts/setup-system.sh

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c 'import sys; assert sys.version_info >= (3, 12), "ISF needs Python 3.12+: set PYTHON=/path/to/python3.12"'
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

run: setup
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v 0
	@$(BIN)/python manage.py shell -c "from isf.demo.services import database_is_empty; import sys; sys.exit(0 if database_is_empty() else 1)" \
		&& $(BIN)/isf demo || echo "Database already holds data: demo not loaded."
	$(BIN)/python manage.py collectstatic --no-input -v 0
	@echo ""
	@echo "ISF runs at http://$(ISF_ADDR)/  -  demo logins (password 'demo'): vl, idl, ad1..ad8, id1..id10, mkt, admin"
	@echo "The background worker (imports, long jobs) runs alongside and stops with the server."
	@echo ""
	ISF_DEBUG=$${ISF_DEBUG:-1} bash scripts/run.sh $(ISF_ADDR)

test: setup
	bash scripts/test.sh

test-sqlite: setup
	bash scripts/test.sh sqlite

test-postgres: setup
	bash scripts/test.sh postgres

lint: setup
	$(BIN)/ruff check .
	$(BIN)/python scripts/import_contracts.py --write
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: setup
	$(BIN)/pip install --quiet -e '.[bench]'
	bash bench/run_all.sh

messages:
	bash scripts/messages.sh

nightly: setup
	$(BIN)/isf nightly

worker: setup
	$(BIN)/python manage.py worker

# ISF as docs/operations.md runs it (gunicorn, worker, nightly, a killed worker, a stopped database) on a throw-away
# PostgreSQL cluster
prod-smoke: setup
	bash scripts/prod-smoke.sh

clean:
	rm -rf $(VENV) node_modules var
