"""Known mistakes in the 2-layer network of ``planar_classification.ipynb``, each a small readable edit
of the reference (written out in numpy, as a student would write it).

When a student's results match one on every failing case, the feedback names it (see
:mod:`autograder.grading.verdict`). The random initializer is graded by properties
(:mod:`.properties`); its variants draw from the case's generators (:mod:`.draws`), as the student's
function does while graded, in the order the notebook asks for (W1, then W2).
"""

from __future__ import annotations

import numpy as np

from nnkit.activations import sigmoid as _sigmoid

from . import references as ref
from .draws import (case_generator, case_seed, fixed_seed_generator, global_generator, nn_model_from_start,
                    start_parameters)


# ----------------------------------------------------------------------------- layer_sizes
def sizes_n_x_is_m(X, Y):
    return X.shape[1], 4, Y.shape[0]


def sizes_n_y_is_m(X, Y):
    return X.shape[0], 4, Y.shape[1]


def sizes_n_y_fixed(X, Y):
    return X.shape[0], 4, 1


def sizes_wrong_order(X, Y):
    return X.shape[0], Y.shape[0], 4


def sizes_shapes_backwards(X, Y):
    return X.shape[1], 4, Y.shape[1]


def sizes_n_h_from_data(X, Y):
    return X.shape[0], X.shape[0], Y.shape[0]


# ----------------------------------------------------------------------------- initialize_parameters
def _init(n_x, n_h, n_y, *, scale=0.01, generator=case_generator, draw="normal", transposed=False,
          random_bias=False, bias_shape=lambda n: (n, 1)):
    g = generator(case_seed(n_x, n_h, n_y))
    out = {}
    for l, (n_out, n_in) in enumerate([(n_h, n_x), (n_y, n_h)], start=1):
        shape = (n_in, n_out) if transposed else (n_out, n_in)
        if draw == "normal":
            out[f"W{l}"] = g.standard_normal(shape) * scale
        elif draw == "uniform":
            out[f"W{l}"] = g.random(shape) * scale
        else:  # rng.normal(scale, 1, shape): the mean and the standard deviation swapped
            out[f"W{l}"] = g.normal(scale, 1, shape)
        out[f"b{l}"] = g.standard_normal((n_out, 1)) * scale if random_bias else np.zeros(bias_shape(n_out))
    return out


def init_scale_1(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, scale=1.0)


def init_variance_for_deviation(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, scale=0.01 ** 2)


def init_scale_01(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, scale=0.1)


def init_mean_and_deviation_swapped(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, draw="swapped")


def init_random_bias(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, random_bias=True)


def init_transposed(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, transposed=True)


def init_bias_1d(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, bias_shape=lambda n: (n,))


def init_zero_weights(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, scale=0.0)


def init_uniform(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, draw="uniform")


def init_fixed_seed(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, generator=fixed_seed_generator)


def init_global_state(n_x, n_h, n_y, rng=None):
    return _init(n_x, n_h, n_y, generator=global_generator)


# ----------------------------------------------------------------------------- forward_propagation
def _forward(X, parameters, hidden, output, *, z2_from="A1", bias=True, b1_after=False):
    W1, b1, W2, b2 = (parameters[k] for k in ("W1", "b1", "W2", "b2"))
    Z1 = W1 @ X + (b1 if bias and not b1_after else 0)
    A1 = hidden(Z1) + (b1 if b1_after else 0)
    Z2 = W2 @ (A1 if z2_from == "A1" else Z1) + (b2 if bias else 0)
    A2 = output(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def forward_relu_hidden(X, parameters):
    return _forward(X, parameters, lambda z: np.maximum(z, 0), _sigmoid)


def forward_sigmoid_hidden(X, parameters):
    return _forward(X, parameters, _sigmoid, _sigmoid)


def forward_tanh_output(X, parameters):
    return _forward(X, parameters, np.tanh, np.tanh)


def forward_z2_from_z1(X, parameters):
    return _forward(X, parameters, np.tanh, _sigmoid, z2_from="Z1")


def forward_no_bias(X, parameters):
    return _forward(X, parameters, np.tanh, _sigmoid, bias=False)


def forward_no_hidden_activation(X, parameters):
    return _forward(X, parameters, lambda z: z, _sigmoid)


def forward_bias_after_activation(X, parameters):
    return _forward(X, parameters, np.tanh, _sigmoid, b1_after=True)


# ----------------------------------------------------------------------------- compute_cost
def _log_terms(A2, Y):
    return Y * np.log(A2), (1 - Y) * np.log(1 - A2)


def cost_no_m(A2, Y):
    first, second = _log_terms(A2, Y)
    return float(-np.sum(first + second))


def cost_sign(A2, Y):
    return -ref.compute_cost(A2, Y)


def cost_only_first_term(A2, Y):
    first, _ = _log_terms(A2, Y)
    return float(-np.sum(first) / Y.shape[1])


def cost_wrong_log_term(A2, Y):
    first, _ = _log_terms(A2, Y)
    return float(-np.sum(first + (1 - Y) * np.log(A2)) / Y.shape[1])


def cost_array(A2, Y):
    return np.array([[ref.compute_cost(A2, Y)]])


def cost_squared_error(A2, Y):
    return float(np.sum((A2 - Y) ** 2) / Y.shape[1])


# ----------------------------------------------------------------------------- backward_propagation
def _backward(parameters, cache, X, Y, *, derivative=lambda A1, Z1: 1 - A1 ** 2, sign=1.0, scale=True,
              keepdims=True, transpose_dW=False):
    m = X.shape[1]
    k = 1.0 / m if scale else 1.0
    A1, A2, Z1 = cache["A1"], cache["A2"], cache["Z1"]
    dZ2 = sign * (A2 - Y)
    dW2 = k * (A1 @ dZ2.T if transpose_dW else dZ2 @ A1.T)
    db2 = k * np.sum(dZ2, axis=1, keepdims=keepdims)
    dZ1 = (parameters["W2"].T @ dZ2) * derivative(A1, Z1)
    dW1 = k * (X @ dZ1.T if transpose_dW else dZ1 @ X.T)
    db1 = k * np.sum(dZ1, axis=1, keepdims=keepdims)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def backward_no_m(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, scale=False)


def backward_db_no_keepdims(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, keepdims=False)


def backward_tanh_derivative_of_z(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=lambda A1, Z1: 1 - Z1 ** 2)


def backward_tanh_applied_again(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=lambda A1, Z1: 1 - np.tanh(A1) ** 2)


def backward_sigmoid_derivative(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=lambda A1, Z1: A1 * (1 - A1))


def backward_square_of_difference(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=lambda A1, Z1: (1 - A1) ** 2)


def backward_no_derivative(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=lambda A1, Z1: 1.0)


def backward_missing_parentheses(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = parameters["W2"].T @ dZ2 * 1 - A1 ** 2  # * binds before -: (W2^T dZ2) - A1^2
    return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


def backward_sign(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, sign=-1.0)


def backward_dW_transposed(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, transpose_dW=True)


# ----------------------------------------------------------------------------- update_parameters
def _step(parameters, grads, learning_rate, *, sign=-1.0, b_grad="db", update_b=True):
    new = {}
    for k, p in parameters.items():
        if k.startswith("b"):
            new[k] = p + sign * learning_rate * grads[b_grad + k[1:]] if update_b else p.copy()
        else:
            new[k] = p + sign * learning_rate * grads["d" + k]
    return new


def update_ascent(parameters, grads, learning_rate=1.2):
    return _step(parameters, grads, learning_rate, sign=1.0)


def update_ignores_learning_rate(parameters, grads, learning_rate=1.2):
    return _step(parameters, grads, 1.2)


def update_b_not_updated(parameters, grads, learning_rate=1.2):
    return _step(parameters, grads, learning_rate, update_b=False)


def update_b_with_dW(parameters, grads, learning_rate=1.2):
    return _step(parameters, grads, learning_rate, b_grad="dW")


# ----------------------------------------------------------------------------- nn_model
def model_ignores_n_h(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    return nn_model_from_start(X, Y, ref.N_H, num_iterations, learning_rate)


def model_ignores_learning_rate(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    return nn_model_from_start(X, Y, n_h, num_iterations, 1.2)


def model_extra_iteration(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    return nn_model_from_start(X, Y, n_h, num_iterations + 1, learning_rate)


def model_missing_iteration(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    if num_iterations == 1:  # range(1, 1) runs no step at all
        return start_parameters(X.shape[0], n_h, Y.shape[0])
    return nn_model_from_start(X, Y, n_h, num_iterations - 1, learning_rate)


def model_no_update(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    return start_parameters(X.shape[0], n_h, Y.shape[0])


def model_reinitializes(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    return nn_model_from_start(X, Y, n_h, 1, learning_rate)


# ----------------------------------------------------------------------------- predict
def predict_probabilities(parameters, X):
    return ref.forward_propagation(X, parameters)[0]


def predict_inverted(parameters, X):
    return (ref.forward_propagation(X, parameters)[0] < 0.5).astype(float)


def predict_threshold_on_z2(parameters, X):
    return (ref.forward_propagation(X, parameters)[1]["Z2"] > 0.5).astype(float)


def predict_threshold_zero(parameters, X):
    return (ref.forward_propagation(X, parameters)[0] > 0).astype(float)


def predict_1d(parameters, X):
    return ref.predict(parameters, X).reshape(-1)
