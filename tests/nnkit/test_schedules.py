"""Learning-rate schedules at their boundaries, and argument checks."""

from __future__ import annotations

import numpy as np
import pytest

from nnkit.schedules import constant, exponential_decay, inverse_time_decay, stepwise_inverse_time, warmup_then

STARTING_AT_LR0 = [
    lambda: constant(0.3),
    lambda: inverse_time_decay(0.3, 0.5),
    lambda: stepwise_inverse_time(0.3, 0.5, time_interval=10),
    lambda: exponential_decay(0.3, 0.9),
]
ALL = STARTING_AT_LR0 + [lambda: warmup_then(0.3, 5)]
IDS = ["constant", "inverse_time", "stepwise", "exponential"]


@pytest.mark.parametrize("make", STARTING_AT_LR0, ids=IDS)
def test_step_zero_is_lr0(make):
    assert make()(0) == 0.3


def test_constant():
    s = constant(0.25)
    assert [s(t) for t in (0, 1, 1000)] == [0.25, 0.25, 0.25]


def test_inverse_time_decay_values():
    s = inverse_time_decay(0.5, 0.1)
    assert s(1) == pytest.approx(0.5 / 1.1, rel=1e-15)
    assert s(10) == pytest.approx(0.25, rel=1e-15)
    assert inverse_time_decay(0.5, 0.0)(100) == 0.5
    values = [s(t) for t in range(50)]
    assert all(a > b for a, b in zip(values, values[1:]))


def test_stepwise_inverse_time_is_flat_then_drops_at_multiples():
    s = stepwise_inverse_time(1.0, 1.0, time_interval=10)
    assert {s(t) for t in range(10)} == {1.0}
    assert s(9) == 1.0 and s(10) == 0.5  # drops exactly at time_interval
    assert {s(t) for t in range(10, 20)} == {0.5}
    assert s(19) == 0.5 and s(20) == pytest.approx(1 / 3, rel=1e-15)
    assert stepwise_inverse_time(1.0, 1.0)(999) == 1.0 and stepwise_inverse_time(1.0, 1.0)(1000) == 0.5


def test_exponential_decay_values():
    s = exponential_decay(0.2, 0.5)
    assert [s(t) for t in range(4)] == pytest.approx([0.2, 0.1, 0.05, 0.025], rel=1e-15)
    assert exponential_decay(0.2, 1.0)(50) == 0.2


def test_warmup_ramps_linearly_then_hands_over():
    calls = []

    def after(step):
        calls.append(step)
        return 0.1 / (1 + step)

    s = warmup_then(0.1, 4, after=after)
    ramp = [s(t) for t in range(4)]
    assert ramp == pytest.approx([0.025, 0.05, 0.075, 0.1], rel=1e-15)
    assert np.allclose(np.diff(ramp), 0.025)  # linear
    assert s(3) == 0.1  # reaches lr_peak at warmup_steps - 1
    assert calls == []  # `after` is not consulted during warm-up
    assert s(4) == 0.1 and calls == [0]  # step warmup_steps is after(0)
    assert s(5) == pytest.approx(0.05) and calls == [0, 1]


def test_warmup_default_after_is_constant_peak():
    s = warmup_then(0.2, 2)
    assert [s(t) for t in range(5)] == pytest.approx([0.1, 0.2, 0.2, 0.2, 0.2], rel=1e-15)
    assert warmup_then(0.2, 1)(0) == 0.2  # one warm-up step: already at the peak


def test_warmup_then_decay():
    s = warmup_then(0.1, 3, after=inverse_time_decay(0.1, 1.0))
    assert s(3) == 0.1 and s(4) == pytest.approx(0.05)


@pytest.mark.parametrize("make", ALL, ids=IDS + ["warmup"])
@pytest.mark.parametrize("bad_step, error", [(-1, ValueError), (1.5, TypeError), (2.0, TypeError),
                                             (True, TypeError), ("3", TypeError), (None, TypeError)])
def test_bad_step(make, bad_step, error):
    with pytest.raises(error, match="step must be an int >= 0"):
        make()(bad_step)


@pytest.mark.parametrize("make", ALL, ids=IDS + ["warmup"])
def test_numpy_int_step_is_accepted(make):
    s = make()
    assert s(np.int64(7)) == s(7)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: constant(0), "lr0"),
        (lambda: constant(-0.1), "lr0"),
        (lambda: inverse_time_decay(0, 0.1), "lr0"),
        (lambda: inverse_time_decay(0.1, -0.1), "decay_rate"),
        (lambda: stepwise_inverse_time(0.1, -1.0), "decay_rate"),
        (lambda: stepwise_inverse_time(0.1, 0.1, time_interval=0), "time_interval"),
        (lambda: exponential_decay(0.1, 0.0), "decay_rate"),
        (lambda: exponential_decay(0.1, 1.5), "decay_rate"),
        (lambda: exponential_decay(-1, 0.5), "lr0"),
        (lambda: warmup_then(0, 5), "lr_peak"),
        (lambda: warmup_then(0.1, 0), "warmup_steps"),
    ],
)
def test_bad_hyperparameters(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize("call", [lambda: constant("0.1"), lambda: inverse_time_decay(0.1, None),
                                  lambda: stepwise_inverse_time(0.1, 0.1, time_interval=2.5),
                                  lambda: warmup_then(0.1, 2.0)])
def test_non_numeric_hyperparameters(call):
    with pytest.raises(TypeError):
        call()


def test_warmup_after_must_be_callable():
    with pytest.raises(TypeError, match="after"):
        warmup_then(0.1, 3, after=0.05)
