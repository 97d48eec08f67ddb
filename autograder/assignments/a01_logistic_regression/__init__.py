"""Assignment 1: logistic regression as a neural network (seed 001 part A, seed 002).

One notebook, ``logistic_regression.ipynb``; the references are in :mod:`.references` (adapters over
nnkit), the graded functions in :mod:`.exercises`, their known mistakes in :mod:`.mistakes`, the
sample submissions in :mod:`.samples`. ``ASSIGNMENT`` is built on first access (the sandbox imports
:mod:`.references` alone).
"""

from __future__ import annotations

from autograder.assignments.lazy import lazy_assignment

NOTEBOOK_FILES = ("logistic_regression.ipynb",)


def _build():
    from autograder.grading.spec import Assignment

    from .exercises import NOTEBOOK
    from .samples import DEMO_CLASS, SCENARIOS

    return Assignment(name="01_logistic_regression", title="Logistic regression as a neural network",
                      notebooks=(NOTEBOOK,), scenarios=SCENARIOS, demo_class=DEMO_CLASS)


__getattr__ = lazy_assignment(__name__, _build)
