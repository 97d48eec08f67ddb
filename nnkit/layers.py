"""Forward/backward pairs for one layer: linear, and linear followed by an activation.

Shapes (examples are columns): ``A_prev`` is ``(n_{l-1}, m)``, ``W`` is ``(n_l, n_{l-1})``,
``b`` is ``(n_l, 1)``, ``Z`` and ``A`` are ``(n_l, m)``.

Gradient convention: ``dZ`` and ``dA`` are per-example gradients; the average over the ``m``
examples is taken here, when the parameter gradients are formed:

.. math::
    dW = \\frac{1}{m} dZ\\, A_{prev}^T, \\qquad db = \\frac{1}{m} \\sum_i dZ_{:, i},
    \\qquad dA_{prev} = W^T dZ.

The public functions validate their arguments, then call the ``_``-prefixed twins on the checked
arrays. (The network's training path, :func:`nnkit.network._forward` and ``_backward``, writes
these same two lines of linear algebra inline: a function call per layer and step costs as much as
one of its small products.)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nnkit._checks import as_array, check_shape
from nnkit.activations import ActivationCache, get_activation

__all__ = [
    "LinearCache",
    "LinearActivationCache",
    "linear_forward",
    "linear_backward",
    "linear_activation_forward",
    "linear_activation_backward",
]


class LinearCache(NamedTuple):
    """Inputs of ``Z = W A_prev + b``: ``A_prev (n_{l-1}, m)``, ``W (n_l, n_{l-1})``, ``b (n_l, 1)``."""

    A_prev: np.ndarray
    W: np.ndarray
    b: np.ndarray


class LinearActivationCache(NamedTuple):
    """``(linear_cache, activation_cache)``: it unpacks like the notebooks' 2-tuple cache."""

    linear: LinearCache
    activation: ActivationCache


def _validate_linear(A_prev, W, b):
    A_prev = as_array("A_prev", A_prev)
    W = as_array("W", W)
    b = as_array("b", b)
    n_l = W.shape[0]
    check_shape(
        "W", W, [None, (A_prev.shape[0], "n_{l-1}")],
        hint=f"W's columns must match A_prev's rows (A_prev is {A_prev.shape}); "
        "W has shape (n_l, n_{l-1}).",
    )
    check_shape("b", b, [(n_l, "n_l"), 1], hint="b is a column: use b.reshape(-1, 1).")
    return A_prev, W, b


def _unpack(cache, kind: type, size: int, made_by: str) -> tuple:
    """The fields of a cache (the NamedTuple, or a plain tuple of the same length, as the notebooks
    build them), or a ``TypeError`` saying which cache is expected."""
    if not isinstance(cache, tuple) or len(cache) != size:
        fields = ", ".join(kind._fields)
        raise TypeError(f"cache must be the {kind.__name__} ({fields}) returned by {made_by}, "
                        f"got {type(cache).__name__}" + (f" of length {len(cache)}." if isinstance(cache, tuple) else "."))
    return tuple(cache)


def _check_activation_cache(activation_cache, n_l: int, m: int) -> ActivationCache:
    """The activation cache of layer l must hold ``Z`` and ``A`` of shape (n_l, m), those of the same
    layer as the linear cache (a cache taken from the wrong layer would broadcast, or fail in numpy)."""
    Z, A = _unpack(activation_cache, ActivationCache, 2, "the activation's forward")
    Z, A = as_array("activation cache Z", Z), as_array("activation cache A", A)
    for name, arr in (("activation cache Z", Z), ("activation cache A", A)):
        check_shape(name, arr, [(n_l, "n_l"), (m, "m")],
                    hint="The linear and the activation cache must come from the same layer's forward pass.")
    return ActivationCache(Z, A)


# ----------------------------------------------------------------------------- linear
def linear_forward(A_prev, W, b):
    """``Z = W A_prev + b`` (``b`` broadcast over the ``m`` columns).

    Parameters
    ----------
    A_prev : ndarray of shape (n_{l-1}, m)
    W : ndarray of shape (n_l, n_{l-1})
    b : ndarray of shape (n_l, 1)

    Returns
    -------
    Z : ndarray of shape (n_l, m)
    cache : LinearCache
    """
    return _linear_forward(*_validate_linear(A_prev, W, b))


def _linear_forward(A_prev, W, b):
    return W @ A_prev + b, LinearCache(A_prev, W, b)


def linear_backward(dZ, cache: LinearCache):
    """Backward of ``Z = W A_prev + b``.

    Parameters
    ----------
    dZ : ndarray of shape (n_l, m)    per-example gradient of the loss with respect to Z
    cache : LinearCache from :func:`linear_forward`

    Returns
    -------
    dA_prev : ndarray of shape (n_{l-1}, m)   ``W^T dZ``
    dW : ndarray of shape (n_l, n_{l-1})      ``1/m dZ A_prev^T``
    db : ndarray of shape (n_l, 1)            ``1/m sum(dZ, axis=1, keepdims=True)``
    """
    A_prev, W, b = _validate_linear(*_unpack(cache, LinearCache, 3, "linear_forward"))
    dZ = as_array("dZ", dZ)
    check_shape("dZ", dZ, [(W.shape[0], "n_l"), (A_prev.shape[1], "m")])
    return _linear_backward(dZ, LinearCache(A_prev, W, b))


def _linear_backward(dZ, cache: LinearCache):
    A_prev, W, _ = cache
    inv_m = 1.0 / A_prev.shape[1]
    dW = (dZ @ A_prev.T) * inv_m
    db = dZ.sum(axis=1, keepdims=True) * inv_m
    return W.T @ dZ, dW, db


# ----------------------------------------------------------------------------- linear + activation
def linear_activation_forward(A_prev, W, b, activation: str):
    """``A = g(W A_prev + b)`` for the named activation ``g``.

    Parameters
    ----------
    A_prev : ndarray of shape (n_{l-1}, m)
    W : ndarray of shape (n_l, n_{l-1})
    b : ndarray of shape (n_l, 1)
    activation : {"sigmoid", "tanh", "relu", "leaky_relu", "softmax", "linear"}

    Returns
    -------
    A : ndarray of shape (n_l, m)
    cache : LinearActivationCache
    """
    forward, _ = get_activation(activation)
    Z, linear_cache = _linear_forward(*_validate_linear(A_prev, W, b))
    A, activation_cache = forward(Z)
    return A, LinearActivationCache(linear_cache, activation_cache)


def linear_activation_backward(dA, cache: LinearActivationCache, activation: str):
    """Backward of :func:`linear_activation_forward`: ``dZ = dA * g'(Z)``, then the linear backward.

    Parameters
    ----------
    dA : ndarray of shape (n_l, m)
    cache : LinearActivationCache
    activation : the same name that was used in the forward pass

    Returns
    -------
    dA_prev : ndarray of shape (n_{l-1}, m)
    dW : ndarray of shape (n_l, n_{l-1})
    db : ndarray of shape (n_l, 1)
    """
    _, backward = get_activation(activation)
    linear_cache, activation_cache = _unpack(cache, LinearActivationCache, 2, "linear_activation_forward")
    A_prev, W, b = _validate_linear(*_unpack(linear_cache, LinearCache, 3, "linear_forward"))
    dA = as_array("dA", dA)
    check_shape("dA", dA, [(W.shape[0], "n_l"), (A_prev.shape[1], "m")])
    activation_cache = _check_activation_cache(activation_cache, W.shape[0], A_prev.shape[1])
    dZ = backward(dA, activation_cache)
    return _linear_backward(dZ, LinearCache(A_prev, W, b))
