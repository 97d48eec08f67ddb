"""Tests for nnkit.data: shapes, labels, reproducibility, and the column conventions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnkit import data

# name -> (generator with its defaults, expected n_x, expected m)
GENERATORS = {
    "flower": (data.make_flower, 2, 400),
    "moons": (data.make_moons, 2, 300),
    "circles": (data.make_circles, 2, 300),
    "blobs": (data.make_blobs, 2, 200),
    "quantiles": (data.make_gaussian_quantiles, 2, 200),
}


def _overfit_train(rng):
    X_train, Y_train, _, _ = data.make_overfit_set(rng=rng)
    return X_train, Y_train


def _overfit_test(rng):
    _, _, X_test, Y_test = data.make_overfit_set(rng=rng)
    return X_test, Y_test


# every drawing function, reduced to rng -> tuple of arrays, for the reproducibility tests
DRAWERS = {
    **{name: (lambda rng, f=f: f(rng=rng)) for name, (f, _, _) in GENERATORS.items()},
    "overfit_train": _overfit_train,
    "overfit_test": _overfit_test,
    "digits_binary": lambda rng: tuple(data.load_digits_binary(rng=rng)[:4]),
    "train_test_split": lambda rng: data.train_test_split(
        np.arange(20.0).reshape(2, 10), np.arange(10.0).reshape(1, 10), test_fraction=0.3, rng=rng
    ),
    "mini_batches": lambda rng: tuple(
        a for batch in data.random_mini_batches(np.arange(20.0).reshape(2, 10), np.zeros((1, 10)), 4, rng=rng)
        for a in batch
    ),
}


def _same(a, b):
    return len(a) == len(b) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b))


# ----------------------------------------------------------------------------- generators


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_shapes_dtypes_and_binary_labels(name):
    make, n_x, m = GENERATORS[name]
    X, Y = make(rng=0)
    assert X.shape == (n_x, m) and Y.shape == (1, m)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert np.all(np.isfinite(X))
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert Y.sum() == m // 2  # the default sizes are even, so the classes are exactly balanced


@pytest.mark.parametrize("name", GENERATORS)
@pytest.mark.parametrize("m", [2, 7, 31])
def test_generator_respects_m_even_when_odd(name, m):
    X, Y = GENERATORS[name][0](m, rng=1)
    assert X.shape[1] == Y.shape[1] == m
    assert set(np.unique(Y)) == {0.0, 1.0}


def test_flower_is_not_linearly_separable():
    from sklearn.linear_model import LogisticRegression

    X, Y = data.make_flower(rng=1)
    clf = LogisticRegression().fit(X.T, Y.ravel())
    assert clf.score(X.T, Y.ravel()) < 0.75


def test_flower_has_the_classic_geometry_without_noise():
    X, Y = data.make_flower(400, rng=0, noise=0.0)
    t0 = np.linspace(0, 3.12, 200)
    r0 = 4 * np.sin(4 * t0)
    np.testing.assert_allclose(X[:, :200], np.vstack([r0 * np.sin(t0), r0 * np.cos(t0)]), atol=1e-12)
    assert np.all(Y[0, :200] == 0) and np.all(Y[0, 200:] == 1)


@pytest.mark.parametrize("m", [7, 300])
@pytest.mark.parametrize("which", ["moons", "circles"])
def test_moons_and_circles_match_sklearn_geometry(which, m):
    import sklearn.datasets as skd

    if which == "moons":
        X, Y = data.make_moons(m, rng=0, noise=0.0)
        Xs, ys = skd.make_moons(m, noise=None, random_state=0)
    else:
        X, Y = data.make_circles(m, rng=0, noise=0.0, factor=0.3)
        Xs, ys = skd.make_circles(m, noise=None, factor=0.3, random_state=0)
    ours = np.column_stack([X.T, Y.T])
    theirs = np.column_stack([Xs, ys])
    # same points with the same labels, up to order
    ours = ours[np.lexsort(ours.T[::-1])]
    theirs = theirs[np.lexsort(theirs.T[::-1])]
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_blobs_classes_features_and_zero_spread():
    X, Y = data.make_blobs(10, rng=3, n_classes=3, n_features=5, cluster_std=0.0)
    assert X.shape == (5, 10) and Y.shape == (1, 10)
    assert np.bincount(Y[0].astype(int)).tolist() == [4, 3, 3]
    for k in range(3):
        members = X[:, Y[0] == k]
        assert np.allclose(members, members[:, :1])  # zero spread: all at the centre
        assert np.all(np.abs(members) <= 10)


def test_gaussian_quantiles_are_nested_shells():
    X, Y = data.make_gaussian_quantiles(11, rng=4, n_classes=3, n_features=3)
    assert X.shape == (3, 11)
    assert np.bincount(Y[0].astype(int)).tolist() == [3, 3, 5]
    radius = np.linalg.norm(X, axis=0)
    for k in range(2):
        assert radius[Y[0] == k].max() <= radius[Y[0] == k + 1].min()


def _clean_overfit_labels(X, curvature=1.0):
    """The noise-free rule stated in make_overfit_set's docstring."""
    boundary = curvature * (X[0] ** 2 - 0.1875) + 0.15 * np.sin(3 * X[0])
    return (X[1] > boundary).astype(float)


def test_overfit_set_shapes_balance_and_flip_count():
    X_train, Y_train, X_test, Y_test = data.make_overfit_set(rng=0, noise=0.1)
    assert X_train.shape == (2, 211) and Y_train.shape == (1, 211)
    assert X_test.shape == (2, 200) and Y_test.shape == (1, 200)
    for X, Y in ((X_train, Y_train), (X_test, Y_test)):
        assert set(np.unique(Y)) == {0.0, 1.0}
        assert 0.3 < Y.mean() < 0.7
        assert np.all(np.abs(X) <= 0.75)
        assert np.sum(Y[0] != _clean_overfit_labels(X)) == round(0.1 * X.shape[1])


def test_overfit_set_noise_zero_is_clean_and_flips_sit_near_the_boundary():
    X, Y, _, _ = data.make_overfit_set(rng=5, noise=0.0, m_train=500)
    np.testing.assert_array_equal(Y[0], _clean_overfit_labels(X))
    X, Y, _, _ = data.make_overfit_set(rng=5, noise=0.2, m_train=2000, width=0.05)
    flipped = Y[0] != _clean_overfit_labels(X)
    gap = np.abs(X[1] - (X[0] ** 2 - 0.1875) - 0.15 * np.sin(3 * X[0]))
    assert np.median(gap[flipped]) < np.median(gap[~flipped])


# ----------------------------------------------------------------------------- randomness


@pytest.mark.parametrize("name", DRAWERS)
def test_reproducible_from_seed_and_generator_and_different_for_other_seed(name):
    draw = DRAWERS[name]
    first = draw(0)
    assert _same(first, draw(0))
    assert _same(first, draw(np.random.default_rng(0)))  # an int seed means default_rng(seed)
    assert not _same(first, draw(1))


@pytest.mark.parametrize("name", DRAWERS)
def test_global_numpy_random_state_is_untouched(name):
    np.random.seed(1234)
    expected = np.random.random(3)
    np.random.seed(1234)
    DRAWERS[name](0)
    np.testing.assert_array_equal(np.random.random(3), expected)


@pytest.mark.parametrize("name", DRAWERS)
@pytest.mark.parametrize("bad", [None, 1.5, "0", True])
def test_rng_must_be_a_generator_or_int(name, bad):
    with pytest.raises(TypeError, match="rng"):
        DRAWERS[name](bad)


def test_shared_generator_advances_between_calls():
    rng = np.random.default_rng(0)
    a = data.make_moons(rng=rng)
    b = data.make_moons(rng=rng)
    assert not _same(a, b)


# ----------------------------------------------------------------------------- digits


def test_load_digits_images_and_labels():
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8, 1) and images.dtype == np.uint8
    assert labels.shape == (1797,) and np.issubdtype(labels.dtype, np.integer)
    assert set(np.unique(labels)) == set(range(10))
    assert images.min() == 0 and images.max() == 255
    allowed = {int(np.floor(k * 255 / 16 + 0.5)) for k in range(17)}
    assert set(np.unique(images).tolist()) <= allowed


def test_load_digits_returns_independent_copies():
    images, labels = data.load_digits()
    images[:] = 7
    labels[:] = -1
    images2, labels2 = data.load_digits()
    assert images2.max() == 255 and labels2.min() == 0


def test_load_digits_binary_split():
    split = data.load_digits_binary(positive=3, negative=8, rng=0, test_fraction=0.3)
    assert isinstance(split, data.ImageSplit)
    assert split.class_names == ("8", "3")
    _, digits = data.load_digits()
    n_pos, n_neg = np.sum(digits == 3), np.sum(digits == 8)
    m_train, m_test = split.train_images.shape[0], split.test_images.shape[0]
    assert m_train + m_test == n_pos + n_neg
    assert split.train_images.shape[1:] == (8, 8, 1) and split.train_images.dtype == np.uint8
    assert split.test_images.shape[1:] == (8, 8, 1) and split.test_images.dtype == np.uint8
    assert split.train_labels.shape == (1, m_train) and split.test_labels.shape == (1, m_test)
    assert split.train_labels.dtype == np.float64
    for labels in (split.train_labels, split.test_labels):
        assert set(np.unique(labels)) == {0.0, 1.0}
    # stratified: each digit is split with the requested fraction
    assert split.test_labels.sum() == round(0.3 * n_pos)
    assert m_test - split.test_labels.sum() == round(0.3 * n_neg)
    # shuffled: in neither set are the labels stored in two blocks
    assert np.count_nonzero(np.diff(split.train_labels[0])) > 10
    assert np.count_nonzero(np.diff(split.test_labels[0])) > 10


def test_load_digits_binary_images_match_their_labels():
    images, digits = data.load_digits()
    split = data.load_digits_binary(positive=0, negative=1, rng=2)
    zeros = {im.tobytes() for im in images[digits == 0]}
    for im, label in zip(split.test_images, split.test_labels[0]):
        assert (im.tobytes() in zeros) == (label == 1.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(positive=3, negative=3), "different"),
        (dict(positive=10), "positive"),
        (dict(negative=-1), "negative"),
        (dict(positive=2.0), "positive"),
        (dict(test_fraction=0.0), "test_fraction"),
        (dict(test_fraction=1.0), "test_fraction"),
        (dict(test_fraction=0.001), "test_fraction"),
    ],
)
def test_load_digits_binary_validates(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        data.load_digits_binary(rng=0, **kwargs)


# ----------------------------------------------------------------------------- one_hot


@given(st.lists(st.integers(0, 6), min_size=1, max_size=40), st.integers(0, 3))
def test_one_hot_round_trip(ids, extra):
    labels = np.array(ids, dtype=float).reshape(1, -1)
    K = max(ids) + 1 + extra
    encoded = data.one_hot(labels, n_classes=K)
    assert encoded.shape == (K, len(ids))
    assert np.all(encoded.sum(axis=0) == 1)
    np.testing.assert_array_equal(np.argmax(encoded, axis=0), ids)


def test_one_hot_default_classes_and_1d_input():
    np.testing.assert_array_equal(data.one_hot(np.array([2, 0])), [[0, 1], [0, 0], [1, 0]])


@pytest.mark.parametrize(
    "labels, n_classes, match",
    [
        (np.array([[0.5, 1.0]]), None, "integer"),
        (np.array([[-1.0, 1.0]]), None, "integer"),
        (np.array([[0.0, 3.0]]), 3, "n_classes"),
        (np.zeros((2, 3)), None, "shape"),
        (np.zeros((1, 0)), None, "empty"),
    ],
)
def test_one_hot_validates(labels, n_classes, match):
    with pytest.raises(ValueError, match=match):
        data.one_hot(labels, n_classes)


# ----------------------------------------------------------------------------- train_test_split


def test_train_test_split_partitions_columns_and_keeps_pairs():
    m = 50
    X = np.vstack([np.arange(m), -np.arange(m)]).astype(float)
    Y = (np.arange(m) * 10.0).reshape(1, m)
    X_tr, Y_tr, X_te, Y_te = data.train_test_split(X, Y, test_fraction=0.2, rng=0)
    assert X_tr.shape == (2, 40) and Y_tr.shape == (1, 40)
    assert X_te.shape == (2, 10) and Y_te.shape == (1, 10)
    assert sorted(np.concatenate([X_tr[0], X_te[0]])) == list(range(m))
    np.testing.assert_array_equal(Y_tr[0], X_tr[0] * 10)
    np.testing.assert_array_equal(Y_te[0], X_te[0] * 10)


@pytest.mark.parametrize(
    "X, Y, frac, match",
    [
        (np.zeros((2, 10)), np.zeros((1, 9)), 0.2, "columns"),
        (np.zeros(10), np.zeros((1, 10)), 0.2, "X must be a 2-D"),
        (np.zeros((2, 10)), np.zeros((1, 10)), 1.5, "test_fraction"),
        (np.zeros((2, 3)), np.zeros((1, 3)), 0.1, "test_fraction"),
    ],
)
def test_train_test_split_validates(X, Y, frac, match):
    with pytest.raises(ValueError, match=match):
        data.train_test_split(X, Y, test_fraction=frac, rng=0)


# ----------------------------------------------------------------------------- mini-batches


@settings(max_examples=60, deadline=None)
@given(m=st.integers(1, 200), size=st.integers(1, 250), seed=st.integers(0, 2**32 - 1))
def test_mini_batches_partition_columns_exactly_once(m, size, seed):
    X = np.vstack([np.arange(m), np.arange(m) + 0.5]).astype(float)
    Y = np.vstack([2.0 * np.arange(m), 3.0 * np.arange(m)])  # (2, m): any number of label rows
    batches = data.random_mini_batches(X, Y, size, rng=seed)
    assert len(batches) == -(-m // size)
    sizes = [xb.shape[1] for xb, _ in batches]
    assert all(s == size for s in sizes[:-1])
    assert sizes[-1] == (m % size or size)
    for xb, yb in batches:
        assert xb.shape[0] == 2 and yb.shape == (2, xb.shape[1])
        np.testing.assert_array_equal(yb[0], 2 * xb[0])  # each label stayed with its example
        np.testing.assert_array_equal(yb[1], 3 * xb[0])
        np.testing.assert_array_equal(xb[1], xb[0] + 0.5)
    seen = np.concatenate([xb[0] for xb, _ in batches])
    np.testing.assert_array_equal(np.sort(seen), np.arange(m))


def test_mini_batches_are_shuffled_and_last_takes_the_remainder():
    X = np.arange(148.0).reshape(1, 148)
    batches = data.random_mini_batches(X, X.copy(), 64, rng=0)
    assert [xb.shape[1] for xb, _ in batches] == [64, 64, 20]
    assert not np.array_equal(np.concatenate([xb[0] for xb, _ in batches]), X[0])


@pytest.mark.parametrize(
    "X, Y, size, exc, match",
    [
        (np.zeros((2, 10)), np.zeros((1, 11)), 4, ValueError, "columns"),
        (np.zeros((2, 10)), np.zeros((1, 10)), 0, ValueError, "mini_batch_size"),
        (np.zeros((2, 10)), np.zeros((1, 10)), 2.5, TypeError, "mini_batch_size"),
        (np.zeros((2, 10)), np.zeros((1, 10)), True, TypeError, "mini_batch_size"),
        (np.zeros((2, 10)), np.zeros(10), 4, ValueError, "Y must be a 2-D"),
        ("abc", np.zeros((1, 10)), 4, TypeError, "X must be"),
    ],
)
def test_mini_batches_validate(X, Y, size, exc, match):
    with pytest.raises(exc, match=match):
        data.random_mini_batches(X, Y, size, rng=0)


# ----------------------------------------------------------------------------- argument checks


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: data.make_flower(1, rng=0), ValueError, "m must be"),
        (lambda: data.make_flower(10.0, rng=0), TypeError, "m must be"),
        (lambda: data.make_flower(rng=0, petals=0), ValueError, "petals"),
        (lambda: data.make_moons(rng=0, noise=-0.1), ValueError, "noise"),
        (lambda: data.make_circles(rng=0, factor=1.0), ValueError, "factor"),
        (lambda: data.make_blobs(rng=0, n_classes=1), ValueError, "n_classes"),
        (lambda: data.make_blobs(2, rng=0, n_classes=3), ValueError, "n_classes"),
        (lambda: data.make_blobs(rng=0, cluster_std=-1), ValueError, "cluster_std"),
        (lambda: data.make_gaussian_quantiles(rng=0, n_features=0), ValueError, "n_features"),
        (lambda: data.make_overfit_set(rng=0, noise=0.5), ValueError, "noise"),
        (lambda: data.make_overfit_set(rng=0, width=0), ValueError, "width"),
        (lambda: data.make_overfit_set(rng=0, m_train=0), ValueError, "m_train"),
    ],
)
def test_generators_validate_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_rng_is_keyword_only():
    with pytest.raises(TypeError):
        data.make_moons(100, 0)
