"""The ``autograder`` command line: ``check`` one notebook, ``grade`` a class.

``autograder check NOTEBOOK [--assignment NAME]``
    For a student or a self-learner: grades the notebook on the public hidden test inputs (student
    code in the sandbox) and prints each function's verdict, points, feedback and named
    misconception, then the total. The instructor's grader draws other hidden inputs, from the
    course secret, which the student does not have. Exit status: 0 when every function passes, 1
    when some fail, 2 when the notebook cannot be graded (damaged file) or the command is used
    wrongly, 3 when the grader itself fails (a bug to report, not the student's fault).

``autograder progress [FOLDER]``
    For a self-learner: grades their own notebooks as ``check`` does and shows, for every
    assignment and graded function, passed, failed (with the named mistake) or not started, the
    points and the total, and what to do next (:mod:`autograder.frontends.progress`).

``autograder grade PATH [--jobs N] [--json REPORT] [--out DIR] [--assignment NAME] [--force] [--executor dask [--scheduler ADDRESS]]``
    For an instructor: grades every submitted notebook under PATH in parallel (``--jobs N`` > 1: in N
    worker processes, each with a warm sandbox, :mod:`autograder.frontends.worker_processes`) and writes, under
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
    grader version (a hash of the grader, nnkit and that assignment's content) are unchanged, unless ``--force``;
    so an interrupted run loses nothing already graded. The hidden inputs of each student come from
    the course secret (:mod:`autograder.frontends.secret`: ``<course>/.autograder/secret``, created
    at first use), never from a command-line option or the environment. A damaged notebook, or even a bug in the
    grader, is reported for that submission only. ``--executor dask`` grades on a Dask cluster
    (:mod:`autograder.frontends.dask_executor`; this process still writes every file). The output
    folder is checked writable before anything is graded and locked for the run
    (:mod:`autograder.frontends.locks`); a save that fails (disk full) stops the run at once, keeping
    every result saved before it. Exit status: 0 when the run completed (some submissions may have
    errors: see the summary), 2 for bad usage (PATH missing, no notebooks, Dask not installed),
    5 when isolation is refused (see ``doctor``), 6 when another run holds the output folder (its pid
    is named), 7 when the output folder cannot be written (read-only, uncreatable, disk full),
    130 when interrupted.

``autograder autograde ASSIGNMENT [--course DIR] [--jobs N] [--force] [--student ID ...]``
    For an instructor using nbgrader: ``nbgrader autograde`` in parallel, into the same gradebook
    (:mod:`autograder.frontends.parallel_autograde`, which documents its exit statuses).

``autograder secret rotate [COURSE]`` / ``autograder secret where [COURSE]``
    Replace the course secret with a new one (new hidden inputs; every cached result is graded
    again), or say where it is kept and its fingerprint (never the secret itself).

``autograder doctor [--summary]``
    Says what isolation this machine gives student code (each sandbox backend: works, or why not
    and the fix; Landlock ABI; seccomp; user namespaces; pids cgroup). Exit status 0 when strong
    isolation is available. ``check`` and ``grade`` refuse to run (exit status 5, with the reason
    and the fix) when the strongest isolation this machine should give fails, unless
    ``--allow-weak-isolation`` (or an explicit ``--backend``) says otherwise.

``python -m autograder`` runs the same command line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import textwrap
import threading
import time
from pathlib import Path

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment
from autograder.frontends import executors
from autograder.frontends import report as rep
from autograder.frontends import secret as course_secret
from autograder.frontends.cli_support import (EXIT_BUSY, EXIT_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED,
                                              EXIT_ISOLATION, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE, backend_kw,
                                              check_assignment, err, marks)
from autograder.frontends.grade_command import cmd_grade
from autograder.frontends.safe_text import terminal_text
from autograder.frontends.batch import UsageError, discover, grader_version, infer_assignment
from autograder.isolation.errors import SandboxUnavailable

__all__ = ["main", "run", "build_parser",
           # what the subcommands share, re-exported for callers of the command line
           "discover", "grader_version", "infer_assignment", "UsageError", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE",
           "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_ISOLATION", "EXIT_BUSY", "EXIT_OUTPUT"]




def cmd_check(args) -> int:
    path = Path(args.notebook)
    if not os.path.lexists(path) or path.is_dir():  # a link or a pipe is refused, with its reason, when read
        raise UsageError(f"{path} does not exist or is not a file.")
    name = check_assignment(args.assignment) if args.assignment else infer_assignment(path)
    if name is None:
        raise UsageError(f"cannot tell which assignment {path.name} belongs to (neither its folder nor its name "
                         f"matches one): pass --assignment NAME, one of: {', '.join(ASSIGNMENT_NAMES)}.")
    from autograder.grading.bounded import start_file
    from autograder.grading.sandboxes import ONE_SHOT_PARALLEL, sandbox_pool

    # the sandbox starts first (nothing here has imported numpy yet) and boots while this process imports
    # the engine; the notebook is read in a child started before that import, and the references are
    # computed while the sandbox boots or runs the student's calls
    sandboxes = sandbox_pool([name], 1, backend_kw(args)["backend"], parallel=ONE_SHOT_PARALLEL, many=False)
    sandboxes.prestart(wait_spawned=True)
    reading = start_file(path)
    from autograder.grading.engine import grade

    assignment = get_assignment(name)
    print(f"Grading {terminal_text(path.name)} as {name} ({assignment.title}) on the hidden tests...", flush=True)
    t0 = time.perf_counter()
    try:
        result = grade(reading, assignment, run="hidden", key="", backend=sandboxes).to_dict()
    except SandboxUnavailable as exc:  # refusing to run student code with too little isolation: say why
        err(str(exc))
        return EXIT_ISOLATION
    except Exception as exc:  # noqa: BLE001 (a bug of the grader, not of the notebook: say so plainly)
        err(f"internal grader error (not a problem with your notebook): {type(exc).__name__}: {exc}")
        return EXIT_INTERNAL
    finally:
        sandboxes.close()
    seconds = time.perf_counter() - t0
    if args.json:
        rep.atomic_write_text(args.json, json.dumps({**result, "seconds": round(seconds, 3)}, indent=2) + "\n")
    ok, ko = marks(sys.stdout)
    if result["status"] != "graded":
        print(f"\n{ko} This notebook could not be graded:")
        print(textwrap.indent(textwrap.fill(terminal_text(result.get("error") or "unknown error"), 96), "    "))
        return EXIT_USAGE
    width = max((len(e["name"]) for e in result["exercises"]), default=8)
    print()
    for ex in result["exercises"]:
        mark = ok if ex["passed"] else ko
        pts = f"{rep.fmt_points(ex['points'])}/{rep.fmt_points(ex['max_points'])}"
        print(f"{mark} {ex['name']:<{width}}  {pts:>5}")
        if ex.get("misconception"):
            print(f"      misconception: {terminal_text(ex['misconception'])}")
        # the feedback quotes the student's own messages and values: no escape sequence reaches the terminal
        for para in terminal_text(ex.get("feedback") or "", keep_newlines=True).splitlines() or [""]:
            print(textwrap.fill(para, 100, initial_indent="      ", subsequent_indent="      "))
    passed = sum(1 for e in result["exercises"] if e["passed"])
    print(f"\nTotal: {rep.fmt_points(result['score'])} / {rep.fmt_points(result['max_score'])}"
          f"  ({passed} of {len(result['exercises'])} functions pass, {seconds:.1f} s)")
    print("These were the public hidden inputs: the instructor's grader draws its own hidden inputs from a course "
          "secret, so they differ (a function right for every input passes both).")
    return EXIT_OK if passed == len(result["exercises"]) else EXIT_FAILED


# ----------------------------------------------------------------------------- grade
def cmd_secret(args) -> int:
    place = Path(args.course)
    if not place.is_dir():
        raise UsageError(f"{place} is not a folder: give the course folder (the one with nbgrader_config.py).")
    path = course_secret.secret_path(place)
    try:
        if args.action == "rotate":
            old = course_secret.load_secret(path, create=False) if path.exists() else None
            new = course_secret.rotate_secret(path)
            print(f"New {terminal_text(new)}" + (f", replacing {old.fingerprint}" if old else "") + ".")
            print("Every student's hidden inputs changed: the next `autograder grade` and `nbgrader autograde --force` "
                  "grade every submission again (cached results no longer match).")
        else:
            where = "this course" if course_secret.course_root(place) else "submissions outside any course"
            if path.exists():
                print(f"The {terminal_text(course_secret.load_secret(path, create=False))} is used for {where}.")
            else:
                print(f"No secret yet for {where}: the first grading creates {terminal_text(path)} (mode 0600).")
    except course_secret.SecretError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


# ----------------------------------------------------------------------------- doctor
def cmd_doctor(args) -> int:
    from autograder.frontends import doctor

    return doctor.main(summary_only=args.summary, start=not args.no_start)


# ----------------------------------------------------------------------------- parser and entry point
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograder",
        description="Trusted autograder of the nnkit course: student code runs in a sandbox, results are "
                    "compared outside it, and feedback names the likely misconception.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    backend = dict(choices=("auto", "bwrap", "landlock", "unconfined"), default="auto",
                   help="sandbox backend (default: auto, the strongest that works here; `autograder doctor` says "
                        "which that is and why)")
    weak = dict(action="store_true", help="if the strongest isolation this machine should give fails (e.g. bubblewrap "
                "installed but blocked by AppArmor), grade with the next one instead of refusing")

    p = sub.add_parser("check", help="grade one notebook and print the feedback (for students)",
                       description="Grade one notebook on the hidden tests and print each function's feedback. "
                                   "Exit status: 0 all pass, 1 some fail, 2 the notebook cannot be graded.")
    p.add_argument("notebook", help="the notebook (.ipynb) to grade")
    p.add_argument("--assignment", "-a", metavar="NAME",
                   help=f"assignment name (default: inferred from the folder or file name; one of {', '.join(ASSIGNMENT_NAMES)})")
    p.add_argument("--json", metavar="PATH", help="also write the result as JSON to PATH")
    p.add_argument("--backend", **backend)
    p.add_argument("--allow-weak-isolation", **weak)
    p.set_defaults(func=cmd_check)

    from autograder.frontends import progress as _progress  # `autograder progress`, for self-learners

    _progress.add_parser(sub, backend, weak)

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
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--backend", **backend)
    p.add_argument("--allow-weak-isolation", **weak)
    executors.add_arguments(p)
    p.set_defaults(func=cmd_grade)

    from autograder.frontends import parallel_autograde  # `autograder autograde`, nbgrader's autograde in parallel

    parallel_autograde.add_parser(sub, backend)

    p = sub.add_parser("doctor", help="say what isolation this machine gives student code, and why",
                       description="Check each sandbox backend (bubblewrap, Landlock, ...) and print what works, what "
                                   "does not, why, and the fix. Exit status 0 when strong isolation is available.")
    p.add_argument("--summary", action="store_true", help="one paragraph only (what `make test` prints)")
    p.add_argument("--no-start", action="store_true", help="do not start a sandbox to check (facts only)")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("secret", help="rotate or locate the course secret behind the hidden inputs (for instructors)",
                       description="The course secret makes every student's hidden inputs unpredictable. It is kept "
                                   "in <course>/.autograder/secret (mode 0600), or for submissions outside a course in "
                                   "$XDG_STATE_HOME/nnkit-autograder/secret; it is never printed.")
    p.add_argument("action", choices=("rotate", "where"),
                   help="rotate: replace it by a new one (all submissions are graded again); where: say where it is")
    p.add_argument("course", nargs="?", default=".", help="the course folder (default: the current folder)")
    p.set_defaults(func=cmd_secret)
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
        err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if previous is not None:  # main() may be called from a program with its own handler
            signal.signal(signal.SIGTERM, previous)


def run() -> int:
    """The program (``autograder`` and ``python -m autograder``): :func:`main`, then the process ends.

    Before it ends, every object is moved out of the collector's sight (``gc.freeze``): the
    interpreter's last collections would otherwise walk all of them (numpy, the references, the
    results) only to let the process exit, about 20 ms of every ``autograder check``. Nothing is lost:
    what needs cleaning up was closed by the command itself, and ``atexit`` handlers still run.
    Only the program does this; :func:`main` called in a long-lived process (tests) does not.
    """
    import gc

    status = main()
    gc.freeze()
    return status


if __name__ == "__main__":
    sys.exit(run())
