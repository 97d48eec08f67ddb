"""Logistic regression as a one-neuron network, with the function names of assignment 1.

This is the reference the autograder compares assignment 1 with, written as thin adapters over
the rest of nnkit (no second implementation of the maths):

.. math::
    A = \\sigma(w^T X + b), \\qquad
    J = -\\frac{1}{m} \\sum_i \\big(y_i \\log a_i + (1 - y_i) \\log(1 - a_i)\\big),

.. math::
    dw = \\frac{1}{m} X (A - Y)^T, \\qquad db = \\frac{1}{m} \\sum_i (a_i - y_i).

Shapes: ``X`` is ``(n_x, m)``, ``Y`` is ``(1, m)``, ``w`` is ``(n_x, 1)``, ``b`` is a float.
"""

from __future__ import annotations

import numpy as np

from nnkit._checks import (
    as_array,
    check_binary,
    check_bool,
    check_int,
    check_positive,
    check_same_columns,
    check_shape,
)
from nnkit.activations import _sigmoid, sigmoid
from nnkit.losses import _binary_cross_entropy

__all__ = ["flatten_and_scale", "sigmoid", "initialize_with_zeros", "propagate", "optimize", "predict", "model"]


def flatten_and_scale(images, max_value: float = 255.0) -> np.ndarray:
    """Flatten each image into a column and divide by ``max_value``.

    Parameters
    ----------
    images : ndarray of shape (m, h, w, c) (or (m, h, w))
    max_value : the largest possible pixel value (255 for 8-bit images)

    Returns
    -------
    X : ndarray of shape (h*w*c, m); column i is image i flattened in row-major order / max_value
    """
    images = np.asarray(images)
    if not (np.issubdtype(images.dtype, np.number) or images.dtype == bool):
        raise TypeError(f"images must be a numeric array of shape (m, h, w, c), got dtype {images.dtype}.")
    if images.ndim < 2:
        raise ValueError(f"images must have shape (m, h, w, c), got {images.shape}.")
    max_value = check_positive("max_value", max_value)
    m = images.shape[0]
    return images.reshape(m, -1).T / max_value  # (h*w*c, m): one image per column


def initialize_with_zeros(dim: int):
    """``w = 0`` of shape ``(dim, 1)`` and ``b = 0.0`` (a float)."""
    dim = check_int("dim", dim, minimum=1)  # the number of features n_x
    return np.zeros((dim, 1)), 0.0


def _check_wbXY(w, b, X, Y=None):
    w, X = as_array("w", w), as_array("X", X)
    check_shape("w", w, [(X.shape[0], "n_x"), 1], hint="w is a column of shape (n_x, 1).")
    b_arr = as_array("b", b, ndim=None)
    if b_arr.size != 1:  # reshape(()) would fail with numpy's message, and broadcasting would hide it
        raise ValueError(f"b must be a single number (logistic regression has one bias), got an array of "
                         f"shape {b_arr.shape}. Initialize it as b = 0.0.")
    b = float(b_arr.reshape(()))
    if Y is not None:
        Y = as_array("Y", Y)
        check_shape("Y", Y, [1, (X.shape[1], "m")])
        check_binary("Y", Y)
        check_same_columns(X=X, Y=Y)
    return w, b, X, Y


def _propagate(w, b, X, Y, with_cost: bool = True):
    """:func:`propagate` on checked inputs; ``with_cost=False`` skips the cost (``None``), which
    :func:`optimize` records only every 100 iterations."""
    A = _sigmoid(w.T @ X + b)  # (1, m)
    dZ = A - Y  # (1, m): the fused sigmoid + cross-entropy gradient
    m = X.shape[1]
    grads = {"dw": (X @ dZ.T) / m, "db": float(dZ.sum()) / m}
    return grads, (_binary_cross_entropy(A, Y)[0] if with_cost else None)


def propagate(w, b, X, Y):
    """Forward and backward pass of logistic regression.

    Parameters
    ----------
    w : ndarray of shape (n_x, 1)
    b : float
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m), labels 0/1

    Returns
    -------
    grads : dict ``{"dw": ndarray (n_x, 1), "db": float}``
    cost : float, the mean binary cross-entropy
    """
    return _propagate(*_check_wbXY(w, b, X, Y))


def optimize(w, b, X, Y, num_iterations: int = 100, learning_rate: float = 0.009, print_cost: bool = False):
    """Gradient descent ``w -= lr dw``, ``b -= lr db`` for ``num_iterations`` steps.

    Returns
    -------
    params : dict ``{"w": (n_x, 1), "b": float}`` after the last update
    grads : dict ``{"dw", "db"}`` of the last :func:`propagate` call (before the last update)
    costs : list of floats, the cost at iterations 0, 100, 200, ...
    """
    w, b, X, Y = _check_wbXY(w, b, X, Y)
    num_iterations = check_int("num_iterations", num_iterations, minimum=1)
    check_positive("learning_rate", learning_rate)
    check_bool("print_cost", print_cost)
    costs, grads = [], {"dw": np.zeros_like(w), "db": 0.0}
    for i in range(num_iterations):
        record = i % 100 == 0
        grads, cost = _propagate(w, b, X, Y, with_cost=record)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if record:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost:f}")
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X) -> np.ndarray:
    """Labels ``(1, m)`` of 0./1.: 1 where ``sigmoid(w^T X + b) > 0.5``."""
    w, b, X, _ = _check_wbXY(w, b, X)
    return (sigmoid(w.T @ X + b) > 0.5).astype(float)


def model(X_train, Y_train, X_test, Y_test, num_iterations: int = 2000, learning_rate: float = 0.5,
          print_cost: bool = False) -> dict:
    """Initialize, optimize, predict: the whole logistic-regression model.

    Returns
    -------
    dict with ``costs``, ``Y_prediction_test`` (1, m_test), ``Y_prediction_train`` (1, m_train),
    ``w`` (n_x, 1), ``b``, ``learning_rate``, ``num_iterations``
    """
    X_train = as_array("X_train", X_train)
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_train)
    if print_cost:
        print(f"train accuracy: {100 - np.mean(np.abs(Y_prediction_train - Y_train)) * 100} %")
        print(f"test accuracy: {100 - np.mean(np.abs(Y_prediction_test - Y_test)) * 100} %")
    return {
        "costs": costs,
        "Y_prediction_test": Y_prediction_test,
        "Y_prediction_train": Y_prediction_train,
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }
