"""Random draws made gradable: what the grader binds in the student's namespace for the functions
of assignment 2 that draw random numbers.

Every such case leaves ``rng`` at its default, ``None``, and binds ``np`` (and ``numpy``,
``default_rng``) to :func:`numpy_for_case`: the grading core's numpy of a case
(:mod:`autograder.grading.draws`, which says why and describes the streams ``"rng"``, ``"fixed"``
and ``"global"``) with this assignment's ``np.random``, :class:`StrictRandomModule`, which is
stricter in two ways:

- ``np.random.default_rng(<a fixed seed>)`` gives a fresh :func:`fixed_seed_generator` at every
  call (a seed written in the function ignores ``rng``, and the same seed gives the same numbers);
- the functions of numpy's global state that cannot be imitated (``RandomState``, ``get_state``,
  ...) raise :class:`GlobalRandomStateUsed`, whose message says what to write instead. The global
  functions that can (``np.random.randn``, ``rand``, ``normal``, ...) draw from
  :func:`global_generator`, and ``np.random.seed`` does nothing, as in the core.

The seed of a case is made of its arguments (:func:`case_seed`), so the property checks recognise
the draws and the known mistakes reproduce them from the case alone.

``nn_model`` trains from random parameters; its cases bind ``initialize_parameters`` to
:func:`start_parameters`, the same ``N(0, 0.01^2)`` weights for the same sizes whatever ``rng``,
and the graded reference :func:`nn_model_from_start` trains from those. A short run from a known
start is deterministic, so it is compared with nnkit's training to many digits (long runs at
learning rate 1.2 are chaotic: they are never compared).

Only numpy and nnkit are imported: the sandbox imports this module.
"""

from __future__ import annotations

import numpy as np

from autograder.grading import draws
from autograder.grading.draws import STREAMS, case_generator, case_seed

from . import references as ref

__all__ = ["GlobalRandomStateUsed", "STREAMS", "case_seed", "case_generator", "fixed_seed_generator",
           "global_generator", "StrictRandomModule", "numpy_for_case", "default_rng_for_case",
           "random_binding", "start_parameters", "start_initializer", "nn_model_from_start", "START_SEED"]

#: the generator of :func:`start_parameters` is seeded by ``[START_SEED, n_x, n_h, n_y]``
START_SEED = 2


def fixed_seed_generator(seed: int) -> np.random.Generator:
    """What ``np.random.default_rng(<any number>)`` gives while graded: a hard-coded seed ignores ``rng``."""
    return case_generator(seed, "fixed")


def global_generator(seed: int) -> np.random.Generator:
    """What numpy's global random functions draw from while graded (in their initial state)."""
    return case_generator(seed, "global")


class GlobalRandomStateUsed(Exception):
    """A graded function drew from numpy's global random state instead of from ``rng``."""


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


class StrictRandomModule(draws.RandomModule):
    """``np.random`` while a case of assignment 2 is graded (see the module docstring)."""

    def _hard_coded_seed(self) -> np.random.Generator:
        return fixed_seed_generator(self._seed)

    def RandomState(self, *args, **kwargs):  # noqa: N802 (numpy's name)
        return _refuse("RandomState")(*args, **kwargs)

    def _not_a_draw(self, name: str):
        return _refuse(name)


numpy_for_case = StrictRandomModule.numpy_for_case
default_rng_for_case = StrictRandomModule.default_rng_for_case


def random_binding(seed: int) -> dict:
    """The ``Case.bind`` of a case that draws: ``np``, ``numpy`` and ``default_rng`` of :func:`numpy_for_case`."""
    return draws.bind_for(seed, StrictRandomModule)


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
