# Standing: `make run` serves the API on embedded SQLite; `make test` runs every test on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST := $(BIN)/pytest -W error::RuntimeWarning

.PHONY: install run test lint fmt test-sqlite test-postgres schema docs bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/standing migrate
	$(BIN)/standing serve

test: install lint test-sqlite test-postgres

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-sqlite: install
	STANDING_TEST_DATABASE=sqlite $(PYTEST)

test-postgres: install
	STANDING_TEST_DATABASE=postgres $(PYTEST)

schema: install
	$(BIN)/standing export-schema -o schema.graphql

docs: install
	$(BIN)/standing docs

# The whole comparison of issue 19 (Standing, PostGraphile 4, the floor), written to docs/benchmarks.md.
bench: install
	$(BIN)/pip install --quiet -e ".[test,bench]"
	command -v wrk >/dev/null || apt-get install -y wrk
	$(BIN)/python -m bench.comparison

clean:
	rm -rf $(VENV) var .pytest_cache
