# The two commands: `make demo` and `make test`. Everything else is a helper of theirs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: demo test bench lint format install browser-deps messages serve clean

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(INSTALLED)

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "!! npm is missing: the accessibility checks (axe-core) will not run"; fi

browser-deps: node_modules/.installed
	@scripts/ensure-browser

# The background worker (emails and their retries, draws, imports) runs beside the web server and
# stops with it.
demo: install
	$(BIN)/manabiya migrate --noinput
	$(BIN)/manabiya load-demo
	@$(BIN)/manabiya db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/manabiya runserver $(HOST)

serve: install
	$(BIN)/manabiya runserver $(HOST)

test: install browser-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	cd src/manabiya && ../../$(BIN)/manabiya makemessages --locale ja --locale en --no-obsolete --ignore "static/*"
	cd src/manabiya && ../../$(BIN)/manabiya compilemessages

clean:
	rm -rf $(VENV) node_modules var/test.sqlite3*
