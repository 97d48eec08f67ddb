"""Hostile submission files through the real front ends (issue 11, section 2): a link to the
instructor's solution, a link inside the submission, a linked student folder, a sparse file of
1.5 GiB, a named pipe, a folder named like the notebook, a 3.2 MiB literal cell, a cell of magics,
deeply nested JSON.

``autograder grade`` grades one class holding all of them (in a fresh process whose peak memory
is measured); ``nbgrader autograde`` grades the nbgrader class of ``conftest.hostile_course``.
Each attack must be an error naming the problem (0 points), never a hang, a crash or gigabytes in
the grader, and the other submissions of the same run are graded normally.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _hostile import (A1, NOTEBOOK, REPO, literal_cell, magics_cell, notebook_bytes, run_watched, sparse_file)
from autograder.assignments import get_assignment

SOLUTION = REPO / "solutions" / A1.name / NOTEBOOK
pytestmark = pytest.mark.skipif(not SOLUTION.exists(), reason="the solution notebook of assignment 1 is missing")

#: student -> (what the error says), for the class of `autograder grade`
REFUSED = {
    "linky": "is a symbolic link",
    "inlink": "is a symbolic link",
    "copycat": "is a symbolic link",
    "piper": "is a named pipe",
    "dirnb": "is a folder",
    "sparse": "is 1536 MiB, above the 64 MiB limit",
    "bigcell": "is too large or too complex to read",
    "magics": "is too large or too complex to read (reading it needs more than",
    "deepjson": "nesting too deep",
}


def _env(tmp: Path) -> dict:
    return {**os.environ, "MPLCONFIGDIR": str(tmp / "mpl"), "XDG_STATE_HOME": str(tmp / "state")}


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-class")
    submitted = tmp / "course" / "submitted"

    def folder(student):
        f = submitted / student / A1.name
        f.mkdir(parents=True)
        return f

    releases_root = REPO
    (folder("ada") / NOTEBOOK).write_bytes(notebook_bytes(root=releases_root))
    (folder("ben") / NOTEBOOK).write_bytes(notebook_bytes({"propagate": get_assignment(A1.name).scenario(
        "missing-1-over-m").answers["propagate"]}))
    (folder("linky") / NOTEBOOK).symlink_to(SOLUTION)
    inlink = folder("inlink")
    (inlink / "draft.ipynb.bak").write_bytes(notebook_bytes())
    (inlink / NOTEBOOK).symlink_to("draft.ipynb.bak")
    (submitted / "copycat").symlink_to(submitted / "ada")
    os.mkfifo(folder("piper") / NOTEBOOK)
    (folder("dirnb") / NOTEBOOK).mkdir()
    sparse_file(folder("sparse") / NOTEBOOK)
    (folder("bigcell") / NOTEBOOK).write_bytes(notebook_bytes(extra_cells=[literal_cell()]))
    (folder("magics") / NOTEBOOK).write_bytes(notebook_bytes(extra_cells=[magics_cell()]))
    (folder("deepjson") / NOTEBOOK).write_bytes(b"[" * 200_000 + b"]" * 200_000)
    proc, _ = run_watched([sys.executable, "-m", "autograder", "grade", str(submitted.parent), "--jobs", "2",
                           "--out", str(tmp / "out"), "--quiet"], cwd=tmp, env=_env(tmp), timeout=900,
                          rusage=tmp / "rusage.json")
    report = json.loads((tmp / "out" / "report.json").read_text()) if (tmp / "out" / "report.json").exists() else {}
    return {"tmp": tmp, "proc": proc, "subs": {s["student"]: s for s in report.get("submissions", [])},
            "rusage": json.loads((tmp / "rusage.json").read_text())}


def test_grade_refuses_each_hostile_file_with_a_message(hostile_class):
    assert hostile_class["proc"].returncode == 0, hostile_class["proc"].stderr[-3000:]
    subs = hostile_class["subs"]
    for student, phrase in REFUSED.items():
        sub = subs[student]
        assert sub["status"] == "error" and sub["score"] == 0.0, (student, sub)
        assert phrase in sub["error"], (student, sub["error"])
    assert "copycat is a symbolic link" in subs["copycat"]["error"]  # the student folder itself is the link


def test_grade_grades_the_other_submissions_of_the_same_run_normally(hostile_class):
    subs = hostile_class["subs"]
    assert subs["ada"]["status"] == "graded" and subs["ada"]["score"] == A1.max_score
    assert subs["ben"]["status"] == "graded" and subs["ben"]["score"] == A1.max_score - 3
    out = hostile_class["proc"].stdout
    assert "Graded 2, errors 9" in out


def test_grade_never_shows_the_linked_solution(hostile_class):
    out = hostile_class["tmp"] / "out"
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv"):
            assert "BEGIN SOLUTION" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_grade_peak_memory_stays_bounded(hostile_class):
    """Unbounded, the sparse file alone made the grader allocate 1.5 GiB and the literal cell 1.6 GiB."""
    usage = hostile_class["rusage"]
    assert usage["self_kib"] < 700 << 10, usage
    assert usage["children_kib"] < 1300 << 10, usage  # a reader child: the grader's image + its 512 MiB budget


def _check(path: Path, tmp: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", "check", str(path), "--assignment", A1.name],
                          capture_output=True, text=True, timeout=300, env=_env(tmp))


def test_check_refuses_a_link_and_a_pipe_without_reading_them(tmp_path):
    link = tmp_path / "link" / NOTEBOOK
    link.parent.mkdir()
    link.symlink_to(SOLUTION)
    proc = _check(link, tmp_path)
    assert proc.returncode == 2 and "is a symbolic link" in proc.stdout, proc.stdout + proc.stderr
    assert "passed all" not in proc.stdout  # the solution it points to was not graded
    pipe = tmp_path / "pipe" / NOTEBOOK
    pipe.parent.mkdir()
    os.mkfifo(pipe)
    proc = _check(pipe, tmp_path)  # a hang would end in the timeout above
    assert proc.returncode == 2 and "not a regular file (a named pipe)" in proc.stdout


# ----------------------------------------------------------------------------- nbgrader autograde
def test_nbgrader_refuses_linked_special_and_huge_notebooks_before_reading_them(hostile_course):
    log = hostile_course["autograde"].stdout + hostile_course["autograde"].stderr
    assert hostile_course["autograde"].returncode == 1  # nbgrader reports the refused students as failed
    for student, phrase in [("linky", "is a symbolic link"), ("sparse", "is 1536 MiB, above the 64 MiB limit"),
                            ("piper", "not a regular file (a named pipe)")]:
        assert f"Refused {hostile_course['course'] / 'submitted' / student}" in log
        assert phrase in log
        entry = hostile_course["book"][student]
        assert entry["score"] == 0.0 and set(entry["grades"].values()) == {0.0}, (student, entry)  # 0, not "ungraded"
    assert hostile_course["book"]["ada"]["score"] == A1.max_score  # the rest of the class is graded normally


def test_nbgrader_never_puts_the_linked_solution_in_autograded_or_feedback(hostile_course):
    course = hostile_course["course"]
    assert not (course / "autograded" / "linky" / A1.name / NOTEBOOK).exists()
    assert not (course / "feedback" / "linky").exists()
    for top in ("autograded", "feedback"):
        for path in (course / top).rglob("*"):
            if path.is_file():
                assert "BEGIN SOLUTION" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_nbgrader_gives_a_too_complex_notebook_zero_with_the_reason(hostile_course):
    nb = json.loads((hostile_course["course"] / "autograded" / "bigcell" / A1.name / NOTEBOOK).read_text())
    tests = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")
             and not c["metadata"]["nbgrader"].get("solution")]
    assert tests and all("is too large or too complex to read" in json.dumps(c["outputs"]) for c in tests)
    assert hostile_course["book"]["bigcell"]["score"] == 0.0


def test_nbgrader_peak_memory_stays_bounded(hostile_course):
    """nbgrader read the sparse file whole (1.5 GiB) and extraction took 1.6 GiB, before the guard."""
    usage = hostile_course["rusage"]
    assert usage["self_kib"] < 900 << 10, usage
    assert usage["children_kib"] < 1500 << 10, usage
