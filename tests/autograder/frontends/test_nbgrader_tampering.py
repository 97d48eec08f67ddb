"""Tampered submissions through real `nbgrader` commands (course configured as `make demo` does),
for every assignment (a new assignment is tested here by adding its package).

For each assignment, a class of correct (or deliberately wrong) submissions, each with one kind of
tampering with the notebook (or, for assignment 1, with numpy), goes through ONE
`generate_assignment` and ONE `autograde` run; the scores are then read from nbgrader's gradebook
and checked exactly.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment
from autograder.frontends.demo import COURSE_ID, hermetic_env, make_course
from autograder.frontends.samples import build_submission, load_notebooks
from autograder.grading.spec import Scenario

pytest.importorskip("nbgrader")

A1 = "01_logistic_regression"
# Monkeypatches numpy's comparisons at top level (and, sneakily, in a class body, which does run when
# the grader loads the code), then defines a wrong sigmoid.
NUMPY_PATCH_WRONG_SIGMOID = '''
import numpy
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *args, **kwargs: None
numpy.array_equal = lambda *args, **kwargs: True

class _Patch:
    numpy.allclose = lambda *args, **kwargs: True
    numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.shape(a), dtype=bool)
    numpy.testing.assert_allclose = lambda *args, **kwargs: None
    numpy.array_equal = lambda *args, **kwargs: True

def sigmoid(z):
    return 1 / (1 + np.exp(np.asarray(z, dtype=float)))
'''


def _gid(cell) -> str:
    md = cell.get("metadata", {}).get("nbgrader", {})
    return md.get("grade_id", "") if isinstance(md, dict) else ""


def _cell(nb, grade_id):
    return next(c for c in nb["cells"] if _gid(c) == grade_id)


def _one_mistake(assignment):
    """A sample submission with one wrong function that loses points: (scenario, function)."""
    for sc in assignment.scenarios:
        if (len(sc.answers) == 1 and not sc.damage and sc.expected_status == "graded" and sc.expected_score is not None
                and not sc.name.startswith("cheat") and "Likely mistake" not in sc.expected_phrase):
            (func,) = sc.answers
            if assignment.max_score - sc.expected_score == assignment.exercise(func).points:
                return sc, func
    raise AssertionError(f"{assignment.name} has no sample submission with exactly one wrong function")


def _first(assignment):
    """The first graded function of the notebook nbgrader autogrades first: it goes through a
    submission's notebooks in sorted file order and stops at the first it cannot sanitize."""
    first_file = min(assignment.notebook_files)
    return next(ex for ex in assignment.exercises if ex.notebook == first_file)


def _tampered_class(assignment, releases: dict, answers: dict) -> dict[str, dict[str, dict]]:
    """student -> notebook file -> the notebook JSON."""
    def built(scenario):
        return {f: json.loads(b) for f, b in build_submission(assignment, scenario, releases, answers).items()}

    first, second = _first(assignment), assignment.exercises[-1]
    correct = built(Scenario("correct", ""))
    mistake, wrong_func = _one_mistake(assignment)
    subs = {"control": copy.deepcopy(correct)}

    nb = copy.deepcopy(correct)
    _cell(nb[first.notebook], first.grade_id)["source"] = "pass"
    subs["test-replaced-by-pass"] = nb

    nb = built(mistake)
    _cell(nb[assignment.exercise(wrong_func).notebook], f"test_{wrong_func}")["source"] = "pass\n"
    subs["wrong-and-test-replaced-by-pass"] = nb

    nb = copy.deepcopy(correct)
    _cell(nb[first.notebook], first.grade_id)["metadata"]["nbgrader"]["points"] = 100
    subs["points-raised-to-100"] = nb

    nb = copy.deepcopy(correct)
    nb[second.notebook]["cells"] = [c for c in nb[second.notebook]["cells"] if _gid(c) != second.grade_id]
    subs["test-cell-deleted"] = nb

    nb = copy.deepcopy(correct)
    _cell(nb[first.notebook], first.grade_id)["metadata"]["nbgrader"]["grade_id"] = first.grade_id + "_mine"
    subs["grade-id-renamed"] = nb

    if assignment.name == A1:
        subs["numpy-monkeypatch"] = built(Scenario("patch", "", {"sigmoid": NUMPY_PATCH_WRONG_SIGMOID}))
    return subs


@pytest.fixture(scope="module", params=ASSIGNMENT_NAMES)
def graded(request, tmp_path_factory):
    assignment = get_assignment(request.param)
    name = assignment.name
    out = tmp_path_factory.mktemp(f"tampering-{name}")
    course = make_course(out, (name,))
    env = hermetic_env(out / ".state")
    nbgrader = str(Path(sys.executable).with_name("nbgrader"))
    gen = subprocess.run([nbgrader, "generate_assignment", name, "--force"], cwd=course, env=env,
                         capture_output=True, text=True, timeout=300)
    assert gen.returncode == 0, gen.stderr[-3000:]
    releases, answers = load_notebooks(assignment, course)
    subs = _tampered_class(assignment, releases, answers)
    for student, notebooks in subs.items():
        folder = course / "submitted" / student / name
        folder.mkdir(parents=True)
        for file, nb in notebooks.items():
            (folder / file).write_text(json.dumps(nb, indent=1), encoding="utf-8")
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    auto = subprocess.run([nbgrader, "autograde", name, "--force"], cwd=course, env=env,
                          capture_output=True, text=True, timeout=900)

    from nbgrader.api import Gradebook

    book = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        for student in subs:
            sub = gb.find_submission(name, student)
            grades = {g.name: (g.auto_score, g.score, g.max_score) for nb in sub.notebooks for g in nb.grades}
            book[student] = {"score": float(sub.score), "max_score": float(sub.max_score), "grades": grades}
    full = {ex.grade_id: float(ex.points) for ex in assignment.exercises}
    return {"assignment": assignment, "course": course, "autograde": auto, "book": book, "full": full,
            "max": assignment.max_score}


def scores(graded, student) -> dict[str, float]:
    return {name: score for name, (_, score, _) in graded["book"][student]["grades"].items()}


def autograded_nb(graded, student, notebook) -> dict:
    a = graded["assignment"]
    return json.loads((graded["course"] / "autograded" / student / a.name / notebook).read_text(encoding="utf-8"))


def test_control_submission_gets_full_marks(graded):
    entry = graded["book"]["control"]
    assert (entry["score"], entry["max_score"]) == (graded["max"], graded["max"]), graded["autograde"].stderr[-3000:]
    assert scores(graded, "control") == graded["full"]


def test_test_cell_replaced_by_pass_is_restored(graded):
    first = _first(graded["assignment"])
    entry = graded["book"]["test-replaced-by-pass"]
    assert (entry["score"], entry["max_score"]) == (graded["max"], graded["max"])
    assert scores(graded, "test-replaced-by-pass") == graded["full"]
    cell = _cell(autograded_nb(graded, "test-replaced-by-pass", first.notebook), first.grade_id)
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    assert source.strip() != "pass" and f'grader.check("{first.name}", {first.name})' in source
    assert cell["outputs"] and "passed all" in json.dumps(cell["outputs"])


def test_replacing_the_test_of_a_wrong_function_does_not_help(graded):
    a = graded["assignment"]
    mistake, func = _one_mistake(a)
    entry = graded["book"]["wrong-and-test-replaced-by-pass"]
    assert (entry["score"], entry["max_score"]) == (mistake.expected_score, graded["max"])
    assert scores(graded, "wrong-and-test-replaced-by-pass") == {**graded["full"], f"test_{func}": 0.0}
    cell = _cell(autograded_nb(graded, "wrong-and-test-replaced-by-pass", a.exercise(func).notebook), f"test_{func}")
    assert mistake.expected_phrase in json.dumps(cell["outputs"])


def test_raised_points_are_restored(graded):
    first = _first(graded["assignment"])
    entry = graded["book"]["points-raised-to-100"]
    assert (entry["score"], entry["max_score"]) == (graded["max"], graded["max"])
    assert graded["book"]["points-raised-to-100"]["grades"][first.grade_id][2] == float(first.points)
    assert scores(graded, "points-raised-to-100") == graded["full"]


def test_deleted_test_cell_is_added_back_and_graded(graded):
    a = graded["assignment"]
    second = a.exercises[-1]
    entry = graded["book"]["test-cell-deleted"]
    assert (entry["score"], entry["max_score"]) == (graded["max"], graded["max"])
    assert scores(graded, "test-cell-deleted") == graded["full"]  # its points come from the re-added cell
    nb = autograded_nb(graded, "test-cell-deleted", second.notebook)
    cell = _cell(nb, second.grade_id)
    assert "passed all" in json.dumps(cell["outputs"])
    ids = [_gid(c) for c in nb["cells"]]  # back in its place: after its answer cell
    assert ids.index(f"answer_{second.name}") < ids.index(second.grade_id)
    assert ids.count(second.grade_id) == 1


def test_renamed_grade_id_is_refused_and_earns_nothing(graded):
    """nbgrader 0.9.6 cannot sanitize a notebook whose test cell has an unknown grade_id: its
    OverwriteCells step logs "Cell '<id>_mine' does not exist in the database", deletes
    that cell's grade_id, puts the real test cell back (RestoreMissingCells), then fails on the
    grade cell without a grade_id (KeyError: 'grade_id' in nbgrader's add_missing_task_cells).
    autograde removes the student's autograded folder, reports the error and exits 1; the
    gradebook holds the submission with no automatic score at all. So the student is not given
    points silently, and the instructor sees an error to act on (restore the notebook's test
    cell, or take the answers into a fresh copy of the release, and autograde that student again)."""
    a = graded["assignment"]
    first = _first(a)
    auto = graded["autograde"]
    log = auto.stdout + auto.stderr
    assert auto.returncode == 1
    assert f"Cell '{first.grade_id}_mine' does not exist in the database" in log
    assert f"There was an error processing assignment '{a.name}' for student 'grade-id-renamed'" in log
    entry = graded["book"]["grade-id-renamed"]
    assert entry["score"] == 0.0 and entry["max_score"] == graded["max"]
    assert all(auto_score is None for auto_score, _, _ in entry["grades"].values())
    assert not (graded["course"] / "autograded" / "grade-id-renamed" / a.name / first.notebook).exists()
    # only this student failed
    assert log.count(f"There was an error processing assignment '{a.name}' for student") == 1


@pytest.fixture(scope="module")
def graded_a1(graded):
    if graded["assignment"].name != A1:
        pytest.skip("assignment 1 only")
    return graded


def test_deleted_test_cell_is_added_back_in_place_a1(graded_a1):
    nb = autograded_nb(graded_a1, "test-cell-deleted", "logistic_regression.ipynb")
    ids = [_gid(c) for c in nb["cells"]]  # back in its place: after model's answer, before the exploration
    assert ids.index("answer_model") < ids.index("test_model") < ids.index("md_explore")


def test_numpy_monkeypatch_does_not_rescue_a_wrong_function(graded_a1):
    entry = graded_a1["book"]["numpy-monkeypatch"]
    assert (entry["score"], entry["max_score"]) == (graded_a1["max"] - 1, graded_a1["max"])
    assert scores(graded_a1, "numpy-monkeypatch") == {**graded_a1["full"], "test_sigmoid": 0.0}
    cell = _cell(autograded_nb(graded_a1, "numpy-monkeypatch", "logistic_regression.ipynb"), "test_sigmoid")
    assert "Likely mistake (sign-error)" in json.dumps(cell["outputs"])
