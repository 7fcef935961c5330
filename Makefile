# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# `make serve`: the name people type in their browser to reach the app (README, "Serving a team").
PUBLIC_HOST ?= $(shell hostname -f 2>/dev/null || hostname)

.PHONY: run serve test lint bench demo-data clean check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Customer Lens needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	@touch $@

# This machine only: server.address and server.allowedHosts come from .streamlit/config.toml.
run: $(VENV)/.installed
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Every interface, for a team behind a reverse proxy with TLS. Naming the public host
# (browser.serverAddress) also keeps Streamlit from looking up its external IP on the internet.
serve: $(VENV)/.installed
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address 0.0.0.0 \
		--browser.serverAddress $(PUBLIC_HOST) --server.allowedHosts $(PUBLIC_HOST)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run

demo-data: $(VENV)/.installed
	$(BIN)/python -m sample_data.generate

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
