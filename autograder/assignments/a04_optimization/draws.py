"""Scripted random draws, so that ``random_mini_batches`` can be graded against a reference.

A correct ``random_mini_batches`` may draw its permutation in many ways (``rng.permutation(m)``,
``rng.shuffle(index)``, ``rng.choice(m, m, replace=False)``, ``np.argsort(rng.random(m))``,
``rng.permuted(...)``, shuffling a stacked copy of ``X`` and ``Y``), and each gives a different
permutation from the same real generator. During grading the function therefore draws from a
:class:`ScriptedGenerator`: a real ``numpy.random.Generator`` whose permutation-like methods all
return the *next permutation of a fixed script*, however it is asked for. One draw gives the same
batches whichever way it is written, so the student's result can be compared exactly with the
reference's, and the known mistakes (two permutations, the global random state, a fixed seed,
sampling with replacement) can be recognised and named.

Each case of the exercise binds ``np`` (and ``numpy``, ``default_rng``) in the student's namespace to
:func:`numpy_for_case`: the grading core's numpy of a case (:mod:`autograder.grading.draws`, which
says why and describes the streams) whose streams are scripted (:class:`ScriptedRandomModule`):

- ``np.random.default_rng()`` (no seed: the notebook's "None means a fresh generator") and
  ``np.random.default_rng(generator)`` give the case's generator, stream ``"rng"``;
- ``np.random.default_rng(<any fixed seed>)`` gives stream ``"fixed"`` (a hard-coded seed: every
  epoch would get the same batches);
- numpy's global functions (``np.random.permutation``, ``shuffle``, ``choice``, ``rand``, ...) and
  ``np.random.RandomState(...)`` draw from stream ``"global"``; ``np.random.seed`` does nothing.
  So the real global random state is never touched while grading, and code that uses it gets
  batches different from the reference's, which the grader names.

The case's seed is a hash of its data (:func:`case_seed`), so the reference as graded
(:func:`random_mini_batches`) and the known mistakes, run on the trusted side with the case's
arguments only, draw from the same scripts. The sandbox imports this module: it imports numpy and
the references (numpy and nnkit) only.
"""

from __future__ import annotations

import numbers

import numpy as np

from autograder.grading import draws
from autograder.grading.draws import STREAMS

from . import references

__all__ = ["case_seed", "scripted_permutation", "ScriptedGenerator", "ScriptedRandomModule", "numpy_for_case",
           "default_rng_for_case", "bind_for", "random_mini_batches", "STREAMS"]


def case_seed(X, Y, mini_batch_size) -> int:
    """A seed derived from a case's data (:func:`autograder.grading.draws.case_seed` of ``X`` and ``Y``
    as float arrays and of the batch size as an int): the same on both sides of the sandbox."""
    return draws.case_seed(np.asarray(X, dtype=float), np.asarray(Y, dtype=float), int(mini_batch_size))


def scripted_permutation(seed: int, stream: str, k: int, n: int) -> np.ndarray:
    """The ``k``-th permutation of ``n`` items of a script: never the identity (for ``n >= 2``) and
    never equal to the one before it, so a missing or a second shuffle always shows."""
    if n < 2:
        return np.arange(n)
    if n == 2:
        return np.array([1, 0]) if k % 2 == 0 else np.array([0, 1])
    previous = scripted_permutation(seed, stream, k - 1, n) if k > 0 else None
    g = np.random.default_rng([seed, STREAMS.index(stream), k, n])
    while True:
        p = g.permutation(n)
        if np.any(p != np.arange(n)) and (previous is None or np.any(p != previous)):
            return p


def _size(size):
    """``n`` for a 1-D request ``size=n`` or ``(n,)``, else None."""
    if isinstance(size, numbers.Integral):
        return int(size)
    if isinstance(size, tuple) and len(size) == 1 and isinstance(size[0], numbers.Integral):
        return int(size[0])
    return None


class ScriptedGenerator(np.random.Generator):
    """A Generator whose shuffles follow a script (see the module docstring).

    ``permutation``, ``shuffle``, ``permuted``, ``choice(..., replace=False)`` of a whole set and a
    1-D ``random(n)`` (whose ``argsort`` is the permutation) each take the next permutation of the
    script; any other method draws from a real generator seeded by ``(seed, stream)``, so it is
    reproducible too.
    """

    def __init__(self, seed: int, stream: str = "rng"):
        super().__init__(draws.stream_bits(seed, stream))
        self.seed_value, self.stream, self.count = int(seed), stream, 0

    def __repr__(self) -> str:  # what a real Generator shows, for a student who prints rng
        return f"Generator(PCG64) at {id(self):#X}"

    __str__ = __repr__

    def _next(self, n: int) -> np.ndarray:
        p = scripted_permutation(self.seed_value, self.stream, self.count, n)
        self.count += 1
        return p

    def permutation(self, x, axis=0):
        if isinstance(x, numbers.Integral):
            return self._next(int(x))
        arr = np.asarray(x)
        return np.take(arr, self._next(arr.shape[axis]), axis=axis)

    def shuffle(self, x, axis=0):
        if isinstance(x, list):
            x[:] = [x[i] for i in self._next(len(x))]
            return None
        arr = np.asarray(x)
        moved = np.moveaxis(x, axis, 0)
        moved[...] = np.moveaxis(arr, axis, 0)[self._next(arr.shape[axis])]
        return None

    def permuted(self, x, *, axis=None, out=None):
        arr = np.asarray(x)
        if axis is None:
            result = arr.reshape(-1)[self._next(arr.size)].reshape(arr.shape)
        else:  # every 1-D slice along axis is shuffled on its own, as numpy does
            moved = np.moveaxis(arr, axis, -1)
            flat = moved.reshape(-1, moved.shape[-1])
            result = np.moveaxis(np.stack([row[self._next(row.size)] for row in flat]).reshape(moved.shape), -1, axis)
        if out is not None:
            out[...] = result
            return out
        return np.array(result)

    def choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True):
        n = int(a) if isinstance(a, numbers.Integral) else np.shape(a)[axis]
        if not replace and p is None and _size(size) == n:
            perm = self._next(n)
            return perm if isinstance(a, numbers.Integral) else np.take(np.asarray(a), perm, axis=axis)
        return super().choice(a, size=size, replace=replace, p=p, axis=axis, shuffle=shuffle)

    def random(self, size=None, dtype=np.float64, out=None):
        n = _size(size)
        if n is None or out is not None:
            return super().random(size=size, dtype=dtype, out=out)
        values = np.empty(n, dtype=dtype)
        values[self._next(n)] = (np.arange(n) + 0.5) / n  # argsort(values) is the permutation
        return values


class _LegacyRandomState:
    """``np.random.RandomState(...)`` during grading: the ``"global"`` script, whatever the seed."""

    def __init__(self, stream: ScriptedGenerator):
        self._g = stream

    def permutation(self, x):
        return self._g.permutation(x)

    def shuffle(self, x):
        return self._g.shuffle(x)

    def choice(self, a, size=None, replace=True, p=None):
        return self._g.choice(a, size=size, replace=replace, p=p)

    def rand(self, *shape):
        return self._g.random(shape[0] if len(shape) == 1 else shape or None)

    def random_sample(self, size=None):
        return self._g.random(size)

    def seed(self, *args, **kwargs):
        return None

    def __getattr__(self, name):
        return getattr(np.random.RandomState(self._g.seed_value % 2**32), name)


class ScriptedRandomModule(draws.RandomModule):
    """``np.random`` during grading (see the module docstring): every stream is a
    :class:`ScriptedGenerator`, and ``RandomState(...)`` the ``"global"`` script."""

    stream = ScriptedGenerator

    def RandomState(self, seed=None):  # noqa: N802 (numpy's name)
        return _LegacyRandomState(self._g)


numpy_for_case = ScriptedRandomModule.numpy_for_case
default_rng_for_case = ScriptedRandomModule.default_rng_for_case


def bind_for(seed: int) -> dict:
    """The ``Case.bind`` of a case of ``random_mini_batches``: ``np``, ``numpy`` and ``default_rng``
    of :func:`numpy_for_case`."""
    return draws.bind_for(seed, ScriptedRandomModule)


def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    """The reference as graded: :func:`.references.random_mini_batches` drawing, when ``rng`` is None,
    from the case's ``"rng"`` script, as the student's code does during grading.

    Shapes as in :func:`.references.random_mini_batches`: ``X`` (n_x, m), ``Y`` (n_y, m) in, a list
    of ``(X_batch (n_x, b), Y_batch (n_y, b))`` out.
    """
    if rng is None:
        rng = ScriptedGenerator(case_seed(X, Y, mini_batch_size))
    return references.random_mini_batches(X, Y, mini_batch_size, rng)
