"""The course's content: one package per assignment, found by looking (no list to keep).

An assignment is a package ``aNN_<name>`` here whose ``ASSIGNMENT`` is an
:class:`autograder.grading.spec.Assignment` named ``NN_<name>`` (the nbgrader assignment id, which
is also the folder of its notebooks under ``solutions/`` and ``assignments/``). Adding one is
adding its package and its notebooks; nothing else changes (see the README, "Adding an assignment").
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the grading specs import numpy: names and notebook files are read without them)
    from autograder.grading.spec import Assignment

__all__ = ["get_assignment", "ASSIGNMENT_NAMES", "package_of", "notebook_files"]

_PACKAGE = re.compile(r"a(\d\d_[a-z0-9_]+)\Z")


def _discover() -> dict[str, str]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        m = _PACKAGE.match(info.name)
        if info.ispkg and m:
            found[m.group(1)] = f"{__name__}.{info.name}"
    return dict(sorted(found.items()))


_MODULES = _discover()

#: The nbgrader ids of every assignment with a grading spec, in course order.
ASSIGNMENT_NAMES = tuple(_MODULES)


def package_of(name: str) -> str:
    """The dotted name of the package holding assignment ``name``."""
    if name not in _MODULES:
        raise KeyError(f"Unknown assignment {name!r}; known assignments: {', '.join(ASSIGNMENT_NAMES)}.")
    return _MODULES[name]


def notebook_files(name: str) -> tuple[str, ...]:
    """The notebook files of assignment ``name``, read without building its specs (cheap)."""
    files = getattr(importlib.import_module(package_of(name)), "NOTEBOOK_FILES", None)
    return tuple(files) if files is not None else get_assignment(name).notebook_files


def get_assignment(name: str) -> Assignment:
    """The :class:`Assignment` called ``name`` (the nbgrader assignment id, e.g. ``01_logistic_regression``)."""
    assignment = importlib.import_module(package_of(name)).ASSIGNMENT
    files = getattr(importlib.import_module(package_of(name)), "NOTEBOOK_FILES", None)
    if files is not None and tuple(files) != assignment.notebook_files:
        raise RuntimeError(f"package {package_of(name)}: NOTEBOOK_FILES {tuple(files)} differ from its notebooks "
                           f"{assignment.notebook_files}.")
    if assignment.name != name:
        raise RuntimeError(f"package {package_of(name)} defines assignment {assignment.name!r}, expected {name!r}: "
                           "the package aNN_<name> must hold the assignment NN_<name>.")
    return assignment
