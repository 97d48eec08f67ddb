"""Small data sets that need no download, plus the column-wise helpers that feed them to a network.

Every generator returns ``X`` of shape ``(n_x, m)`` and ``Y`` of shape ``(1, m)``: one example per
column, labels as floats (0./1. for two classes, class ids 0., 1., ... for more). Every function
that draws random numbers takes a keyword ``rng`` (a ``numpy.random.Generator`` or an int seed),
so the same seed always gives the same data and numpy's global random state is never touched.

The 2-D sets (flower, moons, circles, blobs, Gaussian quantiles, the overfitting set) are for
plotting decision boundaries; the 8x8 handwritten digits (bundled with scikit-learn, so offline)
are the image set for the logistic-regression and deep-network notebooks.

Three modules, re-exported here (import from ``nnkit.data``): :mod:`nnkit.data.synthetic` (the
generators), :mod:`nnkit.data.digits` (the images) and :mod:`nnkit.data.columns` (one-hot labels,
train/test split, mini-batches).

Non-goals: no downloads, no file I/O, no data augmentation or normalisation (the notebooks do
that by hand, because that is the lesson), and no pandas.
"""

from nnkit.data.columns import one_hot, random_mini_batches, train_test_split
from nnkit.data.digits import ImageSplit, load_digits, load_digits_binary
from nnkit.data.synthetic import (
    make_blobs,
    make_circles,
    make_flower,
    make_gaussian_quantiles,
    make_moons,
    make_overfit_set,
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
