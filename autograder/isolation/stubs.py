"""Inert stand-ins for packages graded functions never need (plotting, widgets, progress bars, the
notebook front end): a plot or widget call inside a graded function must not cost seconds of imports
(matplotlib alone takes ~0.5 s, with a fresh font cache in every sandbox) or fail.
"""
from __future__ import annotations

import importlib.machinery
import sys
import types

__all__ = ["install_stubs"]


class _Stub(types.ModuleType):
    """Stands in for a plotting/UI module: every attribute is this object, and calling it returns it.

    Graded functions compute values; a plot or widget call inside them must not cost seconds of
    imports (matplotlib alone takes ~0.5 s, with a fresh font cache in every sandbox) or fail.
    """

    __path__: list = []  # a package, so ``import matplotlib.pyplot`` works too

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __iter__(self):
        return iter(())


class _StubFinder:
    """A meta-path finder that serves :class:`_Stub` modules for the listed packages (dotted names:
    ``autograder.frontends`` stubs the front ends while the references under ``autograder.assignments``
    stay importable)."""

    def __init__(self, roots):
        self.roots = tuple(roots)

    def find_spec(self, fullname, path=None, target=None):
        if any(fullname == r or fullname.startswith(r + ".") for r in self.roots):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        return _Stub(spec.name)

    def exec_module(self, module):
        pass


def install_stubs(roots) -> None:
    roots = [r for r in roots if isinstance(r, str) and all(p.isidentifier() for p in r.split("."))]
    if roots:
        sys.meta_path.insert(0, _StubFinder(roots))
