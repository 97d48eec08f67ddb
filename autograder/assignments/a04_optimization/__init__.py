"""Assignment 4: optimization algorithms (seed 001 part C 3.4, seeds 000 and 003).

One notebook, ``optimization.ipynb``. The reference functions are in :mod:`.references` (thin
adapters over :mod:`nnkit.optim`, :mod:`nnkit.schedules` and :mod:`nnkit.data`); the scripted random
draws that make ``random_mini_batches`` gradable in :mod:`.draws` and its property check in
:mod:`.checks`; the test inputs in :mod:`.cases`; the graded functions in :mod:`.exercises` and
:mod:`.exercises_adaptive` (tolerances and error hints in :mod:`.hints`); their known mistakes in
:mod:`.mistakes`, :mod:`.mistakes_batches`, :mod:`.mistakes_adaptive` and :mod:`.mistakes_schedules`;
the sample submissions in :mod:`.samples`.

``ASSIGNMENT`` is built on first access: the grading sandbox imports :mod:`.references` and
:mod:`.draws` by name, and they must not pull in the grading specs.
"""

from __future__ import annotations

from autograder.assignments.lazy import lazy_assignment

NOTEBOOK_FILES = ("optimization.ipynb",)


def _build():
    from autograder.grading.spec import Assignment

    from .exercises import NOTEBOOK
    from .samples import DEMO_CLASS, SCENARIOS

    return Assignment(
        name="04_optimization",
        title="Optimization algorithms",
        notebooks=(NOTEBOOK,),
        scenarios=SCENARIOS,
        demo_class=DEMO_CLASS,
    )


__getattr__ = lazy_assignment(__name__, _build)
