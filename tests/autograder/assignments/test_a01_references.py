"""Assignment 1's references (logistic regression in the notebook's signatures, adapters over nnkit):
gradients against finite differences, and their boundary."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.assignments.a01_logistic_regression import references as logistic
from nnkit.gradcheck import numerical_gradient, relative_difference

X2 = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
Y2 = np.array([[1.0, 0.0, 1.0]])


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240611)


@pytest.fixture
def grad_difference():
    def diff(f, x, analytic, eps: float = 1e-6) -> float:
        approx = numerical_gradient(f, x, eps)
        return relative_difference(np.asarray(analytic, dtype=float), approx)
    return diff


INT_ARGUMENTS = [
    ("initialize_with_zeros dim", lambda v: logistic.initialize_with_zeros(v), "dim"),
    ("optimize num_iterations", lambda v: logistic.optimize(np.zeros((2, 1)), 0.0, X2, Y2, num_iterations=v),
     "num_iterations"),
    ("model num_iterations", lambda v: logistic.model(X2, Y2, X2, Y2, num_iterations=v), "num_iterations"),
]


@pytest.mark.parametrize("label, call, name", INT_ARGUMENTS, ids=[e[0] for e in INT_ARGUMENTS])
def test_integer_arguments_are_checked_as_everywhere_in_nnkit(label, call, name):
    for bad in (2.5, "3", True):
        with pytest.raises(TypeError, match=f"^{name} must be "):
            call(bad)
    for bad in (0, -1):
        with pytest.raises(ValueError, match=f"^{name} must be an int"):
            call(bad)
    call(np.int64(2))


def _data(rng, n_x=3, m=7):
    return rng.normal(size=(n_x, 1)), 0.3, rng.normal(size=(n_x, m)), (rng.random((1, m)) < 0.5).astype(float)


def test_propagate_gradients_match_finite_differences(rng, grad_difference):
    w, b, X, Y = _data(rng)
    grads, _ = logistic.propagate(w, b, X, Y)
    assert grad_difference(lambda w_: logistic.propagate(w_, b, X, Y)[1], w, grads["dw"]) < 1e-7
    db = (logistic.propagate(w, b + 1e-6, X, Y)[1] - logistic.propagate(w, b - 1e-6, X, Y)[1]) / 2e-6
    assert grads["db"] == pytest.approx(db, rel=1e-6)


@pytest.mark.parametrize("b", [np.array([[0.3]]), np.float32(0.3), np.array(0.3)])
def test_b_may_be_any_single_number(b, rng):
    w, _, X, Y = _data(rng)
    assert logistic.propagate(w, b, X, Y)[1] == pytest.approx(logistic.propagate(w, 0.3, X, Y)[1], rel=1e-6)


def test_b_of_several_numbers_is_refused(rng):
    """reshape(()) would fail with numpy's words; one bias per example would be broadcast."""
    w, _, X, Y = _data(rng)
    with pytest.raises(ValueError, match=r"b must be a single number .* shape \(1, 7\)"):
        logistic.propagate(w, np.zeros((1, 7)), X, Y)
    with pytest.raises(TypeError, match="b must be a numpy array"):
        logistic.propagate(w, "0", X, Y)


def test_optimize_checks_print_cost(rng):
    w, b, X, Y = _data(rng)
    with pytest.raises(TypeError, match="print_cost must be True or False"):
        logistic.optimize(w, b, X, Y, num_iterations=1, print_cost="yes")


def test_flatten_and_scale_checks_its_images():
    X = logistic.flatten_and_scale(np.arange(24, dtype=np.uint8).reshape(2, 2, 3, 2))
    assert X.shape == (12, 2) and X[1, 0] == 1 / 255
    with pytest.raises(TypeError, match="images must be a numeric array"):
        logistic.flatten_and_scale([["a", "b"], ["c", "d"]])
    with pytest.raises(ValueError, match=r"images must have shape \(m, h, w, c\)"):
        logistic.flatten_and_scale(np.zeros(3))
