# The two commands: `make run` serves the quiz, `make test` runs the whole suite.
# Both work on a fresh machine: they create .venv and install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Exact versions with hashes (`make lock` writes them from pyproject.toml): runtime is
# what the server needs (with the production extra), dev adds the test and dev extras
# at the same versions, so it holds every runtime package.
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
E2E_LOCK := tests/e2e/package-lock.json
E2E_STAMP := tests/e2e/node_modules/.installed

.PHONY: run test lint format install install-dev translations clean bench e2e-deps lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): $(RUNTIME_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(RUNTIME_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The dev lockfile holds the runtime one, so it brings the runtime stamp up to date too:
# `make run` after `make test` installs nothing.
$(DEV_STAMP): $(DEV_LOCK) $(RUNTIME_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(RUNTIME_STAMP)

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

translations: $(RUNTIME_STAMP)
	$(BIN)/pybabel compile -d valgomat/translations >/dev/null

# Rewrites both lockfiles from pyproject.toml with uv (installed into .venv for this only).
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --quiet --extra production --generate-hashes \
		--python-version 3.11 --custom-compile-command "make lock" -o $(RUNTIME_LOCK)
	$(BIN)/uv pip compile pyproject.toml --quiet --extra production --extra test --extra dev \
		--generate-hashes --python-version 3.11 --custom-compile-command "make lock" \
		-c $(RUNTIME_LOCK) -o $(DEV_LOCK)
	npm install --prefix tests/e2e --package-lock-only --no-audit --no-fund --silent

# The first command on a fresh checkout writes instance/secret_key (valgomat/web/secret_key.py),
# so gunicorn's workers all find and read the same key.
run: translations
	$(BIN)/valgomat db upgrade
	$(BIN)/valgomat content load --publish --if-changed --keep-edited
	$(BIN)/gunicorn --config valgomat/gunicorn_conf.py --bind 127.0.0.1:$(PORT) 'valgomat:create_app()'

# axe-core for the browser tests' accessibility checks, at the versions in
# tests/e2e/package-lock.json, when npm is there; without it those tests skip, or fail in CI.
e2e-deps:
	@if command -v npm >/dev/null && ! [ $(E2E_STAMP) -nt $(E2E_LOCK) ]; then \
		npm ci --prefix tests/e2e --no-audit --no-fund --silent && touch $(E2E_STAMP) \
		|| echo "npm ci failed: the browser tests' axe-core is missing" >&2; fi

test: $(DEV_STAMP) translations e2e-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# lint-imports checks the layer rule in .importlinter (skipped only while there is none).
lint: $(DEV_STAMP)
	$(BIN)/ruff check valgomat tests tools
	$(BIN)/mypy
	@if [ -f .importlinter ]; then echo "$(BIN)/lint-imports"; $(BIN)/lint-imports; \
		else echo "no .importlinter: lint-imports skipped"; fi

format: $(DEV_STAMP)
	$(BIN)/ruff format valgomat tests

bench: $(DEV_STAMP)
	$(BIN)/python -m tools.bench

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
