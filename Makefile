# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test bench notebook clean fuzz

# The venv is rebuilt when it is missing or when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(TEST_STAMP)

run: $(STAMP)
	$(BIN)/condense run --out results

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

# Installs Jupyter into .venv (the notebook extra) and opens the tutorial; the kernel is this .venv's Python.
notebook: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[notebook]'
	$(BIN)/jupyter notebook notebooks/01_stc_tutorial.ipynb

# The long fuzz run: every reader and reader → segment → writers, 14,000 random inputs per reader test
# (≥ 100,000 in all); the number of inputs per test is printed at the end.
fuzz: $(TEST_STAMP)
	CONDENSE_FUZZ_EXAMPLES=14000 $(BIN)/python -m pytest tests/reliability/test_fuzz.py -q -p no:cacheprovider \
		--hypothesis-show-statistics

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) results
