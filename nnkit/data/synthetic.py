"""Generated data sets, no download: the 2-D sets of the decision-boundary plots, and their n-D kin.

Every generator returns ``X`` of shape ``(n_x, m)`` and ``Y`` of shape ``(1, m)``: one example per
column, labels as floats (0./1. for two classes, class ids 0., 1., ... for more). Each takes a
keyword ``rng`` (a ``numpy.random.Generator`` or an int seed), so the same seed always gives the
same data and numpy's global random state is never touched.

The flower, moons and circles are the planar sets of the course; blobs and Gaussian quantiles
take any number of features and classes; :func:`make_overfit_set` is the noisy set of the
regularization lesson (a train and a test set).
"""

from __future__ import annotations

import numpy as np

from nnkit._checks import as_rng, check_int, check_number, check_positive, check_probability

__all__ = [
    "make_flower",
    "make_moons",
    "make_circles",
    "make_blobs",
    "make_gaussian_quantiles",
    "make_overfit_set",
]


# --------------------------------------------------------------------------- private helpers


def _columns(points: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Package ``(m, n_x)`` points and ``(m,)`` labels in the course layout: columns, float."""
    return np.ascontiguousarray(points.T, dtype=float), labels.astype(float).reshape(1, -1)


def _shuffle(points: np.ndarray, labels: np.ndarray, rng: np.random.Generator):
    """Shuffle rows of ``points`` and ``labels`` together, so classes are not stored in blocks."""
    order = rng.permutation(labels.shape[0])
    return points[order], labels[order]


# --------------------------------------------------------------------------- generators


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
