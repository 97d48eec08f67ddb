"""Resumable ``nbgrader autograde``: a submission whose grading did not finish is not done.

nbgrader 0.9.6 decides to skip a submission in ``BaseConverter.init_destination``: when
``autograded/<student>/<assignment>/`` exists and ``submitted/``'s ``timestamp.txt`` is not newer
than the copy's, the student is "done". A run killed while it processes a student leaves that
folder (the sanitized notebook and ``timestamp.txt``) with no scores in the gradebook (or with the
scores of the student's previous submission), and every later run skipped it: a wrong grade that
nothing flagged. nbgrader has no hook before that decision, so the kit records each student's
progress itself and removes unfinished copies before nbgrader looks:

- :func:`autograde_hooks` gives the ``Autograde.pre_convert_hook`` (run once nbgrader has decided to
  grade a student, before it writes anything: the state file says ``started``) and the
  ``post_convert_hook`` (run after every notebook of the student is graded, saved in the gradebook
  and made read-only: ``done``). State files: ``<course>/.autograder/autograde/<assignment>/<student>.json``
  (outside ``autograded/``, so ``generate_feedback`` never copies them to students).
- :class:`ResumableAutogradeExporter`, the ``Autograde.exporter_class`` set by
  :func:`~autograder.frontends.nbgrader_plugin.configure`, is built by nbgrader once per autograde
  run right before its loop over the students; it first removes (:func:`sweep_unfinished`) every
  autograded copy of the run's students that is not finished: state ``started``, or any other state
  (``done``, or none for copies made before the kit kept states) with a grade that has no score in
  the gradebook. nbgrader then grades those students again, by its own rules.
- :func:`missing_scores` lists the submissions of an assignment whose scores are missing; after
  ``nbgrader autograde`` (the command line: the exporter registers the report for the end of the
  process) and ``autograder autograde`` it is printed with the command that fixes it. The
  command-line run also takes the assignment's lock (:func:`autograde_lock`), so it never runs
  beside ``autograder autograde`` on the same assignment (two runs would grade a student twice at once).
"""

from __future__ import annotations

import atexit
import glob
import hashlib
import json
import os
import shlex
import time
from dataclasses import dataclass
from pathlib import Path

from nbconvert.exporters import NotebookExporter

from autograder.frontends.locks import OutputBusy, OutputError, OutputLock
from autograder.frontends.safe_text import safe_name

__all__ = ["ResumableAutogradeExporter", "autograde_hooks", "sweep_unfinished", "missing_scores", "Missing",
           "missing_report", "autograde_lock", "state_path", "read_state"]

STATE_DIR = ".autograder/autograde"


def state_path(course_root: str | Path, assignment: str, student: str) -> Path:
    """Where the progress of one (assignment, student) is recorded (a file name safe for any id)."""
    tag = hashlib.sha256(student.encode()).hexdigest()[:10]
    return Path(course_root) / STATE_DIR / safe_name(assignment) / f"{safe_name(student)[:80]}-{tag}.json"


def read_state(course_root: str | Path, assignment: str, student: str) -> str | None:
    """``"started"``, ``"done"`` or None (no state recorded, or unreadable)."""
    try:
        data = json.loads(state_path(course_root, assignment, student).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("state") if isinstance(data, dict) and data.get("student") == student else None


def _write_state(course_root: str, assignment: str, student: str, state: str) -> None:
    from autograder.frontends.report import atomic_write_text

    atomic_write_text(state_path(course_root, assignment, student),
                      json.dumps({"student": student, "assignment": assignment, "state": state, "pid": os.getpid(),
                                  "at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}) + "\n")


def _student_of(notebooks) -> tuple[str, str] | None:
    """(student, assignment) from nbgrader's list of ``<submitted>/<student>/<assignment>/<nb>.ipynb``."""
    for path in notebooks or []:
        p = Path(os.path.abspath(path))
        return p.parent.parent.name, p.parent.name
    return None


def autograde_hooks(course_root: str, guard=None):
    """The (pre, post) convert hooks of ``Autograde`` for a course; ``guard``: a pre-convert hook to run
    after the state is recorded (the kit's :func:`~autograder.frontends.nbgrader_plugin.submission_guard`)."""

    def pre(assignment=None, student=None, notebooks=None, **kw):
        who = _student_of(notebooks)  # nbgrader passes its glob as `student`; the paths name the student
        if who is not None:
            _write_state(course_root, who[1], who[0], "started")
        if guard is not None:
            guard(assignment=assignment, student=student, notebooks=notebooks, **kw)

    def post(assignment=None, student=None, notebooks=None, **kw):
        who = _student_of(notebooks)
        if who is not None:
            _write_state(course_root, who[1], who[0], "done")

    return pre, post


@dataclass(frozen=True)
class Missing:
    """A submission of ``assignment`` by ``student`` whose scores are missing, and why."""

    student: str
    reason: str


def _unscored(grades) -> int:
    return sum(1 for g in grades if g.auto_score is None and g.manual_score is None)


def missing_scores(db_url: str, course_id: str, course_root: str | Path, assignment: str,
                   submitted: str = "submitted", students: list[str] | None = None,
                   autograded: str = "autograded") -> list[Missing]:
    """Every submission of ``assignment`` (in ``submitted/`` or in the gradebook; only ``students`` if
    given) that has a grade without a score, or no entry in the gradebook at all."""
    from nbgrader.api import Gradebook, MissingEntry

    folder = Path(course_root) / submitted
    found = {p.parent.name for p in folder.glob(f"*/{glob.escape(assignment)}") if p.is_dir()}
    out = []
    with Gradebook(db_url, course_id) as gb:
        try:
            in_book = {s.student.id for s in gb.find_assignment(assignment).submissions}
        except MissingEntry:
            in_book = set()
        for student in sorted((found | in_book) if students is None else set(students)):
            state = read_state(course_root, assignment, student)
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                if student in found:
                    out.append(Missing(student, "submitted but not in the gradebook (never autograded, or "
                                                "stopped before it started)"))
                continue
            grades = [g for nb in sub.notebooks for g in nb.grades]
            n = _unscored(grades)
            if n:
                copy = Path(course_root) / autograded / student / assignment
                why = "autograde was interrupted while grading it" if state == "started" and copy.is_dir() else \
                    "autograde failed on it (see its log)"
                out.append(Missing(student, f"{n} of {len(grades)} grades have no score: {why}"))
    return out


def missing_report(assignment: str, missing: list[Missing], command: str = "nbgrader autograde") -> list[str]:
    """Lines telling the instructor which scores are missing and the command that fixes them."""
    if not missing:
        return []
    lines = [f"{len(missing)} submission(s) of {assignment} have missing scores in the gradebook (they count 0 in "
             "exports until graded):"]
    lines += [f"  {m.student!r}: {m.reason}" for m in missing]
    lines.append(f"Grade them again with `{command} {shlex.quote(assignment)}` (it resumes them), or one at a time "
                 f"with `nbgrader autograde {shlex.quote(assignment)} --student {shlex.quote(missing[0].student)} "
                 "--force`; if one fails again, its log says why.")
    return lines


def sweep_unfinished(course_root: str | Path, autograded: str | Path, assignment_glob: str, student_glob: str,
                     db_url: str, course_id: str, log=None) -> list[tuple[str, str]]:
    """Remove the autograded copy of every (student, assignment) matching the globs that is not
    finished (see the module docstring); returns the (student, assignment) pairs removed."""
    import shutil

    from nbgrader.api import Gradebook, MissingEntry

    removed = []
    copies = sorted(glob.glob(os.path.join(str(autograded), student_glob, assignment_glob)))
    if not copies:
        return removed
    with Gradebook(db_url, course_id) as gb:
        for dest in copies:
            if not os.path.isdir(dest) or os.path.islink(dest):
                continue
            student, assignment = Path(dest).parent.name, Path(dest).name
            state = read_state(course_root, assignment, student)
            if state != "started":  # done (or from before the kit kept states): finished if every grade has a score
                try:
                    sub = gb.find_submission(assignment, student)
                    if not _unscored([g for nb in sub.notebooks for g in nb.grades]):
                        continue
                except MissingEntry:
                    pass
            if log is not None:
                why = "unfinished (an interrupted autograde)" if state == "started" else "without scores in the gradebook"
                log.warning("The autograded copy of %s/%s is %s: grading it again", student, assignment, why)
            shutil.rmtree(dest)
            removed.append((student, assignment))
    return removed


def autograde_lock(course_root: str | Path, assignment: str) -> OutputLock:
    """The lock of one assignment's autograde in a course (held by one run at a time)."""
    folder = Path(course_root) / ".autograder"
    folder.mkdir(parents=True, exist_ok=True)
    return OutputLock(folder, name=f"autograde-{safe_name(assignment)}.lock",
                      hint="wait for it to finish (two runs would autograde a student twice at once)")


def _report_at_exit(log, db_url, course_id, root, assignment, submitted, lock) -> None:
    try:
        for line in missing_report(assignment, missing_scores(db_url, course_id, root, assignment, submitted)):
            log.warning(line)
    except Exception:  # noqa: BLE001 (a report must never turn a finished run into a crash)
        log.warning("Could not check the gradebook for missing scores", exc_info=True)
    finally:
        lock.release()


class ResumableAutogradeExporter(NotebookExporter):
    """nbgrader's notebook exporter, which ``Autograde`` builds once per run just before grading:
    it first removes unfinished autograded copies (see the module docstring). In the ``nbgrader
    autograde`` command line it also takes the assignment's lock and reports missing scores at exit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from nbgrader.apps.autogradeapp import AutogradeApp
        from nbgrader.converters import Autograde, NbGraderException

        converter = self.parent
        if not isinstance(converter, Autograde) or converter.coursedir is None:
            return
        cd = converter.coursedir
        root, assignment = cd.root, cd.assignment_id
        if isinstance(converter.parent, AutogradeApp) and glob.escape(assignment) == assignment:
            lock = autograde_lock(root, assignment)
            try:
                lock.acquire()
            except OutputError as exc:
                who = f" (pid {exc.pid})" if isinstance(exc, OutputBusy) and exc.pid else ""
                converter.log.error("Another autograde of %s is running in this course%s: %s", assignment, who, exc)
                raise NbGraderException(str(exc)) from None
            atexit.register(_report_at_exit, converter.log, cd.db_url, cd.course_id, root, assignment,
                            cd.submitted_directory, lock)
        if not converter.force:
            sweep_unfinished(root, Path(root) / cd.autograded_directory, assignment, cd.student_id, cd.db_url,
                             cd.course_id, converter.log)
