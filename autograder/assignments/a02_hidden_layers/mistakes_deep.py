"""Known mistakes in the L-layer network of ``deep_network.ipynb``, each a small readable edit of the
reference (written out in numpy, as a student would write it).

The variants of ``L_model_forward`` and ``L_model_backward`` call the reference one-layer functions,
as the student's functions do while they are graded. ``initialize_parameters_deep`` is graded by
properties (:mod:`.properties`); its variants draw from the case's generators (:mod:`.draws`), as
the student's function does while graded, layer by layer.
"""

from __future__ import annotations

import numpy as np

from nnkit.activations import sigmoid as _sigmoid

from . import references as ref
from .draws import case_generator, case_seed, fixed_seed_generator, global_generator


# ----------------------------------------------------------------------------- initialize_parameters_deep
def _init_deep(layer_dims, scale=lambda n_l, n_prev: 1.0 / np.sqrt(n_prev), *, generator=case_generator,
               last=0, bias_shape=lambda n: (n, 1), transposed=False):
    g = generator(case_seed(layer_dims))
    out = {}
    for l in range(1, len(layer_dims) - last):
        n_l, n_prev = layer_dims[l], layer_dims[l - 1]
        out[f"W{l}"] = g.standard_normal((n_prev, n_l) if transposed else (n_l, n_prev)) * scale(n_l, n_prev)
        out[f"b{l}"] = np.zeros(bias_shape(n_l))
    return out


def deep_scale_1(layer_dims, rng=None):
    return _init_deep(layer_dims, lambda n_l, n_prev: 1.0)


def deep_scale_001(layer_dims, rng=None):
    return _init_deep(layer_dims, lambda n_l, n_prev: 0.01)


def deep_he_scale(layer_dims, rng=None):
    return _init_deep(layer_dims, lambda n_l, n_prev: np.sqrt(2.0 / n_prev))


def deep_wrong_dimension(layer_dims, rng=None):
    return _init_deep(layer_dims, lambda n_l, n_prev: 1.0 / np.sqrt(n_l))


def deep_divided_by_n(layer_dims, rng=None):
    return _init_deep(layer_dims, lambda n_l, n_prev: 1.0 / n_prev)


def deep_last_layer_missing(layer_dims, rng=None):
    return _init_deep(layer_dims, last=1)


def deep_transposed(layer_dims, rng=None):
    return _init_deep(layer_dims, transposed=True)


def deep_bias_1d(layer_dims, rng=None):
    return _init_deep(layer_dims, bias_shape=lambda n: (n,))


def deep_fixed_seed(layer_dims, rng=None):
    return _init_deep(layer_dims, generator=fixed_seed_generator)


def deep_global_state(layer_dims, rng=None):
    return _init_deep(layer_dims, generator=global_generator)


# ----------------------------------------------------------------------------- linear_forward
def linear_W_transposed(A, W, b):
    return W.T @ A + b, (A, W, b)


def linear_no_bias(A, W, b):
    return W @ A, (A, W, b)


def linear_Z_transposed(A, W, b):
    return A.T @ W.T + b.T, (A, W, b)


def linear_cache_order(A, W, b):
    return W @ A + b, (W, A, b)


def linear_cache_without_b(A, W, b):
    return W @ A + b, (A, W)


# ----------------------------------------------------------------------------- linear_activation_forward
def _relu(z):
    return np.maximum(0, z)


_G = {"sigmoid": _sigmoid, "relu": _relu, "tanh": np.tanh}


def _activation_forward(A_prev, W, b, activation, g=None, *, cache_of="Z", order="linear-first"):
    Z, linear_cache = ref.linear_forward(A_prev, W, b)
    if g is None:
        if activation not in _G:
            raise ValueError(f"unknown activation {activation!r}")
        g = _G[activation]
    A = g(Z)
    kept = Z if cache_of == "Z" else A
    return A, ((linear_cache, kept) if order == "linear-first" else (kept, linear_cache))


def activation_cache_holds_A(A_prev, W, b, activation):
    return _activation_forward(A_prev, W, b, activation, cache_of="A")


def activation_cache_order(A_prev, W, b, activation):
    return _activation_forward(A_prev, W, b, activation, order="Z-first")


def activation_swapped(A_prev, W, b, activation):
    swapped = {"sigmoid": _relu, "relu": _sigmoid, "tanh": np.tanh}
    return _activation_forward(A_prev, W, b, activation, swapped[activation])


def activation_relu_max_1(A_prev, W, b, activation):
    g = (lambda z: np.maximum(1, z)) if activation == "relu" else None
    return _activation_forward(A_prev, W, b, activation, g)


def activation_tanh_not_handled(A_prev, W, b, activation):
    if activation == "tanh":  # the branch is missing: A is never assigned
        raise UnboundLocalError("cannot access local variable 'A' where it is not associated with a value")
    return _activation_forward(A_prev, W, b, activation)


# ----------------------------------------------------------------------------- L_model_forward
def _model_forward(X, parameters, acts_of, *, keep_last_cache=True):
    L = len(parameters) // 2
    acts = acts_of(L)
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = ref.linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], acts[l - 1])
        if l < L or keep_last_cache:
            caches.append(cache)
    return A, caches


def model_all_relu(X, parameters):
    return _model_forward(X, parameters, lambda L: ["relu"] * L)


def model_all_sigmoid(X, parameters):
    return _model_forward(X, parameters, lambda L: ["sigmoid"] * L)


def model_activations_swapped(X, parameters):
    return _model_forward(X, parameters, lambda L: ["sigmoid"] * (L - 1) + ["relu"])


def model_output_cache_missing(X, parameters):
    return _model_forward(X, parameters, lambda L: ["relu"] * (L - 1) + ["sigmoid"], keep_last_cache=False)


# ----------------------------------------------------------------------------- linear_backward
def _linear_backward(dZ, cache, *, scale=True, scale_dA=False, keepdims=True, axis=1, transpose_dW=False):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    k = 1.0 / m if scale else 1.0
    dW = k * (A_prev @ dZ.T if transpose_dW else dZ @ A_prev.T)
    db = k * np.sum(dZ, axis=axis, keepdims=keepdims)
    dA_prev = W.T @ dZ / (m if scale_dA else 1)
    return dA_prev, dW, db


def backward_no_m(dZ, cache):
    return _linear_backward(dZ, cache, scale=False)


def backward_dA_prev_over_m(dZ, cache):
    return _linear_backward(dZ, cache, scale_dA=True)


def backward_db_no_keepdims(dZ, cache):
    return _linear_backward(dZ, cache, keepdims=False)


def backward_db_wrong_axis(dZ, cache):
    return _linear_backward(dZ, cache, axis=0)


def backward_dW_transposed(dZ, cache):
    return _linear_backward(dZ, cache, transpose_dW=True)


# ----------------------------------------------------------------------------- linear_activation_backward
def _right_derivative(activation, Z):
    if activation == "sigmoid":
        s = _sigmoid(Z)
        return s * (1 - s)
    if activation == "relu":
        return (Z > 0).astype(float)
    if activation == "tanh":
        return 1 - np.tanh(Z) ** 2
    raise ValueError(f"unknown activation {activation!r}")


def _activation_backward(dA, cache, activation, derivative=None):
    linear_cache, Z = cache
    g_prime = _right_derivative(activation, Z) if derivative is None else derivative(activation, Z)
    return ref.linear_backward(dA * g_prime, linear_cache)


def dZ_relu_is_relu(dA, cache, activation):
    return _activation_backward(dA, cache, activation,
                                lambda a, Z: np.maximum(0, Z) if a == "relu" else _right_derivative(a, Z))


def dZ_sigmoid_missing_factor(dA, cache, activation):
    return _activation_backward(dA, cache, activation,
                                lambda a, Z: _sigmoid(Z) if a == "sigmoid" else _right_derivative(a, Z))


def dZ_sigmoid_of_Z(dA, cache, activation):
    return _activation_backward(dA, cache, activation,
                                lambda a, Z: Z * (1 - Z) if a == "sigmoid" else _right_derivative(a, Z))


def dZ_tanh_of_Z(dA, cache, activation):
    return _activation_backward(dA, cache, activation,
                                lambda a, Z: 1 - Z ** 2 if a == "tanh" else _right_derivative(a, Z))


def dZ_derivatives_swapped(dA, cache, activation):
    swapped = {"sigmoid": "relu", "relu": "sigmoid", "tanh": "tanh"}
    return _activation_backward(dA, cache, activation, lambda a, Z: _right_derivative(swapped[a], Z))


def dZ_no_derivative(dA, cache, activation):
    return _activation_backward(dA, cache, activation, lambda a, Z: 1.0)


def dZ_tanh_not_handled(dA, cache, activation):
    if activation == "tanh":  # the branch is missing: dA_prev is never assigned
        raise UnboundLocalError("cannot access local variable 'dA_prev' where it is not associated with a value")
    return _activation_backward(dA, cache, activation)


# ----------------------------------------------------------------------------- L_model_backward
def _model_backward(AL, Y, caches, *, dAL=None, output="sigmoid", hidden="relu", dA_key_shift=0, first_layer=1):
    L = len(caches)
    grads = {}
    if dAL is None:
        dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA = dAL
    for l in range(L, first_layer - 1, -1):
        dA, dW, db = ref.linear_activation_backward(dA, caches[l - 1], output if l == L else hidden)
        grads[f"dA{l - 1 + dA_key_shift}"] = dA
        grads[f"dW{l}"] = dW
        grads[f"db{l}"] = db
    return grads


def model_dAL_sign(AL, Y, caches):
    return _model_backward(AL, Y, caches, dAL=np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))


def model_dAL_is_dZL(AL, Y, caches):
    return _model_backward(AL, Y, caches, dAL=AL - Y)


def model_output_as_relu(AL, Y, caches):
    return _model_backward(AL, Y, caches, output="relu")


def model_backward_all_sigmoid(AL, Y, caches):
    return _model_backward(AL, Y, caches, hidden="sigmoid")


def model_dA_key_off_by_one(AL, Y, caches):
    return _model_backward(AL, Y, caches, dA_key_shift=1)


def model_skips_first_layer(AL, Y, caches):
    return _model_backward(AL, Y, caches, first_layer=2)
