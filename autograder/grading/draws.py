"""Reproducible random streams, so that functions that draw random numbers can be graded.

A function that draws (an initializer, a dropout mask, a shuffle) cannot be compared with a
reference value by value unless both draw the same numbers. Its ``rng`` cannot be handed to it
either: a ``numpy.random.Generator`` is a live object with a hidden state, and only plain data
(numbers, lists, dicts, arrays) crosses into the grading sandbox. So the cases of such a function
leave ``rng`` at its default, ``None`` ("a fresh ``np.random.default_rng()``"), and bind ``np``
(and ``numpy``, ``default_rng``) in the student's namespace (``Case.bind``, see
:class:`autograder.grading.spec.Case`) to :meth:`RandomModule.numpy_for_case`: numpy itself, except
``np.random``, which draws from streams of one seed, rebuilt inside the sandbox from that seed.

The seed is made of the case's arguments (:func:`case_seed`: a hash of numbers, lists, dicts and
arrays, below ``2**56`` so that it is plain JSON), so the trusted side rebuilds every stream from
the case alone and draws what the student's code drew: the property checks recognise the draws and
the known mistakes reproduce them. Each stream is its own generator, PCG64 seeded by
``[seed, STREAMS.index(stream)]`` (:func:`case_generator`):

- ``"rng"``: what ``np.random.default_rng()`` (no seed) gives, the generator a right answer draws
  from; ``default_rng(a_generator)`` returns that generator, as numpy does. A second
  ``default_rng()`` in the same case continues the same generator;
- ``"fixed"``: what ``np.random.default_rng(<a fixed seed>)`` gives, whatever the number: a seed
  written in the function ignores ``rng`` (a known mistake, recognised by these draws);
- ``"global"``: what numpy's legacy global functions draw from (``np.random.randn(d0, d1, ...)``,
  ``rand``, ``random_sample``/``random``/``ranf``/``sample``, ``randint``, and every function of the
  same name as a Generator method: ``normal``, ``uniform``, ``binomial``, ``permutation``,
  ``shuffle``, ``choice``, ...), and ``np.random.RandomState(...)`` whatever its seed;
  ``np.random.seed`` does nothing. Grading never touches numpy's real global state, and code that
  uses it draws numbers the checks recognise and name.

An assignment adapts :class:`RandomModule` by subclassing it (its ``stream`` factory, what
``RandomState`` or a hard-coded seed gives, what it does with the global functions it cannot
imitate) and binds its subclass with :func:`bind_for`. Only numpy and the standard library are
imported: the sandbox imports this module.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

__all__ = ["STREAMS", "case_seed", "stream_bits", "case_generator", "GlobalFunctions", "RandomModule",
           "NumpyForCase", "numpy_for_case", "default_rng_for_case", "bind_for"]

#: the streams of a case, numbered by their place here (see the module docstring)
STREAMS = ("rng", "fixed", "global")


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
    """A seed made of a case's arguments (numbers, lists, dicts, arrays; an array counts by its shape
    and its values as floats): the same on both sides of the sandbox, so the trusted side can
    rebuild what the case drew."""
    h = hashlib.sha256()
    for v in values:
        _feed(h, v)
    return int.from_bytes(h.digest()[:7], "little")  # < 2**56: fits JSON and PCG64's seeding


def stream_bits(seed: int, stream: str = "rng") -> np.random.PCG64:
    """The bit generator of one stream of a case (``stream`` one of :data:`STREAMS`), in its initial state."""
    return np.random.PCG64([int(seed), STREAMS.index(stream)])


def case_generator(seed: int, stream: str = "rng") -> np.random.Generator:
    """A fresh generator of one stream of a case, in its initial state: for ``"rng"``, what
    ``np.random.default_rng()`` gives while the case is graded."""
    return np.random.Generator(stream_bits(seed, stream))


class GlobalFunctions:
    """numpy's legacy global random functions (what a ``RandomState`` offers), drawing from the
    Generator ``g``: ``rand(d0, d1, ...)`` is ``g.random((d0, d1, ...))``, ``randn`` is
    ``g.standard_normal``, ``random_sample(size)`` (and ``random``, ``ranf``, ``sample``) is
    ``g.random(size)``, ``randint`` is ``g.integers``, a function of the same name as a Generator
    method (``normal``, ``permutation``, ...) is ``g``'s method, and ``seed`` does nothing."""

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
        attr = getattr(np.random, name, None)
        if name.startswith("_") or isinstance(attr, type):  # numpy's classes: no global state
            return getattr(np.random, name)
        if attr is not None and hasattr(np.random.Generator, name):  # normal, uniform, permutation, ...
            return getattr(self._g, name)
        return self._not_a_draw(name)

    def _not_a_draw(self, name: str):
        """What a name of ``np.random`` that is neither a class nor a draw gives (``get_state``, ...):
        numpy's own (a missing name raises AttributeError, as numpy does)."""
        return getattr(np.random, name)


class RandomModule(GlobalFunctions):
    """``np.random`` while a case is graded: ``default_rng`` gives the ``"rng"`` stream (no seed)
    or the ``"fixed"`` stream (a fixed seed), the global functions and ``RandomState`` draw from the
    ``"global"`` stream (see the module docstring). Every stream is made by ``stream(seed, name)``."""

    #: ``(seed, stream name) -> Generator``: the generator of one stream, in its initial state
    stream = staticmethod(case_generator)

    def __init__(self, seed: int):
        self._seed = int(seed)
        super().__init__(self.stream(self._seed, "global"))
        self._rng = self.stream(self._seed, "rng")  # one per case: a second default_rng() continues it
        self._fixed = self.stream(self._seed, "fixed")

    def default_rng(self, seed=None):
        if seed is None:
            return self._rng
        if isinstance(seed, np.random.Generator):
            return seed
        return self._hard_coded_seed()

    def _hard_coded_seed(self) -> np.random.Generator:
        """What ``default_rng(<a fixed seed>)`` gives: the ``"fixed"`` stream (a second call continues it)."""
        return self._fixed

    def RandomState(self, seed=None):  # noqa: N802 (numpy's name)
        return GlobalFunctions(self._g)

    def __repr__(self) -> str:
        return repr(np.random)

    @classmethod
    def numpy_for_case(cls, seed: int) -> NumpyForCase:
        """The ``np`` (and ``numpy``) bound in the student's namespace for one case."""
        return NumpyForCase(cls(seed))

    @classmethod
    def default_rng_for_case(cls, seed: int):
        """``default_rng`` bound for one case (for code that did ``from numpy.random import default_rng``)."""
        return cls(seed).default_rng


class NumpyForCase:
    """numpy while a case is graded: numpy's own attributes, except ``random`` (a :class:`RandomModule`)."""

    def __init__(self, random: RandomModule):
        self.random = random

    def __getattr__(self, name):
        return getattr(np, name)

    def __repr__(self) -> str:
        return repr(np)


numpy_for_case = RandomModule.numpy_for_case
default_rng_for_case = RandomModule.default_rng_for_case


def bind_for(seed: int, random_module: type[RandomModule] = RandomModule) -> dict:
    """The ``Case.bind`` of a case whose draws come from the streams of ``seed``: ``np``, ``numpy``
    and ``default_rng`` made by ``random_module``'s factories (a module-level class)."""
    where = f"{random_module.__module__}:{random_module.__qualname__}"
    seed = int(seed)
    return {"np": (f"{where}.numpy_for_case", (seed,)), "numpy": (f"{where}.numpy_for_case", (seed,)),
            "default_rng": (f"{where}.default_rng_for_case", (seed,))}
