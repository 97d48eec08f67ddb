"""Learning-rate schedules: plain functions of the step (an epoch or an update count).

Each constructor validates its hyperparameters once and returns ``schedule(step) -> float``, which
can be passed anywhere a learning rate is accepted (:mod:`nnkit.optim`). ``step`` counts from 0.

==========================  ===================================================================
``constant(lr0)``           ``lr0``
``inverse_time_decay``      ``lr0 / (1 + decay_rate * step)``
``stepwise_inverse_time``   ``lr0 / (1 + decay_rate * floor(step / time_interval))``
``exponential_decay``       ``lr0 * decay_rate ** step``          (``0 < decay_rate <= 1``)
``warmup_then``             linear ramp ``lr_peak * (step + 1) / warmup_steps`` for the first
                            ``warmup_steps`` steps, then ``after(step - warmup_steps)``
==========================  ===================================================================
"""

from __future__ import annotations

from typing import Callable

from nnkit._checks import check_int, check_positive, check_probability

__all__ = ["constant", "inverse_time_decay", "stepwise_inverse_time", "exponential_decay", "warmup_then"]

Schedule = Callable[[int], float]


def _step(step) -> int:
    """The step (an epoch or an update count, from 0) as an int."""
    return check_int("step", step, minimum=0)


def constant(lr0: float) -> Schedule:
    """``lr(step) = lr0``."""
    lr0 = check_positive("lr0", lr0)
    return lambda step: (_step(step), lr0)[1]


def inverse_time_decay(lr0: float, decay_rate: float) -> Schedule:
    """``lr(step) = lr0 / (1 + decay_rate * step)`` (the notebooks' ``update_lr``)."""
    lr0 = check_positive("lr0", lr0)
    decay_rate = check_positive("decay_rate", decay_rate, allow_zero=True)
    return lambda step: lr0 / (1.0 + decay_rate * _step(step))


def stepwise_inverse_time(lr0: float, decay_rate: float, time_interval: int = 1000) -> Schedule:
    """``lr(step) = lr0 / (1 + decay_rate * floor(step / time_interval))`` (``schedule_lr_decay``):
    the rate stays flat for ``time_interval`` steps, then drops."""
    lr0 = check_positive("lr0", lr0)
    decay_rate = check_positive("decay_rate", decay_rate, allow_zero=True)
    time_interval = check_int("time_interval", time_interval, minimum=1)
    return lambda step: lr0 / (1.0 + decay_rate * (_step(step) // time_interval))


def exponential_decay(lr0: float, decay_rate: float) -> Schedule:
    """``lr(step) = lr0 * decay_rate ** step`` with ``decay_rate`` in (0, 1]."""
    lr0 = check_positive("lr0", lr0)
    decay_rate = check_probability("decay_rate", decay_rate)
    return lambda step: lr0 * decay_rate ** _step(step)


def warmup_then(lr_peak: float, warmup_steps: int, after: Schedule | None = None) -> Schedule:
    """Linear warm-up to ``lr_peak`` over ``warmup_steps`` steps, then ``after(step - warmup_steps)``.

    During warm-up ``lr(step) = lr_peak * (step + 1) / warmup_steps``, so the first step is already
    non-zero and step ``warmup_steps - 1`` reaches ``lr_peak``. ``after`` defaults to the constant
    ``lr_peak``; for warm-up then decay, pass e.g. ``inverse_time_decay(lr_peak, 0.01)``.
    """
    lr_peak = check_positive("lr_peak", lr_peak)
    warmup_steps = check_int("warmup_steps", warmup_steps, minimum=1)
    if after is None:
        after = constant(lr_peak)
    elif not callable(after):
        raise TypeError(f"after must be a schedule (a function of the step), got {type(after).__name__}.")

    def schedule(step):
        step = _step(step)
        if step < warmup_steps:
            return lr_peak * (step + 1) / warmup_steps
        return after(step - warmup_steps)

    return schedule
