"""Assignment 3's known mistakes in regularization (``regularization.ipynb``): the L2 cost and
backward pass, dropout's forward and backward passes; each a small, readable edit of the reference.

Dropout's forward mistakes draw their masks as the student's code draws them while graded (the
case's streams, :mod:`.draws`).
"""

from __future__ import annotations

import numpy as np

from . import references as ref
from .draws import case_generator, case_seed


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


def cost_precedence(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return _cost_with(A3, Y, parameters, lambd / 2 * m * sum(np.sum(np.square(W)) for W in _weights(parameters)))


def cost_square_of_sums(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return _cost_with(A3, Y, parameters, lambd / (2 * m) * sum(np.sum(W) ** 2 for W in _weights(parameters)))


def cost_penalty_only(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return lambd / (2 * m) * sum(np.sum(np.square(W)) for W in _weights(parameters))


# ----------------------------------------------------------------------------- L2 backward
def _l2_backward(X, Y, cache, lambd, *, scale=lambda la, m: la / m, biases=False, layers=(1, 2, 3),
                 derivative=lambda Z, A: A > 0, derivative_layers=(1, 2), penalty=lambda W: W,
                 db=lambda dZ, m: np.sum(dZ, axis=1, keepdims=True) / m):
    """The notebook's backward pass with the L2 term, one knob changed: ``scale(lambd, m)`` of the
    penalty's gradient, the ``layers`` (and the biases) it is added to, ``penalty(W)``, relu's
    ``derivative(Z, A)`` (in ``derivative_layers``; ``A > 0`` elsewhere) and how ``db`` is summed."""
    m = np.shape(X)[1]
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = (np.asarray(c, dtype=float) for c in cache)
    X, W, b = np.asarray(X, dtype=float), {1: W1, 2: W2, 3: W3}, {1: b1, 2: b2, 3: b3}
    c = scale(lambd, m)
    out = {"dZ3": A3 - Y}
    for l, A_prev, Z_prev, A_prev_act in ((3, A2, Z2, A2), (2, A1, Z1, A1), (1, X, None, None)):
        dZ = out[f"dZ{l}"]
        out[f"dW{l}"] = dZ @ A_prev.T / m + (c * penalty(W[l]) if l in layers else 0.0)
        out[f"db{l}"] = db(dZ, m) + (c * b[l] if biases and l in layers else 0.0)
        if l > 1:
            out[f"dA{l - 1}"] = W[l].T @ dZ
            g = derivative if l - 1 in derivative_layers else (lambda Z, A: A > 0)
            out[f"dZ{l - 1}"] = out[f"dA{l - 1}"] * g(Z_prev, A_prev_act)
    return {k: out[k] for k in ref.GRAD_KEYS}


def l2_no_1_over_m(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, scale=lambda la, m: la)


def l2_penalizes_biases(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, biases=True)


def l2_half(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, scale=lambda la, m: la / (2 * m))


def l2_double(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, scale=lambda la, m: 2 * la / m)


def l2_wrong_sign(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, scale=lambda la, m: -la / m)


def l2_last_layer_only(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, layers=(3,))


def l2_forgotten(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, layers=())


def l2_weights_squared(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, penalty=np.square)


def l2_relu_ge(X, Y, cache, lambd):
    """ReLU's derivative as ``A >= 0``: true everywhere, since A = max(0, Z)."""
    return _l2_backward(X, Y, cache, lambd, derivative=lambda Z, A: A >= 0)


def l2_relu_ge_layer_1(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, derivative=lambda Z, A: A >= 0, derivative_layers=(1,))


def l2_activation_for_derivative(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, derivative=lambda Z, A: A)


def l2_db_1d(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, db=lambda dZ, m: np.sum(dZ, axis=1) / m)


def l2_db_axis_0(X, Y, cache, lambd):
    return _l2_backward(X, Y, cache, lambd, db=lambda dZ, m: np.sum(dZ, axis=0, keepdims=True) / m)


# ----------------------------------------------------------------------------- dropout forward
def _dropout_forward(X, parameters, keep_prob, *, draw="rng", scale="divide", compare="<", cache_before=False,
                     on_input=False, on_output=False, keep=None, layers=(1, 2), masks_in_cache=True, on_z=False):
    """The forward pass with one thing changed (the defaults give the reference's numbers): where the
    masks come from, the scaling, the comparison (``"<"``, ``">"``, or ``"none"``: the uniform numbers
    kept as the mask), which layers drop, what the cache holds, or the mask put on ``Z``."""
    seed = case_seed(X, parameters, keep_prob)
    g = case_generator(seed, draw)
    kp = keep_prob if keep is None else keep
    p = ref._params(parameters)
    X = np.asarray(X, dtype=float)

    def drop(A):
        u = g.random(A.shape)
        D = {"<": u < kp, ">": u > kp, "none": u}[compare]
        D = D.astype(float)
        factor = {"divide": 1.0 / kp, "none": 1.0, "multiply": kp}[scale]
        return D, A * D * factor

    if on_input:
        X = drop(X)[1]
    out, A = [], X
    for l in (1, 2):
        Z = p[f"W{l}"] @ A + p[f"b{l}"]
        if on_z and l == 1:  # the mask and scaling on Z, before the ReLU: Z is changed in the cache
            D, Z = drop(Z)
            A_before = A = ref.relu(Z)
        else:
            A_before = ref.relu(Z)
            D, A = drop(A_before) if l in layers else (np.ones_like(A_before), A_before)
        out += ([Z, D] if masks_in_cache else [Z]) + [A_before if cache_before else A, p[f"W{l}"], p[f"b{l}"]]
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


def dropout_uniform_mask(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, compare="none")


def dropout_layer_1_only(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, layers=(1,))


def dropout_cache_without_masks(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, masks_in_cache=False)


def dropout_mask_on_z(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, on_z=True)


def dropout_global_state(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, draw="global")


def dropout_fixed_seed(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, draw="fixed")


def dropout_ignores_keep_prob(X, parameters, keep_prob=0.5, rng=None):
    return _dropout_forward(X, parameters, keep_prob, keep=0.5)


# ----------------------------------------------------------------------------- dropout backward
def _dropout_backward(X, Y, cache, keep_prob, *, modes=("dA", "dA"), swap=False, sign=1.0):
    """The notebook's backward pass (ReLU's derivative as ``A > 0`` on the cache's A, after dropout)
    with the masks handled per hidden layer (``modes[l - 1]``): "dA" (right: ``dA * D / keep_prob``),
    "mask-only", "scale-only", "none", "multiply" (``* keep_prob``), "dZ" (mask and scaling on dZ),
    "dZ-scaled-dA" (scaling on dA, mask on dZ), "both" (on dA and again on dZ) or
    "mask-as-derivative"; ``swap`` uses each layer's mask on the other; ``sign`` flips ``dZ3``."""
    m = np.shape(X)[1]
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = (np.asarray(c, dtype=float) for c in cache)
    X = np.asarray(X, dtype=float)
    masks, f = ({1: D2, 2: D1} if swap else {1: D1, 2: D2}), 1.0 / keep_prob
    out = {"dZ3": sign * (A3 - Y)}
    out["dW3"], out["db3"] = out["dZ3"] @ A2.T / m, np.sum(out["dZ3"], axis=1, keepdims=True) / m
    for l, A, W_next, A_prev in ((2, A2, W3, A1), (1, A1, W2, X)):
        dA, M, mode = W_next.T @ out[f"dZ{l + 1}"], masks[l], modes[l - 1]
        dA = {"dA": dA * M * f, "mask-only": dA * M, "scale-only": dA * f, "none": dA, "multiply": dA * M * keep_prob,
              "dZ": dA, "dZ-scaled-dA": dA * f, "both": dA * M * f, "mask-as-derivative": dA * f}[mode]
        derivative = M if mode == "mask-as-derivative" else (A > 0)
        dZ = dA * derivative * {"dZ": M * f, "dZ-scaled-dA": M, "both": M * f}.get(mode, 1.0)
        out[f"dA{l}"], out[f"dZ{l}"] = dA, dZ
        out[f"dW{l}"], out[f"db{l}"] = dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m
    return {k: out[k] for k in ref.GRAD_KEYS}


def dropout_backward_no_scaling(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, modes=("mask-only", "mask-only"))


def dropout_backward_no_mask(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, modes=("scale-only", "scale-only"))


def dropout_backward_ignored(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, modes=("none", "none"))


def dropout_backward_multiplies_keep_prob(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, modes=("multiply", "multiply"))


def dropout_backward_mask_on_dz(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, modes=("dZ", "dZ"))


def dropout_backward_mask_on_dz_scaled_da(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, modes=("dZ-scaled-dA", "dZ-scaled-dA"))


def dropout_backward_swapped_masks(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, swap=True)


def dropout_backward_layer_1_unscaled(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, modes=("mask-only", "dA"))


def dropout_backward_layer_1_unmasked(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, modes=("none", "dA"))


def dropout_backward_mask_as_derivative(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, modes=("mask-as-derivative", "mask-as-derivative"))


def dropout_backward_mask_twice(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, modes=("both", "both"))


def dropout_backward_output_sign(X, Y, cache, keep_prob):
    return _dropout_backward(X, Y, cache, keep_prob, sign=-1.0)
