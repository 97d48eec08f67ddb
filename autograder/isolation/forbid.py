"""References inside the sandbox: bind them into the student's namespace, or make them unavailable.

``replace`` entries bind a name of the student's namespace to a reference for one call
(``"module:qualname"``, or ``{"factory": "module:qualname", "args": [...]}`` bound to
``factory(*args)``), so a bug in one graded function does not cost the points of another.

:func:`make_unavailable` runs in the process of one graded function, *before* student.py is
executed, and for good: the code of each forbidden function (and of every function it wraps,
following ``__wrapped__``) is replaced by code raising :class:`ReferenceUnavailable`, so every alias,
registry entry, copy made with ``types.FunctionType(f.__code__, ...)`` at import time, and closure
of it raises; the original code objects are dropped (nothing else refers to them), and the process that runs student code
cannot read the packages' source files (a Landlock layer, see :mod:`autograder.isolation.child`),
so ``importlib.reload``, a re-import after deleting ``sys.modules`` entries, or ``exec`` of the
module's file cannot bring them back.
"""
from __future__ import annotations

import functools
import importlib
import types
import warnings

__all__ = ["ReferenceUnavailable", "bound", "make_unavailable", "resolve"]


class ReferenceUnavailable(Exception):
    """Raised by a forbidden function: the graded function must compute this itself."""


def resolve(path: str):
    """The object at ``"package.module:qualname"`` (imported in the sandbox)."""
    if type(path) is not str or path.count(":") != 1:
        raise ValueError(f"invalid reference path {str(path)[:80]!r}")
    module, qual = path.split(":")
    obj = importlib.import_module(module)
    for part in qual.split("."):
        obj = getattr(obj, part)
    return obj


def bound(value):
    """The object a ``replace`` entry binds: ``"module:qualname"`` or ``{"factory": path, "args": [...]}``."""
    if type(value) is dict:
        factory, args = value.get("factory"), value.get("args") or []
        if type(args) is not list:
            raise ValueError("factory args must be a list")
        return resolve(factory)(*args)
    return resolve(value)


@functools.lru_cache(maxsize=None)
def _raising_template(names: tuple[str, ...]) -> types.CodeType:
    """The code of a function with free variables ``names`` whose body raises ``'EXC'('MSG')`` (the two
    constants are swapped for the real ones by :func:`_raising_code`); compiled once per process."""
    lines = (["def _outer():"] + [f"    {v} = None" for v in names] + ["    def _inner(*args, **kwargs):"]
             + ([f"        ({', '.join(names)},)"] if names else []) + ["        raise ('EXC')('MSG')", "    return _inner"])
    with warnings.catch_warnings():  # "'str' object is not callable": on purpose, and not student output
        warnings.simplefilter("ignore")
        outer = compile("\n".join(lines), "<unavailable>", "exec").co_consts
    outer_code = next(c for c in outer if isinstance(c, types.CodeType))
    return next(c for c in outer_code.co_consts if isinstance(c, types.CodeType))


def _raising_code(func: types.FunctionType, message: str) -> types.CodeType:
    """A code object with ``func``'s free variables whose body raises ReferenceUnavailable."""
    inner = _raising_template(func.__code__.co_freevars)
    consts = tuple(ReferenceUnavailable if c == "EXC" else message if c == "MSG" else c for c in inner.co_consts)
    names = {"co_consts": consts, "co_name": func.__code__.co_name}
    if hasattr(func.__code__, "co_qualname"):  # Python >= 3.11
        names["co_qualname"] = func.__code__.co_qualname
    return inner.replace(**names)


def _functions(obj) -> list[types.FunctionType]:
    """The function behind ``obj`` and every function it wraps (``__wrapped__``, methods, partials)."""
    out, seen = [], set()
    while obj is not None and id(obj) not in seen:
        seen.add(id(obj))
        if callable(getattr(obj, "cache_clear", None)):  # functools caches answer without calling the code
            obj.cache_clear()
        inner = getattr(obj, "__func__", None) or getattr(obj, "func", None)  # method, functools.partial
        if isinstance(obj, types.FunctionType):
            out.append(obj)
        elif inner is not None:
            obj = inner
            continue
        obj = getattr(obj, "__wrapped__", None)
    return out


def make_unavailable(paths) -> list[str]:
    """Replace the code of the functions at ``paths`` (``"module:qualname"``) for good; returns the
    paths done. Raises ValueError when a path is not a Python function."""
    done = []
    for path in paths or ():
        funcs = _functions(resolve(path))
        if not funcs:
            raise ValueError(f"forbid: {path!r} is not a Python function")
        message = f"{path.replace(':', '.')} is not available while this function is graded"
        for func in funcs:
            func.__code__ = _raising_code(func, message)
        done.append(path)
    return done  # the original code objects had no other owner: freed as their last reference went
