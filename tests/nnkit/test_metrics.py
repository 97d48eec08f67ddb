"""Tests for nnkit.metrics: predict_labels and accuracy in the column layout."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnkit.data import one_hot
from nnkit.metrics import accuracy, predict_labels


def test_predict_labels_binary_threshold_is_strict():
    AL = np.array([[0.1, 0.5, 0.51, 0.9]])
    out = predict_labels(AL)
    assert out.shape == (1, 4) and out.dtype == np.float64
    np.testing.assert_array_equal(out, [[0, 0, 1, 1]])
    np.testing.assert_array_equal(predict_labels(AL, threshold=0.05), [[1, 1, 1, 1]])


def test_predict_labels_multiclass_argmax_as_row():
    AL = np.array([[0.7, 0.1, 0.2], [0.2, 0.1, 0.5], [0.1, 0.8, 0.3]])  # (K=3, m=3)
    out = predict_labels(AL)
    assert out.shape == (1, 3)
    np.testing.assert_array_equal(out, [[0, 2, 1]])


def test_predict_labels_ties_go_to_lowest_id():
    np.testing.assert_array_equal(predict_labels(np.array([[0.5], [0.5]])), [[0]])


@pytest.mark.parametrize(
    "AL, kwargs, exc, match",
    [
        (np.array([0.2, 0.8]), {}, ValueError, "AL must be a 2-D"),
        (np.array([[0.2, 0.8]]), {"threshold": "0.5"}, TypeError, "threshold"),
        (np.array([[0.2, 0.8]]), {"threshold": np.nan}, ValueError, "threshold must be a finite number"),
        (None, {}, TypeError, "AL"),
    ],
)
def test_predict_labels_validates(AL, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        predict_labels(AL, **kwargs)


def test_accuracy_binary_labels():
    Y = np.array([[1, 0, 1, 1.0]])
    assert accuracy(np.array([[1, 0, 0, 1.0]]), Y) == 0.75
    assert accuracy(Y, Y) == 1.0
    assert accuracy(1 - Y, Y) == 0.0
    assert isinstance(accuracy(Y, Y), float)


def test_accuracy_multiclass_ids_and_one_hot_agree():
    ids_true = np.array([[0, 1, 2, 2, 1.0]])
    ids_pred = np.array([[0, 2, 2, 1, 1.0]])
    assert accuracy(ids_pred, ids_true) == pytest.approx(0.6)
    assert accuracy(one_hot(ids_pred, 3), one_hot(ids_true, 3)) == pytest.approx(0.6)


def test_accuracy_probabilities_vs_one_hot_use_argmax():
    probs = np.array([[0.6, 0.3], [0.4, 0.7]])  # argmax ids [0, 1]
    Y = one_hot(np.array([[0.0, 0.0]]), 2)
    assert accuracy(probs, Y) == 0.5


@given(
    st.integers(1, 50).flatmap(
        lambda m: st.tuples(
            st.lists(st.integers(0, 4), min_size=m, max_size=m),
            st.lists(st.integers(0, 4), min_size=m, max_size=m),
        )
    )
)
def test_accuracy_matches_fraction_of_equal_ids(pair):
    a, b = (np.array(x, dtype=float).reshape(1, -1) for x in pair)
    expected = np.mean(np.array(pair[0]) == np.array(pair[1]))
    assert accuracy(a, b) == pytest.approx(expected)
    assert 0.0 <= accuracy(a, b) <= 1.0
    assert accuracy(one_hot(a, 5), one_hot(b, 5)) == pytest.approx(expected)


@pytest.mark.parametrize(
    "Y_pred, Y, match",
    [
        (np.zeros((1, 4)), np.zeros((4, 1)), "transposed"),
        (np.zeros((1, 4)), np.zeros((1, 5)), "same shape"),
        (np.zeros((3, 4)), np.zeros((1, 4)), "one_hot"),
        (np.array([[0.2, 0.9]]), np.array([[0.0, 1.0]]), "predict_labels"),
        (np.zeros((1, 0)), np.zeros((1, 0)), "no examples"),
        (np.zeros(4), np.zeros(4), "Y_pred must be a 2-D"),
    ],
)
def test_accuracy_validates(Y_pred, Y, match):
    with pytest.raises(ValueError, match=match):
        accuracy(Y_pred, Y)


@pytest.mark.parametrize("AL", [np.array([[0.2, np.nan, 0.9]]), np.array([[0.2, 0.1], [np.inf, 0.3]])])
def test_predict_labels_refuses_non_finite_outputs(AL):
    """nan > 0.5 is False: a diverged network's examples would all silently become class 0."""
    with pytest.raises(ValueError, match=r"AL contains non-finite values .*training diverged"):
        predict_labels(AL)
