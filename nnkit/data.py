"""Small data sets that need no download, plus the column-wise helpers that feed them to a network.

Every generator returns ``X`` of shape ``(n_x, m)`` and ``Y`` of shape ``(1, m)``: one example per
column, labels as floats (0./1. for two classes, class ids 0., 1., ... for more). Every function
that draws random numbers takes a keyword ``rng`` (a ``numpy.random.Generator`` or an int seed),
so the same seed always gives the same data and numpy's global random state is never touched.

The 2-D sets (flower, moons, circles, blobs, Gaussian quantiles, the overfitting set) are for
plotting decision boundaries; the 8x8 handwritten digits (bundled with scikit-learn, so offline)
are the image set for the logistic-regression and deep-network notebooks.

Non-goals: no downloads, no file I/O, no data augmentation or normalisation (the notebooks do
that by hand, because that is the lesson), and no pandas.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from nnkit._checks import (
    as_array,
    as_rng,
    check_int,
    check_number,
    check_positive,
    check_probability,
    check_same_columns,
)

__all__ = [
    "make_flower",
    "make_moons",
    "make_circles",
    "make_blobs",
    "make_gaussian_quantiles",
    "make_overfit_set",
    "load_digits",
    "load_digits_binary",
    "ImageSplit",
    "one_hot",
    "train_test_split",
    "random_mini_batches",
]


# --------------------------------------------------------------------------- private helpers


def _columns(points: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Package ``(m, n_x)`` points and ``(m,)`` labels in the course layout: columns, float."""
    return np.ascontiguousarray(points.T, dtype=float), labels.astype(float).reshape(1, -1)


def _shuffle(points: np.ndarray, labels: np.ndarray, rng: np.random.Generator):
    """Shuffle rows of ``points`` and ``labels`` together, so classes are not stored in blocks."""
    order = rng.permutation(labels.shape[0])
    return points[order], labels[order]


# --------------------------------------------------------------------------- 2-D generators


def make_flower(m: int = 400, *, rng, petals: int = 4, noise: float = 0.2):
    """The planar "flower": two interleaved classes that no straight line can separate.

    Class ``j`` (0 or 1) follows the angle ``t = linspace(3.12 j, 3.12 (j+1)) + noise * N(0, 1)``
    and radius ``r = 4 sin(petals * t) + noise * N(0, 1)``; its points are ``(r sin t, r cos t)``.
    Points are stored class 0 first, then class 1, as in the classic course.

    Parameters
    ----------
    m : int, default 400
        Number of examples; class 0 gets ``m // 2``, class 1 the other ``m - m // 2``.
    rng : numpy.random.Generator or int
        Source of randomness (keyword only).
    petals : int, default 4
        Angular frequency of the radius; the flower has ``2 * petals`` petals.
    noise : float, default 0.2
        Standard deviation of the noise added to both angle and radius (``>= 0``).

    Returns
    -------
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m)
        0./1. class labels.
    """
    m = check_int("m", m, 2)
    petals = check_int("petals", petals, 1)
    noise = check_positive("noise", noise, allow_zero=True)
    rng = as_rng(rng)
    a = 4.0  # maximum petal length, as in the original data set
    points, labels = [], []
    for j, n_j in enumerate((m // 2, m - m // 2)):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n_j) + noise * rng.standard_normal(n_j)
        r = a * np.sin(petals * t) + noise * rng.standard_normal(n_j)
        points.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        labels.append(np.full(n_j, j))
    return _columns(np.concatenate(points), np.concatenate(labels))


def make_moons(m: int = 300, *, rng, noise: float = 0.2):
    """Two interleaving half circles (the geometry of ``sklearn.datasets.make_moons``).

    Parameters
    ----------
    m : int, default 300
        Number of examples: ``m // 2`` on the upper moon (class 0), the rest on the lower (class 1).
    rng : numpy.random.Generator or int
        Source of randomness (keyword only).
    noise : float, default 0.2
        Standard deviation of Gaussian noise added to each coordinate (``>= 0``).

    Returns
    -------
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m)
        0./1. class labels, examples in random order.
    """
    m = check_int("m", m, 2)
    noise = check_positive("noise", noise, allow_zero=True)
    rng = as_rng(rng)
    n_out = m // 2
    n_in = m - n_out
    s_out = np.linspace(0, np.pi, n_out)
    s_in = np.linspace(0, np.pi, n_in)
    points = np.concatenate(
        [
            np.column_stack([np.cos(s_out), np.sin(s_out)]),
            np.column_stack([1 - np.cos(s_in), 0.5 - np.sin(s_in)]),
        ]
    )
    labels = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    points, labels = _shuffle(points, labels, rng)
    points = points + rng.normal(scale=noise, size=points.shape)
    return _columns(points, labels)


def make_circles(m: int = 300, *, rng, noise: float = 0.05, factor: float = 0.5):
    """A small circle inside a large one (the geometry of ``sklearn.datasets.make_circles``).

    Parameters
    ----------
    m : int, default 300
        Number of examples: ``m // 2`` on the outer circle (class 0), the rest inside (class 1).
    rng : numpy.random.Generator or int
        Source of randomness (keyword only).
    noise : float, default 0.05
        Standard deviation of Gaussian noise added to each coordinate (``>= 0``).
    factor : float, default 0.5
        Radius of the inner circle relative to the outer one, in ``[0, 1)``.

    Returns
    -------
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m)
        0./1. class labels, examples in random order.
    """
    m = check_int("m", m, 2)
    noise = check_positive("noise", noise, allow_zero=True)
    factor = check_probability("factor", factor, low_open=False, high_open=True)
    rng = as_rng(rng)
    n_out = m // 2
    n_in = m - n_out
    # endpoint=False so the first and last point of a circle do not coincide
    s_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    s_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    points = np.concatenate(
        [
            np.column_stack([np.cos(s_out), np.sin(s_out)]),
            factor * np.column_stack([np.cos(s_in), np.sin(s_in)]),
        ]
    )
    labels = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    points, labels = _shuffle(points, labels, rng)
    points = points + rng.normal(scale=noise, size=points.shape)
    return _columns(points, labels)


def make_blobs(m: int = 200, *, rng, n_classes: int = 2, cluster_std: float = 1.0, n_features: int = 2):
    """Isotropic Gaussian clusters, one per class, centres drawn uniformly in ``[-10, 10]^n_features``.

    Parameters
    ----------
    m : int, default 200
        Number of examples, split as evenly as possible (the first ``m % n_classes`` classes get one
        more).
    rng : numpy.random.Generator or int
        Source of randomness (keyword only).
    n_classes : int, default 2
        Number of clusters (``>= 2``).
    cluster_std : float, default 1.0
        Standard deviation of every cluster (``>= 0``).
    n_features : int, default 2
        Dimension ``n_x`` of each example.

    Returns
    -------
    X : ndarray of shape (n_features, m)
    Y : ndarray of shape (1, m)
        Class ids 0., 1., ..., ``n_classes - 1``, examples in random order.
    """
    m = check_int("m", m, 1)
    n_classes = check_int("n_classes", n_classes, 2)
    if m < n_classes:
        raise ValueError(f"m must be >= n_classes so every class has an example, got m={m}, n_classes={n_classes}.")
    cluster_std = check_positive("cluster_std", cluster_std, allow_zero=True)
    n_features = check_int("n_features", n_features, 1)
    rng = as_rng(rng)
    centers = rng.uniform(-10.0, 10.0, size=(n_classes, n_features))
    counts = [m // n_classes + (1 if k < m % n_classes else 0) for k in range(n_classes)]
    labels = np.repeat(np.arange(n_classes), counts)
    points = centers[labels] + rng.normal(scale=cluster_std, size=(m, n_features))
    return _columns(*_shuffle(points, labels, rng))


def make_gaussian_quantiles(m: int = 200, *, rng, n_features: int = 2, n_classes: int = 2):
    """Standard normal points labelled by distance from the origin: nested shells of equal size.

    As in ``sklearn.datasets.make_gaussian_quantiles``: the ``m // n_classes`` points closest to the
    origin are class 0, the next shell class 1, ...; the last class also takes the remainder.

    Parameters
    ----------
    m : int, default 200
        Number of examples (``>= n_classes``).
    rng : numpy.random.Generator or int
        Source of randomness (keyword only).
    n_features : int, default 2
        Dimension ``n_x`` of each example.
    n_classes : int, default 2
        Number of shells (``>= 2``).

    Returns
    -------
    X : ndarray of shape (n_features, m)
    Y : ndarray of shape (1, m)
        Class ids 0., 1., ..., ``n_classes - 1``, examples in random order.
    """
    m = check_int("m", m, 1)
    n_features = check_int("n_features", n_features, 1)
    n_classes = check_int("n_classes", n_classes, 2)
    if m < n_classes:
        raise ValueError(f"m must be >= n_classes so every class has an example, got m={m}, n_classes={n_classes}.")
    rng = as_rng(rng)
    points = rng.standard_normal((m, n_features))
    rank = np.empty(m, dtype=int)
    rank[np.argsort(np.sum(points**2, axis=1), kind="stable")] = np.arange(m)
    # the points are already in random order, so labelling by rank needs no extra shuffle
    labels = np.minimum(rank // (m // n_classes), n_classes - 1)
    return _columns(points, labels)


def _overfit_sample(m, rng, noise, curvature, width):
    """Draw ``m`` labelled points for :func:`make_overfit_set` (same distribution on every call)."""
    points = rng.uniform(-0.75, 0.75, size=(m, 2))
    x1, x2 = points[:, 0], points[:, 1]
    # 0.1875 = E[x1**2] on [-0.75, 0.75], so the two classes come out roughly balanced
    boundary = curvature * (x1**2 - 0.1875) + 0.15 * np.sin(3.0 * x1)
    gap = x2 - boundary  # vertical distance to the boundary: enough for a gently curved line
    labels = (gap > 0).astype(float)
    n_flip = int(round(noise * m))
    if n_flip:
        # flip labels mostly close to the boundary, like players caught on the wrong side of it
        weight = np.exp(-0.5 * (gap / width) ** 2)
        flip = rng.choice(m, size=n_flip, replace=False, p=weight / weight.sum())
        labels[flip] = 1.0 - labels[flip]
    return _columns(points, labels)


def make_overfit_set(*, rng, m_train: int = 211, m_test: int = 200, noise: float = 0.12,
                     curvature: float = 1.0, width: float = 0.7):
    """A noisy 2-D binary set on which an unregularised network overfits (for the L2/dropout lesson).

    It stands in for the "goalkeeper" data set of the classic course: positions in
    ``[-0.75, 0.75]^2``, two classes split by a smooth, slightly curved boundary, and a fraction of
    labels flipped near that boundary. A big enough network (e.g. ``[2, 20, 3, 1]``, ReLU, ~30000
    full-batch steps) carves small islands around the flipped points, so its train accuracy ends
    clearly above its test accuracy; L2 or dropout smooth those islands away. Train and test sets
    are drawn independently from the same distribution.

    The defaults were chosen so that the lesson holds robustly (``nnkit.experiments``, table 2:
    ``[2, 20, 3, 1]``, Xavier-scaled init, full-batch GD, lr 0.3, 30000 steps, seeds 0-9): the
    unregularised network reaches about 88% train / 82% test accuracy, L2 with ``lambd=0.7`` about
    87% / 85%, dropout with ``keep_prob=0.86`` about 88% / 85%; both regularised models beat the
    unregularised one on test accuracy for all ten seeds. With ``noise=0.07, width=0.4`` the numbers
    are closer to the classic course's (about 94% / 89% unregularised) but the regularised models
    win on only about 8 seeds in 10, by smaller margins. To widen the gap, raise ``noise`` or lower
    ``m_train``; the test accuracy of any model stays below about ``1 - noise``.

    Parameters
    ----------
    rng : numpy.random.Generator or int
        Source of randomness (keyword only).
    m_train, m_test : int, default 211 and 200
        Sizes of the two sets.
    noise : float, default 0.12
        Fraction of labels flipped in each set, in ``[0, 0.5)``. More noise means more to overfit,
        and also a lower ceiling (about ``1 - noise``) on any model's test accuracy.
    curvature : float, default 1.0
        How strongly the boundary ``x2 = curvature * (x1**2 - 0.1875) + 0.15 sin(3 x1)`` bends.
    width : float, default 0.7
        How far from the boundary flips happen: flip probability is proportional to
        ``exp(-gap**2 / (2 width**2))`` where ``gap`` is the vertical distance to the boundary.
        Small widths put the noise right on the line; large ones spread it over the field.

    Returns
    -------
    X_train : ndarray of shape (2, m_train)
    Y_train : ndarray of shape (1, m_train)
    X_test : ndarray of shape (2, m_test)
    Y_test : ndarray of shape (1, m_test)
    """
    m_train = check_int("m_train", m_train, 1)
    m_test = check_int("m_test", m_test, 1)
    noise = check_probability("noise", noise, low_open=False, high_open=True)
    if noise >= 0.5:
        raise ValueError(f"noise must lie in [0, 0.5) (flipping half the labels erases the classes), got {noise!r}.")
    curvature = check_number("curvature", curvature)
    width = check_positive("width", width)
    rng = as_rng(rng)
    X_train, Y_train = _overfit_sample(m_train, rng, noise, curvature, width)
    X_test, Y_test = _overfit_sample(m_test, rng, noise, curvature, width)
    return X_train, Y_train, X_test, Y_test


# --------------------------------------------------------------------------- digit images


class ImageSplit(NamedTuple):
    """A train/test split of images, labels in the course layout.

    Attributes
    ----------
    train_images : ndarray of shape (m_train, 8, 8, 1), uint8
    train_labels : ndarray of shape (1, m_train), float 0./1.
    test_images : ndarray of shape (m_test, 8, 8, 1), uint8
    test_labels : ndarray of shape (1, m_test), float 0./1.
    class_names : tuple of str
        ``class_names[label]`` names a label, e.g. ``("8", "3")``.
    """

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    class_names: tuple


@functools.lru_cache(maxsize=1)
def _digits_arrays():
    """Load the bundled digits once; arrays are read-only so a cached copy cannot be corrupted."""
    from sklearn.datasets import load_digits as _sk_load_digits  # imported lazily: sklearn is slow

    bunch = _sk_load_digits()
    # pixels are 0..16; round half up to 0..255 so the images look like ordinary 8-bit pictures
    images = np.floor(bunch.images * 255.0 / 16.0 + 0.5).astype(np.uint8)[..., np.newaxis]
    labels = bunch.target.astype(np.int64)
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def load_digits():
    """scikit-learn's 1797 bundled 8x8 handwritten digits, as 8-bit images (no download).

    Returns
    -------
    images : ndarray of shape (m, 8, 8, 1), uint8
        Grey levels 0..255 (the original 0..16 rescaled by ``round(x * 255 / 16)``).
    labels : ndarray of shape (m,), int
        The digit 0..9 shown in each image.
    """
    images, labels = _digits_arrays()
    return images.copy(), labels.copy()


def load_digits_binary(positive: int = 3, negative: int = 8, *, rng, test_fraction: float = 0.3) -> ImageSplit:
    """Two digits as a binary image task ("is it a ``positive``?"), with a stratified shuffled split.

    Parameters
    ----------
    positive : int, default 3
        Digit labelled 1.
    negative : int, default 8
        Digit labelled 0; must differ from ``positive``.
    rng : numpy.random.Generator or int
        Source of randomness for the split and the order (keyword only).
    test_fraction : float, default 0.3
        Fraction of each digit's images put in the test set, in ``(0, 1)``.

    Returns
    -------
    ImageSplit
        ``(train_images, train_labels, test_images, test_labels, class_names)`` with images of
        shape ``(m, 8, 8, 1)`` uint8, labels of shape ``(1, m)`` float 0./1., and
        ``class_names == (str(negative), str(positive))``.
    """
    positive = check_int("positive", positive, minimum=0, maximum=9)
    negative = check_int("negative", negative, minimum=0, maximum=9)
    if positive == negative:
        raise ValueError(f"positive and negative must be different digits, got both = {positive!r}.")
    test_fraction = check_probability("test_fraction", test_fraction, high_open=True)
    rng = as_rng(rng)
    images, digits = _digits_arrays()
    train_idx, test_idx = [], []
    for digit in (negative, positive):
        idx = rng.permutation(np.flatnonzero(digits == digit))
        n_test = int(round(test_fraction * idx.size))
        if not 0 < n_test < idx.size:
            raise ValueError(
                f"test_fraction={test_fraction!r} leaves an empty train or test set for digit {digit} "
                f"({idx.size} images); choose a value between 0.05 and 0.95."
            )
        test_idx.append(idx[:n_test])
        train_idx.append(idx[n_test:])
    # mix the two digits so that the order carries no information about the label
    train_idx = rng.permutation(np.concatenate(train_idx))
    test_idx = rng.permutation(np.concatenate(test_idx))
    return ImageSplit(
        train_images=images[train_idx].copy(),
        train_labels=(digits[train_idx] == positive).astype(float).reshape(1, -1),
        test_images=images[test_idx].copy(),
        test_labels=(digits[test_idx] == positive).astype(float).reshape(1, -1),
        class_names=(str(negative), str(positive)),
    )


# --------------------------------------------------------------------------- column helpers


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
