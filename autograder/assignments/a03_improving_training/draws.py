"""Random draws while grading: the numpy that assignment 3's random functions see, case by case.

The random functions (``initialize_parameters_random``, ``initialize_parameters_he``,
``forward_propagation_with_dropout``) take ``rng``, where ``None`` means
``np.random.default_rng()``. A Generator cannot cross the sandbox boundary (only plain data does),
so their cases leave ``rng`` at None and bind ``np`` (and ``numpy``, ``default_rng``) in the
student's namespace to :func:`numpy_for_case`: numpy itself for everything but randomness, where

- ``np.random.default_rng()`` (no seed) and ``np.random.default_rng(a_generator)`` give the case's
  generator, stream ``"rng"``: a real ``numpy.random.Generator`` (PCG64), so every way of drawing
  from it (``standard_normal``, ``normal``, ``random``, ``uniform``, ``binomial``) gives what it
  would give on a student's machine;
- ``np.random.default_rng(<a fixed seed>)`` gives stream ``"fixed"`` (a hard-coded seed);
- numpy's global functions (``np.random.randn``, ``rand``, ``normal``, ``binomial``, ...) and
  ``np.random.RandomState(...)`` draw from stream ``"global"``; ``np.random.seed`` does nothing, so
  grading never touches the real global state, and code that uses it draws numbers the checks
  recognise and name.

The seed of a case is a hash of its arguments (:func:`case_seed`), so the trusted side can rebuild
every stream from the case alone: the property checks and the known mistakes draw the same numbers
as the student's code did. The sandbox imports this module: it needs numpy only.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

__all__ = ["STREAMS", "case_seed", "case_generator", "numpy_for_case", "default_rng_for_case", "bind_for",
           "generator_or_case"]

#: the streams a grading run can draw from (see the module docstring)
STREAMS = ("rng", "fixed", "global")

_NUMPY_FOR_CASE = f"{__name__}:numpy_for_case"
_DEFAULT_RNG_FOR_CASE = f"{__name__}:default_rng_for_case"


def _feed(h, value: Any) -> None:
    if isinstance(value, dict):
        for k in sorted(value):
            h.update(repr(k).encode())
            _feed(h, value[k])
    elif isinstance(value, (list, tuple)):
        h.update(b"[")
        for v in value:
            _feed(h, v)
        h.update(b"]")
    elif isinstance(value, np.ndarray):
        a = np.ascontiguousarray(value, dtype=float)
        h.update(repr(a.shape).encode())
        h.update(a.tobytes())
    else:
        h.update(repr(value).encode())


def case_seed(*values) -> int:
    """A seed from a case's arguments (numbers, lists, dicts, arrays): the same on both sides of the sandbox."""
    h = hashlib.sha256()
    for v in values:
        _feed(h, v)
    return int.from_bytes(h.digest()[:7], "little")  # < 2**56: fits JSON and PCG64's seeding


def case_generator(seed: int, stream: str = "rng") -> np.random.Generator:
    """A fresh generator of one stream of a case, in its initial state."""
    return np.random.Generator(np.random.PCG64([int(seed), STREAMS.index(stream)]))


def generator_or_case(rng, *arguments) -> np.random.Generator:
    """``rng`` itself, or (when it is None) the case's ``"rng"`` stream for these arguments: how the
    trusted side draws exactly what a student's function drew while graded with ``rng=None``."""
    return case_generator(case_seed(*arguments)) if rng is None else rng


class _LegacyRandom:
    """numpy's global random functions (and ``RandomState``), drawing from the ``"global"`` stream."""

    def __init__(self, g: np.random.Generator):
        self._g = g

    def rand(self, *shape):
        return self._g.random(shape or None)

    def randn(self, *shape):
        return self._g.standard_normal(shape or None)

    def random_sample(self, size=None):
        return self._g.random(size)

    random = ranf = sample = random_sample

    def randint(self, low, high=None, size=None, dtype=int):
        return self._g.integers(low, high, size, dtype=dtype)

    def seed(self, *args, **kwargs):
        return None

    def __getattr__(self, name):
        if hasattr(np.random.Generator, name):  # normal, uniform, binomial, permutation, shuffle, ...
            return getattr(self._g, name)
        return getattr(np.random, name)


class _RandomModule(_LegacyRandom):
    """``np.random`` while grading (see the module docstring)."""

    Generator = np.random.Generator
    PCG64 = np.random.PCG64
    SeedSequence = np.random.SeedSequence

    def __init__(self, seed: int):
        super().__init__(case_generator(seed, "global"))
        self._rng = case_generator(seed, "rng")
        self._fixed = case_generator(seed, "fixed")

    def default_rng(self, seed=None):
        if seed is None:
            return self._rng
        if isinstance(seed, np.random.Generator):
            return seed
        return self._fixed

    def RandomState(self, seed=None):  # noqa: N802 (numpy's name)
        return _LegacyRandom(self._g)


class _Numpy:
    """numpy while grading: numpy's own attributes, except ``random`` (a :class:`_RandomModule`)."""

    def __init__(self, seed: int):
        self.random = _RandomModule(seed)

    def __getattr__(self, name):
        return getattr(np, name)

    def __repr__(self) -> str:
        return repr(np)


def numpy_for_case(seed: int) -> _Numpy:
    """The ``np`` (and ``numpy``) bound in the student's namespace for one case."""
    return _Numpy(int(seed))


def default_rng_for_case(seed: int):
    """``default_rng`` bound for one case (for code that did ``from numpy.random import default_rng``)."""
    return _Numpy(int(seed)).random.default_rng


def bind_for(seed: int) -> dict:
    """The ``Case.bind`` of a case whose random draws come from the streams of ``seed``."""
    return {"np": (_NUMPY_FOR_CASE, (int(seed),)), "numpy": (_NUMPY_FOR_CASE, (int(seed),)),
            "default_rng": (_DEFAULT_RNG_FOR_CASE, (int(seed),))}
