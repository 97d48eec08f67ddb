"""Instant feedback inside the notebook: ``grader = Checker("01_logistic_regression")``, then
``grader.check("propagate", propagate)``.

The visible test cells of every assignment call :meth:`Checker.check`. It runs the student's
function on the exercise's visible cases *in the student's own kernel* (so it is instant), with
the reference versions of the other graded functions in place, and shows the same verdict and
feedback the trusted grader would give. It is feedback, not grading: the score comes from
:mod:`autograder.grading.engine`, which runs the code in a sandbox on different (hidden) cases.

What the student sees:

- a passing check prints one line, ``✔ `f` passed all 5 visible test cases.`` (the instructor's
  source notebook also runs the hidden cases, and its second line says ``hidden``);
- a failing check shows only the feedback, as a block (HTML in Jupyter, plain text in a terminal
  IPython), then raises :class:`ExerciseFailed` so that nbgrader's Validate and "Run All" stop
  there; in IPython the exception renders as one line under the block, never as a traceback
  through the grader (``_render_traceback_``). ``str(exc)`` is the whole feedback;
- an unfilled exercise says "`f` is not implemented yet" with what to do, both in its test cell
  and in any other cell that calls the stub (a handler for ``NotImplementedError`` raised by the
  stub of a graded function, installed in the notebook's IPython shell by :class:`Checker`);
- places are "line K of the cell defining `f`", as JupyterLab numbers the lines of a cell.
"""

from __future__ import annotations

import copy
import html
import io
import linecache
import re
import textwrap
import time
import types
import warnings
from contextlib import redirect_stdout
from dataclasses import dataclass

import numpy as np

from autograder.assignments import get_assignment
from autograder.grading.engine import case_calls
from autograder.grading.spec import Assignment
from autograder.grading.verdict import ExerciseResult, Outcome, verdict
from autograder.isolation.forbid import resolve

__all__ = ["Checker", "ExerciseFailed", "Feedback", "evaluate", "render_html", "render_text"]

_STUB_ERROR = "NotImplementedError"
#: The sentences of a verdict's feedback that start a paragraph of their own in the block.
_PARAGRAPHS = re.compile(r" (?=Likely mistake \(|Details: |Also: )")


@dataclass(frozen=True)
class Feedback:
    """What a failed check shows: a headline (``"`f` failed 3 of 5 visible test cases"``), the
    paragraphs of the verdict's feedback, and whether the function is still the unfilled stub."""

    name: str
    title: str
    paragraphs: tuple[str, ...]
    not_implemented: bool = False

    @property
    def summary(self) -> str:
        """One line: the headline and the named mistake, if any (what the raised exception shows)."""
        label = next((m.group(1) for p in self.paragraphs for m in [re.match(r"Likely mistake \(([^)]*)\)", p)] if m),
                     None)
        return f"✘ {self.title}" + (f" (likely mistake: {label})" if label else "") + "; the feedback is above."


class ExerciseFailed(AssertionError):
    """Raised by a visible test when the function is not right yet (the message says why).

    ``str(exc)`` is the whole feedback. In IPython, where the feedback was already shown as a block,
    the exception renders as one line pointing at it (IPython calls ``_render_traceback_``)."""

    def __init__(self, message: str, feedback: Feedback | None = None, shown: bool = False):
        super().__init__(message)
        self.feedback = feedback
        self.shown = shown

    def _render_traceback_(self) -> list[str]:
        if self.shown and self.feedback is not None:
            return [f"\x1b[1;31m{self.feedback.summary}\x1b[0m"]
        if self.feedback is not None:
            return [f"\x1b[1;31m{line}\x1b[0m" if i == 0 else line
                    for i, line in enumerate(render_text(self.feedback).splitlines())]
        return [f"\x1b[1;31mExerciseFailed\x1b[0m: {self}"]


# ----------------------------------------------------------------------------- running the cases here
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


def _line_in_cell(tb, code) -> int | None:
    """The line, counted in the cell (the compiled unit) that defines ``code``, where the error
    happened: the innermost frame of that cell (a helper defined beside the function counts)."""
    lineno = None
    filename = getattr(code, "co_filename", None)
    while tb is not None:
        if tb.tb_frame.f_code is code or (filename and tb.tb_frame.f_code.co_filename == filename):
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def _run_cases(assignment: Assignment, name: str, func, run: str, key: str):
    """``(result, outcomes)`` of ``func`` on the cases of exercise ``name``, run in this process."""
    ex = assignment.exercise(name)
    refs = {n: resolve(path) for n, path in assignment.provided().items()}
    refs.update({e.name: resolve(e.reference_path) for e in assignment.exercises if e.name != name})
    candidate = _with_references(func, refs)
    calls = case_calls(assignment, ex, run, key)
    outcomes = {}
    for call in calls:
        args, kwargs = copy.deepcopy(call.case.args), copy.deepcopy(call.case.kwargs)
        bound = {n: resolve(factory)(*fargs) for n, (factory, fargs) in call.case.bind.items()}
        start = time.perf_counter()
        try:
            with warnings.catch_warnings(), redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                value = (_with_references(candidate, bound) if bound else candidate)(*args, **kwargs)
            changed = tuple(f"args[{i}]" for i, (a, b) in enumerate(zip(call.case.args, args)) if not _same(a, b)) + \
                tuple(f"kwargs[{k!r}]" for k in call.case.kwargs if not _same(call.case.kwargs[k], kwargs.get(k)))
            outcomes[call.id] = Outcome("ok", value, modified_inputs=changed, duration_s=time.perf_counter() - start)
        except Exception as exc:  # the student's bug, reported as feedback
            lineno = _line_in_cell(exc.__traceback__, getattr(func, "__code__", None))
            outcomes[call.id] = Outcome("error", None, type(exc).__name__, str(exc)[:500], lineno,
                                        duration_s=time.perf_counter() - start)
    where = lambda lineno: f"line {lineno} of the cell defining `{name}`" if lineno else ""  # noqa: E731
    return verdict(ex, calls, outcomes, where), outcomes


def evaluate(assignment: Assignment, name: str, func, run: str = "visible", key: str = "") -> ExerciseResult:
    """Run ``func`` here (in this process) on the cases of exercise ``name`` and return the verdict,
    with the reference versions of the other graded functions and of the provided helpers in place."""
    return _run_cases(assignment, name, func, run, key)[0]


# ----------------------------------------------------------------------------- rendering
def _not_implemented_text(name: str) -> str:
    return (f"`{name}` is not implemented yet: write your code in place of `raise NotImplementedError()` in its "
            "answer cell (read the docstring first: it gives the shapes and the formula), run that cell, then "
            "this one again.")


def _feedback(result: ExerciseResult, run: str, not_implemented: bool) -> Feedback:
    if not_implemented:
        return Feedback(result.name, f"`{result.name}` is not implemented yet", (_not_implemented_text(result.name),),
                        True)
    text = result.feedback
    head = f"`{result.name}` failed {result.cases_total - result.cases_passed} of {result.cases_total} test cases. "
    if text.startswith(head):
        text = text[len(head):]
    title = f"`{result.name}` failed {result.cases_total - result.cases_passed} of {result.cases_total} {run} test cases"
    return Feedback(result.name, title, tuple(p.strip() for p in _PARAGRAPHS.split(text) if p.strip()))


def _inline_html(text: str) -> str:
    """Escaped text with `code` spans as <code>."""
    parts = html.escape(text, quote=False).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def render_html(fb: Feedback) -> str:
    """The feedback block shown in Jupyter (inline styles, JupyterLab's theme colors where defined)."""
    color = "var(--jp-warn-color1, #c77c00)" if fb.not_implemented else "var(--jp-error-color1, #c62828)"
    paras = []
    for p in fb.paragraphs:
        m = re.match(r"(Likely mistake) \(([^)]*)\): |(Details|Also): ", p)
        if m and m.group(1):
            body = f"<strong>{m.group(1)}</strong> (<code>{html.escape(m.group(2))}</code>): {_inline_html(p[m.end():])}"
        elif m:
            body = f"<strong>{m.group(3)}</strong>: {_inline_html(p[m.end():])}"
        else:
            body = _inline_html(p)
        paras.append(f'<p style="margin:0.35em 0 0 0">{body}</p>')
    kind = "not-implemented" if fb.not_implemented else "failed"
    return (f'<div class="nnkit-feedback nnkit-feedback-{kind}" data-exercise="{html.escape(fb.name)}" '
            f'style="border-left:4px solid {color};padding:0.45em 0.9em;margin:0.25em 0;'
            'background:var(--jp-layout-color2, #f5f5f5);color:var(--jp-content-font-color1, #222);'
            'font-family:var(--jp-content-font-family, sans-serif);font-size:var(--jp-content-font-size1, 14px);'
            'line-height:1.45;max-width:60em">'
            f'<div style="font-weight:600;color:{color}">✘ {_inline_html(fb.title)}</div>{"".join(paras)}</div>')


def render_text(fb: Feedback, width: int = 100) -> str:
    """The same block as plain text (a terminal IPython, nbgrader's Validate dialog)."""
    lines = [f"✘ {fb.title}"]
    for p in fb.paragraphs:
        lines.append(textwrap.fill(p, width, initial_indent="  ", subsequent_indent="    "))
    return "\n".join(lines)


def _shell():
    """The running IPython shell, or None (a plain Python process)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel, a dependency of the kit
        return None
    return get_ipython()


def _show(fb: Feedback) -> bool:
    """Display the block in IPython; False where there is no IPython to display it."""
    if _shell() is None:
        return False
    from IPython.display import display

    display({"text/html": render_html(fb), "text/plain": render_text(fb)}, raw=True)
    return True


# ----------------------------------------------------------------------------- the stub's own error
def _stub_handler(graded: frozenset[str]):
    """An IPython custom-exception handler: a ``NotImplementedError`` raised by the unfilled stub of
    a graded function (``raise NotImplementedError()`` in a function defined in the notebook) shows
    the not-implemented feedback; any other ``NotImplementedError`` its usual traceback."""

    def handler(shell, etype, value, tb, tb_offset=None):
        last = tb
        while last is not None and last.tb_next is not None:
            last = last.tb_next
        frame = last.tb_frame if last is not None else None
        name = frame.f_code.co_name if frame is not None else ""
        stub = (frame is not None and name in graded and frame.f_globals.get("__name__") == "__main__"
                and linecache.getline(frame.f_code.co_filename, last.tb_lineno).strip().startswith(
                    "raise NotImplementedError"))
        if stub:
            fb = Feedback(name, f"`{name}` is not implemented yet", (
                f"This cell calls `{name}`, whose answer cell still raises `NotImplementedError` (line "
                f"{last.tb_lineno} of the cell defining `{name}`). Write your code in place of "
                "`raise NotImplementedError()`, run that cell, then this one again.",), True)
            _show(fb)
            stb = [f"\x1b[1;31m{fb.summary}\x1b[0m"]
        else:
            stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        shell._showtraceback(etype, value, stb)  # the error output (ipykernel: marks the cell failed)
        return stb

    return handler


def _install_stub_handler(graded: frozenset[str]) -> None:
    """Install :func:`_stub_handler` in the running IPython shell (the names of several checkers
    add up); leave a custom handler that is not ours alone."""
    shell = _shell()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return
    known = getattr(shell, "_nnkit_stub_functions", None)
    if shell.custom_exceptions and not (shell.custom_exceptions == (NotImplementedError,) and known is not None):
        return  # someone else's handler
    names = frozenset(known or ()) | graded
    shell.set_custom_exc((NotImplementedError,), _stub_handler(names))
    shell._nnkit_stub_functions = names


# ----------------------------------------------------------------------------- the checker
class Checker:
    """The visible tests of one assignment, e.g. ``grader = Checker("01_logistic_regression")``."""

    def __init__(self, assignment: str):
        self.assignment = get_assignment(assignment)
        _install_stub_handler(frozenset(e.name for e in self.assignment.exercises))

    def __repr__(self) -> str:
        names = ", ".join(e.name for e in self.assignment.exercises)
        return f"Checker({self.assignment.name!r}: {names})"

    def check(self, name: str, func, *, run: str = "visible") -> None:
        """Check ``func`` against the exercise ``name``; print one line if it passes, show the feedback
        and raise :class:`ExerciseFailed` if it does not."""
        __tracebackhide__ = True  # pytest: show the message, not this frame
        self.assignment.exercise(name)  # an unknown name is a KeyError naming the graded functions
        if not callable(func):
            fb = Feedback(name, f"`{name}` should be a function", (
                f"`{name}` should be a function, got {type(func).__name__}. Run its answer cell (the one with "
                f"`def {name}(...)`) again: a later cell may have given the name `{name}` to something else.",))
            raise ExerciseFailed(fb.paragraphs[0], fb, _show(fb))
        result, outcomes = _run_cases(self.assignment, name, func, run, "")
        if result.passed:
            print(f"✔ `{name}` passed all {result.cases_total} {run} test cases.")
            return
        stub = bool(outcomes) and all(o.error_type == _STUB_ERROR for o in outcomes.values())
        fb = _feedback(result, run, stub)
        message = _not_implemented_text(name) if stub else result.feedback
        raise ExerciseFailed(message, fb, _show(fb))
