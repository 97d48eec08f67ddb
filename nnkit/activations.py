"""Activation functions, their derivatives, and forward/backward pairs.

Every activation ``g`` acts elementwise on ``Z`` of shape ``(n_l, m)`` (softmax acts on each
column). The pair ``*_forward(Z) -> (A, cache)`` / ``*_backward(dA, cache) -> dZ`` implements
``A = g(Z)`` and ``dZ = dA * g'(Z)`` (for softmax, the Jacobian-vector product of each column).

Non-goals: no autodiff, no in-place tricks; the backward functions never modify ``dA`` or the
cache. The elementwise functions (``sigmoid``, ``relu``, ...) take numbers or arrays of any shape
as they are. The ``*_backward`` functions check that ``dA`` has the shape of the cached ``Z``
(numpy would broadcast a ``(1, m)`` ``dA`` over every unit without a word); the network's
training path uses their unchecked twins (``_BACKWARD``), whose arrays are right by construction.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from nnkit._checks import as_array, check_choice, check_shape

__all__ = [
    "ActivationCache",
    "sigmoid",
    "sigmoid_derivative",
    "tanh_derivative",
    "relu",
    "relu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "softmax",
    "ACTIVATIONS",
    "get_activation",
]


class ActivationCache(NamedTuple):
    """What an activation's backward needs: its input ``Z`` and output ``A``, both ``(n_l, m)``."""

    Z: np.ndarray
    A: np.ndarray


def _checked_backward(raw: Callable, name: str) -> Callable:
    """The public ``<name>_backward(dA, cache)``: check ``dA`` against the cache, then ``raw``."""

    def backward(dA, cache):
        if not isinstance(cache, tuple) or len(cache) != 2:
            raise TypeError(f"cache must be the ActivationCache (Z, A) returned by {name}_forward, "
                            f"got {type(cache).__name__}.")
        Z, A = as_array("cache.Z", cache[0]), as_array("cache.A", cache[1])
        check_shape("cache.A", A, Z.shape, hint="Z and A of one layer have the same shape (n_l, m).")
        dA = as_array("dA", dA)
        check_shape("dA", dA, Z.shape, hint="dA must have the shape (n_l, m) of the layer's output: "
                    "numpy would otherwise broadcast it silently.")
        return raw(dA, ActivationCache(Z, A))

    backward.__name__ = backward.__qualname__ = f"{name}_backward"
    backward.__doc__ = raw.__doc__
    return backward


# ----------------------------------------------------------------------------- sigmoid
def sigmoid(z):
    """Logistic sigmoid ``s(z) = 1 / (1 + exp(-z))``, elementwise, without overflow warnings.

    For ``z >= 0`` it computes ``1 / (1 + e^{-z})``; for ``z < 0`` the equal form
    ``e^{z} / (1 + e^{z})``, so ``exp`` only ever sees non-positive numbers.

    Parameters
    ----------
    z : float or ndarray of any shape

    Returns
    -------
    s : float or ndarray of the same shape, values in [0, 1]
    """
    s = _sigmoid(np.asarray(z, dtype=float))
    return s if s.ndim else float(s)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """:func:`sigmoid` of a float array, without converting its argument or its result (the
    network's forward pass calls it directly)."""
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0, e) / (1.0 + e)  # 1 / (1 + e) for z >= 0, e / (1 + e) for z < 0


def sigmoid_derivative(z):
    """``s'(z) = s(z) (1 - s(z))``, at most 1/4 (at z = 0): the root of vanishing gradients."""
    s = sigmoid(z)
    return s * (1.0 - s)


def sigmoid_forward(Z: np.ndarray):
    """``A = sigmoid(Z)``; ``Z`` of shape ``(n_l, m)``. Returns ``(A, cache)``."""
    A = sigmoid(Z)
    return A, ActivationCache(Z, A)


def _sigmoid_backward(dA: np.ndarray, cache: ActivationCache) -> np.ndarray:
    """``dZ = dA * A (1 - A)``, shape ``(n_l, m)``."""
    A = cache.A
    return dA * A * (1.0 - A)


# ----------------------------------------------------------------------------- tanh
def tanh_derivative(z):
    """``tanh'(z) = 1 - tanh(z)^2``."""
    t = np.tanh(z)
    return 1.0 - t * t


def tanh_forward(Z: np.ndarray):
    """``A = tanh(Z)``; returns ``(A, cache)``."""
    A = np.tanh(Z)
    return A, ActivationCache(Z, A)


def _tanh_backward(dA: np.ndarray, cache: ActivationCache) -> np.ndarray:
    """``dZ = dA * (1 - A^2)``."""
    A = cache.A
    return dA * (1.0 - A * A)


# ----------------------------------------------------------------------------- ReLU
def relu(z):
    """``max(0, z)`` elementwise."""
    return np.maximum(z, 0.0)


def relu_derivative(z):
    """``1[z > 0]`` (we take the derivative at exactly 0 to be 0)."""
    return (np.asarray(z) > 0).astype(float)


def relu_forward(Z: np.ndarray):
    """``A = max(0, Z)``; returns ``(A, cache)``."""
    A = np.maximum(Z, 0.0)
    return A, ActivationCache(Z, A)


def _relu_backward(dA: np.ndarray, cache: ActivationCache) -> np.ndarray:
    """``dZ = dA * 1[Z > 0]``."""
    return dA * (cache.Z > 0)


# ----------------------------------------------------------------------------- leaky ReLU
LEAKY_SLOPE = 0.01


def leaky_relu(z, negative_slope: float = LEAKY_SLOPE):
    """``z`` for ``z > 0``, ``negative_slope * z`` otherwise: a ReLU that cannot 'die'."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, negative_slope * z)


def leaky_relu_derivative(z, negative_slope: float = LEAKY_SLOPE):
    """``1`` for ``z > 0``, ``negative_slope`` otherwise."""
    return np.where(np.asarray(z) > 0, 1.0, negative_slope)


def leaky_relu_forward(Z: np.ndarray):
    """``A = leaky_relu(Z)`` with slope 0.01; returns ``(A, cache)``."""
    A = np.where(Z > 0, Z, LEAKY_SLOPE * Z)
    return A, ActivationCache(Z, A)


def _leaky_relu_backward(dA: np.ndarray, cache: ActivationCache) -> np.ndarray:
    """``dZ = dA * (1 if Z > 0 else 0.01)``."""
    return dA * np.where(cache.Z > 0, 1.0, LEAKY_SLOPE)


# ----------------------------------------------------------------------------- softmax
def softmax(Z: np.ndarray) -> np.ndarray:
    """Column-wise softmax ``A[k, i] = exp(Z[k, i]) / sum_j exp(Z[j, i])`` for ``Z`` ``(K, m)``.

    The column maximum is subtracted first: the result is unchanged and ``exp`` cannot overflow.
    """
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def softmax_forward(Z: np.ndarray):
    """``A = softmax(Z)`` per column; returns ``(A, cache)``."""
    A = softmax(Z)
    return A, ActivationCache(Z, A)


def _softmax_backward(dA: np.ndarray, cache: ActivationCache) -> np.ndarray:
    """Jacobian-vector product per column: ``dZ = A * (dA - sum_k(dA * A))``, shape ``(K, m)``."""
    A = cache.A
    return A * (dA - (dA * A).sum(axis=0, keepdims=True))


# ----------------------------------------------------------------------------- identity
def linear_forward_activation(Z: np.ndarray):
    """The identity ``A = Z`` (for regression outputs); returns ``(A, cache)``."""
    return Z, ActivationCache(Z, Z)


def _linear_backward_activation(dA: np.ndarray, cache: ActivationCache) -> np.ndarray:
    """``dZ = dA``."""
    return dA


sigmoid_backward = _checked_backward(_sigmoid_backward, "sigmoid")
tanh_backward = _checked_backward(_tanh_backward, "tanh")
relu_backward = _checked_backward(_relu_backward, "relu")
leaky_relu_backward = _checked_backward(_leaky_relu_backward, "leaky_relu")
softmax_backward = _checked_backward(_softmax_backward, "softmax")
linear_backward_activation = _checked_backward(_linear_backward_activation, "linear")

ActivationPair = tuple[Callable, Callable]

#: name -> (forward, backward). The forward returns ``(A, cache)``; the backward ``dZ``.
ACTIVATIONS: dict[str, ActivationPair] = {
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
    "softmax": (softmax_forward, softmax_backward),
    "linear": (linear_forward_activation, linear_backward_activation),
}


def _identity(Z: np.ndarray) -> np.ndarray:
    return Z


#: name -> ``g``, the forward of each pair without its cache: ``A = g(Z)``, the same values. The
#: network's forward pass (:func:`nnkit.network._forward`) keeps ``Z`` and ``A`` in its own per-layer
#: cache, so it calls these and skips building an ``ActivationCache`` per layer and step; the
#: unchecked backward functions (``_BACKWARD``) read only ``cache.Z`` or ``cache.A``, so they take
#: that cache as it is.
_FUNCTIONS: dict[str, Callable] = {
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "softmax": softmax,
    "linear": _identity,
}


#: name -> the unchecked backward of each pair (the same arithmetic), for the network's passes.
_BACKWARD: dict[str, Callable] = {
    "sigmoid": _sigmoid_backward,
    "tanh": _tanh_backward,
    "relu": _relu_backward,
    "leaky_relu": _leaky_relu_backward,
    "softmax": _softmax_backward,
    "linear": _linear_backward_activation,
}


def get_activation(name: str) -> ActivationPair:
    """Return the ``(forward, backward)`` pair for an activation name, or raise listing the names."""
    check_choice("activation", name, ACTIVATIONS)
    return ACTIVATIONS[name]
