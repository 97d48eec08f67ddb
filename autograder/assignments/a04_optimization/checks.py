"""The property check of ``random_mini_batches``: what a right result is, whatever the permutation.

Checked in order, so that the first message names the first thing that is wrong: a list of
``(X_batch, Y_batch)`` pairs of 2-D arrays with the rows of ``X`` and ``Y``; every column a column of
``X`` with its own label beside it; every example exactly once; the sizes ``floor(m / b)`` times
``b``, then ``m % b``; a shuffled order; and that order drawn from ``rng``. The last property uses
the scripted draws of :mod:`.draws`: during grading ``rng`` is the case's scripted generator, whose
first permutation of ``m`` is known here, however the function asked for it. A result that has
every other property but another order was drawn from somewhere else (numpy's global random state,
a generator with a fixed seed, a second draw); the known mistakes of :mod:`.mistakes` name which.
"""

from __future__ import annotations

import numpy as np

from autograder.grading.compare import describe

from .draws import ScriptedGenerator, case_seed

__all__ = ["check_mini_batches", "batch_size_of"]


def batch_size_of(case) -> int:
    """The ``mini_batch_size`` a case passes (64, the default, when it passes none)."""
    if len(case.args) > 2:
        return int(case.args[2])
    return int(case.kwargs.get("mini_batch_size", 64))


def _arrays(result, X, Y) -> str | None:
    """The shape of the result: a list of pairs of 2-D numeric arrays with the rows of X and Y."""
    if not isinstance(result, (list, tuple)):
        return f"return a list of (X_batch, Y_batch) pairs, got {describe(result)}."
    if not result:
        return "the list of mini-batches is empty: every example must be in one batch."
    for k, pair in enumerate(result):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return f"batch {k} should be a pair (X_batch, Y_batch), got {describe(pair)}."
        for label, arr, rows in (("X_batch", pair[0], X.shape[0]), ("Y_batch", pair[1], Y.shape[0])):
            if not isinstance(arr, np.ndarray) or arr.ndim != 2 or arr.shape[0] != rows or arr.dtype.kind not in "biuf":
                return (f"batch {k}: {label} should be a 2-D array with {rows} row{'s' if rows > 1 else ''} "
                        f"(one column per example), got {describe(arr)}.")
        if pair[0].shape[1] != pair[1].shape[1]:
            return f"batch {k}: X_batch has {pair[0].shape[1]} examples but Y_batch has {pair[1].shape[1]}."
    return None


def _order(result, X, Y) -> tuple[list[int] | None, str | None]:
    """The example (column of X) behind every column of the batches, in order, or the reason why
    a column is not an example of X with its own label."""
    column_of = {X[:, j].astype(float).tobytes(): j for j in range(X.shape[1])}
    order = []
    for k, (Xb, Yb) in enumerate(result):
        for col in range(Xb.shape[1]):
            j = column_of.get(Xb[:, col].astype(float).tobytes())
            if j is None:
                return None, (f"batch {k} holds a column that is not a column of X: take whole columns of X "
                              "(X[:, permutation]), not rows or mixed entries.")
            if not np.array_equal(Yb[:, col].astype(float), Y[:, j].astype(float)):
                return None, (f"batch {k}: the labels are not those of their examples: reorder X and Y with the "
                              "same permutation, so that every column of Y stays beside its column of X.")
            order.append(j)
    return order, None


def check_mini_batches(case, result) -> str | None:
    """A failure message for the result of ``random_mini_batches`` on ``case``, or None."""
    X, Y = case.args[0], case.args[1]
    size, m = batch_size_of(case), X.shape[1]
    message = _arrays(result, X, Y)
    if message:
        return message
    order, message = _order(result, X, Y)
    if message:
        return message
    if sorted(order) != list(range(m)):
        missing, repeated = m - len(set(order)), len(order) - len(set(order))
        return (f"the batches must hold every example exactly once: {missing} of {m} examples are missing and "
                f"{repeated} are repeated.")
    sizes = [Xb.shape[1] for Xb, _ in result]
    expected = [size] * (m // size) + ([m % size] if m % size else [])
    if sizes != expected:
        return (f"the batch sizes should be {expected} (floor(m / mini_batch_size) full batches, then the "
                f"remaining m % mini_batch_size examples), got {sizes}.")
    if m >= 3 and order == list(range(m)):
        return "the examples are in their original order: shuffle the columns first."
    drawn = ScriptedGenerator(case_seed(X, Y, size)).permutation(m)
    if order != [int(j) for j in drawn]:
        return ("the batches are a shuffle, but not one drawn from rng: draw the permutation from the generator "
                "(rng.permutation(m), with rng = np.random.default_rng() when rng is None), once, and not from "
                "numpy's global random state or a generator seeded inside the function.")
    return None
