"""Random draws made gradable: what the grader binds in the student's namespace for the functions
of assignment 2 that draw random numbers.

A random initializer cannot be compared with a reference value by value, and an ``rng`` cannot
cross into the grading sandbox (only plain data does), so every such case leaves ``rng`` at its
default, ``None``, and binds ``np`` (and ``numpy``, ``default_rng``) to :func:`numpy_for_case`:
numpy itself except for ``np.random``, which draws from three streams of a seed made of the case's
arguments (:func:`case_seed`), so the trusted side can draw the same numbers again from the case
alone (the property checks recognise the draws, and the known mistakes reproduce them):

- ``"rng"``: ``np.random.default_rng()`` (and ``default_rng(None)``) gives the case's generator,
  :func:`case_generator`; ``default_rng(generator)`` returns that generator, as numpy does;
- ``"fixed"``: ``np.random.default_rng(<a fixed seed>)`` gives :func:`fixed_seed_generator` (a
  seed written in the function ignores ``rng``);
- ``"global"``: numpy's global random functions (``np.random.randn``, ``rand``, ``normal``, ...)
  draw from :func:`global_generator`, and ``np.random.seed`` does nothing: grading never touches the
  real global state, and the checks recognise these numbers and name the mistake. Functions of the
  global state that cannot be imitated (``RandomState``, ``get_state``, ...) raise
  :class:`GlobalRandomStateUsed`, whose message says what to write instead.

``nn_model`` trains from random parameters; its cases bind ``initialize_parameters`` to
:func:`start_parameters`, the same ``N(0, 0.01^2)`` weights for the same sizes whatever ``rng``,
and the graded reference :func:`nn_model_from_start` trains from those. A short run from a known
start is deterministic, so it is compared with nnkit's training to many digits (long runs at
learning rate 1.2 are chaotic: they are never compared).

Only numpy and nnkit are imported: the sandbox imports this module.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from . import references as ref

__all__ = ["GlobalRandomStateUsed", "STREAMS", "case_seed", "case_generator", "fixed_seed_generator",
           "global_generator", "numpy_for_case", "default_rng_for_case",
           "random_binding", "start_parameters", "start_initializer", "nn_model_from_start", "START_SEED"]

_NUMPY_FOR_CASE = f"{__name__}:numpy_for_case"
_DEFAULT_RNG_FOR_CASE = f"{__name__}:default_rng_for_case"

#: the generator of :func:`start_parameters` is seeded by ``[START_SEED, n_x, n_h, n_y]``
START_SEED = 2


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
    """A seed made of a case's arguments (numbers, lists, dicts, arrays): the same on both sides of
    the sandbox, so the trusted side can rebuild what the case drew."""
    h = hashlib.sha256()
    for v in values:
        _feed(h, v)
    return int.from_bytes(h.digest()[:7], "little")  # < 2**56: fits JSON and numpy's seeding


#: the streams of a case: numbered, so that each is its own generator of the same seed
STREAMS = ("rng", "fixed", "global")


def _stream(seed: int, name: str) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64([int(seed), STREAMS.index(name)]))


def case_generator(seed: int) -> np.random.Generator:
    """The case's generator in its initial state: what ``np.random.default_rng()`` gives while graded."""
    return _stream(seed, "rng")


def fixed_seed_generator(seed: int) -> np.random.Generator:
    """What ``np.random.default_rng(<any number>)`` gives while graded: a hard-coded seed ignores ``rng``."""
    return _stream(seed, "fixed")


def global_generator(seed: int) -> np.random.Generator:
    """What numpy's global random functions draw from while graded (in their initial state)."""
    return _stream(seed, "global")


def random_binding(seed: int) -> dict:
    """The ``Case.bind`` of a case that draws: ``np``, ``numpy`` and ``default_rng`` of :func:`numpy_for_case`."""
    return {"np": (_NUMPY_FOR_CASE, (seed,)), "numpy": (_NUMPY_FOR_CASE, (seed,)),
            "default_rng": (_DEFAULT_RNG_FOR_CASE, (seed,))}


class GlobalRandomStateUsed(Exception):
    """A graded function drew from numpy's global random state instead of from ``rng``."""


#: the classes of numpy.random (no global state): numpy's own
_CLASSES = {"Generator", "BitGenerator", "SeedSequence", "PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937"}
#: numpy's legacy global functions that have no method of the same name on a Generator
_LEGACY = {"randn": "standard_normal", "rand": "random", "random_sample": "random", "ranf": "random",
           "sample": "random", "randint": "integers"}


def _refuse(name: str):
    what = ("is numpy's legacy generator" if name == "RandomState"
            else "uses numpy's global random state, which this function must not touch")
    def raiser(*args, **kwargs):
        raise GlobalRandomStateUsed(
            f"np.random.{name} {what}: draw from the generator rng instead, e.g. "
            "rng = np.random.default_rng() if rng is None else rng, then rng.standard_normal((n_out, n_in)) "
            "or rng.normal(0.0, 1.0, (n_out, n_in)).")
    raiser.__name__ = name
    return raiser


class _RandomModule:
    """``np.random`` while a case is graded (see the module docstring)."""

    def __init__(self, seed: int):
        self._seed = int(seed)
        self._rng = case_generator(seed)          # one per case: a second default_rng() continues it
        self._global = global_generator(seed)

    def default_rng(self, seed=None):
        if seed is None:
            return self._rng
        if isinstance(seed, np.random.Generator):
            return seed
        return fixed_seed_generator(self._seed)

    def seed(self, *args, **kwargs):
        return None

    def __getattr__(self, name):
        if name in _CLASSES or name.startswith("_"):
            return getattr(np.random, name)
        if name in ("randn", "rand"):  # they take the shape as separate arguments
            method = getattr(self._global, _LEGACY[name])
            return lambda *shape: method(shape if shape else None)
        if name in _LEGACY:
            return getattr(self._global, _LEGACY[name])
        if hasattr(np.random.Generator, name) and hasattr(np.random, name):  # normal, uniform, ...
            return getattr(self._global, name)
        return _refuse(name)

    def __repr__(self) -> str:
        return repr(np.random)


class _Numpy:
    """numpy while a case is graded: everything is numpy's except ``random``."""

    def __init__(self, seed: int):
        self.random = _RandomModule(seed)

    def __getattr__(self, name):
        return getattr(np, name)

    def __repr__(self) -> str:
        return repr(np)


def numpy_for_case(seed: int) -> _Numpy:
    """The ``np`` (and ``numpy``) bound in the student's namespace for one case."""
    return _Numpy(seed)


def default_rng_for_case(seed: int):
    """``default_rng`` bound for one case (for ``from numpy.random import default_rng``)."""
    return _RandomModule(seed).default_rng


def start_parameters(n_x: int, n_h: int, n_y: int, rng=None) -> dict:
    """:func:`~.references.initialize_parameters` with a generator seeded by the sizes: the same
    ``N(0, 0.01^2)`` weights and zero biases for the same ``(n_x, n_h, n_y)``, whatever ``rng``."""
    sizes = [int(n) for n in (n_x, n_h, n_y)]
    return ref.initialize_parameters(*sizes, rng=np.random.default_rng([START_SEED, *sizes]))


def start_initializer():
    """The factory the ``nn_model`` cases bind ``initialize_parameters`` with."""
    return start_parameters


def nn_model_from_start(X, Y, n_h: int, num_iterations: int = 10000, learning_rate: float = 1.2,
                        print_cost: bool = False, rng=None) -> dict:
    """:func:`~.references.nn_model` as graded: trained from :func:`start_parameters` (the parameters the
    student's ``nn_model`` gets from the ``initialize_parameters`` bound for its cases)."""
    n_x, _, n_y = ref.layer_sizes(X, Y)
    return ref.train_planar(X, Y, start_parameters(n_x, n_h, n_y), num_iterations, learning_rate, print_cost)
