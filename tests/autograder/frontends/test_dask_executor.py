"""``autograder grade --executor dask``: a local Dask cluster grades exactly as the local executor,
a worker that dies mid-task costs nothing, and a submission that kills every worker it runs on ends
as that submission's error (after Dask's bounded retries) while the rest of the class is graded.

Skipped when Dask is not installed (``pip install -e '.[dask]'``; ``make test`` installs it with the
dev extra).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from _dask_engines import KillsItsWorker
from autograder.assignments import get_assignment
from autograder.frontends import batch, cli
from autograder.frontends.samples import build_submission, solution_answers

pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[3]
A1 = get_assignment("01_logistic_regression")
NOTEBOOK = A1.notebook_files[0]
CLASS = {"ada": "correct", "ben": "missing-1-over-m", "cleo": "invalid-json", "eve": "sigmoid-sign-error"}
#: the fields of a result file that must not depend on where it was graded
SAME = ("student", "assignment", "status", "error", "score", "max_score", "exercises", "sha256", "grader_version",
        "key_digest", "internal_error")


def _write_class(course: Path, students: dict[str, str]) -> Path:
    source = json.loads((REPO / "solutions" / A1.name / NOTEBOOK).read_text(encoding="utf-8"))
    for student, scenario in students.items():
        folder = course / "submitted" / student / A1.name
        folder.mkdir(parents=True, exist_ok=True)
        data = build_submission(A1, A1.scenario(scenario), {NOTEBOOK: source}, solution_answers(source))[NOTEBOOK]
        (folder / NOTEBOOK).write_bytes(data)
    return course / "submitted"


def _results(out: Path) -> dict[str, dict]:
    return {p.name: {k: json.loads(p.read_text())[k] for k in SAME if k in json.loads(p.read_text())}
            for p in sorted((out / "results").glob("*.json"))}


def test_local_cluster_grades_like_the_local_executor(tmp_path, capsys):
    submitted = _write_class(tmp_path / "course", CLASS)
    assert cli.main(["grade", str(submitted), "--jobs", "2", "--out", str(tmp_path / "local"), "--quiet"]) == 0
    assert cli.main(["grade", str(submitted), "--jobs", "2", "--out", str(tmp_path / "dask"), "--quiet",
                     "--executor", "dask"]) == 0
    assert "a local Dask cluster of 2 worker(s)" in capsys.readouterr().err
    local, dask = _results(tmp_path / "local"), _results(tmp_path / "dask")
    assert len(local) == len(CLASS) and local == dask
    assert dask[f"ada__{A1.name}.json"]["score"] == A1.max_score
    assert dask[f"cleo__{A1.name}.json"]["status"] == "error"
    # the client wrote every report, and a rerun on Dask reuses everything
    assert (tmp_path / "dask" / "grades.csv").exists() and (tmp_path / "dask" / "feedback" / "ben").is_dir()
    assert cli.main(["grade", str(submitted), "--jobs", "2", "--out", str(tmp_path / "dask"), "--quiet",
                     "--executor", "dask"]) == 0
    report = json.loads((tmp_path / "dask" / "report.json").read_text())
    assert report["timings"]["graded_now"] == 0 and all(s["cached"] for s in report["submissions"])


def _grade_on_dask(tmp_path, students, engine):
    from autograder.frontends.dask_executor import dask_grading

    submitted = _write_class(tmp_path / "course", students)
    subs, _ = batch.discover(submitted)
    out = tmp_path / "out"
    with dask_grading(None, 2, "auto", (A1.name,), engine=engine) as kw:
        run = batch.grade_class(subs, out, secret="s3cret", **kw)
    return {r["student"]: r for r in run.results.values()}, out


def test_a_worker_that_dies_mid_task_costs_nothing(tmp_path):
    marker = tmp_path / "died-once"
    results, out = _grade_on_dask(tmp_path, {"ada": "correct", "ben": "missing-1-over-m"},
                                  KillsItsWorker("ben", str(marker)))
    assert marker.exists()  # ben's first try killed its worker
    assert results["ben"]["status"] == "graded" and results["ben"]["score"] == A1.max_score - 3, results["ben"]
    assert results["ada"]["score"] == A1.max_score, results["ada"]
    assert len(list((out / "results").glob("*.json"))) == 2


def test_a_submission_that_kills_every_worker_is_its_own_error(tmp_path):
    results, out = _grade_on_dask(tmp_path, {"ada": "correct", "zed": "correct", "eve": "sigmoid-sign-error"},
                                  KillsItsWorker("zed"))
    assert results["zed"]["status"] == "error" and "killed its Dask worker every time" in results["zed"]["error"], \
        results["zed"]
    assert not results["zed"].get("internal_error")  # kept: a rerun does not kill workers again (--force does)
    assert results["ada"]["score"] == A1.max_score and results["eve"]["score"] == A1.max_score - 1, results
    assert len(list((out / "results").glob("*.json"))) == 3


def test_without_dask_a_clear_error_says_how_to_install(tmp_path, monkeypatch, capsys):
    submitted = _write_class(tmp_path / "course", {"ada": "correct"})
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "autograder.frontends.dask_executor", raising=False)
    assert cli.main(["grade", str(submitted), "--out", str(tmp_path / "out"), "--quiet", "--executor", "dask"]) == 2
    err = capsys.readouterr().err
    assert "--executor dask needs Dask" in err and "pip install -e '.[dask]'" in err
    assert not (tmp_path / "out" / "results").exists() or not any((tmp_path / "out" / "results").iterdir())


def test_an_interrupted_dask_run_loses_nothing_and_resumes(tmp_path):
    """SIGTERM while a submission loops in a worker's sandbox: what was graded is kept, the cluster is
    stopped, and the next run grades only the rest."""
    import os
    import signal
    import subprocess
    import time

    from autograder.grading.spec import Scenario

    submitted = _write_class(tmp_path / "course", {"ada": "correct"})
    source = json.loads((REPO / "solutions" / A1.name / NOTEBOOK).read_text(encoding="utf-8"))
    loop = Scenario("loop", "", {"predict": "def predict(w, b, X):\n    while True:\n        pass\n"})
    folder = submitted / "dan" / A1.name
    folder.mkdir(parents=True)
    (folder / NOTEBOOK).write_bytes(build_submission(A1, loop, {NOTEBOOK: source}, solution_answers(source))[NOTEBOOK])
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "autograder", "grade", str(submitted), "--out", str(out), "--jobs", "2", "--quiet",
           "--executor", "dask"]
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "MPLCONFIGDIR": str(tmp_path / "mpl")}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = out / "results" / f"ada__{A1.name}.json"
    try:
        deadline = time.monotonic() + 120
        while not done.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert done.exists(), "ada was not graded in time"
        time.sleep(0.5)  # dan loops in a worker's sandbox
        t0 = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stdout + stderr
    assert time.perf_counter() - t0 < 30 and "Run the same command again" in stderr
    assert sorted(p.name for p in (out / "results").iterdir()) == [f"ada__{A1.name}.json"]
    kept = json.loads(done.read_text())
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    report = {s["student"]: s for s in json.loads((out / "report.json").read_text())["submissions"]}
    assert report["ada"]["cached"] and report["ada"]["graded_at"] == kept["graded_at"]
    assert report["dan"]["cached"] is False and report["dan"]["score"] == A1.max_score - 1
