"""L2 (both conventions, biases excluded) and inverted dropout (expectation, mask, backward, errors)."""

from __future__ import annotations

import numpy as np
import pytest

from nnkit.regularization import DropoutCache, dropout_backward, dropout_forward, l2_cost, l2_grads

# Hand case: ||W1||^2 = 1 + 4 + 9 + 16 = 30, ||W2||^2 = 1 + 1 = 2, total 32; the huge biases must be ignored.
PARAMS = {
    "W1": np.array([[1.0, 2.0], [3.0, 4.0]]),
    "b1": np.array([[100.0], [-100.0]]),
    "W2": np.array([[1.0, -1.0]]),
    "b2": np.array([[50.0]]),
}


@pytest.mark.parametrize("divide_by_m, expected", [(True, 0.5 / (2 * 4) * 32), (False, 0.5 / 2 * 32)])
def test_l2_cost_hand_case(divide_by_m, expected):
    assert expected in (2.0, 8.0)
    assert l2_cost(PARAMS, 4, 0.5, divide_by_m=divide_by_m) == pytest.approx(expected, rel=1e-15)


def test_l2_cost_default_is_divide_by_m():
    assert l2_cost(PARAMS, 4, 0.5) == pytest.approx(2.0, rel=1e-15)


@pytest.mark.parametrize("divide_by_m, scale", [(True, 0.5 / 4), (False, 0.5)])
def test_l2_grads_hand_case(divide_by_m, scale):
    grads = l2_grads(PARAMS, 4, 0.5, divide_by_m=divide_by_m)
    assert sorted(grads) == ["dW1", "dW2"]  # no bias gradients
    np.testing.assert_allclose(grads["dW1"], scale * PARAMS["W1"], rtol=1e-15)
    np.testing.assert_allclose(grads["dW2"], scale * PARAMS["W2"], rtol=1e-15)


@pytest.mark.parametrize("divide_by_m", [True, False])
def test_l2_grads_equal_numerical_gradient(divide_by_m, rng, grad_difference):
    params = {"W1": rng.normal(size=(4, 3)), "b1": rng.normal(size=(4, 1)),
              "W2": rng.normal(size=(2, 4)), "b2": rng.normal(size=(2, 1))}
    m, lambd = 7, 0.7
    grads = l2_grads(params, m, lambd, divide_by_m=divide_by_m)
    for key in ("W1", "W2"):
        def f(Wp, key=key):
            return l2_cost(dict(params, **{key: Wp}), m, lambd, divide_by_m=divide_by_m)
        assert grad_difference(f, params[key], grads["d" + key]) < 1e-7
    # the cost does not depend on the biases at all
    assert l2_cost(dict(params, b1=params["b1"] + 10), m, lambd) == l2_cost(params, m, lambd)


def test_l2_zero_lambda_and_no_mutation():
    snapshot = {k: v.copy() for k, v in PARAMS.items()}
    assert l2_cost(PARAMS, 4, 0.0) == 0.0
    for g in l2_grads(PARAMS, 4, 0.0).values():
        np.testing.assert_array_equal(g, 0.0)
    l2_grads(PARAMS, 4, 0.5)
    for k in PARAMS:
        np.testing.assert_array_equal(PARAMS[k], snapshot[k])


def test_l2_orders_layers_numerically():
    params = {f"W{l}": np.full((1, 1), float(l)) for l in (10, 2, 1)}
    assert l2_cost(params, 1, 2.0, divide_by_m=False) == pytest.approx(1 + 4 + 100)


@pytest.mark.parametrize("func", [l2_cost, l2_grads])
def test_l2_errors(func):
    with pytest.raises(ValueError, match="lambd"):
        func(PARAMS, 4, -0.1)
    with pytest.raises(ValueError, match=r"\bm\b"):
        func(PARAMS, 0, 0.1)
    with pytest.raises(ValueError, match="no weight"):
        func({"b1": np.zeros((2, 1))}, 4, 0.1)
    with pytest.raises(TypeError, match="params"):
        func([PARAMS["W1"]], 4, 0.1)


# ----------------------------------------------------------------------------- dropout
def test_inverted_dropout_keeps_the_expected_activation():
    """E[A_out] = A: the mean over 200,000 independent draws of each entry is within 1% of A.

    Per draw, A_out/A is 0 or 1/keep_prob (std sqrt((1-p)/p) = 0.5 for p = 0.8), so the mean of
    2e5 draws has relative standard error 0.5/447 = 0.0011: 1% is about 9 standard errors.
    """
    A = np.array([[0.5, -1.0, 2.0], [1.5, 3.0, -0.25]])
    draws = 200_000
    A_big = np.tile(A, (1, draws))  # every entry of A, repeated `draws` times
    A_out, cache = dropout_forward(A_big, 0.8, rng=0)
    mean = A_out.reshape(2, draws, 3).mean(axis=1)
    np.testing.assert_allclose(mean, A, rtol=0.01)
    assert cache.mask.mean() == pytest.approx(0.8, abs=2e-3)  # mask fraction ~ keep_prob


@pytest.mark.parametrize("keep_prob", [0.1, 0.5, 0.9])
def test_mask_is_binary_with_fraction_keep_prob(keep_prob):
    A = np.ones((100, 1000))
    A_out, cache = dropout_forward(A, keep_prob, rng=np.random.default_rng(1))
    assert isinstance(cache, DropoutCache) and cache.keep_prob == keep_prob
    assert set(np.unique(cache.mask)) == {0.0, 1.0}
    assert cache.mask.mean() == pytest.approx(keep_prob, abs=0.01)  # 1e5 draws: std <= 1.6e-3
    # survivors are scaled by 1 / keep_prob, the dropped are exactly 0
    np.testing.assert_array_equal(A_out, cache.mask / keep_prob)


def test_keep_prob_one_is_identity(rng):
    A = rng.normal(size=(4, 9))
    A_out, cache = dropout_forward(A, 1.0, rng=0)
    np.testing.assert_array_equal(A_out, A)
    np.testing.assert_array_equal(cache.mask, 1.0)


def test_fixed_mask_forward_and_backward(rng, grad_difference):
    A = rng.normal(size=(3, 5))
    mask = (rng.random((3, 5)) < 0.6).astype(float)
    mask[0, 0], mask[0, 1] = 0.0, 1.0
    A_out, cache = dropout_forward(A, 0.6, mask=mask)
    np.testing.assert_allclose(A_out, A * mask / 0.6, rtol=1e-15)
    np.testing.assert_array_equal(cache.mask, mask)
    G = rng.normal(size=(3, 5))
    dA = dropout_backward(G, cache)
    np.testing.assert_allclose(dA, G * mask / 0.6, rtol=1e-15)
    assert dA[0, 0] == 0.0
    f = lambda Ap: float(np.sum(dropout_forward(Ap, 0.6, mask=mask)[0] * G))  # noqa: E731
    assert grad_difference(f, A, dA) < 1e-7


def test_dropout_does_not_modify_inputs(rng):
    A = rng.normal(size=(3, 5))
    mask = np.ones((3, 5))
    mask[1, 1] = 0
    A0, mask0 = A.copy(), mask.copy()
    _, cache = dropout_forward(A, 0.5, mask=mask)
    G = rng.normal(size=(3, 5))
    G0 = G.copy()
    dropout_backward(G, cache)
    for a, b in ((A, A0), (mask, mask0), (G, G0), (cache.mask, mask0)):
        np.testing.assert_array_equal(a, b)


def test_dropout_is_reproducible_with_a_seed(rng):
    A = rng.normal(size=(6, 7))
    a = dropout_forward(A, 0.5, rng=11)[0]
    b = dropout_forward(A, 0.5, rng=np.random.default_rng(11))[0]
    c = dropout_forward(A, 0.5, rng=12)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("bad", [0, 0.0, -0.1, 1.5, 1.0000001])
def test_keep_prob_outside_range(bad):
    with pytest.raises(ValueError, match=r"keep_prob must lie in \(0, 1\]"):
        dropout_forward(np.ones((2, 2)), bad, rng=0)


@pytest.mark.parametrize("bad", ["0.5", None, True])
def test_keep_prob_not_a_number(bad):
    with pytest.raises(TypeError, match="keep_prob"):
        dropout_forward(np.ones((2, 2)), bad, rng=0)


@pytest.mark.parametrize("bad_value", [0.5, 2.0, -1.0])
def test_mask_with_non_binary_values(bad_value):
    mask = np.ones((2, 3))
    mask[1, 2] = bad_value
    with pytest.raises(ValueError, match="mask must contain only 0 and 1"):
        dropout_forward(np.ones((2, 3)), 0.5, mask=mask)


def test_mask_with_wrong_shape_and_missing_rng():
    with pytest.raises(ValueError, match=r"mask must have shape \(2, 3\), got \(3, 2\)"):
        dropout_forward(np.ones((2, 3)), 0.5, mask=np.ones((3, 2)))
    with pytest.raises(TypeError, match="rng"):
        dropout_forward(np.ones((2, 3)), 0.5)
    _, cache = dropout_forward(np.ones((2, 3)), 0.5, rng=0)
    with pytest.raises(ValueError, match="dA_out"):
        dropout_backward(np.ones((2, 4)), cache)


def test_dropout_backward_needs_its_cache():
    with pytest.raises(TypeError, match=r"cache must be the DropoutCache \(mask, keep_prob\)"):
        dropout_backward(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="cache.keep_prob"):
        dropout_backward(np.ones((2, 3)), DropoutCache(np.ones((2, 3)), 0.0))


@pytest.mark.parametrize("func", [l2_cost, l2_grads])
def test_l2_divide_by_m_must_be_a_bool(func):
    with pytest.raises(TypeError, match="divide_by_m must be True or False"):
        func(PARAMS, 4, 0.1, divide_by_m="no")
