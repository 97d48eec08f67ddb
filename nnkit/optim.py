"""Optimizers as pure ``init`` / ``update`` pairs (the optax design).

An optimizer is built once from its hyperparameters, e.g. ``opt = adam(learning_rate=0.001)``;
then ``state = opt.init(params)`` and, every step, ``updates, state = opt.update(grads, state)``
followed by ``params = apply_updates(params, updates)``. Nothing is modified in place: params,
grads and state are never mutated, so any step can be replayed or compared.

``params`` use the keys ``W1, b1, ...``; ``grads`` the same keys prefixed with ``d``; ``updates``
and the per-parameter state use the parameter keys. ``learning_rate`` is a positive float or a
schedule ``step -> float`` (:mod:`nnkit.schedules`), called with the number of updates done so far.

=============  ===========================================================  ==============
optimizer      update of a parameter ``theta`` with gradient ``g``           notes
=============  ===========================================================  ==============
``sgd``        ``theta -= lr g``                                             plain GD
``momentum``   ``v = beta v + (1 - beta) g;  theta -= lr v``                  ``form="ema"`` (seed 001)
               ``v = beta v - lr g;          theta += v``                     ``form="classical"`` (seed 003)
``adagrad``    ``G += g^2;  theta -= lr g / (sqrt(G) + eps)``
``rmsprop``    ``s = beta s + (1 - beta) g^2;  theta -= lr g / (sqrt(s) + eps)``
``adam``       ``m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;`` ``t += 1``    Algorithm 1 of
               ``theta -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)``  Kingma & Ba
=============  ===========================================================  ==============

Seed 001 divides Adam's second moment by ``1 - beta1^t``: that is an erratum; it is ``1 - beta2^t``.
Both momentum forms are gradient descent when ``beta = 0``; with a constant rate the classical
velocity equals ``lr / (1 - beta)`` times the EMA one at steady state, so the two differ by a rescaled
learning rate.
"""

from __future__ import annotations

from typing import Callable, Mapping, NamedTuple

import numpy as np

from nnkit._checks import check_choice, check_positive, check_probability

__all__ = [
    "Optimizer",
    "apply_updates",
    "sgd",
    "momentum",
    "adagrad",
    "rmsprop",
    "adam",
    "OPTIMIZERS",
    "get_optimizer",
]


class Optimizer(NamedTuple):
    """A pair of pure functions plus a readable description of its hyperparameters.

    ``init(params) -> state``; ``update(grads, state) -> (updates, new_state)``.
    """

    init: Callable
    update: Callable
    name: str
    hyperparams: dict

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparams.items())
        return f"{self.name}({args})"


class SGDState(NamedTuple):
    count: int
    keys: tuple  # the parameter keys, in order


class MomentumState(NamedTuple):
    count: int
    velocity: dict


class AccumulatorState(NamedTuple):
    """For Adagrad (sum of squared gradients) and RMSProp (their moving average)."""

    count: int
    accumulator: dict


class AdamState(NamedTuple):
    count: int  # t, the number of updates done so far
    m: dict  # first moment (``v`` in the notebooks)
    v: dict  # second moment (``s`` in the notebooks)


def apply_updates(params: Mapping[str, np.ndarray], updates: Mapping[str, np.ndarray]) -> dict:
    """Return a new dict ``params[k] + updates[k]`` for every key (inputs untouched)."""
    return {k: p + updates[k] if k in updates else p for k, p in params.items()}


def _rate(learning_rate):
    """Validate a learning rate (positive float or schedule) and return ``step -> float``."""
    if callable(learning_rate):
        return learning_rate
    lr = check_positive("learning_rate", learning_rate)
    return lambda step: lr


def _grad_items(grads: Mapping[str, np.ndarray], keys):
    try:
        return [(k, grads["d" + k]) for k in keys]
    except KeyError as exc:
        raise KeyError(
            f"grads has no {exc.args[0]!r}: the optimizer was initialized with parameters {list(keys)} "
            f"and expects gradients named 'd' + key; got {sorted(grads)}."
        ) from None


def _zeros_like(params) -> dict:
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict of arrays, got {type(params).__name__}.")
    return {k: np.zeros_like(np.asarray(v, dtype=float)) for k, v in params.items()}


def sgd(learning_rate=0.01) -> Optimizer:
    """Gradient descent: ``theta -= lr g``."""
    rate = _rate(learning_rate)

    def init(params):
        return SGDState(0, tuple(_zeros_like(params)))

    def update(grads, state):
        lr = rate(state.count)
        return {k: -lr * g for k, g in _grad_items(grads, state.keys)}, SGDState(state.count + 1, state.keys)

    return Optimizer(init, update, "sgd", {"learning_rate": learning_rate})


def momentum(learning_rate=0.01, beta=0.9, form="ema") -> Optimizer:
    """Momentum: ``form="ema"`` keeps ``v = beta v + (1 - beta) g`` and steps ``-lr v`` (seed 001);
    ``form="classical"`` keeps ``v = beta v - lr g`` and steps ``+v`` (seed 003, ``m = lambda m - eta g``)."""
    rate = _rate(learning_rate)
    beta = check_probability("beta", beta, low_open=False, high_open=True)
    check_choice("momentum form", form, ("ema", "classical"))

    def init(params):
        return MomentumState(0, _zeros_like(params))

    def update(grads, state):
        lr = rate(state.count)
        items = _grad_items(grads, state.velocity)
        vel = state.velocity
        if form == "ema":
            new_v = {k: beta * vel[k] + (1.0 - beta) * g for k, g in items}
            updates = {k: -lr * v for k, v in new_v.items()}
        else:
            new_v = {k: beta * vel[k] - lr * g for k, g in items}
            updates = new_v
        return updates, MomentumState(state.count + 1, new_v)

    return Optimizer(init, update, "momentum", {"learning_rate": learning_rate, "beta": beta, "form": form})


def adagrad(learning_rate=0.01, eps=1e-8) -> Optimizer:
    """Adagrad: ``G += g^2``, ``theta -= lr g / (sqrt(G) + eps)``.

    Seed 003 writes it as ``theta -= eta_t / sigma_t g`` with ``eta_t = eta / sqrt(t + 1)`` and
    ``sigma_t`` the root mean square of all past gradients; the ``sqrt(t + 1)`` cancel, giving this form.
    """
    rate = _rate(learning_rate)
    eps = check_positive("eps", eps)

    def init(params):
        return AccumulatorState(0, _zeros_like(params))

    def update(grads, state):
        lr = rate(state.count)
        items = _grad_items(grads, state.accumulator)
        acc = {k: state.accumulator[k] + g * g for k, g in items}
        updates = {k: -lr * g / (np.sqrt(acc[k]) + eps) for k, g in items}
        return updates, AccumulatorState(state.count + 1, acc)

    return Optimizer(init, update, "adagrad", {"learning_rate": learning_rate, "eps": eps})


def rmsprop(learning_rate=0.001, beta=0.9, eps=1e-8) -> Optimizer:
    """RMSProp: ``s = beta s + (1 - beta) g^2``, ``theta -= lr g / (sqrt(s) + eps)``
    (seed 003: ``sigma_t^2 = alpha sigma_{t-1}^2 + (1 - alpha) g_t^2`` with ``alpha = beta``)."""
    rate = _rate(learning_rate)
    beta = check_probability("beta", beta, low_open=False, high_open=True)
    eps = check_positive("eps", eps)

    def init(params):
        return AccumulatorState(0, _zeros_like(params))

    def update(grads, state):
        lr = rate(state.count)
        items = _grad_items(grads, state.accumulator)
        acc = {k: beta * state.accumulator[k] + (1.0 - beta) * (g * g) for k, g in items}
        updates = {k: -lr * g / (np.sqrt(acc[k]) + eps) for k, g in items}
        return updates, AccumulatorState(state.count + 1, acc)

    return Optimizer(init, update, "rmsprop", {"learning_rate": learning_rate, "beta": beta, "eps": eps})


def adam(learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8) -> Optimizer:
    """Adam (Kingma & Ba, Algorithm 1), bias-corrected with ``beta1^t`` and ``beta2^t``:

    ``m = beta1 m + (1 - beta1) g``, ``v = beta2 v + (1 - beta2) g^2``,
    ``m_hat = m / (1 - beta1^t)``, ``v_hat = v / (1 - beta2^t)``,
    ``theta -= lr m_hat / (sqrt(v_hat) + eps)``. The first step is about ``-lr sign(g)``.
    """
    rate = _rate(learning_rate)
    beta1 = check_probability("beta1", beta1, low_open=False, high_open=True)
    beta2 = check_probability("beta2", beta2, low_open=False, high_open=True)
    eps = check_positive("eps", eps)

    def init(params):
        zeros = _zeros_like(params)
        return AdamState(0, zeros, dict(zeros))

    def update(grads, state):
        t = state.count + 1
        lr = rate(state.count)
        c1 = 1.0 / (1.0 - beta1**t)
        c2 = 1.0 / (1.0 - beta2**t)
        m, v, updates = {}, {}, {}
        for k, g in _grad_items(grads, state.m):
            m[k] = beta1 * state.m[k] + (1.0 - beta1) * g
            v[k] = beta2 * state.v[k] + (1.0 - beta2) * (g * g)
            updates[k] = (-lr * c1) * m[k] / (np.sqrt(v[k] * c2) + eps)
        return updates, AdamState(t, m, v)

    return Optimizer(init, update, "adam",
                     {"learning_rate": learning_rate, "beta1": beta1, "beta2": beta2, "eps": eps})


#: name -> constructor taking the hyperparameters as keywords.
OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": sgd,
    "gd": sgd,
    "momentum": momentum,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
}


def get_optimizer(name: str, **hyperparams) -> Optimizer:
    """Build an optimizer by name, e.g. ``get_optimizer("adam", learning_rate=0.01)``."""
    check_choice("optimizer", name, OPTIMIZERS)
    return OPTIMIZERS[name](**hyperparams)
