"""The training loop on small separable data: learning, batching, history, determinism, errors."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from nnkit.network import model_backward, model_forward
from nnkit.optim import OPTIMIZERS, adam
from nnkit.schedules import constant, inverse_time_decay
from nnkit.train import History, TrainResult, train

LR = {"sgd": 0.5, "gd": 0.5, "momentum": 0.5, "adagrad": 0.1, "rmsprop": 0.01, "adam": 0.02}


@pytest.fixture(scope="module")
def data():
    """200 points in 2-D, labelled by the side of the line x0 + 2 x1 = 0.3, with a margin."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 400))
    s = X[0] + 2 * X[1] - 0.3
    X = X[:, np.abs(s) > 0.2][:, :200]
    Y = (X[0] + 2 * X[1] - 0.3 > 0).astype(float).reshape(1, -1)
    assert X.shape == (2, 200) and 0.3 < Y.mean() < 0.7
    return X, Y


def _accuracy(result, X, Y):
    return float(np.mean(result.predict(X) == Y))


def test_all_optimizers_have_a_rate():
    assert set(OPTIMIZERS) <= set(LR)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_each_optimizer_learns(data, optimizer):
    X, Y = data
    result = train(X, Y, [2, 4, 1], rng=1, optimizer=optimizer, learning_rate=LR[optimizer],
                   num_epochs=150, record_every=10)
    h = result.history
    assert h.costs[-1] < 0.5 * h.costs[0]
    assert h.train_accuracy[-1] > max(0.95, h.train_accuracy[0])
    assert _accuracy(result, X, Y) > 0.95


def test_mini_batch_learns_and_differs_from_full_batch(data):
    X, Y = data
    full = train(X, Y, [2, 4, 1], rng=1, learning_rate=0.5, num_epochs=30, record_every=5)
    mini = train(X, Y, [2, 4, 1], rng=1, learning_rate=0.5, num_epochs=30, record_every=5, mini_batch_size=32)
    assert mini.history.costs[-1] < 0.5 * mini.history.costs[0]
    assert mini.history.train_accuracy[-1] > 0.95
    # 7 updates per epoch instead of 1: mini-batch gets further in the same number of epochs
    assert mini.history.costs[-1] < full.history.costs[-1]
    assert not np.allclose(mini.params["W1"], full.params["W1"])


def test_one_full_batch_sgd_epoch_is_one_gradient_step(data):
    X, Y = data
    rng = np.random.default_rng(5)
    params = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=(3, 1)),
              "W2": rng.normal(size=(1, 3)), "b2": rng.normal(size=(1, 1))}
    snapshot = copy.deepcopy(params)
    acts = ["tanh", "sigmoid"]
    result = train(X, Y, [2, 3, 1], rng=0, params=params, activations=acts, learning_rate=0.3,
                   num_epochs=1, lambd=0.2)
    for k in params:  # the argument is not modified
        np.testing.assert_array_equal(params[k], snapshot[k])
    AL, cache = model_forward(X, params, acts)
    grads = model_backward(AL, Y, cache, "binary_cross_entropy", lambd=0.2)
    for k in params:
        np.testing.assert_allclose(result.params[k], params[k] - 0.3 * grads["d" + k], rtol=1e-12, atol=1e-15)
    assert result.activations == tuple(acts)


@pytest.mark.parametrize("num_epochs, record_every, epochs", [
    (25, 10, [0, 10, 20, 24]),
    (30, 10, [0, 10, 20, 29]),
    (21, 10, [0, 10, 20]),
    (5, 1, [0, 1, 2, 3, 4]),
    (3, 100, [0, 2]),
])
def test_history_lengths_match_record_every(data, num_epochs, record_every, epochs):
    X, Y = data
    h = train(X, Y, [2, 3, 1], rng=0, num_epochs=num_epochs, record_every=record_every,
              record_grad_norms=True, X_val=X[:, :50], Y_val=Y[:, :50]).history
    assert isinstance(h, History)
    assert h.epochs == epochs
    n = len(epochs)
    assert len(h.costs) == len(h.train_accuracy) == len(h.val_accuracy) == n
    assert h.learning_rates == []  # constant rate: nothing recorded
    assert sorted(h.grad_norms) == ["layer 1", "layer 2"]
    assert all(len(v) == n and min(v) >= 0 for v in h.grad_norms.values())
    assert all(0.0 <= a <= 1.0 for a in h.train_accuracy + h.val_accuracy)


def test_deterministic_given_the_seed(data):
    X, Y = data
    kw = dict(num_epochs=20, record_every=5, mini_batch_size=50, keep_prob=0.8, optimizer="adam", learning_rate=0.01)
    a = train(X, Y, [2, 5, 1], rng=7, **kw)
    b = train(X, Y, [2, 5, 1], rng=np.random.default_rng(7), **kw)
    c = train(X, Y, [2, 5, 1], rng=8, **kw)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert a.history.costs == b.history.costs
    assert not np.array_equal(a.params["W1"], c.params["W1"])


def test_dropout_runs_and_still_learns(data):
    X, Y = data
    result = train(X, Y, [2, 8, 8, 1], rng=3, keep_prob=0.8, optimizer="adam", learning_rate=0.02,
                   num_epochs=150, record_every=50)
    assert result.history.costs[-1] < 0.5 * result.history.costs[0]
    assert _accuracy(result, X, Y) > 0.9
    # dropout changes the trajectory
    plain = train(X, Y, [2, 8, 8, 1], rng=3, optimizer="adam", learning_rate=0.02, num_epochs=150, record_every=50)
    assert not np.allclose(plain.params["W1"], result.params["W1"])


def test_schedule_is_recorded_and_used(data):
    X, Y = data
    sched = inverse_time_decay(0.5, 0.1)
    h = train(X, Y, [2, 3, 1], rng=0, learning_rate=sched, num_epochs=20, record_every=5,
              mini_batch_size=64).history
    assert h.epochs == [0, 5, 10, 15, 19]
    assert h.learning_rates == pytest.approx([sched(e) for e in h.epochs], rel=1e-15)
    # a constant schedule gives exactly the run with the plain rate
    a = train(X, Y, [2, 3, 1], rng=0, learning_rate=constant(0.5), num_epochs=10)
    b = train(X, Y, [2, 3, 1], rng=0, learning_rate=0.5, num_epochs=10)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert a.history.learning_rates == [0.5, 0.5]  # epochs 0 and 9


def test_progress_bar_runs(data, capsys):
    X, Y = data
    a = train(X, Y, [2, 3, 1], rng=0, num_epochs=5, record_every=2, progress=True)
    b = train(X, Y, [2, 3, 1], rng=0, num_epochs=5, record_every=2)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert a.history.costs == b.history.costs


def test_result_unpacks_and_predicts(data):
    X, Y = data
    result = train(X, Y, [2, 3, 1], rng=0, num_epochs=3)
    assert isinstance(result, TrainResult)
    params, history = result
    assert params is result.params and history is result.history
    p = result.predict(X)
    assert p.shape == (1, X.shape[1]) and set(np.unique(p)) <= {0.0, 1.0}
    assert "History(" in repr(history)
    with pytest.raises(ValueError, match="X"):
        result.predict(X[:1])


def test_optimizer_instance_and_multiclass(data):
    X, Y = data
    labels = (X[0] > 0).astype(int) + (X[1] > 0).astype(int)  # 3 classes: quadrants folded
    Y3 = np.eye(3)[:, labels]
    result = train(X, Y3, [2, 16, 3], rng=2, loss="categorical_cross_entropy", optimizer=adam(0.02),
                   num_epochs=300, record_every=100)
    assert result.activations == ("relu", "softmax")
    assert result.history.costs[-1] < 0.5 * result.history.costs[0]
    assert result.history.train_accuracy[-1] > 0.85
    assert set(np.unique(result.predict(X))) <= {0.0, 1.0, 2.0}


def test_regression_defaults_to_linear_output(data):
    X, _ = data
    Yr = (X[0] - X[1]).reshape(1, -1)
    result = train(X, Yr, [2, 4, 1], rng=0, loss="half_squared_error", learning_rate=0.05, num_epochs=100,
                   record_every=99)
    assert result.activations == ("relu", "linear")
    assert result.history.costs[-1] < 0.2 * result.history.costs[0]


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("bad", [0.5, 2.0, -1.0])
def test_Y_not_binary(data, bad):
    X, Y = data
    Y = Y.copy()
    Y[0, 3] = bad
    with pytest.raises(ValueError, match=r"Y must contain only 0 and 1"):
        train(X, Y, [2, 3, 1], rng=0, num_epochs=1)


def test_wrong_shapes(data):
    X, Y = data
    with pytest.raises(ValueError, match=r"Y must have shape \(n_L=1, m=200\), got \(1, 199\)"):
        train(X, Y[:, :199], [2, 3, 1], rng=0, num_epochs=1)
    with pytest.raises(ValueError, match=r"X must have shape \(n_x=3"):
        train(X, Y, [3, 3, 1], rng=0, num_epochs=1)
    with pytest.raises(ValueError, match="transposed"):
        train(X.T, Y, [2, 3, 1], rng=0, num_epochs=1)
    with pytest.raises(ValueError, match="Y_val"):
        train(X, Y, [2, 3, 1], rng=0, num_epochs=1, X_val=X[:, :10], Y_val=Y[:, :9])


@pytest.mark.parametrize("kwargs, name", [
    ({"num_epochs": 0}, "num_epochs"),
    ({"num_epochs": -3}, "num_epochs"),
    ({"record_every": 0}, "record_every"),
    ({"learning_rate": 0}, "learning_rate"),
    ({"learning_rate": -0.1}, "learning_rate"),
    ({"lambd": -1.0}, "lambd"),
    ({"keep_prob": 0.0}, "keep_prob"),
    ({"keep_prob": 1.5}, "keep_prob"),
    ({"mini_batch_size": 0}, "mini_batch_size"),
    ({"loss": "hinge"}, "loss"),
    ({"init": "glorot"}, "init method"),
    ({"activations": ["relu", "relu", "sigmoid"]}, "activations"),
])
def test_bad_arguments(data, kwargs, name):
    X, Y = data
    with pytest.raises(ValueError, match=name):
        train(X, Y, [2, 3, 1], rng=0, **{"num_epochs": 1, **kwargs})


@pytest.mark.parametrize("kwargs, name", [
    ({"num_epochs": 2.5}, "num_epochs"),
    ({"record_every": "10"}, "record_every"),
    ({"mini_batch_size": 32.0}, "mini_batch_size"),
])
def test_non_integer_counts_are_type_errors(data, kwargs, name):
    """A count that is not an int is a TypeError, as everywhere in nnkit (nnkit._checks.check_int)."""
    X, Y = data
    with pytest.raises(TypeError, match=name):
        train(X, Y, [2, 3, 1], rng=0, **{"num_epochs": 1, **kwargs})


def test_unknown_optimizer_lists_names(data):
    X, Y = data
    with pytest.raises(ValueError) as info:
        train(X, Y, [2, 3, 1], rng=0, num_epochs=1, optimizer="lbfgs")
    msg = str(info.value)
    assert "'lbfgs'" in msg and "'adam'" in msg and "'sgd'" in msg


def test_rng_is_required_and_checked(data):
    X, Y = data
    with pytest.raises(TypeError):
        train(X, Y, [2, 3, 1], num_epochs=1)  # rng is keyword-only and required
    with pytest.raises(TypeError, match="rng"):
        train(X, Y, [2, 3, 1], rng=None, num_epochs=1)


@pytest.mark.parametrize("m, size", [(1, 1), (7, 3), (64, 64), (130, 64), (300, 1)])
def test_train_mini_batches_match_the_public_function(m, size):
    """train's unchecked mini-batching is the same partition, from the same rng calls, as
    nnkit.data.random_mini_batches (and leaves the generator in the same state)."""
    from nnkit.data import random_mini_batches
    from nnkit.train import _mini_batches

    X = np.arange(2 * m, dtype=float).reshape(2, m)
    Y = (np.arange(m) % 2).reshape(1, m).astype(float)
    r1, r2 = np.random.default_rng(5), np.random.default_rng(5)
    ours, public = _mini_batches(X, Y, size, r1), random_mini_batches(X, Y, size, rng=r2)
    assert len(ours) == len(public)
    for (xa, ya), (xb, yb) in zip(ours, public):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
    assert r1.random() == r2.random()


# ----------------------------------------------------------------------------- TrainConfig
import dataclasses  # noqa: E402

from nnkit.train import TrainConfig  # noqa: E402


def test_config_and_keywords_train_the_same_network(data):
    X, Y = data
    kw = dict(optimizer="adam", learning_rate=0.01, num_epochs=12, mini_batch_size=50, keep_prob=0.8, lambd=0.1,
              record_every=4, record_grad_norms=True)
    a = train(X, Y, [2, 5, 1], rng=7, **kw)
    config = TrainConfig(**kw)
    b = train(X, Y, [2, 5, 1], config, rng=7)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert a.history == b.history
    assert a.config == b.config == config


def test_keywords_override_the_config_without_changing_it(data):
    X, Y = data
    config = TrainConfig(optimizer="adam", learning_rate=0.01, num_epochs=5)
    result = train(X, Y, [2, 3, 1], config, rng=0, num_epochs=3, record_every=1)
    assert result.config == dataclasses.replace(config, num_epochs=3, record_every=1)
    assert result.history.epochs == [0, 1, 2]
    assert config.num_epochs == 5  # frozen: the override made a new config
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.num_epochs = 7


def test_unknown_keyword_is_a_type_error_naming_it_and_the_valid_ones(data):
    X, Y = data
    with pytest.raises(TypeError) as info:
        train(X, Y, [2, 3, 1], rng=0, optimiser="adam")
    msg = str(info.value)
    assert "unexpected keyword argument 'optimiser'" in msg and "Did you mean 'optimizer'?" in msg
    for name in ("num_epochs", "mini_batch_size", "record_batch_costs", "rng", "X_val"):
        assert name in msg


def test_config_must_be_a_train_config(data):
    X, Y = data
    with pytest.raises(TypeError, match="config must be a TrainConfig.*rng="):
        train(X, Y, [2, 3, 1], 0, rng=0)
    with pytest.raises(TypeError, match="config must be a TrainConfig"):
        train(X, Y, [2, 3, 1], {"num_epochs": 1}, rng=0)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"num_epochs": 0}, ValueError, "num_epochs must be an int >= 1, got 0"),
    ({"num_epochs": 2.5}, TypeError, "num_epochs must be an int >= 1, got float 2.5"),
    ({"mini_batch_size": True}, TypeError, "mini_batch_size"),
    ({"learning_rate": -1}, ValueError, "learning_rate"),
    ({"lambd": "0.7"}, TypeError, "lambd"),
    ({"keep_prob": 0.0}, ValueError, r"keep_prob must lie in \(0, 1\]"),
    ({"keep_prob": [0.5, 1.2]}, ValueError, r"keep_prob\[1\]"),
    ({"keep_prob": "0.8"}, TypeError, "keep_prob"),
    ({"divide_by_m": "yes"}, TypeError, "divide_by_m must be True or False"),
    ({"progress": 1}, TypeError, "progress must be True or False"),
    ({"record_batch_costs": None}, TypeError, "record_batch_costs"),
    ({"activations": "relu"}, TypeError, "one name per layer"),
    ({"activations": 3}, TypeError, "one name per layer"),
    ({"activations": ["relu", "swish"]}, ValueError, "'swish'"),
    ({"optimizer": "lbfgs"}, ValueError, "'lbfgs'"),
    ({"init": "glorot"}, ValueError, "init method"),
    ({"init_scale": 0}, ValueError, "init_scale"),
    ({"optimizer": adam(0.02), "learning_rate": 0.5}, ValueError, "learning_rate=0.5 would be ignored"),
])
def test_config_is_validated_when_built(kwargs, error, match):
    with pytest.raises(error, match=match):
        TrainConfig(**kwargs)


def test_config_values_are_normalized():
    config = TrainConfig(activations=["relu", "sigmoid"], num_epochs=np.int64(3), keep_prob=[0.9], learning_rate=1)
    assert config.activations == ("relu", "sigmoid") and config.keep_prob == (0.9,)
    assert type(config.num_epochs) is int and config.learning_rate == 1.0 and type(config.learning_rate) is float
    assert hash(config) == hash(TrainConfig(activations=("relu", "sigmoid"), num_epochs=3, keep_prob=(0.9,),
                                            learning_rate=1.0))


def test_config_repr_lists_what_differs_from_the_defaults():
    assert repr(TrainConfig()) == "TrainConfig()"
    config = TrainConfig(optimizer="adam", learning_rate=0.01, num_epochs=100, mini_batch_size=64)
    assert repr(config) == "TrainConfig(optimizer='adam', learning_rate=0.01, num_epochs=100, mini_batch_size=64)"
    scheduled = TrainConfig(learning_rate=inverse_time_decay(0.5, 0.1))
    assert repr(scheduled) == "TrainConfig(learning_rate=<schedule inverse_time_decay>)"
    assert repr(TrainConfig(optimizer=adam(0.02))).startswith("TrainConfig(optimizer=adam(learning_rate=0.02")


def test_keep_prob_per_layer_must_match_the_hidden_layers(data):
    X, Y = data
    with pytest.raises(ValueError, match=r"one value per hidden layer \(2\), got 1"):
        train(X, Y, [2, 3, 3, 1], rng=0, num_epochs=1, keep_prob=[0.8])


def test_layer_dims_must_match_given_params(data):
    X, Y = data
    params = {"W1": np.ones((3, 2)), "b1": np.zeros((3, 1)), "W2": np.ones((1, 3)), "b2": np.zeros((1, 1))}
    with pytest.raises(ValueError, match=r"layer_dims \[2, 5, 1\] does not match the given params, whose sizes are \[2, 3, 1\]"):
        train(X, Y, [2, 5, 1], rng=0, params=params, num_epochs=1)
    with pytest.raises(TypeError, match="params must be a dict"):
        train(X, Y, [2, 3, 1], rng=0, params=[np.ones((3, 2))], num_epochs=1)


# ----------------------------------------------------------------------------- per-batch costs
@pytest.mark.parametrize("size, per_epoch", [(32, 7), (64, 4), (200, 1), (None, 1)])
def test_batch_costs_one_per_update_in_order(data, size, per_epoch):
    X, Y = data
    kw = dict(optimizer="momentum", learning_rate=0.2, num_epochs=6, mini_batch_size=size, lambd=0.3, record_every=1)
    with_batches = train(X, Y, [2, 4, 1], rng=4, record_batch_costs=True, **kw)
    plain = train(X, Y, [2, 4, 1], rng=4, **kw)
    h = with_batches.history
    assert len(h.batch_costs) == 6 * per_epoch and all(isinstance(c, float) for c in h.batch_costs)
    assert plain.history.batch_costs == []  # off by default
    for k in plain.params:  # recording changes nothing else
        np.testing.assert_array_equal(plain.params[k], with_batches.params[k])
    assert plain.history.costs == h.costs
    # each epoch's recorded cost is its batches' costs, weighted by the batch sizes
    sizes = [200] if size is None else [min(size, 200 - k) for k in range(0, 200, size)]
    for e in range(6):
        batch = h.batch_costs[e * per_epoch:(e + 1) * per_epoch]
        assert sum(c * b for c, b in zip(batch, sizes)) / 200 == pytest.approx(h.costs[e], rel=1e-12)


def test_batch_costs_show_the_mini_batch_noise(data):
    """The per-batch curve goes up and down; the epoch averages of the same run do not."""
    X, Y = data
    h = train(X, Y, [2, 4, 1], rng=1, learning_rate=0.5, num_epochs=20, mini_batch_size=16, record_every=1,
              record_batch_costs=True).history
    assert np.sum(np.diff(h.batch_costs) > 0) >= 0.2 * len(h.batch_costs)
    assert np.sum(np.diff(h.costs) > 0) <= 0.2 * len(h.costs)
    assert "batch costs" in repr(h)


def test_batch_costs_of_a_first_full_batch_epoch_is_the_initial_cost(data):
    X, Y = data
    params = {"W1": np.full((3, 2), 0.1), "b1": np.zeros((3, 1)), "W2": np.full((1, 3), 0.1), "b2": np.zeros((1, 1))}
    h = train(X, Y, [2, 3, 1], rng=0, params=params, activations=["tanh", "sigmoid"], num_epochs=2,
              record_batch_costs=True).history
    AL, cache = model_forward(X, params, ["tanh", "sigmoid"])
    from nnkit.network import model_cost

    assert h.batch_costs[0] == model_cost(AL, Y, "binary_cross_entropy")


def test_a_diverged_run_still_records_but_will_not_predict(data):
    """The records show the divergence (nan costs); predicting from nan parameters is refused."""
    X, Y = data
    with np.errstate(all="ignore"):
        result = train(X, Y, [2, 4, 1], rng=0, learning_rate=1e300, num_epochs=4, record_every=1)
        assert np.isnan(result.history.costs[-1]) and len(result.history.train_accuracy) == 4
        with pytest.raises(ValueError, match="training diverged"):
            result.predict(X)
