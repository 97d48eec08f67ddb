"""The whole network: the gradient-check gate over activations, losses, L2 and dropout; errors; predict."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from nnkit.activations import sigmoid, softmax
from nnkit.gradcheck import gradient_check_n, numerical_gradient, relative_difference
from nnkit.init import initialize_parameters
from nnkit.network import model_backward, model_cost, model_forward, predict, validate_network

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUTS = [
    ("sigmoid", "binary_cross_entropy"),
    ("sigmoid", "squared_error"),
    ("linear", "half_squared_error"),
    ("softmax", "categorical_cross_entropy"),
]
N_Y = {"binary_cross_entropy": 1, "squared_error": 1, "half_squared_error": 2, "categorical_cross_entropy": 3}
L2 = [None, (0.7, True), (0.7, False)]
M = 6
KINK_MARGIN = 1e-4  # no hidden |Z| this close to 0: a step of eps = 1e-6 moves Z by far less


def _targets(loss, rng, n_y, m=M):
    if loss == "binary_cross_entropy":
        Y = np.zeros((1, m))
        Y[0, rng.permutation(m)[: m // 2]] = 1.0  # both classes present
        return Y
    if loss == "squared_error":
        return rng.uniform(0.0, 1.0, size=(n_y, m))
    if loss == "half_squared_error":
        return rng.normal(size=(n_y, m))
    return np.eye(n_y)[:, rng.integers(0, n_y, size=m)]


def _hidden_Z(X, params, acts):
    _, cache = model_forward(X, params, acts)
    return [c.activation.Z for c in cache.layers[:-1]]


def _problem(hidden, out, loss, seed):
    """X, Y, params for a [4, 5, 3, n_y] net; params re-drawn until every hidden |Z| > KINK_MARGIN.

    The draws depend on the seed only, so the chosen case is fixed (not flaky); the margin check
    makes the two-sided differences blind to the kinks of ReLU and leaky ReLU.
    """
    rng = np.random.default_rng(seed)
    n_y = N_Y[loss]
    dims = [4, 5, 3, n_y]
    X = rng.normal(size=(4, M))
    Y = _targets(loss, rng, n_y)
    acts = [hidden, hidden, out]
    for _ in range(50):
        params = {}
        for l in range(1, 4):
            params[f"W{l}"] = rng.normal(size=(dims[l], dims[l - 1])) * np.sqrt(2.0 / dims[l - 1])
            params[f"b{l}"] = rng.normal(scale=0.5, size=(dims[l], 1))
        if min(np.abs(Z).min() for Z in _hidden_Z(X, params, acts)) > KINK_MARGIN:
            return X, Y, params, acts
    raise AssertionError("no kink-free draw found")


def _masks(seed):
    rng = np.random.default_rng(seed + 1000)
    masks = {1: (rng.random((5, M)) < 0.8).astype(float), 2: (rng.random((3, M)) < 0.8).astype(float)}
    masks[1][0, 0] = 0.0  # at least one dropped unit per layer, so the masks matter
    masks[2][1, 2] = 0.0
    return masks


CASES = list(itertools.product(HIDDEN, OUTPUTS, L2, [False, True]))


@pytest.mark.parametrize(
    "hidden, output, l2, dropout",
    CASES,
    ids=[f"{h}-{o[0]}-{o[1]}-{'noL2' if r is None else f'L2m{r[1]}'}-{'drop' if d else 'nodrop'}"
         for h, o, r, d in CASES],
)
def test_gradient_check_gate(hidden, output, l2, dropout):
    out, loss = output
    seed = HIDDEN.index(hidden) * 10 + OUTPUTS.index(output)  # one fixed draw per architecture
    X, Y, params, acts = _problem(hidden, out, loss, seed)
    lambd, divide_by_m = l2 if l2 is not None else (0.0, True)
    fwd = {"keep_prob": 0.8, "masks": _masks(seed)} if dropout else {}

    def cost(p):
        AL, cache = model_forward(X, p, acts, **fwd)
        return model_cost(AL, Y, loss, cache=cache, lambd=lambd, divide_by_m=divide_by_m)

    AL, cache = model_forward(X, params, acts, **fwd)
    grads = model_backward(AL, Y, cache, loss, lambd=lambd, divide_by_m=divide_by_m)
    assert set(grads) >= {f"d{k}" for k in params}
    for k in params:
        assert grads[f"d{k}"].shape == params[k].shape
    norm = np.sqrt(sum(np.sum(grads[f"d{k}"] ** 2) for k in params))
    assert norm > 1e-3  # a meaningful check, not two zero vectors
    assert gradient_check_n(cost, params, grads, eps=1e-6) < 1e-7


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output", OUTPUTS, ids=[o[1] for o in OUTPUTS])
def test_dA0_is_per_example_gradient_wrt_X(hidden, output, grad_difference):
    out, loss = output
    X, Y, params, acts = _problem(hidden, out, loss, seed=77)
    AL, cache = model_forward(X, params, acts)
    grads = model_backward(AL, Y, cache, loss)

    def J(Xp):
        return model_cost(model_forward(Xp, params, acts)[0], Y, loss)

    assert grads["dA0"].shape == X.shape
    assert grad_difference(J, X, grads["dA0"] / M) < 1e-7


def test_backward_does_not_modify_its_inputs():
    X, Y, params, acts = _problem("tanh", "sigmoid", "binary_cross_entropy", 5)
    AL, cache = model_forward(X, params, acts, keep_prob=0.8, masks=_masks(5))
    saved_AL, saved_Y = AL.copy(), Y.copy()
    saved_cache = [(c.linear.A_prev.copy(), c.linear.W.copy(), c.activation.Z.copy(), c.activation.A.copy())
                   for c in cache.layers]
    model_backward(AL, Y, cache, "binary_cross_entropy", lambd=0.7)
    np.testing.assert_array_equal(AL, saved_AL)
    np.testing.assert_array_equal(Y, saved_Y)
    for c, saved in zip(cache.layers, saved_cache):
        for a, b in zip((c.linear.A_prev, c.linear.W, c.activation.Z, c.activation.A), saved):
            np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- forward values
def test_forward_matches_hand_composition(rng):
    X, _, params, acts = _problem("relu", "softmax", "categorical_cross_entropy", 3)
    A1 = np.maximum(params["W1"] @ X + params["b1"], 0)
    A2 = np.maximum(params["W2"] @ A1 + params["b2"], 0)
    A3 = softmax(params["W3"] @ A2 + params["b3"])
    AL, cache = model_forward(X, params, acts)
    np.testing.assert_allclose(AL, A3, rtol=1e-13)
    assert len(cache.layers) == 3 and cache.dropout == (None, None, None)
    assert tuple(cache.activations) == tuple(acts)


def test_forward_with_fixed_masks_applies_inverted_dropout():
    X, _, params, acts = _problem("tanh", "sigmoid", "binary_cross_entropy", 4)
    masks = _masks(4)
    AL, cache = model_forward(X, params, acts, keep_prob=0.8, masks=masks)
    A1 = np.tanh(params["W1"] @ X + params["b1"]) * masks[1] / 0.8
    A2 = np.tanh(params["W2"] @ A1 + params["b2"]) * masks[2] / 0.8
    np.testing.assert_allclose(AL, sigmoid(params["W3"] @ A2 + params["b3"]), rtol=1e-13)
    assert cache.dropout[2] is None  # never on the output layer
    np.testing.assert_array_equal(cache.dropout[0].mask, masks[1])
    assert cache.dropout[0].keep_prob == 0.8


def test_forward_with_rng_dropout_is_reproducible_and_random():
    X, _, params, acts = _problem("relu", "sigmoid", "binary_cross_entropy", 2)
    a1, _ = model_forward(X, params, acts, keep_prob=0.5, rng=3)
    a2, _ = model_forward(X, params, acts, keep_prob=0.5, rng=np.random.default_rng(3))
    a3, _ = model_forward(X, params, acts, keep_prob=0.5, rng=4)
    np.testing.assert_array_equal(a1, a2)
    assert not np.array_equal(a1, a3)


def test_per_layer_keep_prob(rng):
    X, _, params, acts = _problem("tanh", "sigmoid", "binary_cross_entropy", 2)
    _, cache = model_forward(X, params, acts, keep_prob=[1.0, 0.5], rng=0)
    assert cache.dropout[0] is None and cache.dropout[1].keep_prob == 0.5
    with pytest.raises(ValueError, match="keep_prob"):
        model_forward(X, params, acts, keep_prob=[0.5], rng=0)


def test_model_cost_adds_l2_in_both_conventions():
    X, Y, params, acts = _problem("tanh", "sigmoid", "binary_cross_entropy", 1)
    AL, cache = model_forward(X, params, acts)
    base = model_cost(AL, Y, "binary_cross_entropy")
    sq = sum(np.sum(params[f"W{l}"] ** 2) for l in (1, 2, 3))
    assert model_cost(AL, Y, "binary_cross_entropy", cache=cache, lambd=0.7) == pytest.approx(
        base + 0.7 / (2 * M) * sq, rel=1e-13)
    assert model_cost(AL, Y, "binary_cross_entropy", cache=cache, lambd=0.7, divide_by_m=False) == pytest.approx(
        base + 0.7 / 2 * sq, rel=1e-13)
    with pytest.raises(ValueError, match="cache"):
        model_cost(AL, Y, "binary_cross_entropy", lambd=0.7)


def test_fused_sigmoid_bce_backward_is_finite_when_saturated():
    params = {"W1": np.array([[100.0, -100.0]]), "b1": np.zeros((1, 1))}
    X = np.array([[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]])  # Z = 200, -200, 0
    Y = np.array([[0.0, 1.0, 1.0]])  # the saturated outputs are confidently wrong
    AL, cache = model_forward(X, params, ["sigmoid"])
    grads = model_backward(AL, Y, cache, "binary_cross_entropy")
    for g in grads.values():
        assert np.isfinite(g).all()
    np.testing.assert_allclose(grads["db1"], [[np.mean(AL - Y)]], rtol=1e-14)


# ----------------------------------------------------------------------------- errors
@pytest.fixture
def net():
    return _problem("relu", "sigmoid", "binary_cross_entropy", 0)


def test_dropout_without_rng_or_masks_needs_rng(net):
    X, _, params, acts = net
    with pytest.raises(TypeError, match=r"needs rng"):
        model_forward(X, params, acts, keep_prob=0.8)
    # masks for only one of the two hidden layers: still needs rng for the other
    with pytest.raises(TypeError, match=r"rng"):
        model_forward(X, params, acts, keep_prob=0.8, masks={1: _masks(0)[1]})
    model_forward(X, params, acts, keep_prob=0.8, masks=_masks(0))  # all masks given: fine
    model_forward(X, params, acts, keep_prob=1.0)  # no dropout: fine


@pytest.mark.parametrize("bad_shape", [(5, 5), (3, 6), (6, 5)])
def test_mask_with_wrong_shape(net, bad_shape):
    X, _, params, acts = net
    with pytest.raises(ValueError) as info:
        model_forward(X, params, acts, keep_prob=0.8, masks={1: np.ones(bad_shape), 2: np.ones((3, M))})
    msg = str(info.value)
    assert "masks[1]" in msg and "(n_1=5, m=6)" in msg and str(bad_shape) in msg


@pytest.mark.parametrize("bad_key, error", [(0, ValueError), (3, ValueError), ("1", TypeError), (1.0, TypeError)])
def test_mask_for_a_non_hidden_layer(net, bad_key, error):
    X, _, params, acts = net
    with pytest.raises(error, match="masks keys must be an int from 1 to 2"):
        model_forward(X, params, acts, keep_prob=0.8, rng=0, masks={bad_key: np.ones((5, M))})


@pytest.mark.parametrize("bad_kp", [0, -0.1, 1.5])
def test_keep_prob_out_of_range(net, bad_kp):
    X, _, params, acts = net
    with pytest.raises(ValueError, match="keep_prob"):
        model_forward(X, params, acts, keep_prob=bad_kp, rng=0)


@pytest.mark.parametrize("acts", [["relu", "sigmoid"], ["relu", "relu", "relu", "sigmoid"]])
def test_wrong_number_of_activations(net, acts):
    X, _, params, _ = net
    with pytest.raises(ValueError, match=rf"activations has {len(acts)} names.*L = 3"):
        model_forward(X, params, acts)


def test_unknown_activation_name_lists_names(net):
    X, _, params, _ = net
    with pytest.raises(ValueError, match=r"Unknown activation 'rectifier'.*'relu'"):
        model_forward(X, params, ["relu", "rectifier", "sigmoid"])
    with pytest.raises(TypeError, match="one name per layer"):
        model_forward(X, params, "relu")


@pytest.mark.parametrize("missing", ["W2", "b2", "W1", "b3"])
def test_missing_parameter_is_named(net, missing):
    X, _, params, acts = net
    params = {k: v for k, v in params.items() if k != missing}
    with pytest.raises(ValueError, match=rf"params is missing '{missing}'"):
        model_forward(X, params, acts)


def test_inconsistent_weight_shapes(net):
    X, _, params, acts = net
    bad = dict(params, W2=np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"W2 must have shape \(any, n_1=5\), got \(3, 4\)"):
        model_forward(X, bad, acts)
    bad = dict(params, b2=np.zeros((3,)))
    with pytest.raises(ValueError, match="b2"):
        model_forward(X, bad, acts)
    with pytest.raises(ValueError, match="no weights"):
        model_forward(X, {}, acts)


def test_X_with_wrong_rows_names_X_and_n_x(net):
    X, _, params, acts = net
    with pytest.raises(ValueError) as info:
        model_forward(X[:3], params, acts)
    msg = str(info.value)
    assert msg.startswith("X ") and "n_x=4" in msg and "(3, 6)" in msg
    with pytest.raises(ValueError, match="transposed"):
        model_forward(X.T, params, acts)
    with pytest.raises(ValueError, match="X"):
        predict(X[:3], params, acts)


@pytest.mark.parametrize("bad", [0.5, 2.0, -1.0])
def test_Y_not_binary_for_bce(net, bad):
    X, Y, params, acts = net
    AL, cache = model_forward(X, params, acts)
    Y = Y.copy()
    Y[0, 1] = bad
    with pytest.raises(ValueError, match=r"Y must contain only 0 and 1"):
        model_cost(AL, Y, "binary_cross_entropy")
    with pytest.raises(ValueError, match=r"Y must contain only 0 and 1"):
        model_backward(AL, Y, cache, "binary_cross_entropy")
    # other losses take real targets
    model_cost(AL, Y, "squared_error")


def test_Y_wrong_shape_and_unknown_loss(net):
    X, Y, params, acts = net
    AL, cache = model_forward(X, params, acts)
    with pytest.raises(ValueError, match=r"Y must have shape \(1, 6\), got \(1, 5\)"):
        model_backward(AL, Y[:, :5], cache, "binary_cross_entropy")
    with pytest.raises(ValueError, match=r"Unknown loss 'cross_entropy'"):
        model_cost(AL, Y, "cross_entropy")
    with pytest.raises(TypeError, match="NetworkCache"):
        model_backward(AL, Y, cache.layers, "binary_cross_entropy")


def test_validate_network_returns_L_and_names(net):
    X, _, params, acts = net
    assert validate_network(params, acts, X) == (3, tuple(acts))
    with pytest.raises(TypeError, match="dict"):
        validate_network([params["W1"]], acts)


# ----------------------------------------------------------------------------- predict
def test_predict_binary_returns_row_of_zeros_and_ones(net):
    X, _, params, acts = net
    p = predict(X, params, acts)
    assert p.shape == (1, M)
    assert set(np.unique(p)) <= {0.0, 1.0}
    AL, _ = model_forward(X, params, acts)
    np.testing.assert_array_equal(p, (AL > 0.5).astype(float))


def test_predict_hand_case_and_threshold():
    params = {"W1": np.array([[1.0, -1.0]]), "b1": np.zeros((1, 1))}
    X = np.array([[2.0, 0.0, 0.1], [0.0, 2.0, 0.0]])  # Z = 2, -2, 0.1 -> A = .88, .12, .525
    np.testing.assert_array_equal(predict(X, params, ["sigmoid"]), [[1.0, 0.0, 1.0]])
    np.testing.assert_array_equal(predict(X, params, ["sigmoid"], threshold=0.6), [[1.0, 0.0, 0.0]])


def test_predict_multiclass_returns_class_indices():
    params = {"W1": np.eye(3), "b1": np.zeros((3, 1))}
    X = np.array([[5.0, 0.0, 0.0, 1.0], [0.0, 0.0, 5.0, 2.0], [0.0, 5.0, 0.0, 3.0]])
    p = predict(X, params, ["softmax"])
    assert p.shape == (1, 4)
    np.testing.assert_array_equal(p, [[0.0, 2.0, 1.0, 2.0]])


def test_fixed_dropout_mask_must_be_zero_or_one():
    rng = np.random.default_rng(3)
    params = initialize_parameters([3, 4, 1], "he", rng=rng)
    X = rng.standard_normal((3, 5))
    bad = np.full((4, 5), 0.5)
    with pytest.raises(ValueError, match=r"masks\[1\] must contain only 0 and 1"):
        model_forward(X, params, ["relu", "sigmoid"], keep_prob=0.8, masks={1: bad})


# ----------------------------------------------------------------------------- the boundary
@pytest.mark.parametrize("fn", [model_cost, model_backward])
@pytest.mark.parametrize("loss, out", [("binary_cross_entropy", "sigmoid"), ("categorical_cross_entropy", "softmax")])
def test_cross_entropy_needs_AL_in_0_1(fn, loss, out):
    """A pre-activation passed for AL would be clipped (cost) or used as a probability (dZ = AL - Y)."""
    X, Y, params, acts = _problem("relu", out, loss, 0)
    AL, cache = model_forward(X, params, acts)
    bad = AL.copy()
    bad[0, 0] = 3.0
    with pytest.raises(ValueError) as info:
        fn(bad, Y, loss, cache=cache) if fn is model_cost else fn(bad, Y, cache, loss)
    msg = str(info.value)
    assert msg.startswith("AL must hold probabilities in [0, 1]") and "3.0" in msg and "sigmoid(Z)" in msg


def test_model_backward_needs_the_AL_of_its_cache(net):
    X, Y, params, acts = net
    AL, cache = model_forward(X, params, acts)
    AL_other, _ = model_forward(X[:, :4], params, acts)
    with pytest.raises(ValueError) as info:
        model_backward(AL_other, Y[:, :4], cache, "binary_cross_entropy")
    msg = str(info.value)
    assert f"AL must have shape (1, {M}), got (1, 4)" in msg and "same model_forward call" in msg
    with pytest.raises(TypeError, match="cache must be the NetworkCache returned by model_forward, got tuple"):
        model_backward(AL, Y, tuple(cache.layers), "binary_cross_entropy")
    with pytest.raises(TypeError, match="cache must be the NetworkCache"):
        model_cost(AL, Y, "binary_cross_entropy", cache=[1, 2], lambd=0.1)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"lambd": -0.1}, ValueError, "lambd"),
    ({"divide_by_m": "yes"}, TypeError, "divide_by_m must be True or False"),
])
def test_model_cost_and_backward_check_their_l2_arguments(net, kwargs, error, match):
    X, Y, params, acts = net
    AL, cache = model_forward(X, params, acts)
    with pytest.raises(error, match=match):
        model_cost(AL, Y, "binary_cross_entropy", cache=cache, **kwargs)
    with pytest.raises(error, match=match):
        model_backward(AL, Y, cache, "binary_cross_entropy", **kwargs)


def test_keep_prob_and_masks_of_the_wrong_type(net):
    X, _, params, acts = net
    with pytest.raises(TypeError, match="keep_prob must be a number in"):
        model_forward(X, params, acts, keep_prob="0.8", rng=0)
    with pytest.raises(TypeError, match="masks must be a dict"):
        model_forward(X, params, acts, keep_prob=0.8, masks=[np.ones((5, M))])
    one_layer = {"W1": params["W1"][:1], "b1": params["b1"][:1]}
    with pytest.raises(ValueError, match="no hidden layer"):
        model_forward(X, one_layer, ["sigmoid"], masks={1: np.ones((1, M))})


@pytest.mark.parametrize("bad, error", [("0.5", TypeError), (np.nan, ValueError)])
def test_predict_checks_its_threshold(net, bad, error):
    X, _, params, acts = net
    with pytest.raises(error, match="threshold"):
        predict(X, params, acts, threshold=bad)
