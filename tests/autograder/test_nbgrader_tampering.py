"""Tampered submissions through real `nbgrader` commands (course configured as `make demo` does).

A class of correct (or deliberately wrong) submissions of assignment 1, each with one kind of
tampering with the notebook or with numpy, goes through ONE `generate_assignment` and ONE
`autograde` run; the scores are then read from nbgrader's gradebook and checked exactly.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.demo import hermetic_env, make_course
from autograder.samples import ASSIGNMENT, MAX_SCORE, NOTEBOOK, SCENARIOS, Scenario, build_submission, solution_answers

pytest.importorskip("nbgrader")

COURSE_ID = "nnkit-demo"  # what make_course configures
FULL = {"test_flatten_and_scale": 1.0, "test_sigmoid": 1.0, "test_initialize_with_zeros": 1.0, "test_propagate": 3.0,
        "test_optimize": 2.0, "test_predict": 1.0, "test_model": 2.0}
# The wrong propagate of the "missing 1/m" scenario: it costs propagate's 3 points only.
PROPAGATE_NO_M = next(s for s in SCENARIOS if s.name == "missing-1-over-m").answers["propagate"]

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


def _tampered_class(release: dict, answers: dict) -> dict[str, dict]:
    correct = json.loads(build_submission(release, answers, Scenario("correct", "")))
    wrong_propagate = json.loads(build_submission(release, answers, Scenario("no-m", "", {"propagate": PROPAGATE_NO_M})))
    subs = {"control": copy.deepcopy(correct)}

    nb = copy.deepcopy(correct)
    _cell(nb, "test_sigmoid")["source"] = "pass"
    subs["test-replaced-by-pass"] = nb

    nb = copy.deepcopy(wrong_propagate)
    _cell(nb, "test_propagate")["source"] = "pass\n"
    subs["wrong-and-test-replaced-by-pass"] = nb

    nb = copy.deepcopy(correct)
    _cell(nb, "test_sigmoid")["metadata"]["nbgrader"]["points"] = 100
    subs["points-raised-to-100"] = nb

    nb = copy.deepcopy(correct)
    nb["cells"] = [c for c in nb["cells"] if _gid(c) != "test_propagate"]
    subs["test-cell-deleted"] = nb

    nb = copy.deepcopy(correct)
    _cell(nb, "test_sigmoid")["metadata"]["nbgrader"]["grade_id"] = "test_sigmoid_mine"
    subs["grade-id-renamed"] = nb

    nb = json.loads(build_submission(release, answers, Scenario("patch", "", {"sigmoid": NUMPY_PATCH_WRONG_SIGMOID})))
    subs["numpy-monkeypatch"] = nb
    return subs


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("tampering")
    course = make_course(out)
    env = hermetic_env(out / ".state")
    nbgrader = str(Path(sys.executable).with_name("nbgrader"))
    gen = subprocess.run([nbgrader, "generate_assignment", ASSIGNMENT, "--force"], cwd=course, env=env,
                         capture_output=True, text=True, timeout=300)
    assert gen.returncode == 0, gen.stderr[-3000:]
    release = json.loads((course / "assignments" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    answers = solution_answers(json.loads((course / "solutions" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8")))
    subs = _tampered_class(release, answers)
    for student, nb in subs.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / NOTEBOOK).write_text(json.dumps(nb, indent=1), encoding="utf-8")
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    auto = subprocess.run([nbgrader, "autograde", ASSIGNMENT, "--force"], cwd=course, env=env,
                          capture_output=True, text=True, timeout=600)

    from nbgrader.api import Gradebook

    book = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        for student in subs:
            sub = gb.find_submission(ASSIGNMENT, student)
            grades = {g.name: (g.auto_score, g.score, g.max_score) for nb in sub.notebooks for g in nb.grades}
            book[student] = {"score": float(sub.score), "max_score": float(sub.max_score), "grades": grades}
    return {"course": course, "autograde": auto, "book": book, "release": release}


def scores(graded, student) -> dict[str, float]:
    return {name: score for name, (_, score, _) in graded["book"][student]["grades"].items()}


def autograded_nb(graded, student) -> dict:
    return json.loads((graded["course"] / "autograded" / student / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))


def test_control_submission_gets_full_marks(graded):
    entry = graded["book"]["control"]
    assert (entry["score"], entry["max_score"]) == (MAX_SCORE, MAX_SCORE), graded["autograde"].stderr[-3000:]
    assert scores(graded, "control") == FULL


def test_test_cell_replaced_by_pass_is_restored(graded):
    entry = graded["book"]["test-replaced-by-pass"]
    assert (entry["score"], entry["max_score"]) == (MAX_SCORE, MAX_SCORE)
    assert scores(graded, "test-replaced-by-pass") == FULL
    cell = _cell(autograded_nb(graded, "test-replaced-by-pass"), "test_sigmoid")
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    assert source.strip() != "pass" and 'grader.check("sigmoid", sigmoid)' in source
    assert cell["outputs"] and "passed all" in json.dumps(cell["outputs"])


def test_replacing_the_test_of_a_wrong_function_does_not_help(graded):
    entry = graded["book"]["wrong-and-test-replaced-by-pass"]
    assert (entry["score"], entry["max_score"]) == (MAX_SCORE - 3, MAX_SCORE)
    assert scores(graded, "wrong-and-test-replaced-by-pass") == {**FULL, "test_propagate": 0.0}
    cell = _cell(autograded_nb(graded, "wrong-and-test-replaced-by-pass"), "test_propagate")
    assert "Likely mistake (missing-1/m)" in json.dumps(cell["outputs"])


def test_raised_points_are_restored(graded):
    entry = graded["book"]["points-raised-to-100"]
    assert (entry["score"], entry["max_score"]) == (MAX_SCORE, MAX_SCORE)
    assert graded["book"]["points-raised-to-100"]["grades"]["test_sigmoid"][2] == 1.0
    assert scores(graded, "points-raised-to-100") == FULL


def test_deleted_test_cell_is_added_back_and_graded(graded):
    entry = graded["book"]["test-cell-deleted"]
    assert (entry["score"], entry["max_score"]) == (MAX_SCORE, MAX_SCORE)
    assert scores(graded, "test-cell-deleted") == FULL  # propagate's 3 points come from the re-added cell
    nb = autograded_nb(graded, "test-cell-deleted")
    cell = _cell(nb, "test_propagate")
    assert "passed all" in json.dumps(cell["outputs"])
    ids = [_gid(c) for c in nb["cells"]]  # back in its place: after propagate's answer, before the next section
    assert ids.index("answer_propagate") < ids.index("test_propagate") < ids.index("md_gd_math")
    assert ids.count("test_propagate") == 1


def test_renamed_grade_id_is_refused_and_earns_nothing(graded):
    """nbgrader 0.9.6 cannot sanitize a notebook whose test cell has an unknown grade_id: its
    OverwriteCells step logs "Cell 'test_sigmoid_mine' does not exist in the database", deletes
    that cell's grade_id, puts the real test_sigmoid back (RestoreMissingCells), then fails on the
    grade cell without a grade_id (KeyError: 'grade_id' in nbgrader's add_missing_task_cells).
    autograde removes the student's autograded folder, reports the error and exits 1; the
    gradebook holds the submission with no automatic score at all. So the student is not given
    points silently, and the instructor sees an error to act on (restore the notebook's test
    cell, or take the answers into a fresh copy of the release, and autograde that student again)."""
    auto = graded["autograde"]
    log = auto.stdout + auto.stderr
    assert auto.returncode == 1
    assert "Cell 'test_sigmoid_mine' does not exist in the database" in log
    assert "There was an error processing assignment '01_logistic_regression' for student 'grade-id-renamed'" in log
    entry = graded["book"]["grade-id-renamed"]
    assert entry["score"] == 0.0 and entry["max_score"] == MAX_SCORE
    assert all(auto_score is None for auto_score, _, _ in entry["grades"].values())
    assert not (graded["course"] / "autograded" / "grade-id-renamed" / ASSIGNMENT / NOTEBOOK).exists()
    # only this student failed
    assert log.count("There was an error processing assignment '01_logistic_regression' for student") == 1


def test_numpy_monkeypatch_does_not_rescue_a_wrong_function(graded):
    entry = graded["book"]["numpy-monkeypatch"]
    assert (entry["score"], entry["max_score"]) == (MAX_SCORE - 1, MAX_SCORE)
    assert scores(graded, "numpy-monkeypatch") == {**FULL, "test_sigmoid": 0.0}
    cell = _cell(autograded_nb(graded, "numpy-monkeypatch"), "test_sigmoid")
    assert "Likely mistake (sign-error)" in json.dumps(cell["outputs"])
