"""Fixtures of the front-end tests.

Front-end tests never touch the grader's own course secret: submissions graded outside a course
take their secret from ``$XDG_STATE_HOME/nnkit-autograder/secret``, here a folder of the test.

``hostile_course``: ONE nbgrader course (assignment 1, configured as ``make demo`` does) whose
class holds one student per attack on the nbgrader side, put through real ``generate_assignment``,
``autograde`` (its peak memory and every process it starts recorded), ``generate_feedback`` and
``export``; the attack tests of several files read its results.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from _hostile import (A1, CONTROL_ID, NOTEBOOK, code_cell, literal_cell, lookup_table_answer, notebook_bytes,
                      run_watched, sparse_file)

#: student -> what the submission does (the formula-named student tests the CSV export)
HOSTILE_CLASS = {
    "ada": "the solution (the control)",
    "mallory": "propagate is a table of the answers for the key of an empty secret",
    "linky": "the notebook is a symbolic link to the instructor's solution notebook",
    "sparse": "the notebook is a sparse file of 1.5 GiB",
    "piper": "the notebook is a named pipe",
    "bigcell": "a 3.2 MiB cell holding one literal list of 1.7 million zeros",
    "xss": "live markup in markdown, raw and metadata, and a verdict quoting HTML",
    '=HYPERLINK("evil","click")': "a student id that is a spreadsheet formula",
    CONTROL_ID: "a student id with terminal escapes, whose notebook is a link (so the kit logs its name)",
}
PAYLOADS = [
    "<script>alert('script')</script>",
    "<img src=x onerror=alert('img')>",
    "<a href=\"javascript:alert('a')\">link</a> and [md link](javascript:alert('md'))",
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    "<svg onload=alert('svg')><script>alert('svg-script')</script></svg>",
    "<math><mtext><script>alert('math')</script></mtext></math>",
    "<object data=\"javascript:alert('object')\"></object><embed src=\"javascript:alert('embed')\">",
    "<form action=\"javascript:alert('form')\"><button formaction=\"javascript:alert('b')\">go</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('meta')\">",
    "<base href=\"javascript:alert('base')//\"><details open ontoggle=alert('details')>x</details>",
    "<style>body{background:url(\"javascript:alert('style')\")}</style>",
    "$$\\href{javascript:alert('mathjax')}{click}$$",
]


def _xss_notebook(root: Path) -> bytes:
    answers = {"sigmoid": "def sigmoid(z):\n    raise ValueError(\"<img src=x onerror=alert('verdict')>\")\n"}
    nb = json.loads(notebook_bytes(answers, root))
    locked = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    locked["source"] = "".join(locked["source"]) + "\n<script>alert('edited-locked-cell')</script>\n"
    nb["cells"] += [
        {"cell_type": "markdown", "metadata": {"tags": ["\"><script>alert('tag')</script>"]}, "source": "\n\n".join(PAYLOADS)},
        {"cell_type": "markdown", "metadata": {}, "source": "plain text\r<script>alert('carriage-return')</script>"},
        {"cell_type": "markdown", "metadata": {}, "source": "![pic](attachment:x.svg)",
         "attachments": {"x.svg": {"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg' onload=\"alert('att')\"/>"}}},
        {"cell_type": "raw", "metadata": {}, "source": "<script>alert('raw')</script><img src=x onerror=alert('raw-img')>"},
        {**code_cell("print('hi')"), "outputs": [
            {"output_type": "display_data", "metadata": {},
             "data": {"text/html": "<script>alert('output')</script>", "text/plain": "hi"}}]},
    ]
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"m": {"model_name": "</script><script>alert('widgets')</script>"}}, "version_major": 2,
        "version_minor": 0}}
    return (json.dumps(nb, indent=1) + "\n").encode()


def _write_class(course: Path) -> None:
    from autograder.grading.extract import SubmissionError  # noqa: F401 (the package is importable)

    def folder(student):
        f = course / "submitted" / student / A1.name
        f.mkdir(parents=True)
        (f / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
        return f

    (folder("ada") / NOTEBOOK).write_bytes(notebook_bytes(root=course))
    (folder("mallory") / NOTEBOOK).write_bytes(
        notebook_bytes({"propagate": lookup_table_answer("propagate", "/mallory")}, course))
    (folder("linky") / NOTEBOOK).symlink_to(course / "solutions" / A1.name / NOTEBOOK)
    sparse_file(folder("sparse") / NOTEBOOK)
    os.mkfifo(folder("piper") / NOTEBOOK)
    (folder("bigcell") / NOTEBOOK).write_bytes(notebook_bytes(root=course, extra_cells=[literal_cell()]))
    (folder("xss") / NOTEBOOK).write_bytes(_xss_notebook(course))
    (folder('=HYPERLINK("evil","click")') / NOTEBOOK).write_bytes(notebook_bytes(root=course))
    (folder(CONTROL_ID) / NOTEBOOK).symlink_to(course / "solutions" / A1.name / NOTEBOOK)


@pytest.fixture(autouse=True)
def _private_state_home(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state-home")))


@pytest.fixture(scope="session")
def hostile_course(tmp_path_factory):
    pytest.importorskip("nbgrader")
    from nbgrader.api import Gradebook

    from autograder.frontends.demo import COURSE_ID, hermetic_env, make_course

    out = tmp_path_factory.mktemp("hostile-nbgrader")
    course = make_course(out, (A1.name,))
    env = hermetic_env(out / ".state")
    env["XDG_STATE_HOME"] = str(out / ".state" / "xdg")
    py = sys.executable
    gen, _ = run_watched([py, "-m", "nbgrader", "generate_assignment", A1.name, "--force"], cwd=course, env=env,
                         timeout=300)
    assert gen.returncode == 0, gen.stderr[-3000:]
    _write_class(course)
    autograde, seen = run_watched([py, "-m", "nbgrader", "autograde", A1.name, "--force"], cwd=course, env=env,
                                  timeout=900, rusage=out / "autograde-rusage.json")
    feedback, _ = run_watched([py, "-m", "nbgrader", "generate_feedback", A1.name, "--force"], cwd=course, env=env,
                              timeout=600)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        book = {}
        for student in HOSTILE_CLASS:
            sub = gb.find_submission(A1.name, student)
            book[student] = {"score": float(sub.score), "grades": {g.name: g.auto_score for nb in sub.notebooks
                                                                   for g in nb.grades}}
        someone = gb.find_student('=HYPERLINK("evil","click")')
        someone.first_name, someone.last_name = 'Ann, "the first"\nsecond line', "-2+3"
        gb.db.commit()
    export, _ = run_watched([py, "-m", "nbgrader", "export", "--to", str(out / "grades.csv")], cwd=course, env=env,
                            timeout=300)
    return {"course": course, "out": out, "autograde": autograde, "feedback": feedback, "export": export,
            "book": book, "seen": seen, "rusage": json.loads((out / "autograde-rusage.json").read_text())}
