"""Known mistakes in the learning-rate schedules: each the formula of the notebook with one thing changed.

Most are operator-precedence slips (``lr0 / 1 + decay_rate * epoch``), off-by-one steps and
integer divisions, which are the schedule bugs students really write.
"""

from __future__ import annotations

import math


# ----------------------------------------------------------------------------- update_lr
def update_lr_precedence(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / 1 + decay_rate * epoch_num


def update_lr_divides_whole(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate) * epoch_num


def update_lr_no_one(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (decay_rate * epoch_num)


def update_lr_epochs_from_one(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * (epoch_num + 1))


def update_lr_multiplies(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * (1 + decay_rate * epoch_num)


def update_lr_exponential(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * math.exp(-decay_rate * epoch_num)


def update_lr_compound(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate) ** epoch_num


# ----------------------------------------------------------------------------- schedule_lr_decay
def schedule_no_floor(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)


def schedule_precedence(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num // time_interval)


def schedule_ceil(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * math.ceil(epoch_num / time_interval))


def schedule_modulo(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num % time_interval))


def schedule_ignores_interval(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num // 1000))


def schedule_every_epoch(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num)


# ----------------------------------------------------------------------------- warmup_lr
def warmup_no_plus_one(learning_rate0, step, warmup_steps):
    return learning_rate0 * step / warmup_steps if step < warmup_steps else learning_rate0


def warmup_inclusive_boundary(learning_rate0, step, warmup_steps):
    return learning_rate0 * (step + 1) / warmup_steps if step <= warmup_steps else learning_rate0


def warmup_never_stops(learning_rate0, step, warmup_steps):
    return learning_rate0 * (step + 1) / warmup_steps


def warmup_integer_division(learning_rate0, step, warmup_steps):
    return learning_rate0 * ((step + 1) // warmup_steps) if step < warmup_steps else learning_rate0


def warmup_divides_by_steps_minus_one(learning_rate0, step, warmup_steps):
    if step < warmup_steps:
        return learning_rate0 * step / (warmup_steps - 1)
    return learning_rate0
