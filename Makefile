# Community Voice — the two commands a new user needs:
#   make run    set up, load demo data and serve http://127.0.0.1:5000
#   make test   set up and pass the whole suite (SQLite, then PostgreSQL where it can)
#   make test-fast   the quick tier while you work: no browser, migration, fuzzing or slow tests

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export FLASK_APP := wsgi:app

.PHONY: install assets db run worker test test-fast lint format clean lock messages catalogues bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Python packages come from the lock (exact versions, checked by hash); the project
# itself is installed on top without resolving anything again. `make lock` updates it.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $@

lock: | $(BIN)/python
	$(BIN)/pip install --quiet 'uv==0.13.9'
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --universal -o requirements.lock

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/css/main.css: node_modules/.installed scripts/build-assets.mjs $(wildcard assets/scss/*.scss)
	npm run build

# Content-hashed copies of every static file, their .br/.gz and static/staticfiles.json
# (README "Static files"); the app emits the hashed names when this manifest is current.
STATIC_SOURCES := $(filter-out %.gz %.br %.map static/staticfiles.json,$(wildcard static/*/* static/*/*/*))
static/staticfiles.json: static/css/main.css scripts/fingerprint_static.py $(STATIC_SOURCES) | $(VENV)/.installed
	$(BIN)/python scripts/fingerprint_static.py static

# Translations: en_GB is the source; each language's catalogue is compiled to .mo
# (not committed) whenever its .po is newer.
LANGS     := ko ta pl ar
PO_FILES  := $(foreach l,$(LANGS),community/translations/$(l)/LC_MESSAGES/messages.po)
MO_FILES  := $(PO_FILES:.po=.mo)
BABEL_KEYWORDS := -k _ -k _l -k lazy_gettext -k gettext -k ngettext:1,2

community/translations/%/LC_MESSAGES/messages.mo: community/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -d community/translations -l $* -D messages >/dev/null

catalogues: $(MO_FILES)

# Extract every marked string into the template, then merge it into each catalogue
# (new or changed strings arrive untranslated, never as a fuzzy guess: the catalogue
# test lists them).
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output \
	  --project "Community Voice" --copyright-holder "Community Voice contributors" \
	  -o community/translations/messages.pot .
	$(BIN)/pybabel update -i community/translations/messages.pot -d community/translations \
	  -D messages --no-wrap --ignore-obsolete --no-fuzzy-matching
	$(MAKE) catalogues

install: $(VENV)/.installed static/css/main.css static/staticfiles.json catalogues

assets: node_modules/.installed | $(VENV)/.installed
	npm run build
	$(BIN)/python scripts/fingerprint_static.py static

db: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed
	$(BIN)/flask demo

run: db
	$(BIN)/flask run --host 127.0.0.1 --port 5000

worker: install
	$(BIN)/flask worker

lint: install
	$(BIN)/ruff check community tests migrations
	$(BIN)/ruff format --check community tests migrations
	$(BIN)/lint-imports
	$(BIN)/mypy

test: install lint
	./scripts/run-tests.sh

test-fast: install
	$(BIN)/pytest -n auto --dist loadfile -q -m "not e2e and not slow"

# The load benchmark (bench/README.md): gunicorn + PostgreSQL against a bare INSERT.
bench: install
	$(BIN)/python bench/load.py

format: install
	$(BIN)/ruff check --fix community tests migrations
	$(BIN)/ruff format community tests migrations

clean:
	rm -rf $(VENV) node_modules static/govuk static/css/main.css static/staticfiles.json .pytest_cache
	find static -regextype posix-extended -regex '.*(\.[0-9a-f]{12}\.[^./]+(\.gz|\.br)?|\.gz|\.br)$$' -delete
