"""Faults of ``autograder grade`` (issue 12, section 4), each caused for real:

- a read-only output folder, or one that cannot be created: refused before anything is graded (exit 7);
- a disk that fills up during the run (a small tmpfs, in a private mount namespace): the run stops at
  the first failed save with one message (exit 7), keeps every result saved before it, and a rerun
  with room again reuses them;
- two runs on one output folder at once: the second stops at once, naming the first one's pid
  (exit 6); a lock whose holder was killed (``kill -9``) is free again;
- ``kill -9`` of a run while a sandbox works: the job folder it leaves (student code, hidden inputs)
  is removed by the next run, which also finishes the class with the grades of a run never killed;
  with ``--jobs 2`` (worker processes) no worker and no sandbox outlives the run;
- SIGTERM of a run grading in worker processes: they end their sandboxes at once (no process, no job
  folder left); a worker process that dies costs nothing graded.

The mount-namespace tests need root and ``unshare`` (util-linux); elsewhere they are skipped.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from autograder.assignments import get_assignment
from autograder.frontends import cli
from autograder.frontends.locks import LOCK_NAME, OutputBusy, claim_output
from autograder.frontends.samples import build_submission, solution_answers
from autograder.grading.spec import Scenario

REPO = Path(__file__).resolve().parents[3]
A1 = get_assignment("01_logistic_regression")
NOTEBOOK = A1.notebook_files[0]
LOOP = Scenario("loop", "", {"predict": "def predict(w, b, X):\n    while True:\n        pass\n"})

needs_mount_ns = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"),
                                    reason="needs root and unshare for a private mount namespace")


def _write_class(course: Path, students: dict[str, Scenario | str]) -> Path:
    source = json.loads((REPO / "solutions" / A1.name / NOTEBOOK).read_text(encoding="utf-8"))
    for student, scenario in students.items():
        sc = A1.scenario(scenario) if isinstance(scenario, str) else scenario
        folder = course / "submitted" / student / A1.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / NOTEBOOK).write_bytes(build_submission(A1, sc, {NOTEBOOK: source}, solution_answers(source))[NOTEBOOK])
    return course / "submitted"


def _cmd() -> list[str]:
    script = Path(sys.executable).with_name("autograder")
    return [str(script)] if script.exists() else [sys.executable, "-m", "autograder"]


def _env(tmp: Path, **extra) -> dict:
    return {**os.environ, "MPLCONFIGDIR": str(tmp / "mpl"), "XDG_STATE_HOME": str(tmp / "state"), **extra}


# ----------------------------------------------------------------------------- unwritable output
def test_uncreatable_output_is_refused_before_grading(tmp_path, capsys):
    submitted = _write_class(tmp_path / "course", {"ada": "correct"})
    (tmp_path / "a-file").write_text("not a folder")
    assert cli.main(["grade", str(submitted), "--out", str(tmp_path / "a-file" / "out"), "--quiet"]) == cli.EXIT_OUTPUT
    err = capsys.readouterr().err
    assert "cannot create the output folder" in err and "a file stands where a folder is needed" in err
    # the same for the folder of --json; the output folder's lock is released on the way out
    out = tmp_path / "out"
    assert cli.main(["grade", str(submitted), "--out", str(out), "--json", str(tmp_path / "a-file" / "r.json"),
                     "--quiet"]) == cli.EXIT_OUTPUT
    assert "cannot create the output folder" in capsys.readouterr().err
    assert not (out / "results").exists() or not any((out / "results").iterdir())
    assert cli.main(["grade", str(submitted), "--out", str(out), "--quiet"]) == 0


@needs_mount_ns
def test_read_only_output_is_refused_before_grading(tmp_path):
    submitted = _write_class(tmp_path / "course", {"ada": "correct"})
    out = tmp_path / "out"
    out.mkdir()
    q = shlex.quote
    script = (f"mount --bind {q(str(out))} {q(str(out))} && mount -o remount,ro,bind {q(str(out))} && "
              f"exec {' '.join(map(q, _cmd()))} grade {q(str(submitted))} --out {q(str(out))} --quiet")
    t0 = time.perf_counter()
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], env=_env(tmp_path), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 7, proc.stdout + proc.stderr
    assert "read-only" in proc.stderr and "Nothing was graded" in proc.stderr and "Traceback" not in proc.stderr
    assert time.perf_counter() - t0 < 60 and not any(out.iterdir())


DISK_FULL_DRIVER = textwrap.dedent('''
    """Inside a private mount namespace: OUT is a small tmpfs that fills up while the 2nd submission is graded."""
    import json, os, shutil, subprocess, sys
    from autograder.frontends import batch, cli

    out, submitted, keep = sys.argv[1], sys.argv[2], sys.argv[3]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", out], check=True)
    graded = []

    def engine(sub, key, backend):  # a fast stand-in: this test is about saving, not grading
        graded.append(sub.student)
        if len(graded) == 2:  # the disk fills up (another program, a log...) while this one is graded
            fd = os.open(os.path.join(out, "filler"), os.O_WRONLY | os.O_CREAT)
            try:
                while True:
                    os.write(fd, b"x" * 4096)
            except OSError:
                pass
            os.close(fd)
        return {"status": "graded", "error": None, "score": 1.0, "max_score": 11.0, "backend": "fake", "exercises": []}

    batch.grade_submission = engine
    first = cli.main(["grade", submitted, "--out", out, "--jobs", "1", "--quiet"])
    saved = sorted(os.listdir(os.path.join(out, "results")))
    shutil.copytree(os.path.join(out, "results"), keep)
    os.unlink(os.path.join(out, "filler"))
    graded_before = list(graded)
    second = cli.main(["grade", submitted, "--out", out, "--jobs", "1", "--quiet"])
    report = json.load(open(os.path.join(out, "report.json")))
    print(json.dumps({"first": first, "saved": saved, "graded_before": graded_before, "second": second,
                      "graded": graded, "cached": {s["student"]: s["cached"] for s in report["submissions"]}}))
''')


@needs_mount_ns
def test_full_disk_stops_at_the_first_failed_save_and_keeps_what_was_saved(tmp_path):
    submitted = _write_class(tmp_path / "course", {s: "correct" for s in ("ann", "bob", "cid", "dee")})
    out, keep, driver = tmp_path / "out", tmp_path / "kept", tmp_path / "driver.py"
    out.mkdir()
    driver.write_text(DISK_FULL_DRIVER)
    proc = subprocess.run(["unshare", "-m", sys.executable, str(driver), str(out), str(submitted), str(keep)],
                          env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["first"] == cli.EXIT_OUTPUT
    assert got["graded_before"] == ["ann", "bob"]  # it stopped at bob's failed save: cid and dee never started
    assert got["saved"] == [f"ann__{A1.name}.json"]  # no half-written or temporary file
    assert json.loads((keep / f"ann__{A1.name}.json").read_text())["score"] == 1.0
    assert proc.stderr.count("the disk is full") == 1 and "could not save" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert got["second"] == 0 and got["graded"] == ["ann", "bob", "bob", "cid", "dee"]  # ann was reused
    assert got["cached"] == {"ann": True, "bob": False, "cid": False, "dee": False}


# ----------------------------------------------------------------------------- two runs at once
def test_a_second_run_on_the_same_output_is_refused_with_the_first_ones_pid(tmp_path):
    submitted = _write_class(tmp_path / "course", {"ada": "correct", "dan": LOOP})
    out = tmp_path / "out"
    first = subprocess.Popen(_cmd() + ["grade", str(submitted), "--out", str(out), "--jobs", "1", "--quiet"],
                             env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and first.poll() is None:
            if (out / LOCK_NAME).exists() and (out / LOCK_NAME).read_text().startswith(f"{first.pid} "):
                break
            time.sleep(0.05)
        second = subprocess.run(_cmd() + ["grade", str(submitted), "--out", str(out), "--quiet"],
                                env=_env(tmp_path), capture_output=True, text=True, timeout=120)
        assert first.poll() is None, "the first run ended before the second started: the test proves nothing"
        assert second.returncode == 6, second.stdout + second.stderr
        assert f"another run (pid {first.pid}) holds" in second.stderr and "Traceback" not in second.stderr
        stdout, stderr = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, stdout + stderr
    report = json.loads((out / "report.json").read_text())
    assert sorted(s["student"] for s in report["submissions"]) == ["ada", "dan"]
    assert cli.main(["grade", str(submitted), "--out", str(out), "--quiet"]) == 0  # the lock was released


def test_the_lock_of_a_killed_run_is_free(tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom autograder.frontends.locks import "
                               "claim_output\nclaim_output(sys.argv[1])\nprint('held', flush=True)\ntime.sleep(600)",
                               str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputBusy) as busy:
            claim_output(out)
        assert busy.value.pid == holder.pid
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    claim_output(out).release()  # free again: the kernel released it with the process


# ----------------------------------------------------------------------------- kill -9 and stale job folders
def _processes_with(token: str) -> list[int]:
    """Pids of the processes whose environment holds ``token`` (this test's run and all it started)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                with open(f"/proc/{name}/environ", "rb") as f:
                    if token.encode() in f.read():
                        found.append(int(name))
            except OSError:
                pass
    return found


def _gone(token: str, within: float = 10.0) -> list[int]:
    deadline = time.monotonic() + within
    while (left := _processes_with(token)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_9_leaves_no_job_folder_after_the_next_run(tmp_path, jobs):
    """With --jobs 2 the grading runs in worker processes: they and their sandboxes die with the run."""
    jobs_dir = tmp_path / "jobs"  # this test's own jobs folder: other graders on the machine are not touched
    students = {"ada": "correct", "dan": LOOP, "eve": "sigmoid-sign-error"}
    submitted = _write_class(tmp_path / "course", students)
    out = tmp_path / "out"
    token = f"NNKIT_TEST_RUN=kill9-{os.getpid()}-{time.time_ns()}"
    env = _env(tmp_path, AUTOGRADER_JOBS_DIR=str(jobs_dir), NNKIT_TEST_RUN=token.split("=", 1)[1])
    proc = subprocess.Popen(_cmd() + ["grade", str(submitted), "--out", str(out), "--jobs", jobs, "--quiet"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        mine = lambda: sorted(p.name for p in jobs_dir.glob("w-*"))  # noqa: E731 (only this run uses jobs_dir)
        while time.monotonic() < deadline and proc.poll() is None:
            done = sorted(p.name for p in (out / "results").glob("*.json")) if (out / "results").exists() else []
            if done and mine():
                break
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not _gone(token), "a worker or a sandbox outlived the killed run"
    left = mine()
    assert left, "the killed run left no job folder: the test proves nothing"
    saved = {p.name: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    assert saved and len(saved) < len(students)
    rerun = subprocess.run(_cmd() + ["grade", str(submitted), "--out", str(out), "--jobs", "2", "--quiet"],
                           env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert not mine(), f"left behind: {left}"
    final = {p.name: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    assert len(final) == len(students)
    for name, data in saved.items():  # nothing saved before the kill was lost or graded again
        assert final[name]["graded_at"] == data["graded_at"] and final[name]["score"] == data["score"]
    scores = {d["student"]: d["score"] for d in final.values()}
    assert scores["ada"] == A1.max_score and scores["eve"] == A1.max_score - 1


def test_sigterm_stops_the_worker_processes_and_their_sandboxes_cleanly(tmp_path):
    """SIGTERM of a run grading in worker processes (--jobs 2) while one of them runs an endless loop:
    the run stops at once (exit 130) keeping what it saved, the workers end their sandboxes (no job
    folder, no process left, without waiting for a next run), and a rerun grades only the rest."""
    jobs_dir = tmp_path / "jobs"
    students = {"ada": "correct", "bob": "correct", "dan": LOOP, "eve": "sigmoid-sign-error"}
    submitted = _write_class(tmp_path / "course", students)
    out = tmp_path / "out"
    token = f"NNKIT_TEST_RUN=term-{os.getpid()}-{time.time_ns()}"
    env = _env(tmp_path, AUTOGRADER_JOBS_DIR=str(jobs_dir), NNKIT_TEST_RUN=token.split("=", 1)[1])
    proc = subprocess.Popen(_cmd() + ["grade", str(submitted), "--out", str(out), "--jobs", "2", "--quiet"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        saved = lambda: sorted(p.name for p in (out / "results").glob("*.json")) if (out / "results").exists() else []  # noqa: E731
        while time.monotonic() < deadline and proc.poll() is None and len(saved()) < 2:
            time.sleep(0.05)
        time.sleep(0.5)  # dan's endless loop runs in a sandbox now
        assert proc.poll() is None, "the run ended before the signal: the test proves nothing"
        t0 = time.perf_counter()
        proc.terminate()
        stdout, stderr = proc.communicate(timeout=60)
        seconds = time.perf_counter() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == cli.EXIT_INTERRUPTED, stdout + stderr
    assert seconds < 10  # it does not wait for the loop's time limit
    assert "Traceback" not in stderr
    assert not _gone(token), "a worker or a sandbox outlived the stopped run"
    assert not list(jobs_dir.glob("w-*")), "a stopped worker left its sandbox's folder"
    before = {p.name: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    assert 2 <= len(before) < len(students) and f"dan__{A1.name}.json" not in before
    rerun = subprocess.run(_cmd() + ["grade", str(submitted), "--out", str(out), "--jobs", "2", "--quiet"],
                           env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    final = {p.name: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    assert len(final) == len(students)
    for name, data in before.items():  # reused, not graded again
        assert final[name]["graded_at"] == data["graded_at"] and final[name]["score"] == data["score"]
    scores = {d["student"]: d["score"] for d in final.values()}
    assert scores["ada"] == scores["bob"] == A1.max_score and scores["eve"] == A1.max_score - 1
    assert scores["dan"] == A1.max_score - A1.exercise("predict").points


SLOW = Scenario("slow", "", {"predict": (
    "import time\n_slept = []\n\n\ndef predict(w, b, X):\n    if not _slept:  # once per process: the first case\n"
    "        _slept.append(True)\n        time.sleep(2)\n"
    "    return (1 / (1 + np.exp(-(w.T @ X + b))) > 0.5).astype(float)\n")})


def test_a_worker_process_that_dies_costs_nothing_graded(tmp_path):
    """Both worker processes are killed (the OOM killer, say) while a submission is in a sandbox:
    new workers grade it again, with the grade it deserves."""
    import threading

    from autograder.frontends.discovery import discover, read_contents
    from autograder.frontends.worker_processes import WorkerProcesses

    subs, _ = discover(_write_class(tmp_path / "course", {"sam": SLOW}))
    sub = subs[0]
    sub.contents = read_contents(sub)
    workers = WorkerProcesses(2, (A1.name,), "auto")
    try:
        first = [p.pid for p in workers._running()._processes.values()]  # started, sandboxes ready
        got: dict = {}
        grading = threading.Thread(target=lambda: got.update(workers(sub, "secret/sam")))
        grading.start()
        time.sleep(1.0)  # sam's predict sleeps in a sandbox now
        for pid in first:
            os.kill(pid, signal.SIGKILL)
        grading.join(120)
        assert got.get("status") == "graded", got
        assert got["score"] == A1.max_score  # graded again from the start, not 0 for a lost function
        assert not set(first) & {p.pid for p in workers._running()._processes.values()}  # new workers
    finally:
        workers.close()
