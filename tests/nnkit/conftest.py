"""Shared fixtures for the nnkit tests: a seeded Generator and a numerical-gradient comparison."""

from __future__ import annotations

import numpy as np
import pytest

from nnkit.gradcheck import numerical_gradient, relative_difference


@pytest.fixture
def rng() -> np.random.Generator:
    """A fresh, seeded Generator per test: tests never depend on each other's draws."""
    return np.random.default_rng(20240611)


def _grad_difference(f, x, analytic, eps: float = 1e-6) -> float:
    """Relative difference between ``analytic`` and the two-sided numerical gradient of ``f`` at ``x``.

    ``f`` takes an array shaped like ``x`` and returns a float; ``x`` is not modified.
    """
    approx = numerical_gradient(f, x, eps)
    analytic = np.asarray(analytic, dtype=float)
    assert analytic.shape == np.shape(approx), (analytic.shape, np.shape(approx))
    return relative_difference(analytic, approx)


@pytest.fixture
def grad_difference():
    """``grad_difference(f, x, analytic, eps=1e-6) -> float`` (see :func:`_grad_difference`)."""
    return _grad_difference
