"""Activations: forward values, backward = dA * g'(Z) (numerically), numerical safety, lookup errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nnkit import activations as act
from nnkit.activations import ACTIVATIONS, get_activation

NAMES = sorted(ACTIVATIONS)

#: Reference forward values, written independently of nnkit (naive formulas, fine on moderate Z).
REFERENCE = {
    "sigmoid": lambda Z: 1.0 / (1.0 + np.exp(-Z)),
    "tanh": np.tanh,
    "relu": lambda Z: Z * (Z > 0),
    "leaky_relu": lambda Z: np.where(Z > 0, Z, 0.01 * Z),
    "softmax": lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0),
    "linear": lambda Z: Z,
}


def _away_from_kinks(rng, shape, margin=1e-3):
    """Z in [-3, 3] with |Z| >= 0.05 > margin, so ReLU's kink at 0 is never crossed by eps=1e-6."""
    Z = rng.uniform(0.05, 3.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    assert np.abs(Z).min() > margin
    return Z


def test_every_activation_is_tested():
    assert set(NAMES) == set(REFERENCE) == {"sigmoid", "tanh", "relu", "leaky_relu", "softmax", "linear"}


@pytest.mark.parametrize("name", NAMES)
def test_forward_matches_reference_and_caches_inputs(name, rng):
    Z = _away_from_kinks(rng, (4, 6))
    forward, _ = get_activation(name)
    A, cache = forward(Z)
    assert A.shape == Z.shape
    np.testing.assert_allclose(A, REFERENCE[name](Z), rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(cache.Z, Z)
    np.testing.assert_array_equal(cache.A, A)
    Zc, Ac = cache  # unpacks as (Z, A)
    np.testing.assert_array_equal(Zc, Z)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (4, 6)])
def test_backward_is_dA_times_numerical_derivative(name, shape, rng, grad_difference):
    forward, backward = get_activation(name)
    Z = _away_from_kinks(rng, shape)
    dA = rng.normal(size=shape)

    def f(Zp):  # the scalar sum(A * dA): its gradient w.r.t. Z is exactly what backward returns
        return float(np.sum(forward(Zp)[0] * dA))

    _, cache = forward(Z)
    dZ = backward(dA, cache)
    assert dZ.shape == shape
    if name == "softmax" and shape[0] == 1:
        # one class: softmax is constant 1, so the true gradient is exactly 0
        np.testing.assert_allclose(dZ, 0.0, atol=1e-15)
        return
    assert grad_difference(f, Z, dZ) < 1e-7


@pytest.mark.parametrize("name", NAMES)
def test_backward_does_not_modify_dA_or_cache(name, rng):
    forward, backward = get_activation(name)
    Z = _away_from_kinks(rng, (3, 5))
    A, cache = forward(Z)
    dA = rng.normal(size=Z.shape)
    saved = (dA.copy(), cache.Z.copy(), cache.A.copy())
    backward(dA, cache)
    np.testing.assert_array_equal(dA, saved[0])
    np.testing.assert_array_equal(cache.Z, saved[1])
    np.testing.assert_array_equal(cache.A, saved[2])
    np.testing.assert_array_equal(Z, saved[1])


@pytest.mark.parametrize(
    "g, dg",
    [
        (act.sigmoid, act.sigmoid_derivative),
        (np.tanh, act.tanh_derivative),
        (act.relu, act.relu_derivative),
        (act.leaky_relu, act.leaky_relu_derivative),
    ],
    ids=["sigmoid", "tanh", "relu", "leaky_relu"],
)
def test_elementwise_derivative_matches_numerical(g, dg, rng, grad_difference):
    z = _away_from_kinks(rng, (5, 4))
    assert grad_difference(lambda zp: float(np.sum(g(zp))), z, dg(z)) < 1e-7


@pytest.mark.parametrize(
    "func, z, expected",
    [
        (act.sigmoid_derivative, 0.0, 0.25),
        (act.tanh_derivative, 0.0, 1.0),
        (act.relu_derivative, -1.0, 0.0),
        (act.relu_derivative, 0.0, 0.0),  # documented convention at the kink
        (act.relu_derivative, 2.0, 1.0),
        (act.leaky_relu_derivative, -1.0, 0.01),
        (act.leaky_relu_derivative, 3.0, 1.0),
        (act.sigmoid, 0.0, 0.5),
        (act.relu, -2.0, 0.0),
        (act.leaky_relu, -2.0, -0.02),
    ],
)
def test_known_values(func, z, expected):
    assert float(func(z)) == pytest.approx(expected, abs=1e-15)


def test_sigmoid_derivative_is_at_most_a_quarter(rng):
    z = rng.normal(scale=5.0, size=1000)
    assert act.sigmoid_derivative(z).max() <= 0.25


def test_sigmoid_extremes_are_exact_and_warning_free():
    z = np.array([[-1000.0, -800.0, 0.0, 800.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning (overflow in exp) fails the test
        s = act.sigmoid(z)
        ds = act.sigmoid_derivative(z)
        A, cache = ACTIVATIONS["sigmoid"][0](z)
        dZ = ACTIVATIONS["sigmoid"][1](np.ones_like(z), cache)
        scalars = (act.sigmoid(1000.0), act.sigmoid(-1000.0))
    assert s[0, 0] == 0.0 and s[0, -1] == 1.0 and s[0, 2] == 0.5
    assert scalars == (1.0, 0.0)
    assert isinstance(scalars[0], float)
    for arr in (s, ds, A, dZ):
        assert not np.isnan(arr).any()
    assert ds[0, 0] == 0.0 and ds[0, -1] == 0.0


def test_sigmoid_is_symmetric(rng):
    z = rng.normal(scale=10.0, size=(3, 50))
    np.testing.assert_allclose(act.sigmoid(-z), 1.0 - act.sigmoid(z), atol=1e-15)


def test_softmax_columns_sum_to_one(rng):
    Z = rng.normal(scale=5.0, size=(5, 40))
    A = act.softmax(Z)
    assert A.shape == Z.shape
    assert (A > 0).all()
    np.testing.assert_allclose(A.sum(axis=0), 1.0, rtol=0, atol=1e-14)


def test_softmax_is_per_column_not_global(rng):
    Z = rng.normal(size=(3, 4))
    A = act.softmax(Z)
    for i in range(Z.shape[1]):
        e = np.exp(Z[:, i])
        np.testing.assert_allclose(A[:, i], e / e.sum(), rtol=1e-13)


def test_softmax_invariant_to_constant_per_column(rng):
    Z = rng.normal(size=(4, 6))
    c = rng.normal(scale=100.0, size=(1, 6))
    np.testing.assert_allclose(act.softmax(Z + c), act.softmax(Z), rtol=1e-10, atol=1e-15)


def test_softmax_no_overflow_for_large_Z():
    Z = np.array([[1000.0, 1000.0, -1000.0], [1000.0, 0.0, -1000.0], [1000.0, -5.0, -999.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A = act.softmax(Z)
    assert np.isfinite(A).all()
    np.testing.assert_allclose(A[:, 0], 1.0 / 3.0, rtol=1e-15)
    assert A[0, 1] == pytest.approx(1.0) and A[1, 1] < 1e-300
    # third column: the same as softmax([-1, -1, 0])
    np.testing.assert_allclose(A[:, 2], act.softmax(np.array([[-1.0], [-1.0], [0.0]]))[:, 0], rtol=1e-12)


def test_get_activation_returns_pairs():
    for name in NAMES:
        forward, backward = get_activation(name)
        assert callable(forward) and callable(backward)


@pytest.mark.parametrize("bad", ["Relu", "softplus", "", "sigmoid "])
def test_get_activation_unknown_name_lists_valid_names(bad):
    with pytest.raises(ValueError) as info:
        get_activation(bad)
    msg = str(info.value)
    assert repr(bad) in msg
    for name in NAMES:
        assert repr(name) in msg


# ----------------------------------------------------------------------------- the boundary
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(1, 6), (4, 1), (6, 4)])
def test_backward_refuses_dA_of_another_shape(name, shape, rng):
    """A (1, m) dA would be broadcast over the 4 units without a word; a (6, 4) one fails in numpy."""
    forward, backward = get_activation(name)
    _, cache = forward(rng.normal(size=(4, 6)))
    with pytest.raises(ValueError) as info:
        backward(rng.normal(size=shape), cache)
    msg = str(info.value)
    assert msg.startswith(f"dA must have shape (4, 6), got {shape}") and "broadcast" in msg


@pytest.mark.parametrize("name", NAMES)
def test_backward_needs_an_activation_cache(name, rng):
    _, backward = get_activation(name)
    Z = rng.normal(size=(2, 3))
    with pytest.raises(TypeError, match=rf"cache must be the ActivationCache \(Z, A\) returned by {name}_forward"):
        backward(np.ones((2, 3)), Z)
    with pytest.raises(ValueError, match=r"cache.A must have shape \(2, 3\)"):
        backward(np.ones((2, 3)), (Z, Z[:1]))
