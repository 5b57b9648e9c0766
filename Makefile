# The two set-up commands of the README:
#   make plan   - the main job: `taktplan plan` on the built-in scenario
#   make test   - the test suite
# Each creates the virtual environment in .venv and installs on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# uv installs the packages: 18 s against pip's 87 s for the same set on a
# fresh machine (2 cores, measured 2026-11-26), a third of `make plan`'s
# two-minute budget on a fresh clone. pip only installs uv itself.
UV     := $(BIN)/uv
VENV_OK := $(VENV)/.taktplan-venv
RUNTIME := $(VENV)/.taktplan-runtime
DEV     := $(VENV)/.taktplan-dev

.PHONY: plan test bench install clean

$(VENV_OK):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "taktplan needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	@touch $(VENV_OK)

# `make plan` needs only what taktplan runs on; `make test` adds the
# test tools (pytest, Hypothesis, SimPy, Playwright, ruff, mypy).
# --compile-bytecode: the packages' .pyc files are written at install
# (7.6 s more), not on first import, which never happens where Python
# may not write them (PYTHONDONTWRITEBYTECODE, as on CI, or a read-only
# venv): there every process compiled numba, scipy, duckdb and the rest
# again (measured 2026-12-08: `taktplan balance` on a 100-task line 2.75
# -> 1.6 s of user CPU, a second `make plan` 14.3 -> 10.9 s, the test suite
# 475 -> 292 s).
$(RUNTIME): pyproject.toml $(VENV_OK)
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -e .
	@touch $(RUNTIME)

$(DEV): pyproject.toml $(VENV_OK)
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python \
		-e ".[dev]"
	@touch $(RUNTIME) $(DEV)

install: $(DEV)

plan: $(RUNTIME)
	$(BIN)/taktplan plan --report taktplan-report.html

# ruff and mypy first (seconds): a lint or type error fails before the
# eight-minute suite starts.
test: $(DEV)
	$(BIN)/ruff check src
	$(BIN)/mypy
	@bash tools/ensure-browser.sh
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

bench: $(DEV)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache taktplan-report.html
