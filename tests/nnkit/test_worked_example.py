"""The worked example of seed 003, checked against nnkit to the printed precision.

Inputs ``x = (1, 0, 1)``, target ``y = 0.98``, learning rate 1, biases 0, loss ``E = 1/2 (y_hat - y)^2``,
layer 1 ReLU (the seed's ``max(1, x)`` is a typo for ``max(0, x)``), layers 2 and 3 sigmoid.
The seed writes weights ``w_ij`` from unit i (previous layer) to unit j, one row per previous unit;
nnkit's ``W[l]`` is the transpose, ``(n_l, n_{l-1})``.

Every printed number is asserted to lie within half a unit of its last printed digit of the exact
value (the tightest tolerance the rounding allows), e.g. ``1.025844`` to ``5e-7``.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnkit.activations import ACTIVATIONS
from nnkit.layers import linear_activation_backward
from nnkit.losses import half_squared_error
from nnkit.network import model_backward, model_cost, model_forward
from nnkit.optim import apply_updates, sgd

X = np.array([[1.0], [0.0], [1.0]])
Y = np.array([[0.98]])
ACTS = ["relu", "sigmoid", "sigmoid"]
ROWS = {  # the seed's row convention: ROWS[l][i][j] = w_ij of layer l
    1: [[1.0, 0.0], [1.0, 0.5], [1.0, 1.5]],
    2: [[1.0, 0.7], [1.2, 0.8]],
    3: [[1.0], [0.5]],
}


def _params():
    params = {}
    for l, rows in ROWS.items():
        W = np.array(rows).T
        params[f"W{l}"] = W
        params[f"b{l}"] = np.zeros((W.shape[0], 1))
    return params


def assert_printed(values, printed):
    """Each value rounds to the printed decimal string: |value - printed| <= half a unit of the last digit."""
    values = np.ravel(np.asarray(values, dtype=float))
    printed = list(np.ravel(np.asarray(printed, dtype=object)))
    assert len(values) == len(printed)
    for value, text in zip(values, printed):
        decimals = len(text.split(".")[1]) if "." in text else 0
        tol = 0.5 * 10.0 ** -decimals
        assert abs(value - float(text)) <= tol * (1 + 1e-9), f"{value!r} does not round to {text}"


@pytest.fixture(scope="module")
def run():
    params = _params()
    AL, cache = model_forward(X, params, ACTS)
    grads = model_backward(AL, Y, cache, "half_squared_error")
    return params, AL, cache, grads


def test_weights_are_transposed_from_the_seed():
    params = _params()
    assert params["W1"].shape == (2, 3) and params["W2"].shape == (2, 2) and params["W3"].shape == (1, 2)
    assert params["W1"][1, 2] == 1.5  # w32 of layer 1: from input 3 to hidden unit 2


def test_forward_values(run):
    _, AL, cache, _ = run
    z1, h1 = cache.layers[0].activation
    z2, h2 = cache.layers[1].activation
    z3, y_hat = cache.layers[2].activation
    np.testing.assert_array_equal(z1.ravel(), [2.0, 1.5])  # exact
    np.testing.assert_array_equal(h1.ravel(), [2.0, 1.5])
    np.testing.assert_allclose(z2.ravel(), [3.8, 2.6], rtol=0, atol=1e-15)
    assert_printed(h2, ["0.97812", "0.93086"])
    assert_printed(z3, ["1.44355"])
    assert_printed(y_hat, ["0.80900"])
    np.testing.assert_array_equal(AL, y_hat)
    E = model_cost(AL, Y, "half_squared_error")
    assert E == pytest.approx(0.5 * (float(y_hat[0, 0]) - 0.98) ** 2, rel=1e-14)


def test_deltas_from_the_backward_pass(run):
    _, AL, cache, grads = run
    sig_back = ACTIVATIONS["sigmoid"][1]
    relu_back = ACTIVATIONS["relu"][1]
    # delta = dE/dz: the output's from the loss gradient, the others from model_backward's dA entries
    delta3 = sig_back(half_squared_error(AL, Y)[1], cache.layers[2].activation)
    delta2 = sig_back(grads["dA2"], cache.layers[1].activation)
    delta1 = relu_back(grads["dA1"], cache.layers[0].activation)
    assert_printed(delta3, ["-0.026422"])
    assert_printed(delta2, ["-0.00056549", "-0.00085023"])
    assert_printed(delta1, ["-0.00116065", "-0.00135877"])
    # with m = 1, db = 1/m sum(dZ) is delta itself
    np.testing.assert_allclose(grads["db3"], delta3, rtol=1e-15)
    np.testing.assert_allclose(grads["db2"], delta2, rtol=1e-15)
    np.testing.assert_allclose(grads["db1"], delta1, rtol=1e-15)
    # and dW = delta h_prev^T
    np.testing.assert_allclose(grads["dW1"], delta1 @ X.T, rtol=1e-15)
    np.testing.assert_array_equal(grads["dW1"][:, 1], [0.0, 0.0])  # x2 = 0: Delta w21 is 0 (a seed erratum)


def test_step_by_step_layer_backward_agrees(run):
    _, AL, cache, grads = run
    dA = half_squared_error(AL, Y)[1]
    for l, act in ((3, "sigmoid"), (2, "sigmoid"), (1, "relu")):
        dA, dW, db = linear_activation_backward(dA, cache.layers[l - 1], act)
        np.testing.assert_allclose(dW, grads[f"dW{l}"], rtol=1e-14)
        np.testing.assert_allclose(db, grads[f"db{l}"], rtol=1e-14)
        np.testing.assert_allclose(dA, grads[f"dA{l - 1}"], rtol=1e-14)


def test_one_step_of_gradient_descent(run):
    params, _, _, grads = run
    opt = sgd(learning_rate=1.0)
    updates, _ = opt.update(grads, opt.init(params))
    new = apply_updates(params, updates)
    assert_printed(new["W3"].T, [["1.025844"], ["0.524595"]])
    assert_printed(new["W2"].T, [["1.001131", "0.701700"], ["1.200848", "0.801275"]])
    assert_printed(new["W1"].T, [["1.001161", "0.001359"], ["1", "0.5"], ["1.001161", "1.501359"]])
    np.testing.assert_array_equal(new["W1"].T[1], [1.0, 0.5])  # unchanged exactly: x2 = 0
    # the seed's own printed update rounded the deltas first and got 0.7016; the exact value is 0.7017
    assert round(float(new["W2"][1, 0]), 4) == 0.7017
    # the step lowers the error
    AL_new, _ = model_forward(X, new, ACTS)
    assert model_cost(AL_new, Y, "half_squared_error") < model_cost(run[1], Y, "half_squared_error")


def test_params_untouched_by_the_step(run):
    params, *_ = run
    for l, rows in ROWS.items():
        np.testing.assert_array_equal(params[f"W{l}"].T, rows)
