"""``autograder autograde`` against ``nbgrader autograde``, and an ``nbgrader autograde`` killed mid-class.

One small nbgrader course (assignment 1, configured as ``make demo`` does, with a due date and
nbgrader's "zero" late penalty) is copied for each run, with the same course secret, so that both
paths grade the same class with the same hidden inputs:

- the class mixes correct work, a mistake, a cheat, a late submission, one without ``timestamp.txt``,
  damaged files and tampered test cells; ``nbgrader autograde`` and ``autograder autograde --jobs 2``
  must leave IDENTICAL gradebooks (every grade's scores and flags, timestamps, late penalties,
  comments) and autograded notebooks (every test cell's outputs), after which ``generate_feedback``
  and ``export`` work and agree; both report the submissions whose scores are missing;
- ``nbgrader autograde`` killed with SIGKILL while it grades a student leaves that student's
  autograded copy without scores; the rerun grades it again (and only it), and the gradebook ends as
  a run never killed would leave it.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.assignments import get_assignment
from autograder.frontends import secret as course_secret
from autograder.frontends.demo import COURSE_ID, hermetic_env, make_course
from autograder.frontends.nbgrader_resume import read_state
from autograder.frontends.samples import build_submission, load_notebooks

pytest.importorskip("nbgrader")

A1 = get_assignment("01_logistic_regression")
NOTEBOOK = A1.notebook_files[0]
DUE = "2026-11-20 12:00:00 UTC"
ON_TIME, LATE = "2026-11-20 11:00:00.000000 UTC", "2026-11-21 09:30:00.000000 UTC"
BIN = Path(sys.executable).parent


def _gid(cell) -> str:
    md = cell.get("metadata", {}).get("nbgrader", {})
    return md.get("grade_id", "") if isinstance(md, dict) else ""


def _tampered(nb: bytes, grade_id: str, how: str) -> bytes:
    data = json.loads(nb)
    cell = next(c for c in data["cells"] if _gid(c) == grade_id)
    if how == "pass":
        cell["source"] = "pass\n"
    elif how == "points":
        cell["metadata"]["nbgrader"]["points"] = 100
    elif how == "rename":
        cell["metadata"]["nbgrader"]["grade_id"] = grade_id + "_mine"
    return json.dumps(data, indent=1).encode()


def _write(course: Path, student: str, data: bytes, timestamp: str | None = ON_TIME) -> None:
    folder = course / "submitted" / student / A1.name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NOTEBOOK).write_bytes(data)
    if timestamp:
        (folder / "timestamp.txt").write_text(timestamp)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A released course with a due date, a late-penalty rule and its secret; no submissions yet."""
    out = tmp_path_factory.mktemp("parallel-autograde")
    course = make_course(out, (A1.name,))
    with (course / "nbgrader_config.py").open("a") as f:
        f.write('c.LateSubmissionPlugin.penalty_method = "zero"\n')
    env = hermetic_env(out / ".state")
    gen = subprocess.run([str(BIN / "nbgrader"), "generate_assignment", A1.name, "--force"], cwd=course, env=env,
                         capture_output=True, text=True, timeout=300)
    assert gen.returncode == 0, gen.stderr[-3000:]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        gb.update_or_create_assignment(A1.name, duedate=DUE)
    course_secret.load_secret(course / ".autograder" / "secret")  # one secret for every copy
    releases, answers = load_notebooks(A1, course)
    built = {sc: build_submission(A1, A1.scenario(sc), releases, answers)[NOTEBOOK]
             for sc in ("correct", "missing-1-over-m", "cheat-write-gradebook", "deleted-test-cell", "invalid-json",
                        "infinite-loop")}
    return {"out": out, "course": course, "env": env, "built": built}


def _copy(base, name: str) -> Path:
    course = base["out"] / name / "course"
    shutil.copytree(base["course"], course)
    config = course / "nbgrader_config.py"  # it names its course folder: this copy's
    config.write_text(config.read_text().replace(str(base["course"]), str(course)).replace(
        str(base["out"] / "engine-reports"), str(course.parent / "engine-reports")))
    return course


def _gradebook(course: Path) -> dict:
    """Everything autograde writes into the gradebook, per student, without row ids."""
    from nbgrader.api import Gradebook, MissingEntry

    book = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        for student in gb.students:
            try:
                sub = gb.find_submission(A1.name, student.id)
            except MissingEntry:
                continue
            book[student.id] = {
                "timestamp": str(sub.timestamp), "seconds_late": sub.total_seconds_late, "score": sub.score,
                "max_score": sub.max_score, "late_penalty": sub.late_submission_penalty,
                "needs_manual_grade": sub.needs_manual_grade,
                "grades": sorted((g.notebook.notebook.name, g.name, g.auto_score, g.manual_score, g.score, g.max_score,
                                  g.needs_manual_grade) for nb in sub.notebooks for g in nb.grades),
                "comments": sorted((c.name, c.auto_comment, c.manual_comment) for nb in sub.notebooks
                                   for c in nb.comments)}
    return book


def _test_outputs(course: Path) -> dict:
    """student -> grade_id -> outputs of every test cell in the autograded notebooks (and the files there)."""
    got = {}
    for folder in sorted((course / "autograded").glob(f"*/{A1.name}")):
        nb = json.loads((folder / NOTEBOOK).read_text(encoding="utf-8"))
        got[folder.parent.name] = {
            "files": sorted(p.name for p in folder.iterdir()),
            "tests": {_gid(c): c.get("outputs") for c in nb["cells"] if _gid(c).startswith("test_")}}
    return got


def _class(base, course: Path) -> None:
    b = base["built"]
    _write(course, "a-correct", b["correct"])
    _write(course, "b-late", b["correct"], LATE)
    _write(course, "c-mistake", b["missing-1-over-m"])
    _write(course, "d-cheat", b["cheat-write-gradebook"])
    _write(course, "e-deleted-test", b["deleted-test-cell"])
    _write(course, "f-invalid-json", b["invalid-json"])
    _write(course, "g-no-timestamp", b["correct"], None)
    _write(course, "h-renamed-id", _tampered(b["correct"], "test_sigmoid", "rename"))
    _write(course, "i-test-is-pass", _tampered(b["missing-1-over-m"], "test_propagate", "pass"))
    _write(course, "j-points-100", _tampered(b["correct"], "test_model", "points"))


def _nbgrader(course, env, *args, timeout=900):
    return subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_parallel_autograde_gives_the_gradebook_of_nbgrader_autograde(base):
    plain, parallel = _copy(base, "plain"), _copy(base, "parallel")
    _class(base, plain)
    _class(base, parallel)
    env = base["env"]
    t0 = time.perf_counter()
    one = _nbgrader(plain, env, "autograde", A1.name)
    t1 = time.perf_counter()
    two = subprocess.run([str(BIN / "autograder"), "autograde", A1.name, "--jobs", "2", "--quiet"], cwd=parallel,
                         env=env, capture_output=True, text=True, timeout=900)
    t2 = time.perf_counter()
    print(f"nbgrader autograde: {t1 - t0:.1f} s; autograder autograde --jobs 2: {t2 - t1:.1f} s")
    # both fail on exactly the two notebooks nbgrader cannot sanitize, and say which scores are missing
    assert one.returncode == 1 and two.returncode == 1, two.stdout + two.stderr
    for log in (one.stderr, two.stdout):
        assert "2 submission(s) of 01_logistic_regression have missing scores" in log, log[-3000:]
        assert "'f-invalid-json'" in log and "'h-renamed-id'" in log and "--student f-invalid-json --force" in log
    assert "Autograded 8, already done 0, failed 2 of 10" in two.stdout
    book = _gradebook(plain)
    assert book == _gradebook(parallel)
    assert _test_outputs(plain) == _test_outputs(parallel)
    # what the comparison covers: every kind of submission is there, with the grade nbgrader gives it
    assert book["a-correct"]["score"] == A1.max_score and book["b-late"]["late_penalty"] == A1.max_score
    assert book["b-late"]["seconds_late"] > 0 and book["g-no-timestamp"]["timestamp"] == "None"
    assert book["c-mistake"]["score"] == 8 and book["i-test-is-pass"]["score"] == 8
    assert book["e-deleted-test"]["score"] == A1.max_score and book["j-points-100"]["max_score"] == A1.max_score
    assert all(g[2] is None for g in book["h-renamed-id"]["grades"])
    # a rerun skips everyone done: nothing changes
    again = subprocess.run([str(BIN / "autograder"), "autograde", A1.name, "--jobs", "2", "--quiet"], cwd=parallel,
                           env=env, capture_output=True, text=True, timeout=900)
    assert "already done 8" in again.stdout and _gradebook(parallel) == book
    # nbgrader's feedback and export work on the parallel gradebook, and export what the plain one holds
    assert _nbgrader(parallel, env, "generate_feedback", A1.name).returncode == 0
    assert _nbgrader(parallel, env, "export", "--to", str(parallel / "grades.csv")).returncode == 0
    assert (parallel / "feedback" / "c-mistake" / A1.name / NOTEBOOK.replace(".ipynb", ".html")).exists()
    from nbgrader.api import Gradebook

    from autograder.frontends.nbgrader_outputs import SafeCsvExportPlugin

    with Gradebook(f"sqlite:///{plain / 'gradebook.db'}", COURSE_ID) as gb:
        SafeCsvExportPlugin(to=str(plain / "grades.csv")).export(gb)
    rows = [sorted(csv.reader((c / "grades.csv").open())) for c in (plain, parallel)]
    assert len(rows[0]) == 11 and rows[0] == rows[1]


def test_a_killed_nbgrader_autograde_resumes_without_a_wrong_grade(base):
    course = _copy(base, "killed")
    b = base["built"]
    students = {"a-correct": b["correct"], "c-mistake": b["missing-1-over-m"], "m-loops": b["infinite-loop"],
                "z-correct": b["correct"]}
    for student, data in students.items():
        _write(course, student, data)
    env = base["env"]
    proc = subprocess.Popen([str(BIN / "nbgrader"), "autograde", A1.name], cwd=course, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    copy = course / "autograded" / "m-loops" / A1.name / NOTEBOOK
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if copy.exists() and read_state(course, A1.name, "m-loops") == "started":
                break  # its sanitized copy is written; its predict is looping in the sandbox
            time.sleep(0.05)
        time.sleep(0.5)
        assert proc.poll() is None, "autograde ended before it could be killed: the test proves nothing"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # the state nbgrader alone would take for done: a copy, the same timestamp, and no scores
    assert copy.exists()
    assert (course / "autograded" / "m-loops" / A1.name / "timestamp.txt").read_text() == ON_TIME
    before = _gradebook(course)
    assert all(g[2] is None for g in before["m-loops"]["grades"])
    assert "z-correct" not in before or all(g[2] is None for g in before["z-correct"]["grades"])
    rerun = _nbgrader(course, env, "autograde", A1.name)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    log = rerun.stderr
    assert "The autograded copy of m-loops/01_logistic_regression is unfinished" in log
    assert log.count("Skipping existing assignment") == 2  # a-correct and c-mistake were done: not graded again
    assert "missing scores" not in log
    after = _gradebook(course)
    assert after["a-correct"] == before["a-correct"] and after["c-mistake"] == before["c-mistake"]
    assert after["m-loops"]["score"] == A1.scenario("infinite-loop").expected_score
    assert after["z-correct"]["score"] == A1.max_score
    assert read_state(course, A1.name, "m-loops") == "done"
    # a finished copy whose scores went missing from the gradebook (a lost write, a restored backup) is
    # not done either: the next run grades it again
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        for nb in gb.find_submission(A1.name, "z-correct").notebooks:
            for g in nb.grades:
                g.auto_score = None
        gb.db.commit()
    third = _nbgrader(course, env, "autograde", A1.name)
    assert third.returncode == 0, third.stderr[-3000:]
    assert "The autograded copy of z-correct/01_logistic_regression is without scores in the gradebook" in third.stderr
    assert third.stderr.count("Skipping existing assignment") == 3
    assert _gradebook(course) == after


def test_one_autograde_of_an_assignment_at_a_time(base):
    """While a run holds the assignment's lock, ``nbgrader autograde`` and ``autograder autograde`` both
    stop before grading anyone, naming the holder's pid (two runs would grade a student twice at once)."""
    from autograder.frontends.nbgrader_resume import autograde_lock

    course = _copy(base, "locked")
    _write(course, "a-correct", base["built"]["correct"])
    lock = autograde_lock(course, A1.name).acquire()
    try:
        plain = _nbgrader(course, base["env"], "autograde", A1.name)
        parallel = subprocess.run([str(BIN / "autograder"), "autograde", A1.name, "--course", str(course)],
                                  env=base["env"], capture_output=True, text=True, timeout=300)
    finally:
        lock.release()
    assert plain.returncode == 1
    assert f"Another autograde of {A1.name} is running in this course (pid {os.getpid()})" in plain.stderr
    assert parallel.returncode == 6 and f"another run (pid {os.getpid()}) holds" in parallel.stderr
    assert not (course / "autograded").exists()


def test_an_interrupted_parallel_autograde_resumes(base):
    """SIGTERM of ``autograder autograde`` while a student is graded: it stops at once (exit 130), and
    the next run grades that student again and skips the ones finished."""
    course = _copy(base, "interrupted")
    b = base["built"]
    for student, data in {"a-correct": b["correct"], "m-loops": b["infinite-loop"], "z-correct": b["correct"]}.items():
        _write(course, student, data)
    cmd = [str(BIN / "autograder"), "autograde", A1.name, "--jobs", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=course, env=base["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    copy = course / "autograded" / "m-loops" / A1.name / NOTEBOOK
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if copy.exists() and read_state(course, A1.name, "m-loops") == "started":
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be interrupted: the test proves nothing"
        t0 = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stdout + stderr
    assert time.perf_counter() - t0 < 20 and "graded again by the next run" in stderr
    assert "Autograded 1, already done 0, failed 0 of 3" in stdout  # a-correct was finished
    rerun = subprocess.run(cmd, cwd=course, env=base["env"], capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "Autograded 2, already done 1, failed 0 of 3" in rerun.stdout
    book = _gradebook(course)
    assert book["m-loops"]["score"] == A1.scenario("infinite-loop").expected_score
    assert book["a-correct"]["score"] == book["z-correct"]["score"] == A1.max_score
