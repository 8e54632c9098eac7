# Two commands do all the set-up: `make run` and `make test`. `make browser` once adds the system's
# Chromium, which the browser tests of the console need (without it they skip, saying why).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATABASE_URL ?= sqlite:///altegio.sqlite3
HOST ?= 127.0.0.1
PORT ?= 8000
# ACCESS_LOG=1 make run: one line per request on stdout (serve --access-log)
ACCESS_LOG ?=

.PHONY: run seed reset test lint install install-dev browser bench fuzz invariants soak hardening clean

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

## run: start the server in sandbox mode on the embedded SQLite database, with demo data on first start
run: seed
	$(BIN)/altegio-server serve --sandbox --database-url $(DATABASE_URL) --host $(HOST) --port $(PORT) \
		$(if $(filter 1,$(ACCESS_LOG)),--access-log)

## seed: add the demo data unless it is there, and print its tokens and ids
seed: install
	$(BIN)/altegio-server seed demo --database-url $(DATABASE_URL) --host $(HOST) --port $(PORT)

## reset: start over: empty the database (the schema stays), then add the demo data again
reset: install
	$(BIN)/altegio-server db reset --yes --database-url $(DATABASE_URL)
	$(BIN)/altegio-server seed demo --database-url $(DATABASE_URL) --host $(HOST) --port $(PORT)

## lint: ruff on the code, tests and benchmarks, mypy on the package (settings in pyproject.toml)
lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

## test: the checks, then the whole suite, on SQLite and (when it answers) PostgreSQL; the console's
## browser tests (tests/browser) when Chromium is there (see browser), else they skip with the reason
test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

## browser: the system's Chromium (Debian's chromium and chromium-driver, with sudo when not root) for
## the browser tests, which drive it with Playwright; Playwright's own browser downloads are not used
CHROMIUM ?= $(or $(ALTEGIO_CHROMIUM),/usr/bin/chromium)
browser: install-dev
	@if [ -x "$(CHROMIUM)" ]; then echo "Chromium is installed: $(CHROMIUM)"; else \
		sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$sudo apt-get update -q && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; fi

## fuzz: schemathesis on every operation, every path on both databases, 500 examples each (long)
fuzz: install-dev
	ALTEGIO_FUZZ_EXAMPLES=$${ALTEGIO_FUZZ_EXAMPLES:-500} $(BIN)/pytest tests/fuzz $(PYTEST_ARGS)

## invariants: 200 rounds of random concurrent writes across server processes, rules checked after each
invariants: install-dev
	ALTEGIO_INVARIANT_ROUNDS=$${ALTEGIO_INVARIANT_ROUNDS:-200} $(BIN)/pytest tests/hardening/test_invariants.py $(PYTEST_ARGS)

## soak: a minute of steady load at half the measured maximum on each database
soak: install-dev
	ALTEGIO_SOAK=1 $(BIN)/pytest tests/hardening/test_soak.py -s $(PYTEST_ARGS)

## hardening: the long versions of all three
hardening: fuzz invariants soak

## bench: measure the server (see BENCHMARKS.md)
bench: install-dev
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) altegio.sqlite3*
