"""Scenario submissions of every assignment, graded as an instructor would: each has an exact expected
score and the key phrase of its feedback. They are built from the committed release and solution
notebooks (``python -m autograder.frontends.samples ASSIGNMENT DIR`` writes them for a human to open),
named by what they show. A new assignment is tested here by adding its package."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment
from autograder.frontends.batch import Submission, grade_submission
from autograder.frontends.samples import write_scenarios
from autograder.grading.engine import grade
from autograder.isolation import probe

REPO = Path(__file__).resolve().parents[3]
BACKENDS = [b for b in ("bwrap", "landlock") if probe.usable(b)]
A1 = "01_logistic_regression"
SCENARIOS = [(a, sc) for a in ASSIGNMENT_NAMES for sc in get_assignment(a).scenarios]


@pytest.fixture(scope="module")
def scenario_dirs(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenarios")
    return {a: write_scenarios(out / a, get_assignment(a)) for a in ASSIGNMENT_NAMES}


def _grade(scenario_dirs, name: str, scenario: str, backend: str | None = None) -> dict:
    assignment = get_assignment(name)
    folder = scenario_dirs[name][scenario]
    sub = Submission(scenario, name, {f: folder / f for f in assignment.notebook_files})
    return grade_submission(sub, key="", backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name,scenario", SCENARIOS, ids=[f"{a}:{s.name}" for a, s in SCENARIOS])
def test_scenario_score_and_feedback(name, scenario, backend, scenario_dirs):
    assignment = get_assignment(name)
    result = _grade(scenario_dirs, name, scenario.name, backend)
    assert result["status"] == scenario.expected_status, result["error"]
    expected = assignment.max_score if scenario.expected_score is None else scenario.expected_score
    assert result["score"] == expected, [(e["name"], e["feedback"]) for e in result["exercises"] if not e["passed"]]
    text = (result["error"] or "") + " ".join(e["feedback"] + str(e["misconception"]) for e in result["exercises"])
    assert scenario.expected_phrase in text
    if result["status"] == "graded":
        assert result["max_score"] == assignment.max_score
        assert result["backend"].split(" ")[0] == backend


@pytest.mark.parametrize("name", ASSIGNMENT_NAMES)
def test_every_assignment_has_the_scenarios_it_needs(name):
    """The solution, mistakes that cost points, a cheat and a damaged file, for every assignment."""
    assignment = get_assignment(name)
    scenarios = {s.name: s for s in assignment.scenarios}
    assert "correct" in scenarios and scenarios["correct"].expected_score is None
    assert any(s.expected_status == "error" or (s.damage or "").startswith(("invalid-json", "not-utf8", "nbformat3"))
               for s in assignment.scenarios), "no damaged file"
    assert any(s.name.startswith("cheat-") for s in assignment.scenarios), "no cheating attempt"
    assert assignment.demo_class and set(assignment.demo_class.values()) <= set(scenarios)


def test_one_mistake_costs_one_function(scenario_dirs):
    """The wrong propagate costs its 3 points only: optimize and model, which call it, still pass."""
    result = _grade(scenario_dirs, A1, "missing-1-over-m")
    by_name = {e["name"]: e for e in result["exercises"]}
    assert not by_name["propagate"]["passed"] and by_name["propagate"]["misconception"] == "missing-1/m"
    assert by_name["optimize"]["passed"] and by_name["model"]["passed"]


def test_feedback_never_shows_reference_arrays(scenario_dirs):
    result = _grade(scenario_dirs, A1, "missing-1-over-m")
    fb = next(e["feedback"] for e in result["exercises"] if e["name"] == "propagate")
    assert "array(" not in fb and "[[" not in fb  # summaries (shape, mean, largest error), not arrays
    assert "largest error" in fb


@pytest.mark.parametrize("backend", BACKENDS)
def test_student_code_cannot_touch_grader_files(tmp_path, backend):
    """A graded function that tries to rewrite a gradebook and read the solutions changes nothing."""
    from autograder.grading.extract import StudentCode

    gradebook = tmp_path / "gradebook.db"
    gradebook.write_bytes(b"original grades")
    secret = tmp_path / "solutions.txt"
    secret.write_text("the answers")
    gradebook.chmod(0o644)
    secret.chmod(0o600)  # like a root-only instructor file
    source = f'''
import numpy as np
def sigmoid(z):
    try:
        with open({str(gradebook)!r}, "wb") as f:
            f.write(b"forged")
    except Exception:
        pass
    try:
        leaked = open({str(secret)!r}).read()
    except Exception:
        leaked = ""
    if leaked:
        raise RuntimeError("LEAKED " + leaked)
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
'''
    student = StudentCode(source, ["np", "sigmoid"])
    report = grade(student, get_assignment(A1), only={"sigmoid"}, backend=backend)
    assert gradebook.read_bytes() == b"original grades"
    sig = report.exercises[0]
    assert "LEAKED" not in sig.feedback
    assert sig.passed, sig.feedback
