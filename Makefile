# The two commands: `make run` (the platform on loopback) and `make test` (the whole suite).
# Python 3.11 to 3.13 are supported (pyproject.toml); CI runs 3.11: `make PYTHON=python3.13 install` for another.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-unit test-faults bench install migrate clean constraints

# Every dependency at the version constraints.txt pins (the versions CI tested); the image uses the same file.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[run,test,bench]'
	touch $(STAMP)

# After changing pyproject.toml's dependencies: install them, test, then pin what was installed.
constraints: $(STAMP)
	{ sed -n '1,2p' constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -v -e '^-e ' -e ' @ '; } > constraints.new
	mv constraints.new constraints.txt

install: $(STAMP)

run: $(STAMP)
	$(PY) -m deploy.local.run

# The suite in two steps. First the unit and integration tests in two processes at once (pytest-xdist: every
# test has its own databases, bus names and ports): 7.4 → 4.6 minutes on a slow 2-core machine. Then, one at a
# time, what starts the whole platform or takes a shared server away (tests/e2e, tests/faults, the broker
# dropping every connection) and the search relevance report, which prints its figures at the end.
SERIAL_TESTS := tests/integration/kit/test_connection_drops.py tests/integration/catalog/test_relevance.py \
	tests/e2e tests/faults

test: $(STAMP)
	$(PY) -m pytest -q -n 2 tests/unit tests/integration $(addprefix --ignore=,$(SERIAL_TESTS))
	$(PY) -m pytest -q $(SERIAL_TESTS)

test-unit: $(STAMP)
	$(PY) -m pytest -q tests/unit

test-faults: $(STAMP)
	$(PY) -m pytest -q tests/faults

# Benchmarks (bench/RESULTS.md): wrk is the HTTP load tool; Debian/Ubuntu package.
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get install -y -q wrk || sudo apt-get install -y -q wrk)
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
