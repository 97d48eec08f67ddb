"""Gradient checking: flattening round-trip and order, 1-D and N-D checks, planted bugs, edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnkit.gradcheck import (
    grads_to_vector,
    gradient_check_1d,
    gradient_check_n,
    numerical_gradient,
    params_to_vector,
    relative_difference,
    vector_to_params,
)
from nnkit.network import model_backward, model_cost, model_forward


def _params(dims, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.normal(size=(dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.normal(size=(dims[l], 1))
    return params


@settings(max_examples=60, deadline=None)
@given(dims=st.lists(st.integers(1, 5), min_size=2, max_size=5), seed=st.integers(0, 2**16))
def test_round_trip_and_order(dims, seed):
    params = _params(dims, seed)
    shuffled = dict(reversed(list(params.items())))  # insertion order must not matter
    theta, spec = params_to_vector(shuffled)
    n = sum(dims[l] * dims[l - 1] + dims[l] for l in range(1, len(dims)))
    assert theta.shape == (n, 1)
    # order W1, b1, W2, b2, ... with each array flattened row by row
    expected = np.concatenate([params[k].ravel() for l in range(1, len(dims)) for k in (f"W{l}", f"b{l}")])
    np.testing.assert_array_equal(theta.ravel(), expected)
    assert [e[0] for e in spec.entries] == [k for l in range(1, len(dims)) for k in (f"W{l}", f"b{l}")]
    back = vector_to_params(theta, spec)
    assert set(back) == set(params)
    for k in params:
        assert back[k].shape == params[k].shape
        np.testing.assert_array_equal(back[k], params[k])
    grads = {"d" + k: v * 2 for k, v in params.items()}
    np.testing.assert_array_equal(grads_to_vector(grads, spec), 2 * theta)


def test_order_is_numeric_beyond_nine_layers():
    params = _params([1] * 12)
    _, spec = params_to_vector(params)
    keys = [e[0] for e in spec.entries]
    assert keys[:4] == ["W1", "b1", "W2", "b2"]
    assert keys[-4:] == ["W10", "b10", "W11", "b11"]


def test_vector_to_params_returns_copies_and_checks_size():
    params = _params([2, 3, 1])
    theta, spec = params_to_vector(params)
    back = vector_to_params(theta, spec)
    theta[:] = 0.0
    np.testing.assert_array_equal(back["W1"], params["W1"])
    back["W1"][0, 0] = 99.0
    assert params["W1"][0, 0] != 99.0
    with pytest.raises(ValueError, match="theta has 12 entries but the spec describes 13"):
        vector_to_params(np.zeros((12, 1)), spec)
    with pytest.raises(KeyError, match="dW2"):
        grads_to_vector({"dW1": 0 * params["W1"], "db1": 0 * params["b1"], "db2": 0 * params["b2"]}, spec)


@pytest.mark.parametrize("x, theta", [(2.0, 4.0), (-3.0, 0.5), (0.1, -7.0)])
def test_gradient_check_1d(x, theta):
    assert gradient_check_1d(lambda t: t * x, lambda t: x, theta) < 1e-7
    assert gradient_check_1d(lambda t: t * x, lambda t: 1.1 * x, theta) > 1e-3
    assert gradient_check_1d(lambda t: t * x, lambda t: -x, theta) == pytest.approx(1.0)


def test_gradient_check_1d_nonlinear():
    assert gradient_check_1d(np.sin, np.cos, 0.7) < 1e-7
    assert gradient_check_1d(lambda t: t**3, lambda t: 3 * t**2, 1.3) < 1e-7
    assert gradient_check_1d(lambda t: t**3, lambda t: 2 * t**2, 1.3) > 1e-3


@pytest.fixture(scope="module")
def network_case():
    rng = np.random.default_rng(8)
    X = rng.normal(size=(3, 5))
    Y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0]])
    params = _params([3, 4, 2, 1], seed=3)
    acts = ["tanh", "tanh", "sigmoid"]

    def cost(p):
        return model_cost(model_forward(X, p, acts)[0], Y, "binary_cross_entropy")

    AL, cache = model_forward(X, params, acts)
    return cost, params, model_backward(AL, Y, cache, "binary_cross_entropy")


def test_gradient_check_n_passes_on_correct_grads(network_case):
    cost, params, grads = network_case
    assert gradient_check_n(cost, params, grads, eps=1e-7) < 1e-7


@pytest.mark.parametrize(
    "bug",
    [
        lambda g: dict(g, dW2=g["dW2"] * 1.1),
        lambda g: dict(g, dW1=g["dW1"].T.reshape(g["dW1"].shape)),
        lambda g: dict(g, db1=g["db1"] * 5),  # forgot the 1/m
        lambda g: dict(g, dW3=-g["dW3"]),
        lambda g: dict(g, db2=np.zeros_like(g["db2"]) + g["db2"].mean()),
    ],
    ids=["dW2x1.1", "dW1-transposed-reshaped", "db1-no-1/m", "dW3-sign", "db2-averaged"],
)
def test_gradient_check_n_detects_planted_bugs(network_case, bug):
    cost, params, grads = network_case
    assert gradient_check_n(cost, params, bug(grads), eps=1e-7) > 1e-3


def test_gradient_check_n_does_not_modify_params(network_case):
    cost, params, grads = network_case
    snapshot = {k: v.copy() for k, v in params.items()}
    gradient_check_n(cost, params, grads)
    for k in params:
        np.testing.assert_array_equal(params[k], snapshot[k])


def test_relative_difference():
    assert relative_difference(np.zeros((3, 1)), np.zeros((3, 1))) == 0.0
    g = np.array([[3.0], [4.0]])
    assert relative_difference(g, g) == 0.0
    assert relative_difference(g, -g) == pytest.approx(1.0)
    assert relative_difference(g, np.zeros((2, 1))) == pytest.approx(1.0)
    assert relative_difference(g, 1.1 * g) == pytest.approx(0.1 / 2.1)
    with pytest.raises(ValueError, match="same shape"):
        relative_difference(g, g.ravel())


def test_numerical_gradient_leaves_input_alone_and_is_accurate(rng):
    theta = rng.normal(size=(3, 4))
    saved = theta.copy()
    seen = []

    def f(t):
        seen.append(t is theta)
        return float(np.sum(t**2) + np.sum(np.sin(t)))

    g = numerical_gradient(f, theta, eps=1e-6)
    np.testing.assert_array_equal(theta, saved)
    assert not any(seen)  # f is called on a private copy
    assert g.shape == theta.shape
    np.testing.assert_allclose(g, 2 * theta + np.cos(theta), rtol=1e-8, atol=1e-9)


def test_numerical_gradient_of_a_scalar_is_a_float():
    g = numerical_gradient(lambda t: float(t) ** 2, 3.0)
    assert isinstance(g, float)
    assert g == pytest.approx(6.0, rel=1e-8)


@pytest.mark.parametrize("eps", [0, -1e-7])
def test_numerical_gradient_rejects_bad_eps(eps):
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(lambda t: float(np.sum(t)), np.ones(2), eps)


# ----------------------------------------------------------------------------- the boundary
@pytest.mark.parametrize("key, shape, phrase", [
    ("dW1", (2, 3), "transposed"),  # the right size: flattening alone would compare the wrong entries
    ("db1", (3,), "keepdims=True"),
    ("dW2", (1, 1), "silently broadcast"),
])
def test_grads_to_vector_refuses_a_gradient_of_another_shape(key, shape, phrase):
    params = _params([2, 3, 1])
    _, spec = params_to_vector(params)
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    grads[key] = np.zeros(shape)
    with pytest.raises(ValueError) as info:
        grads_to_vector(grads, spec)
    msg = str(info.value)
    assert msg.startswith(f"{key} has shape {shape} but {key[1:]} has shape {params[key[1:]].shape}") and phrase in msg
    with pytest.raises(ValueError, match=key):  # gradient_check_n checks before the slow part
        gradient_check_n(lambda p: 0.0, params, grads)


def test_gradcheck_arguments_of_the_wrong_kind():
    params = _params([2, 3, 1])
    _, spec = params_to_vector(params)
    with pytest.raises(TypeError, match="params must be a dict"):
        params_to_vector([params["W1"]])
    with pytest.raises(ValueError, match="params is empty"):
        params_to_vector({})
    with pytest.raises(TypeError, match="spec must be the ParamSpec returned by params_to_vector"):
        vector_to_params(np.zeros((13, 1)), [("W1", (3, 2), 0, 6)])
    with pytest.raises(TypeError, match="grads must be a dict"):
        grads_to_vector(np.zeros((13, 1)), spec)
    with pytest.raises(TypeError, match="f must be a function"):
        numerical_gradient(3.0, np.ones(2))
    with pytest.raises(TypeError, match=r"f must return a single number, got an array of shape \(2,\)"):
        numerical_gradient(lambda t: t * 2, np.ones(2))
    with pytest.raises(TypeError, match="theta must be a numpy array"):
        numerical_gradient(lambda t: 0.0, "1.0")
    with pytest.raises(TypeError, match="cost must be a function"):
        gradient_check_n(None, params, {"d" + k: v for k, v in params.items()})
    with pytest.raises(TypeError, match="theta must be a number"):
        gradient_check_1d(lambda t: t, lambda t: 1.0, "4")


def test_a_cost_of_shape_1_1_is_accepted():
    """Notebook costs are often np.dot results of shape (1, 1): one number, accepted as such."""
    g = numerical_gradient(lambda t: np.array([[float(np.sum(t**2))]]), np.array([1.0, 2.0]))
    np.testing.assert_allclose(g, [2.0, 4.0], rtol=1e-6)
