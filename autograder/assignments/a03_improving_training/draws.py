"""Random draws while grading: the numpy that assignment 3's random functions see, case by case.

The random functions (``initialize_parameters_random``, ``initialize_parameters_he``,
``forward_propagation_with_dropout``) take ``rng``, where ``None`` means
``np.random.default_rng()``. Their cases leave ``rng`` at None and bind ``np`` (and ``numpy``,
``default_rng``) to the grading core's numpy of a case (:mod:`autograder.grading.draws`, which says
why and describes the streams), as it is: ``np.random.default_rng()`` gives the case's ``"rng"``
stream, a real ``numpy.random.Generator`` (PCG64), so every way of drawing from it
(``standard_normal``, ``normal``, ``random``, ``uniform``, ``binomial``) gives what it would give
on a student's machine; a hard-coded seed gives the ``"fixed"`` stream; numpy's global functions
and ``np.random.RandomState(...)`` draw from the ``"global"`` stream, and ``np.random.seed`` does
nothing.

The seed of a case is a hash of its arguments (:func:`case_seed`), so the property checks and the
known mistakes rebuild every stream from the case alone and draw the same numbers as the student's
code did. The sandbox imports this module: it needs numpy only.
"""

from __future__ import annotations

import numpy as np

from autograder.grading.draws import (STREAMS, bind_for, case_generator, case_seed, default_rng_for_case,
                                      numpy_for_case)

__all__ = ["STREAMS", "case_seed", "case_generator", "numpy_for_case", "default_rng_for_case", "bind_for",
           "generator_or_case"]


def generator_or_case(rng, *arguments) -> np.random.Generator:
    """``rng`` itself, or (when it is None) the case's ``"rng"`` stream for these arguments: how the
    trusted side draws exactly what a student's function drew while graded with ``rng=None``."""
    return case_generator(case_seed(*arguments)) if rng is None else rng
