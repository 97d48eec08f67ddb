"""Instant feedback inside the notebook: ``grader = Checker("01_logistic_regression")``, then
``grader.check("propagate", propagate)``.

The visible test cells of every assignment call :meth:`Checker.check`. It runs the student's
function on the exercise's visible cases *in the student's own kernel* (so it is instant), with
the reference versions of the other graded functions in place, and prints the same verdict and
feedback the trusted grader would give. It is feedback, not grading: the score comes from
:mod:`autograder.grading.engine`, which runs the code in a sandbox on different (hidden) cases.
"""

from __future__ import annotations

import copy
import importlib
import io
import time
import types
import warnings
from contextlib import redirect_stdout

import numpy as np

from autograder.assignments import get_assignment
from autograder.grading.engine import case_calls
from autograder.grading.spec import Assignment
from autograder.grading.verdict import ExerciseResult, Outcome, verdict

__all__ = ["Checker", "ExerciseFailed", "evaluate"]


class ExerciseFailed(AssertionError):
    """Raised by a visible test when the function is not right yet (the message says why)."""


def _resolve(path: str):
    module, qual = path.split(":")
    obj = importlib.import_module(module)
    for part in qual.split("."):
        obj = getattr(obj, part)
    return obj


def _same(a, b) -> bool:
    """Is ``b`` still the plain data ``a`` (arrays, numbers, dicts, lists, tuples)? Used to see whether
    a call changed an argument in place."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b or (a != a and b != b)


def _with_references(func, replacements: dict):
    """A copy of ``func`` whose global names in ``replacements`` point at the reference functions."""
    if not isinstance(func, types.FunctionType):
        return func
    glob = dict(func.__globals__)
    glob.update(replacements)
    clone = types.FunctionType(func.__code__, glob, func.__name__, func.__defaults__, func.__closure__)
    clone.__kwdefaults__ = func.__kwdefaults__
    return clone


def evaluate(assignment: Assignment, name: str, func, run: str = "visible", key: str = "") -> ExerciseResult:
    """Run ``func`` here (in this process) on the cases of exercise ``name`` and return the verdict,
    with the reference versions of the other graded functions and of the provided helpers in place."""
    ex = assignment.exercise(name)
    refs = {n: _resolve(path) for n, path in assignment.provided().items()}
    refs.update({e.name: _resolve(e.reference_path) for e in assignment.exercises if e.name != name})
    candidate = _with_references(func, refs)
    calls = case_calls(assignment, ex, run, key)
    outcomes = {}
    for call in calls:
        args, kwargs = copy.deepcopy(call.case.args), copy.deepcopy(call.case.kwargs)
        bound = {n: _resolve(factory)(*fargs) for n, (factory, fargs) in call.case.bind.items()}
        start = time.perf_counter()
        try:
            with warnings.catch_warnings(), redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                value = (_with_references(candidate, bound) if bound else candidate)(*args, **kwargs)
            changed = tuple(f"args[{i}]" for i, (a, b) in enumerate(zip(call.case.args, args)) if not _same(a, b)) + \
                tuple(f"kwargs[{k!r}]" for k in call.case.kwargs if not _same(call.case.kwargs[k], kwargs.get(k)))
            outcomes[call.id] = Outcome("ok", value, modified_inputs=changed, duration_s=time.perf_counter() - start)
        except Exception as exc:  # the student's bug, reported as feedback
            tb = exc.__traceback__
            lineno = None
            code = getattr(func, "__code__", None)
            while tb is not None:
                if tb.tb_frame.f_code is code:
                    lineno = tb.tb_lineno - code.co_firstlineno + 1
                tb = tb.tb_next
            outcomes[call.id] = Outcome("error", None, type(exc).__name__, str(exc)[:500], lineno,
                                        duration_s=time.perf_counter() - start)
    return verdict(ex, calls, outcomes, lambda lineno: f"line {lineno} of `{name}`" if lineno else "")


class Checker:
    """The visible tests of one assignment, e.g. ``grader = Checker("01_logistic_regression")``."""

    def __init__(self, assignment: str):
        self.assignment = get_assignment(assignment)

    def __repr__(self) -> str:
        names = ", ".join(e.name for e in self.assignment.exercises)
        return f"Checker({self.assignment.name!r}: {names})"

    def check(self, name: str, func, *, run: str = "visible") -> None:
        """Check ``func`` against the exercise ``name``; print the verdict, raise if it fails."""
        __tracebackhide__ = True  # IPython: show the message, not this frame
        self.assignment.exercise(name)  # an unknown name is a KeyError naming the graded functions
        if not callable(func):
            raise ExerciseFailed(f"`{name}` should be a function, got {type(func).__name__}.")
        result = evaluate(self.assignment, name, func, run)
        if result.passed:
            print(f"✔ {result.feedback}")
            return
        raise ExerciseFailed(result.feedback)
