"""Assignment 4's reference functions, with the notebook's exact signatures: thin adapters over nnkit.

The maths lives in :mod:`nnkit.optim` (pure ``init``/``update`` optimizers), :mod:`nnkit.schedules`
(learning rates as functions of the step) and :mod:`nnkit.data` (mini-batches). The notebook's
functions keep their state in dicts keyed like the gradients (``dW1, db1, ...``) and take the step
count ``t`` explicitly, so each adapter only translates: it builds the nnkit optimizer with the
hyperparameters, wraps the notebook's state dicts into nnkit's typed state (keys ``W1, b1, ...``),
makes one checked update, and translates back. Nothing is modified in place; every dict returned is
new, and the initializers return fresh arrays (Adam's ``v`` and ``s`` share no memory).

This module is imported inside the grading sandbox by ``"module:qualname"``: it imports only numpy
and nnkit.
"""

from __future__ import annotations

import numpy as np

from nnkit import optim, schedules
from nnkit.data import random_mini_batches as _nnkit_mini_batches

__all__ = [
    "update_parameters_with_gd",
    "random_mini_batches",
    "initialize_velocity",
    "update_parameters_with_momentum",
    "update_parameters_with_heavy_ball",
    "initialize_adam",
    "update_parameters_with_adam",
    "initialize_rmsprop",
    "update_parameters_with_rmsprop",
    "update_parameters_with_adagrad",
    "update_lr",
    "schedule_lr_decay",
    "warmup_lr",
]


# ----------------------------------------------------------------------------- key translation
def _by_param(parameters: dict, state: dict) -> dict:
    """The notebook's state ``{"dW1": ...}`` as nnkit's ``{"W1": ...}``, in the parameters' order."""
    return {k: state["d" + k] for k in parameters}


def _by_grad(state: dict) -> dict:
    """nnkit's per-parameter state ``{"W1": ...}`` as the notebook's ``{"dW1": ...}``."""
    return {"d" + k: a for k, a in state.items()}


def _fresh_zeros(parameters: dict, opt: optim.Optimizer) -> list[dict]:
    """Every per-parameter dict of ``opt.init(parameters)``, with keys ``dW1, ...`` and fresh arrays."""
    state = opt.init(parameters)
    dicts = [d for d in state[1:] if isinstance(d, dict)]
    return [{"d" + k: np.array(a, dtype=float) for k, a in d.items()} for d in dicts]


def _step(opt: optim.Optimizer, parameters: dict, grads: dict, state) -> tuple[dict, tuple]:
    """One checked update: the new parameters and nnkit's new state."""
    updates, new_state = opt.update(grads, state, parameters)
    return optim.apply_updates(parameters, updates), new_state


# ----------------------------------------------------------------------------- gradient descent
def update_parameters_with_gd(parameters, grads, learning_rate):
    """One step of gradient descent: ``W[l] = W[l] - learning_rate * dW[l]`` (and b).

    Parameters
    ----------
    parameters : dict ``W1 (n_1, n_0), b1 (n_1, 1), ..., WL, bL``
    grads : dict ``dW1, db1, ...``, each of its parameter's shape
    learning_rate : float > 0

    Returns
    -------
    parameters : a new dict with the same keys and shapes
    """
    opt = optim.sgd(learning_rate)
    return _step(opt, parameters, grads, opt.init(parameters))[0]


def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    """Shuffle the columns of ``X`` and ``Y`` with one permutation and cut them into mini-batches.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (n_y, m)
    mini_batch_size : int >= 1
    rng : numpy.random.Generator or None
        The only source of randomness; None means ``np.random.default_rng()``.

    Returns
    -------
    list of (X_batch (n_x, b), Y_batch (n_y, b))
        ``floor(m / mini_batch_size)`` batches of ``mini_batch_size`` columns, then one batch of the
        ``m % mini_batch_size`` remaining columns when that is not zero.
    """
    if rng is None:
        rng = np.random.default_rng()
    return _nnkit_mini_batches(X, Y, mini_batch_size, rng=rng)


# ----------------------------------------------------------------------------- momentum
def initialize_velocity(parameters):
    """The momentum velocity ``v``: zeros shaped like each parameter, keyed ``dW1, db1, ...``.

    Parameters
    ----------
    parameters : dict ``W1 (n_1, n_0), b1 (n_1, 1), ...``

    Returns
    -------
    v : dict ``dW1, db1, ...`` of fresh zero arrays, each of its parameter's shape
    """
    return _fresh_zeros(parameters, optim.momentum())[0]


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """Momentum as an exponentially weighted average (seed 001):
    ``v = beta v + (1 - beta) dW``, then ``W = W - learning_rate * v`` (and the same for b).

    Parameters
    ----------
    parameters : dict ``W1 (n_1, n_0), b1 (n_1, 1), ...``
    grads : dict ``dW1, db1, ...``
    v : dict ``dW1, db1, ...``, the velocity of the previous step
    beta : float in [0, 1)
    learning_rate : float > 0

    Returns
    -------
    parameters, v : new dicts (the inputs are not modified)
    """
    opt = optim.momentum(learning_rate, beta, form="ema")
    params, state = _step(opt, parameters, grads, optim.MomentumState(0, _by_param(parameters, v)))
    return params, _by_grad(state.velocity)


def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    """Momentum in the heavy-ball form (seed 003): ``m = momentum * m - learning_rate * dW``, then
    ``W = W + m`` (and the same for b).

    Parameters
    ----------
    parameters : dict ``W1 (n_1, n_0), b1 (n_1, 1), ...``
    grads : dict ``dW1, db1, ...``
    m : dict ``dW1, db1, ...``, the movement of the previous step
    momentum : float in [0, 1)
    learning_rate : float > 0

    Returns
    -------
    parameters, m : new dicts (the inputs are not modified)
    """
    opt = optim.momentum(learning_rate, momentum, form="classical")
    params, state = _step(opt, parameters, grads, optim.MomentumState(0, _by_param(parameters, m)))
    return params, _by_grad(state.velocity)


# ----------------------------------------------------------------------------- Adam
def initialize_adam(parameters):
    """Adam's first and second moments ``v`` and ``s``: zeros shaped like each parameter.

    Parameters
    ----------
    parameters : dict ``W1 (n_1, n_0), b1 (n_1, 1), ...``

    Returns
    -------
    v, s : two dicts ``dW1, db1, ...`` of fresh zero arrays (no array shared between them)
    """
    v, s = _fresh_zeros(parameters, optim.adam())
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    """One step of Adam (Algorithm 1 of Kingma & Ba):

    ``v = beta1 v + (1 - beta1) dW``, ``s = beta2 s + (1 - beta2) dW^2``,
    ``v_corrected = v / (1 - beta1^t)``, ``s_corrected = s / (1 - beta2^t)``,
    ``W = W - learning_rate * v_corrected / (sqrt(s_corrected) + epsilon)`` (and the same for b).

    Parameters
    ----------
    parameters : dict ``W1 (n_1, n_0), b1 (n_1, 1), ...``
    grads, v, s : dicts ``dW1, db1, ...``, each of its parameter's shape
    t : int >= 1, the number of this step (1 for the first update)
    learning_rate, beta1, beta2, epsilon : floats

    Returns
    -------
    parameters, v, s, v_corrected, s_corrected : new dicts (the inputs are not modified)
    """
    opt = optim.adam(learning_rate, beta1, beta2, epsilon)
    state = optim.AdamState(t - 1, _by_param(parameters, v), _by_param(parameters, s))
    params, new = _step(opt, parameters, grads, state)
    # The corrected moments are not part of nnkit's state (it folds them into the step); they are
    # returned here so the notebook can show them.
    v_corrected = {"d" + k: a / (1.0 - beta1**t) for k, a in new.m.items()}
    s_corrected = {"d" + k: a / (1.0 - beta2**t) for k, a in new.v.items()}
    return params, _by_grad(new.m), _by_grad(new.v), v_corrected, s_corrected


# ----------------------------------------------------------------------------- RMSProp and Adagrad
def initialize_rmsprop(parameters):
    """The accumulator ``s`` of RMSProp (and Adagrad): zeros shaped like each parameter.

    Parameters
    ----------
    parameters : dict ``W1 (n_1, n_0), b1 (n_1, 1), ...``

    Returns
    -------
    s : dict ``dW1, db1, ...`` of fresh zero arrays
    """
    return _fresh_zeros(parameters, optim.rmsprop())[0]


def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    """One step of RMSProp: ``s = beta s + (1 - beta) dW^2``, ``W = W - learning_rate * dW / (sqrt(s) + epsilon)``.

    Parameters
    ----------
    parameters : dict ``W1 (n_1, n_0), b1 (n_1, 1), ...``
    grads, s : dicts ``dW1, db1, ...``
    learning_rate, beta, epsilon : floats

    Returns
    -------
    parameters, s : new dicts (the inputs are not modified)
    """
    opt = optim.rmsprop(learning_rate, beta, epsilon)
    params, state = _step(opt, parameters, grads, optim.AccumulatorState(0, _by_param(parameters, s)))
    return params, _by_grad(state.accumulator)


def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    """One step of Adagrad: ``s = s + dW^2``, ``W = W - learning_rate * dW / (sqrt(s) + epsilon)``.

    Parameters
    ----------
    parameters : dict ``W1 (n_1, n_0), b1 (n_1, 1), ...``
    grads, s : dicts ``dW1, db1, ...``; ``s`` is the sum of all past squared gradients
    learning_rate, epsilon : floats

    Returns
    -------
    parameters, s : new dicts (the inputs are not modified)
    """
    opt = optim.adagrad(learning_rate, epsilon)
    params, state = _step(opt, parameters, grads, optim.AccumulatorState(0, _by_param(parameters, s)))
    return params, _by_grad(state.accumulator)


# ----------------------------------------------------------------------------- schedules
def update_lr(learning_rate0, epoch_num, decay_rate):
    """Inverse-time decay: ``learning_rate0 / (1 + decay_rate * epoch_num)``.

    Parameters
    ----------
    learning_rate0 : float > 0
    epoch_num : int >= 0
    decay_rate : float >= 0

    Returns
    -------
    learning_rate : float
    """
    return float(schedules.inverse_time_decay(learning_rate0, decay_rate)(epoch_num))


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """Inverse-time decay applied every ``time_interval`` epochs:
    ``learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))``.

    Parameters
    ----------
    learning_rate0 : float > 0
    epoch_num : int >= 0
    decay_rate : float >= 0
    time_interval : int >= 1

    Returns
    -------
    learning_rate : float
    """
    return float(schedules.stepwise_inverse_time(learning_rate0, decay_rate, time_interval)(epoch_num))


def warmup_lr(learning_rate0, step, warmup_steps):
    """Linear warm-up: ``learning_rate0 * (step + 1) / warmup_steps`` while ``step < warmup_steps``,
    then ``learning_rate0`` (steps count from 0).

    Parameters
    ----------
    learning_rate0 : float > 0
    step : int >= 0
    warmup_steps : int >= 1

    Returns
    -------
    learning_rate : float
    """
    return float(schedules.warmup_then(learning_rate0, warmup_steps)(step))
