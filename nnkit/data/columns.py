"""Column-wise helpers that feed data to a network: one-hot labels, a train/test split, mini-batches.

Examples are columns: ``X`` is ``(n_x, m)`` and ``Y`` is ``(n_y, m)``, and every helper keeps
column ``i`` of ``X`` with column ``i`` of ``Y``. The random ones take a keyword ``rng``.
"""

from __future__ import annotations

import numpy as np

from nnkit._checks import as_array, as_rng, check_int, check_probability, check_same_columns

__all__ = ["one_hot", "train_test_split", "random_mini_batches"]


def one_hot(labels, n_classes: int | None = None) -> np.ndarray:
    """One-hot encode integer class ids: column ``i`` has a 1 in row ``labels[i]``.

    Parameters
    ----------
    labels : array_like of shape (1, m) or (m,)
        Integer class ids ``0 .. n_classes - 1`` (floats such as ``3.0`` are fine).
    n_classes : int, optional
        Number of rows ``K``; defaults to ``max(labels) + 1``.

    Returns
    -------
    ndarray of shape (K, m)
        Float 0./1., exactly one 1 per column.
    """
    arr = as_array("labels", labels, ndim=None)
    if arr.ndim == 2 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.ndim != 1:
        raise ValueError(f"labels must have shape (1, m) or (m,), got {arr.shape}. Pass class ids, not a one-hot array.")
    if arr.size == 0:
        raise ValueError("labels is empty: one_hot needs at least one example.")
    if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)) or np.any(arr < 0):
        raise ValueError(f"labels must hold non-negative integer class ids, got values such as {np.unique(arr)[:5].tolist()}.")
    ids = arr.astype(int)
    if n_classes is None:
        n_classes = int(ids.max()) + 1
    else:
        n_classes = check_int("n_classes", n_classes, 1)
        if ids.max() >= n_classes:
            raise ValueError(f"labels contain class id {ids.max()} but n_classes={n_classes}; use n_classes >= {ids.max() + 1}.")
    encoded = np.zeros((n_classes, ids.size))
    encoded[ids, np.arange(ids.size)] = 1.0
    return encoded


def train_test_split(X, Y, *, test_fraction: float, rng):
    """Split the columns of ``X`` and ``Y`` at random into a train and a test set.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (n_y, m)
        Labels (``(1, m)`` ids or ``(K, m)`` one-hot); column ``i`` belongs to ``X[:, i]``.
    test_fraction : float
        Fraction of the columns put in the test set, in ``(0, 1)``; rounded to a whole number.
    rng : numpy.random.Generator or int
        Source of randomness (keyword only).

    Returns
    -------
    X_train : ndarray of shape (n_x, m - m_test)
    Y_train : ndarray of shape (n_y, m - m_test)
    X_test : ndarray of shape (n_x, m_test)
    Y_test : ndarray of shape (n_y, m_test)
        With ``m_test = round(test_fraction * m)``.
    """
    X = as_array("X", X)
    Y = as_array("Y", Y)
    m = check_same_columns(X=X, Y=Y)
    test_fraction = check_probability("test_fraction", test_fraction, high_open=True)
    rng = as_rng(rng)
    m_test = int(round(test_fraction * m))
    if not 0 < m_test < m:
        raise ValueError(
            f"test_fraction={test_fraction!r} of m={m} examples gives {m_test} test examples; "
            "both sets need at least one, so use more examples or a different test_fraction."
        )
    order = rng.permutation(m)
    test, train = order[:m_test], order[m_test:]
    return X[:, train], Y[:, train], X[:, test], Y[:, test]


def random_mini_batches(X, Y, mini_batch_size: int = 64, *, rng) -> list:
    """Shuffle the examples once and cut them into consecutive mini-batches.

    One permutation is applied to the columns of ``X`` and ``Y`` together (so every example keeps
    its label), then the columns are cut into batches of ``mini_batch_size``; the last batch holds
    the remaining ``m % mini_batch_size`` examples when that is not zero.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (n_y, m)
    mini_batch_size : int, default 64
        Number of examples per batch (``>= 1``). Powers of two are customary, not required.
    rng : numpy.random.Generator or int
        Source of randomness (keyword only); pass a new seed or the same Generator each epoch.

    Returns
    -------
    list of (X_batch, Y_batch)
        ``X_batch`` of shape ``(n_x, b)`` and ``Y_batch`` of shape ``(n_y, b)``;
        ``ceil(m / mini_batch_size)`` batches in all.
    """
    X = as_array("X", X)
    Y = as_array("Y", Y)
    m = check_same_columns(X=X, Y=Y)
    mini_batch_size = check_int("mini_batch_size", mini_batch_size, 1)
    rng = as_rng(rng)
    order = rng.permutation(m)
    X_shuffled, Y_shuffled = X[:, order], Y[:, order]
    return [
        (X_shuffled[:, k:k + mini_batch_size], Y_shuffled[:, k:k + mini_batch_size])
        for k in range(0, m, mini_batch_size)
    ]
