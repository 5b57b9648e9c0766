# The two set-up commands of the README:
#   make plan   - the main job: `taktplan plan` on the built-in scenario
#   make test   - the test suite
# Each creates the virtual environment in .venv and installs on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.taktplan-installed

.PHONY: plan test bench install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "taktplan needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

plan: $(STAMP)
	$(BIN)/taktplan plan --report taktplan-report.html

test: $(STAMP)
	@bash tools/ensure-browser.sh
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache taktplan-report.html
