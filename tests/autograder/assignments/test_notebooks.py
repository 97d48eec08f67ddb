"""The notebooks of every assignment, as users meet them (a new assignment is tested by adding its package).

- the committed student release is what ``nbgrader generate_assignment`` makes of the source today;
- the release shows no solution and no hidden test;
- the source (instructor) notebook runs top to bottom, every visible and hidden check prints ✔,
  and it draws its plots;
- the release runs too: the setup cell works, and every test cell fails with a message about the
  unimplemented function (not with a crash of the setup);
- the points of the test cells are those of the grading spec, one answer and one test cell per
  graded function.

Kernels and nbgrader run with HOME, Jupyter, IPython and matplotlib directories in a temporary
folder, so the tests leave the user's home untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment

ROOT = Path(__file__).resolve().parents[3]
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
MAX_SOURCE_RUNTIME_S = 90.0
#: the plots a notebook must draw at least (3 for a notebook not listed)
MIN_PLOTS = {"logistic_regression.ipynb": 8}
#: (assignment, notebook file) of every graded notebook of the course
NOTEBOOKS = [(a, f) for a in ASSIGNMENT_NAMES for f in get_assignment(a).notebook_files]
IDS = [f"{a}/{f}" for a, f in NOTEBOOKS]


def _paths(name: str, notebook: str) -> tuple[Path, Path, str]:
    regenerate = f"run `nbgrader generate_assignment {name} --force` from the repository root"
    return ROOT / "solutions" / name / notebook, ROOT / "assignments" / name / notebook, regenerate


@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory):
    """Point HOME and every Jupyter/IPython/matplotlib directory into a temporary folder.

    Kernels started by nbclient inherit ``os.environ``, so it is patched for the module; the dict
    returned is the same environment, for subprocesses. The venv's ``bin`` goes first on PATH
    (nbgrader runs ``alembic`` from there) and the repository first on PYTHONPATH (the kernel and
    nbgrader's config import ``autograder`` and ``nnkit`` from this checkout).
    """
    home = tmp_path_factory.mktemp("jupyter-home")
    env = {
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "jupyter-config"),
        "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "MPLCONFIGDIR": str(home / "matplotlib"),
        "MPLBACKEND": "agg",
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH", "")] if p),
        "PYTHONWARNINGS": "ignore:Object of type",  # nbgrader's harmless SQLAlchemy SAWarning
        # one BLAS thread per kernel: on a busy 2-core machine two threads made small products 27x slower
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        yield dict(os.environ)


# ----------------------------------------------------------------------------- helpers
def _nbgrader_md(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _grade_id(cell) -> str:
    return _nbgrader_md(cell).get("grade_id", "")


def _is_test_cell(cell) -> bool:
    md = _nbgrader_md(cell)
    return cell.cell_type == "code" and bool(md.get("grade")) and not md.get("solution")


def _is_answer_cell(cell) -> bool:
    return cell.cell_type == "code" and bool(_nbgrader_md(cell).get("solution"))


def _cell_summary(cell) -> tuple:
    """What must agree between two releases: type, text and nbgrader metadata (not the cell id)."""
    return cell.cell_type, cell.source, _nbgrader_md(cell)


def _execute(path: Path, workdir: Path, *, allow_errors: bool):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=allow_errors,
                            interrupt_on_timeout=True, resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return nb


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def _errors(cell) -> list:
    return [o for o in cell.outputs if o.output_type == "error"]


# ----------------------------------------------------------------------------- release vs source
@pytest.fixture(scope="module")
def generated(tmp_path_factory, jupyter_env):
    """assignment -> the folder where nbgrader generated its release from the current sources."""
    out = {}
    for name in ASSIGNMENT_NAMES:
        course = tmp_path_factory.mktemp(f"course-{name}")
        shutil.copytree(ROOT / "solutions" / name, course / "solutions" / name)
        (course / "nbgrader_config.py").write_text(
            "from autograder.frontends.nbgrader_plugin import configure\n"
            f"configure(get_config(), course_root={str(course)!r})\n"
        )
        nbgrader = Path(sys.executable).parent / "nbgrader"
        proc = subprocess.run([str(nbgrader), "generate_assignment", name], cwd=course, env=jupyter_env,
                              capture_output=True, text=True, timeout=180)
        assert proc.returncode == 0, f"nbgrader generate_assignment {name} failed:\n{proc.stdout}\n{proc.stderr}"
        out[name] = course / "assignments" / name
    return out


@pytest.mark.parametrize("name,notebook", NOTEBOOKS, ids=IDS)
def test_release_is_generated_from_the_current_source(name, notebook, generated):
    SOURCE, RELEASE, REGENERATE = _paths(name, notebook)

    fresh = nbformat.read(generated[name] / notebook, as_version=4)
    assert RELEASE.exists(), f"{RELEASE.relative_to(ROOT)} is missing: {REGENERATE}."
    committed = nbformat.read(RELEASE, as_version=4)
    assert len(fresh.cells) == len(committed.cells), (
        f"the committed release has {len(committed.cells)} cells, the source gives {len(fresh.cells)}: {REGENERATE}."
    )
    for i, (want, got) in enumerate(zip(fresh.cells, committed.cells)):
        assert _cell_summary(got) == _cell_summary(want), (
            f"cell {i} ({_grade_id(want) or want.cell_type}) of the committed release differs from what the "
            f"source gives: {REGENERATE}."
        )


@pytest.mark.parametrize("name,notebook", NOTEBOOKS, ids=IDS)
def test_release_shows_no_solution_and_no_hidden_test(name, notebook):
    release = nbformat.read(_paths(name, notebook)[1], as_version=4)
    for cell in release.cells:
        for marker in ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", 'run="hidden"'):
            assert marker not in cell.source, f"{marker!r} is in the release, cell {_grade_id(cell) or cell.cell_type}"
    answers = [c for c in release.cells if _is_answer_cell(c)]
    assert answers, "the release has no answer cells"
    for cell in answers:
        assert cell.source.rstrip().endswith(CODE_STUB.replace("\n", "\n    ")), (
            f"{_grade_id(cell)} should end with the indented stub {CODE_STUB!r}"
        )
        assert not cell.outputs
    for cell in (c for c in release.cells if _is_test_cell(c)):
        name = _grade_id(cell).removeprefix("test_")
        assert f'grader.check("{name}", {name})' in cell.source, f"{_grade_id(cell)} lost its visible check"


# ----------------------------------------------------------------------------- execution
@pytest.mark.parametrize("name,notebook", NOTEBOOKS, ids=IDS)
def test_source_notebook_runs_and_passes_every_check(name, notebook, tmp_path, jupyter_env):
    start = time.perf_counter()
    nb = _execute(_paths(name, notebook)[0], tmp_path, allow_errors=False)  # raises CellExecutionError on any error
    elapsed = time.perf_counter() - start
    assert elapsed < MAX_SOURCE_RUNTIME_S, f"the source notebook took {elapsed:.1f} s (limit {MAX_SOURCE_RUNTIME_S:g} s)"

    test_cells = [c for c in nb.cells if _is_test_cell(c)]
    assert len(test_cells) == len(get_assignment(name).notebook(notebook).exercises)
    for cell in test_cells:
        out = _stdout(cell)
        # one ✔ for the visible check and one for the hidden one
        assert out.count("✔") == 2, f"{_grade_id(cell)} printed {out!r}"
    pngs = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    least = MIN_PLOTS.get(notebook, 3)
    assert pngs >= least, f"expected the notebook's plots (at least {least} images), got {pngs}"


@pytest.mark.parametrize("name,notebook", NOTEBOOKS, ids=IDS)
def test_release_notebook_fails_cleanly_before_it_is_solved(name, notebook, tmp_path, jupyter_env):
    nb = _execute(_paths(name, notebook)[1], tmp_path, allow_errors=True)

    setup = next(c for c in nb.cells if _grade_id(c) == "setup")
    assert not _errors(setup), f"the setup cell failed: {_errors(setup)[0].get('evalue')}"
    for cell in (c for c in nb.cells if _is_answer_cell(c)):
        # the stubs only define functions; they raise when called, not when defined
        assert not _errors(cell), f"{_grade_id(cell)} failed: {_errors(cell)[0].get('evalue')}"
    test_cells = [c for c in nb.cells if _is_test_cell(c)]
    assert len(test_cells) == len(get_assignment(name).notebook(notebook).exercises)
    for cell in test_cells:
        errors = _errors(cell)
        assert len(errors) == 1, f"{_grade_id(cell)} should fail once, outputs: {cell.outputs}"
        assert errors[0].ename == "ExerciseFailed", f"{_grade_id(cell)} crashed with {errors[0].ename}: {errors[0].evalue}"
        assert "NotImplementedError" in errors[0].evalue, errors[0].evalue
        assert "✔" not in _stdout(cell)


# ----------------------------------------------------------------------------- structure
@pytest.mark.parametrize("name,notebook", NOTEBOOKS, ids=IDS)
def test_points_and_cells_match_the_grading_spec(name, notebook):
    spec = get_assignment(name).notebook(notebook)
    assert spec.file == notebook
    nb = nbformat.read(_paths(name, notebook)[0], as_version=4)
    graded = [c for c in nb.cells if _nbgrader_md(c).get("grade")]
    answers = [c for c in nb.cells if _is_answer_cell(c)]

    points = {_grade_id(c): _nbgrader_md(c).get("points") for c in graded}
    assert points == {f"test_{ex.name}": ex.points for ex in spec.exercises}
    assert all(_is_test_cell(c) for c in graded), "a graded cell is not a locked test cell"

    references = {ex.reference.__module__ for ex in spec.exercises}
    for cell in nb.cells:  # the notebook never imports the graded answers
        for module in references:
            assert module not in cell.source, f"a cell imports the references ({module})"
    assert sorted(_grade_id(c) for c in answers) == sorted(f"answer_{ex.name}" for ex in spec.exercises)
    for ex in spec.exercises:
        (answer,) = [c for c in answers if _grade_id(c) == f"answer_{ex.name}"]
        assert f"def {ex.name}(" in answer.source
        assert "### BEGIN SOLUTION" in answer.source and "### END SOLUTION" in answer.source
        assert "import nnkit" not in answer.source and "from nnkit" not in answer.source
        (test,) = [c for c in graded if _grade_id(c) == f"test_{ex.name}"]
        assert _nbgrader_md(test).get("locked") is True
        # each answer cell comes before its test cell
        assert nb.cells.index(answer) < nb.cells.index(test)
