# Two commands: `make run` serves the hub on SQLite with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := $(VENV)/.installed
FRONTEND := exchange/static/govuk/anchor.css

.PHONY: install bytecode run test lint bench clean

install: $(STAMP) $(FRONTEND) bytecode

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Anchor Exchange needs Python 3.11 or newer"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The hub's own modules compiled ahead, as pip compiles an installed package's: an editable
# install is not, and with PYTHONDONTWRITEBYTECODE set every `hub` command would compile them
# again as it starts (0.3 s). Only what changed since is compiled again.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q -j0 exchange schemas partners config wsgi.py

# GOV.UK Frontend (pinned in package-lock.json), rebranded and built into exchange/static/govuk/.
$(FRONTEND): package-lock.json frontend/anchor.scss $(wildcard frontend/*.mjs)
	@command -v npm >/dev/null || { echo "Anchor Exchange needs Node.js 18+ and npm"; exit 1; }
	npm ci --no-audit --no-fund
	npm run build
	touch $(FRONTEND)

run: install
	mkdir -p instance
	$(BIN)/hub init
	@# Prints the demo logins, their password and the demo OAuth clients (secrets on the first run).
	$(BIN)/hub demo --url http://127.0.0.1:$(PORT)
	$(BIN)/hub run --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules exchange/static/govuk
