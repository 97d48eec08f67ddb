"""Content packages build their ``ASSIGNMENT`` on first access: the sandbox imports an assignment's
``references`` (and the notebook-name lookup its ``NOTEBOOK_FILES``) without loading the grading specs."""

from __future__ import annotations

import sys
from typing import Callable

__all__ = ["lazy_assignment"]


def lazy_assignment(module: str, build: Callable):
    """A module ``__getattr__`` that builds ``ASSIGNMENT`` with ``build()`` once, then keeps it."""
    def __getattr__(name: str):
        if name == "ASSIGNMENT":
            assignment = build()
            setattr(sys.modules[module], "ASSIGNMENT", assignment)
            return assignment
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    return __getattr__
