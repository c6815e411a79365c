# The two commands of the README:  `make demo`  and  `make test`  (and `make notebooks` for analysts).
# Both create .venv with a Python >= 3.12 (found by scripts/find-python) and install the project.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo test notebooks lint bench screenshots clean

$(STAMP): pyproject.toml
	@PYTHON_BIN=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || $$PYTHON_BIN -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dashboard,notebooks]"
	@touch $(STAMP)

setup: $(STAMP)

## The main job: compare high_stigma and ngo_surge with baseline; the comparison is results/demo/comparison.md,
## its figures land in results/demo/figures/.
demo: $(STAMP)
	@# --replace: only a folder an earlier sim run or sim compare wrote, holding nothing else (a report or a file of yours makes it refuse)
	$(VENV)/bin/sim compare baseline high_stigma ngo_surge --replicates 8 --out results/demo --replace
	@echo "Comparison: results/demo/comparison.md; figures: results/demo/figures/"

## The test suite (and the lint) as CI runs it: two pytest workers, one test file per worker at a time.
test: $(STAMP)
	$(VENV)/bin/ruff check sim tests benchmarks notebooks scripts
	$(VENV)/bin/python -m pytest -q -n 2 --dist loadfile

## JupyterLab on the analyst notebooks (installed with the project; Ctrl-C stops it).
notebooks: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP)
	$(PY) benchmarks/step_throughput.py

## The pictures docs/img holds of the dashboard and of each kind of report (not validation_*.png: sim patterns
## --write-docs), taken again in headless chromium at 1280x720; needs chromium (apt-get install chromium).
screenshots: $(STAMP)
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) results/demo .pytest_cache sim/__pycache__/numba-*
