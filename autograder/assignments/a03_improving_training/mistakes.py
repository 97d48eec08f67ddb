"""Assignment 3's known mistakes in initialization and regularization: each a small, readable edit
of the reference, with the reference's signature.

The random ones draw as the student's code draws while graded: ``rng=None`` means the case's
``"rng"`` stream (:func:`.draws.generator_or_case`), and the "global state" and "fixed seed"
mistakes draw from the case's ``"global"`` and ``"fixed"`` streams (see :mod:`.draws`).
"""

from __future__ import annotations

import numpy as np

from . import references as ref
from .draws import case_generator, case_seed


# ----------------------------------------------------------------------------- initialization
def _init(layers_dims, scale, draw="normal", b_random=False, transposed=False):
    """``W[l] = draw * scale(n_l, n_{l-1})``, ``b[l] = 0`` (or drawn too); ``draw`` names the source:
    "normal" (the rng stream), "uniform", "global", "fixed"."""
    dims = list(layers_dims)
    seed = case_seed(dims)
    g = {"global": case_generator(seed, "global"), "fixed": case_generator(seed, "fixed")}.get(
        draw, case_generator(seed))
    params = {}
    for l in range(1, len(dims)):
        shape = (dims[l - 1], dims[l]) if transposed else (dims[l], dims[l - 1])
        values = g.random(shape) if draw == "uniform" else g.standard_normal(shape)
        params[f"W{l}"] = values * scale(dims[l], dims[l - 1])
        params[f"b{l}"] = g.standard_normal((dims[l], 1)) * scale(dims[l], dims[l - 1]) if b_random \
            else np.zeros((dims[l], 1))
    return params


def zeros_transposed(layers_dims):
    return {k: (v.T if k.startswith("W") else v) for k, v in ref.initialize_parameters_zeros(layers_dims).items()}


def zeros_last_layer_missing(layers_dims):
    params = ref.initialize_parameters_zeros(layers_dims)
    L = len(layers_dims) - 1
    return {k: v for k, v in params.items() if k not in (f"W{L}", f"b{L}")}


def zeros_b_1d(layers_dims):
    return {k: (v.reshape(-1) if k.startswith("b") else v) for k, v in ref.initialize_parameters_zeros(layers_dims).items()}


def zeros_int(layers_dims):
    return {k: v.astype(int) for k, v in ref.initialize_parameters_zeros(layers_dims).items()}


def random_scale_one(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 1.0)


def random_small(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 0.01)


def random_uniform(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0, draw="uniform")


def random_global_state(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0, draw="global")


def random_fixed_seed(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0, draw="fixed")


def random_b_random(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0, b_random=True)


def random_he_scale(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / p))


def he_xavier(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(1.0 / p))


def he_n_l(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / n))


def he_no_sqrt(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 2.0 / p)


def he_sqrt2_over_n(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0) / p)


def he_times_10(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0)


def he_global_state(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / p), draw="global")


def he_fixed_seed(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / p), draw="fixed")


def he_uniform(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / p), draw="uniform")


# ----------------------------------------------------------------------------- L2 cost
def _weights(parameters):
    return [np.asarray(parameters[f"W{l}"], dtype=float) for l in (1, 2, 3)]


def _cost_with(A3, Y, parameters, penalty):
    return ref.compute_cost(A3, Y) + penalty


def cost_no_1_over_m(A3, Y, parameters, lambd):
    return _cost_with(A3, Y, parameters, lambd / 2 * sum(np.sum(np.square(W)) for W in _weights(parameters)))


def cost_includes_biases(A3, Y, parameters, lambd):
    m = Y.shape[1]
    every = _weights(parameters) + [np.asarray(parameters[f"b{l}"], dtype=float) for l in (1, 2, 3)]
    return _cost_with(A3, Y, parameters, lambd / (2 * m) * sum(np.sum(np.square(P)) for P in every))


def cost_no_half(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return _cost_with(A3, Y, parameters, lambd / m * sum(np.sum(np.square(W)) for W in _weights(parameters)))


def cost_sum_not_squared(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return _cost_with(A3, Y, parameters, lambd / (2 * m) * sum(np.sum(W) for W in _weights(parameters)))


def cost_norm_not_squared(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return _cost_with(A3, Y, parameters, lambd / (2 * m) * sum(np.linalg.norm(W) for W in _weights(parameters)))


def cost_last_layer_only(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return _cost_with(A3, Y, parameters, lambd / (2 * m) * np.sum(np.square(_weights(parameters)[2])))


def cost_penalty_only(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return lambd / (2 * m) * sum(np.sum(np.square(W)) for W in _weights(parameters))


# ----------------------------------------------------------------------------- L2 backward
def _l2_with(X, Y, cache, lambd, scale=None, biases=False, layers=(1, 2, 3)):
    """The unregularized gradients, plus ``scale(lambd, m) * W[l]`` on the layers listed (and on b)."""
    g = ref.backward_propagation_with_regularization(X, Y, cache, 0.0)
    m = np.shape(X)[1]
    W = {1: cache[2], 2: cache[6], 3: cache[10]}
    b = {1: cache[3], 2: cache[7], 3: cache[11]}
    for l in layers:
        g[f"dW{l}"] = g[f"dW{l}"] + scale(lambd, m) * np.asarray(W[l], dtype=float)
        if biases:
            g[f"db{l}"] = g[f"db{l}"] + scale(lambd, m) * np.asarray(b[l], dtype=float)
    return g


def l2_no_1_over_m(X, Y, cache, lambd):
    return _l2_with(X, Y, cache, lambd, lambda la, m: la)


def l2_penalizes_biases(X, Y, cache, lambd):
    return _l2_with(X, Y, cache, lambd, lambda la, m: la / m, biases=True)


def l2_half(X, Y, cache, lambd):
    return _l2_with(X, Y, cache, lambd, lambda la, m: la / (2 * m))


def l2_double(X, Y, cache, lambd):
    return _l2_with(X, Y, cache, lambd, lambda la, m: 2 * la / m)


def l2_wrong_sign(X, Y, cache, lambd):
    return _l2_with(X, Y, cache, lambd, lambda la, m: -la / m)


def l2_last_layer_only(X, Y, cache, lambd):
    return _l2_with(X, Y, cache, lambd, lambda la, m: la / m, layers=(3,))


def l2_forgotten(X, Y, cache, lambd):
    return ref.backward_propagation_with_regularization(X, Y, cache, 0.0)


# ----------------------------------------------------------------------------- dropout forward
def _dropout_forward(X, parameters, keep_prob, *, draw="rng", scale="divide", compare="<", cache_before=False,
                     on_input=False, on_output=False, keep=None):
    """The forward pass with one thing changed (the defaults give the reference's numbers)."""
    seed = case_seed(X, parameters, keep_prob)
    g = case_generator(seed, draw)
    kp = keep_prob if keep is None else keep
    p = ref._params(parameters)
    X = np.asarray(X, dtype=float)

    def drop(A):
        u = g.random(A.shape)
        D = (u < kp) if compare == "<" else (u > kp)
        D = D.astype(float)
        factor = {"divide": 1.0 / kp, "none": 1.0, "multiply": kp}[scale]
        return D, A * D * factor

    if on_input:
        X = drop(X)[1]
    out, A = [], X
    for l in (1, 2):
        Z = p[f"W{l}"] @ A + p[f"b{l}"]
        A_before = ref.relu(Z)
        D, A = drop(A_before)
        out += [Z, D, A_before if cache_before else A, p[f"W{l}"], p[f"b{l}"]]
    Z3 = p["W3"] @ A + p["b3"]
    A3 = ref.sigmoid(Z3)
    if on_output:
        A3 = drop(A3)[1]
    out += [Z3, A3, p["W3"], p["b3"]]
    return A3, tuple(out)


def dropout_no_scaling(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, scale="none")


def dropout_multiplies_keep_prob(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, scale="multiply")


def dropout_inverted_comparison(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, compare=">")


def dropout_cache_before_dropout(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, cache_before=True)


def dropout_on_input(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, on_input=True)


def dropout_on_output(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, on_output=True)


def dropout_global_state(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, draw="global")


def dropout_fixed_seed(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, draw="fixed")


def dropout_ignores_keep_prob(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, keep=0.5)


# ----------------------------------------------------------------------------- dropout backward
def _dropout_backward(X, Y, cache, keep_prob, *, mask_1=None, mask_2=None, factor=None, factor_1=None,
                      on_dz=False):
    """The backward pass with other masks/scaling (``mask_l(D1, D2)`` gives the mask used on dA_l,
    ``factor(keep_prob)`` the scaling, ``factor_1`` that of layer 1 only); ``on_dz``: the mask applied
    to dZ, the scaling to dA."""
    m = np.shape(X)[1]
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = (np.asarray(c, dtype=float) for c in cache)
    X = np.asarray(X, dtype=float)
    M1 = D1 if mask_1 is None else mask_1(D1, D2)
    M2 = D2 if mask_2 is None else mask_2(D1, D2)
    f = 1.0 / keep_prob if factor is None else factor(keep_prob)
    f1 = f if factor_1 is None else factor_1(keep_prob)
    dZ3 = A3 - Y
    dW3, db3 = dZ3 @ A2.T / m, np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dA2, dZ2 = (dA2 * f, dA2 * f * (Z2 > 0) * M2) if on_dz else (dA2 * M2 * f, None)
    dZ2 = dA2 * (Z2 > 0) if dZ2 is None else dZ2
    dW2, db2 = dZ2 @ A1.T / m, np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dA1, dZ1 = (dA1 * f1, dA1 * f1 * (Z1 > 0) * M1) if on_dz else (dA1 * M1 * f1, None)
    dZ1 = dA1 * (Z1 > 0) if dZ1 is None else dZ1
    dW1, db1 = dZ1 @ X.T / m, np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2, "dA1": dA1,
            "dZ1": dZ1, "dW1": dW1, "db1": db1}


def dropout_backward_no_scaling(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, factor=lambda kp: 1.0)


def dropout_backward_no_mask(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, mask_1=lambda a, b: 1.0, mask_2=lambda a, b: 1.0)


def dropout_backward_ignored(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, mask_1=lambda a, b: 1.0, mask_2=lambda a, b: 1.0,
                             factor=lambda kp: 1.0)


def dropout_backward_multiplies_keep_prob(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, factor=lambda kp: kp)


def dropout_backward_mask_on_dz(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, on_dz=True)


def dropout_backward_swapped_masks(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, mask_1=lambda a, b: b, mask_2=lambda a, b: a)


def dropout_backward_layer_1_unscaled(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, factor_1=lambda kp: 1.0)
