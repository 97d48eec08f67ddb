"""The report writers on hand-made submissions: no grading, so these run in well under a second each."""

from __future__ import annotations

import csv
import json

import pytest

from autograder.frontends import report


def _ex(name, points, max_points, misconception=None, feedback=None, status=None):
    passed = points == max_points
    return {"name": name, "points": float(points), "max_points": float(max_points), "passed": passed,
            "misconception": misconception, "status": status or ("passed" if passed else "wrong"),
            "feedback": feedback or (f"`{name}` passed all 5 test cases." if passed else f"`{name}` failed 5 of 5 test cases.")}


def _sub(student, exercises, status="graded", error=None, assignment="01_logistic_regression"):
    return {"student": student, "assignment": assignment, "notebook": "logistic_regression.ipynb", "status": status,
            "error": error, "score": sum(e["points"] for e in exercises), "max_score": 4.0 if status == "graded" else 4.0,
            "exercises": exercises}


@pytest.fixture
def subs():
    return [
        _sub("ada", [_ex("sigmoid", 1, 1), _ex("propagate", 3, 3)]),
        _sub("ben", [_ex("sigmoid", 1, 1), _ex("propagate", 0, 3, "missing-1/m",
                                                "Likely mistake (missing-1/m): divide by m. Details: dw differs")]),
        _sub("cy<script>", [_ex("sigmoid", 0, 1, "sign-error", "You computed <b>1/(1+exp(z))</b> & more"),
                            _ex("propagate", 0, 3, "missing-1/m")]),
        _sub("dora", [], status="error", error="logistic_regression.ipynb is not valid notebook JSON (line 3)."),
    ]


def test_summarize_counts_rates_and_misconceptions(subs):
    s = report.summarize(subs)
    assert (s["submissions"], s["graded"], s["errors"]) == (4, 3, 1)
    a = s["assignments"]["01_logistic_regression"]
    assert a["mean_score"] == pytest.approx((4 + 1 + 0) / 3)
    assert a["median_score"] == 1
    assert a["full_marks"] == 1
    assert a["pass_rates"]["sigmoid"] == {"passed": 2, "graded": 3, "rate": pytest.approx(2 / 3)}
    assert a["pass_rates"]["propagate"]["passed"] == 1
    assert a["misconceptions"][0] == {"exercise": "propagate", "misconception": "missing-1/m", "count": 2}
    assert s["misconceptions"][1]["misconception"] == "sign-error"


def test_summarize_empty_and_all_errors():
    assert report.summarize([])["mean_score"] is None
    s = report.summarize([_sub("x", [], status="error", error="bad")])
    assert s["assignments"]["01_logistic_regression"]["mean_score"] is None
    assert s["errors"] == 1


def test_feedback_html_is_escaped_and_self_contained(subs, tmp_path):
    path = report.write_feedback(subs[2], tmp_path)
    assert path == tmp_path / "feedback" / "cy_script_" / "01_logistic_regression.html"
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text  # the student id and messages are escaped, and no script is added
    assert "cy&lt;script&gt;" in text
    assert "&lt;b&gt;1/(1+exp(z))&lt;/b&gt; &amp; more" in text
    assert "Likely misconception: sign-error" in text
    assert "<code>sigmoid</code>" in text and "0 / 1" in text and "Score: <b>0</b> / 4" in text
    assert "src=" not in text and "href=" not in text and "<link" not in text  # no external resources


def test_feedback_html_of_an_error_submission(subs):
    text = report.feedback_html(subs[3])
    assert "could not be graded" in text and "not valid notebook JSON" in text


def test_grades_csv(subs, tmp_path):
    report.write_grades_csv(subs, tmp_path / "grades.csv")
    rows = list(csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["student", "assignment", "score", "max_score", "status", "sigmoid", "propagate",
                             "integrity_flags", "error"]
    by = {r["student"]: r for r in rows}
    assert by["ada"]["score"] == "4" and by["ada"]["propagate"] == "3"
    assert by["ben"]["propagate"] == "0" and by["ben"]["sigmoid"] == "1"
    assert by["dora"]["status"] == "error" and by["dora"]["sigmoid"] == "" and "JSON" in by["dora"]["error"]


def test_csv_neutralises_formulas(tmp_path):
    report.write_grades_csv([_sub("=HYPERLINK(1)", [_ex("sigmoid", 1, 1)])], tmp_path / "g.csv")
    row = next(csv.DictReader((tmp_path / "g.csv").open(encoding="utf-8")))
    assert row["student"] == "'=HYPERLINK(1)"


def test_class_report_writes_html_and_pngs(subs, tmp_path):
    path = report.write_class_report(subs, tmp_path)
    html = path.read_text(encoding="utf-8")
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert pngs == ["misconceptions_01_logistic_regression.png", "pass_rates_01_logistic_regression.png",
                    "scores_01_logistic_regression.png"]
    for p in pngs:
        assert (tmp_path / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'src="{p}"' in html
    assert "missing-1/m" in html and "feedback/ada/01_logistic_regression.html" in html
    assert "<script" not in html and "not valid notebook JSON" in html


def test_class_report_without_misconceptions_or_graded(tmp_path):
    report.write_class_report([_sub("ada", [_ex("sigmoid", 1, 1)])], tmp_path / "a")
    assert "No known misconception" in (tmp_path / "a" / "report.html").read_text()
    assert not list((tmp_path / "a").glob("misconceptions_*.png"))
    report.write_class_report([_sub("x", [], status="error", error="bad")], tmp_path / "b")
    assert (tmp_path / "b" / "report.html").exists()


def test_integrity_flags_are_not_misconceptions(tmp_path):
    """Calling the reference, and what the sandbox saw a submission try, are flags the instructor sees
    next to the student's name (report, CSV, JSON summary), never counted as misconceptions."""
    cheat = _sub("gus", [_ex("propagate", 0, 3, status="delegated"), _ex("sigmoid", 1, 1)])
    cheat["flags"] = ["tried to open a file outside its folder: ../../gradebook.db"]
    honest = _sub("ada", [_ex("propagate", 3, 3), _ex("sigmoid", 1, 1)])
    summary = report.summarize([cheat, honest])
    assert summary["integrity"] == [
        {"assignment": "01_logistic_regression", "student": "gus", "flag": "propagate: calls-reference"},
        {"assignment": "01_logistic_regression", "student": "gus", "flag": "tried to open a file outside its folder: ../../gradebook.db"}]
    assert not summary["misconceptions"]
    report.write_class_report([cheat, honest], tmp_path, summary=summary)
    page = (tmp_path / "report.html").read_text()
    assert "Integrity flags" in page and "propagate: calls-reference" in page
    report.write_grades_csv([cheat, honest], tmp_path / "g.csv")
    rows = {r["student"]: r for r in csv.DictReader((tmp_path / "g.csv").open(encoding="utf-8"))}
    assert "calls-reference" in rows["gus"]["integrity_flags"] and rows["ada"]["integrity_flags"] == ""


def test_json_report(subs, tmp_path):
    report.write_json_report(list(reversed(subs)), tmp_path / "r.json", summary=report.summarize(subs))
    data = json.loads((tmp_path / "r.json").read_text())
    assert [s["student"] for s in data["submissions"]] == ["ada", "ben", "cy<script>", "dora"]
    assert data["summary"]["graded"] == 3


def test_atomic_write_leaves_no_temp_files(tmp_path):
    report.atomic_write_text(tmp_path / "x" / "a.json", "1")
    report.atomic_write_text(tmp_path / "x" / "a.json", "2")
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["a.json"]
    assert (tmp_path / "x" / "a.json").read_text() == "2"


@pytest.mark.parametrize("value, text", [(3.0, "3"), (2.5, "2.5"), (0.25, "0.25"), (None, "–")])
def test_fmt_points(value, text):
    assert report.fmt_points(value) == text
