"""Known mistakes in ``random_mini_batches``: each a small readable edit of the reference.

They draw, as the student's code does during grading, from the scripted generators of
:mod:`.draws` (the ``"rng"`` script when ``rng`` is None; the ``"global"`` and ``"fixed"`` scripts
for the global random state and a seed fixed inside the function), so a student whose batches
match one of them on every failing case made that mistake.
"""

from __future__ import annotations

import numpy as np

from .draws import ScriptedGenerator, case_seed


def _generator(X, Y, mini_batch_size, rng, stream="rng"):
    """The generator a student's code draws from during grading (see :mod:`.draws`)."""
    if rng is not None:
        return rng
    return ScriptedGenerator(case_seed(X, Y, mini_batch_size), stream)


def _cut(X_shuffled, Y_shuffled, size, *, remainder=True):
    m = X_shuffled.shape[1]
    end = m if remainder else (m // size) * size
    return [(X_shuffled[:, k:k + size], Y_shuffled[:, k:k + size]) for k in range(0, end, size)]


def _shuffled(X, Y, mini_batch_size, rng, stream="rng"):
    perm = _generator(X, Y, mini_batch_size, rng, stream).permutation(X.shape[1])
    return X[:, perm], Y[:, perm]


def batches_separate_permutations(X, Y, mini_batch_size=64, rng=None):
    g = _generator(X, Y, mini_batch_size, rng)
    m = X.shape[1]
    return _cut(X[:, g.permutation(m)], Y[:, g.permutation(m)], mini_batch_size)


def batches_drop_remainder(X, Y, mini_batch_size=64, rng=None):
    return _cut(*_shuffled(X, Y, mini_batch_size, rng), mini_batch_size, remainder=False)


def batches_not_shuffled(X, Y, mini_batch_size=64, rng=None):
    return _cut(X, Y, mini_batch_size)


def batches_global_state(X, Y, mini_batch_size=64, rng=None):
    # np.random.permutation(m): numpy's global random state, whatever rng is
    return _cut(*_shuffled(X, Y, mini_batch_size, None, "global"), mini_batch_size)


def batches_fixed_seed(X, Y, mini_batch_size=64, rng=None):
    # np.random.default_rng(0) (or any fixed seed) inside the function
    return _cut(*_shuffled(X, Y, mini_batch_size, None, "fixed"), mini_batch_size)


def batches_with_replacement(X, Y, mini_batch_size=64, rng=None):
    m = X.shape[1]
    idx = _generator(X, Y, mini_batch_size, rng).choice(m, m)  # replace=True by default
    return _cut(X[:, idx], Y[:, idx], mini_batch_size)


def batches_y_one_row(X, Y, mini_batch_size=64, rng=None):
    X_shuffled, Y_shuffled = _shuffled(X, Y, mini_batch_size, rng)
    return _cut(X_shuffled, Y_shuffled.reshape((1, X.shape[1])), mini_batch_size)


def batches_extra_empty(X, Y, mini_batch_size=64, rng=None):
    X_shuffled, Y_shuffled = _shuffled(X, Y, mini_batch_size, rng)
    m = X.shape[1]
    return [(X_shuffled[:, k * mini_batch_size:(k + 1) * mini_batch_size],
             Y_shuffled[:, k * mini_batch_size:(k + 1) * mini_batch_size]) for k in range(m // mini_batch_size + 1)]


def batches_last_full_size(X, Y, mini_batch_size=64, rng=None):
    X_shuffled, Y_shuffled = _shuffled(X, Y, mini_batch_size, rng)
    m = X.shape[1]
    out = _cut(X_shuffled, Y_shuffled, mini_batch_size, remainder=False)
    if m % mini_batch_size:
        out.append((X_shuffled[:, m - mini_batch_size:], Y_shuffled[:, m - mini_batch_size:]))
    return out


def batches_shuffled_rows(X, Y, mini_batch_size=64, rng=None):
    # rng.shuffle(X); rng.shuffle(Y): numpy shuffles along axis 0, the features, not the examples
    g = _generator(X, Y, mini_batch_size, rng)
    return _cut(g.permutation(X), g.permutation(Y), mini_batch_size)


def batches_y_one_dimensional(X, Y, mini_batch_size=64, rng=None):
    # stacks X and Y, shuffles, then splits off the last row as the labels: Y_batch is 1-D
    XY = np.vstack([X, Y])[:, _generator(X, Y, mini_batch_size, rng).permutation(X.shape[1])]
    inputs, labels = XY[:-1], XY[-1]
    m = X.shape[1]
    return [(inputs[:, k:k + mini_batch_size], labels[k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]


def batches_y_sliced_by_rows(X, Y, mini_batch_size=64, rng=None):
    X_shuffled, Y_shuffled = _shuffled(X, Y, mini_batch_size, rng)
    m = X.shape[1]
    return [(X_shuffled[:, k:k + mini_batch_size], Y_shuffled[k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]


def batches_remainder_twice(X, Y, mini_batch_size=64, rng=None):
    # ceil(m / b) batches (the last one already the remainder), then the remainder once more
    X_shuffled, Y_shuffled = _shuffled(X, Y, mini_batch_size, rng)
    m, b = X.shape[1], mini_batch_size
    n = -(-m // b)
    out = [(X_shuffled[:, k * b:(k + 1) * b], Y_shuffled[:, k * b:(k + 1) * b]) for k in range(n)]
    if m % b:
        out.append((X_shuffled[:, n * b - b:], Y_shuffled[:, n * b - b:]))
    return out


def batches_permutation_of_features(X, Y, mini_batch_size=64, rng=None):
    perm = _generator(X, Y, mini_batch_size, rng).permutation(X.shape[0])   # n_x, not m
    X_shuffled, Y_shuffled, b = X[:, perm], Y[:, perm], mini_batch_size
    return [(X_shuffled[:, k:k + b], Y_shuffled[:, k:k + b]) for k in range(0, X.shape[1], b)]  # cut as if m were there


def batches_rows_indexed(X, Y, mini_batch_size=64, rng=None):
    perm = _generator(X, Y, mini_batch_size, rng).permutation(X.shape[1])
    return _cut(X[perm], Y[:, perm], mini_batch_size)                       # X[perm]: rows


def batches_fixed_size(X, Y, mini_batch_size=64, rng=None):
    return _cut(*_shuffled(X, Y, mini_batch_size, rng), 64)
