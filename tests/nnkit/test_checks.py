"""The boundary helpers of nnkit._checks, and one rule kept by every public function: an integer
argument that is not an integer is a TypeError, an integer out of range a ValueError, and both
messages name the argument, the allowed range and what arrived."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnkit import data, experiments, init, network, plots, regularization, schedules  # noqa: E402
from nnkit._checks import as_rng, check_bool, check_int, check_like, check_number, check_probabilities  # noqa: E402
from nnkit.train import TrainConfig, train  # noqa: E402


# ----------------------------------------------------------------------------- check_int itself
@pytest.mark.parametrize("value", [3, np.int64(3), np.int32(3), np.uint8(3)])
def test_check_int_accepts_python_and_numpy_ints_and_returns_a_python_int(value):
    out = check_int("n", value, minimum=1)
    assert out == 3 and type(out) is int


@pytest.mark.parametrize("value, arrived", [
    (2.5, "float 2.5"), ("3", "str '3'"), (True, "bool True"), (None, "NoneType None"),
    (3.0, "float 3.0"), (np.float64(2.0), "float64 2.0"), (np.array(3), "an array of shape ()"),
])
def test_check_int_refuses_non_integers_with_a_type_error(value, arrived):
    with pytest.raises(TypeError) as info:
        check_int("mini_batch_size", value, minimum=1)
    msg = str(info.value)
    assert msg.startswith("mini_batch_size must be an int >= 1, got ") and arrived in msg


def test_check_int_says_how_to_fix_an_integral_float_and_a_string():
    with pytest.raises(TypeError, match=r"Pass 64, not 64\.0"):
        check_int("mini_batch_size", 64.0)
    with pytest.raises(TypeError, match=r"int\('64'\)"):
        check_int("mini_batch_size", "64")


@pytest.mark.parametrize("value, minimum, maximum, allowed", [
    (0, 1, None, "an int >= 1"),
    (-1, 0, None, "an int >= 0"),
    (10, 0, 9, "an int from 0 to 9"),
    (-1, 0, 9, "an int from 0 to 9"),
    (5, None, 4, "an int <= 4"),
])
def test_check_int_range_errors_are_value_errors(value, minimum, maximum, allowed):
    with pytest.raises(ValueError) as info:
        check_int("k", value, minimum=minimum, maximum=maximum)
    assert str(info.value) == f"k must be {allowed}, got {value}."


def test_check_int_bounds_are_inclusive_and_optional():
    assert check_int("k", 0, minimum=0, maximum=0) == 0
    assert check_int("k", 9, minimum=0, maximum=9) == 9
    assert check_int("k", -10**12, minimum=None) == -10**12


def test_check_bool_and_check_number():
    assert check_bool("flag", np.bool_(True)) is True
    for bad in (0, 1, "no", None):
        with pytest.raises(TypeError, match="flag must be True or False"):
            check_bool("flag", bad)
    assert check_number("c", np.float32(0.5)) == 0.5
    with pytest.raises(TypeError, match="c must be a number"):
        check_number("c", "0.5")
    with pytest.raises(ValueError, match="c must be a finite number"):
        check_number("c", float("inf"))


def test_as_rng_refuses_a_negative_seed_by_name():
    """numpy's own message for default_rng(-1) does not say which argument; ours does."""
    with pytest.raises(ValueError, match=r"rng must be an int >= 0, got -1"):
        as_rng(-1)


@pytest.mark.parametrize("shape, like, phrase", [
    ((4,), (4, 1), "use keepdims=True in np.sum"),
    ((3, 4), (4, 3), "looks transposed: try dW1.T"),
    ((1, 3), (4, 3), "silently broadcast"),
    ((4, 1), (4, 3), "silently broadcast"),
    ((5, 3), (4, 3), "keep the gradient the shape of its parameter."),
])
def test_check_like_names_both_shapes_and_the_likely_fix(shape, like, phrase):
    name = "dW1"
    with pytest.raises(ValueError) as info:
        check_like(name, np.zeros(shape), "W1", like)
    msg = str(info.value)
    assert msg.startswith(f"dW1 has shape {shape} but W1 has shape {like}: keep the gradient the shape of its parameter")
    assert phrase in msg
    check_like(name, np.zeros(like), "W1", like)  # the same shape passes


def test_check_probabilities():
    check_probabilities("A", np.array([[0.0, 0.5, 1.0]]))  # exactly 0 and 1 are probabilities
    with pytest.raises(ValueError, match=r"A must hold probabilities in \[0, 1\], got values outside it such as \[1\.5\]"):
        check_probabilities("A", np.array([[0.2, 1.5]]))
    with pytest.raises(ValueError, match=r"non-finite values such as \[nan\].*smaller learning rate"):
        check_probabilities("A", np.array([[0.2, np.nan]]))


# ----------------------------------------------------------------------------- every integer argument
X2, Y2 = np.zeros((2, 10)), (np.arange(10) % 2).reshape(1, 10).astype(float)
PARAMS = init.initialize_parameters([2, 3, 3, 1], "he", rng=0)


def _image_grid(**kw):
    _, ax = plt.subplots()
    try:
        return plots.plot_image_grid(np.zeros((2, 4, 4)), **kw)
    finally:
        plt.close("all")


def _boundary(resolution):
    try:
        return plots.plot_decision_boundary(lambda P: np.zeros((1, P.shape[1])), X2, Y2, resolution=resolution)
    finally:
        plt.close("all")


# (id, call taking the value, the argument's name in the message, minimum, maximum)
INT_ARGUMENTS = [
    ("make_flower m", lambda v: data.make_flower(v, rng=0), "m", 2, None),
    ("make_flower petals", lambda v: data.make_flower(rng=0, petals=v), "petals", 1, None),
    ("make_moons m", lambda v: data.make_moons(v, rng=0), "m", 2, None),
    ("make_circles m", lambda v: data.make_circles(v, rng=0), "m", 2, None),
    ("make_blobs m", lambda v: data.make_blobs(v, rng=0), "m", 1, None),
    ("make_blobs n_classes", lambda v: data.make_blobs(rng=0, n_classes=v), "n_classes", 2, None),
    ("make_blobs n_features", lambda v: data.make_blobs(rng=0, n_features=v), "n_features", 1, None),
    ("make_gaussian_quantiles m", lambda v: data.make_gaussian_quantiles(v, rng=0), "m", 1, None),
    ("make_gaussian_quantiles n_features", lambda v: data.make_gaussian_quantiles(rng=0, n_features=v),
     "n_features", 1, None),
    ("make_gaussian_quantiles n_classes", lambda v: data.make_gaussian_quantiles(rng=0, n_classes=v),
     "n_classes", 2, None),
    ("make_overfit_set m_train", lambda v: data.make_overfit_set(rng=0, m_train=v), "m_train", 1, None),
    ("make_overfit_set m_test", lambda v: data.make_overfit_set(rng=0, m_test=v), "m_test", 1, None),
    ("load_digits_binary positive", lambda v: data.load_digits_binary(v, 8, rng=0), "positive", 0, 9),
    ("load_digits_binary negative", lambda v: data.load_digits_binary(3, v, rng=0), "negative", 0, 9),
    ("one_hot n_classes", lambda v: data.one_hot([[0.0]], v), "n_classes", 1, None),
    ("random_mini_batches mini_batch_size", lambda v: data.random_mini_batches(X2, Y2, v, rng=0),
     "mini_batch_size", 1, None),
    ("seed of a data set", lambda v: data.make_moons(rng=v), "rng", 0, None),
    ("seed of an initializer", lambda v: init.initialize_parameters([2, 1], "he", rng=v), "rng", 0, None),
    ("initialize_parameters layer size", lambda v: init.initialize_parameters([2, v, 1], "zeros"),
     "layer_dims[1]", 1, None),
    ("stepwise_inverse_time time_interval", lambda v: schedules.stepwise_inverse_time(0.1, 1.0, v),
     "time_interval", 1, None),
    ("warmup_then warmup_steps", lambda v: schedules.warmup_then(0.1, v), "warmup_steps", 1, None),
    ("a schedule's step", lambda v: schedules.inverse_time_decay(0.1, 1.0)(v), "step", 0, None),
    ("a warm-up schedule's step", lambda v: schedules.warmup_then(0.1, 3)(v), "step", 0, None),
    ("l2_cost m", lambda v: regularization.l2_cost(PARAMS, v, 0.1), "m", 1, None),
    ("l2_grads m", lambda v: regularization.l2_grads(PARAMS, v, 0.1), "m", 1, None),
    ("model_forward masks key",
     lambda v: network.model_forward(X2, PARAMS, ["relu", "relu", "sigmoid"], keep_prob=0.5, rng=0,
                                     masks={v: np.ones((3, 10))}), "masks keys", 1, 2),
    ("TrainConfig num_epochs", lambda v: TrainConfig(num_epochs=v), "num_epochs", 1, None),
    ("TrainConfig record_every", lambda v: TrainConfig(record_every=v), "record_every", 1, None),
    ("TrainConfig mini_batch_size", lambda v: TrainConfig(mini_batch_size=v), "mini_batch_size", 1, None),
    ("train num_epochs", lambda v: train(X2, Y2, [2, 1], rng=0, num_epochs=v), "num_epochs", 1, None),
    ("train record_every", lambda v: train(X2, Y2, [2, 1], rng=0, num_epochs=1, record_every=v),
     "record_every", 1, None),
    ("train mini_batch_size", lambda v: train(X2, Y2, [2, 1], rng=0, num_epochs=1, mini_batch_size=v),
     "mini_batch_size", 1, None),
    ("train layer size", lambda v: train(X2, Y2, [2, v, 1], rng=0, num_epochs=1), "layer_dims[1]", 1, None),
    ("train seed", lambda v: train(X2, Y2, [2, 1], rng=v, num_epochs=1), "rng", 0, None),
    ("initialization_experiment seed", lambda v: experiments.initialization_experiment(v), "seed", 0, None),
    ("initialization_experiment num_iterations",
     lambda v: experiments.initialization_experiment(num_iterations=v), "num_iterations", 1, None),
    ("initialization_experiment record_every",
     lambda v: experiments.initialization_experiment(record_every=v), "record_every", 1, None),
    ("regularization_experiment seed", lambda v: experiments.regularization_experiment(v), "seed", 0, None),
    ("regularization_experiment num_iterations",
     lambda v: experiments.regularization_experiment(num_iterations=v), "num_iterations", 1, None),
    ("regularization_experiment record_every",
     lambda v: experiments.regularization_experiment(record_every=v), "record_every", 1, None),
    ("optimizer_experiment seed", lambda v: experiments.optimizer_experiment(v), "seed", 0, None),
    ("optimizer_experiment num_epochs", lambda v: experiments.optimizer_experiment(num_epochs=v),
     "num_epochs", 1, None),
    ("optimizer_experiment record_every", lambda v: experiments.optimizer_experiment(record_every=v),
     "record_every", 1, None),
    ("run_all seed", lambda v: experiments.run_all(v), "seed", 0, None),
    ("plot_decision_boundary resolution", _boundary, "resolution", 2, None),
    ("plot_image_grid ncols", lambda v: _image_grid(ncols=v), "ncols", 1, None),
    ("plot_image_grid max_images", lambda v: _image_grid(max_images=v), "max_images", 1, None),
]
IDS = [entry[0] for entry in INT_ARGUMENTS]


@pytest.mark.parametrize("bad", [2.5, "3", True], ids=["float", "str", "bool"])
@pytest.mark.parametrize("label, call, name, minimum, maximum", INT_ARGUMENTS, ids=IDS)
def test_a_non_integer_is_a_type_error_everywhere(label, call, name, minimum, maximum, bad):
    with pytest.raises(TypeError) as info:
        call(bad)
    msg = str(info.value)
    assert msg.startswith(f"{name} must be "), msg
    assert "int" in msg and repr(bad) in msg


@pytest.mark.parametrize("label, call, name, minimum, maximum", INT_ARGUMENTS, ids=IDS)
def test_an_integer_out_of_range_is_a_value_error_everywhere(label, call, name, minimum, maximum):
    bad_values = {minimum - 1, -1} if minimum > 0 else {minimum - 1}
    if maximum is not None:
        bad_values.add(maximum + 1)
    for bad in sorted(bad_values):
        with pytest.raises(ValueError) as info:
            call(bad)
        msg = str(info.value)
        assert msg.startswith(f"{name} must be an int"), msg
        assert f"got {bad}." in msg
        assert (f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}") in msg


@pytest.mark.parametrize("label, call, name, minimum, maximum",
                         [e for e in INT_ARGUMENTS if "experiment" not in e[0] and "run_all" not in e[0]],
                         ids=[i for i in IDS if "experiment" not in i and "run_all" not in i])
def test_numpy_integers_are_accepted_everywhere(label, call, name, minimum, maximum):
    value = np.int64(max(minimum, 2) if maximum is None else minimum + 1)
    call(value)  # no error
