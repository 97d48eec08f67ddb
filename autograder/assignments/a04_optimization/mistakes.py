"""Known mistakes in gradient descent, momentum and the initializers: each a small
readable edit of the reference, written as a student would write the wrong code (the mini-batch
mistakes are in :mod:`.mistakes_batches`).

When a student's results match one of them on every failing case, the feedback names the mistake
(see :mod:`autograder.grading.verdict`).
"""

from __future__ import annotations

import numpy as np


def _layers(parameters) -> range:
    return range(1, len(parameters) // 2 + 1)


# ----------------------------------------------------------------------------- gradient descent
def _gd(parameters, grads, learning_rate, *, sign=-1.0, update_b=True, last=True, b_grad="db"):
    new = dict(parameters)
    layers = _layers(parameters) if last else range(1, len(parameters) // 2)
    for l in layers:
        new[f"W{l}"] = parameters[f"W{l}"] + sign * learning_rate * grads[f"dW{l}"]
        if update_b:
            new[f"b{l}"] = parameters[f"b{l}"] + sign * learning_rate * grads[f"{b_grad}{l}"]
    return new


def gd_ascent(parameters, grads, learning_rate):
    return _gd(parameters, grads, learning_rate, sign=1.0)


def gd_b_not_updated(parameters, grads, learning_rate):
    return _gd(parameters, grads, learning_rate, update_b=False)


def gd_last_layer_skipped(parameters, grads, learning_rate):
    return _gd(parameters, grads, learning_rate, last=False)


def gd_b_with_dW(parameters, grads, learning_rate):
    return _gd(parameters, grads, learning_rate, b_grad="dW")


def gd_fixed_rate(parameters, grads, learning_rate):
    return _gd(parameters, grads, 0.01)


# ----------------------------------------------------------------------------- initializers
def _zeros_dict(parameters, *, prefix="d", weights_only=False, last=True, fill=0.0, like_params=False,
                scalar=False):
    out = {}
    layers = _layers(parameters) if last else range(1, len(parameters) // 2)
    for l in layers:
        for name in (("W",) if weights_only else ("W", "b")):
            p = parameters[f"{name}{l}"]
            if like_params:
                value = p.copy()
            elif scalar:
                value = 0
            else:
                value = np.full(p.shape, fill)
            out[f"{prefix}{name}{l}"] = value
    return out


def velocity_keys_without_d(parameters):
    return _zeros_dict(parameters, prefix="")


def velocity_weights_only(parameters):
    return _zeros_dict(parameters, weights_only=True)


def velocity_last_layer_missing(parameters):
    return _zeros_dict(parameters, last=False)


def velocity_copies_parameters(parameters):
    return _zeros_dict(parameters, like_params=True)


def velocity_scalar_zeros(parameters):
    return _zeros_dict(parameters, scalar=True)


def adam_init_keys_without_d(parameters):
    return _zeros_dict(parameters, prefix=""), _zeros_dict(parameters, prefix="")


def adam_init_s_epsilon(parameters):
    return _zeros_dict(parameters), _zeros_dict(parameters, fill=1e-8)


def adam_init_s_ones(parameters):
    return _zeros_dict(parameters), _zeros_dict(parameters, fill=1.0)


def adam_init_weights_only(parameters):
    return _zeros_dict(parameters, weights_only=True), _zeros_dict(parameters, weights_only=True)


def adam_init_returns_dict(parameters):
    return {"v": _zeros_dict(parameters), "s": _zeros_dict(parameters)}


def rmsprop_init_keys_without_d(parameters):
    return _zeros_dict(parameters, prefix="")


def rmsprop_init_epsilon(parameters):
    return _zeros_dict(parameters, fill=1e-8)


def rmsprop_init_ones(parameters):
    return _zeros_dict(parameters, fill=1.0)


def rmsprop_init_weights_only(parameters):
    return _zeros_dict(parameters, weights_only=True)


def rmsprop_init_v_and_s(parameters):
    return _zeros_dict(parameters), _zeros_dict(parameters)


def rmsprop_init_one_dimensional(parameters):
    return {"d" + k: np.zeros(p.shape[0]) for k, p in parameters.items()}


# ----------------------------------------------------------------------------- momentum (EMA form)
def _momentum(parameters, grads, v, beta, learning_rate, *, keep=None, gain=None, step_with="v",
              old_v=False, heavy_ball=False, return_old_v=False):
    """``v = keep * v + gain * dW`` (by default beta and 1 - beta), then a step along ``step_with``."""
    keep = beta if keep is None else keep
    gain = (1 - beta) if gain is None else gain
    new_p, new_v = dict(parameters), {}
    for k in parameters:
        g = grads["d" + k]
        if heavy_ball:
            new_v["d" + k] = beta * v["d" + k] - learning_rate * g
            new_p[k] = parameters[k] + new_v["d" + k]
            continue
        new_v["d" + k] = keep * v["d" + k] + gain * g
        direction = {"v": v["d" + k] if old_v else new_v["d" + k], "g": g}[step_with]
        new_p[k] = parameters[k] - learning_rate * direction
    return new_p, (v if return_old_v else new_v)


def momentum_no_one_minus_beta(parameters, grads, v, beta, learning_rate):
    return _momentum(parameters, grads, v, beta, learning_rate, gain=1.0)


def momentum_swapped_beta(parameters, grads, v, beta, learning_rate):
    return _momentum(parameters, grads, v, beta, learning_rate, keep=1 - beta, gain=beta)


def momentum_steps_with_gradient(parameters, grads, v, beta, learning_rate):
    return _momentum(parameters, grads, v, beta, learning_rate, step_with="g")


def momentum_steps_with_old_v(parameters, grads, v, beta, learning_rate):
    return _momentum(parameters, grads, v, beta, learning_rate, old_v=True)


def momentum_heavy_ball_form(parameters, grads, v, beta, learning_rate):
    return _momentum(parameters, grads, v, beta, learning_rate, heavy_ball=True)


def momentum_returns_old_v(parameters, grads, v, beta, learning_rate):
    return _momentum(parameters, grads, v, beta, learning_rate, return_old_v=True)


# ----------------------------------------------------------------------------- heavy ball
def _heavy_ball(parameters, grads, m, momentum, learning_rate, *, grad_sign=-1.0, param_sign=1.0,
                old_m=False, lr_in_m=True, ema=False):
    new_p, new_m = dict(parameters), {}
    for k in parameters:
        g = grads["d" + k]
        if ema:
            new_m["d" + k] = momentum * m["d" + k] + (1 - momentum) * g
            new_p[k] = parameters[k] - learning_rate * new_m["d" + k]
            continue
        new_m["d" + k] = momentum * m["d" + k] + grad_sign * (learning_rate if lr_in_m else 1.0) * g
        step = m["d" + k] if old_m else new_m["d" + k]
        new_p[k] = parameters[k] + param_sign * step
    return new_p, new_m


def heavy_ball_plus_gradient(parameters, grads, m, momentum, learning_rate):
    return _heavy_ball(parameters, grads, m, momentum, learning_rate, grad_sign=1.0)


def heavy_ball_subtracts_m(parameters, grads, m, momentum, learning_rate):
    return _heavy_ball(parameters, grads, m, momentum, learning_rate, param_sign=-1.0)


def heavy_ball_steps_with_old_m(parameters, grads, m, momentum, learning_rate):
    return _heavy_ball(parameters, grads, m, momentum, learning_rate, old_m=True)


def heavy_ball_no_learning_rate(parameters, grads, m, momentum, learning_rate):
    return _heavy_ball(parameters, grads, m, momentum, learning_rate, lr_in_m=False)


def heavy_ball_ema_form(parameters, grads, m, momentum, learning_rate):
    return _heavy_ball(parameters, grads, m, momentum, learning_rate, ema=True)



def velocity_one_dimensional(parameters):
    return {"d" + k: np.zeros(len(p)) for k, p in parameters.items()}


def momentum_ascent(parameters, grads, v, beta, learning_rate):
    new_p, new_v = _momentum(parameters, grads, v, beta, learning_rate)
    return {k: 2 * parameters[k] - new_p[k] for k in parameters}, new_v  # W + learning_rate * v


def momentum_rate_inside(parameters, grads, v, beta, learning_rate):
    new_p, new_v = dict(parameters), {}
    for k in parameters:
        new_v["d" + k] = beta * v["d" + k] + learning_rate * grads["d" + k]
        new_p[k] = parameters[k] - new_v["d" + k]
    return new_p, new_v


def momentum_db_uses_dW(parameters, grads, v, beta, learning_rate):
    return _momentum(parameters, {k: grads["dW" + k[2:]] for k in grads}, v, beta, learning_rate)


def heavy_ball_sign_flipped(parameters, grads, m, momentum, learning_rate):
    return _heavy_ball(parameters, grads, m, momentum, learning_rate, grad_sign=1.0, param_sign=-1.0)


def heavy_ball_no_momentum(parameters, grads, m, momentum, learning_rate):
    return _heavy_ball(parameters, grads, m, 0.0, learning_rate)
