"""What an assignment is, as plain data: its notebooks, the graded functions in each, their test
inputs, tolerances, points, known mistakes, and the sample submissions that show its grading.

Adding an assignment means writing one package ``autograder/assignments/aNN_<name>/`` whose
``ASSIGNMENT`` is an :class:`Assignment`; the engine, the sandbox, the nbgrader plugin, the command
line, the demo and the tests pick it up. An :class:`Exercise` is plain data plus trusted functions:

- ``reference``: the function the student's is compared with (same signature), usually a thin
  adapter over nnkit's core;
- ``cases(rng)``: a list of :class:`Case` inputs drawn from ``rng``; the visible run (in the
  notebook) and the hidden run (grading) use different seeds, and every list should include the
  edge shapes (``m = 1``, ``n_x = 1``);
- ``tolerance``: how close values must be, suited to the quantity; ``types``: which type
  differences are harmless for this exercise (an int array for labels, a numpy scalar for a float);
- ``misconceptions``: known-wrong variants of the reference; when a student's results match one
  on every case, the feedback names the mistake and how to fix it;
- ``check``: for functions that draw random numbers, a property check replaces the comparison
  with the reference (the student's random stream need not match ours);
- ``forbid``: the nnkit functions that compute what the student must compute (``"module:name"``);
  while this exercise is graded they are not available in the sandbox, nor is ``reference``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

import numpy as np

from autograder.grading.compare import Tolerance, TypeRules

__all__ = ["Case", "Misconception", "Exercise", "Notebook", "Scenario", "Assignment", "ref_path"]


def ref_path(func: Callable) -> str:
    """``"module:qualname"`` of a function, the form in which the sandbox imports it."""
    return f"{func.__module__}:{func.__qualname__}"


@dataclass(frozen=True)
class Case:
    """One call of the graded function: a short label a student can read, and its arguments.

    ``bind`` gives helpers the notebook provides a case-specific version for this call only:
    ``{name: ("module:factory", (args...))}`` binds ``name`` to ``factory(*args)`` in the sandbox
    (e.g. a ``vector_to_dictionary(theta)`` that knows this case's parameter shapes).
    """

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    bind: Mapping[str, tuple[str, tuple]] = field(default_factory=dict)


@dataclass(frozen=True)
class Misconception:
    """A known mistake: a ``variant`` of the reference that makes it, and the feedback naming it."""

    label: str
    variant: Callable
    feedback: str


@dataclass(frozen=True)
class Exercise:
    """One graded function (see the module docstring).

    ``check(case, result) -> str | None`` returns a failure message, or None when the properties
    hold; when given, it replaces the comparison with ``reference`` (used for random functions).
    ``error_hints`` pairs a regular expression matched against ``"ErrorType: message"`` of an
    exception raised by the student's function with a hint to show next to it, and optionally a
    label naming the mistake when every failing case raises it: ``(pattern, hint)`` or
    ``(pattern, hint, label)``. ``notebook`` is
    filled in by the :class:`Notebook` that holds the exercise.
    """

    name: str
    reference: Callable
    cases: Callable[[np.random.Generator], list[Case]]
    points: float
    signature: str
    tolerance: Tolerance = Tolerance()
    types: TypeRules = TypeRules()
    misconceptions: tuple[Misconception, ...] = ()
    check: Callable[[Case, Any], str | None] | None = None
    error_hints: tuple[tuple[str, str], ...] = ()
    timeout_s: float = 5.0
    #: names of the items of a tuple result, for messages, e.g. ``("grads", "cost")``
    returns: tuple[str, ...] = ()
    #: nnkit functions (``"module:qualname"``) that must not be called by this exercise's function
    forbid: tuple[str, ...] = ()
    notebook: str = ""

    @property
    def grade_id(self) -> str:
        """The nbgrader grade cell of this exercise: ``test_<name>``."""
        return f"test_{self.name}"

    @property
    def reference_path(self) -> str:
        """``"module:qualname"`` of the reference, for the sandbox to import it."""
        return ref_path(self.reference)

    @property
    def forbidden(self) -> tuple[str, ...]:
        """Everything unavailable while this exercise runs: its reference and ``forbid``."""
        return tuple(dict.fromkeys((self.reference_path, *self.forbid)))


@dataclass(frozen=True)
class Notebook:
    """One notebook of an assignment: its file name and the exercises graded in it, in order.

    ``provided`` names the helpers the notebook defines for the student (``name -> "module:qualname"``
    of the trusted version): while grading, they are bound to the trusted versions, so a student who
    edits a provided helper cannot change the verdict on a graded function that calls it.
    """

    file: str
    exercises: tuple[Exercise, ...]
    provided: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "exercises", tuple(replace(e, notebook=self.file) for e in self.exercises))

    @property
    def stem(self) -> str:
        return self.file.rsplit(".", 1)[0]


@dataclass(frozen=True)
class Scenario:
    """A sample submission, named by what it shows, with the grade it must get.

    ``answers`` overrides answer cells (function name -> the cell's source); ``damage`` damages a
    file: ``"invalid-json"``, ``"not-utf8"``, ``"nbformat3"``, ``"huge-output"`` (of the first
    notebook, or of ``kind:<notebook file>``), or ``"delete-answer:<f>"``, ``"duplicate-answer:<f>"``,
    ``"delete-test:<f>"`` (of the notebook holding function ``f``).
    """

    name: str
    shows: str
    answers: Mapping[str, str] = field(default_factory=dict)
    damage: str | None = None
    expected_score: float | None = None  # None: full marks
    expected_phrase: str = "passed all"
    expected_status: str = "graded"


@dataclass(frozen=True)
class Assignment:
    """An assignment: its name (the nbgrader assignment id), title, notebooks, sample submissions
    (``scenarios``) and the class ``make demo`` grades (``demo_class``: student -> scenario name)."""

    name: str
    title: str
    notebooks: tuple[Notebook, ...]
    scenarios: tuple[Scenario, ...] = ()
    demo_class: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        seen: dict[str, str] = {}
        for nb in self.notebooks:
            for ex in nb.exercises:
                if ex.name in seen:
                    raise ValueError(f"{self.name}: `{ex.name}` is graded in both {seen[ex.name]} and {nb.file}; "
                                     "a function name belongs to one notebook only.")
                seen[ex.name] = nb.file
        names = {s.name for s in self.scenarios}
        unknown = sorted(set(self.demo_class.values()) - names)
        if unknown:
            raise ValueError(f"{self.name}: demo_class uses unknown scenarios {unknown}.")

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(ex for nb in self.notebooks for ex in nb.exercises)

    @property
    def notebook_files(self) -> tuple[str, ...]:
        return tuple(nb.file for nb in self.notebooks)

    def exercise(self, name: str) -> Exercise:
        for ex in self.exercises:
            if ex.name == name:
                return ex
        raise KeyError(f"{self.name} has no graded function {name!r}; it has {[e.name for e in self.exercises]}.")

    def notebook(self, file_or_stem: str) -> Notebook:
        for nb in self.notebooks:
            if file_or_stem in (nb.file, nb.stem):
                return nb
        raise KeyError(f"{self.name} has no notebook {file_or_stem!r}; it has {list(self.notebook_files)}.")

    def scenario(self, name: str) -> Scenario:
        for sc in self.scenarios:
            if sc.name == name:
                return sc
        raise KeyError(f"{self.name} has no sample submission {name!r}.")

    def provided(self) -> dict[str, str]:
        """Every helper any notebook of the assignment provides (name -> trusted path)."""
        out: dict[str, str] = {}
        for nb in self.notebooks:
            out.update(nb.provided)
        return out

    @property
    def max_score(self) -> float:
        return float(sum(ex.points for ex in self.exercises))
