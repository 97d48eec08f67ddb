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
    course's configuration once, say what it holds (one "ready" line), then answer one JSON line per
    request read from stdin: ``{"student": ID}`` autogrades a student, ``{"report": true}`` lists the
    missing scores. Protocol lines go to the original stdout; anything else printed goes to stderr (the log).
    The worker grades in one warm sandbox of its own, started at its first student."""
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints must not break the protocol
    sys.stdout = sys.stderr
    os.chdir(course)  # as nbgrader run from the course folder

    def say(obj) -> None:
        answers.write(json.dumps(obj) + "\n")
        answers.flush()

    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps import NbGraderAPI

    from autograder.frontends.nbgrader_plugin import WarmSandboxes
    from autograder.frontends.nbgrader_resume import missing_scores
    from autograder.grading.engine import sandbox_pool

    cfg = load_course_config(Path(course))
    api = NbGraderAPI(config=cfg)
    cd = api.coursedir
    with Gradebook(cd.db_url, cd.course_id) as gb:
        try:
            gb.find_assignment(assignment)
            known = True
        except MissingEntry:
            known = False
    say({"ready": True, "assignment_known": known, "submitted": cd.submitted_directory})
    sandboxes = sandbox_pool((assignment,), 1, cfg.TrustedAutograde.get("backend", "auto"))
    api.config.TrustedAutograde.sandboxes = WarmSandboxes(sandboxes)  # the same engine, warm between students
    try:
        for line in sys.stdin:
            request = json.loads(line)
            if request.get("report"):
                say({"missing": [[m.student, m.reason] for m in missing_scores(
                    cd.db_url, cd.course_id, cd.root, assignment, cd.submitted_directory,
                    autograded=cd.autograded_directory)]})
                continue
            student, t0 = request["student"], time.perf_counter()
            r = api.autograde(assignment, student, force=force, create=True)
            log = r.get("log") or ""
            sys.stderr.write(log)
            say({"student": student, "success": bool(r.get("success")), "seconds": round(time.perf_counter() - t0, 3),
                 "skipped": "Skipping existing assignment" in log,
                 "errors": [ln for ln in log.splitlines() if "ERROR" in ln][-8:]})
    finally:
        sandboxes.close()
    return 0


class _Worker:
    """One worker process and its line protocol (see :func:`_worker_main`)."""

    def __init__(self, course: Path, assignment: str, force: bool, log):
        cmd = [sys.executable, "-m", "autograder.frontends.parallel_autograde", "--worker", str(course), assignment]
        self.proc = subprocess.Popen(cmd + (["--force"] if force else []), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=log, text=True, encoding="utf-8")
        self.ready: dict | None = None

    def read(self) -> dict | None:
        """The next answer, or None when the worker died."""
        try:
            line = self.proc.stdout.readline()
        except OSError:
            line = ""
        if not line:
            self.proc.wait()
            return None
        return json.loads(line)

    def wait_ready(self) -> dict | None:
        if self.ready is None:
            self.ready = self.read()
        return self.ready

    def ask(self, request: dict) -> dict | None:
        if self.wait_ready() is None:
            return None
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except OSError:
            self.proc.wait()
            return None
        return self.read()

    def close(self, kill: bool = False) -> None:
        if kill and self.proc.poll() is None:
            self.proc.terminate()  # its student stays "started": the next run grades it again
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait()


def autograde_class(make_worker, workers: list[_Worker], students: list[str], *, on_result=None) -> dict[str, dict]:
    """Autograde ``students``, each worker taking the next from a shared queue (so never two at once);
    returns student -> {"success", "seconds", "skipped", "errors"}. A worker that dies costs its current
    student (a failure, which the next run grades again); ``make_worker()`` starts one in its place."""
    todo: queue.Queue = queue.Queue()
    for s in students:
        todo.put(s)
    done: dict[str, dict] = {}
    lock, stop = threading.Lock(), threading.Event()

    def feed(slot: int) -> None:
        while not stop.is_set():
            try:
                student = todo.get_nowait()
            except queue.Empty:
                return
            res = workers[slot].ask({"student": student})
            if stop.is_set():
                return  # interrupted: its worker was stopped on purpose
            if res is None:  # the worker died (killed, out of memory): this student only, and a fresh worker
                res = {"student": student, "success": False, "seconds": 0.0, "skipped": False,
                       "errors": [f"the worker process grading it died (exit {workers[slot].proc.returncode}); "
                                  "the next run grades it again"]}
                with lock:
                    workers[slot] = make_worker()
            with lock:
                done[res.pop("student")] = res
            if on_result:
                on_result(student, res)

    threads = [threading.Thread(target=feed, args=(i,), daemon=True) for i in range(len(workers))]
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(0.5)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: no student starts any more, no worker is replaced
        stop.set()
        raise
    return done


# ----------------------------------------------------------------------------- the command
def _log_path(course: Path, assignment: str) -> Path:
    from autograder.frontends.safe_text import safe_name

    return course / ".autograder" / f"autograde-{safe_name(assignment)}.log"


def cmd_autograde(args) -> int:
    from autograder.frontends.nbgrader_resume import autograde_lock

    course = Path(args.course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise UsageError(f"{course} is not an nbgrader course (no nbgrader_config.py): run this from the course "
                         "folder, or pass --course DIR.")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1.")
    lock = autograde_lock(course, args.assignment)
    try:
        lock.acquire()
    except OutputError as exc:
        print(f"autograder: error: {terminal_text(exc)}", file=sys.stderr)
        return EXIT_BUSY if isinstance(exc, OutputBusy) else EXIT_USAGE
    log = open(_log_path(course, args.assignment), "ab")
    # The workers load the course's configuration (seconds of imports) while this process looks around.
    make = lambda: _Worker(course, args.assignment, args.force, log)  # noqa: E731
    workers = [make() for _ in range(args.jobs)]
    try:
        return _run(args, course, make, workers)
    finally:
        for w in workers:
            w.close(kill=True)
        log.close()
        lock.release()


def _run(args, course: Path, make, workers: list[_Worker]) -> int:
    from tqdm import tqdm

    ready = workers[0].wait_ready()
    if ready is None:
        raise UsageError(f"the worker could not load {course / 'nbgrader_config.py'}: see "
                         f"{_log_path(course, args.assignment)}.")
    if not ready["assignment_known"]:
        raise UsageError(f"the gradebook has no assignment {args.assignment!r}: run `nbgrader generate_assignment "
                         f"{args.assignment}` first.")
    found = sorted(Path(p).parent.name for p in glob.glob(str(course / ready["submitted"] / "*" /
                                                                glob.escape(args.assignment))) if os.path.isdir(p))
    unknown = sorted(set(args.student or ()) - set(found))
    if unknown:
        raise UsageError(f"no submission of {args.assignment} for {', '.join(map(repr, unknown))} in "
                         f"{course / ready['submitted']}.")
    students = [s for s in found if not args.student or s in args.student]
    while len(workers) > max(1, min(args.jobs, len(students))):
        workers.pop().close(kill=True)  # fewer students than workers
    print(f"Autograding {len(students)} submission(s) of {args.assignment} in {terminal_text(course)} with "
          f"{len(workers)} worker(s)" + (" (--force)" if args.force else ""), file=sys.stderr)
    bar = tqdm(total=len(students), desc="autograde", unit="student", file=sys.stderr, disable=args.quiet,
               dynamic_ncols=True)

    done: dict[str, dict] = {}

    def progress(student, res):
        done[student] = res
        bar.set_postfix_str(f"{terminal_text(student)}: {'ok' if res['success'] else 'failed'}", refresh=False)
        bar.update(1)

    t0 = time.perf_counter()
    interrupted = False
    try:
        autograde_class(make, workers, students, on_result=progress)
    except KeyboardInterrupt:
        interrupted = True
        for w in workers:
            w.close(kill=True)
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
    if interrupted:
        print("Interrupted: the students in progress are graded again by the next run (run the same command).",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    from autograder.frontends.nbgrader_resume import Missing, missing_report

    reporter = next((w for w in workers if w.proc.poll() is None), None) or make()
    answer = reporter.ask({"report": True}) or {"missing": [["?", "the gradebook could not be read (see the log)"]]}
    missing = [Missing(s, why) for s, why in answer["missing"]]
    for line in missing_report(args.assignment, missing, command=f"autograder autograde --course {course}"):
        print(terminal_text(line))
    return EXIT_FAILED if failed or missing else EXIT_OK


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--worker":
        sys.exit(_worker_main(sys.argv[2], sys.argv[3], "--force" in sys.argv[4:]))
    sys.exit("usage: autograder autograde ASSIGNMENT (this module is its worker)")
