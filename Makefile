# Two commands set up and use a fresh machine (Python 3.11, pip and make are all it needs):
#   make demo   runs the kit's main job
#   make test   runs the whole test suite
# Both create (or reuse) the virtual environment in $(VENV) and install what they need.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= demo-output

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Both first say what isolates student code here (autograder doctor; a weak machine still runs the tests,
# which skip what it cannot do, and the demo then stops with the reason).
demo: $(STAMP)
	-@$(PY) -m autograder.frontends.doctor --summary
	$(PY) -m autograder.frontends.demo --out $(OUT)

test: $(STAMP)
	-@$(PY) -m autograder.frontends.doctor --summary
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/bench_nnkit.py --json benchmarks/results/bench_nnkit.json

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build *.egg-info
