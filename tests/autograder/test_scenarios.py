"""Scenario notebooks, graded as an instructor would: each has an exact expected score and the key
phrase of its feedback. The notebooks are built from the committed release and solution
(``python -m autograder.samples DIR`` writes them for a human to open), named by what they show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder import sandbox
from autograder.engine import grade_notebook
from autograder.samples import ASSIGNMENT, NOTEBOOK, SCENARIOS, MAX_SCORE, write_scenarios

REPO = Path(__file__).resolve().parents[2]
BACKENDS = ["bwrap", "fallback"] if sandbox.bwrap_available() else ["fallback"]


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenarios")
    write_scenarios(out, REPO / "assignments" / ASSIGNMENT / NOTEBOOK, REPO / "solutions" / ASSIGNMENT / NOTEBOOK)
    return out


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario_score_and_feedback(scenario, backend, scenario_dir):
    report = grade_notebook(scenario_dir / f"{scenario.name}.ipynb", ASSIGNMENT, backend=backend)
    assert report.status == scenario.expected_status, report.error
    assert report.score == scenario.expected_score, [(e.name, e.feedback) for e in report.exercises if not e.passed]
    text = (report.error or "") + " ".join(e.feedback + str(e.misconception) for e in report.exercises)
    assert scenario.expected_phrase in text
    if report.status == "graded":
        assert report.max_score == MAX_SCORE
        assert report.backend == backend


def test_one_mistake_costs_one_function(scenario_dir):
    """The wrong propagate costs its 3 points only: optimize and model, which call it, still pass."""
    report = grade_notebook(scenario_dir / "missing-1-over-m.ipynb", ASSIGNMENT)
    by_name = {e.name: e for e in report.exercises}
    assert not by_name["propagate"].passed and by_name["propagate"].misconception == "missing-1/m"
    assert by_name["optimize"].passed and by_name["model"].passed


def test_feedback_never_shows_reference_arrays(scenario_dir):
    report = grade_notebook(scenario_dir / "missing-1-over-m.ipynb", ASSIGNMENT)
    fb = next(e.feedback for e in report.exercises if e.name == "propagate")
    assert "array(" not in fb and "[[" not in fb  # summaries (shape, mean, largest error), not arrays
    assert "largest error" in fb


@pytest.mark.parametrize("backend", BACKENDS)
def test_student_code_cannot_touch_grader_files(tmp_path, backend):
    """A graded function that tries to rewrite a gradebook and read the solutions changes nothing."""
    from autograder.extract import StudentCode
    from autograder.engine import grade_code
    from autograder.assignments import get_assignment

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
    report = grade_code(student, get_assignment(ASSIGNMENT), only={"sigmoid"}, backend=backend)
    assert gradebook.read_bytes() == b"original grades"
    sig = report.exercises[0]
    assert "LEAKED" not in sig.feedback
    assert sig.passed, sig.feedback
