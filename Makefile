# The two commands the README opens with: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_TESTS := tests/storage tests/services tests/web

.PHONY: setup run examples test test-postgres lint bench clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==0.13.8

$(VENV)/.installed: $(BIN)/uv requirements.lock pyproject.toml
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

setup: $(VENV)/.installed

# The batch contract on the shipped examples, then the server on embedded SQLite (./troth.db),
# freshly loaded with the five seed SLAs and demo data.
run: examples
	$(BIN)/troth demo --reset
	@echo "Troth is serving on http://127.0.0.1:8000 — API docs at http://127.0.0.1:8000/docs (Ctrl-C stops it)"
	$(BIN)/troth serve

# The batch contract on the shipped examples: every seed's ticket clocks and credits.
examples: setup
	$(BIN)/troth policy check policies/*.yaml
	$(BIN)/troth tickets evaluate policies/eleveo.yaml examples/eleveo/events.jsonl --accounts examples/eleveo/accounts.jsonl --at 2026-03-20T12:00:00Z
	$(BIN)/troth credits policies/balto.yaml --month 2026-03 --accounts examples/balto/accounts.jsonl --outages examples/balto/outages.jsonl --at 2026-04-15T00:00:00Z --format table

test: setup
	$(BIN)/pytest

# The storage, service and API tests again, against a real PostgreSQL (installed and started if needed).
test-postgres: setup
	url="$$(bash scripts/postgres-for-tests.sh)" && test -n "$$url" && \
		TROTH_TEST_DATABASE_URL="$$url" $(BIN)/pytest $(POSTGRES_TESTS)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python bench/business_time.py

clean:
	rm -rf $(VENV)
