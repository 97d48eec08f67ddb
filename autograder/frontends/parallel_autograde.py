"""``autograder autograde ASSIGNMENT``: nbgrader's autograde of a whole class, in parallel, into the same gradebook.

``nbgrader autograde`` grades one student after another (nbgrader issue 174). Here ``--jobs`` worker
processes each load the course's ``nbgrader_config.py`` once, hold one ``NbGraderAPI``, and autograde
the students they take from a shared queue with nbgrader's own machinery (``NbGraderAPI.autograde``:
the same converter, sanitizing, restoring of test cells, trusted grading, ``SaveAutoGrades``, late
penalties and timestamps as the command line), so the gradebook, ``autograded/``, and everything
``generate_feedback`` and ``export`` do afterwards are exactly what ``nbgrader autograde`` gives.
Each student is taken by one worker only, so no student is ever autograded twice at once; the
gradebook's writes are short transactions (the kit's SQLite URL waits up to 60 s for a lock;
PostgreSQL needs nothing more).

Like ``nbgrader autograde`` (with the kit's configuration), a student already autograded is skipped
unless ``--force`` (or a newer ``timestamp.txt``), and a student whose grading was interrupted is
graded again (:mod:`autograder.frontends.nbgrader_resume`). The run holds the assignment's lock in
the course (``.autograder/autograde-<assignment>.lock``, shared with ``nbgrader autograde``), and
ends by listing every submission whose scores are missing, with the command that fixes it.

Exit status: 0 when every student was autograded (or was already done) and no score is missing;
1 when some failed or have missing scores (listed); 2 for bad usage (no course, unknown
assignment); 6 when another autograde of the assignment runs in the course; 130 when interrupted
(Ctrl-C, SIGTERM): the students in progress are graded again by the next run.
"""

from __future__ import annotations

import glob
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from autograder.frontends.discovery import UsageError
from autograder.frontends.locks import OutputBusy, OutputError
from autograder.frontends.safe_text import terminal_text

__all__ = ["add_parser", "cmd_autograde", "autograde_class", "load_course_config"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY, EXIT_INTERRUPTED = 0, 1, 2, 6, 130


def add_parser(sub, backend: dict) -> None:
    """Add the ``autograde`` subcommand to the ``autograder`` command line (``sub``: its subparsers)."""
    p = sub.add_parser("autograde", help="nbgrader autograde of a whole class in parallel (for instructors)",
                       description="Autograde every submitted/<student>/ASSIGNMENT/ of an nbgrader course in parallel, "
                                   "into its gradebook, exactly as `nbgrader autograde ASSIGNMENT` does.")
    p.add_argument("assignment", help="the nbgrader assignment id (e.g. 01_logistic_regression)")
    p.add_argument("--course", metavar="DIR", default=".",
                   help="the nbgrader course folder, holding nbgrader_config.py (default: the current folder)")
    p.add_argument("--jobs", "-j", type=int, default=max(1, os.cpu_count() or 1), metavar="N",
                   help="students autograded at once, each by its own worker process (default: the number of CPUs)")
    p.add_argument("--force", action="store_true", help="autograde again the students already autograded")
    p.add_argument("--student", action="append", metavar="ID", help="only this student (repeat for several)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_autograde)


def load_course_config(course: Path):
    """The course's nbgrader configuration, as ``nbgrader`` run from the course folder loads it."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    if not cfg.CourseDirectory.get("root"):
        cfg.CourseDirectory.root = str(course)
    return cfg


# ----------------------------------------------------------------------------- worker processes
def _worker_main(course: str, assignment: str, force: bool) -> int:
    """A worker process (``python -m autograder.frontends.parallel_autograde --worker ...``): load the
    configuration once, then autograde the students read from stdin (one JSON string a line), answering
    one JSON line each on the original stdout (anything else printed goes to stderr, the log)."""
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints must not break the protocol
    sys.stdout = sys.stderr
    os.chdir(course)  # as nbgrader run from the course folder
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=load_course_config(Path(course)))
    for line in sys.stdin:
        student = json.loads(line)
        t0 = time.perf_counter()
        r = api.autograde(assignment, student, force=force, create=True)
        log = r.get("log") or ""
        sys.stderr.write(log)
        answers.write(json.dumps({"student": student, "success": bool(r.get("success")),
                                  "seconds": round(time.perf_counter() - t0, 3),
                                  "skipped": "Skipping existing assignment" in log,
                                  "errors": [ln for ln in log.splitlines() if "ERROR" in ln][-8:]}) + "\n")
        answers.flush()
    return 0


def autograde_class(course: Path, assignment: str, students: list[str], *, jobs: int, force: bool,
                    on_result=None, log: Path | None = None) -> dict[str, dict]:
    """Autograde ``students`` with ``jobs`` worker processes (their logs appended to ``log``); returns
    student -> {"success", "seconds", "skipped", "errors"}. A worker that dies costs its current
    student (a failure, which the next run grades again); a new worker takes its place."""
    todo: queue.Queue = queue.Queue()
    for s in students:
        todo.put(s)
    done: dict[str, dict] = {}
    lock = threading.Lock()
    procs: list[subprocess.Popen] = []
    sink = open(log, "ab") if log else subprocess.DEVNULL
    cmd = [sys.executable, "-m", "autograder.frontends.parallel_autograde", "--worker", str(course), assignment] + \
          (["--force"] if force else [])

    def record(student, res):
        with lock:
            done[student] = res
        if on_result:
            on_result(student, res)

    def feed():
        proc = None
        try:
            while True:
                try:
                    student = todo.get_nowait()
                except queue.Empty:
                    return
                if proc is None:
                    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sink,
                                            text=True, encoding="utf-8")
                    with lock:
                        procs.append(proc)
                try:
                    proc.stdin.write(json.dumps(student) + "\n")
                    proc.stdin.flush()
                    line = proc.stdout.readline()
                except (BrokenPipeError, OSError):
                    line = ""
                if not line:  # the worker died (killed, out of memory): this student only, and a fresh worker
                    proc.wait()
                    record(student, {"success": False, "seconds": 0.0, "skipped": False,
                                     "errors": [f"the worker process grading it died (exit {proc.returncode}); "
                                                "the next run grades it again"]})
                    proc = None
                    continue
                res = json.loads(line)
                record(res.pop("student"), res)
        finally:
            if proc is not None:
                proc.stdin.close()
                proc.wait()

    threads = [threading.Thread(target=feed, daemon=True) for _ in range(max(1, min(jobs, len(students))))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(0.5)
    finally:
        with lock:
            for p in procs:
                if p.poll() is None:
                    p.terminate()  # interrupted: its student stays "started" and is graded again by the next run
        if log:
            sink.close()
    return done


# ----------------------------------------------------------------------------- the command
def _log_path(course: Path, assignment: str) -> Path:
    from autograder.frontends.safe_text import safe_name

    return course / ".autograder" / f"autograde-{safe_name(assignment)}.log"


def cmd_autograde(args) -> int:
    from nbgrader.api import Gradebook, MissingEntry

    from autograder.frontends.nbgrader_resume import autograde_lock, missing_report, missing_scores

    course = Path(args.course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise UsageError(f"{course} is not an nbgrader course (no nbgrader_config.py): run this from the course "
                         "folder, or pass --course DIR.")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1.")
    cfg = load_course_config(course)
    cd = cfg.CourseDirectory
    db_url, course_id = cd.get("db_url") or f"sqlite:///{course / 'gradebook.db'}", cd.get("course_id", "")
    submitted = cd.get("submitted_directory", "submitted")
    with Gradebook(db_url, course_id) as gb:
        try:
            gb.find_assignment(args.assignment)
        except MissingEntry:
            raise UsageError(f"the gradebook has no assignment {args.assignment!r}: run `nbgrader generate_assignment "
                             f"{args.assignment}` first.") from None
    found = sorted(Path(p).parent.name for p in glob.glob(str(course / submitted / "*" / glob.escape(args.assignment)))
                   if os.path.isdir(p))
    students = [s for s in found if not args.student or s in args.student]
    unknown = sorted(set(args.student or ()) - set(found))
    if unknown:
        raise UsageError(f"no submission of {args.assignment} for {', '.join(map(repr, unknown))} in "
                         f"{course / submitted}.")
    lock = autograde_lock(course, args.assignment)
    try:
        lock.acquire()
    except OutputError as exc:
        print(f"autograder: error: {terminal_text(exc)}", file=sys.stderr)
        return EXIT_BUSY if isinstance(exc, OutputBusy) else EXIT_USAGE
    try:
        return _run(args, course, students, db_url, course_id, submitted, missing_scores, missing_report)
    finally:
        lock.release()


def _run(args, course, students, db_url, course_id, submitted, missing_scores, missing_report) -> int:
    from tqdm import tqdm

    print(f"Autograding {len(students)} submission(s) of {args.assignment} in {terminal_text(course)} with "
          f"{min(args.jobs, max(1, len(students)))} worker(s)" + (" (--force)" if args.force else ""), file=sys.stderr)
    bar = tqdm(total=len(students), desc="autograde", unit="student", file=sys.stderr, disable=args.quiet,
               dynamic_ncols=True)

    def progress(student, res):
        bar.set_postfix_str(f"{terminal_text(student)}: {'ok' if res['success'] else 'failed'}", refresh=False)
        bar.update(1)

    t0 = time.perf_counter()
    interrupted = False
    try:
        done = autograde_class(course, args.assignment, students, jobs=args.jobs, force=args.force, on_result=progress,
                               log=_log_path(course, args.assignment))
    except KeyboardInterrupt:
        done, interrupted = {}, True
    finally:
        bar.close()
    seconds = time.perf_counter() - t0
    failed = {s: r for s, r in done.items() if not r["success"]}
    skipped = sum(1 for r in done.values() if r["success"] and r["skipped"])
    print(f"\nAutograded {len(done) - len(failed) - skipped}, already done {skipped}, failed {len(failed)} "
          f"of {len(students)} in {seconds:.1f} s.")
    for student, r in sorted(failed.items()):
        print(f"  failed: {terminal_text(student)}")
        for line in r["errors"]:
            print(f"      {terminal_text(line)[:300]}")
    if failed:
        print(f"  (nbgrader's whole log: {terminal_text(_log_path(course, args.assignment))})")
    missing = missing_scores(db_url, course_id, course, args.assignment, submitted)
    for line in missing_report(args.assignment, missing, command=f"autograder autograde --course {course}"):
        print(terminal_text(line))
    if interrupted:
        print("Interrupted: the students in progress are graded again by the next run (run the same command).",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_FAILED if failed or missing else EXIT_OK


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--worker":
        sys.exit(_worker_main(sys.argv[2], sys.argv[3], "--force" in sys.argv[4:]))
    sys.exit("usage: autograder autograde ASSIGNMENT (this module is its worker)")
