# The two commands the README opens with: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_TESTS := tests/storage tests/services tests/web

.PHONY: setup run test test-postgres lint bench clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==0.13.8

$(VENV)/.installed: $(BIN)/uv requirements.lock pyproject.toml
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

setup: $(VENV)/.installed

run: setup
	$(BIN)/troth demo-batch

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
