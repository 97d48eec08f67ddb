"""The graded assignments: one module per assignment, each defining ``ASSIGNMENT``.

To add an assignment, write ``autograder/assignments/<name>.py`` with an
:class:`autograder.spec.Assignment` named ``ASSIGNMENT`` and add it to ``_MODULES`` below.
"""

from __future__ import annotations

import importlib

from autograder.spec import Assignment

__all__ = ["get_assignment", "ASSIGNMENT_NAMES"]

_MODULES = {
    "01_logistic_regression": "autograder.assignments.a01_logistic_regression",
}

ASSIGNMENT_NAMES = tuple(_MODULES)


def get_assignment(name: str) -> Assignment:
    """The :class:`Assignment` called ``name`` (the nbgrader assignment id, e.g. ``01_logistic_regression``)."""
    if name not in _MODULES:
        raise KeyError(f"Unknown assignment {name!r}; known assignments: {', '.join(ASSIGNMENT_NAMES)}.")
    return importlib.import_module(_MODULES[name]).ASSIGNMENT
