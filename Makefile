# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
COMPILED := $(VENV)/.compiled

.PHONY: run test bench notebook clean fuzz

# Packages are installed by uv, which pip first installs into .venv (one wheel). On a 2-core machine with an
# empty cache pip took 115 s for `-e .` then `-e '.[test]'` (80 s in one call: most of it resolving, reading
# each package's index page and evaluating its files), uv 13-31 s for the same versions (`pip freeze` identical),
# 58 s at load 4.5 compiling the bytecode too (below).
# uv reads no pip.conf: where it cannot be installed or cannot reach an index, pip installs as before.
# uv compiles no bytecode: compiling every installed module took 20 of the 33 s of `-e .` (warm cache), most of
# them never imported. `make run` and `make test` let Python write the bytecode of what it imports instead
# (PYTHONDONTWRITEBYTECODE set, as on this machine, it never did: every process compiled pandas, scikit-learn and
# matplotlib again, 4.0 -> 11.4 CPU s); from then on a `condense` typed in any shell reads it.
BYTECODE := PYTHONDONTWRITEBYTECODE=
define install
	{ $(BIN)/python -m pip install --quiet uv && \
	  $(BIN)/uv pip install --quiet --python $(BIN)/python $(1); } || \
	{ echo "make: uv could not install; pip does" >&2; $(BIN)/python -m pip install --quiet --upgrade pip && \
	  $(BIN)/python -m pip install --quiet $(1); }
endef

# The venv is rebuilt when it is missing or when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call install,-e .)
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(call install,-e '.[test]')
	@touch $(TEST_STAMP)

# The package's bytecode, compiled whenever a module changed (an editable install compiles none). Python
# writes it itself on first import, except where PYTHONDONTWRITEBYTECODE is set: there every run compiled the
# whole package again, in the run's process and in each process forked before a module was first needed
# (about 1 CPU s of the sample's 4-5). A stale .pyc is never used: Python checks it against its source.
$(COMPILED): $(STAMP) $(wildcard condense/*.py condense/*/*.py)
	$(BIN)/python -m compileall -q condense
	@touch $(COMPILED)

run: $(STAMP) $(COMPILED)
	$(BYTECODE) $(BIN)/condense run --out results

# The suite on every core (pytest-xdist): each test file runs whole in one worker, so a file's shared
# fixtures (a project run once, the notebooks executed once) are made once, and the files are handed out
# heaviest first (tests/conftest.py), so the workers end together. TEST_JOBS=0 runs it in one process.
# pytest rewrites each test module's asserts (for their messages) in every worker that collects it, and keeps
# the rewritten module in tests/__pycache__ only where Python may write bytecode: with PYTHONDONTWRITEBYTECODE
# set, every worker rewrote all of them again on every run (collect-only, one process, at load ~7:
# 17.4 CPU s rewriting, 7.8 CPU s reading the kept modules). The test run lets Python write it; a first run
# from a clean clone writes what later runs read.
TEST_JOBS ?= auto
test: $(TEST_STAMP) $(COMPILED)
	$(BYTECODE) $(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile

# Installs Jupyter into .venv (the notebook extra) and opens the tutorial; the kernel is this .venv's Python.
notebook: $(STAMP)
	$(call install,-e '.[notebook]')
	$(BIN)/jupyter notebook notebooks/01_stc_tutorial.ipynb

# The long fuzz run: every reader and reader → segment → writers, 14,000 random inputs per reader test
# (≥ 100,000 in all); the number of inputs per test is printed at the end.
fuzz: $(TEST_STAMP)
	CONDENSE_FUZZ_EXAMPLES=14000 $(BIN)/python -m pytest tests/reliability/test_fuzz.py -q -p no:cacheprovider \
		--hypothesis-show-statistics

bench: $(STAMP) $(COMPILED)
	$(BYTECODE) $(BIN)/python benchmarks/throughput.py

# results/ goes only when it is what `make run` wrote (its manifest.json): a folder of that name made by hand stays
clean:
	rm -rf $(VENV)
	if [ -f results/manifest.json ]; then rm -rf results; fi
