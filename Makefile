# compintel — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lab lint bench install recall clean-demo help browser

help:
	@echo "make demo   set up .venv and render the demo 3C reports"
	@echo "make test   run the test suite (offline)"
	@echo "make lab    open JupyterLab on this workspace"
	@echo "make lint   ruff"
	@echo "make bench  run the benchmarks (slow)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name compintel --display-name "compintel (.venv)" >/dev/null
	@touch $(STAMP)

# the tagger's recall layer, trained from the labelled development sets (never the held-out ones)
RECALL   := compintel/data/recall/recall.json
LABELLED := $(filter-out tests/data/labelled/test% tests/data/labelled/press-test%,$(wildcard tests/data/labelled/*.jsonl))

$(RECALL): $(STAMP) $(LABELLED) compintel/nlp/recall.py
	$(BIN)/compintel train-recall

install: $(STAMP) $(RECALL)

recall: $(RECALL)

demo: $(STAMP) $(RECALL)
	$(BIN)/compintel demo

# The report's browser test drives Debian's Chromium: installed here when missing and this
# user may (root, as on CI); otherwise the test says how to install it.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "installing chromium for the browser test (apt-get)"; \
	      (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	       (apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null)); \
	    else echo "chromium is missing: the browser test will be skipped (apt-get install chromium)"; fi; }

test: $(STAMP) $(RECALL) browser
	COMPINTEL_REQUIRE_BROWSER=$$([ "$$(id -u)" = 0 ] && echo 1 || echo 0) \
	  $(BIN)/python -m pytest

# Field notes are confidential: no update checks or news feeds from the lab either.
# JupyterLab refuses to run as root unless told (containers often run as root): told only then.
ALLOW_ROOT = $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP) $(RECALL)
	$(BIN)/jupyter lab --notebook-dir=. --LabApp.news_url='' $(ALLOW_ROOT) \
	  --LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate

lint: $(STAMP)
	$(BIN)/ruff check compintel tests benchmarks

bench: $(STAMP) $(RECALL)
	$(BIN)/python -m pytest -m benchmark -s benchmarks

clean-demo:
	rm -rf compintel.db compintel.db-wal compintel.db-shm reports
