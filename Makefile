# SafeHub — `make help` lists the targets.
SHELL := /bin/bash
# The distribution's Python 3.11 where there is one (Debian 12's, the interpreter a real host
# runs: docs/how-to/deploy.md), else whatever python3 is: Debian builds it with profile-guided
# optimisation and without a shared libpython, and it spends about 7% less CPU on a request
# than a default source build such as pyenv's (ADR 0070).
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help run serve-prod setup install assets migrate demo serve test test-sqlite test-postgres check bench totp clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml $(VENV)/.interpreter
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Which interpreter built the environment. Asked on every run and rewritten only when it
# differs, so an environment made by another Python (before ADR 0070, or PYTHON=... since)
# is removed and built again rather than kept half-matching.
$(VENV)/.interpreter: FORCE
	@if [ "$$(cat $@ 2>/dev/null)" != "$(PYTHON)" ]; then \
	  [ -e $(VENV) ] && echo "Rebuilding $(VENV) with $(PYTHON)"; \
	  rm -rf $(VENV) && mkdir -p $(VENV) && echo "$(PYTHON)" > $@; \
	fi

FORCE:

install: $(BIN)/.installed ## Create the virtual environment and install Python packages

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed ## Build CSS and JS from GOV.UK Frontend and MoJ Frontend
	npm run --silent build

setup: install assets ## Install everything and build the assets

migrate: setup ## Migrate the embedded SQLite database (var/)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v 0

demo: migrate ## Load the demo council (Demoshire) if the database is empty
	$(BIN)/python manage.py seed_demo --scale small --if-empty --no-signins
	$(BIN)/python manage.py insight_figures --if-empty

# The sign-ins are printed once, by demo_signins, with the address runserver is given; a port
# already in use stops here, before anything is printed, rather than after.
run: demo ## Set everything up and serve the demo council (HOST=127.0.0.1 PORT=8000 by default)
	@$(BIN)/python scripts/check_port.py $(HOST) $(PORT)
	@$(BIN)/python manage.py demo_signins --url http://$(HOST):$(PORT)/
	@echo "Public form (no sign-in): http://$(HOST):$(PORT)/report/"
	@# The outbox relay delivers e-mails (to var/mail/) and inbox messages beside the server;
	@# the audit sealer seals the audit trail's new rows in batches (ADR 0011). E-mails link
	@# to the address served here unless SITE_URL says otherwise. The job worker runs the
	@# queue's jobs (ADR 0038: django-q2 with the jobs in the same SQLite database).
	export SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	  $(BIN)/python manage.py outbox_relay --loop & relay=$$!; \
	  $(BIN)/python manage.py audit_seal --loop & sealer=$$!; \
	  $(BIN)/python manage.py qcluster & worker=$$!; \
	  trap 'kill $$relay $$sealer $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

# The production stack on this machine (ADR 0029, docs/how-to/deploy.md): PostgreSQL (database
# safehub_prod on the server at 127.0.0.1:5432, created, migrated and given the demo council),
# Redis, gunicorn, the outbox relay, the audit sealer and nginx ending TLS on PORT (8443).
# nginx comes from Debian's package, installed here if it is missing and we may.
serve-prod: setup ## The production stack: nginx (TLS) -> gunicorn, Redis, PostgreSQL, workers (PROD_PORT=8443)
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || \
	  { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; } || \
	  { echo "nginx is not installed: sudo apt-get install nginx"; exit 1; }
	$(BIN)/python scripts/serve_prod.py --port $${PROD_PORT:-8443} \
	  --database-url $${PROD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/safehub_prod}

totp: ## Print a demo user's current sign-in code: make totp USER=social.worker
	@$(BIN)/python manage.py demo_totp $(USER)

test: setup ## Run the whole suite on SQLite, then on PostgreSQL where one answers
	@bash scripts/test.sh

check: setup ## Lint, import contracts, types, and Django's deployment checks under production settings
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=src $(BIN)/lint-imports
	PYTHONPATH=src $(BIN)/mypy
	SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
	AUDIT_SEAL_KEY=check-only-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
	DATABASE_URL=sqlite:///var/check.sqlite3 ALLOWED_HOSTS=safehub.example \
	CACHE_URL=redis://127.0.0.1:6379/0 \
	DJANGO_SETTINGS_MODULE=safehub.config.settings.production \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

bench: setup ## Benchmarks on PostgreSQL at large scale (SCALE=county for a quicker run)
	$(BIN)/python bench/run.py --scale $${SCALE:-large} --database-url $${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/safehub_bench}
	$(BIN)/python bench/matching.py --scale $${SCALE:-large} --database-url $${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/safehub_bench}
	$(BIN)/python bench/search.py --scale $${SCALE:-large} --database-url $${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/safehub_bench}
	$(BIN)/python bench/returns_production.py --scale $${SCALE:-large} --database-url $${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/safehub_bench}
	$(BIN)/python bench/insight.py --scale $${SCALE:-large} --database-url $${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/safehub_bench}

clean: ## Remove the virtual environment, built assets and local databases
	rm -rf $(VENV) node_modules build var
