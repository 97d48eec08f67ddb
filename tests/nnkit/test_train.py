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
