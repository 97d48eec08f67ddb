"""Initializers: shapes, zero biases, the standard deviation of each method, reproducibility, errors."""

from __future__ import annotations

import numpy as np
import pytest

from nnkit.init import INIT_METHODS, initialize_parameters

DIMS = [3, 5, 4, 1]


def test_all_methods_are_covered():
    assert set(INIT_METHODS) == {"zeros", "random", "small_gaussian", "xavier", "he"}


@pytest.mark.parametrize("method", INIT_METHODS)
@pytest.mark.parametrize("dims", [DIMS, [2, 1], [7, 3, 3, 2, 6]])
def test_shapes_and_zero_biases(method, dims):
    params = initialize_parameters(dims, method, rng=0)
    L = len(dims) - 1
    assert sorted(params) == sorted([f"W{l}" for l in range(1, L + 1)] + [f"b{l}" for l in range(1, L + 1)])
    for l in range(1, L + 1):
        assert params[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert params[f"b{l}"].shape == (dims[l], 1)
        assert params[f"W{l}"].dtype == np.float64
        np.testing.assert_array_equal(params[f"b{l}"], 0.0)


def test_zeros_are_zero_and_need_no_rng():
    params = initialize_parameters(DIMS, "zeros")
    for k, v in params.items():
        np.testing.assert_array_equal(v, 0.0)


@pytest.mark.parametrize("method", [m for m in INIT_METHODS if m != "zeros"])
def test_random_methods_break_symmetry(method):
    W = initialize_parameters(DIMS, method, rng=1)["W1"]
    assert len(np.unique(W)) == W.size


# A 1e6-entry matrix: the sample std has relative standard error 1/sqrt(2e6) = 7e-4, so a 2%
# tolerance is ~28 standard errors (the draws are seeded anyway). n_prev != n_l, so using the
# wrong fan would be caught: sqrt(2/400) = 0.071 vs sqrt(2/2500) = 0.028.
BIG = [400, 2500]


@pytest.mark.parametrize(
    "method, kwargs, expected_std",
    [
        ("he", {}, np.sqrt(2.0 / 400)),
        ("xavier", {}, np.sqrt(1.0 / 400)),
        ("small_gaussian", {}, 0.01),
        ("random", {}, 10.0),
        ("random", {"scale": 3.0}, 3.0),
        ("random", {"scale": 0.5}, 0.5),
    ],
)
def test_standard_deviation_on_a_big_layer(method, kwargs, expected_std):
    W = initialize_parameters(BIG, method, rng=123, **kwargs)["W1"]
    assert W.shape == (2500, 400)
    assert W.std() == pytest.approx(expected_std, rel=0.02)
    assert abs(W.mean()) < 0.01 * expected_std  # ~10 standard errors of the mean
    # Gaussian, not uniform: about 68.3% within one std
    assert np.mean(np.abs(W) < expected_std) == pytest.approx(0.6827, abs=0.005)


def test_he_and_xavier_use_each_layers_fan_in():
    params = initialize_parameters([1000, 200, 50], "he", rng=5)
    assert params["W2"].std() == pytest.approx(np.sqrt(2.0 / 200), rel=0.05)
    params = initialize_parameters([1000, 200, 50], "xavier", rng=5)
    assert params["W2"].std() == pytest.approx(np.sqrt(1.0 / 200), rel=0.05)


@pytest.mark.parametrize("method", [m for m in INIT_METHODS if m != "zeros"])
def test_reproducible_with_the_same_seed_and_different_otherwise(method):
    a = initialize_parameters(DIMS, method, rng=42)
    b = initialize_parameters(DIMS, method, rng=np.random.default_rng(42))
    c = initialize_parameters(DIMS, method, rng=43)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    assert not np.array_equal(a["W1"], c["W1"])


def test_a_generator_is_advanced_not_reset():
    gen = np.random.default_rng(7)
    a = initialize_parameters(DIMS, "he", rng=gen)
    b = initialize_parameters(DIMS, "he", rng=gen)
    assert not np.array_equal(a["W1"], b["W1"])


@pytest.mark.parametrize("method", INIT_METHODS)
def test_global_random_state_untouched(method):
    np.random.seed(2024)
    state = np.random.get_state()
    initialize_parameters(DIMS, method, rng=0)
    after = np.random.get_state()
    assert state[0] == after[0]
    np.testing.assert_array_equal(state[1], after[1])
    assert state[2:] == after[2:]


@pytest.mark.parametrize("bad", [[3], [], [3, 0, 1], [3, -2]])
def test_bad_layer_dims(bad):
    with pytest.raises(ValueError, match="layer_dims"):
        initialize_parameters(bad, "zeros")


@pytest.mark.parametrize("bad", [[3, 2.5], [3, True], "35", None, 5, [3, "4"]])
def test_layer_dims_of_the_wrong_type(bad):
    """Not a list of ints: a TypeError (the rule of nnkit._checks.check_int), naming layer_dims."""
    with pytest.raises(TypeError, match="layer_dims"):
        initialize_parameters(bad, "zeros")


def test_layer_dims_may_be_a_numpy_array():
    params = initialize_parameters(np.array([3, 2, 1]), "zeros")
    assert params["W1"].shape == (2, 3) and params["W2"].shape == (1, 2)


def test_unknown_method_lists_methods():
    with pytest.raises(ValueError) as info:
        initialize_parameters(DIMS, "glorot", rng=0)
    msg = str(info.value)
    assert "'glorot'" in msg
    for m in INIT_METHODS:
        assert repr(m) in msg


@pytest.mark.parametrize("method", [m for m in INIT_METHODS if m != "zeros"])
def test_missing_rng_is_a_type_error(method):
    with pytest.raises(TypeError, match="rng"):
        initialize_parameters(DIMS, method)


@pytest.mark.parametrize("bad_rng", [1.5, "0", True, np.random.RandomState(0)])
def test_bad_rng(bad_rng):
    with pytest.raises(TypeError, match="rng"):
        initialize_parameters(DIMS, "he", rng=bad_rng)


@pytest.mark.parametrize("bad_scale", [0, -1.0, float("nan")])
def test_bad_scale_for_random(bad_scale):
    with pytest.raises(ValueError, match="scale"):
        initialize_parameters(DIMS, "random", rng=0, scale=bad_scale)
