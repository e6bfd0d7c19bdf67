# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The accessibility checks' npm tools (tests/a11y), installed when npm is there; without it
# those checks skip locally and fail in CI (docs/accessibility.md).
A11Y_TOOLS := $(if $(shell command -v npm),tests/a11y/node_modules/.package-lock.json)

.PHONY: run test check lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

## Install, create or upgrade the SQLite database, load the demo agreement, start the server.
## `make run PORT=4000 HOST=0.0.0.0` listens elsewhere (else SAMVERKAN_PORT/_HOST or :3978).
run: $(VENV)/.installed
	$(BIN)/samverkan db upgrade
	$(BIN)/samverkan seed
	$(BIN)/samverkan serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

tests/a11y/node_modules/.package-lock.json: tests/a11y/package-lock.json
	npm ci --prefix tests/a11y --no-audit --no-fund

## Install the dev extras and run the whole test suite (SQLite and PostgreSQL).
test: $(VENV)/.installed-dev $(A11Y_TOOLS)
	$(BIN)/pytest

## Lint, format check, type check and the import contracts, as CI runs them.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

check: lint test

## Speed: the bot beside bare aiohttp, Bolt and botbuilder (a few minutes; see README.md).
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache samverkan.sqlite3 tests/a11y/node_modules test-artifacts
