"""The main job (`make demo`), run as an instructor would: nbgrader commands in a course folder,
with the trusted engine inside `nbgrader autograde`, for every assignment. Scores are checked
exactly, in the gradebook, against each demo student's sample submission."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment
from autograder.frontends.demo import run_demo

A1 = "01_logistic_regression"
EXPECTED_A1 = {"ada": 11.0, "ben": 8.0, "chloe": 9.0, "dev": 10.0, "emma": 10.0, "farid": 10.0, "gus": 8.0,
               "hana": None}


def expected(name: str) -> dict[str, float | None]:
    """student -> the score their sample submission must get (None: nbgrader could not grade it)."""
    a = get_assignment(name)
    out = {}
    for student, scenario in a.demo_class.items():
        sc = a.scenario(scenario)
        out[student] = None if sc.expected_status == "error" and len(a.notebooks) == 1 else (
            a.max_score if sc.expected_score is None else sc.expected_score)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, run_demo(out, quiet=True)


def test_gradebook_has_the_trusted_scores(demo):
    _, summary = demo
    assert expected(A1) == EXPECTED_A1
    for name in ASSIGNMENT_NAMES:
        scores = {student: score for student, (score, _) in summary["gradebook"][name].items()}
        assert scores == expected(name), name


def test_misconceptions_are_named(demo):
    _, summary = demo
    assert {"missing-1/m", "b-updated-with-dw", "probabilities-not-labels", "reshape(n, m)"} <= \
        set(summary["misconceptions"][A1])
    # calling the reference is an integrity flag for the instructor, not a misconception
    assert "calls-reference" not in summary["misconceptions"][A1]
    integrity = summary["integrity"][A1]
    assert set(integrity) == {"gus", "farid"}, integrity
    assert integrity["gus"] == ["propagate: calls-reference"]
    # farid's sample tries to forge the gradebook: the sandbox's audit hook reports what it tried
    assert any("sqlite3" in flag for flag in integrity["farid"]), integrity["farid"]
    assert "not valid notebook JSON" in summary["errors"][A1]["hana"]
    for name in ASSIGNMENT_NAMES:
        assert summary["misconceptions"][name], f"{name}: the demo class shows no named mistake"


def test_feedback_is_written_and_hides_hidden_tests(demo):
    out, summary = demo
    feedback = Path(summary["feedback"])
    for name in ASSIGNMENT_NAMES:
        a = get_assignment(name)
        for student, score in expected(name).items():
            if score is None:
                continue
            for nb in a.notebooks:
                path = feedback / student / name / f"{nb.stem}.html"
                if not path.exists():  # a damaged notebook of a multi-notebook submission has no feedback
                    continue
                html = path.read_text()
                assert "BEGIN HIDDEN TESTS" not in html and 'run="hidden"' not in html
                assert "run=&quot;hidden&quot;" not in html
    ben = (feedback / "ben" / A1 / "logistic_regression.html").read_text()
    assert "Likely mistake (missing-1/m)" in ben


def test_exported_grades_match(demo):
    out, summary = demo
    rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(open(summary["grades_csv"]))}
    assert float(rows[A1, "ada"]["score"]) == 11.0 and float(rows[A1, "ben"]["score"]) == 8.0
    assert float(rows[A1, "farid"]["score"]) == 10.0  # the forging attempt changed nothing
    for name in ASSIGNMENT_NAMES:
        for student, score in expected(name).items():
            if score is not None:
                assert float(rows[name, student]["score"]) == score, (name, student)


def test_class_reports_written(demo):
    out, summary = demo
    for name in ASSIGNMENT_NAMES:
        report = Path(summary["reports"][name])
        assert (report / "report.html").exists()
        assert (report / "report.json").exists()
