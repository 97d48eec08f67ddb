"""Instant feedback inside the notebook: ``grader.check("propagate", propagate)``.

The visible test cells of every assignment call :meth:`Checker.check`. It runs the student's
function on the exercise's visible cases *in the student's own kernel* (so it is instant), with
the reference versions of the other graded functions in place, and prints the same verdict and
feedback the trusted grader would give. It is feedback, not grading: the score comes from
:mod:`autograder.engine`, which runs the code in a sandbox on different (hidden) cases.
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
from autograder.engine import _Call, _verdict, case_rng
from autograder.extract import StudentCode

__all__ = ["Checker", "ExerciseFailed"]


class ExerciseFailed(AssertionError):
    """Raised by a visible test when the function is not right yet (the message says why)."""


class _FunctionLines(StudentCode):
    """Locates an error by its line in the checked function (counting its ``def`` line as 1)."""

    def __init__(self, name: str):
        super().__init__("", [name])
        self.name = name

    def locate(self, lineno: int | None) -> str:
        return f"line {lineno} of `{self.name}`" if lineno else ""


def _resolve(path: str):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


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
        refs = {e.name: _resolve(e.reference_path) for e in self.assignment.exercises if e.name != name}
        candidate = _with_references(func, refs)
        calls, outcomes = [], {}
        for i, case in enumerate(ex.cases(case_rng(self.assignment.name, name, run))):
            expected = None if ex.check else ex.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            call = _Call(f"{name}-{i}", ex, case, expected)
            calls.append(call)
            args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
            start = time.perf_counter()
            try:
                with warnings.catch_warnings(), redirect_stdout(io.StringIO()):
                    warnings.simplefilter("ignore")
                    value = candidate(*args, **kwargs)
                outcomes[call.id] = {"id": call.id, "status": "ok", "value": value}
            except Exception as exc:  # the student's bug, reported as feedback
                tb = exc.__traceback__
                lineno = None
                code = getattr(func, "__code__", None)
                while tb is not None:
                    if tb.tb_frame.f_code is code:
                        lineno = tb.tb_lineno - code.co_firstlineno + 1
                    tb = tb.tb_next
                outcomes[call.id] = {"id": call.id, "status": "error", "error_type": type(exc).__name__,
                                     "error_message": str(exc)[:500], "lineno": lineno}
            outcomes[call.id]["duration_s"] = time.perf_counter() - start
        result = _verdict(ex, calls, outcomes, _FunctionLines(name))
        if result.passed:
            print(f"✔ {result.feedback}")
            return
        raise ExerciseFailed(result.feedback)
