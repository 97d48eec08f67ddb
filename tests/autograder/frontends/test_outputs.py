"""Outputs a hostile name or cell cannot abuse (issue 11, section 5).

- the feedback HTML of a real ``nbgrader generate_feedback`` carries no live markup from a
  submission full of payloads (script, event handlers, javascript: URLs, iframes, SVG, raw cells,
  widget state), while the kit's own text, math and verdicts stay readable;
- CSV exports (``grades.csv`` of ``autograder grade``, and ``nbgrader export``) neutralise formulas
  and quote line breaks;
- student ids, file names and messages reach the terminal with their control characters shown,
  never acted on;
- two students whose ids map to one file name are both graded, with a warning.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from _hostile import A1, CONTROL_ID, NOTEBOOK, REPO, notebook_bytes
from autograder.frontends import report
from autograder.frontends.safe_text import csv_cell, terminal_text

pytestmark = pytest.mark.skipif(not (REPO / "solutions" / A1.name / NOTEBOOK).exists(),
                                reason="the solution notebook of assignment 1 is missing")
EVIL = "\x1b]0;pwned\x07\x1b[2J\u202egnp.exe"  # retitle the terminal, clear it, reverse the text


# ----------------------------------------------------------------------------- feedback HTML
class Markup(HTMLParser):
    """What in a page could run: script elements, event handlers, script URLs, embedding elements;
    and the text that sits inside a <pre> (where math renderers do not look)."""

    URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "content"}
    EMBEDDING = {"iframe", "object", "embed", "svg", "math", "base", "form", "frame", "applet"}

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.scripts, self.handlers, self.script_urls, self.embedding, self.pre_text = [], [], [], [], []
        self._in_script = self._in_pre = 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script += 1
            self.scripts.append([tuple(sorted((k, v or "") for k, v in attrs)), ""])
        if tag == "pre":
            self._in_pre += 1
        if tag in self.EMBEDDING:
            self.embedding.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            cleaned = "".join(ch for ch in (value or "") if ch > " ").lower()
            if name in self.URL_ATTRS and ("javascript:" in cleaned or "vbscript:" in cleaned):
                self.script_urls.append((tag, name, value))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = max(0, self._in_script - 1)
        if tag == "pre":
            self._in_pre = max(0, self._in_pre - 1)

    def handle_data(self, data):
        if self._in_script and self.scripts:
            self.scripts[-1][1] += data
        if self._in_pre:
            self.pre_text.append(data)


def _feedback(hostile_course, student) -> str:
    return (hostile_course["course"] / "feedback" / student / A1.name / NOTEBOOK.replace(".ipynb", ".html")
            ).read_text(encoding="utf-8")


def test_feedback_carries_no_live_markup_from_the_student(hostile_course):
    assert hostile_course["feedback"].returncode == 0, hostile_course["feedback"].stderr[-3000:]
    control, hostile = Markup(_feedback(hostile_course, "ada")), Markup(_feedback(hostile_course, "xss"))
    assert hostile.scripts == control.scripts  # only the template's own scripts (MathJax, its configuration)
    assert hostile.handlers == control.handlers == []
    assert hostile.script_urls == control.script_urls == []
    assert hostile.embedding == control.embedding


def test_feedback_shows_the_payloads_as_text(hostile_course):
    page = _feedback(hostile_course, "xss")
    parsed = Markup(page)
    shown = "".join(parsed.pre_text)
    assert "Text written in the notebook (shown as typed)" in shown or "shown as typed" in page
    assert "&lt;div" not in page  # the inert block itself is markup the cleaner keeps, not text
    for payload in ("<script>alert('script')</script>", "<img src=x onerror=alert('img')>",
                    "<script>alert('raw')</script>", "<script>alert('carriage-return')</script>",
                    "$$\\href{javascript:alert('mathjax')}{click}$$"):
        assert payload in shown, payload  # visible, as typed, and inside <pre> where MathJax does not look
    assert "alert('output')" not in page and "alert('widgets')" not in page and "alert('att')" not in page
    assert "alert('edited-locked-cell')" not in page  # the instructor's cell came back from the gradebook
    assert "alert('tag')" not in page


def test_feedback_keeps_the_kits_text_math_and_verdicts(hostile_course):
    page = _feedback(hostile_course, "xss")
    assert re.search(r"<h1[^>]*>Assignment 1: logistic regression as a neural network", page)  # rendered markdown
    # the instructor's math is typeset as MathML when the page is written (it renders offline)
    assert "$\\sigma(z) = 1 / (1 + e^{-z})$" not in page
    assert re.search(r'<math[^>]*display="inline"[^>]*><mrow><mi>σ</mi><mo stretchy="false">\(</mo><mi>z</mi>', page)
    assert "passed all" in page  # the trusted verdicts of the functions that pass
    assert "onerror=alert('verdict')" in "".join(Markup(page).pre_text)  # the failing verdict quotes it, as text


# ----------------------------------------------------------------------------- CSV
HOSTILE_CELLS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-3+4", "@SUM(A1)", "\t=1+1", "\r=2+2",
                 "line one\nline two", "lone\rcarriage", "a, \"quoted\", b"]


def test_csv_cell_neutralises_formula_starts():
    for text in HOSTILE_CELLS[:6]:
        assert csv_cell(text) == "'" + text
    assert csv_cell("ada") == "ada" and csv_cell(None) == "" and csv_cell("a=b") == "a=b"


def test_grades_csv_neutralises_formulas_and_quotes_line_breaks(tmp_path):
    subs = [{"student": text, "assignment": A1.name, "status": "error", "error": text, "score": 0.0,
             "max_score": 11.0, "exercises": []} for text in HOSTILE_CELLS]
    report.write_grades_csv(subs, tmp_path / "grades.csv")
    with open(tmp_path / "grades.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(HOSTILE_CELLS)  # no line break split a row
    assert sorted(r["student"] for r in rows) == sorted(csv_cell(t) for t in HOSTILE_CELLS)
    for r in rows:
        assert r["student"][:1] not in ("=", "+", "-", "@", "\t", "\r") and r["error"] == r["student"]


def test_nbgrader_export_is_quoted_and_formula_safe(hostile_course):
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    from autograder.frontends.demo import COURSE_ID

    assert hostile_course["export"].returncode == 0, hostile_course["export"].stderr[-2000:]
    with open(hostile_course["out"] / "grades.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(hostile_course["book"])
    row = next(r for r in rows if "HYPERLINK" in r["student_id"])
    assert row["student_id"] == "'=HYPERLINK(\"evil\",\"click\")"
    assert row["first_name"] == 'Ann, "the first"\nsecond line' and row["last_name"] == "'-2+3"
    assert float(next(r for r in rows if r["student_id"] == "ada")["score"]) == A1.max_score
    # nbgrader's own plugin, on the same gradebook, writes a file a spreadsheet splits and evaluates
    plain = hostile_course["out"] / "plain.csv"
    with Gradebook(f"sqlite:///{hostile_course['course'] / 'gradebook.db'}", COURSE_ID) as gb:
        CsvExportPlugin(to=str(plain)).export(gb)
    with open(plain, newline="", encoding="utf-8") as fh:
        broken = list(csv.reader(fh))
    assert len(broken) != len(rows) + 1 or any(cell.startswith("=") for r in broken for cell in r)


# ----------------------------------------------------------------------------- the terminal
def test_terminal_text_shows_control_characters_instead_of_acting_on_them():
    assert terminal_text(EVIL) == "\\x1b]0;pwned\\x07\\x1b[2J\\u202egnp.exe"
    assert terminal_text("a\nb") == "a\\x0ab" and terminal_text("a\nb", keep_newlines=True) == "a\nb"
    assert terminal_text("caf\u00e9 \u2713") == "caf\u00e9 \u2713" and terminal_text(None) == ""
    assert terminal_text("\x9b2J") == "\\x9b2J"  # the one-byte CSI of C1


def test_the_kits_nbgrader_log_lines_show_a_hostile_student_id_inert(hostile_course):
    log = hostile_course["autograde"].stdout + hostile_course["autograde"].stderr
    refused = [line for line in log.splitlines() if "Refused" in line and "ctl" in line]
    assert refused and all("\x1b" not in line and "\x07" not in line for line in refused)
    assert terminal_text(CONTROL_ID) in refused[0]  # nbgrader's own lines still print the id raw


def _env(tmp: Path) -> dict:
    return {**os.environ, "MPLCONFIGDIR": str(tmp / "mpl"), "XDG_STATE_HOME": str(tmp / "state")}


def test_grade_prints_hostile_names_and_messages_inert(tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / f"ok{EVIL}.ipynb").write_bytes(notebook_bytes())  # graded: its name is in the progress bar
    (flat / f"bad{EVIL}.ipynb").write_bytes(b"{ not json")  # an error: its name and message in the summary
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(flat), "--assignment", A1.name,
                           "--out", str(tmp_path / "out"), "--jobs", "1"], capture_output=True, text=True,
                          timeout=600, env=_env(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    both = proc.stdout + proc.stderr
    assert "\x1b]0;" not in both and "\x07" not in both and "\x1b[2J" not in both and "\u202e" not in both
    assert "error: bad\\x1b]0;pwned\\x07\\x1b[2J\\u202egnp.exe" in proc.stdout
    assert "ok\\x1b]0;pwned" in proc.stderr  # tqdm's postfix


def test_check_prints_a_hostile_exception_message_inert(tmp_path):
    path = tmp_path / "mine" / NOTEBOOK
    path.parent.mkdir()
    path.write_bytes(notebook_bytes({"sigmoid": f"def sigmoid(z):\n    raise ValueError({EVIL!r})\n"}))
    proc = subprocess.run([sys.executable, "-m", "autograder", "check", str(path)], capture_output=True, text=True,
                          timeout=300, env=_env(tmp_path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout and "\u202e" not in proc.stdout
    assert "\\x1b]0;pwned\\x07" in proc.stdout


# ----------------------------------------------------------------------------- names that collide
def test_students_whose_ids_map_to_one_file_name_are_both_graded(tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    ids = ["a b", "a_b", "Ada", "ada"]
    for student in ids:
        (flat / f"{student}.ipynb").write_bytes(notebook_bytes())
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(flat), "--assignment", A1.name,
                           "--out", str(out), "--jobs", "2", "--quiet"], capture_output=True, text=True,
                          timeout=600, env=_env(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    subs = {s["student"]: s for s in json.loads((out / "report.json").read_text())["submissions"]}
    assert set(subs) == set(ids)
    assert all(s["status"] == "graded" and s["score"] == A1.max_score for s in subs.values())
    assert len({s["feedback_html"] for s in subs.values()}) == 4
    assert len({p.name.casefold() for p in (out / "results").glob("*.json")}) == 4
    for student, sub in subs.items():
        page = (out / sub["feedback_html"]).read_text(encoding="utf-8")
        assert f"Student <b>{student}</b>" in page
    assert "warning: the student ids 'a b', 'a_b' map to the same file name" in proc.stderr
    assert "warning: the student ids 'Ada', 'ada' map to the same file name" in proc.stderr
    rows = list(csv.DictReader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8"))))
    assert sorted(r["student"] for r in rows) == sorted(ids)
