"""Gradient checking: compare a backward pass with the two-sided numerical gradient.

.. math::
    \\frac{\\partial J}{\\partial \\theta} \\approx \\frac{J(\\theta + \\varepsilon) - J(\\theta - \\varepsilon)}{2 \\varepsilon},
    \\qquad
    \\text{difference} = \\frac{\\lVert g - g_{approx} \\rVert_2}{\\lVert g \\rVert_2 + \\lVert g_{approx} \\rVert_2}.

A difference below about ``1e-7`` means the backward pass is right; above ``1e-3``, it is wrong.
For a whole network the parameters are flattened into one column vector (``params_to_vector``)
and back (``vector_to_params``). Never check with dropout drawing new masks: fix the masks first.
"""

from __future__ import annotations

from typing import Callable, Mapping, NamedTuple

import numpy as np

from nnkit._checks import as_array, check_like, check_number, check_positive

__all__ = [
    "ParamSpec",
    "params_to_vector",
    "vector_to_params",
    "grads_to_vector",
    "numerical_gradient",
    "relative_difference",
    "gradient_check_1d",
    "gradient_check_n",
]


def _sort_key(key: str):
    # W1, b1, W2, b2, ...: layer order, W before b (the order of the course's dictionary_to_vector).
    return (int(key[1:]) if key[1:].isdigit() else 0, key[0] != "W", key)


class ParamSpec(NamedTuple):
    """Where each parameter lives in the flat vector: ``(key, shape, start, stop)`` per entry."""

    entries: tuple[tuple[str, tuple[int, ...], int, int], ...]

    @property
    def size(self) -> int:
        return self.entries[-1][3] if self.entries else 0


def params_to_vector(params: Mapping[str, np.ndarray]):
    """Flatten ``{"W1", "b1", ...}`` (layer order, W before b) into one ``(n, 1)`` column.

    Returns
    -------
    theta : ndarray of shape (n, 1), n = total number of parameters
    spec : ParamSpec, to undo it with :func:`vector_to_params`
    """
    _check_mapping("params", params)
    if not params:
        raise ValueError("params is empty: pass the dict {'W1': ..., 'b1': ...} of the network to check.")
    entries, chunks, start = [], [], 0
    for key in sorted(params, key=_sort_key):
        arr = as_array(key, params[key], ndim=None)
        entries.append((key, arr.shape, start, start + arr.size))
        chunks.append(arr.reshape(-1))
        start += arr.size
    return np.concatenate(chunks).reshape(-1, 1), ParamSpec(tuple(entries))


def vector_to_params(theta, spec: ParamSpec) -> dict:
    """Inverse of :func:`params_to_vector`: a dict of arrays with the original shapes (copies).

    ``theta`` is the ``(n, 1)`` column of :func:`params_to_vector` (any shape with n entries is
    read in order); ``spec`` the ParamSpec it returned.
    """
    _check_spec(spec)
    theta = as_array("theta", theta, ndim=None).reshape(-1)
    if theta.size != spec.size:
        raise ValueError(f"theta has {theta.size} entries but the spec describes {spec.size}.")
    return {key: theta[a:b].reshape(shape).copy() for key, shape, a, b in spec.entries}


def grads_to_vector(grads: Mapping[str, np.ndarray], spec: ParamSpec) -> np.ndarray:
    """Flatten ``{"dW1", "db1", ...}`` in the order of ``spec`` into an ``(n, 1)`` column.

    Every gradient must have exactly its parameter's shape: flattening would otherwise accept a
    transposed ``dW`` of the right size and compare its entries with the wrong ones. A missing
    gradient is a ``KeyError``; other keys (``dA0``, ...) are ignored.
    """
    _check_mapping("grads", grads)
    _check_spec(spec)
    missing = [k for k, *_ in spec.entries if "d" + k not in grads]
    if missing:
        raise KeyError(f"grads is missing {['d' + k for k in missing]}: it needs one gradient 'd' + key per "
                       f"parameter of the spec; got {sorted(grads)}.")
    chunks = []
    for k, shape, _, _ in spec.entries:
        g = as_array("d" + k, grads["d" + k], ndim=None)
        check_like("d" + k, g, k, shape)
        chunks.append(g.reshape(-1))
    return np.concatenate(chunks).reshape(-1, 1)


def _check_mapping(name: str, d) -> None:
    if not isinstance(d, Mapping):
        raise TypeError(f"{name} must be a dict of arrays keyed like {{'W1': ..., 'b1': ...}}, got {type(d).__name__}.")


def _check_spec(spec) -> None:
    if not isinstance(spec, ParamSpec):
        raise TypeError(f"spec must be the ParamSpec returned by params_to_vector, got {type(spec).__name__}.")


def _check_callable(name: str, f) -> None:
    if not callable(f):
        raise TypeError(f"{name} must be a function, got {type(f).__name__}.")


def _value(name: str, value) -> float:
    """A function's result as a float (a number, or an array holding one number, such as a (1, 1)
    cost), or a TypeError saying the function must return a number."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.size != 1:
        what = f"an array of shape {arr.shape}" if arr is not None else type(value).__name__
        raise TypeError(f"{name} must return a single number, got {what}.")
    return float(arr.reshape(()))


def numerical_gradient(f: Callable[[np.ndarray], float], theta, eps: float = 1e-7) -> np.ndarray:
    """Two-sided difference ``(f(theta + eps e_i) - f(theta - eps e_i)) / (2 eps)`` for every i.

    Parameters
    ----------
    f : function of an array shaped like ``theta`` returning a float
    theta : float or ndarray of any shape (float64)
    eps : the step, > 0

    Returns
    -------
    ndarray (or float, for a scalar theta) shaped like ``theta``
    """
    _check_callable("f", f)
    eps = check_positive("eps", eps)
    scalar = np.ndim(theta) == 0
    theta = np.array(as_array("theta", theta, ndim=None))  # a private copy: f never sees the caller's array change
    approx = np.zeros_like(theta)
    flat, out = theta.reshape(-1), approx.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        plus = _value("f", f(theta))
        flat[i] = old - eps
        minus = _value("f", f(theta))
        flat[i] = old
        out[i] = (plus - minus) / (2.0 * eps)
    return float(approx) if scalar else approx


def relative_difference(grad, grad_approx) -> float:
    """``||grad - grad_approx|| / (||grad|| + ||grad_approx||)`` (0 when both are zero).

    ``grad`` and ``grad_approx`` are arrays of the same shape (e.g. ``(n, 1)``), or two floats.
    """
    grad = as_array("grad", grad, ndim=None)
    grad_approx = as_array("grad_approx", grad_approx, ndim=None)
    if grad.shape != grad_approx.shape:
        raise ValueError(f"grad {grad.shape} and grad_approx {grad_approx.shape} must have the same shape.")
    denom = np.linalg.norm(grad) + np.linalg.norm(grad_approx)
    return 0.0 if denom == 0 else float(np.linalg.norm(grad - grad_approx) / denom)


def gradient_check_1d(J: Callable[[float], float], dJ: Callable[[float], float], theta: float,
                      eps: float = 1e-7) -> float:
    """The 1-D check: relative difference between ``dJ(theta)`` and the two-sided estimate.

    Example: ``J(theta) = theta * x`` has ``dJ = x``; ``gradient_check_1d(lambda t: t * 2., lambda t: 2., 4.)``
    is about ``1e-10``.
    """
    _check_callable("J", J)
    _check_callable("dJ", dJ)
    theta = check_number("theta", theta)
    approx = numerical_gradient(lambda t: J(float(t)), theta, eps)
    return relative_difference(_value("dJ", dJ(theta)), approx)


def gradient_check_n(cost: Callable[[dict], float], params: Mapping[str, np.ndarray],
                     grads: Mapping[str, np.ndarray], eps: float = 1e-7) -> float:
    """The N-D check over every parameter of a network.

    Parameters
    ----------
    cost : function ``params dict -> float`` (the cost ``J``, deterministic: fixed dropout masks)
    params : dict ``W1, b1, ...`` at which to check
    grads : dict ``dW1, db1, ...`` from the backward pass at ``params``
    eps : step of the two-sided difference

    Returns
    -------
    difference : float, ``||g - g_approx|| / (||g|| + ||g_approx||)``
    """
    _check_callable("cost", cost)
    theta, spec = params_to_vector(params)
    g = grads_to_vector(grads, spec)  # checked before the (slow) numerical gradient
    approx = numerical_gradient(lambda t: cost(vector_to_params(t, spec)), theta, eps)
    return relative_difference(g, approx)
