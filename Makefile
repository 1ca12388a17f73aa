# Yingji — the two commands of the README, plus the tools developers and CI use.
#   make run    set up everything (venv, packages, database, demo city) and start web + worker
#   make test   run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PORT
# The suite runs on every core (pytest-xdist; each worker has its own test database). Pass other
# arguments with PYTEST_ARGS, e.g. `make test PYTEST_ARGS="yingji/hazards -n 0"`.
PYTEST_ARGS ?= -n auto

.PHONY: run test lint bench vendor lock clean-data chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly the locked versions; re-runs only when the lock file or pyproject changes.
# The lock is complete (every transitive package is pinned), hence --no-deps: see requirements-overrides.txt.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

run: $(VENV)/.installed
	$(BIN)/yingji serve --port $(PORT)

test: $(VENV)/.installed
	YINGJI_TESTING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	YINGJI_TESTING=1 $(BIN)/yingji check
	YINGJI_TESTING=1 $(BIN)/yingji makemigrations --check --dry-run

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Debian's Chromium for the browser tests (never a downloaded browser).
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: $(VENV)/.installed
	$(BIN)/python -m pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --override requirements-overrides.txt -o requirements.lock --python-version 3.11

# Re-copy the pinned front-end libraries (needs Node.js; the copies are committed).
vendor:
	bash frontend/vendor.sh

clean-data:
	rm -rf var
