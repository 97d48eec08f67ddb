"""The main job (`make demo`), run as an instructor would: nbgrader commands in a course folder,
with the trusted engine inside `nbgrader autograde`. Scores are checked exactly, in the gradebook."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autograder.demo import CLASS, run_demo

EXPECTED = {"ada": 11.0, "ben": 8.0, "chloe": 9.0, "dev": 10.0, "emma": 10.0, "farid": 10.0, "gus": 8.0, "hana": None}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, run_demo(out, quiet=True)


def test_gradebook_has_the_trusted_scores(demo):
    _, summary = demo
    scores = {student: score for student, (score, _) in summary["gradebook"].items()}
    assert scores == EXPECTED
    assert set(CLASS) == set(EXPECTED)


def test_misconceptions_are_named(demo):
    _, summary = demo
    assert {"missing-1/m", "b-updated-with-dw", "probabilities-not-labels", "reshape(n, m)",
            "calls-reference"} <= set(summary["misconceptions"])
    assert "not valid notebook JSON" in summary["errors"]["hana"]


def test_feedback_is_written_and_hides_hidden_tests(demo):
    out, summary = demo
    feedback = Path(summary["feedback"])
    for student in EXPECTED:
        if EXPECTED[student] is None:
            continue
        html = (feedback / student / "01_logistic_regression" / "logistic_regression.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and 'run="hidden"' not in html and "run=&quot;hidden&quot;" not in html
    ben = (feedback / "ben" / "01_logistic_regression" / "logistic_regression.html").read_text()
    assert "Likely mistake (missing-1/m)" in ben


def test_exported_grades_match(demo):
    out, summary = demo
    rows = {r["student_id"]: r for r in csv.DictReader(open(summary["grades_csv"]))}
    assert float(rows["ada"]["score"]) == 11.0 and float(rows["ben"]["score"]) == 8.0
    assert float(rows["farid"]["score"]) == 10.0  # the forging attempt changed nothing


def test_class_report_written(demo):
    out, summary = demo
    report = Path(summary["report"])
    assert (report / "report.html").exists()
    assert (report / "report.json").exists()
