"""Class grading: grade the submissions found by :mod:`autograder.frontends.discovery` in parallel,
and reuse what is done.

:func:`grade_class` grades them with a pool of workers and writes one result file per submission as
soon as it is graded (atomically), so an interrupted run loses nothing already graded; a rerun
reuses every result whose notebook bytes, grader version (per assignment) and course secret are
unchanged. Each notebook is read once, safely (:func:`~autograder.frontends.discovery.read_contents`:
no link followed, size checked before reading), hashed, then parsed in a bounded child
(:mod:`autograder.grading.bounded`). :func:`write_reports` rebuilds every aggregate file from the
result files. One broken or hostile submission (or even a bug in the grader) costs that submission only.
A result that cannot be saved (the disk filled up) stops the whole run at once
(:class:`~autograder.frontends.locks.SaveFailed`): nothing more is graded into the void, and every
result saved before it stays. Sandbox job folders left by runs killed with ``kill -9`` are removed at
the start of each run. ``engine`` may grade elsewhere (:mod:`autograder.frontends.dask_executor`).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment, package_of
from autograder.frontends import report as rep
from autograder.frontends.discovery import Submission, UsageError, discover, infer_assignment, read_contents
from autograder.frontends.locks import SaveFailed
from autograder.grading.extract import SubmissionError
from autograder.isolation.errors import SandboxUnavailable

__all__ = ["Submission", "UsageError", "discover", "infer_assignment", "grader_version", "read_contents",
           "grade_submission", "grade_class", "ClassRun", "write_reports", "load_result", "RESULT_FORMAT"]

#: Version of the result-file format; a change invalidates the cached results like a grader change.
RESULT_FORMAT = 2


# ----------------------------------------------------------------------------- grader version
_VERSION_CACHE: dict[str, str] = {}


def _hash_tree(h, base: Path, label: str, skip: Callable[[Path], bool] = lambda p: False) -> None:
    for f in sorted(base.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts and f.suffix in (".py", ".json", ".txt", ".npz", ".yml") \
                and not skip(f):
            h.update(f"{label}/{f.relative_to(base).as_posix()}\n".encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())


def grader_version(assignment: str) -> str:
    """A hash of everything the grade of ``assignment`` depends on: the grading core, the isolation
    layer, the front ends, nnkit, and this assignment's own package (not the other assignments').

    Editing one assignment's content leaves the cached results of the others valid.
    """
    if assignment not in _VERSION_CACHE:
        import nnkit

        import autograder

        own = Path(autograder.__file__).resolve().parent
        contents = own / "assignments"
        mine = contents / package_of(assignment).rsplit(".", 1)[1]

        def other_content(f: Path) -> bool:
            return contents in f.parents and f.parent != contents and mine not in f.parents

        h = hashlib.sha256(f"format {RESULT_FORMAT}\n".encode())
        _hash_tree(h, own, "autograder", skip=other_content)
        _hash_tree(h, Path(nnkit.__file__).resolve().parent, "nnkit")
        _VERSION_CACHE[assignment] = h.hexdigest()[:16]
    return _VERSION_CACHE[assignment]


def _key_digest(key: str) -> str:
    # The secret itself is never written; its digest is enough to notice that it changed.
    return hashlib.sha256(key.encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------- one submission
def grade_submission(sub: Submission, key: str, backend: str | None) -> dict:
    """The engine's verdict on every notebook of ``sub``, merged, as plain data (the result file's fields).

    A notebook not submitted costs the functions graded in it; a grader bug becomes this
    submission's error, never an exception.
    """
    from autograder.grading import bounded
    from autograder.grading.engine import grade
    from autograder.grading.verdict import ExerciseResult, GradeReport, Status

    assignment = get_assignment(sub.assignment)
    try:
        reports = []
        for file, raw in (sub.contents if sub.contents is not None else read_contents(sub)).items():
            try:  # parsed in a bounded child: a crafted notebook is this notebook's error
                if isinstance(raw, SubmissionError):
                    raise raw
                student = bounded.extract_bytes(raw, file)
            except SubmissionError as exc:
                reports.append(GradeReport(assignment.name, file, "error", str(exc)))
                continue
            reports.append(grade(student, assignment, notebook_name=file, run="hidden", key=key,
                                 backend=backend or "auto"))
        merged = GradeReport.merge(assignment.name, reports)
        if merged.status == "graded":  # the functions of notebooks not submitted, or not readable, count 0
            unreadable = {r.notebook: r.error for r in reports if r.status == "error"}
            graded = {e.name for e in merged.exercises}
            merged.exercises += [
                ExerciseResult(ex.name, 0.0, float(ex.points), False, None,
                               f"`{ex.name}` was not graded: {ex.notebook} could not be read ({unreadable[ex.notebook]})"
                               if ex.notebook in unreadable else
                               f"`{ex.name}` is graded in {ex.notebook}, which was not submitted.",
                               Status.ERROR if ex.notebook in unreadable else Status.MISSING, 0, 0, ex.notebook)
                for ex in assignment.exercises if ex.name not in graded]
        d = merged.to_dict()
    except SandboxUnavailable:  # no sandbox may run student code here: the whole run stops (see grade_class)
        raise
    except Exception as exc:  # noqa: BLE001 (the run must go on; the message names the bug)
        tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
        return {"status": "error", "error": f"internal grader error: {type(exc).__name__}: {exc}",
                "internal_error": True, "traceback": "".join(tb[-6:]), "score": 0.0,
                "max_score": _max_score(sub.assignment), "exercises": []}
    keep = ("name", "points", "max_points", "passed", "misconception", "feedback", "status", "cases_passed",
            "cases_total", "notebook")
    return {"status": d["status"], "error": d.get("error"), "score": d["score"], "max_score": d["max_score"],
            "backend": d.get("backend"), "exercises": [{k: e.get(k) for k in keep} for e in d["exercises"]],
            "flags": list(d.get("tamper") or [])}


def _max_score(assignment: str) -> float:
    try:
        return get_assignment(assignment).max_score
    except Exception:  # no spec: the error message already says so
        return 0.0


def result_path(out: Path, sub: Submission) -> Path:
    return out / "results" / f"{sub.file_stem}__{rep.safe_name(sub.assignment)}.json"


def load_result(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing, or damaged by hand: grade again
    return data if isinstance(data, dict) and isinstance(data.get("exercises"), list) else None


class _Stop:
    """Set on Ctrl-C/kill (a sandbox killed by the same signal must not be recorded as a crash) and at
    the first failed save: no submission starts after it."""

    event = threading.Event()


def _digest(contents: dict[str, bytes | SubmissionError]) -> str:
    h = hashlib.sha256()
    for file, raw in sorted(contents.items()):
        h.update(f"{file}\n".encode())
        h.update(hashlib.sha256(raw if isinstance(raw, bytes) else f"unreadable: {raw}".encode()).digest())
    return h.hexdigest()


def _grade_one(sub: Submission, out: Path, secret: str, force: bool, backend: str | None,
               engine: Callable[[Submission, str, str | None], dict]) -> dict:
    """Grade (or reuse) one submission and write its result file; never raises (except on stop)."""
    if _Stop.event.is_set():
        raise KeyboardInterrupt  # the run is stopping (interrupted, or a save failed): start nothing new
    t0 = time.perf_counter()
    version = grader_version(sub.assignment) if sub.assignment in ASSIGNMENT_NAMES else "none"
    base = {"student": sub.student, "assignment": sub.assignment, "stem": sub.file_stem,
            "notebook": ", ".join(p.name for p in sub.paths.values()) or None,
            "path": os.path.abspath(sub.path) if sub.path else None}
    if sub.problem:
        result = {**base, "status": "error", "error": sub.problem, "score": 0.0, "max_score": _max_score(sub.assignment),
                  "exercises": [], "sha256": None}
    else:
        key = f"{secret}/{sub.student}"
        contents = read_contents(sub)  # read once, bounded: hashed here, parsed by the engine
        digest = _digest(contents)
        rpath = result_path(out, sub)
        old = None if force else load_result(rpath)
        if (old is not None and old.get("sha256") == digest and old.get("grader_version") == version
                and old.get("key_digest") == _key_digest(key) and not old.get("internal_error")
                and old.get("student") == sub.student):
            old.update(cached=True, path=base["path"], stem=sub.file_stem)
            return old
        sub.contents = contents
        try:
            result = {**base, "sha256": digest, **engine(sub, key, backend)}
        finally:
            sub.contents = None  # the bytes are not kept for the rest of the run
        if sub.notes:
            result["note"] = " ".join(sub.notes)
    if _Stop.event.is_set():
        raise KeyboardInterrupt  # its sandbox may have died from the signal: do not record it
    result.update(grader_version=version, key_digest=_key_digest(f"{secret}/{sub.student}"), cached=False,
                  seconds=round(time.perf_counter() - t0, 3), graded_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    # As soon as it is graded, atomically: a kill at any moment loses at most the submissions in flight.
    try:
        rep.atomic_write_text(result_path(out, sub), json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:  # e.g. the disk is full: the whole run stops (see grade_class)
        _Stop.event.set()
        raise SaveFailed(result_path(out, sub), exc) from None
    return result


@dataclass
class ClassRun:
    """What :func:`grade_class` did: the result of every submission it finished (by key), whether it
    was interrupted, and whether submissions were still running when it stopped."""

    results: dict[str, dict]
    interrupted: bool = False
    abandoned: bool = False


def grade_class(subs: list[Submission], out: Path, *, jobs: int, secret: str, force: bool = False,
                backend: str | None = None, on_result: Callable[[Submission, dict], None] | None = None,
                engine: Callable[[Submission, str, str | None], dict] | None = None) -> ClassRun:
    """Grade ``subs`` with ``jobs`` parallel workers, writing ``out/results/`` as it goes (with the
    kit's engine and ``jobs`` > 1, each job is a worker process: :mod:`autograder.frontends.worker_processes`).

    Ctrl-C (or SIGTERM turned into KeyboardInterrupt by the caller) stops it: finished results stay
    on disk, and the returned run says so. ``engine`` replaces :func:`grade_submission` (tests).
    """
    engine = engine or grade_submission
    (out / "results").mkdir(parents=True, exist_ok=True)
    _Stop.event.clear()
    import autograder.grading.engine  # noqa: F401 (imported once here rather than by the worker threads at once)

    for name in {s.assignment for s in subs if s.assignment in ASSIGNMENT_NAMES}:
        get_assignment(name)  # import the specs once, before the worker threads need them
        grader_version(name)
    run = ClassRun({})
    sandboxes = workers = None
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade")
    futures: dict = {}
    try:
        if engine is grade_submission:  # warm sandboxes, lent to one submission after another
            from autograder.isolation import jobs as sandbox_jobs

            try:  # job folders left by runs killed with kill -9 hold student code and hidden inputs: gone first
                sandbox_jobs.sweep_stale()
            except OSError:
                pass  # no usable jobs folder: the sandbox says so, with the fix, when it starts
            assignments = tuple(sorted({s.assignment for s in subs if s.assignment in ASSIGNMENT_NAMES}))
            if jobs > 1 and any(not s.problem for s in subs):  # one worker process (and sandbox) per job
                from autograder.frontends.worker_processes import WorkerProcesses

                engine = workers = WorkerProcesses(jobs, assignments, backend)
            else:  # one job: in this process (started when first needed)
                from autograder.grading.sandboxes import sandbox_pool

                backend = sandboxes = sandbox_pool(assignments, jobs, backend)
        futures = {pool.submit(_grade_one, s, out, secret, force, backend, engine): s for s in subs}
        for fut in as_completed(futures):
            sub = futures[fut]
            try:
                res = fut.result()
            except KeyboardInterrupt:
                continue
            except (SandboxUnavailable, SaveFailed):
                raise
            except Exception as exc:  # noqa: BLE001 (a bug outside the engine: report it, keep going)
                res = {"student": sub.student, "assignment": sub.assignment,
                       "notebook": sub.path.name if sub.path else None, "status": "error",
                       "error": f"internal grader error: {type(exc).__name__}: {exc}", "internal_error": True,
                       "score": 0.0, "max_score": _max_score(sub.assignment), "exercises": [], "cached": False}
            run.results[sub.key] = res
            if on_result is not None:
                on_result(sub, res)
    except (SandboxUnavailable, SaveFailed):  # isolation refused, or a result could not be saved: stop here
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    except KeyboardInterrupt:
        run.interrupted = True
        _Stop.event.set()
        pool.shutdown(wait=False, cancel_futures=True)
    finally:
        pool.shutdown(wait=not run.interrupted)
        if sandboxes is not None:
            sandboxes.close()
        if workers is not None:
            workers.close(kill=run.interrupted)
    run.abandoned = run.interrupted and any(not f.done() for f in futures)
    return run


# ----------------------------------------------------------------------------- reports
def _all_results(out: Path) -> list[dict]:
    subs = []
    for f in sorted((out / "results").glob("*.json")):
        data = load_result(f)
        if data is not None:
            subs.append(data)
    return subs


def write_reports(out: Path, json_path: Path, this_run: dict[str, dict], extra: dict) -> tuple[list[dict], dict]:
    """Rebuild every aggregate file from the result files (this run's, and earlier ones kept in results/)."""
    merged = {f"{d.get('student')}__{d.get('assignment')}": dict(d, in_this_run=False) for d in _all_results(out)}
    for key, data in this_run.items():  # the in-memory copy knows whether it was reused in this run
        merged[key] = dict(data, in_this_run=True)
    # The traceback of an internal error stays in its result file, for the grader's developers.
    subs = [{k: v for k, v in d.items() if k != "traceback"} for _, d in sorted(merged.items())]
    for s in subs:
        s["feedback_html"] = rep.feedback_path(s.get("student", ""), s.get("assignment", ""), s.get("stem"))
        rep.write_feedback(s, out)
    summary = rep.summarize(subs)
    rep.write_grades_csv(subs, out / "grades.csv")
    rep.write_class_report(subs, out, title="Autograder class report", summary=summary)
    rep.write_json_report(subs, json_path, summary=summary, **extra)
    return subs, summary
