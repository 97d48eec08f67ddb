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
import inspect
import re
import warnings
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Callable

import numpy as np

from autograder.grading.compare import Tolerance, TypeRules, compare
from autograder.grading.diagnose import diagnose
from autograder.grading.relations import finite as _finite
from autograder.grading.relations import walk_leaves
from autograder.grading.spec import Case, Exercise

__all__ = ["Status", "Outcome", "CaseCall", "ExerciseResult", "GradeReport", "verdict", "case_failure",
           "mutation_message", "matches_variant", "UNAVAILABLE_ERROR"]

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
    #: integrity flags for the instructor, not misconceptions: e.g. ``"calls-reference"``
    flags: list[str] = field(default_factory=list)

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
    #: what student code was seen trying while it ran (tampering attempts, reported by the sandbox)
    tamper: list[str] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        """Every integrity flag of the submission: the exercises' and the sandbox's."""
        return [f"{e.name}: {f}" for e in self.exercises for f in e.flags] + list(self.tamper)

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
        d["flags"] = self.flags
        return d

    @classmethod
    def merge(cls, assignment: str, reports: list["GradeReport"]) -> "GradeReport":
        """One report for a submission made of several notebooks: graded when any notebook was."""
        errors = [f"{r.notebook}: {r.error}" for r in reports if r.error]
        graded = any(r.status == "graded" for r in reports)
        backends = {r.backend for r in reports if r.backend}
        return cls(assignment, ", ".join(r.notebook for r in reports), "graded" if graded else "error",
                   "; ".join(errors) or None, [e for r in reports for e in r.exercises],
                   backends.pop() if len(backends) == 1 else (", ".join(sorted(backends)) or None),
                   list(dict.fromkeys(t for r in reports for t in r.tamper)))


def _hint(ex: Exercise, text: str) -> str:
    for pattern, hint, *_label in ex.error_hints:  # (pattern, hint) or (pattern, hint, label)
        if re.search(pattern, text):
            return " " + hint
    return ""


def _compare(ex: Exercise, call: CaseCall, got) -> str | None:
    """The failure message of one returned value (None when right); never raises."""
    try:
        if ex.check is not None:
            return ex.check(call.case, got)
        mm = compare(call.expected, got, ex.tolerance, names=ex.returns, rules=ex.types)
        return mm.message if mm else None
    except Exception as exc:  # a hostile or absurd value must fail its case, never crash the grader
        return f"the result could not be checked ({type(exc).__name__}); return plain numbers and numpy arrays."


def case_failure(ex: Exercise, call: CaseCall, out: Outcome, locate: Callable[[int | None], str]
                 ) -> tuple[Status, str]:
    """``(status, message)`` for the value (or error) of one call, or ``(Status.PASSED, "")``.

    Changed inputs are judged separately (:func:`mutation_message`)."""
    label = call.case.label
    if out.status == "ok":
        msg = _compare(ex, call, out.value)
        return (Status.WRONG, f"On the case {label}: {msg}") if msg else (Status.PASSED, "")
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


def _argument_names(ex: Exercise, modified: tuple[str, ...]) -> list[str]:
    """``("args[0]", "kwargs['v']")`` -> ``["w", "v"]`` using the reference's signature."""
    try:
        params = list(inspect.signature(ex.reference).parameters)
    except (TypeError, ValueError):
        params = []
    names = []
    for item in modified:
        m = re.fullmatch(r"args\[(\d+)\]", item)
        if m and int(m.group(1)) < len(params):
            names.append(params[int(m.group(1))])
            continue
        m = re.fullmatch(r"kwargs\[['\"](\w+)['\"]\]", item)
        names.append(m.group(1) if m else item)
    return names


def mutation_message(ex: Exercise, call: CaseCall, out: Outcome) -> str:
    """What to say when a call changed its arguments in place (empty when it did not)."""
    if not out.modified_inputs:
        return ""
    names = _argument_names(ex, out.modified_inputs)
    shown = ", ".join(f"`{n}`" for n in names)
    fixes = []
    for n in names:
        value = None
        try:
            bound = inspect.signature(ex.reference).bind(*call.case.args, **call.case.kwargs)
            value = bound.arguments.get(n)
        except (TypeError, ValueError):
            pass
        if isinstance(value, dict):
            fixes.append(f"{n} = copy.deepcopy({n})")
        elif isinstance(value, list):
            fixes.append(f"{n} = list({n})")
        else:
            fixes.append(f"{n} = {n}.copy()")
    return (f"On the case {call.case.label}, `{ex.name}` changed its argument{'s' if len(names) > 1 else ''} {shown} "
            "in place (e.g. `w -= ...`, `x *= ...`, or filling a dict that was passed in): the caller's data changes, "
            f"so later cells would see corrupted values. Work on a copy first ({'; '.join(fixes)}), or write "
            "`w = w - ...` instead of `w -= ...`.")


def matches_variant(variant: Callable, calls: list[CaseCall], outcomes: dict[str, Outcome], tol: Tolerance,
                    rules: TypeRules = TypeRules(), failed_ids: set[str] | None = None) -> bool:
    """Does the known-wrong ``variant`` explain the student's failing cases?

    On every failing case (``failed_ids``; all cases when None) both must return equal results, or
    both must raise the same type of exception (a mistake such as updating ``b`` with ``dw`` makes
    later code raise). A case the student passed need not agree (a mistake made only on some inputs
    is still that mistake). At least one case must return a result equal to the student's, so two
    functions that always crash are not taken for the same mistake.
    """
    returned = 0
    for c in calls:
        out = outcomes.get(c.id, Outcome("crashed"))
        failing = failed_ids is None or c.id in failed_ids
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                expected = variant(*copy.deepcopy(c.case.args), **copy.deepcopy(c.case.kwargs))
        except Exception as exc:
            if not failing or (out.status == "error" and out.error_type == type(exc).__name__):
                continue
            return False
        if not _finite(expected) and out.status == "ok":  # nan "equals" any nan: no evidence either way here
            continue
        try:
            same = out.status == "ok" and compare(expected, out.value, tol, rules=rules) is None
        except Exception:
            same = False
        if same:
            returned += 1
        elif failing:
            return False
    return returned > 0


def _variant_paths(variant: Callable, ex: Exercise, calls: list[CaseCall], outcomes: dict[str, Outcome],
                   failed: set[str]) -> set[str]:
    """The items of the result that the known mistake changes (on the first failing case it returns)."""
    for c in calls:
        if c.id not in failed or outcomes[c.id].status != "ok" or ex.check is not None:
            continue
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                wrong = variant(*copy.deepcopy(c.case.args), **copy.deepcopy(c.case.kwargs))
            return {p for p, e, v in walk_leaves(c.expected, wrong, "result", ex.returns)
                    if compare(e, v, ex.tolerance, path=p, rules=ex.types) is not None}
        except Exception:
            return set()
    return set()


def _details(ex: Exercise, calls: list[CaseCall], outcomes: dict[str, Outcome], failed: set[str],
             paths: set[str]) -> str | None:
    """The first failing case's difference AT one of ``paths`` (the items a named mistake is about),
    so the details of a mistake in ``b`` do not talk about ``w``."""
    if not paths:
        return None
    for c in calls:
        out = outcomes[c.id]
        if c.id not in failed or out.status != "ok" or ex.check is not None:
            continue
        try:
            for p, e, g in walk_leaves(c.expected, out.value, "result", ex.returns):
                if p in paths:
                    mm = compare(e, g, ex.tolerance, path=p, rules=ex.types)
                    if mm is not None:
                        return f"On the case {c.case.label}: {mm.message}"
        except Exception:
            return None
    return None


def verdict(ex: Exercise, calls: list[CaseCall], outcomes: dict[str, Outcome],
            locate: Callable[[int | None], str]) -> ExerciseResult:
    """The :class:`ExerciseResult` of ``ex`` from the outcomes of its ``calls`` (by call id).

    A case fails when its value is wrong (or it raised, timed out, crashed) or when it changed its
    arguments in place. A failing exercise is named, in order, by an enumerated misconception that
    explains its failing cases, by a relation between its results and the right ones
    (:mod:`autograder.grading.diagnose`), or by the in-place changes.
    """
    failures: list[tuple[Status, str]] = []
    mutations: list[str] = []
    failed_values: set[str] = set()
    n_passed = 0
    for c in calls:
        out = outcomes.get(c.id, Outcome("crashed"))
        status, msg = case_failure(ex, c, out, locate)
        mutated = mutation_message(ex, c, out) if status is not Status.SKIPPED else ""
        if status is Status.PASSED and not mutated:
            n_passed += 1
        if status is not Status.PASSED:
            failed_values.add(c.id)
            if msg:
                failures.append((status, msg))
        if mutated:
            mutations.append(mutated)
    total = len(calls)
    if n_passed == total:
        return ExerciseResult(ex.name, float(ex.points), float(ex.points), True, None,
                              f"`{ex.name}` passed all {total} test cases.", Status.PASSED, n_passed, total, ex.notebook)
    summary = f"`{ex.name}` failed {total - n_passed} of {total} test cases. "
    if not failures:  # the values are right, but the arguments were changed in place
        return ExerciseResult(ex.name, 0.0, float(ex.points), False, "modifies-its-input",
                              f"{summary}Likely mistake (modifies-its-input): {mutations[0]}", Status.MUTATED,
                              n_passed, total, ex.notebook)
    status, first = failures[0]
    misconception, feedback = None, first
    if all(outcomes.get(c.id, Outcome("crashed")).error_type == "NotImplementedError" for c in calls):
        return ExerciseResult(ex.name, 0.0, float(ex.points), False, None,
                              f"`{ex.name}` is not implemented yet: write your code in place of "
                              "`raise NotImplementedError()` in its answer cell, run that cell, then this one again.",
                              Status.ERROR, 0, total, ex.notebook)
    flags = []
    if status is Status.DELEGATED:  # an integrity matter for the instructor, not a misconception
        flags.append("calls-reference")
    elif status in (Status.WRONG, Status.ERROR):
        # also for exercises graded by a property check: their known mistakes are deterministic
        # given the case (e.g. a random function's draws come from the case's own streams), and a
        # variant must still equal the student's result on every failing case
        for mis in ex.misconceptions:
            if matches_variant(mis.variant, calls, outcomes, ex.tolerance, ex.types, failed_values):
                misconception = mis.label
                details = first if status is not Status.WRONG else _details(
                    ex, calls, outcomes, failed_values,
                    _variant_paths(mis.variant, ex, calls, outcomes, failed_values)) or first
                feedback = f"Likely mistake ({mis.label}): {mis.feedback} Details: {details}"
                break
        else:
            found = diagnose(ex, calls, outcomes, failed_values)
            if found is not None:
                misconception = found.label
                paths = set(re.findall(r"`(result[^`]*|[A-Za-z_]\w*(?:\[[^`]*\])?)`", found.message))
                details = first if status is not Status.WRONG else _details(
                    ex, calls, outcomes, failed_values, paths) or first
                feedback = f"Likely mistake ({found.label}): {found.message} Details: {details}"
    if mutations:
        feedback += " Also: " + mutations[0]
    return ExerciseResult(ex.name, 0.0, float(ex.points), False, misconception, summary + feedback, status,
                          n_passed, total, ex.notebook, flags)
