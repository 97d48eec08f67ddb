"""Class grading: find the submissions under a folder, grade them in parallel, reuse what is done.

:func:`discover` finds the submissions (nbgrader's ``submitted/<student>/<assignment>/*.ipynb``, a
folder of ``<student>/<notebook>.ipynb``, or a flat folder of ``<student>.ipynb``); a submission is
one student's notebooks of one assignment. :func:`grade_class` grades them with a pool of workers
and writes one result file per submission as soon as it is graded (atomically), so an interrupted
run loses nothing already graded; a rerun reuses every result whose notebook bytes, grader version
(per assignment) and course secret are unchanged. :func:`write_reports` rebuilds every aggregate
file from the result files. One broken submission (or even a bug in the grader) costs that
submission only.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment, package_of
from autograder.frontends import report as rep

__all__ = ["Submission", "UsageError", "discover", "infer_assignment", "grader_version", "grade_submission",
           "grade_class", "ClassRun", "write_reports", "load_result", "RESULT_FORMAT"]

#: Version of the result-file format; a change invalidates the cached results like a grader change.
RESULT_FORMAT = 2


class UsageError(Exception):
    """Bad usage (a path that does not exist, notebooks of an unknown assignment): the message says what to do."""


@dataclass
class Submission:
    """One student's notebooks of one assignment. ``paths`` maps each notebook file of the assignment
    that was found to the file (its name may differ, see ``notes``); ``problem`` is set when discovery
    itself found the submission ungradable."""

    student: str
    assignment: str
    paths: dict[str, Path] = field(default_factory=dict)
    problem: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.student}__{self.assignment}"

    @property
    def note(self) -> str | None:
        """The notes as one sentence (None when there are none)."""
        return " ".join(self.notes) or None

    @property
    def path(self) -> Path | None:
        """The first notebook (the only one, for single-notebook assignments)."""
        return next(iter(self.paths.values()), None)


# ----------------------------------------------------------------------------- discovery
def _notebook_names() -> dict[str, str]:
    """notebook file name -> assignment, for the notebooks whose name belongs to exactly one assignment."""
    seen: dict[str, list[str]] = {}
    for a in ASSIGNMENT_NAMES:
        for file in get_assignment(a).notebook_files:
            seen.setdefault(file, []).append(a)
    return {file: names[0] for file, names in seen.items() if len(names) == 1}


def infer_assignment(notebook: str | Path) -> str | None:
    """The assignment a notebook belongs to, from where it is and what it is called, or None.

    Tried in order: a parent folder named like an assignment (nbgrader's
    ``submitted/<student>/<assignment>/`` or a course's ``assignments/<assignment>/``), then the
    file name matching an assignment's notebook. The notebook's own metadata is not used: a
    student's copy may carry none, and nbgrader does not store the assignment id in it.
    """
    path = Path(notebook).resolve()
    for parent in list(path.parents)[:3]:
        if parent.name in ASSIGNMENT_NAMES:
            return parent.name
    if path.stem in ASSIGNMENT_NAMES:
        return path.stem
    return _notebook_names().get(path.name)


def _skip(rel: Path) -> bool:
    # Jupyter's .ipynb_checkpoints and other hidden folders hold copies, not submissions.
    return any(part.startswith(".") for part in rel.parts)


def _pick(student: str, assignment: str, files: list[Path], loc: str) -> Submission:
    """Match the notebooks found in one submission folder with the assignment's notebooks."""
    expected = get_assignment(assignment).notebook_files
    by_name = {f.name: f for f in files}
    sub = Submission(student, assignment, {name: by_name[name] for name in expected if name in by_name})
    if sub.paths:
        missing = [n for n in expected if n not in sub.paths]
        if missing:
            sub.notes.append(f"{', '.join(missing)} not found in {loc}: its functions count as missing.")
        return sub
    if len(files) == 1:
        sub.paths[files[0].name] = files[0]
        sub.notes.append(f"graded {files[0].name}, although the notebook should be named "
                         f"{' or '.join(expected)}.")
        return sub
    names = ", ".join(sorted(f.name for f in files))
    sub.problem = (f"{loc} holds {len(files)} notebooks ({names}) and none is named {' or '.join(expected)}: "
                   "keep only the notebooks to grade, or rename them.")
    return sub


def discover(path: str | Path, assignment: str | None = None, exclude: Path | None = None
             ) -> tuple[list[Submission], Path]:
    """Find the submissions under ``path``; returns them and the folder they were found in.

    Layouts (by depth below the submissions folder): ``<student>/<assignment>/<notebook>.ipynb``
    (nbgrader; ``path`` may be the course, whose ``submitted/`` is used), ``<student>/<notebook>.ipynb``
    and ``<student>.ipynb``. For the last two the assignment comes from ``assignment``, the folder's
    name, or (``<student>/<notebook>``) the notebooks' names; :class:`UsageError` when it cannot be told.
    """
    root = Path(path)
    if not root.exists():
        raise UsageError(f"{root} does not exist.")
    if root.is_file():
        if root.suffix != ".ipynb":
            raise UsageError(f"{root} is not a notebook (.ipynb) nor a folder of submissions.")
        name = assignment or infer_assignment(root)
        if name is None:
            raise UsageError(f"cannot tell which assignment {root.name} belongs to: pass --assignment NAME.")
        return [_pick(root.stem, name, [root], root.name)], root.parent
    if (root / "submitted").is_dir():
        root = root / "submitted"
    elif (root / "nbgrader_config.py").exists():
        raise UsageError(f"{root} is an nbgrader course without a submitted/ folder: collect the submissions first.")
    exclude = exclude.resolve() if exclude is not None else None
    default = assignment or next((p.name for p in (root, root.parent) if p.name in ASSIGNMENT_NAMES), None)
    by_folder: dict[tuple, list[Path]] = {}
    for nb in sorted(root.rglob("*.ipynb")):
        rel = nb.relative_to(root)
        if _skip(rel) or not nb.is_file() or (exclude is not None and exclude in nb.resolve().parents):
            continue
        by_folder.setdefault(rel.parts[:-1], []).append(nb)
    subs: list[Submission] = []
    unknown: list[str] = []
    by_nb_name = _notebook_names()
    for folder, files in sorted(by_folder.items()):
        if len(folder) == 0:  # flat: <student>.ipynb
            for f in files:
                if default is None:
                    unknown.append(f.name)
                else:
                    subs.append(_pick(f.stem, default, [f], f.name))
        elif len(folder) == 1:  # <student>/<notebook>.ipynb
            student = folder[0]
            if default is not None:
                subs.append(_pick(student, default, files, f"{student}/"))
                continue
            groups: dict[str, list[Path]] = {}
            for f in files:
                if f.name in by_nb_name:
                    groups.setdefault(by_nb_name[f.name], []).append(f)
            if not groups:
                unknown.append(f"{student}/{files[0].name}")
            subs.extend(_pick(student, a, fs, f"{student}/") for a, fs in sorted(groups.items()))
        elif len(folder) == 2:  # <student>/<assignment>/<notebook>.ipynb
            student, name = folder
            if assignment is not None and name != assignment:
                continue
            if name not in ASSIGNMENT_NAMES:
                subs.append(Submission(student, name, problem=(
                    f"there is no grading spec for assignment {name!r} (known: {', '.join(ASSIGNMENT_NAMES)}); "
                    "grade another assignment with --assignment NAME.")))
                continue
            subs.append(_pick(student, name, files, f"{student}/{name}/"))
        # deeper files are not submissions (e.g. data files copied into a submission folder)
    if unknown:
        raise UsageError(f"cannot tell which assignment {len(unknown)} notebook(s) belong to (e.g. {unknown[0]}): "
                         f"pass --assignment NAME, one of: {', '.join(ASSIGNMENT_NAMES)}.")
    # Two submissions mapping to the same result file would overwrite each other's results.
    seen: dict[str, Submission] = {}
    for s in subs:
        fname = f"{rep.safe_name(s.student)}__{rep.safe_name(s.assignment)}"
        if fname in seen:
            raise UsageError(f"two submissions map to the same student and assignment ({s.student!r}, "
                             f"{s.assignment}): {seen[fname].path} and {s.path}; rename one of the folders.")
        seen[fname] = s
    return subs, root


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
    from autograder.grading.engine import grade
    from autograder.grading.verdict import ExerciseResult, GradeReport, Status

    assignment = get_assignment(sub.assignment)
    try:
        reports = [grade(path, assignment, notebook_name=file, run="hidden", key=key, backend=backend or "auto")
                   for file, path in sub.paths.items()]
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
    except Exception as exc:  # noqa: BLE001 (the run must go on; the message names the bug)
        tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
        return {"status": "error", "error": f"internal grader error: {type(exc).__name__}: {exc}",
                "internal_error": True, "traceback": "".join(tb[-6:]), "score": 0.0,
                "max_score": _max_score(sub.assignment), "exercises": []}
    keep = ("name", "points", "max_points", "passed", "misconception", "feedback", "status", "cases_passed",
            "cases_total", "notebook")
    return {"status": d["status"], "error": d.get("error"), "score": d["score"], "max_score": d["max_score"],
            "backend": d.get("backend"), "exercises": [{k: e.get(k) for k in keep} for e in d["exercises"]]}


def _max_score(assignment: str) -> float:
    try:
        return get_assignment(assignment).max_score
    except Exception:  # no spec: the error message already says so
        return 0.0


def result_path(out: Path, sub: Submission) -> Path:
    return out / "results" / f"{rep.safe_name(sub.student)}__{rep.safe_name(sub.assignment)}.json"


def load_result(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing, or damaged by hand: grade again
    return data if isinstance(data, dict) and isinstance(data.get("exercises"), list) else None


class _Stop:
    """Set on Ctrl-C/kill: a sandbox killed by the same signal must not be recorded as a crash."""

    event = threading.Event()


def _digest(sub: Submission) -> str:
    h = hashlib.sha256()
    for file, path in sorted(sub.paths.items()):
        h.update(f"{file}\n".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _grade_one(sub: Submission, out: Path, secret: str, force: bool, backend: str | None,
               engine: Callable[[Submission, str, str | None], dict]) -> dict:
    """Grade (or reuse) one submission and write its result file; never raises (except on stop)."""
    t0 = time.perf_counter()
    version = grader_version(sub.assignment) if sub.assignment in ASSIGNMENT_NAMES else "none"
    base = {"student": sub.student, "assignment": sub.assignment,
            "notebook": ", ".join(p.name for p in sub.paths.values()) or None,
            "path": str(sub.path.resolve()) if sub.path else None}
    if sub.problem:
        result = {**base, "status": "error", "error": sub.problem, "score": 0.0, "max_score": _max_score(sub.assignment),
                  "exercises": [], "sha256": None}
    else:
        key = f"{secret}/{sub.student}"
        try:
            digest, read_error = _digest(sub), None
        except OSError as exc:
            digest, read_error = None, f"cannot read {sub.path.name}: {exc.strerror or exc}."
        rpath = result_path(out, sub)
        old = None if force or digest is None else load_result(rpath)
        if (old is not None and old.get("sha256") == digest and old.get("grader_version") == version
                and old.get("key_digest") == _key_digest(key) and not old.get("internal_error")):
            old.update(cached=True, path=base["path"])
            return old
        if digest is None:
            result = {**base, "status": "error", "error": read_error, "score": 0.0,
                      "max_score": _max_score(sub.assignment), "exercises": [], "sha256": None}
        else:
            result = {**base, "sha256": digest, **engine(sub, key, backend)}
            if sub.notes:
                result["note"] = " ".join(sub.notes)
    if _Stop.event.is_set():
        raise KeyboardInterrupt  # its sandbox may have died from the signal: do not record it
    result.update(grader_version=version, key_digest=_key_digest(f"{secret}/{sub.student}"), cached=False,
                  seconds=round(time.perf_counter() - t0, 3), graded_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    # As soon as it is graded, atomically: a kill at any moment loses at most the submissions in flight.
    rep.atomic_write_text(result_path(out, sub), json.dumps(result, indent=2, ensure_ascii=False) + "\n")
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
    """Grade ``subs`` with ``jobs`` parallel workers, writing ``out/results/`` as it goes.

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
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade")
    futures: dict = {}
    try:
        futures = {pool.submit(_grade_one, s, out, secret, force, backend, engine): s for s in subs}
        for fut in as_completed(futures):
            sub = futures[fut]
            try:
                res = fut.result()
            except KeyboardInterrupt:
                continue
            except Exception as exc:  # noqa: BLE001 (e.g. the disk is full: report it, keep going)
                res = {"student": sub.student, "assignment": sub.assignment,
                       "notebook": sub.path.name if sub.path else None, "status": "error",
                       "error": f"internal grader error: {type(exc).__name__}: {exc}", "internal_error": True,
                       "score": 0.0, "max_score": _max_score(sub.assignment), "exercises": [], "cached": False}
            run.results[sub.key] = res
            if on_result is not None:
                on_result(sub, res)
    except KeyboardInterrupt:
        run.interrupted = True
        _Stop.event.set()
        pool.shutdown(wait=False, cancel_futures=True)
    finally:
        pool.shutdown(wait=not run.interrupted)
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
        s["feedback_html"] = rep.feedback_path(s.get("student", ""), s.get("assignment", ""))
        rep.write_feedback(s, out)
    summary = rep.summarize(subs)
    rep.write_grades_csv(subs, out / "grades.csv")
    rep.write_class_report(subs, out, title="Autograder class report", summary=summary)
    rep.write_json_report(subs, json_path, summary=summary, **extra)
    return subs, summary
