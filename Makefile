# townsquare — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
export TOWNSQUARE_DATABASE_URL ?= sqlite:///./var/townsquare.db

.PHONY: run test install lint typecheck check migration browser clean bench fuzz

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## run: create .venv, install, migrate ./var/townsquare.db, load the demo once, serve http://127.0.0.1:8000
##      (TOWNSQUARE_HOST / TOWNSQUARE_PORT or `make run PORT=8080` choose another address)
run: install
	mkdir -p var
	TOWNSQUARE_DEV_MODE=$${TOWNSQUARE_DEV_MODE:-true} $(VENV)/bin/townsquare db upgrade
	TOWNSQUARE_DEV_MODE=$${TOWNSQUARE_DEV_MODE:-true} $(VENV)/bin/townsquare demo load
	TOWNSQUARE_DEV_MODE=$${TOWNSQUARE_DEV_MODE:-true} $(VENV)/bin/townsquare serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

## browser: Debian's chromium for the browser tests (when missing and apt can run)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
	    (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1)) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: /usr/bin/chromium missing and apt not usable; browser tests will be skipped"; fi; \
	fi

## test: create/update .venv, install, run the whole suite (2 workers: the machine has 2 cores)
PYTEST_WORKERS ?= 2
test: install browser
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff format --check src tests bench scripts
	$(VENV)/bin/ruff check src tests bench scripts

typecheck: install
	$(VENV)/bin/mypy

check: lint typecheck test

## migration: regenerate the wave-2 migration 0003 from the models (0001 and 0002 are frozen)
migration: install
	$(PY) scripts/make_migration.py

## fuzz: schemathesis over the whole API, every identity, SQLite then PostgreSQL (>= 10,000 requests each, bounded)
FUZZ_ARGS ?=
fuzz: install
	$(PY) scripts/fuzz.py $(FUZZ_ARGS)

bench: install
	for b in bench/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) var/*.db var/*.db-* .pytest_cache .mypy_cache .ruff_cache
