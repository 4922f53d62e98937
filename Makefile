# Two commands (CONTRACT.md): `make run` and `make test`. Both create .venv and
# install requirements.txt first, so a fresh machine with Python 3.11 needs nothing else.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# Either requirements file changed: install again.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-runtime.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# Two test processes: the machines here have two cores.
TEST_WORKERS ?= 2

.PHONY: install run test lint format demo clean messages bench loadtest wheelhouse deploy-check

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-runtime.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -n $(TEST_WORKERS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# English is extracted from the code; zh_Hans (locale/zh_Hans) holds by hand
# the Chinese of third-party apps' English strings, and is only compiled. Both
# .mo files are committed: running the portal needs no gettext.
messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --no-obsolete
	$(PY) manage.py compilemessages -l en -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache

# Every benchmark (bench/README.md); the province-scale ones read the database
# `generate_scale` filled (BENCH_SCALE_DB). Not part of `make test`.
bench: install
	bench/run_all.sh

# The load test (bench/load_test.py): locust is installed for it only. DATABASE_URL
# must name a scratch database (its name holds scale, bench or loadtest).
loadtest: install
	$(VENV)/bin/pip install --quiet -r bench/requirements.txt
	$(PY) bench/load_test.py

# Every runtime wheel (requirements-runtime.txt) and pip's own in ./wheelhouse/,
# with their SHA256SUMS, for a server without internet (README, "Deploying"):
# copy the folder over and `pip install --no-index --find-links wheelhouse -r
# requirements-runtime.txt`. Built for this machine's Python and platform: make
# it on Python 3.11, x86_64 (Debian 12's), as the server runs.
wheelhouse: | $(PY)
	rm -rf wheelhouse
	$(PY) -m pip wheel --quiet --wheel-dir wheelhouse -r requirements-runtime.txt pip
	cd wheelhouse && sha256sum *.whl > SHA256SUMS
	@du -sh wheelhouse

# The production check (README, "The production check"): the whole stack from
# the deploy/ files on this machine, a browser journey, headers, Lighthouse and
# faults, within ten minutes. Needs root (apt, PostgreSQL, ports 80/443).
deploy-check: install
	scripts/deploy-check
