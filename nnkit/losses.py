"""Losses and their gradients.

Conventions (the course's, stated once): the **cost** is the mean loss over the ``m`` examples,
``J = 1/m sum_i L(a_i, y_i)``, a float. The **gradient** each loss returns is the per-example
derivative ``dA[:, i] = dL(a_i, y_i) / da_i`` (shape ``(n_y, m)``), *without* the ``1/m``:
the average over examples is taken once, where the weight gradients are formed
(``dW = 1/m dZ A_prev^T`` in :func:`nnkit.layers.linear_backward`). This is the convention of the
notebooks (``dZ2 = A2 - Y``, ``dW2 = 1/m dZ2 A1^T``) and it keeps ``dA`` and ``dZ`` readable.

Every loss is ``loss(A, Y) -> (cost, dA)``. Two fused forms take the pre-activation ``Z`` instead
and return ``dZ`` directly, because that is both simpler and numerically safer:
``binary_cross_entropy_with_logits`` and ``softmax_cross_entropy``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from nnkit._checks import as_array, check_binary, check_choice, check_probabilities, check_shape

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "squared_error",
    "half_squared_error",
    "categorical_cross_entropy",
    "softmax_cross_entropy",
    "LOSSES",
    "get_loss",
]

#: Probabilities are clipped to [EPS, 1 - EPS] before taking logs, so a saturated output costs
#: about 36.8 (= -log 1e-16) instead of producing inf/nan.
EPS = 1e-16


#: What to do about an ``A`` outside [0, 1] given to a cross-entropy.
PROBABILITY_HINT = ("The cross-entropies take probabilities: pass A = sigmoid(Z) (or softmax(Z)), not Z itself; "
                    "for logits use binary_cross_entropy_with_logits(Z, Y) or softmax_cross_entropy(Z, Y).")


def _check_pair(A, Y, a_name="A", binary=False, probabilities=False):
    A = as_array(a_name, A)
    Y = as_array("Y", Y)
    check_shape("Y", Y, A.shape, hint=f"Y must have the shape of {a_name}: one column per example.")
    if binary:
        check_binary("Y", Y)
    if probabilities:  # the cross-entropies would clip an A outside [0, 1] and report a near-zero cost
        check_probabilities(a_name, A, hint=PROBABILITY_HINT)
        if not binary:
            check_probabilities("Y", Y, hint="Y holds one-hot columns (or class probabilities).")
    return A, Y


# ----------------------------------------------------------------------------- cross-entropy
def binary_cross_entropy(A, Y):
    """``J = -1/m sum(Y log A + (1 - Y) log(1 - A))``.

    Parameters
    ----------
    A : ndarray of shape (1, m)   predicted probabilities in [0, 1] (a ``ValueError`` otherwise;
        exactly 0 and 1 are clipped to ``[EPS, 1 - EPS]`` before the logs)
    Y : ndarray of shape (1, m)   true labels, 0 or 1

    Returns
    -------
    cost : float
    dA : ndarray of shape (1, m)  ``-(Y / A - (1 - Y) / (1 - A))`` (A clipped away from 0 and 1)
    """
    A, Y = _check_pair(A, Y, binary=True, probabilities=True)
    return _binary_cross_entropy(A, Y)


def _binary_cross_entropy(A, Y):
    m = Y.shape[1]
    Ac = np.clip(A, EPS, 1.0 - EPS)
    cost = -float(np.sum(Y * np.log(Ac) + (1.0 - Y) * np.log1p(-Ac))) / m
    dA = (1.0 - Y) / (1.0 - Ac) - Y / Ac
    return cost, dA


def binary_cross_entropy_with_logits(Z, Y):
    """Binary cross-entropy of ``sigmoid(Z)``, computed from ``Z`` without overflow.

    ``L = max(z, 0) - z y + log(1 + exp(-|z|))`` equals ``-y log s(z) - (1-y) log(1 - s(z))``
    for every z, and its derivative is simply ``dZ = sigmoid(Z) - Y``.

    Parameters
    ----------
    Z : ndarray of shape (1, m)   output pre-activations (logits)
    Y : ndarray of shape (1, m)   labels 0/1

    Returns
    -------
    cost : float
    dZ : ndarray of shape (1, m)
    """
    from nnkit.activations import sigmoid

    Z, Y = _check_pair(Z, Y, a_name="Z", binary=True)
    m = Y.shape[1]
    cost = float(np.sum(np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z))))) / m
    return cost, sigmoid(Z) - Y


def categorical_cross_entropy(A, Y):
    """``J = -1/m sum_i sum_k Y[k, i] log A[k, i]`` for probability columns.

    Parameters
    ----------
    A : ndarray of shape (K, m)   predicted class probabilities (columns sum to 1), in [0, 1]
    Y : ndarray of shape (K, m)   one-hot targets (or class probabilities), in [0, 1]

    Returns
    -------
    cost : float
    dA : ndarray of shape (K, m)  ``-Y / A``
    """
    A, Y = _check_pair(A, Y, probabilities=True)
    return _categorical_cross_entropy(A, Y)


def _categorical_cross_entropy(A, Y):
    m = Y.shape[1]
    Ac = np.clip(A, EPS, 1.0)
    return -float(np.sum(Y * np.log(Ac))) / m, -Y / Ac


def softmax_cross_entropy(Z, Y):
    """Categorical cross-entropy of ``softmax(Z)``, from the logits ``Z``: ``dZ = softmax(Z) - Y``.

    Parameters
    ----------
    Z : ndarray of shape (K, m)   logits
    Y : ndarray of shape (K, m)   one-hot targets

    Returns
    -------
    cost : float
    dZ : ndarray of shape (K, m)
    """
    Z, Y = _check_pair(Z, Y, a_name="Z")
    m = Y.shape[1]
    shifted = Z - Z.max(axis=0, keepdims=True)  # log-sum-exp trick: exp never overflows
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    cost = -float(np.sum(Y * log_probs)) / m
    return cost, np.exp(log_probs) - Y


# ----------------------------------------------------------------------------- squared error
def squared_error(A, Y):
    """``J = 1/m sum_i ||a_i - y_i||^2``, the form ``(Y_hat - Y)^2`` of seed 000.

    Parameters
    ----------
    A, Y : ndarrays of shape (n_y, m)

    Returns
    -------
    cost : float
    dA : ndarray of shape (n_y, m)   ``2 (A - Y)``
    """
    A, Y = _check_pair(A, Y)
    return _squared_error(A, Y)


def _squared_error(A, Y):
    diff = A - Y
    return float(np.sum(diff * diff)) / Y.shape[1], 2.0 * diff


def half_squared_error(A, Y):
    """``J = 1/m sum_i 1/2 ||a_i - y_i||^2``, the form of seeds 003 and 004 (``dA = A - Y``).

    Parameters
    ----------
    A, Y : ndarrays of shape (n_y, m)

    Returns
    -------
    cost : float
    dA : ndarray of shape (n_y, m)   ``A - Y``
    """
    A, Y = _check_pair(A, Y)
    return _half_squared_error(A, Y)


def _half_squared_error(A, Y):
    diff = A - Y
    return 0.5 * float(np.sum(diff * diff)) / Y.shape[1], diff


#: name -> unchecked ``loss(A, Y) -> (cost, dA)`` used inside the network, after validation.
LOSSES: dict[str, Callable] = {
    "binary_cross_entropy": _binary_cross_entropy,
    "categorical_cross_entropy": _categorical_cross_entropy,
    "squared_error": _squared_error,
    "half_squared_error": _half_squared_error,
}

#: (output activation, loss) pairs whose ``dZ`` is computed directly as ``A - Y``: exact, and safe
#: when the output saturates (the general chain ``dA * g'(Z)`` would divide by ~0 there).
FUSED_OUTPUTS = {("sigmoid", "binary_cross_entropy"), ("softmax", "categorical_cross_entropy")}


def get_loss(name: str) -> Callable:
    """Return the (unchecked) loss function for a name, or raise listing the valid names."""
    check_choice("loss", name, LOSSES)
    return LOSSES[name]
