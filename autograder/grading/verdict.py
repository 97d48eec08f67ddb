"""What a set of case results means: points, status, the named mistake and the feedback.

The engine (sandboxed, trusted comparison) and the in-notebook checker (instant, in the student's
kernel) both turn the outcomes of one exercise's calls into an :class:`ExerciseResult` with
:func:`verdict`, so a student reads the same words in the notebook and in the grade report.

An :class:`Outcome` is what came back from one call of the student's function (plain data: the
value, or the exception's type, message and line); a :class:`CaseCall` is one case with the
reference's expected result. Statuses are typed (:class:`Status`); both are plain data, so they
serialize to the JSON report as strings.
"""

from __future__ import annotations

import copy
import re
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Callable

from autograder.grading.compare import Tolerance, compare
from autograder.grading.spec import Case, Exercise

__all__ = ["Status", "Outcome", "CaseCall", "ExerciseResult", "GradeReport", "verdict", "case_failure",
           "matches_variant", "UNAVAILABLE_ERROR"]

#: The exception type raised in the sandbox by a forbidden reference (see ``Exercise.forbid``).
UNAVAILABLE_ERROR = "ReferenceUnavailable"


class Status(str, Enum):
    """The verdict on one exercise (or one case). A ``str`` enum: ``Status.PASSED == "passed"``."""

    PASSED = "passed"
    WRONG = "wrong"          # returned, but not the right result
    ERROR = "error"          # raised an exception
    TIMEOUT = "timeout"      # did not finish in time
    CRASHED = "crashed"      # killed the grading process (exit, memory)
    MISSING = "missing"      # not defined in the notebook
    DELEGATED = "delegated"  # called the reference (or an nnkit function computing the same)
    MUTATED = "mutated"      # modified an argument in place
    SKIPPED = "skipped"      # not run (an earlier case of the same function timed out)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Outcome:
    """One call of the student's function, as reported from where it ran.

    ``status``: ``"ok"`` (``value`` holds the result), ``"error"``, ``"timeout"``, ``"missing"``,
    ``"crashed"`` or ``"skipped"``; ``lineno`` is a line of the extracted source;
    ``modified_inputs`` names the arguments the call changed in place (``"args[0]"``, ...).
    """

    status: str
    value: Any = None
    error_type: str | None = None
    error_message: str | None = None
    lineno: int | None = None
    modified_inputs: tuple[str, ...] = ()
    duration_s: float = 0.0

    @classmethod
    def from_dict(cls, d: dict) -> "Outcome":
        return cls(str(d.get("status", "crashed")), d.get("value"), d.get("error_type"), d.get("error_message"),
                   d.get("lineno"), tuple(d.get("modified_inputs") or ()), float(d.get("duration_s") or 0.0))


@dataclass(frozen=True)
class CaseCall:
    """One case of one exercise: a stable id, the inputs and the reference's result (None when the
    exercise is graded by a property ``check``)."""

    id: str
    exercise: Exercise
    case: Case
    expected: Any


@dataclass
class ExerciseResult:
    """The verdict on one graded function (the fields of the JSON report)."""

    name: str
    points: float
    max_points: float
    passed: bool
    misconception: str | None
    feedback: str
    status: Status = Status.PASSED
    cases_passed: int = 0
    cases_total: int = 0
    notebook: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["status"] = str(self.status)
        return d


@dataclass
class GradeReport:
    """The verdict on one submission of an assignment (one notebook, or several merged)."""

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
        d = {k: v for k, v in asdict(self).items() if k != "exercises"}
        d["exercises"] = [e.to_dict() for e in self.exercises]
        d["score"], d["max_score"] = self.score, self.max_score
        return d

    @classmethod
    def merge(cls, assignment: str, reports: list["GradeReport"]) -> "GradeReport":
        """One report for a submission made of several notebooks: graded when any notebook was."""
        errors = [f"{r.notebook}: {r.error}" for r in reports if r.error]
        graded = any(r.status == "graded" for r in reports)
        backends = {r.backend for r in reports if r.backend}
        return cls(assignment, ", ".join(r.notebook for r in reports), "graded" if graded else "error",
                   "; ".join(errors) or None, [e for r in reports for e in r.exercises],
                   backends.pop() if len(backends) == 1 else (", ".join(sorted(backends)) or None))


def _hint(ex: Exercise, text: str) -> str:
    for pattern, hint in ex.error_hints:
        if re.search(pattern, text):
            return " " + hint
    return ""


def case_failure(ex: Exercise, call: CaseCall, out: Outcome, locate: Callable[[int | None], str]
                 ) -> tuple[Status, str]:
    """``(status, message)`` for one call, or ``(Status.PASSED, "")``."""
    label = call.case.label
    if out.status == "ok":
        got = out.value
        if ex.check is not None:
            msg = ex.check(call.case, got)
            return (Status.WRONG, f"On the case {label}: {msg}") if msg else (Status.PASSED, "")
        mm = compare(call.expected, got, ex.tolerance, names=ex.returns)
        return (Status.WRONG, f"On the case {label}: {mm.message}") if mm else (Status.PASSED, "")
    if out.status == "timeout":
        return Status.TIMEOUT, (f"`{ex.name}` did not finish within {ex.timeout_s:g} s on the case {label}: look "
                                "for an infinite loop (a while loop whose condition never changes) or a huge loop count.")
    if out.status == "error" and out.error_type == UNAVAILABLE_ERROR:
        return Status.DELEGATED, (f"`{ex.name}` calls nnkit's reference implementation instead of computing the "
                                  f"result itself ({out.error_message or 'a forbidden function'}); that earns no "
                                  "points. Write the computation with numpy.")
    if out.status in ("error", "missing"):
        where = locate(out.lineno)
        err = f"{out.error_type or 'Error'}: {out.error_message or ''}".strip()
        msg = f"On the case {label}, `{ex.name}` raised {err}" + (f" ({where})" if where else "") + "."
        return Status.ERROR, msg + _hint(ex, err)
    if out.status == "skipped":
        return Status.SKIPPED, ""
    return Status.CRASHED, (f"On the case {label}, `{ex.name}` stopped the grading process "
                            f"({out.error_message or 'crash'}). Remove calls such as exit() or huge allocations.")


def matches_variant(variant: Callable, calls: list[CaseCall], outcomes: dict[str, Outcome], tol: Tolerance) -> bool:
    """Does the known-wrong ``variant`` behave like the student's function on every case?

    On each case both must return equal results, or both must raise the same type of exception
    (a mistake such as updating ``b`` with ``dw`` makes later code raise); at least one case must
    return a result, so two functions that always crash are not taken for the same mistake.
    """
    returned = 0
    for c in calls:
        out = outcomes.get(c.id, Outcome("crashed"))
        try:
            expected = variant(*copy.deepcopy(c.case.args), **copy.deepcopy(c.case.kwargs))
        except Exception as exc:
            if out.status == "error" and out.error_type == type(exc).__name__:
                continue
            return False
        if out.status != "ok" or compare(expected, out.value, tol) is not None:
            return False
        returned += 1
    return returned > 0


def verdict(ex: Exercise, calls: list[CaseCall], outcomes: dict[str, Outcome],
            locate: Callable[[int | None], str]) -> ExerciseResult:
    """The :class:`ExerciseResult` of ``ex`` from the outcomes of its ``calls`` (by call id)."""
    failures: list[tuple[Status, str]] = []
    n_passed = 0
    for c in calls:
        status, msg = case_failure(ex, c, outcomes.get(c.id, Outcome("crashed")), locate)
        if status is Status.PASSED:
            n_passed += 1
        elif msg:
            failures.append((status, msg))
    total = len(calls)
    if not failures and n_passed == total:
        notes = ""
        if any(outcomes.get(c.id, Outcome("crashed")).modified_inputs for c in calls):
            notes = (" Note: it modifies its input arrays in place (e.g. w -= ...); that is allowed here but "
                     "can surprise the caller: prefer w = w - ....")
        return ExerciseResult(ex.name, float(ex.points), float(ex.points), True, None,
                              f"`{ex.name}` passed all {total} test cases.{notes}", Status.PASSED, n_passed, total,
                              ex.notebook)
    status, first = failures[0] if failures else (Status.CRASHED, "no case could be run.")
    misconception, feedback = None, first
    if status in (Status.WRONG, Status.ERROR) and ex.check is None:
        for mis in ex.misconceptions:
            if matches_variant(mis.variant, calls, outcomes, ex.tolerance):
                misconception = mis.label
                feedback = f"Likely mistake ({mis.label}): {mis.feedback} Details: {first}"
                break
    if status is Status.DELEGATED:
        misconception = "calls-reference"
    summary = f"`{ex.name}` failed {total - n_passed} of {total} test cases. "
    return ExerciseResult(ex.name, 0.0, float(ex.points), False, misconception, summary + feedback, status,
                          n_passed, total, ex.notebook)
