# Two commands do all the set-up on a fresh machine:
#   make run    installs into .venv, creates the SQLite database with demo data, serves the app
#   make test   installs into .venv (and axe-core into node_modules) and runs the whole test suite
#   make lint   the import contracts (import-linter) and ruff, as CI runs them
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
# axe-core for the browser tests' accessibility check, from the npm registry (package-lock.json pins it).
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)

.PHONY: run test lint bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

run: $(STAMP)
	$(BIN)/flask --app quizapp init-db
	$(BIN)/flask --app quizapp seed-demo
	$(BIN)/python run.py

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/capacity.py

clean:
	rm -rf $(VENV) .pytest_cache node_modules
