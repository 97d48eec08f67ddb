"""Assignment 2's grading content, checked on its own: the references compute what the notebooks
teach (against explicit formulas and finite differences), the worked example of seed 003 comes out
of the references' one-layer functions, the random functions are reproducible and leave numpy's
global state alone, the property checks fail on wrong initializers and pass on right ones drawn in
other ways, the short ``nn_model`` runs are stable, and every known mistake is recognised as itself.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from autograder.assignments import get_assignment
from autograder.assignments.a02_hidden_layers import draws, mistakes_deep, mistakes_planar, properties
from autograder.assignments.a02_hidden_layers import references as ref
from autograder.assignments.a02_hidden_layers.cases_planar import cases_nn_model
from autograder.frontends.notebook import evaluate
from autograder.grading.engine import case_rng
from autograder.isolation.forbid import resolve

A2 = get_assignment("02_hidden_layers")


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _params(rng, dims, scale=0.8):
    return {k: v for l in range(1, len(dims)) for k, v in
            ((f"W{l}", rng.normal(0, scale, (dims[l], dims[l - 1]))), (f"b{l}", rng.normal(0, 0.3, (dims[l], 1))))}


def _numerical(cost, params, key, eps=1e-6):
    grad = np.zeros_like(params[key])
    for idx in np.ndindex(grad.shape):
        plus, minus = copy.deepcopy(params), copy.deepcopy(params)
        plus[key][idx] += eps
        minus[key][idx] -= eps
        grad[idx] = (cost(plus) - cost(minus)) / (2 * eps)
    return grad


# ----------------------------------------------------------------------------- the 2-layer network
def test_forward_propagation_is_the_notebooks_formulas():
    rng = np.random.default_rng(0)
    X, p = rng.normal(size=(3, 5)), _params(rng, [3, 4, 2])
    A2, cache = ref.forward_propagation(X, p)
    Z1 = p["W1"] @ X + p["b1"]
    Z2 = p["W2"] @ np.tanh(Z1) + p["b2"]
    np.testing.assert_allclose(cache["Z1"], Z1, rtol=1e-14)
    np.testing.assert_allclose(cache["A1"], np.tanh(Z1), rtol=1e-14)
    np.testing.assert_allclose(cache["Z2"], Z2, rtol=1e-14)
    np.testing.assert_allclose(A2, _sigmoid(Z2), rtol=1e-14)
    assert cache["A2"] is A2 and set(cache) == {"Z1", "A1", "Z2", "A2"}


@pytest.mark.parametrize("m", [1, 6])
def test_backward_propagation_matches_finite_differences(m):
    rng = np.random.default_rng(m)
    X, Y, p = rng.normal(size=(2, m)), rng.integers(0, 2, (1, m)).astype(float), _params(rng, [2, 3, 1])
    grads = ref.backward_propagation(p, ref.forward_propagation(X, p)[1], X, Y)
    cost = lambda q: ref.compute_cost(ref.forward_propagation(X, q)[0], Y)  # noqa: E731
    for key in p:
        np.testing.assert_allclose(grads["d" + key], _numerical(cost, p, key), rtol=1e-6, atol=1e-9)
    assert set(grads) == {"dW1", "db1", "dW2", "db2"}


def test_compute_cost_is_a_float_and_the_mean_cross_entropy():
    A, Y = np.array([[0.9, 0.2, 0.6]]), np.array([[1.0, 0.0, 0.0]])
    cost = ref.compute_cost(A, Y)
    assert type(cost) is float
    assert cost == pytest.approx(-np.mean(np.log([0.9, 0.8, 0.4])), rel=1e-14)


def test_update_parameters_leaves_its_arguments_alone():
    rng = np.random.default_rng(3)
    p = _params(rng, [2, 4, 1])
    g = {"d" + k: rng.normal(size=v.shape) for k, v in p.items()}
    before = copy.deepcopy(p)
    new = ref.update_parameters(p, g, learning_rate=0.3)
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])
        np.testing.assert_allclose(new[k], before[k] - 0.3 * g["d" + k], rtol=1e-15)
        assert new[k] is not p[k]


def test_predict_thresholds_the_output_at_one_half():
    rng = np.random.default_rng(4)
    X, p = rng.normal(size=(2, 50)), _params(rng, [2, 4, 1], scale=2.0)
    np.testing.assert_array_equal(ref.predict(p, X), (ref.forward_propagation(X, p)[0] > 0.5).astype(float))


def test_layer_sizes_uses_the_rows():
    assert ref.layer_sizes(np.zeros((5, 3)), np.zeros((2, 3))) == (5, 4, 2)


# ----------------------------------------------------------------------------- randomness
@pytest.mark.parametrize("init", [lambda rng: ref.initialize_parameters(30, 40, 20, rng),
                                  lambda rng: ref.initialize_parameters_deep([60, 40, 30, 1], rng)])
def test_initializers_are_reproducible_and_leave_the_global_state_alone(init):
    state = np.random.get_state()[1].copy()
    a, b = init(np.random.default_rng(7)), init(np.random.default_rng(7))
    c = init(None)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["W1"], c["W1"])
    np.testing.assert_array_equal(np.random.get_state()[1], state)
    assert all(np.all(a[k] == 0) for k in a if k.startswith("b"))


def test_initializer_scales():
    p = ref.initialize_parameters(50, 40, 30, np.random.default_rng(0))
    assert p["W1"].std() == pytest.approx(0.01, rel=0.1)
    d = ref.initialize_parameters_deep([100, 50, 20], np.random.default_rng(0))
    assert d["W1"].std() == pytest.approx(0.1, rel=0.1) and d["W2"].std() == pytest.approx(1 / np.sqrt(50), rel=0.1)


def test_nn_model_is_reproducible_and_learns_the_flower():
    from nnkit.data import make_flower
    from nnkit.metrics import accuracy

    X, Y = make_flower(200, rng=1)
    state = np.random.get_state()[1].copy()
    a = ref.nn_model(X, Y, 4, num_iterations=1500, rng=np.random.default_rng(3))
    b = ref.nn_model(X, Y, 4, num_iterations=1500, rng=np.random.default_rng(3))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    np.testing.assert_array_equal(np.random.get_state()[1], state)
    assert accuracy(ref.predict(a, X), Y) > 0.8


def test_the_bound_numpy_never_touches_the_real_global_state():
    state = np.random.get_state()[1].copy()
    fake = draws.numpy_for_case(11)
    fake.random.seed(0)
    drawn = fake.random.randn(3, 2)
    np.testing.assert_array_equal(drawn, draws.global_generator(11).standard_normal((3, 2)))
    np.testing.assert_array_equal(fake.random.default_rng().standard_normal(2),
                                  draws.case_generator(11).standard_normal(2))
    np.testing.assert_array_equal(fake.random.default_rng(123).standard_normal(2),
                                  draws.fixed_seed_generator(11).standard_normal(2))
    with pytest.raises(draws.GlobalRandomStateUsed, match="legacy generator"):
        fake.random.RandomState(1)
    np.testing.assert_array_equal(np.random.get_state()[1], state)
    assert fake.zeros(2).shape == (2,) and fake.random.Generator is np.random.Generator


# ----------------------------------------------------------------------------- property checks
def _planar_check(result, n_x=50, n_h=30, n_y=20):
    shapes = {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}
    return properties.check_gaussian_init(result, shapes, {"W1": 0.01, "W2": 0.01}, draws.case_seed(n_x, n_h, n_y))


@pytest.mark.parametrize("variant,label", [
    (mistakes_planar.init_scale_1, "scale-1"), (mistakes_planar.init_variance_for_deviation, "variance-for-deviation"),
    (mistakes_planar.init_random_bias, "bias-not-zero"), (mistakes_planar.init_transposed, "transposed"),
    (mistakes_planar.init_bias_1d, "bias-1d"), (mistakes_planar.init_zero_weights, "symmetric-weights"),
    (mistakes_planar.init_uniform, "not-centred"), (mistakes_planar.init_fixed_seed, "fixed-seed"),
    (mistakes_planar.init_global_state, "global-random-state"), (mistakes_planar.init_scale_01, "scale-0.1"),
])
def test_the_planar_check_names_wrong_initializers(variant, label):
    failure = _planar_check(variant(50, 30, 20))
    assert failure is not None and failure.label == label, failure


def test_the_planar_check_passes_right_draws_in_any_order():
    g = draws.case_generator(draws.case_seed(50, 30, 20))
    reference_order = ref.initialize_parameters(50, 30, 20, rng=g)
    assert _planar_check(reference_order) is None
    other = np.random.default_rng(99)  # not the case's generator: judged by the statistics
    assert _planar_check({"W2": other.standard_normal((20, 30)) * 0.01, "W1": other.normal(0, 0.01, (30, 50)),
                          "b1": np.zeros((30, 1)), "b2": np.zeros((20, 1))}) is None


@pytest.mark.parametrize("variant,label", [
    (mistakes_deep.deep_scale_1, "scale-1"), (mistakes_deep.deep_scale_001, "scale-0.01"),
    (mistakes_deep.deep_he_scale, "he-scale"), (mistakes_deep.deep_wrong_dimension, "wrong-dimension"),
    (mistakes_deep.deep_divided_by_n, "variance-for-deviation"), (mistakes_deep.deep_last_layer_missing, "wrong-keys"),
    (mistakes_deep.deep_bias_1d, "bias-1d"), (mistakes_deep.deep_transposed, "transposed"),
    (mistakes_deep.deep_global_state, "global-random-state"), (mistakes_deep.deep_fixed_seed, "fixed-seed"),
])
def test_the_deep_check_names_wrong_initializers(variant, label):
    dims = [100, 25, 64, 1]
    case = next(c for c in A2.exercise("initialize_parameters_deep").cases(np.random.default_rng(0))
                if c.args[0] == dims)
    failure = A2.exercise("initialize_parameters_deep").check(case, variant(dims))
    assert failure is not None and failure.label == label, failure


def test_a_single_draw_is_never_taken_for_a_stream():
    # one number is a multiple of any draw of its sign: the check falls back to its size
    assert _planar_check({"W1": np.array([[0.004]]), "b1": np.zeros((1, 1)), "W2": np.array([[-0.02]]),
                          "b2": np.zeros((1, 1))}, 1, 1, 1) is None


# ----------------------------------------------------------------------------- nn_model's cases
@pytest.mark.parametrize("run", ["visible", "hidden"])
def test_the_short_nn_model_runs_are_stable(run):
    """A change of the start in the 12th digit must stay far below the tolerance after the run."""
    tol = A2.exercise("nn_model").tolerance
    for case in cases_nn_model(case_rng(A2.name, "nn_model", run)):
        X, Y, n_h = case.args
        start = draws.start_parameters(X.shape[0], n_h, Y.shape[0])
        nudged = {k: v * (1 + 1e-12) for k, v in start.items()}
        kw = {"learning_rate": 1.2, **case.kwargs}
        a = ref.train_planar(X, Y, start, kw["num_iterations"], kw["learning_rate"])
        b = ref.train_planar(X, Y, nudged, kw["num_iterations"], kw["learning_rate"])
        drift = max(float(np.max(np.abs(a[k] - b[k]))) for k in a)
        assert drift < tol.atol / 100, (case.label, drift)


def test_nn_model_from_start_is_nn_model_from_that_start():
    from nnkit.data import make_moons

    X, Y = make_moons(30, rng=2)
    got = draws.nn_model_from_start(X, Y, 3, num_iterations=40, learning_rate=0.7)
    p = draws.start_parameters(2, 3, 1)
    for _ in range(40):
        _, cache = ref.forward_propagation(X, p)
        p = ref.update_parameters(p, ref.backward_propagation(p, cache, X, Y), 0.7)
    for k in p:
        np.testing.assert_allclose(got[k], p[k], rtol=1e-10, atol=1e-13)


# ----------------------------------------------------------------------------- the L-layer network
@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
def test_linear_activation_backward_matches_finite_differences(activation):
    rng = np.random.default_rng(5)
    A_prev, W, b = rng.normal(size=(3, 4)), rng.normal(size=(2, 3)), rng.normal(size=(2, 1))
    dA = rng.normal(size=(2, 4))
    _, cache = ref.linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = ref.linear_activation_backward(dA, cache, activation)
    p = {"A": A_prev, "W": W, "b": b}
    m = A_prev.shape[1]
    # dW and db are the gradients of 1/m sum(dA * g(W A + b)); dA_prev of the sum itself
    cost = lambda q: float(np.sum(dA * ref.linear_activation_forward(q["A"], q["W"], q["b"], activation)[0]))  # noqa: E731
    np.testing.assert_allclose(dW, _numerical(cost, p, "W") / m, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(db, _numerical(cost, p, "b") / m, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(dA_prev, _numerical(cost, p, "A"), rtol=1e-6, atol=1e-9)
    assert cache[1].shape == (2, 4) and len(cache[0]) == 3


@pytest.mark.parametrize("dims,m", [([4, 1], 3), ([3, 4, 1], 1), ([5, 4, 3, 2, 1], 6)])
def test_L_model_backward_matches_finite_differences(dims, m):
    rng = np.random.default_rng(len(dims))
    X, Y, p = rng.normal(size=(dims[0], m)), rng.integers(0, 2, (1, m)).astype(float), _params(rng, dims, 0.7)
    AL, caches = ref.L_model_forward(X, p)
    assert len(caches) == len(dims) - 1
    grads = ref.L_model_backward(AL, Y, caches)
    L = len(dims) - 1
    assert set(grads) == {f"{g}{l}" for l in range(1, L + 1) for g in ("dW", "db")} | {f"dA{l}" for l in range(L)}
    cost = lambda q: ref.compute_cost(ref.L_model_forward(X, q)[0], Y)  # noqa: E731
    for key in p:
        np.testing.assert_allclose(grads["d" + key], _numerical(cost, p, key), rtol=1e-5, atol=1e-8)


def test_the_worked_example_of_seed_003_through_the_references():
    """x = (1, 0, 1), y = 0.98, ReLU then two sigmoid layers, E = 1/2 (y_hat - y)^2, learning rate 1."""
    tables = {1: [[1.0, 0.0], [1.0, 0.5], [1.0, 1.5]], 2: [[1.0, 0.7], [1.2, 0.8]], 3: [[1.0], [0.5]]}
    W = {l: np.array(t).T for l, t in tables.items()}
    acts = {1: "relu", 2: "sigmoid", 3: "sigmoid"}
    A, caches = np.array([[1.0], [0.0], [1.0]]), {}
    for l in (1, 2, 3):
        A, caches[l] = ref.linear_activation_forward(A, W[l], np.zeros((W[l].shape[0], 1)), acts[l])
    np.testing.assert_allclose(caches[2][1].ravel(), [3.8, 2.6], rtol=1e-14)
    assert float(A[0, 0]) == pytest.approx(0.80900, abs=5e-6)
    dA, deltas, dWs = A - 0.98, {}, {}
    for l in (3, 2, 1):
        dA, dWs[l], deltas[l] = ref.linear_activation_backward(dA, caches[l], acts[l])
    np.testing.assert_allclose(deltas[3].ravel(), [-0.026422], atol=5e-7)
    np.testing.assert_allclose(deltas[2].ravel(), [-0.00056549, -0.00085023], atol=5e-9)
    np.testing.assert_allclose(deltas[1].ravel(), [-0.00116065, -0.00135877], atol=5e-9)
    new = {l: (W[l] - dWs[l]).T for l in W}
    np.testing.assert_allclose(new[3], [[1.025844], [0.524595]], atol=5e-7)
    np.testing.assert_allclose(new[2], [[1.001131, 0.701700], [1.200848, 0.801275]], atol=5e-7)
    np.testing.assert_allclose(new[1], [[1.001161, 0.001359], [1, 0.5], [1.001161, 1.501359]], atol=5e-7)


# ----------------------------------------------------------------------------- the grading spec
def test_every_forbidden_path_is_a_function_the_sandbox_can_swap():
    for ex in A2.exercises:
        for path in ex.forbidden:
            obj = resolve(path)
            assert callable(obj) and hasattr(getattr(obj, "__func__", obj), "__code__"), path


@pytest.mark.parametrize("name", [ex.name for ex in A2.exercises])
def test_every_known_mistake_fails_and_is_named_as_itself(name):
    ex = A2.exercise(name)
    assert len(ex.misconceptions) >= 3
    for mis in ex.misconceptions:
        result = evaluate(A2, name, mis.variant, run="hidden", key="self-test")
        assert not result.passed and result.misconception == mis.label, (mis.label, result.feedback)


@pytest.mark.parametrize("name", [ex.name for ex in A2.exercises])
def test_the_reference_passes_its_own_cases(name):
    for run in ("visible", "hidden"):
        result = evaluate(A2, name, A2.exercise(name).reference, run=run)
        assert result.passed, result.feedback
