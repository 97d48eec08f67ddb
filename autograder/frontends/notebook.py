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

from autograder.assignments import get_assignment
from autograder.grading.engine import case_calls
from autograder.grading.verdict import Outcome, verdict

__all__ = ["Checker", "ExerciseFailed"]


class ExerciseFailed(AssertionError):
    """Raised by a visible test when the function is not right yet (the message says why)."""


def _resolve(path: str):
    module, qual = path.split(":")
    obj = importlib.import_module(module)
    for part in qual.split("."):
        obj = getattr(obj, part)
    return obj


def _with_references(func, replacements: dict):
    """A copy of ``func`` whose global names in ``replacements`` point at the reference functions."""
    if not isinstance(func, types.FunctionType):
        return func
    glob = dict(func.__globals__)
    glob.update(replacements)
    clone = types.FunctionType(func.__code__, glob, func.__name__, func.__defaults__, func.__closure__)
    clone.__kwdefaults__ = func.__kwdefaults__
    return clone


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
        ex = self.assignment.exercise(name)
        if not callable(func):
            raise ExerciseFailed(f"`{name}` should be a function, got {type(func).__name__}.")
        refs = {n: _resolve(path) for n, path in self.assignment.provided().items()}
        refs.update({e.name: _resolve(e.reference_path) for e in self.assignment.exercises if e.name != name})
        candidate = _with_references(func, refs)
        calls = case_calls(self.assignment, ex, run)
        outcomes = {}
        for call in calls:
            args, kwargs = copy.deepcopy(call.case.args), copy.deepcopy(call.case.kwargs)
            bound = {n: _resolve(factory)(*fargs) for n, (factory, fargs) in call.case.bind.items()}
            start = time.perf_counter()
            try:
                with warnings.catch_warnings(), redirect_stdout(io.StringIO()):
                    warnings.simplefilter("ignore")
                    value = (_with_references(candidate, bound) if bound else candidate)(*args, **kwargs)
                outcomes[call.id] = Outcome("ok", value, duration_s=time.perf_counter() - start)
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
        result = verdict(ex, calls, outcomes, lambda lineno: f"line {lineno} of `{name}`" if lineno else "")
        if result.passed:
            print(f"✔ {result.feedback}")
            return
        raise ExerciseFailed(result.feedback)
