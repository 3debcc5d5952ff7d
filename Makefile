# The two commands: `make run` serves the quiz, `make test` runs the whole suite.
# Both work on a fresh machine: they create .venv and install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := $(VENV)/.installed
AXE := tests/e2e/node_modules/axe-core/axe.min.js

.PHONY: run test lint format install translations clean bench e2e-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile -d valgomat/translations >/dev/null

# The first command on a fresh checkout writes instance/secret_key (valgomat/web/secret_key.py),
# so gunicorn's workers all find and read the same key.
run: install translations
	$(BIN)/valgomat db upgrade
	$(BIN)/valgomat content load --publish --if-changed --keep-edited
	$(BIN)/gunicorn --config valgomat/gunicorn_conf.py --bind 127.0.0.1:$(PORT) 'valgomat:create_app()'

# axe-core for the browser tests' accessibility checks (tests/e2e/package.json), when npm
# is there; without it those tests skip, or fail in CI.
e2e-deps:
	@command -v npm >/dev/null && { test -f $(AXE) || npm install --prefix tests/e2e --no-audit --no-fund --silent; } || true

test: install translations e2e-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check valgomat tests
	$(BIN)/mypy

format: install
	$(BIN)/ruff format valgomat tests

bench: install
	$(BIN)/python -m tools.bench

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
