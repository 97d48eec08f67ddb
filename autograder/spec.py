"""What an exercise is: the graded function's reference, its test inputs, how results are compared,
its points, and the known mistakes it can name.

Adding an exercise to the course means writing one :class:`Exercise` (in
``autograder/assignments/<assignment>.py``); the engine, the sandbox, the nbgrader integration and
the command line need no change. A spec is plain data plus trusted functions:

- ``reference``: the nnkit function the student's is compared with (same signature);
- ``cases(rng)``: a list of :class:`Case` inputs drawn from ``rng``; the visible run (in the
  notebook) and the hidden run (grading) use different seeds, and every list should include the
  edge shapes (``m = 1``, ``n_x = 1``);
- ``tolerance``: how close values must be, suited to the quantity;
- ``misconceptions``: known-wrong variants of the reference; when a student's results match one
  on every case, the feedback names the mistake and how to fix it;
- ``check``: for functions that draw random numbers, a property check replaces the comparison
  with the reference (the student's random stream need not match ours).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from autograder.compare import Tolerance

__all__ = ["Case", "Misconception", "Exercise", "Assignment"]


@dataclass(frozen=True)
class Case:
    """One call of the graded function: a short label a student can read, and its arguments."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)


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
    exception raised by the student's function with a hint to show next to it.
    """

    name: str
    reference: Callable
    cases: Callable[[np.random.Generator], list[Case]]
    points: float
    signature: str
    tolerance: Tolerance = Tolerance()
    misconceptions: tuple[Misconception, ...] = ()
    check: Callable[[Case, Any], str | None] | None = None
    error_hints: tuple[tuple[str, str], ...] = ()
    timeout_s: float = 5.0
    #: names of the items of a tuple result, for messages, e.g. ``("grads", "cost")``
    returns: tuple[str, ...] = ()

    @property
    def grade_id(self) -> str:
        """The nbgrader grade cell of this exercise: ``test_<name>``."""
        return f"test_{self.name}"

    @property
    def reference_path(self) -> str:
        """``"module:name"`` of the reference, for the sandbox to import it."""
        return f"{self.reference.__module__}:{self.reference.__name__}"


@dataclass(frozen=True)
class Assignment:
    """An assignment: its name (the nbgrader assignment id), its notebook file and its exercises."""

    name: str
    title: str
    notebook: str
    exercises: tuple[Exercise, ...]

    def exercise(self, name: str) -> Exercise:
        for ex in self.exercises:
            if ex.name == name:
                return ex
        raise KeyError(f"{self.name} has no graded function {name!r}; it has {[e.name for e in self.exercises]}.")

    @property
    def max_score(self) -> float:
        return float(sum(ex.points for ex in self.exercises))
