# The two commands: `make run` (the platform on loopback) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-unit test-faults bench install migrate clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[run,test,bench]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m deploy.local.run

test: $(STAMP)
	$(PY) -m pytest -q

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
