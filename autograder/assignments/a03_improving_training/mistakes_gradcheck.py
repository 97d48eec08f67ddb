"""Assignment 3's known mistakes in gradient checking: each a small, readable edit of the reference.

The 1-D ones call ``forward_propagation`` and ``backward_propagation`` by their global names, as
the student's code does, so a case that binds other versions of them (a nonlinear cost, a wrong
gradient) changes these variants exactly as it changes the student's function.
"""

from __future__ import annotations

import numpy as np

from .references import (backward_propagation, backward_propagation_n, dictionary_to_vector,  # noqa: F401
                         forward_propagation, forward_propagation_n, gradients_to_vector, make_vector_to_dictionary)


def _relative(grad, gradapprox):
    numerator = np.linalg.norm(grad - gradapprox)
    return numerator / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


# ----------------------------------------------------------------------------- 1-D forward and backward
def forward_returns_x(x, theta):
    return x


def forward_returns_theta(x, theta):
    return theta


def forward_sum(x, theta):
    return theta + x


def backward_wrt_x(x, theta):
    return theta


def backward_returns_cost(x, theta):
    return theta * x


def backward_returns_one(x, theta):
    return 1.0


# ----------------------------------------------------------------------------- 1-D gradient check
def gc_one_sided(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta)) / epsilon
    return _relative(backward_propagation(x, theta), gradapprox)


def gc_hard_coded_epsilon(x, theta, epsilon=1e-7, print_msg=False):
    eps = 1e-7
    gradapprox = (forward_propagation(x, theta + eps) - forward_propagation(x, theta - eps)) / (2 * eps)
    return _relative(backward_propagation(x, theta), gradapprox)


def gc_precedence(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / 2 * epsilon
    return _relative(backward_propagation(x, theta), gradapprox)


def gc_absolute(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    return np.linalg.norm(backward_propagation(x, theta) - gradapprox)


def gc_norm_of_sum(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    return np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad + gradapprox)


def gc_signed(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    return (grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


def gc_swapped(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta - epsilon) - forward_propagation(x, theta + epsilon)) / (2 * epsilon)
    return _relative(backward_propagation(x, theta), gradapprox)


def gc_j_inverse(x, theta, epsilon=1e-7, print_msg=False):
    """Seed 001's erratum read literally: ``(J^+ - J^{-1}) / (2 eps)`` with ``J^{-1} = 1 / J^-``."""
    J_minus = forward_propagation(x, theta - epsilon)
    gradapprox = (forward_propagation(x, theta + epsilon) - J_minus ** -1) / (2 * epsilon)
    return _relative(backward_propagation(x, theta), gradapprox)


def gc_returns_gradapprox(x, theta, epsilon=1e-7, print_msg=False):
    return (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)


# ----------------------------------------------------------------------------- N-D gradient check
def _gc_n(parameters, gradients, X, Y, epsilon, *, step=None, one_sided=False, precedence=False, alias="",
          minus_from_plus=False, own_gradients=False, difference=_relative):
    """The N-D check with one thing changed (the defaults give the reference's numbers)."""
    theta, _ = dictionary_to_vector(parameters)
    shapes = [(k, np.shape(parameters[k])) for k in ("W1", "b1", "W2", "b2", "W3", "b3")]
    to_dict = make_vector_to_dictionary(shapes)
    if own_gradients:
        gradients = backward_propagation_n(X, Y, forward_propagation_n(X, Y, parameters)[1])
    grad = gradients_to_vector(gradients)
    eps = epsilon if step is None else step
    approx = np.zeros_like(grad)
    J = forward_propagation_n(X, Y, to_dict(theta))[0]
    for i in range(theta.shape[0]):
        plus = theta if alias in ("plus", "both") else np.copy(theta)
        plus[i] = plus[i] + eps
        J_plus = forward_propagation_n(X, Y, to_dict(plus))[0]
        minus = theta if alias in ("minus", "both") else (plus if minus_from_plus else np.copy(theta))
        minus[i] = minus[i] - (0.0 if minus_from_plus else eps)
        J_minus = J if one_sided else forward_propagation_n(X, Y, to_dict(minus))[0]
        approx[i] = (J_plus - J_minus) / eps if one_sided else (
            (J_plus - J_minus) / 2 * eps if precedence else (J_plus - J_minus) / (2 * eps))
    return difference(grad, approx)


def gcn_one_sided(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon, one_sided=True)


def gcn_hard_coded_epsilon(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon, step=1e-7)


def gcn_precedence(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon, precedence=True)


def gcn_absolute(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon, difference=lambda g, a: np.linalg.norm(g - a))


def gcn_norm_of_sum(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon,
                 difference=lambda g, a: np.linalg.norm(g - a) / np.linalg.norm(g + a))


def gcn_thetaplus_alias(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon, alias="both")


def gcn_thetaminus_alias(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon, alias="minus")


def gcn_minus_from_plus(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon, minus_from_plus=True)


def gcn_ignores_gradients(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon, own_gradients=True)
