"""The 8x8 handwritten digits bundled with scikit-learn (offline), as 8-bit images.

The image set of the logistic-regression and deep-network notebooks: :func:`load_digits` gives
all 1797 images and their digits; :func:`load_digits_binary` turns two digits into a binary task
with a stratified, shuffled train/test split, labels in the course layout ``(1, m)``.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from nnkit._checks import as_rng, check_int, check_probability

__all__ = ["ImageSplit", "load_digits", "load_digits_binary"]


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
