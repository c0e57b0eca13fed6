# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export DEBUG ?= true
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/anfragen_portal
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2

.PHONY: run test test-sqlite test-postgres install browser-tools bench-tools demo bench bench-scale bench-import bench-two-servers clean serve

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# Chromium, chromedriver, Java and the npm checkers (axe-core, vnu-jar) for tests/browser;
# only the test targets need them, so `make run` installs no browser.
browser-tools:
	bash tests/browser/setup.sh

# wrk, the load generator of the benchmarks at several clients (bench/run.py --load wrk), from Debian.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { echo "benchmarks: installing wrk (Debian package)"; \
	  sudo=$$([ "$$(id -u)" -ne 0 ] && echo sudo); $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

# Local settings for manage.py in the checkout (portal/dotenv.py); written once, never overwritten.
.env:
	@$(PYTHON) -c 'import secrets; print("# Written by make run for local development only (git-ignored); the environment wins.\nDEBUG=true\nSECRET_KEY=" + secrets.token_urlsafe(50))' > $@
	@echo "wrote .env (DEBUG=true, a generated SECRET_KEY): manage.py commands in this checkout use it"

demo: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py rebuild_search_index --catch-up

# Links in mails (SITE_URL) point at the address `make run` serves, unless SITE_URL is set:
# a wildcard HOST is reached at 127.0.0.1, an IPv6 address in brackets.
RUN_HOST = $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)))
RUN_SITE_URL = $(or $(SITE_URL),http://$(RUN_HOST):$(PORT))

run: demo
	SITE_URL='$(RUN_SITE_URL)' $(BIN)/python manage.py runserver $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)):$(PORT)

test: install test-sqlite test-postgres

test-sqlite: install browser-tools
	DATABASE_URL= $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install browser-tools
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The import rate of inquiry.v1 records (a benchmark, not a test): BENCH_COUNT generated records
# into a fresh SQLite database.
BENCH_COUNT ?= 100000
bench-import: install
	$(BIN)/python bench/import_rate.py --count $(BENCH_COUNT)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache tests/browser/node_modules

# Production-style server (see docs/deploy.md); needs SECRET_KEY and ALLOWED_HOSTS. Never DEBUG.
serve: export DEBUG = false
serve: install
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn -c portal/gunicorn.conf.py portal.wsgi

# Benchmarks under gunicorn (bench/RESULTS.md); e.g. make bench BENCH_ARGS="--count 100000 --database postgres"
BENCH_ARGS ?= --count 10000 --database sqlite
bench: install bench-tools
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Issue 13 at scale: caches off, 2 gunicorn workers, one client and 8, Datasette 0.65.5 on the same
# records in the same run (its own virtualenv in bench/.datasette-venv), then the CPU cost of
# rendering per part and the CPU per request of the feeds, API list and searches. The corpus is built once per count and reused; e.g.
# make bench-scale BENCH_COUNT=1000000 BENCH_DATABASE=postgres
BENCH_DATABASE ?= sqlite
bench-scale: install bench-tools
	$(BIN)/python bench/run.py --count $(BENCH_COUNT) --database $(BENCH_DATABASE) --workers 2 --modes cold --concurrency 1,8 --datasette
	$(BIN)/python bench/render_cost.py --count $(BENCH_COUNT) --database $(BENCH_DATABASE)
	$(BIN)/python bench/request_cpu.py --count $(BENCH_COUNT) --database $(BENCH_DATABASE) --gc-freeze

# Two gunicorn servers, one database, an index each: publish through one, find it through the
# other (issue 13, scale-out); e.g. make bench-two-servers BENCH_TWO_ARGS="--rounds 5"
BENCH_TWO_ARGS ?= --rounds 3
bench-two-servers: install
	$(BIN)/python bench/two_servers.py $(BENCH_TWO_ARGS)
