"""The grading engine: student code in, trusted verdicts out.

For one notebook and one assignment:

1. extract the student's definitions (:mod:`autograder.extract`);
2. draw the test inputs of every exercise from a seeded ``rng`` (different seeds for the visible
   run in the notebook and the hidden run at grading) and compute the reference results here,
   on the trusted side;
3. run all the student's calls in ONE sandboxed process (:mod:`autograder.sandbox`): each call
   sees the reference versions of the *other* graded functions, so one mistake costs the points of
   one function only; the reference of the function under test is wired to a tripwire, so a
   function that just calls it is caught;
4. compare every result with the reference (:mod:`autograder.compare`) and, when it is wrong,
   with the known mistakes of the exercise, and write the feedback.

A crash that kills the sandboxed process (``os._exit``, a memory bomb) costs the function that
was running: the engine starts a new process for the calls that had not run yet.
"""

from __future__ import annotations

import copy
import hashlib
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from autograder import sandbox
from autograder.assignments import get_assignment
from autograder.compare import compare
from autograder.extract import StudentCode, SubmissionError, extract_code, load_notebook
from autograder.spec import Assignment, Case, Exercise

__all__ = ["ExerciseResult", "GradeReport", "case_rng", "grade_notebook", "grade_nb", "grade_code"]

#: More restarts than this after crashes and the remaining exercises are marked as not graded.
MAX_RESTARTS = 8

#: Packages that graded functions never need and that cost seconds to import in a fresh sandbox:
#: the harness serves inert stubs for them (a stray ``plt.plot`` inside a function does nothing).
STUB_MODULES = ("matplotlib", "ipywidgets", "IPython", "tqdm", "autograder")


@dataclass
class ExerciseResult:
    """The verdict on one graded function (the fields of the JSON report)."""

    name: str
    points: float
    max_points: float
    passed: bool
    misconception: str | None
    feedback: str
    status: str = "passed"  # passed | wrong | error | timeout | crashed | missing | delegated
    cases_passed: int = 0
    cases_total: int = 0


@dataclass
class GradeReport:
    """The verdict on one notebook."""

    assignment: str
    notebook: str
    status: str  # graded | error
    error: str | None = None
    exercises: list[ExerciseResult] = field(default_factory=list)
    backend: str | None = None

    @property
    def score(self) -> float:
        return float(sum(e.points for e in self.exercises))

    @property
    def max_score(self) -> float:
        return float(sum(e.max_points for e in self.exercises))

    def to_dict(self) -> dict:
        d = asdict(self)
        d["score"], d["max_score"] = self.score, self.max_score
        return d


def case_rng(assignment: str, exercise: str, run: str, key: str = "") -> np.random.Generator:
    """The generator of one exercise's inputs: a stable function of its names, the run ("visible"
    or "hidden") and a key (for the hidden run, a course secret and the student's id)."""
    digest = hashlib.sha256(f"{assignment}/{exercise}/{run}/{key}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "little"))


def grade_notebook(path: str | Path, assignment: str | Assignment, **kw) -> GradeReport:
    """Grade one notebook file; problems with the file become ``status="error"``, never exceptions."""
    assignment = get_assignment(assignment) if isinstance(assignment, str) else assignment
    try:
        nb = load_notebook(path)
    except SubmissionError as exc:
        return GradeReport(assignment.name, Path(path).name, "error", str(exc))
    return grade_nb(nb, assignment, notebook=Path(path).name, **kw)


def grade_nb(nb: dict, assignment: str | Assignment, *, notebook: str = "notebook", **kw) -> GradeReport:
    """Grade a parsed notebook (a dict as :func:`autograder.extract.parse_notebook` returns)."""
    assignment = get_assignment(assignment) if isinstance(assignment, str) else assignment
    return grade_code(extract_code(nb), assignment, notebook=notebook, **kw)


@dataclass
class _Call:
    id: str
    exercise: Exercise
    case: Case
    expected: Any


def _calls_for(assignment: Assignment, run: str, key: str, only: set[str] | None) -> list[_Call]:
    calls = []
    for ex in assignment.exercises:
        if only is not None and ex.name not in only:
            continue
        for i, case in enumerate(ex.cases(case_rng(assignment.name, ex.name, run, key))):
            expected = None if ex.check else ex.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            calls.append(_Call(f"{ex.name}-{i}", ex, case, expected))
    return calls


def grade_code(student: StudentCode, assignment: Assignment, *, notebook: str = "notebook", run: str = "hidden",
               key: str = "", only: set[str] | None = None, limits: sandbox.Limits | None = None,
               backend: str | None = None) -> GradeReport:
    """Grade extracted student code against every exercise of ``assignment`` (or those in ``only``)."""
    calls = _calls_for(assignment, run, key, only)
    present = set(student.defined)
    to_run = [c for c in calls if c.exercise.name in present]
    outcomes, used_backend = _run_in_sandbox(student, assignment, to_run, limits, backend)
    report = GradeReport(assignment.name, notebook, "graded", backend=used_backend)
    for ex in assignment.exercises:
        if only is not None and ex.name not in only:
            continue
        ex_calls = [c for c in calls if c.exercise is ex]
        if ex.name not in present:
            report.exercises.append(ExerciseResult(ex.name, 0.0, float(ex.points), False, None,
                                                   student.missing_message(ex.name), "missing", 0, len(ex_calls)))
            continue
        report.exercises.append(_verdict(ex, ex_calls, outcomes, student))
    return report


# ----------------------------------------------------------------------------- sandbox runs
def _run_in_sandbox(student: StudentCode, assignment: Assignment, calls: list[_Call], limits, backend):
    """Run the calls, restarting after a crash without the exercise that crashed.

    Returns ``{call id: outcome dict}`` (see :mod:`autograder.harness`) and the backend used.
    """
    outcomes: dict[str, dict] = {}
    refs = {ex.name: ex.reference_path for ex in assignment.exercises}
    pending = list(calls)
    used = None
    for _ in range(MAX_RESTARTS + 1):
        if not pending:
            break
        with tempfile.TemporaryDirectory(prefix="nnkit-grade-") as tmp:
            jobdir = Path(tmp)
            sandbox.prepare_job(jobdir, student.source, [
                sandbox.Call(c.id, c.exercise.name, tuple(c.case.args), dict(c.case.kwargs), c.exercise.timeout_s,
                             # the other graded functions are the references while this one is graded
                             replace={n: p for n, p in refs.items() if n != c.exercise.name},
                             tripwire=refs[c.exercise.name])
                for c in pending
            ], stub_modules=STUB_MODULES)
            lim = limits or sandbox.Limits()
            wall = min(lim.wall_s, 5.0 + sum(c.exercise.timeout_s for c in pending))
            result = sandbox.run_job(jobdir, limits=sandbox.replace_limits(lim, wall_s=wall), backend=backend or "auto")
            used = result.backend
            for r in result.results:
                outcomes[r["id"]] = r
        done = {c.id for c in pending if c.id in outcomes}
        rest = [c for c in pending if c.id not in done]
        if not rest:
            break
        # The first call without a result is the one that was running when the process died.
        culprit = rest[0]
        reason = result.killed_reason or (f"the process exited with code {result.returncode}")
        if result.load_error:
            for c in rest:
                outcomes[c.id] = {"id": c.id, "status": "error", **result.load_error}
            break
        outcomes[culprit.id] = {"id": culprit.id, "status": "crashed", "error_message": reason}
        pending = [c for c in rest if c.exercise is not culprit.exercise]
        for c in rest:
            if c.exercise is culprit.exercise and c is not culprit:
                outcomes[c.id] = {"id": c.id, "status": "skipped"}
    for c in pending:
        outcomes.setdefault(c.id, {"id": c.id, "status": "crashed", "error_message": "too many crashes"})
    return outcomes, used


# ----------------------------------------------------------------------------- verdicts
def _hint(ex: Exercise, text: str) -> str:
    for pattern, hint in ex.error_hints:
        if re.search(pattern, text):
            return " " + hint
    return ""


def _failure(ex: Exercise, call: _Call, out: dict, student: StudentCode) -> tuple[str, str]:
    """``(status, message)`` for one call, or ``("passed", "")``."""
    status = out.get("status")
    label = call.case.label
    if status == "ok":
        if out.get("delegated"):
            return "delegated", (f"`{ex.name}` calls nnkit's reference implementation instead of computing the "
                                 "result itself; that earns no points. Write the computation with numpy.")
        got = out.get("value")
        if ex.check is not None:
            msg = ex.check(call.case, got)
            return ("wrong", f"On the case {label}: {msg}") if msg else ("passed", "")
        mm = compare(call.expected, got, ex.tolerance, names=ex.returns)
        return ("wrong", f"On the case {label}: {mm.message}") if mm else ("passed", "")
    if status == "timeout":
        return "timeout", (f"`{ex.name}` did not finish within {ex.timeout_s:g} s on the case {label}: look for "
                           "an infinite loop (a while loop whose condition never changes) or a huge loop count.")
    if status in ("error", "missing"):
        where = student.locate(out.get("lineno"))
        err = f"{out.get('error_type', 'Error')}: {out.get('error_message', '')}".strip()
        msg = f"On the case {label}, `{ex.name}` raised {err}" + (f" ({where})" if where else "") + "."
        return "error", msg + _hint(ex, err)
    if status == "skipped":
        return "skipped", ""
    return "crashed", (f"On the case {label}, `{ex.name}` stopped the grading process "
                       f"({out.get('error_message', 'crash')}). Remove calls such as exit() or huge allocations.")


def _matches_variant(variant, calls: list[_Call], outcomes: dict, tol) -> bool:
    """Does the known-wrong ``variant`` behave like the student's function on every case?

    On each case both must return equal results, or both must raise the same type of exception
    (a mistake such as updating ``b`` with ``dw`` makes later code raise); at least one case must
    return a result, so two functions that always crash are not taken for the same mistake.
    """
    returned = 0
    for c in calls:
        out = outcomes.get(c.id, {})
        try:
            expected = variant(*copy.deepcopy(c.case.args), **copy.deepcopy(c.case.kwargs))
        except Exception as exc:
            if out.get("status") == "error" and out.get("error_type") == type(exc).__name__:
                continue
            return False
        if out.get("status") != "ok" or compare(expected, out.get("value"), tol) is not None:
            return False
        returned += 1
    return returned > 0


def _verdict(ex: Exercise, calls: list[_Call], outcomes: dict, student: StudentCode) -> ExerciseResult:
    failures = []
    n_passed = 0
    for c in calls:
        status, msg = _failure(ex, c, outcomes.get(c.id, {"status": "crashed"}), student)
        if status == "passed":
            n_passed += 1
        elif msg:
            failures.append((status, msg))
    total = len(calls)
    if not failures and n_passed == total:
        notes = ""
        if any(outcomes.get(c.id, {}).get("inputs_modified") for c in calls):
            notes = (" Note: it modifies its input arrays in place (e.g. w -= ...); that is allowed here but "
                     "can surprise the caller: prefer w = w - ....")
        return ExerciseResult(ex.name, float(ex.points), float(ex.points), True, None,
                              f"`{ex.name}` passed all {total} test cases.{notes}", "passed", n_passed, total)
    status, first = failures[0]
    misconception, feedback = None, first
    if status in ("wrong", "error") and ex.check is None:
        for mis in ex.misconceptions:
            if _matches_variant(mis.variant, calls, outcomes, ex.tolerance):
                misconception = mis.label
                feedback = f"Likely mistake ({mis.label}): {mis.feedback} Details: {first}"
                break
    if status == "delegated":
        misconception = "calls-reference"
    summary = f"`{ex.name}` failed {total - n_passed} of {total} test cases. "
    return ExerciseResult(ex.name, 0.0, float(ex.points), False, misconception, summary + feedback, status,
                          n_passed, total)
