"""Losses: cost = mean over m, dA = per-example gradient (= m * dJ/dA), numerical safety, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nnkit import losses
from nnkit.activations import ACTIVATIONS, sigmoid, softmax


def _inputs(name, rng, n_y=3, m=7):
    """A valid (first argument, Y) pair for each loss, away from clipping and saturation."""
    if name == "binary_cross_entropy":
        return rng.uniform(0.05, 0.95, size=(1, m)), rng.integers(0, 2, size=(1, m)).astype(float)
    if name == "binary_cross_entropy_with_logits":
        return rng.normal(scale=2.0, size=(1, m)), rng.integers(0, 2, size=(1, m)).astype(float)
    Y_onehot = np.eye(n_y)[:, rng.integers(0, n_y, size=m)]
    if name == "categorical_cross_entropy":
        return softmax(rng.normal(size=(n_y, m))), Y_onehot
    if name == "softmax_cross_entropy":
        return rng.normal(scale=2.0, size=(n_y, m)), Y_onehot
    return rng.normal(size=(n_y, m)), rng.normal(size=(n_y, m))  # the squared errors


ALL = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "categorical_cross_entropy",
    "softmax_cross_entropy",
    "squared_error",
    "half_squared_error",
]
BINARY = ["binary_cross_entropy", "binary_cross_entropy_with_logits"]


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("m", [1, 7])
def test_gradient_is_m_times_numerical_gradient_of_cost(name, m, rng, grad_difference):
    loss = getattr(losses, name)
    A, Y = _inputs(name, rng, m=m)
    cost, dA = loss(A, Y)
    assert isinstance(cost, float)
    assert dA.shape == A.shape
    # cost is a mean over m, dA is per example: dA = m * dJ/dA
    assert grad_difference(lambda Ap: loss(Ap, Y)[0], A, dA / m) < 1e-7


@pytest.mark.parametrize("name", ALL)
def test_cost_is_a_mean_over_examples(name, rng):
    """Duplicating every example leaves the cost unchanged and the per-example dA duplicated."""
    loss = getattr(losses, name)
    A, Y = _inputs(name, rng, m=5)
    cost, dA = loss(A, Y)
    cost2, dA2 = loss(np.hstack([A, A]), np.hstack([Y, Y]))
    assert cost2 == pytest.approx(cost, rel=1e-13)
    np.testing.assert_allclose(dA2, np.hstack([dA, dA]), rtol=1e-14)


@pytest.mark.parametrize("name", ALL)
def test_loss_does_not_modify_inputs(name, rng):
    loss = getattr(losses, name)
    A, Y = _inputs(name, rng)
    A0, Y0 = A.copy(), Y.copy()
    loss(A, Y)
    np.testing.assert_array_equal(A, A0)
    np.testing.assert_array_equal(Y, Y0)


def test_binary_cross_entropy_hand_value():
    A = np.array([[0.9, 0.2, 0.6]])
    Y = np.array([[1.0, 0.0, 0.0]])
    cost, dA = losses.binary_cross_entropy(A, Y)
    expected = -(np.log(0.9) + np.log(0.8) + np.log(0.4)) / 3
    assert cost == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(dA, [[-1 / 0.9, 1 / 0.8, 1 / 0.4]], rtol=1e-14)


def test_binary_cross_entropy_is_finite_at_0_and_1():
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        right, d_right = losses.binary_cross_entropy(np.array([[0.0, 1.0, 1.0, 0.0]]), Y)
        wrong, d_wrong = losses.binary_cross_entropy(np.array([[1.0, 0.0, 0.0, 1.0]]), Y)
    for value in (right, wrong):
        assert np.isfinite(value)
    assert np.isfinite(d_right).all() and np.isfinite(d_wrong).all()
    assert 0.0 <= right < 1e-12
    assert 30.0 < wrong < 40.0  # about -log(1e-16) = 36.8 per example
    # the gradient still points the right way at saturation
    assert (np.sign(d_wrong) == np.array([[1, -1, -1, 1]])).all()


def test_with_logits_equals_probability_form_on_moderate_Z(rng):
    Z = rng.uniform(-6.0, 6.0, size=(1, 20))
    Y = rng.integers(0, 2, size=(1, 20)).astype(float)
    cost_logits, dZ = losses.binary_cross_entropy_with_logits(Z, Y)
    A = sigmoid(Z)
    cost_prob, dA = losses.binary_cross_entropy(A, Y)
    assert cost_logits == pytest.approx(cost_prob, rel=1e-12)
    np.testing.assert_allclose(dZ, A - Y, rtol=1e-14, atol=1e-16)
    # and dZ is the chain rule of the probability form: dA * sigmoid'(Z)
    np.testing.assert_allclose(dZ, dA * A * (1 - A), rtol=1e-10, atol=1e-15)


def test_with_logits_is_finite_for_huge_Z():
    Z = np.array([[800.0, -800.0, 800.0, -800.0]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost, dZ = losses.binary_cross_entropy_with_logits(Z, Y)
    assert cost == pytest.approx((0 + 0 + 800 + 800) / 4, rel=1e-15)
    np.testing.assert_array_equal(dZ, [[0.0, 0.0, 1.0, -1.0]])


def test_softmax_cross_entropy_equals_categorical_of_softmax(rng):
    Z = rng.normal(scale=3.0, size=(4, 9))
    Y = np.eye(4)[:, rng.integers(0, 4, size=9)]
    cost, dZ = losses.softmax_cross_entropy(Z, Y)
    A, cache = ACTIVATIONS["softmax"][0](Z)
    cost_c, dA = losses.categorical_cross_entropy(A, Y)
    assert cost == pytest.approx(cost_c, rel=1e-12)
    np.testing.assert_allclose(dZ, A - Y, atol=1e-15)
    np.testing.assert_allclose(dZ, ACTIVATIONS["softmax"][1](dA, cache), rtol=1e-10, atol=1e-14)


def test_softmax_cross_entropy_is_finite_for_huge_Z():
    Z = np.array([[1000.0, 1000.0], [-1000.0, 1000.0]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost, dZ = losses.softmax_cross_entropy(Z, Y)
    # column 1: log-prob of class 1 is -2000; column 2: log(1/2)
    assert cost == pytest.approx((2000.0 + np.log(2.0)) / 2, rel=1e-14)
    np.testing.assert_allclose(dZ, [[1.0, -0.5], [-1.0, 0.5]], atol=1e-15)


def test_categorical_cross_entropy_hand_value():
    A = np.array([[0.7, 0.1], [0.2, 0.3], [0.1, 0.6]])
    Y = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    cost, dA = losses.categorical_cross_entropy(A, Y)
    assert cost == pytest.approx(-(np.log(0.7) + np.log(0.6)) / 2, rel=1e-14)
    np.testing.assert_allclose(dA, [[-1 / 0.7, 0.0], [0.0, 0.0], [0.0, -1 / 0.6]], rtol=1e-14)


def test_squared_error_and_half(rng):
    A = rng.normal(size=(1, 8))
    Y = rng.normal(size=(1, 8))
    cost, dA = losses.squared_error(A, Y)
    assert cost == pytest.approx(np.mean((A - Y) ** 2), rel=1e-14)
    np.testing.assert_allclose(dA, 2 * (A - Y), rtol=1e-15)
    half, dA_half = losses.half_squared_error(A, Y)
    assert half == pytest.approx(cost / 2, rel=1e-14)
    np.testing.assert_allclose(dA_half, A - Y, rtol=1e-15)


def test_squared_error_sums_over_output_units(rng):
    A = rng.normal(size=(3, 5))
    Y = rng.normal(size=(3, 5))
    cost, _ = losses.squared_error(A, Y)
    assert cost == pytest.approx(np.sum((A - Y) ** 2) / 5, rel=1e-14)
    assert losses.squared_error(np.array([[3.0]]), np.array([[1.0]]))[0] == 4.0
    assert losses.half_squared_error(np.array([[3.0]]), np.array([[1.0]]))[0] == 2.0


@pytest.mark.parametrize("name", ALL)
def test_Y_shape_mismatch_names_Y_and_shapes(name, rng):
    A, Y = _inputs(name, rng, m=5)
    with pytest.raises(ValueError) as info:
        getattr(losses, name)(A, Y[:, :4])
    msg = str(info.value)
    assert "Y" in msg
    assert str(A.shape) in msg and str(Y[:, :4].shape) in msg


@pytest.mark.parametrize("name", ALL)
def test_one_dimensional_Y_is_rejected_with_reshape_hint(name, rng):
    A, Y = _inputs(name, rng, m=5)
    with pytest.raises(ValueError, match=r"Y must be a 2-D array.*reshape"):
        getattr(losses, name)(A, Y[0])


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("bad", [0.5, 2.0, -1.0])
def test_binary_losses_reject_non_binary_Y(name, bad, rng):
    A, Y = _inputs(name, rng, m=5)
    Y[0, 2] = bad
    with pytest.raises(ValueError) as info:
        getattr(losses, name)(A, Y)
    msg = str(info.value)
    assert "Y" in msg and "0 and 1" in msg and str(bad) in msg


@pytest.mark.parametrize("name", ALL)
def test_non_numeric_input_is_a_type_error(name, rng):
    A, Y = _inputs(name, rng)
    with pytest.raises(TypeError, match="Y"):
        getattr(losses, name)(A, None)
    with pytest.raises(TypeError):
        getattr(losses, name)("A", Y)


def test_get_loss_and_unknown_loss():
    for name in ("binary_cross_entropy", "categorical_cross_entropy", "squared_error", "half_squared_error"):
        assert callable(losses.get_loss(name))
    with pytest.raises(ValueError) as info:
        losses.get_loss("mse")
    for name in losses.LOSSES:
        assert repr(name) in str(info.value)


# ----------------------------------------------------------------------------- probabilities only
CROSS_ENTROPIES = ["binary_cross_entropy", "categorical_cross_entropy"]


@pytest.mark.parametrize("name", CROSS_ENTROPIES)
@pytest.mark.parametrize("bad", [1.5, -0.2, 7.0])
def test_cross_entropy_refuses_A_outside_0_1(name, bad, rng):
    """Clipping a Z passed for A would give a near-zero cost; the loss says what went wrong."""
    A, Y = _inputs(name, rng, m=5)
    A[0, 1] = bad
    with pytest.raises(ValueError) as info:
        getattr(losses, name)(A, Y)
    msg = str(info.value)
    assert msg.startswith("A must hold probabilities in [0, 1], got values outside it such as")
    assert str(bad) in msg and "sigmoid(Z)" in msg and "_with_logits" in msg


@pytest.mark.parametrize("name", CROSS_ENTROPIES)
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_cross_entropy_refuses_non_finite_A(name, bad, rng):
    A, Y = _inputs(name, rng, m=5)
    A[0, 0] = bad
    with pytest.raises(ValueError, match=r"A must hold probabilities in \[0, 1\], got non-finite values"):
        getattr(losses, name)(A, Y)


def test_binary_cross_entropy_still_clips_exact_zeros_and_ones():
    cost, dA = losses.binary_cross_entropy(np.array([[0.0, 1.0, 1.0]]), np.array([[0.0, 1.0, 0.0]]))
    assert np.isfinite(cost) and 10 < cost < 13  # one saturated mistake costs about 36.8, over m = 3
    assert np.all(np.isfinite(dA))


def test_categorical_cross_entropy_refuses_Y_outside_0_1(rng):
    A, Y = _inputs("categorical_cross_entropy", rng, m=4)
    Y[0, 0] = 2.0
    with pytest.raises(ValueError, match=r"Y must hold probabilities in \[0, 1\].*one-hot"):
        losses.categorical_cross_entropy(A, Y)
