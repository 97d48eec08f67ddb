"""Test inputs of assignment 4, drawn from an ``rng`` (the visible and the hidden run draw different ones).

Every optimizer is tried on networks of 1 to 4 layers, including a layer of one unit and
``n_x = 1``, with state that is not zero (so a forgotten ``beta * v`` shows), hyperparameters away
from their defaults (so an ignored argument shows) and, for the adaptive methods, a case of tiny
gradients and one of a large epsilon (the only cases where ``sqrt(s + eps)`` differs visibly from
``sqrt(s) + eps``). Adam runs at several ``t`` (``t = 1`` hides a wrong bias correction better than
``t = 2..10``). The schedules are tried at their boundaries (step ``0``, ``warmup_steps - 1``,
``warmup_steps``; epochs just before and at a multiple of ``time_interval``). The mini-batch cases
include ``m = 1``, ``n_x = 1``, two label rows, batch size 1 and ``m``, ``m`` below the batch size,
seed 003's 20 examples, and the default batch size of 64.
"""

from __future__ import annotations

import numpy as np

from autograder.grading.spec import Case

from .draws import bind_for, case_seed


# ----------------------------------------------------------------------------- networks
def _layer_dims(rng) -> list[list[int]]:
    """Edge networks first (one layer; n_x = 1; a one-unit layer), then a deep random one."""
    deep = [int(rng.integers(2, 6)) for _ in range(4)] + [1]
    return [[1, 1], [4, 1], [1, 3, 1], [3, 5, 2], deep]


def _describe(dims) -> str:
    return f"L = {len(dims) - 1}, layer sizes {dims}"


def params_for(rng, dims) -> dict:
    """``W1 (n_1, n_0), b1 (n_1, 1), ...`` with entries of order 1."""
    out = {}
    for l in range(1, len(dims)):
        out[f"W{l}"] = rng.normal(0.0, 1.0, (dims[l], dims[l - 1]))
        out[f"b{l}"] = rng.normal(0.0, 0.5, (dims[l], 1))
    return out


def like(rng, params, scale=1.0, *, squared=False) -> dict:
    """A dict ``dW1, db1, ...`` shaped like ``params``: normal entries, or their squares (for ``s``)."""
    out = {}
    for k, p in params.items():
        a = rng.normal(0.0, scale, p.shape)
        out["d" + k] = a * a if squared else a
    return out


def _rate(rng, low, high) -> float:
    return float(np.round(rng.uniform(low, high), 4))


# ----------------------------------------------------------------------------- initializers
def cases_init(rng) -> list[Case]:
    return [Case(_describe(d), (params_for(rng, d),)) for d in _layer_dims(rng)]


# ----------------------------------------------------------------------------- first-order updates
def cases_gd(rng) -> list[Case]:
    out = []
    for dims, lr in zip(_layer_dims(rng), (0.1, 0.01, 1.3, _rate(rng, 0.02, 0.5), _rate(rng, 0.02, 0.5))):
        p = params_for(rng, dims)
        out.append(Case(f"{_describe(dims)}, learning_rate = {lr}", (p, like(rng, p), lr)))
    return out


def _momentum_cases(rng, beta_name: str) -> list[Case]:
    out = []
    settings = [(0.9, 0.01), (0.0, 0.1), (0.5, 0.3), (_rate(rng, 0.6, 0.99), _rate(rng, 0.01, 0.2)),
                (_rate(rng, 0.1, 0.8), _rate(rng, 0.01, 0.5))]
    for i, (dims, (beta, lr)) in enumerate(zip(_layer_dims(rng), settings)):
        p = params_for(rng, dims)
        state = like(rng, p, 0.5) if i != 1 else {k: np.zeros_like(v) for k, v in like(rng, p).items()}
        start = "zero state (the first step)" if i == 1 else "non-zero state"
        out.append(Case(f"{_describe(dims)}, {start}, {beta_name} = {beta}, learning_rate = {lr}",
                        (p, like(rng, p), state, beta, lr)))
    return out


def cases_momentum(rng) -> list[Case]:
    return _momentum_cases(rng, "beta")


def cases_heavy_ball(rng) -> list[Case]:
    return _momentum_cases(rng, "momentum")


# ----------------------------------------------------------------------------- adaptive methods
def cases_adam(rng) -> list[Case]:
    dims = _layer_dims(rng)
    out = []
    # (t, grad scale, kwargs): defaults, several t, tiny gradients, a large epsilon, other betas
    settings = [
        (1, 1.0, {}),
        (2, 1.0, {"learning_rate": 0.02}),
        (3, 1.0, {"learning_rate": 0.1, "beta1": 0.8, "beta2": 0.99}),
        (10, 1e-6, {"learning_rate": 0.01}),
        (7, 1.0, {"learning_rate": 0.05, "beta1": 0.5, "beta2": 0.9, "epsilon": 0.1}),
        (int(rng.integers(20, 200)), 1.0, {"learning_rate": _rate(rng, 0.001, 0.1), "beta1": 0.95,
                                           "beta2": 0.995}),
    ]
    for i, (t, scale, kw) in enumerate(settings):
        d = dims[i % len(dims)]
        p = params_for(rng, d)
        first = t == 1
        v = {k: np.zeros_like(a) for k, a in like(rng, p).items()} if first else like(rng, p, 0.3 * scale)
        s = {k: np.zeros_like(a) for k, a in v.items()} if first else like(rng, p, scale, squared=True)
        what = "zero v and s" if first else ("tiny gradients (~1e-6)" if scale < 1 else "non-zero v and s")
        args = ", ".join(f"{k} = {val}" for k, val in kw.items()) or "default hyperparameters"
        out.append(Case(f"{_describe(d)}, t = {t}, {what}, {args}", (p, like(rng, p, scale), v, s, t), kw))
    return out


def _accumulator_cases(rng, with_beta: bool) -> list[Case]:
    dims = _layer_dims(rng)
    settings = [
        (1.0, True, {}),
        (1.0, False, {"learning_rate": 0.05}),
        (1e-6, False, {"learning_rate": 0.01}),
        (1.0, False, {"learning_rate": 0.02, "epsilon": 0.1}),
        (1.0, False, {"learning_rate": _rate(rng, 0.001, 0.1)}),
    ]
    if with_beta:
        settings[1][2]["beta"] = 0.8
        settings[4][2]["beta"] = _rate(rng, 0.5, 0.99)
    out = []
    for d, (scale, zero, kw) in zip(dims, settings):
        p = params_for(rng, d)
        if zero:
            s = {k: np.zeros_like(a) for k, a in like(rng, p).items()}
        elif with_beta:  # RMSProp: an average of squared gradients (here of 10 earlier ones)
            earlier = [like(rng, p, scale, squared=True) for _ in range(10)]
            s = {k: sum(step[k] for step in earlier) / 10 for k in earlier[0]}
        else:  # Adagrad: the sum of the squared gradients of earlier steps (here 10 of them)
            earlier = [like(rng, p, scale, squared=True) for _ in range(10)]
            s = {k: sum(step[k] for step in earlier) for k in earlier[0]}
        what = "zero s" if zero else ("tiny gradients (~1e-6)" if scale < 1 else "non-zero s")
        args = ", ".join(f"{k} = {val}" for k, val in kw.items()) or "default hyperparameters"
        out.append(Case(f"{_describe(d)}, {what}, {args}", (p, like(rng, p, scale), s), kw))
    return out


def cases_rmsprop(rng) -> list[Case]:
    return _accumulator_cases(rng, with_beta=True)


def cases_adagrad(rng) -> list[Case]:
    return _accumulator_cases(rng, with_beta=False)


# ----------------------------------------------------------------------------- mini-batches
def cases_mini_batches(rng) -> list[Case]:
    """Every case draws through the scripted numpy of :mod:`.draws` (bound as ``np``), with ``rng``
    left at None; one case leaves ``mini_batch_size`` at its default (64)."""
    m_big = int(rng.integers(130, 190))
    shapes = [  # (n_x, n_y, m, mini_batch_size or None for the default)
        (3, 1, 10, 4), (2, 1, 8, 4), (1, 1, 1, 64), (4, 1, 7, 1), (2, 1, 20, 20), (2, 1, 20, 1),
        (1, 2, 9, 4), (3, 1, 5, 8), (int(rng.integers(2, 5)), 1, m_big, None),
    ]
    out = []
    for n_x, n_y, m, size in shapes:
        X = rng.normal(0.0, 1.0, (n_x, m))
        if n_y == 1:
            Y = rng.integers(0, 2, (1, m)).astype(float)
        else:  # one-hot labels: two rows
            Y = np.eye(n_y)[:, rng.integers(0, n_y, m)]
        bind = bind_for(case_seed(X, Y, 64 if size is None else size))
        label = f"n_x = {n_x}, Y with {n_y} row{'s' if n_y > 1 else ''}, m = {m}, "
        if size is None:
            out.append(Case(label + "mini_batch_size left at its default", (X, Y), bind=bind))
        else:
            out.append(Case(label + f"mini_batch_size = {size}", (X, Y, size), bind=bind))
    return out


# ----------------------------------------------------------------------------- schedules
def cases_update_lr(rng) -> list[Case]:
    settings = [(0.1, 0, 1.0), (0.1, 1, 1.0), (0.5, 7, 0.3), (0.01, 1000, 0.01), (0.2, 3, 0.0),
                (_rate(rng, 0.01, 1.0), int(rng.integers(2, 50)), _rate(rng, 0.05, 2.0))]
    return [Case(f"learning_rate0 = {lr0}, epoch_num = {e}, decay_rate = {d}", (lr0, e, d)) for lr0, e, d in settings]


def cases_schedule_lr_decay(rng) -> list[Case]:
    out = []
    for lr0, e, d, interval in [(0.1, 0, 1.0, 10), (0.1, 9, 1.0, 10), (0.1, 10, 1.0, 10), (0.3, 25, 0.5, 10),
                                (0.5, 999, 0.3, None), (0.5, 1000, 0.3, None), (0.5, 2500, 0.3, None),
                                (0.05, 7, 2.0, 1), (_rate(rng, 0.01, 1.0), int(rng.integers(100, 400)),
                                                    _rate(rng, 0.1, 2.0), int(rng.integers(20, 60)))]:
        label = f"learning_rate0 = {lr0}, epoch_num = {e}, decay_rate = {d}"
        if interval is None:
            out.append(Case(label + ", time_interval left at its default", (lr0, e, d)))
        else:
            out.append(Case(label + f", time_interval = {interval}", (lr0, e, d, interval)))
    return out


def cases_warmup(rng) -> list[Case]:
    w = int(rng.integers(6, 30))
    settings = [(0.1, 0, 5), (0.1, 4, 5), (0.1, 5, 5), (0.1, 2, 5), (0.1, 12, 5), (0.3, 0, 1), (0.3, 3, 1),
                (_rate(rng, 0.01, 1.0), w - 1, w), (_rate(rng, 0.01, 1.0), w, w),
                (_rate(rng, 0.01, 1.0), int(rng.integers(1, w - 1)), w)]
    return [Case(f"learning_rate0 = {lr0}, step = {s}, warmup_steps = {n}", (lr0, s, n)) for lr0, s, n in settings]
