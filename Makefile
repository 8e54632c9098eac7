# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATABASE_URL ?= sqlite:///altegio.sqlite3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev bench clean

$(BIN)/altegio-server: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(BIN)/altegio-server

$(VENV)/.dev-installed: $(BIN)/altegio-server
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install-dev: $(VENV)/.dev-installed

## run: start the server on the embedded SQLite database, with demo data on first start
run: install
	$(BIN)/altegio-server seed demo --database-url $(DATABASE_URL) --host $(HOST) --port $(PORT)
	$(BIN)/altegio-server serve --database-url $(DATABASE_URL) --host $(HOST) --port $(PORT)

## test: the whole suite, on SQLite and (when it answers) PostgreSQL
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: measure the server (see BENCHMARKS.md)
bench: install-dev
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) altegio.sqlite3*
