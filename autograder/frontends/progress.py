"""``autograder progress [FOLDER]``: where a self-learner stands, over every assignment of the course.

For each assignment, each of its notebooks and each graded function: passed, failed (with the
mistake the grader names), or not started (the notebook or the function is missing, or its answer
cell still holds the stub ``raise NotImplementedError()``); then the points and the total. The
notebooks are graded exactly as ``autograder check`` grades them (the learner's code runs in the
sandbox, on the public hidden inputs), all in one warm sandbox pool, two at a time.

FOLDER is where the learner's notebooks are: the course folder (holding ``assignments/``, the
default is the current folder), the ``assignments/`` folder itself, or one assignment's folder.
The notebook of assignment ``NN_name`` is looked for as ``FOLDER/assignments/NN_name/<file>``,
``FOLDER/NN_name/<file>`` and ``FOLDER/<file>``.
"""

from __future__ import annotations

import ast
import json
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.assignments import ASSIGNMENT_NAMES, get_assignment
from autograder.grading.extract import SubmissionError

if TYPE_CHECKING:  # (the verdicts import numpy: the command line is parsed without it)
    from autograder.grading.verdict import GradeReport

__all__ = ["State", "FunctionProgress", "NotebookProgress", "Progress", "find_notebook", "stubbed_functions",
           "collect", "format_progress", "add_parser", "cmd_progress"]

EXIT_OK, EXIT_USAGE, EXIT_ISOLATION = 0, 2, 5


class State(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_STARTED = "not started"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class FunctionProgress:
    """One graded function: its state, points, and the named mistake (or the feedback's first
    sentence) when it fails."""

    name: str
    state: State
    points: float
    max_points: float
    mistake: str | None = None


@dataclass
class NotebookProgress:
    """One notebook of an assignment: where it was found (None: not found), why it could not be
    graded (``error``), and its functions."""

    assignment: str
    file: str
    path: Path | None
    functions: list[FunctionProgress] = field(default_factory=list)
    error: str | None = None

    @property
    def points(self) -> float:
        return sum(f.points for f in self.functions)

    @property
    def max_points(self) -> float:
        return sum(f.max_points for f in self.functions)


@dataclass
class Progress:
    """Every notebook of every assignment, in course order, and the seconds grading took."""

    notebooks: list[NotebookProgress]
    seconds: float = 0.0

    def count(self, state: State) -> int:
        return sum(f.state is state for nb in self.notebooks for f in nb.functions)

    @property
    def points(self) -> float:
        return sum(nb.points for nb in self.notebooks)

    @property
    def max_points(self) -> float:
        return sum(nb.max_points for nb in self.notebooks)

    def next_step(self) -> tuple[NotebookProgress, FunctionProgress] | None:
        """The first function, in course order, that does not pass yet."""
        for nb in self.notebooks:
            for f in nb.functions:
                if f.state is not State.PASSED:
                    return nb, f
        return None

    def to_dict(self) -> dict:
        return {"points": self.points, "max_points": self.max_points, "seconds": round(self.seconds, 3),
                "notebooks": [{**asdict(nb), "path": str(nb.path) if nb.path else None,
                               "functions": [{**asdict(f), "state": str(f.state)} for f in nb.functions]}
                              for nb in self.notebooks]}


# ----------------------------------------------------------------------------- finding and grading
def find_notebook(folder: Path, assignment: str, file: str) -> Path | None:
    """The learner's copy of notebook ``file`` of ``assignment`` under ``folder`` (see the module doc)."""
    for candidate in (folder / "assignments" / assignment / file, folder / assignment / file, folder / file):
        if candidate.is_file():
            return candidate
    return None


def _is_stub(stmt: ast.stmt) -> bool:
    exc = stmt.exc if isinstance(stmt, ast.Raise) else None
    if isinstance(exc, ast.Call):
        exc = exc.func
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


def stubbed_functions(source: str) -> set[str]:
    """Names of the top-level functions of ``source`` whose (last) definition still raises
    ``NotImplementedError`` directly in its body: the answer cell was not filled in."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    last = {stmt.name: stmt for stmt in tree.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return {name for name, fn in last.items() if any(_is_stub(s) for s in fn.body)}


def _first_sentence(text: str) -> str:
    head = text.split(". ")[0].rstrip(".")
    return head if len(head) <= 160 else head[:157] + "..."


def _from_report(nb: NotebookProgress, report: GradeReport, stubs: set[str]) -> None:
    from autograder.grading.verdict import Status

    if report.status != "graded":
        nb.error = report.error or "the notebook could not be graded"
    graded = {e.name: e for e in report.exercises}
    for ex in get_assignment(nb.assignment).notebook(nb.file).exercises:
        r = graded.get(ex.name)
        if r is None or r.status is Status.MISSING or (ex.name in stubs and not r.passed):
            nb.functions.append(FunctionProgress(ex.name, State.NOT_STARTED, 0.0, float(ex.points)))
        elif r.passed:
            nb.functions.append(FunctionProgress(ex.name, State.PASSED, r.points, r.max_points))
        else:
            # the named mistake, else the first sentence after the "failed N of M" summary
            detail = r.feedback.split(" test cases. ", 1)[-1]
            nb.functions.append(FunctionProgress(ex.name, State.FAILED, r.points, r.max_points,
                                                 r.misconception or _first_sentence(detail)))


def _grade_one(nb: NotebookProgress, pool) -> NotebookProgress:
    from autograder.grading import bounded
    from autograder.grading.engine import grade
    from autograder.grading.verdict import GradeReport

    assignment = get_assignment(nb.assignment)
    if nb.path is None:
        nb.functions = [FunctionProgress(ex.name, State.NOT_STARTED, 0.0, float(ex.points))
                        for ex in assignment.notebook(nb.file).exercises]
        return nb
    try:
        student = bounded.extract_file(nb.path)
    except SubmissionError as exc:
        report = GradeReport(assignment.name, nb.file, "error", str(exc))
        _from_report(nb, report, set())
        return nb
    report = grade(student, assignment, notebook_name=nb.file, run="hidden", key="", backend=pool,
                   only={ex.name for ex in assignment.notebook(nb.file).exercises})
    _from_report(nb, report, stubbed_functions(student.source))
    return nb


def collect(folder: str | Path, *, backend: str = "auto", allow_weak: bool = False, jobs: int = 2) -> Progress:
    """The learner's :class:`Progress` from the notebooks under ``folder`` (graded in the sandbox)."""
    from autograder.grading.engine import sandbox_pool

    folder = Path(folder)
    start = time.perf_counter()
    notebooks = [NotebookProgress(a, f, find_notebook(folder, a, f))
                 for a in ASSIGNMENT_NAMES for f in get_assignment(a).notebook_files]
    found = [nb for nb in notebooks if nb.path is not None]
    if not found:
        return Progress([_grade_one(nb, None) for nb in notebooks], time.perf_counter() - start)
    jobs = max(1, min(jobs, len(found)))
    with sandbox_pool(sorted({nb.assignment for nb in found}), jobs, backend, allow_weak=allow_weak) as pool:
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="progress") as threads:
            list(threads.map(lambda nb: _grade_one(nb, pool if nb.path else None), notebooks))
    return Progress(notebooks, time.perf_counter() - start)


# ----------------------------------------------------------------------------- output
def _pts(x: float) -> str:
    return f"{x:g}"


def format_progress(progress: Progress, *, marks: tuple[str, str, str] = ("✔", "✘", "·"), folder: str = ".") -> str:
    """The report printed by ``autograder progress``."""
    ok, ko, todo = marks
    lines = []
    width = max((len(f.name) for nb in progress.notebooks for f in nb.functions), default=8)
    for name in ASSIGNMENT_NAMES:
        mine = [nb for nb in progress.notebooks if nb.assignment == name]
        got, of = sum(nb.points for nb in mine), sum(nb.max_points for nb in mine)
        lines.append(f"{name}  {get_assignment(name).title}  {_pts(got)}/{_pts(of)}")
        for nb in mine:
            where = nb.path if nb.path is not None else "not found: copy it from the course's assignments/ folder"
            lines.append(f"  {nb.file} ({where})")
            if nb.error:
                lines.append(textwrap.fill(f"could not be graded: {nb.error}", 100, initial_indent="    ",
                                           subsequent_indent="      "))
            for f in nb.functions:
                mark = {State.PASSED: ok, State.FAILED: ko, State.NOT_STARTED: todo}[f.state]
                note = f"  {f.mistake}" if f.mistake else ("  not started" if f.state is State.NOT_STARTED else "")
                lines.append(f"    {mark} {f.name:<{width}}  {_pts(f.points):>3}/{_pts(f.max_points):<3}{note}".rstrip())
        lines.append("")
    passed, failed, todo_n = (progress.count(s) for s in (State.PASSED, State.FAILED, State.NOT_STARTED))
    lines.append(f"Total: {_pts(progress.points)} / {_pts(progress.max_points)} points; {passed} functions pass, "
                 f"{failed} fail, {todo_n} not started ({progress.seconds:.1f} s).")
    step = progress.next_step()
    if step is None:
        lines.append("Every graded function passes: the course is done.")
    else:
        nb, f = step
        where = nb.path if nb.path is not None else f"{nb.assignment}/{nb.file}"
        verb = "fix" if f.state is State.FAILED else "write"
        lines.append(f"Next: {verb} `{f.name}` in {where}, then run its test cell (or `autograder check` on the notebook).")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- command line
def add_parser(sub, backend: dict, weak: dict) -> None:
    """Add the ``progress`` subcommand to the ``autograder`` command line (``sub``: its subparsers)."""
    p = sub.add_parser("progress", help="show a learner's progress over every assignment (for self-learners)",
                       description="Grade your own notebooks, as `autograder check` does, and show for every "
                                   "assignment and graded function: passed, failed (with the named mistake) or "
                                   "not started, and the total.")
    p.add_argument("folder", nargs="?", default=".",
                   help="the course folder (default: here), its assignments/ folder, or one assignment's folder")
    p.add_argument("--json", metavar="PATH", help="also write the progress as JSON to PATH")
    p.add_argument("--jobs", "-j", type=int, default=2, metavar="N", help="notebooks graded at once (default 2)")
    p.add_argument("--backend", **backend)
    p.add_argument("--allow-weak-isolation", **weak)
    p.set_defaults(func=cmd_progress)


def cmd_progress(args) -> int:
    from autograder.frontends.safe_text import terminal_text
    from autograder.isolation.probe import SandboxUnavailable

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"autograder: error: {terminal_text(folder)} is not a folder: give the course folder (the one with "
              "assignments/), or the folder holding your notebooks.", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs < 1:
        print("autograder: error: --jobs must be at least 1.", file=sys.stderr)
        return EXIT_USAGE
    try:
        progress = collect(folder, backend=args.backend or "auto", allow_weak=args.allow_weak_isolation, jobs=args.jobs)
    except SandboxUnavailable as exc:
        print(f"autograder: error: {terminal_text(str(exc))}", file=sys.stderr)
        return EXIT_ISOLATION
    if all(nb.path is None for nb in progress.notebooks):
        print(f"autograder: error: no notebook of the course under {terminal_text(folder)} (looked for "
              f"assignments/NN_name/<notebook>.ipynb, NN_name/<notebook>.ipynb and <notebook>.ipynb).",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        "✔✘·".encode(getattr(sys.stdout, "encoding", None) or "utf-8")
        marks = ("✔", "✘", "·")
    except (UnicodeEncodeError, LookupError):
        marks = ("PASS", "FAIL", "TODO")
    print(terminal_text(format_progress(progress, marks=marks), keep_newlines=True))
    if args.json:
        Path(args.json).write_text(json.dumps(progress.to_dict(), indent=2) + "\n", encoding="utf-8")
    return EXIT_OK
