# Two entry points: `make run` (set up everything, then the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
BUILDINGS ?= 2000000
SEED ?= 1

.PHONY: run serve test browser-deps lint bench-generate stop-db clean

# PYTHONWARNINGS=ignore: setuptools' notices about editable installs are not ours to fix
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py generate_buildings --buildings $(BUILDINGS) --seed $(SEED) --if-empty
	$(BIN)/python manage.py analyze --format summary

# the dashboard on http://127.0.0.1:8000, debug off, with a local secret key made once
serve: $(STAMP) .secret_key
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py generate_buildings --buildings $(BUILDINGS) --seed $(SEED) --if-empty
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret_key)}" \
		$(BIN)/python manage.py runserver 127.0.0.1:8000

.secret_key:
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# what the browser and accessibility tests need: Chromium (apt-get) and axe-core (npm)
browser-deps:
	.ci/chromium
	.ci/axe

bench-generate: $(STAMP)
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py bench_generate --sizes 100000,2000000

stop-db: $(STAMP)
	$(BIN)/python -m buildings.postgres.embedded stop

clean: stop-db
	rm -rf .pgdata
