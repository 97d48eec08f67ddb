"""One layer: linear and linear+activation, forward values, backward vs numerical gradients, caches, errors.

Gradient convention: for an upstream per-example gradient ``G`` of the layer output, the layer's
backward returns ``dW = dJ/dW`` and ``db = dJ/db`` for the *mean* objective ``J = 1/m sum(out * G)``,
and the per-example ``dA_prev = m dJ/dA_prev = d sum(out * G) / dA_prev``.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnkit.activations import ACTIVATIONS
from nnkit.layers import (
    LinearActivationCache,
    LinearCache,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
)

ACTS = sorted(ACTIVATIONS)


def _layer(rng, n_prev=4, n_l=3, m=5, margin=1e-2):
    """A_prev, W, b with every Z = W A_prev + b at least ``margin`` from 0 (no ReLU kink nearby).

    Draws are repeated from the same Generator until the condition holds: deterministic per seed.
    """
    for _ in range(100):
        A_prev = rng.normal(size=(n_prev, m))
        W = rng.normal(size=(n_l, n_prev))
        b = rng.normal(size=(n_l, 1))
        if np.abs(W @ A_prev + b).min() > margin:
            return A_prev, W, b
    raise AssertionError("could not draw a layer away from the kinks")


def test_linear_forward_values(rng):
    A_prev, W, b = _layer(rng)
    Z, cache = linear_forward(A_prev, W, b)
    assert Z.shape == (3, 5)
    for i in range(5):
        np.testing.assert_allclose(Z[:, i], W @ A_prev[:, i] + b[:, 0], rtol=1e-14)
    assert isinstance(cache, LinearCache)
    A_c, W_c, b_c = cache  # the notebooks' unpacking
    np.testing.assert_array_equal(A_c, A_prev)
    np.testing.assert_array_equal(W_c, W)
    np.testing.assert_array_equal(b_c, b)


def test_linear_forward_hand_case():
    Z, _ = linear_forward(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, -1.0]]), np.array([[0.5]]))
    np.testing.assert_array_equal(Z, [[-1.5, -1.5]])


@pytest.mark.parametrize("shape", [(4, 3, 5), (1, 1, 1), (2, 6, 1), (3, 2, 8)])
def test_linear_backward_vs_numerical(shape, rng, grad_difference):
    n_prev, n_l, m = shape
    A_prev, W, b = _layer(rng, n_prev, n_l, m, margin=0.0)
    G = rng.normal(size=(n_l, m))
    _, cache = linear_forward(A_prev, W, b)
    dA_prev, dW, db = linear_backward(G, cache)
    assert (dA_prev.shape, dW.shape, db.shape) == (A_prev.shape, W.shape, b.shape)

    def J(Ap, Wp, bp):  # the mean objective whose gradient dW, db are
        return float(np.sum(linear_forward(Ap, Wp, bp)[0] * G)) / m

    assert grad_difference(lambda Wp: J(A_prev, Wp, b), W, dW) < 1e-7
    assert grad_difference(lambda bp: J(A_prev, W, bp), b, db) < 1e-7
    assert grad_difference(lambda Ap: J(Ap, W, b), A_prev, dA_prev / m) < 1e-7


def test_linear_backward_hand_case():
    A_prev = np.array([[1.0, 2.0], [0.0, -1.0]])
    W = np.array([[2.0, 3.0]])
    dZ = np.array([[1.0, 3.0]])
    dA_prev, dW, db = linear_backward(dZ, LinearCache(A_prev, W, np.zeros((1, 1))))
    np.testing.assert_allclose(dW, [[(1 * 1 + 3 * 2) / 2, (1 * 0 + 3 * -1) / 2]])  # 1/m dZ A^T
    np.testing.assert_allclose(db, [[2.0]])  # 1/m sum dZ
    np.testing.assert_allclose(dA_prev, [[2.0, 6.0], [3.0, 9.0]])  # W^T dZ, no 1/m


@pytest.mark.parametrize("activation", ACTS)
@pytest.mark.parametrize("m", [1, 5])
def test_linear_activation_backward_vs_numerical(activation, m, rng, grad_difference):
    A_prev, W, b = _layer(rng, 4, 3, m)
    G = rng.normal(size=(3, m))
    A, cache = linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = linear_activation_backward(G, cache, activation)
    assert (dA_prev.shape, dW.shape, db.shape) == (A_prev.shape, W.shape, b.shape)

    def J(Ap, Wp, bp):
        return float(np.sum(linear_activation_forward(Ap, Wp, bp, activation)[0] * G)) / m

    assert grad_difference(lambda Wp: J(A_prev, Wp, b), W, dW) < 1e-7
    assert grad_difference(lambda bp: J(A_prev, W, bp), b, db) < 1e-7
    assert grad_difference(lambda Ap: J(Ap, W, b), A_prev, dA_prev / m) < 1e-7


@pytest.mark.parametrize("activation", ACTS)
def test_linear_activation_forward_values_and_cache(activation, rng):
    A_prev, W, b = _layer(rng)
    A, cache = linear_activation_forward(A_prev, W, b, activation)
    Z = W @ A_prev + b
    np.testing.assert_allclose(A, ACTIVATIONS[activation][0](Z)[0], rtol=1e-14)
    assert isinstance(cache, LinearActivationCache)
    linear_cache, activation_cache = cache  # the notebooks' 2-tuple
    A_c, W_c, b_c = linear_cache
    np.testing.assert_array_equal(A_c, A_prev)
    np.testing.assert_array_equal(W_c, W)
    np.testing.assert_array_equal(b_c, b)
    np.testing.assert_allclose(activation_cache.Z, Z, rtol=1e-14)
    np.testing.assert_array_equal(activation_cache.A, A)


@pytest.mark.parametrize("activation", ACTS)
def test_backward_modifies_neither_gradient_nor_cache(activation, rng):
    A_prev, W, b = _layer(rng)
    A, cache = linear_activation_forward(A_prev, W, b, activation)
    dA = rng.normal(size=A.shape)
    snapshot = [dA.copy(), A_prev.copy(), W.copy(), b.copy(), cache.activation.Z.copy(), cache.activation.A.copy()]
    linear_activation_backward(dA, cache, activation)
    linear_backward(dA, cache.linear)
    current = [dA, cache.linear.A_prev, cache.linear.W, cache.linear.b, cache.activation.Z, cache.activation.A]
    for before, after in zip(snapshot, current):
        np.testing.assert_array_equal(before, after)
    np.testing.assert_array_equal(A_prev, snapshot[1])
    np.testing.assert_array_equal(W, snapshot[2])


def test_accepts_a_plain_tuple_linear_cache(rng):
    """A cache rebuilt as ``((A_prev, W, b), activation_cache)`` works like the named one."""
    A_prev, W, b = _layer(rng)
    A, cache = linear_activation_forward(A_prev, W, b, "tanh")
    dA = rng.normal(size=A.shape)
    plain = (tuple(cache.linear), cache.activation)
    for got, want in zip(linear_activation_backward(dA, plain, "tanh"), linear_activation_backward(dA, cache, "tanh")):
        np.testing.assert_array_equal(got, want)


# ----------------------------------------------------------------------------- errors
def test_W_with_wrong_columns_names_W_and_shapes(rng):
    A_prev, W, b = _layer(rng)  # A_prev (4, 5), W (3, 4)
    with pytest.raises(ValueError) as info:
        linear_forward(A_prev, W[:, :3], b)
    msg = str(info.value)
    assert msg.startswith("W ")
    assert "(3, 3)" in msg and "4" in msg and "A_prev" in msg and "(4, 5)" in msg
    assert "transposed" not in msg


def test_transposed_W_gets_the_transposed_hint(rng):
    A_prev, W, b = _layer(rng)
    with pytest.raises(ValueError, match=r"W must have shape.*got \(4, 3\).*transposed.*W\.T"):
        linear_forward(A_prev, W.T, b)
    _, cache = linear_forward(A_prev, W, b)
    with pytest.raises(ValueError, match="transposed"):
        linear_backward(np.ones((3, 5)), LinearCache(A_prev, W.T, b))


@pytest.mark.parametrize("bad_b_shape", [(3,), (3, 2), (4, 1), (1, 3)])
def test_bad_b_names_b(bad_b_shape, rng):
    A_prev, W, _ = _layer(rng)
    with pytest.raises(ValueError) as info:
        linear_forward(A_prev, W, np.zeros(bad_b_shape))
    msg = str(info.value)
    assert msg.startswith("b ")
    assert str(bad_b_shape) in msg or f"{len(bad_b_shape)}-D" in msg


def test_one_dimensional_A_prev_names_A_prev(rng):
    A_prev, W, b = _layer(rng)
    with pytest.raises(ValueError, match=r"A_prev must be a 2-D array.*\(4,\).*reshape"):
        linear_forward(A_prev[:, 0], W, b)


def test_bad_upstream_gradient_shapes(rng):
    A_prev, W, b = _layer(rng)
    A, cache = linear_activation_forward(A_prev, W, b, "relu")
    with pytest.raises(ValueError, match=r"dZ must have shape \(n_l=3, m=5\), got \(3, 4\)"):
        linear_backward(np.ones((3, 4)), cache.linear)
    with pytest.raises(ValueError, match=r"dA must have shape \(n_l=3, m=5\), got \(5, 3\)"):
        linear_activation_backward(np.ones((5, 3)), cache, "relu")


def test_unknown_activation_lists_names(rng):
    A_prev, W, b = _layer(rng)
    with pytest.raises(ValueError) as info:
        linear_activation_forward(A_prev, W, b, "swish")
    for name in ACTS:
        assert repr(name) in str(info.value)
    _, cache = linear_activation_forward(A_prev, W, b, "relu")
    with pytest.raises(ValueError, match="swish"):
        linear_activation_backward(np.ones((3, 5)), cache, "swish")


def test_non_array_inputs_are_type_errors(rng):
    A_prev, W, b = _layer(rng)
    with pytest.raises(TypeError, match="W must be a numpy array"):
        linear_forward(A_prev, None, b)
    with pytest.raises(TypeError, match="A_prev"):
        linear_forward("x", W, b)


# ----------------------------------------------------------------------------- caches at the boundary
def test_a_cache_of_the_wrong_kind_is_a_type_error(rng):
    A_prev, W, b = _layer(rng)
    Z, linear_cache = linear_forward(A_prev, W, b)
    with pytest.raises(TypeError, match=r"cache must be the LinearCache \(A_prev, W, b\) returned by linear_forward"):
        linear_backward(Z, (A_prev, W))
    A, cache = linear_activation_forward(A_prev, W, b, "relu")
    with pytest.raises(TypeError, match="cache must be the LinearActivationCache"):
        linear_activation_backward(A, linear_cache, "relu")  # the linear cache alone


def test_caches_of_two_different_layers_are_refused(rng):
    """(linear cache of layer l, activation cache of layer l+1): a classic off-by-one in a loop."""
    A_prev, W, b = _layer(rng, n_prev=4, n_l=3)
    A1, cache1 = linear_activation_forward(A_prev, W, b, "relu")
    A2, cache2 = linear_activation_forward(A1, rng.normal(size=(1, 3)), np.zeros((1, 1)), "sigmoid")
    mixed = LinearActivationCache(cache1.linear, cache2.activation)
    with pytest.raises(ValueError) as info:
        linear_activation_backward(np.ones_like(A1), mixed, "relu")
    msg = str(info.value)
    assert "activation cache Z must have shape (n_l=3, m=5), got (1, 5)" in msg and "same layer" in msg
