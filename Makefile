# Enlace — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test venv migrate demo worker lint typecheck bandit messages check-messages bench-linkage bench-online bench-web bench-web-1m bench-trafficking bench-remittances bench-indicators schema schemathesis fuzz mutants ci

# Quiet set-up: what `make run` shows is the address and the demo logins, not install logs.
PIP := $(PY) -m pip --quiet --disable-pip-version-check --no-input

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || { echo "Creating $(VENV) and installing the pinned dependencies (a few minutes the first time)…"; $(PYTHON) -m venv $(VENV); }
	@$(PIP) install --upgrade pip
	@$(PIP) install -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

migrate: venv
	@mkdir -p var
	@$(PY) manage.py migrate --noinput --verbosity 0
	@$(PY) manage.py createcachetable  # the shared cache (migrate makes it too; idempotent)
	@$(PY) manage.py collectstatic --noinput --verbosity 0

demo: migrate
	$(PY) manage.py seed_demo

## make run: set up everything, then serve on 127.0.0.1:$(PORT) with a task worker beside it.
## The demo logins come last, once the server answers, so they are the last thing on the screen
## (the server's start-up banner goes to var/server.log; its request log still shows here).
run: migrate
	@$(PY) manage.py seed_demo > var/demo-logins.txt
	@$(PY) manage.py db_worker --no-reload --interval 1 > var/worker.log 2>&1 & \
	  WORKER=$$!; \
	  $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT) > var/server.log & \
	  SERVER=$$!; \
	  trap "kill $$WORKER $$SERVER 2>/dev/null" EXIT INT TERM; \
	  $(PY) scripts/wait_for_server.py http://127.0.0.1:$(PORT)/accounts/login/ || { cat var/server.log; exit 1; }; \
	  echo; \
	  echo "Enlace is running on http://127.0.0.1:$(PORT)/ with a task worker beside it (logs in var/). Ctrl-C stops both."; \
	  echo; \
	  sed 's/^/  /' var/demo-logins.txt; \
	  echo; \
	  wait $$SERVER

worker: venv
	$(PY) manage.py db_worker

## make test: the whole suite (browser tests skip themselves where Chromium is missing).
## Tests that need a real transaction (browser tests) flush the database when they end, so they
## run in a second, serial pass after the rest (enlace/conftest.py marks them).
test: venv
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n 2 --dist loadfile -m "not transactional" $(PYTEST_ARGS)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -p no:xdist -m transactional $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

typecheck: venv
	$(VENV)/bin/mypy

## make bandit: security lint of the application (enlace/, config/, scripts/), failing on any
## finding of medium or high severity. Tests and migrations are left out (test fixtures run
## subprocesses and raw SQL on purpose; migrations hold no request path), and so is bench/
## (benchmark scripts a developer runs on 127.0.0.1, never deployed). A finding that is not a
## flaw is marked on its line: `# nosec BXXX # why`.
bandit: venv
	$(VENV)/bin/bandit --quiet --recursive enlace config scripts \
	  --exclude '*/tests/*,*/migrations/*' --severity-level medium

messages: venv
	cd enlace && ../$(PY) ../manage.py makemessages -l es -l en -l pt -l fr -l ht --no-location --no-obsolete
	cd enlace && ../$(PY) ../manage.py makemessages -d djangojs -l es -l en -l pt -l fr -l ht --no-location --no-obsolete --ignore 'static/vendor/*' || true
	cd enlace && ../$(PY) ../manage.py compilemessages

check-messages: venv
	$(PY) scripts/check_messages.py

schema: venv
	$(PY) manage.py spectacular --file var/schema.yaml --validate --fail-on-warn

## make schemathesis: fuzz /api/v1/ against its schema (officer, focal point, anonymous) on a fresh DB
schemathesis: venv
	PY=$(PY) scripts/schemathesis.sh

## make mutants: every rule of the access layer broken in turn (enlace/tests/access/mutants.py);
## each must make some test fail. Prints a table (mutant, killed by, seconds); not in make test.
mutants: venv
	DJANGO_SETTINGS_MODULE=config.settings.test PYTHONPATH=$(CURDIR) $(PY) scripts/mutants.py $(MUTANTS_ARGS)

bench-linkage: venv
	$(PY) bench/linkage.py

## make bench-trafficking: issue 12's benchmark (link detection at 100k cases vs pandas + networkx,
## HTCDS import of 10k rows); not part of make test.
bench-trafficking: venv
	$(PY) bench/trafficking.py $(BENCH_TRAFFICKING_ARGS)

## make bench-remittances: issue 14's benchmark (import of 100,000 quotes; the comparison through
## the page and the API against one plain SQL query); SQLite, or PostgreSQL with DATABASE_URL.
bench-remittances: venv
	PYTHONPATH=$(CURDIR) $(PY) bench/remittances.py $(BENCH_REMITTANCES_ARGS)

## make bench-indicators: issue 16's benchmark (the protection indicators and their release over
## 1M cases against plain DuckDB GROUP BYs); SQLite, or PostgreSQL with DATABASE_URL.
## BENCH_INDICATORS_ARGS="--cases 50000" for a quick run.
bench-indicators: venv
	PYTHONPATH=$(CURDIR) $(PY) bench/indicators.py $(BENCH_INDICATORS_ARGS)

## Online matching latency inside the app, 100k and 1M persons (SQLite; DATABASE_URL for PostgreSQL)
bench-online: venv
	$(PY) bench/tracing_online.py --sizes 100000 1000000 $(if $(DATABASE_URL),--database-url $(DATABASE_URL),)

## make bench-web: issue 9's benchmark (PostgreSQL, gunicorn, locust; not part of make test).
## BENCH_WEB_ARGS="--people 20000 --cases 15000 --duration 20" for a quick look.
bench-web: venv
	$(PY) -c 'import locust' 2>/dev/null || $(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/web.py $(if $(DATABASE_URL),--database-url $(DATABASE_URL),) $(BENCH_WEB_ARGS)

## make bench-web-1m: issue 18's run, every module's journeys at 1M people and 1M cases, 50 users
## for 60 s (its own database, enlace_bench_web1m; the load takes an hour or more).
bench-web-1m: venv
	$(PY) -c 'import locust' 2>/dev/null || $(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/web.py --people 1000000 --cases 1000000 --users 50 --duration 60 \
		--skip-relink --skip-export \
		--database-url $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/enlace_bench_web1m) \
		$(BENCH_WEB_ARGS)

## make fuzz: atheris on every importer (people CSV/XLSX, HTCDS, RPW, indicators sources),
## FUZZ_RUNS inputs each (200,000), FUZZ_TIMEOUT seconds per input (a hang fails), then the
## hypothesis properties with the "fuzz" profile and the full blns sweep through the HTTP layer.
## Not part of make test; the latest figures are in bench/RESULTS.md.
FUZZ_RUNS ?= 200000
FUZZ_TIMEOUT ?= 10
fuzz: venv
	$(PY) -c 'import atheris' 2>/dev/null || $(PIP) install -e '.[fuzz]'
	FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) $(PY) fuzz/run.py $(FUZZ_HARNESSES)
	HYPOTHESIS_PROFILE=fuzz ENLACE_BLNS_FULL=1 DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -p no:xdist -m "fuzz or hypothesis_props" enlace $(PYTEST_ARGS)

ci:
	bash .ci/run
