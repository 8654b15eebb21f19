# ScopeGrowth: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CSS := static/build/app.css
JS := static/build/js/app.js

.PHONY: install run test bench screenshots migrate lint clean system-deps-run system-deps-test

install: $(PY_STAMP) $(CSS) $(JS) ## venv + Python packages + NHS.UK front end (idempotent)

$(PY_STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Each page's CSS keeps only the NHS.UK rules its templates (and the Python that writes classes
# or picks a page's forms: markup modules, forms, views, and the component scripts it starts)
# can use, so it is rebuilt when they change (bin/build-css.mjs).
CSS_SOURCES := $(wildcard static/scss/*.scss) $(wildcard bin/*.mjs) static/js/app.js \
	$(shell find templates -name '*.html') scopegrowth/settings/__init__.py scopegrowth/widgets.py \
	scopegrowth/forms.py $(wildcard */forms.py */forms/*.py */views.py */views/*.py */*markup.py)
$(CSS): $(NODE_STAMP) $(CSS_SOURCES)
	npm run --silent build:css

$(JS): $(NODE_STAMP) $(wildcard static/js/*.js static/journals/*.js static/devplans/*.js)
	npm run --silent build:js

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Debian packages beyond Python and Node.js (bin/system-deps says which): installed with apt-get
# when running as root, otherwise the target stops at once with the command to run.
system-deps-run:
	@bin/system-deps run

system-deps-test:
	@bin/system-deps test

run: system-deps-run migrate ## serve http://127.0.0.1:8000 with a Celery worker and beat; Ctrl-C stops all
	$(BIN)/python manage.py seed_demo
	bin/dev

test: system-deps-test install ## the whole suite: unit, integration, browser, faults (a private redis-server)
	$(BIN)/pytest

screenshots: system-deps-test install ## refresh the README's pictures in docs/screenshots (runs the journeys)
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/browser/test_journeys.py -q

bench: system-deps-run install ## benchmarks under bench/ (prints a table, writes bench/results.json)
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf var staticfiles static/build
