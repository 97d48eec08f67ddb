"""Known mistakes in gradient descent, mini-batches, momentum and the initializers: each a small
readable edit of the reference, written as a student would write the wrong code.

When a student's results match one of them on every case, the feedback names the mistake (see
:mod:`autograder.grading.verdict`). The mini-batch variants draw, like the student's code during
grading, from the scripted generators of :mod:`.draws`.
"""

from __future__ import annotations

import numpy as np

from .draws import ScriptedGenerator, case_seed


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


# ----------------------------------------------------------------------------- mini-batches
def _generator(X, Y, mini_batch_size, rng, stream="rng"):
    """The generator a student's code draws from during grading (see :mod:`.draws`)."""
    if rng is not None:
        return rng
    return ScriptedGenerator(case_seed(X, Y, mini_batch_size), stream)


def _cut(X_shuffled, Y_shuffled, size, *, remainder=True):
    m = X_shuffled.shape[1]
    end = m if remainder else (m // size) * size
    return [(X_shuffled[:, k:k + size], Y_shuffled[:, k:k + size]) for k in range(0, end, size)]


def _shuffled(X, Y, mini_batch_size, rng, stream="rng"):
    perm = _generator(X, Y, mini_batch_size, rng, stream).permutation(X.shape[1])
    return X[:, perm], Y[:, perm]


def batches_separate_permutations(X, Y, mini_batch_size=64, rng=None):
    g = _generator(X, Y, mini_batch_size, rng)
    m = X.shape[1]
    return _cut(X[:, g.permutation(m)], Y[:, g.permutation(m)], mini_batch_size)


def batches_drop_remainder(X, Y, mini_batch_size=64, rng=None):
    return _cut(*_shuffled(X, Y, mini_batch_size, rng), mini_batch_size, remainder=False)


def batches_not_shuffled(X, Y, mini_batch_size=64, rng=None):
    return _cut(X, Y, mini_batch_size)


def batches_global_state(X, Y, mini_batch_size=64, rng=None):
    # np.random.permutation(m): numpy's global random state, whatever rng is
    return _cut(*_shuffled(X, Y, mini_batch_size, None, "global"), mini_batch_size)


def batches_fixed_seed(X, Y, mini_batch_size=64, rng=None):
    # np.random.default_rng(0) (or any fixed seed) inside the function
    return _cut(*_shuffled(X, Y, mini_batch_size, None, "fixed"), mini_batch_size)


def batches_with_replacement(X, Y, mini_batch_size=64, rng=None):
    m = X.shape[1]
    idx = _generator(X, Y, mini_batch_size, rng).choice(m, m)  # replace=True by default
    return _cut(X[:, idx], Y[:, idx], mini_batch_size)


def batches_y_one_row(X, Y, mini_batch_size=64, rng=None):
    X_shuffled, Y_shuffled = _shuffled(X, Y, mini_batch_size, rng)
    return _cut(X_shuffled, Y_shuffled.reshape((1, X.shape[1])), mini_batch_size)


def batches_extra_empty(X, Y, mini_batch_size=64, rng=None):
    X_shuffled, Y_shuffled = _shuffled(X, Y, mini_batch_size, rng)
    m = X.shape[1]
    return [(X_shuffled[:, k * mini_batch_size:(k + 1) * mini_batch_size],
             Y_shuffled[:, k * mini_batch_size:(k + 1) * mini_batch_size]) for k in range(m // mini_batch_size + 1)]


def batches_last_full_size(X, Y, mini_batch_size=64, rng=None):
    X_shuffled, Y_shuffled = _shuffled(X, Y, mini_batch_size, rng)
    m = X.shape[1]
    out = _cut(X_shuffled, Y_shuffled, mini_batch_size, remainder=False)
    if m % mini_batch_size:
        out.append((X_shuffled[:, m - mini_batch_size:], Y_shuffled[:, m - mini_batch_size:]))
    return out


def batches_shuffled_rows(X, Y, mini_batch_size=64, rng=None):
    # rng.shuffle(X); rng.shuffle(Y): numpy shuffles along axis 0, the features, not the examples
    g = _generator(X, Y, mini_batch_size, rng)
    return _cut(g.permutation(X), g.permutation(Y), mini_batch_size)


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


def batches_y_one_dimensional(X, Y, mini_batch_size=64, rng=None):
    # stacks X and Y, shuffles, then splits off the last row as the labels: Y_batch is 1-D
    XY = np.vstack([X, Y])[:, _generator(X, Y, mini_batch_size, rng).permutation(X.shape[1])]
    inputs, labels = XY[:-1], XY[-1]
    m = X.shape[1]
    return [(inputs[:, k:k + mini_batch_size], labels[k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]


def batches_y_sliced_by_rows(X, Y, mini_batch_size=64, rng=None):
    X_shuffled, Y_shuffled = _shuffled(X, Y, mini_batch_size, rng)
    m = X.shape[1]
    return [(X_shuffled[:, k:k + mini_batch_size], Y_shuffled[k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]


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
