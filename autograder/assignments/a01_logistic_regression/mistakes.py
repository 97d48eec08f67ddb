"""Assignment 1's known mistakes: each is a small edit of the reference, written out so it can be read.

They are the variants students really make; when a student's results match one on every case
the student fails, the feedback names it (see :mod:`autograder.grading.verdict`). Mistakes that
a relation between the wrong and the right result already names (a factor m, a transpose, an
argument ignored, one step more; :mod:`autograder.grading.diagnose`) need no variant here; these
are the conceptual ones.
"""

from __future__ import annotations

import numpy as np

from nnkit.activations import sigmoid as _sig

from . import references as ref


def flatten_no_transpose(images, max_value=255.0):
    return np.asarray(images).reshape(np.asarray(images).shape[0], -1) / max_value


def flatten_reshape_n_m(images, max_value=255.0):
    images = np.asarray(images)
    return images.reshape(-1, images.shape[0]) / max_value


def flatten_column_major(images, max_value=255.0):
    images = np.asarray(images)
    return images.reshape(images.shape[0], -1, order="F").T / max_value


def flatten_ignores_max_value(images, max_value=255.0):
    return ref.flatten_and_scale(images, 255.0)


def flatten_no_scaling(images, max_value=255.0):
    images = np.asarray(images)
    return images.reshape(images.shape[0], -1).T.astype(float)


def sigmoid_sign(z):
    return 1.0 / (1.0 + np.exp(np.asarray(z, dtype=float)))


def init_1d(dim):
    return np.zeros(dim), 0.0


def init_row(dim):
    return np.zeros((1, dim)), 0.0


def init_b_array(dim):
    return np.zeros((dim, 1)), np.zeros((1, 1))


def _prop_parts(w, b, X, Y):
    A = _sig(w.T @ X + b)
    m = X.shape[1]
    losses = -(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return A, m, losses


def propagate_no_m(w, b, X, Y):
    A, m, losses = _prop_parts(w, b, X, Y)
    return {"dw": X @ (A - Y).T, "db": float(np.sum(A - Y))}, float(np.sum(losses))


def propagate_no_m_grads(w, b, X, Y):
    A, m, losses = _prop_parts(w, b, X, Y)
    return {"dw": X @ (A - Y).T, "db": float(np.sum(A - Y))}, float(np.sum(losses)) / m


def propagate_no_m_cost(w, b, X, Y):
    grads, _ = ref.propagate(w, b, X, Y)
    return grads, float(np.sum(_prop_parts(w, b, X, Y)[2]))


def propagate_dw_transposed(w, b, X, Y):
    grads, cost = ref.propagate(w, b, X, Y)
    return {"dw": grads["dw"].T, "db": grads["db"]}, cost


def propagate_grad_sign(w, b, X, Y):
    grads, cost = ref.propagate(w, b, X, Y)
    return {"dw": -grads["dw"], "db": -grads["db"]}, cost


def propagate_cost_sign(w, b, X, Y):
    grads, cost = ref.propagate(w, b, X, Y)
    return grads, -cost


def propagate_wrong_log_term(w, b, X, Y):
    A, m, _ = _prop_parts(w, b, X, Y)
    grads, _ = ref.propagate(w, b, X, Y)
    return grads, float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(A)) / m)


def propagate_log_of_labels(w, b, X, Y):
    A, m, _ = _prop_parts(w, b, X, Y)
    grads, _ = ref.propagate(w, b, X, Y)
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - Y)) / m
    return grads, float(cost)


def propagate_cost_array(w, b, X, Y):
    grads, cost = ref.propagate(w, b, X, Y)
    return grads, np.array([[cost]])


def _gd(w, b, X, Y, num_iterations, learning_rate, *, b_step="db", sign=-1.0, record_every=100):
    costs, grads = [], None
    for i in range(num_iterations):
        grads, cost = ref.propagate(w, b, X, Y)
        w = w + sign * learning_rate * grads["dw"]
        b = b + sign * learning_rate * grads[b_step]
        if i % record_every == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def optimize_b_with_dw(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    return _gd(w, b, X, Y, num_iterations, learning_rate, b_step="dw")


def optimize_ascent(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    return _gd(w, b, X, Y, num_iterations, learning_rate, sign=1.0)


def optimize_ignores_lr(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    return _gd(w, b, X, Y, num_iterations, 0.009)


def optimize_ignores_iterations(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    return _gd(w, b, X, Y, 100, learning_rate)


def optimize_every_cost(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    return _gd(w, b, X, Y, num_iterations, learning_rate, record_every=1)


def optimize_gradient_once(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    grads, cost = ref.propagate(w, b, X, Y)  # before the loop: never recomputed
    costs = []
    for i in range(num_iterations):
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def optimize_cost_after_update(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs, grads = [], None
    for i in range(num_iterations):
        grads, _ = ref.propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(ref.propagate(w, b, X, Y)[1])  # the cost of the parameters after the step
    return {"w": w, "b": b}, grads, costs


def predict_probabilities(w, b, X):
    return _sig(w.T @ X + b)


def predict_inverted(w, b, X):
    return (_sig(w.T @ X + b) < 0.5).astype(float)


def predict_threshold_on_z(w, b, X):
    return ((w.T @ X + b) > 0.5).astype(float)


def predict_1d(w, b, X):
    return ref.predict(w, b, X).reshape(-1)


def model_ignores_args(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    d = ref.model(X_train, Y_train, X_test, Y_test)
    d.update(num_iterations=num_iterations, learning_rate=learning_rate)
    return d


def model_optimize_defaults(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
                            print_cost=False):
    w, b = ref.initialize_with_zeros(X_train.shape[0])
    params, _, costs = ref.optimize(w, b, X_train, Y_train)  # optimize's own defaults: 100 steps of 0.009
    return _model_dict(params, costs, X_train, X_test, num_iterations, learning_rate)


def model_no_learning_rate(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
                           print_cost=False):
    w, b = ref.initialize_with_zeros(X_train.shape[0])
    params, _, costs = ref.optimize(w, b, X_train, Y_train, num_iterations)  # learning rate 0.009
    return _model_dict(params, costs, X_train, X_test, num_iterations, learning_rate)


def model_trains_on_test(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
                         print_cost=False):
    w, b = ref.initialize_with_zeros(X_test.shape[0])
    params, _, costs = ref.optimize(w, b, X_test, Y_test, num_iterations, learning_rate)
    return _model_dict(params, costs, X_train, X_test, num_iterations, learning_rate)


def _model_dict(params, costs, X_train, X_test, num_iterations, learning_rate):
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": ref.predict(w, b, X_test),
            "Y_prediction_train": ref.predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}


def model_swapped_predictions(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    d = ref.model(X_train, Y_train, X_test, Y_test, num_iterations, learning_rate)
    d["Y_prediction_test"], d["Y_prediction_train"] = d["Y_prediction_train"], d["Y_prediction_test"]
    return d
