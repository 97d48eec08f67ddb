"""The ``autograder`` command line, end to end: ``check`` exit codes and ``grade`` on a small class.

Submissions are built from the solution notebook of assignment 1 (its test cells still hold the
hidden tests, which makes the "feedback never shows hidden tests" check meaningful) by replacing
answer cells with typical mistakes (the assignment's sample scenarios). One real class run (five students,
one of them with an infinite loop) is shared by the end-to-end tests; the orchestration details
(discovery, caching, internal errors) are tested with a fake engine, so they cost no sandbox time.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.assignments import get_assignment
from autograder.frontends import batch, cli
from autograder.frontends.samples import build_submission, solution_answers
from autograder.grading.spec import Scenario
from autograder.grading.verdict import ExerciseResult, GradeReport

REPO = Path(__file__).resolve().parents[3]
ASSIGNMENT = "01_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"
SOLUTION = REPO / "solutions" / ASSIGNMENT / NOTEBOOK
A1 = get_assignment(ASSIGNMENT)
AGGREGATES = ("report.json", "grades.csv", "report.html")

#: student -> scenario of assignment 1's samples: the shared class.
CLASS = {
    "ada": "correct",
    "ben": "missing-1-over-m",
    "cleo": "invalid-json",
    "dan": "infinite-loop",
    "eve": "sigmoid-sign-error",
}

pytestmark = pytest.mark.skipif(not SOLUTION.exists(), reason="the solution notebook of assignment 1 is missing")


def _built(source: dict, scenario: Scenario) -> bytes:
    return build_submission(A1, scenario, {NOTEBOOK: source}, solution_answers(source))[NOTEBOOK]


def _notebook_bytes(scenario: str) -> bytes:
    source = json.loads(SOLUTION.read_text(encoding="utf-8"))
    return _built(source, A1.scenario(scenario))


def _write_class(root: Path, students: dict[str, str]) -> Path:
    """An nbgrader ``submitted/`` folder: ``submitted/<student>/<assignment>/<notebook>``."""
    for student, scenario in students.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        (folder / NOTEBOOK).write_bytes(_notebook_bytes(scenario))
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    return root / "submitted"


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    env.update(MPLCONFIGDIR=str(tmp / "mpl"), PYTHONWARNINGS="ignore:Object of type")
    return env


def _run(*args, cwd: Path, tmp: Path) -> subprocess.CompletedProcess:
    """Run the installed console script if it exists, else ``python -m autograder``."""
    script = Path(sys.executable).with_name("autograder")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "autograder"]
    return subprocess.run(cmd + [str(a) for a in args], cwd=cwd, env=_env(tmp), capture_output=True, text=True,
                          timeout=300)


def _grade(*args) -> int:
    """``autograder grade`` in this process (saves an interpreter start per run)."""
    return cli.main(["grade", *map(str, args), "--quiet"])


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The shared class, graded once with ``--jobs 2`` through the real console script."""
    tmp = tmp_path_factory.mktemp("class")
    submitted = _write_class(tmp / "course", CLASS)
    t0 = time.perf_counter()
    proc = _run("grade", submitted, "--jobs", 2, "--json", tmp / "out" / "class.json", "--out", tmp / "out",
                cwd=tmp, tmp=tmp)
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {"tmp": tmp, "submitted": submitted, "out": tmp / "out", "json": tmp / "out" / "class.json",
            "proc": proc, "seconds": seconds}


def _subs(path: Path) -> dict[str, dict]:
    return {s["student"]: s for s in json.loads(path.read_text(encoding="utf-8"))["submissions"]}


# ----------------------------------------------------------------------------- grade, end to end
def test_grade_json_report(graded_class):
    data = json.loads(graded_class["json"].read_text(encoding="utf-8"))
    subs = {s["student"]: s for s in data["submissions"]}
    assert set(subs) == set(CLASS)
    for s in subs.values():
        assert {"student", "assignment", "notebook", "status", "error", "score", "max_score", "exercises"} <= set(s)
        assert s["assignment"] == ASSIGNMENT and s["notebook"] == NOTEBOOK and s["cached"] is False
        for ex in s["exercises"]:
            assert {"name", "points", "max_points", "passed", "misconception", "feedback"} <= set(ex)
    assert subs["ada"]["status"] == "graded" and subs["ada"]["score"] == subs["ada"]["max_score"] == 11
    assert all(e["passed"] for e in subs["ada"]["exercises"])
    ben = {e["name"]: e for e in subs["ben"]["exercises"]}
    assert subs["ben"]["score"] == 8 and ben["propagate"]["misconception"] == "missing-1/m"
    assert not ben["propagate"]["passed"] and ben["propagate"]["points"] == 0
    assert subs["cleo"]["status"] == "error" and "not valid notebook JSON" in subs["cleo"]["error"]
    assert subs["cleo"]["exercises"] == []
    dan = {e["name"]: e for e in subs["dan"]["exercises"]}
    assert subs["dan"]["score"] == 10 and "did not finish" in dan["predict"]["feedback"]
    eve = {e["name"]: e for e in subs["eve"]["exercises"]}
    assert subs["eve"]["score"] == 10 and eve["sigmoid"]["misconception"] == "sign-error"
    summary = data["summary"]
    assert (summary["graded"], summary["errors"]) == (4, 1)
    assert {"exercise": "propagate", "misconception": "missing-1/m", "count": 1} in summary["misconceptions"]


def test_grade_prints_a_summary(graded_class):
    out = graded_class["proc"].stdout
    assert "Graded 4, errors 1" in out
    assert "Mean score: 9.75 / 11" in out
    assert "missing-1/m" in out and "sign-error" in out
    assert "cleo" in out and "not valid notebook JSON" in out
    assert str(graded_class["out"] / "grades.csv") in out
    assert "grading" in graded_class["proc"].stderr  # the tqdm bar goes to stderr


def test_grade_csv(graded_class):
    rows = list(csv.DictReader((graded_class["out"] / "grades.csv").open(encoding="utf-8")))
    names = ["flatten_and_scale", "sigmoid", "initialize_with_zeros", "propagate", "optimize", "predict", "model"]
    assert list(rows[0])[:5 + len(names)] == ["student", "assignment", "score", "max_score", "status", *names]
    by = {r["student"]: r for r in rows}
    assert by["ada"]["score"] == "11" and by["ada"]["max_score"] == "11" and by["ada"]["propagate"] == "3"
    assert by["ben"]["propagate"] == "0" and by["ben"]["optimize"] == "2"
    assert by["cleo"]["status"] == "error" and by["cleo"]["score"] == ""


def test_grade_feedback_and_class_report(graded_class):
    out = graded_class["out"]
    for student in CLASS:
        page = (out / "feedback" / student / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in page and "HIDDEN" not in page
        assert "<script" not in page and student in page
    ben = (out / "feedback" / "ben" / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    assert "missing-1/m" in ben and "8</b> / 11" in ben
    assert "could not be graded" in (out / "feedback" / "cleo" / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    for kind in ("scores", "misconceptions", "pass_rates"):
        png = out / f"{kind}_{ASSIGNMENT}.png"
        assert png.read_bytes()[:4] == b"\x89PNG" and png.name in html
    assert len(list((out / "results").glob("*.json"))) == len(CLASS)


def _copy_graded(graded_class, tmp_path) -> tuple[Path, Path]:
    """A private copy of the graded class and its output, for tests that change them."""
    submitted = tmp_path / "submitted"
    shutil.copytree(graded_class["submitted"], submitted)
    out = tmp_path / "out"
    shutil.copytree(graded_class["out"], out)
    # the same course: the same secret (tmp_path is the copy's course folder), so the same hidden inputs
    shutil.copytree(graded_class["submitted"].parent / ".autograder", tmp_path / ".autograder")
    return submitted, out


def test_rerun_reuses_everything_and_is_fast(graded_class, tmp_path):
    submitted, out = _copy_graded(graded_class, tmp_path)
    before = {p.name: p.read_bytes() for p in (out / "results").glob("*.json")}
    t0 = time.perf_counter()
    assert _grade(submitted, "--jobs", 2, "--out", out) == 0
    seconds = time.perf_counter() - t0
    subs = _subs(out / "report.json")
    assert all(s["cached"] for s in subs.values())
    assert {p.name: p.read_bytes() for p in (out / "results").glob("*.json")} == before  # nothing re-graded
    assert seconds < graded_class["seconds"] / 3, (seconds, graded_class["seconds"])
    assert json.loads((out / "report.json").read_text())["timings"]["graded_now"] == 0


def test_interrupted_run_keeps_results(graded_class, tmp_path):
    """A run killed before the aggregates were written: the result files alone are enough."""
    submitted, out = _copy_graded(graded_class, tmp_path)
    for name in (*AGGREGATES, "class.json"):
        (out / name).unlink(missing_ok=True)
    shutil.rmtree(out / "feedback")
    assert _grade(submitted, "--out", out) == 0
    subs = _subs(out / "report.json")
    assert all(s["cached"] for s in subs.values()) and set(subs) == set(CLASS)
    assert (out / "grades.csv").exists() and (out / "report.html").exists()
    assert (out / "feedback" / "ben" / f"{ASSIGNMENT}.html").exists()


def test_killed_run_keeps_finished_results(tmp_path):
    """A real kill (SIGTERM) while a submission is in its sandbox: what was graded is on disk."""
    submitted = _write_class(tmp_path, {"ada": "correct"})
    # dan loops forever; a unique comment in his code lets the test find the job folder that the
    # killed run leaves behind in the temp folder (killing skips its cleanup) and remove it.
    token = f"killed-run-{os.getpid()}-{time.time_ns()}"
    source = json.loads(SOLUTION.read_text(encoding="utf-8"))
    loop = Scenario("loop", "", {"predict": f"def predict(w, b, X):\n    # {token}\n    while True:\n        pass\n"})
    folder = submitted / "dan" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / NOTEBOOK).write_bytes(_built(source, loop))
    out = tmp_path / "out"
    script = Path(sys.executable).with_name("autograder")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "autograder"]
    proc = subprocess.Popen(cmd + ["grade", str(submitted), "--jobs", "1", "--out", str(out), "--quiet"],
                            cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        done = out / "results" / f"ada__{ASSIGNMENT}.json"
        deadline = time.monotonic() + 60
        while not done.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert done.exists(), "ada was not graded in time"
        time.sleep(0.5)  # dan's infinite loop is now running in the sandbox
        t0 = time.perf_counter()
        proc.terminate()
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for job in Path(tempfile.gettempdir()).glob("nnkit-grade-*"):
            try:
                if token in (job / "student.py").read_text(encoding="utf-8"):
                    shutil.rmtree(job, ignore_errors=True)
            except OSError:
                pass
    assert proc.returncode == 130, stdout + stderr
    assert time.perf_counter() - t0 < 10  # it does not wait for the sandbox's time limit
    assert "Interrupted" in stderr and "Run the same command again" in stderr
    assert sorted(p.name for p in (out / "results").iterdir()) == [f"ada__{ASSIGNMENT}.json"]  # no temp files
    assert json.loads(done.read_text())["score"] == 11
    assert set(_subs(out / "report.json")) == {"ada"}  # the aggregates are written on the way out


def test_changed_notebook_is_regraded(graded_class, tmp_path):
    submitted, out = _copy_graded(graded_class, tmp_path)
    (submitted / "ben" / ASSIGNMENT / NOTEBOOK).write_bytes(_notebook_bytes("correct"))
    assert _grade(submitted, "--out", out) == 0
    subs = _subs(out / "report.json")
    assert subs["ben"]["cached"] is False and subs["ben"]["score"] == 11
    assert all(s["cached"] for name, s in subs.items() if name != "ben")


def test_force_regrades_and_flat_layout(tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "zoe.ipynb").write_bytes(_notebook_bytes("correct"))
    (flat / "yan.ipynb").write_bytes(_notebook_bytes("invalid-json"))
    out = tmp_path / "out"
    assert _grade(flat, "--assignment", ASSIGNMENT, "--out", out, "--jobs", 2) == 0
    first = _subs(out / "report.json")
    assert first["zoe"]["score"] == 11 and first["yan"]["status"] == "error"
    assert _grade(flat, "--assignment", ASSIGNMENT, "--out", out) == 0
    assert all(s["cached"] for s in _subs(out / "report.json").values())
    assert _grade(flat, "--assignment", ASSIGNMENT, "--out", out, "--force") == 0
    forced = _subs(out / "report.json")
    assert not any(s["cached"] for s in forced.values())
    assert forced["zoe"]["graded_at"] >= first["zoe"]["graded_at"] and forced["zoe"]["score"] == 11


def test_grade_bad_usage(tmp_path, capsys):
    assert cli.main(["grade", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert cli.main(["grade", str(tmp_path / "empty")]) == 2
    assert "no notebooks found" in capsys.readouterr().err
    (tmp_path / "flat").mkdir()
    (tmp_path / "flat" / "ann.ipynb").write_text("{}")
    assert cli.main(["grade", str(tmp_path / "flat")]) == 2
    assert "--assignment" in capsys.readouterr().err
    assert cli.main(["grade", str(tmp_path / "flat"), "--assignment", "99_nope"]) == 2
    assert "unknown assignment" in capsys.readouterr().err


# ----------------------------------------------------------------------------- check
def test_check_exit_codes(tmp_path):
    folder = tmp_path / ASSIGNMENT  # the assignment is inferred from the folder name
    folder.mkdir()
    good, bad, broken = folder / "good.ipynb", folder / "bad.ipynb", folder / "broken.ipynb"
    good.write_bytes(_notebook_bytes("correct"))
    bad.write_bytes(_notebook_bytes("missing-1-over-m"))
    broken.write_bytes(_notebook_bytes("invalid-json"))

    proc = _run("check", good, cwd=tmp_path, tmp=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Total: 11 / 11" in proc.stdout and "✔ propagate" in proc.stdout and "✘" not in proc.stdout

    proc = _run("check", bad, cwd=tmp_path, tmp=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "✘ propagate" in proc.stdout and "misconception: missing-1/m" in proc.stdout
    assert "Total: 8 / 11" in proc.stdout and "BEGIN HIDDEN" not in proc.stdout

    proc = _run("check", broken, cwd=tmp_path, tmp=tmp_path)
    assert proc.returncode == 2 and "not valid notebook JSON" in proc.stdout


def test_check_usage_errors(tmp_path, capsys):
    assert cli.main(["check", str(tmp_path / "missing.ipynb")]) == 2
    assert "does not exist" in capsys.readouterr().err
    loose = tmp_path / "my_work.ipynb"
    loose.write_text("{}")
    assert cli.main(["check", str(loose)]) == 2
    assert "--assignment" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(["check"])
    assert exc.value.code == 2


def test_python_m_autograder_help(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True,
                          env=_env(tmp_path))
    assert proc.returncode == 0 and "check" in proc.stdout and "grade" in proc.stdout


def test_the_program_entry_point_returns_the_status_and_skips_the_final_collections(tmp_path):
    """``autograder`` and ``python -m autograder`` run :func:`cli.run`: the command's exit status, and a
    frozen heap, so that the interpreter's last collections do not walk every object before it exits."""
    import tomllib

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["autograder"] == "autograder.frontends.cli:run"
    code = ("import gc, sys; from autograder.frontends import cli; sys.argv = ['autograder', 'secret', 'where', "
            "sys.argv[1]]; status = cli.run(); print(status, gc.get_freeze_count() > 0)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                          env=_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[-2:] == ["0", "True"]
    proc = subprocess.run([sys.executable, "-m", "autograder", "check", str(tmp_path / "missing.ipynb")],
                          capture_output=True, text=True, env=_env(tmp_path))
    assert proc.returncode == cli.EXIT_USAGE and "does not exist" in proc.stderr


# ----------------------------------------------------------------------------- orchestration, fake engine
EMPTY_NOTEBOOK = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}'


def _touch(path: Path, text: str = EMPTY_NOTEBOOK) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_infer_assignment(tmp_path):
    assert cli.infer_assignment(tmp_path / "submitted" / "ann" / ASSIGNMENT / NOTEBOOK) == ASSIGNMENT
    assert cli.infer_assignment(tmp_path / "Downloads" / NOTEBOOK) == ASSIGNMENT  # by its file name
    assert cli.infer_assignment(tmp_path / f"{ASSIGNMENT}.ipynb") == ASSIGNMENT
    assert cli.infer_assignment(tmp_path / "Downloads" / "copy.ipynb") is None


def test_discover_layouts(tmp_path):
    course = tmp_path / "course"
    _touch(course / "submitted" / "ann" / ASSIGNMENT / NOTEBOOK)
    _touch(course / "submitted" / "bob" / ASSIGNMENT / "logistic_regression (1).ipynb")  # renamed: graded, noted
    _touch(course / "submitted" / "cat" / ASSIGNMENT / "a.ipynb")
    _touch(course / "submitted" / "cat" / ASSIGNMENT / "b.ipynb")  # two, none right: an error
    _touch(course / "submitted" / "ann" / ASSIGNMENT / ".ipynb_checkpoints" / "x-checkpoint.ipynb")
    _touch(course / "submitted" / "dee" / "02_unknown" / "nb.ipynb")
    for path in (course, course / "submitted"):
        subs, root = cli.discover(path)
        assert root == course / "submitted"
        by = {(s.student, s.assignment): s for s in subs}
        assert set(by) == {("ann", ASSIGNMENT), ("bob", ASSIGNMENT), ("cat", ASSIGNMENT), ("dee", "02_unknown")}
        assert by["ann", ASSIGNMENT].path.name == NOTEBOOK and by["ann", ASSIGNMENT].problem is None
        assert "should be named" in by["bob", ASSIGNMENT].note
        assert by["cat", ASSIGNMENT].path is None and "none is named" in by["cat", ASSIGNMENT].problem
        assert "no grading spec" in by["dee", "02_unknown"].problem
    subs, _ = cli.discover(course, ASSIGNMENT)
    assert {s.student for s in subs} == {"ann", "bob", "cat"}

    per_student = tmp_path / "per_student"
    _touch(per_student / "eli" / NOTEBOOK)
    _touch(per_student / "eli" / "scratch.ipynb")
    subs, _ = cli.discover(per_student)  # the assignment comes from the notebook's name
    assert [(s.student, s.assignment, s.path.name) for s in subs] == [("eli", ASSIGNMENT, NOTEBOOK)]

    flat = tmp_path / ASSIGNMENT  # a flat folder named after the assignment
    _touch(flat / "fay.ipynb")
    assert [(s.student, s.assignment) for s in cli.discover(flat)[0]] == [("fay", ASSIGNMENT)]
    with pytest.raises(cli.UsageError, match="--assignment"):
        cli.discover(_touch(tmp_path / "loose" / "gus.ipynb").parent)


class _FakeEngine:
    """Stands in for ``engine.grade``: records calls, fails on request, never sandboxes (in this process:
    the runs that use it grade with one job, since several jobs grade in worker processes)."""

    def __init__(self, fail_for=()):
        self.calls, self.fail_for = [], set(fail_for)

    def __call__(self, notebook, assignment, **kw):
        # class grading passes the code it extracted (in a bounded child) and the notebook's file name
        path = Path(kw.get("notebook_name") or notebook)
        self.calls.append(path)
        if path.stem in self.fail_for:
            raise RuntimeError("boom")
        ex = ExerciseResult("sigmoid", 1.0, 1.0, True, None, "`sigmoid` passed all 5 test cases.", "passed", 5, 5)
        return GradeReport(getattr(assignment, "name", assignment), Path(path).name, "graded", None, [ex], "fake")


def test_internal_grader_error_is_per_submission(tmp_path, monkeypatch, capsys):
    import autograder.grading.engine

    fake = _FakeEngine(fail_for={"bug"})
    monkeypatch.setattr(autograder.grading.engine, "grade", fake)
    flat = tmp_path / "flat"
    _touch(flat / "ok.ipynb")
    _touch(flat / "bug.ipynb")
    out = tmp_path / "out"
    assert _grade(flat, "-a", ASSIGNMENT, "--out", out, "--jobs", 1) == 0
    subs = _subs(out / "report.json")
    assert subs["ok"]["status"] == "graded" and subs["ok"]["score"] == 1
    assert subs["bug"]["status"] == "error"
    assert subs["bug"]["error"] == "internal grader error: RuntimeError: boom"
    assert "traceback" not in subs["bug"]  # kept in the result file for developers, not in the report
    assert "boom" in json.loads((out / "results" / f"bug__{ASSIGNMENT}.json").read_text())["traceback"]
    assert "Graded 1, errors 1" in capsys.readouterr().out
    # An internal error is never reused: the rerun tries that submission again, and only it.
    fake.calls.clear()
    assert _grade(flat, "-a", ASSIGNMENT, "--out", out, "--jobs", 1) == 0
    assert [p.stem for p in fake.calls] == ["bug"]


def test_results_from_another_grader_version_are_regraded(tmp_path, monkeypatch):
    import autograder.grading.engine

    fake = _FakeEngine()
    monkeypatch.setattr(autograder.grading.engine, "grade", fake)
    flat = tmp_path / "flat"
    _touch(flat / "ann.ipynb")
    out = tmp_path / "out"
    assert _grade(flat, "-a", ASSIGNMENT, "--out", out, "--jobs", 1) == 0
    assert _grade(flat, "-a", ASSIGNMENT, "--out", out, "--jobs", 1) == 0
    assert len(fake.calls) == 1
    monkeypatch.setitem(batch._VERSION_CACHE, ASSIGNMENT, "another-version")
    assert _grade(flat, "-a", ASSIGNMENT, "--out", out, "--jobs", 1) == 0
    assert len(fake.calls) == 2
    # a damaged result file is not trusted either
    (out / "results" / f"ann__{ASSIGNMENT}.json").write_text("{ truncated")
    assert _grade(flat, "-a", ASSIGNMENT, "--out", out, "--jobs", 1) == 0
    assert len(fake.calls) == 3


def test_grader_version_is_a_stable_hash():
    assert cli.grader_version(ASSIGNMENT) == cli.grader_version(ASSIGNMENT)
    assert len(cli.grader_version(ASSIGNMENT)) == 16
