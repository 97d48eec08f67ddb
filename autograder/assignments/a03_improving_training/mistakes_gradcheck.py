"""Assignment 3's known mistakes in gradient checking: each a small, readable edit of the reference.

The 1-D ones compute with the helpers of their grading case (:func:`.references.helpers_for`: a
nonlinear cost or a wrong gradient on some cases), the ones the student's function gets bound in
the sandbox, so they compute what the student's code computes on every case.
"""

from __future__ import annotations

import numpy as np

from .references import (backward_propagation_n, dictionary_to_vector, forward_propagation_n, gradients_to_vector,
                         helpers_for, make_vector_to_dictionary)


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


def forward_power(x, theta):
    return theta ** x


def backward_wrt_x(x, theta):
    return theta


def backward_returns_cost(x, theta):
    return theta * x


def backward_returns_one(x, theta):
    return 1.0


def backward_sum(x, theta):
    return x + theta


# ----------------------------------------------------------------------------- 1-D gradient check
def _two_sided(J, theta, eps):
    return (J(theta + eps) - J(theta - eps)) / (2 * eps)


def _check_1d(x, theta, epsilon, mistake):
    """The 1-D check with the case's helpers, the mistake deciding gradapprox and the difference."""
    forward, backward = helpers_for(x, theta)
    J = lambda t: forward(x, t)  # noqa: E731
    grad = backward(x, theta)
    return mistake(J, grad, theta, epsilon)


def gc_one_sided(x, theta, epsilon=1e-7, print_msg=False):
    return _check_1d(x, theta, epsilon, lambda J, g, t, e: _relative(g, (J(t + e) - J(t)) / e))


def gc_hard_coded_epsilon(x, theta, epsilon=1e-7, print_msg=False):
    return _check_1d(x, theta, epsilon, lambda J, g, t, e: _relative(g, _two_sided(J, t, 1e-7)))


def gc_precedence(x, theta, epsilon=1e-7, print_msg=False):
    return _check_1d(x, theta, epsilon, lambda J, g, t, e: _relative(g, (J(t + e) - J(t - e)) / 2 * e))


def gc_absolute(x, theta, epsilon=1e-7, print_msg=False):
    return _check_1d(x, theta, epsilon, lambda J, g, t, e: np.linalg.norm(g - _two_sided(J, t, e)))


def gc_norm_of_sum(x, theta, epsilon=1e-7, print_msg=False):
    def difference(J, g, t, e):
        a = _two_sided(J, t, e)
        return np.linalg.norm(g - a) / np.linalg.norm(g + a)
    return _check_1d(x, theta, epsilon, difference)


def gc_signed(x, theta, epsilon=1e-7, print_msg=False):
    def difference(J, g, t, e):
        a = _two_sided(J, t, e)
        return (g - a) / (np.linalg.norm(g) + np.linalg.norm(a))
    return _check_1d(x, theta, epsilon, difference)


def gc_swapped(x, theta, epsilon=1e-7, print_msg=False):
    return _check_1d(x, theta, epsilon, lambda J, g, t, e: _relative(g, (J(t - e) - J(t + e)) / (2 * e)))


def gc_j_inverse(x, theta, epsilon=1e-7, print_msg=False):
    """Seed 001's erratum read literally: ``(J^+ - J^{-1}) / (2 eps)`` with ``J^{-1} = 1 / J^-``."""
    return _check_1d(x, theta, epsilon, lambda J, g, t, e: _relative(g, (J(t + e) - J(t - e) ** -1) / (2 * e)))


def gc_grad_norm_only(x, theta, epsilon=1e-7, print_msg=False):
    return _check_1d(x, theta, epsilon, lambda J, g, t, e: np.linalg.norm(g - _two_sided(J, t, e)) / np.linalg.norm(g))


def gc_returns_gradapprox(x, theta, epsilon=1e-7, print_msg=False):
    return _check_1d(x, theta, epsilon, lambda J, g, t, e: _two_sided(J, t, e))


# ----------------------------------------------------------------------------- N-D gradient check
def _gc_n(parameters, gradients, X, Y, epsilon, *, step=None, one_sided=False, precedence=False, alias="",
          minus_from_plus=False, own_gradients=False, difference=_relative, skip_last=False, swapped=False):
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
    for i in range(theta.shape[0] - 1 if skip_last else theta.shape[0]):
        plus = theta if alias in ("plus", "both") else np.copy(theta)
        plus[i] = plus[i] + eps
        J_plus = forward_propagation_n(X, Y, to_dict(plus))[0]
        minus = theta if alias in ("minus", "both") else (plus if minus_from_plus else np.copy(theta))
        minus[i] = minus[i] - (0.0 if minus_from_plus else eps)
        J_minus = J if one_sided else forward_propagation_n(X, Y, to_dict(minus))[0]
        if swapped:
            J_plus, J_minus = J_minus, J_plus
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


def gcn_last_parameter_skipped(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon, skip_last=True)


def gcn_squared_norms(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon,
                 difference=lambda g, a: np.linalg.norm(g - a) ** 2 / (np.linalg.norm(g) ** 2 + np.linalg.norm(a) ** 2))


def gcn_swapped(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _gc_n(parameters, gradients, X, Y, epsilon, swapped=True)
