"""The ``autograder`` command line: ``check`` one notebook, ``grade`` a class.

``autograder check NOTEBOOK [--assignment NAME]``
    For a student or a self-learner: grades the notebook on the hidden test inputs (student code
    in the sandbox) and prints each function's verdict, points, feedback and named misconception,
    then the total. Exit status: 0 when every function passes, 1 when some fail, 2 when the
    notebook cannot be graded (damaged file) or the command is used wrongly, 3 when the grader
    itself fails (a bug to report, not the student's fault).

``autograder grade PATH [--jobs N] [--json REPORT] [--out DIR] [--assignment NAME] [--force]``
    For an instructor: grades every submitted notebook under PATH in parallel and writes, under
    ``--out`` (default ``<course>/autograder-report`` for an nbgrader course, else
    ``./autograder-report``)::

        results/<student>__<assignment>.json   one file per submission, written as soon as it is graded
        feedback/<student>/<assignment>.html   the student's feedback page
        grades.csv                             one row per submission, one column per function
        report.html + *.png                    class report: scores, misconceptions, pass rates
        report.json (or --json REPORT)         every submission, with a summary

    PATH may be an nbgrader course (``submitted/<student>/<assignment>/<notebook>.ipynb``), its
    ``submitted/`` folder, a folder of ``<student>/<notebook>.ipynb`` or a flat folder of
    ``<student>.ipynb``. A rerun reuses the result of every submission whose notebook bytes and
    grader version (a hash of the autograder and nnkit sources) are unchanged, unless ``--force``;
    so an interrupted run loses nothing already graded. A damaged notebook, or even a bug in the
    grader, is reported for that submission only. Exit status: 0 when the run completed (some
    submissions may have errors: see the summary), 2 for bad usage (PATH missing, no notebooks),
    130 when interrupted.

``python -m autograder`` runs the same command line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
import textwrap
import threading
import time
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from autograder import report as rep
from autograder.assignments import ASSIGNMENT_NAMES, get_assignment

__all__ = ["main", "build_parser", "Submission", "discover", "infer_assignment", "grader_version"]

#: Version of the result-file format; a change invalidates the cached results like a grader change.
RESULT_FORMAT = 1
#: Environment variable holding the course secret mixed into the hidden inputs (per student).
SECRET_ENV = "AUTOGRADER_SECRET"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    """Bad usage of the command line: printed as ``autograder: error: ...`` with exit status 2."""


# ----------------------------------------------------------------------------- output helpers
def _can_print(text: str, stream) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def _marks(stream) -> tuple[str, str]:
    """✔/✘ when the terminal can show them, else ASCII (a Windows console or LANG=C pipe)."""
    return ("✔", "✘") if _can_print("✔✘–", stream) else ("PASS", "FAIL")


def _backend_kw(backend: str | None) -> dict:
    # "auto": the sandbox picks the strongest isolation that works on this machine.
    return {"backend": backend or "auto"}


def _err(msg: str) -> None:
    print(f"autograder: error: {msg}", file=sys.stderr)


# ----------------------------------------------------------------------------- assignments
def _notebook_names() -> dict[str, str]:
    """notebook file name -> assignment name, for the assignments that have a grading spec."""
    return {get_assignment(a).notebook: a for a in ASSIGNMENT_NAMES}


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


def _check_assignment(name: str) -> str:
    if name not in ASSIGNMENT_NAMES:
        raise UsageError(f"unknown assignment {name!r}; assignments with a grading spec: {', '.join(ASSIGNMENT_NAMES)}.")
    return name


# ----------------------------------------------------------------------------- check
def cmd_check(args) -> int:
    path = Path(args.notebook)
    if not path.is_file():
        raise UsageError(f"{path} does not exist or is not a file.")
    name = _check_assignment(args.assignment) if args.assignment else infer_assignment(path)
    if name is None:
        raise UsageError(f"cannot tell which assignment {path.name} belongs to (neither its folder nor its name "
                         f"matches one): pass --assignment NAME, one of: {', '.join(ASSIGNMENT_NAMES)}.")
    from autograder.engine import grade_notebook  # imported here: `--help` stays fast

    assignment = get_assignment(name)
    print(f"Grading {path.name} as {name} ({assignment.title}) on the hidden tests...", flush=True)
    t0 = time.perf_counter()
    try:
        result = grade_notebook(path, assignment, run="hidden", key="", **_backend_kw(args.backend)).to_dict()
    except Exception as exc:  # noqa: BLE001 (a bug of the grader, not of the notebook: say so plainly)
        _err(f"internal grader error (not a problem with your notebook): {type(exc).__name__}: {exc}")
        return EXIT_INTERNAL
    seconds = time.perf_counter() - t0
    if args.json:
        rep.atomic_write_text(args.json, json.dumps({**result, "seconds": round(seconds, 3)}, indent=2) + "\n")
    ok, ko = _marks(sys.stdout)
    if result["status"] != "graded":
        print(f"\n{ko} This notebook could not be graded:")
        print(textwrap.indent(textwrap.fill(result.get("error") or "unknown error", 96), "    "))
        return EXIT_USAGE
    width = max((len(e["name"]) for e in result["exercises"]), default=8)
    print()
    for ex in result["exercises"]:
        mark = ok if ex["passed"] else ko
        pts = f"{rep.fmt_points(ex['points'])}/{rep.fmt_points(ex['max_points'])}"
        print(f"{mark} {ex['name']:<{width}}  {pts:>5}")
        if ex.get("misconception"):
            print(f"      misconception: {ex['misconception']}")
        for para in str(ex.get("feedback") or "").splitlines() or [""]:
            print(textwrap.fill(para, 100, initial_indent="      ", subsequent_indent="      "))
    passed = sum(1 for e in result["exercises"] if e["passed"])
    print(f"\nTotal: {rep.fmt_points(result['score'])} / {rep.fmt_points(result['max_score'])}"
          f"  ({passed} of {len(result['exercises'])} functions pass, {seconds:.1f} s)")
    return EXIT_OK if passed == len(result["exercises"]) else EXIT_FAILED


# ----------------------------------------------------------------------------- discovery
@dataclass
class Submission:
    """One (student, assignment) to grade. ``path`` is None when discovery itself found a problem
    (``problem`` says what); ``note`` is shown with a graded result (e.g. an unexpected file name)."""

    student: str
    assignment: str
    path: Path | None
    problem: str | None = None
    note: str | None = None

    @property
    def key(self) -> str:
        return f"{self.student}__{self.assignment}"


def _skip(rel: Path) -> bool:
    # Jupyter's .ipynb_checkpoints and other hidden folders hold copies, not submissions.
    return any(part.startswith(".") for part in rel.parts)


def _pick(student: str, assignment: str, files: list[Path], loc: str) -> Submission:
    """Choose the notebook of one submission among the files of its folder."""
    expected = get_assignment(assignment).notebook
    exact = [f for f in files if f.name == expected]
    if exact:
        return Submission(student, assignment, exact[0])
    if len(files) == 1:
        return Submission(student, assignment, files[0],
                          note=f"graded {files[0].name}, although the notebook should be named {expected}.")
    names = ", ".join(sorted(f.name for f in files))
    return Submission(student, assignment, None,
                      problem=f"{loc} holds {len(files)} notebooks ({names}) and none is named {expected}: "
                              "keep only the notebook to grade, or rename it.")


def discover(path: str | Path, assignment: str | None = None, exclude: Path | None = None
             ) -> tuple[list[Submission], Path]:
    """Find the submissions under ``path``; returns them and the folder they were found in.

    Layouts (by depth below the submissions folder): ``<student>/<assignment>/<notebook>.ipynb``
    (nbgrader; ``path`` may be the course, whose ``submitted/`` is used), ``<student>/<notebook>.ipynb``
    and ``<student>.ipynb``. For the last two the assignment comes from ``assignment``, the folder's
    name, or (``<student>/<notebook>``) the notebook's name; :class:`UsageError` when it cannot be told.
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
        return [Submission(root.stem, name, root)], root.parent
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
                    subs.append(Submission(f.stem, default, f))
        elif len(folder) == 1:  # <student>/<notebook>.ipynb
            student = folder[0]
            if default is not None:
                subs.append(_pick(student, default, files, f"{student}/"))
                continue
            matched = [(by_nb_name[f.name], f) for f in files if f.name in by_nb_name]
            if not matched:
                unknown.append(f"{student}/{files[0].name}")
            subs.extend(Submission(student, a, f) for a, f in matched)
        elif len(folder) == 2:  # <student>/<assignment>/<notebook>.ipynb
            student, name = folder
            if assignment is not None and name != assignment:
                continue
            if name not in ASSIGNMENT_NAMES:
                subs.append(Submission(student, name, None, problem=(
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


# ----------------------------------------------------------------------------- grading one submission
_VERSION_CACHE: dict[str, str] = {}


def grader_version() -> str:
    """A hash of every source file of the ``autograder`` and ``nnkit`` packages.

    The grade of a notebook depends on the specs, the references, the comparison and the feedback
    texts, all of which live in these files; so any change there makes earlier results stale.
    """
    if "v" not in _VERSION_CACHE:
        import nnkit

        import autograder

        h = hashlib.sha256(f"format {RESULT_FORMAT}\n".encode())
        for pkg in (autograder, nnkit):
            base = Path(pkg.__file__).resolve().parent
            for f in sorted(base.rglob("*")):
                if f.is_file() and "__pycache__" not in f.parts and f.suffix in (".py", ".json", ".txt", ".npz", ".yml"):
                    h.update(f"{pkg.__name__}/{f.relative_to(base).as_posix()}\n".encode())
                    h.update(hashlib.sha256(f.read_bytes()).digest())
        _VERSION_CACHE["v"] = h.hexdigest()[:16]
    return _VERSION_CACHE["v"]


def _key_digest(key: str) -> str:
    # The secret itself is never written; its digest is enough to notice that it changed.
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _result_path(out: Path, sub: Submission) -> Path:
    return out / "results" / f"{rep.safe_name(sub.student)}__{rep.safe_name(sub.assignment)}.json"


def _load_result(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing, or damaged by hand: grade again
    return data if isinstance(data, dict) and isinstance(data.get("exercises"), list) else None


class _Stop:
    """Set on Ctrl-C/kill: a sandbox killed by the same signal must not be recorded as a crash."""

    event = threading.Event()


def _grade_one(sub: Submission, out: Path, version: str, secret: str, force: bool, backend: str | None) -> dict:
    """Grade (or reuse) one submission and write its result file; never raises (except on stop)."""
    t0 = time.perf_counter()
    base = {"student": sub.student, "assignment": sub.assignment,
            "notebook": sub.path.name if sub.path else None, "path": str(sub.path.resolve()) if sub.path else None}
    if sub.problem:
        result = {**base, "status": "error", "error": sub.problem, "score": 0.0, "max_score": _max_score(sub.assignment),
                  "exercises": [], "sha256": None}
    else:
        key = f"{secret}/{sub.student}"
        try:
            digest = hashlib.sha256(sub.path.read_bytes()).hexdigest()
        except OSError as exc:
            digest = None
            read_error = f"cannot read {sub.path.name}: {exc.strerror or exc}."
        rpath = _result_path(out, sub)
        old = None if force or digest is None else _load_result(rpath)
        if (old is not None and old.get("sha256") == digest and old.get("grader_version") == version
                and old.get("key_digest") == _key_digest(key) and not old.get("internal_error")):
            old.update(cached=True, path=base["path"])
            return old
        if digest is None:
            result = {**base, "status": "error", "error": read_error, "score": 0.0,
                      "max_score": _max_score(sub.assignment), "exercises": [], "sha256": None}
        else:
            result = {**base, "sha256": digest, **_run_engine(sub, key, backend)}
            result["notebook"] = base["notebook"]  # the file's real name, not the engine's idea of it
            if sub.note:
                result["note"] = sub.note
    if _Stop.event.is_set():
        raise KeyboardInterrupt  # its sandbox may have died from the signal: do not record it
    result.update(grader_version=version, key_digest=_key_digest(f"{secret}/{sub.student}"), cached=False,
                  seconds=round(time.perf_counter() - t0, 3), graded_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    # As soon as it is graded, atomically: a kill at any moment loses at most the submissions in flight.
    rep.atomic_write_text(_result_path(out, sub), json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result


def _max_score(assignment: str) -> float:
    try:
        return get_assignment(assignment).max_score
    except Exception:  # no spec: the error message already says so
        return 0.0


def _run_engine(sub: Submission, key: str, backend: str | None) -> dict:
    """The engine's report as a dict; a grader bug becomes this submission's error, not a crash."""
    from autograder.engine import grade_notebook

    try:
        d = grade_notebook(sub.path, sub.assignment, run="hidden", key=key, **_backend_kw(backend)).to_dict()
    except Exception as exc:  # noqa: BLE001 (the run must go on; the message names the bug)
        tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
        return {"status": "error", "error": f"internal grader error: {type(exc).__name__}: {exc}",
                "internal_error": True, "traceback": "".join(tb[-6:]), "score": 0.0,
                "max_score": _max_score(sub.assignment), "exercises": []}
    keep = ("name", "points", "max_points", "passed", "misconception", "feedback", "status", "cases_passed", "cases_total")
    return {"status": d["status"], "error": d.get("error"), "score": d["score"], "max_score": d["max_score"],
            "backend": d.get("backend"), "exercises": [{k: e.get(k) for k in keep} for e in d["exercises"]]}


# ----------------------------------------------------------------------------- grade
def _default_out(root: Path) -> Path:
    # Beside submitted/ in an nbgrader course (where an instructor looks for outputs), else here.
    if root.name == "submitted":
        return root.resolve().parent / "autograder-report"
    return Path.cwd() / "autograder-report"


def _all_results(out: Path) -> list[dict]:
    subs = []
    for f in sorted((out / "results").glob("*.json")):
        data = _load_result(f)
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


def cmd_grade(args) -> int:
    t_start = time.perf_counter()
    if args.assignment:
        _check_assignment(args.assignment)
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1.")
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"{path} does not exist.")
    explicit_out = Path(args.out) if args.out else None
    subs, root = discover(path, args.assignment, exclude=explicit_out)
    if not subs:
        what = f" for {args.assignment}" if args.assignment else ""
        raise UsageError(f"no notebooks found{what} under {path} (expected submitted/<student>/<assignment>/*.ipynb, "
                         "<student>/<notebook>.ipynb or <student>.ipynb).")
    out = (explicit_out or _default_out(root)).resolve()
    json_path = Path(args.json).resolve() if args.json else out / "report.json"
    (out / "results").mkdir(parents=True, exist_ok=True)
    version = grader_version()
    _Stop.event.clear()
    secret = os.environ.get(SECRET_ENV, "") if args.secret is None else args.secret
    import autograder.engine  # noqa: F401 (imported once here rather than by the worker threads at once)

    for name in {s.assignment for s in subs if s.assignment in ASSIGNMENT_NAMES}:
        get_assignment(name)  # import the specs once, before the worker threads need them

    print(f"Grading {len(subs)} submission(s) from {root} with {args.jobs} job(s); output in {out}", file=sys.stderr)
    results: dict[str, dict] = {}
    interrupted = False
    from tqdm import tqdm

    bar = tqdm(total=len(subs), desc="grading", unit="nb", file=sys.stderr, disable=args.quiet, dynamic_ncols=True)
    pool = ThreadPoolExecutor(max_workers=args.jobs, thread_name_prefix="grade")
    futures: dict = {}
    try:
        futures = {pool.submit(_grade_one, s, out, version, secret, args.force, args.backend): s for s in subs}
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
            results[sub.key] = res
            bar.set_postfix_str(f"{sub.student}: {'cached' if res.get('cached') else res['status']}", refresh=False)
            bar.update(1)
    except KeyboardInterrupt:
        interrupted = True
        _Stop.event.set()
        pool.shutdown(wait=False, cancel_futures=True)
    finally:
        bar.close()
        pool.shutdown(wait=not interrupted)
    grading_s = time.perf_counter() - t_start

    extra = {"grader_version": version, "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
             "source": str(root.resolve()), "jobs": args.jobs, "interrupted": interrupted,
             "timings": {"grading_s": round(grading_s, 3),
                         "graded_now": sum(1 for r in results.values() if not r.get("cached")),
                         "reused": sum(1 for r in results.values() if r.get("cached"))}}
    try:
        all_subs, summary = write_reports(out, json_path, results, extra)
    except KeyboardInterrupt:
        print("\nInterrupted while writing the reports; the graded results are kept in "
              f"{out / 'results'}: run the same command again to finish.", file=sys.stderr)
        return EXIT_INTERRUPTED
    _print_summary(out, json_path, results, all_subs, summary, time.perf_counter() - t_start)
    if interrupted:
        print(f"\nInterrupted: {len(results)} of {len(subs)} submissions done and saved. Run the same command "
              "again to grade the rest (finished ones are reused).", file=sys.stderr)
        if any(not f.done() for f in futures):
            # Submissions still in their sandbox would be thrown away anyway (see _Stop); waiting for
            # them could take a whole time limit. Exit now: the sandboxes die with this process
            # (bwrap --die-with-parent), and every finished result is already on disk.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED
    return EXIT_OK


def _print_summary(out: Path, json_path: Path, results: dict, all_subs: list[dict], summary: dict, seconds: float):
    run = list(results.values())
    graded = [r for r in run if r.get("status") == "graded"]
    errors = [r for r in run if r.get("status") != "graded"]
    reused = sum(1 for r in run if r.get("cached"))
    print(f"\nGraded {len(graded)}, errors {len(errors)} ({reused} reused unchanged, "
          f"{len(run) - reused} graded now) in {seconds:.1f} s.")
    for r in errors:
        print(f"  error: {r.get('student')} / {r.get('assignment')}: {r.get('error')}")
    if graded:
        mean = sum(float(r.get("score") or 0) for r in graded) / len(graded)
        maxs = {rep.fmt_points(r.get("max_score")) for r in graded}
        print(f"Mean score: {mean:.2f}" + (f" / {maxs.pop()}" if len(maxs) == 1 else ""))
    mis = Counter((e.get("name"), e.get("misconception")) for r in graded for e in r.get("exercises") or []
                  if e.get("misconception"))
    if mis:
        print("Most common misconceptions: " + ", ".join(f"{ex}: {m} ×{n}" for (ex, m), n in mis.most_common(5)))
    else:
        print("Most common misconceptions: none detected.")
    backends = Counter(r.get("backend") for r in graded if r.get("backend") and not r.get("cached"))
    if backends:
        print("Sandbox: " + ", ".join(f"{b} ×{n}" for b, n in backends.items()))
    if backends.get("fallback"):
        print("  Warning: bubblewrap was not usable, so student code ran in the weaker fallback sandbox "
              "(limits and an unprivileged uid, but no hidden files or network isolation; see "
              "autograder/sandbox.py). Install bubblewrap (e.g. apt-get install bubblewrap) for full isolation.")
    older = len(all_subs) - len(run)
    if older > 0:
        print(f"(The reports also include {older} earlier result(s) kept in {out / 'results'} that are not "
              "in this run; delete those files to drop them.)")
    print(f"Wrote: {json_path}\n       {out / 'grades.csv'}\n       {out / 'report.html'} (+ PNG plots)\n"
          f"       {out / 'feedback'}/<student>/<assignment>.html\n       {out / 'results'}/ (one file per submission)")


# ----------------------------------------------------------------------------- parser and entry point
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograder",
        description="Trusted autograder of the nnkit course: student code runs in a sandbox, results are "
                    "compared outside it, and feedback names the likely misconception.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    backend = dict(choices=("auto", "bwrap", "fallback"), default="auto",
                   help="sandbox backend (default: auto, the strongest that works here; see autograder.sandbox)")

    p = sub.add_parser("check", help="grade one notebook and print the feedback (for students)",
                       description="Grade one notebook on the hidden tests and print each function's feedback. "
                                   "Exit status: 0 all pass, 1 some fail, 2 the notebook cannot be graded.")
    p.add_argument("notebook", help="the notebook (.ipynb) to grade")
    p.add_argument("--assignment", "-a", metavar="NAME",
                   help=f"assignment name (default: inferred from the folder or file name; one of {', '.join(ASSIGNMENT_NAMES)})")
    p.add_argument("--json", metavar="PATH", help="also write the result as JSON to PATH")
    p.add_argument("--backend", **backend)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("grade", help="grade a class of submissions and write the reports (for instructors)",
                       description="Grade every submitted notebook under PATH in parallel and write feedback, "
                                   "grades.csv, report.html and a JSON report. Unchanged submissions are reused.")
    p.add_argument("path", help="an nbgrader course, its submitted/ folder, or a folder of <student>.ipynb "
                                "or <student>/<notebook>.ipynb")
    p.add_argument("--jobs", "-j", type=int, default=max(1, os.cpu_count() or 1), metavar="N",
                   help="submissions graded in parallel (default: the number of CPUs)")
    p.add_argument("--json", metavar="REPORT", help="path of the JSON report (default: OUT/report.json)")
    p.add_argument("--out", "-o", metavar="DIR",
                   help="output folder (default: <course>/autograder-report for an nbgrader course, "
                        "else ./autograder-report)")
    p.add_argument("--assignment", "-a", metavar="NAME", help="grade only this assignment (needed for a flat folder "
                                                             "whose name is not the assignment's)")
    p.add_argument("--force", action="store_true", help="grade again even the submissions whose result is up to date")
    p.add_argument("--secret", default=None, help=f"course secret mixed into the hidden inputs of each student "
                                                  f"(default: ${SECRET_ENV}; prefer the variable, it stays out of `ps`)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--backend", **backend)
    p.set_defaults(func=cmd_grade)
    return parser


def _on_sigterm(signum, frame):
    raise KeyboardInterrupt  # a `kill` ends the run like Ctrl-C: stop cleanly, keep what is graded


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return args.func(args)
    except UsageError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if previous is not None:  # main() may be called from a program with its own handler
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
