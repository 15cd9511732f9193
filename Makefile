# DeepPath: the index of commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_LEARNERS ?= 300
# Some shells here export PYTHONDONTWRITEBYTECODE=1: every Python process (each test worker, each server and
# command the tests start) then compiles the project and rewrites the tests from source again, about 10 s of CPU
# per test worker. Bytecode caches are ignored by git.
unexport PYTHONDONTWRITEBYTECODE

.DEFAULT_GOAL := help
.PHONY: help run setup messages catalog train worker demo test suite lint typecheck format migrations-check serve clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# GNU gettext's msgfmt compiles the catalogs; Debian ships it (package gettext), installed here when missing.
messages: $(VENV)/.runtime ## Compile the interface translations (locale/*/LC_MESSAGES/django.po -> .mo, not committed)
	@command -v msgfmt >/dev/null 2>&1 || { echo "== installing Debian's gettext for msgfmt"; \
		apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules

setup: $(VENV)/.runtime messages ## Install, migrate, create the cache table, load the catalog and demo learners, train (safe to repeat)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py import_catalog learning/data/catalog.json --upgrade
	$(PY) manage.py seed_demo --learners $(DEMO_LEARNERS) --seed 42 --if-empty
	$(PY) manage.py train_recommender --if-missing

run: setup ## Set everything up and serve the site on http://127.0.0.1:8000
	$(PY) manage.py ensure_admin --url http://$(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

catalog: $(VENV)/.runtime ## Re-import the shipped catalog, updating rows that differ from the file
	$(PY) manage.py import_catalog learning/data/catalog.json

train: $(VENV)/.runtime ## Retrain the recommender now (activates only if it beats popularity)
	$(PY) manage.py train_recommender

worker: $(VENV)/.runtime ## Run background tasks (retraining queued by the admin or by new interactions)
	$(PY) manage.py worker_heartbeat
	$(PY) manage.py db_worker

demo: $(VENV)/.runtime ## Recreate the demo learners
	$(PY) manage.py seed_demo --learners $(DEMO_LEARNERS) --seed 42 --replace

# The checks run beside the suite: the suite leaves about a quarter of the cores idle (browsers, child servers),
# which mypy's cold run (about 15 s on a fresh clone) fills. Each job's output is printed whole when it ends.
test: $(VENV)/.dev ## Lint, type-check, check migrations and run the whole test suite (one worker per core)
	@$(MAKE) --no-print-directory --output-sync=target --jobs=4 lint typecheck migrations-check suite

suite: $(VENV)/.dev messages ## Only the test suite, in parallel (one worker per core)
	$(PY) -m pytest -n auto

lint: $(VENV)/.dev ## ruff format check and lint
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: $(VENV)/.dev ## mypy with the Django and DRF plugins over learning, recommender and config (strict on the core)
	$(VENV)/bin/mypy

format: $(VENV)/.dev ## Format and fix what ruff can
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(VENV)/.runtime ## Fail when a model change has no migration
	$(PY) manage.py makemigrations --check --dry-run

serve: setup ## Serve with gunicorn (set DJANGO_DEBUG=False and friends for production)
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2

clean: ## Remove the virtualenv and runtime state (database, artifacts)
	rm -rf $(VENV) var
