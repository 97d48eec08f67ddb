# Two commands set up and use a fresh machine (Python 3.11, pip and make are all it needs):
#   make demo   runs the kit's main job
#   make test   runs the whole test suite
# and for a learner: make lab   JupyterLab on the course, in the kit's environment
# Both create (or reuse) the virtual environment in $(VENV) and install what they need.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= demo-output
# make test runs the test files in this many worker processes (pytest-xdist; one file stays on one
# worker, so its fixtures are built once): 25 minutes in one process became 15 on 2 cores
TEST_WORKERS ?= 2

.PHONY: demo test bench clean lab browser screenshots

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
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

# JupyterLab on the course's notebooks. ROLE=student (default): the assignments folder, with nbgrader's
# instructor tools (formgrader, create-assignment) off, as students see it. ROLE=instructor: the whole
# course folder, with those tools on. The switch is a Jupyter config folder of our own, in the venv.
# LAB_ARGS: more options for jupyter lab (e.g. LAB_ARGS=--port=9999).
ROLE       ?= student
LAB_ARGS   ?=
LAB_CONFIG := $(VENV)/etc/nnkit-$(ROLE)
lab: $(STAMP)
	@mkdir -p $(LAB_CONFIG)/labconfig
	@if [ "$(ROLE)" = student ]; then \
	  echo '{"disabledExtensions": {"@jupyter/nbgrader:formgrader": true, "@jupyter/nbgrader:create-assignment": true}}' \
	    > $(LAB_CONFIG)/labconfig/page_config.json; \
	  echo '{"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": false}}}' \
	    > $(LAB_CONFIG)/jupyter_server_config.json; \
	elif [ "$(ROLE)" = instructor ]; then \
	  echo '{"disabledExtensions": {}}' > $(LAB_CONFIG)/labconfig/page_config.json; \
	  echo '{}' > $(LAB_CONFIG)/jupyter_server_config.json; \
	else echo "make lab: ROLE must be student or instructor, not '$(ROLE)'" >&2; exit 2; fi
	@echo "Your progress: $(VENV)/bin/autograder progress   (each assignment, each graded function)"
	JUPYTER_CONFIG_PATH=$(LAB_CONFIG) $(VENV)/bin/jupyter lab \
	  --ServerApp.root_dir=$(if $(filter instructor,$(ROLE)),.,assignments) $(LAB_ARGS)

# The browser tests (tests/browser) need Playwright in the venv and Debian's Chromium (apt-get install chromium);
# without them they skip (CI=true: fail). `make screenshots` regenerates docs/screenshots/ with them.
browser: $(STAMP)
	$(PY) -m pip install --quiet -e '.[browser]'

screenshots: browser
	NNKIT_SCREENSHOTS=1 $(PY) -m pytest tests/browser -q -p no:cacheprovider

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/bench_nnkit.py --json benchmarks/results/bench_nnkit.json

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build *.egg-info
