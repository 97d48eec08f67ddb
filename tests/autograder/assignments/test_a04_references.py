"""Assignment 4's grading content: references, scripted random draws, cases and known mistakes.

- the references (thin adapters over nnkit.optim and nnkit.schedules) equal the formulas written
  out here, keep the classic known values (momentum with beta 0 is gradient descent, the heavy ball
  is the averaged form with a rescaled rate, Adam's first step is about -lr sign(g)), modify none of
  their arguments and return fresh arrays;
- the scripted generator gives one permutation however it is asked for, a new one at every draw,
  and the per-case numpy stand-in never touches numpy's global random state;
- the cases hold the inputs the grading traps need (tiny gradients, a large epsilon, several t, the
  warm-up boundary, m = 1, two label rows, the default batch size);
- every known mistake fails its exercise and is named, on both runs; every graded function has at
  least three; the modules the sandbox imports stay light.
"""

from __future__ import annotations

import copy
import subprocess
import sys

import numpy as np
import pytest

from autograder.assignments import get_assignment
from autograder.assignments.a04_optimization import cases as C
from autograder.assignments.a04_optimization import checks
from autograder.assignments.a04_optimization import draws
from autograder.assignments.a04_optimization import mistakes_batches as mk
from autograder.assignments.a04_optimization import references as ref
from autograder.frontends.notebook import evaluate
from autograder.grading.engine import case_calls, case_rng

A4 = get_assignment("04_optimization")


def _network(seed, dims=(3, 4, 2, 1)):
    rng = np.random.default_rng(seed)
    params = C.params_for(rng, list(dims))
    return params, C.like(rng, params), C.like(rng, params, 0.5), C.like(rng, params, 1.0, squared=True)


def _allclose(a: dict, b: dict):
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=1e-12, atol=1e-15, err_msg=k)


# ----------------------------------------------------------------------------- the formulas
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_references_equal_the_formulas(seed):
    p, g, v, s = _network(seed)
    lr, beta, eps = 0.07, 0.8, 1e-3
    _allclose(ref.update_parameters_with_gd(p, g, lr), {k: p[k] - lr * g["d" + k] for k in p})

    new_p, new_v = ref.update_parameters_with_momentum(p, g, v, beta, lr)
    v_expected = {k: beta * v[k] + (1 - beta) * g[k] for k in v}
    _allclose(new_v, v_expected)
    _allclose(new_p, {k: p[k] - lr * v_expected["d" + k] for k in p})

    new_p, new_m = ref.update_parameters_with_heavy_ball(p, g, v, beta, lr)
    m_expected = {k: beta * v[k] - lr * g[k] for k in v}
    _allclose(new_m, m_expected)
    _allclose(new_p, {k: p[k] + m_expected["d" + k] for k in p})

    new_p, new_s = ref.update_parameters_with_rmsprop(p, g, s, lr, beta, eps)
    s_expected = {k: beta * s[k] + (1 - beta) * g[k] ** 2 for k in s}
    _allclose(new_s, s_expected)
    _allclose(new_p, {k: p[k] - lr * g["d" + k] / (np.sqrt(s_expected["d" + k]) + eps) for k in p})

    new_p, new_s = ref.update_parameters_with_adagrad(p, g, s, lr, eps)
    s_expected = {k: s[k] + g[k] ** 2 for k in s}
    _allclose(new_s, s_expected)
    _allclose(new_p, {k: p[k] - lr * g["d" + k] / (np.sqrt(s_expected["d" + k]) + eps) for k in p})

    t, b1, b2 = 5, 0.85, 0.99
    new_p, new_v, new_s, v_c, s_c = ref.update_parameters_with_adam(p, g, v, s, t, lr, b1, b2, eps)
    v_expected = {k: b1 * v[k] + (1 - b1) * g[k] for k in v}
    s_expected = {k: b2 * s[k] + (1 - b2) * g[k] ** 2 for k in s}
    _allclose(new_v, v_expected)
    _allclose(new_s, s_expected)
    _allclose(v_c, {k: v_expected[k] / (1 - b1**t) for k in v})
    _allclose(s_c, {k: s_expected[k] / (1 - b2**t) for k in s})
    _allclose(new_p, {k: p[k] - lr * v_c["d" + k] / (np.sqrt(s_c["d" + k]) + eps) for k in p})


def test_the_schedules_at_their_boundaries():
    assert ref.update_lr(0.1, 0, 1.0) == 0.1 and ref.update_lr(0.1, 4, 0.5) == pytest.approx(0.1 / 3)
    assert ref.schedule_lr_decay(0.1, 9, 1.0, 10) == 0.1
    assert ref.schedule_lr_decay(0.1, 10, 1.0, 10) == pytest.approx(0.05)
    assert ref.schedule_lr_decay(0.3, 999, 1.0) == 0.3 and ref.schedule_lr_decay(0.3, 1000, 1.0) == pytest.approx(0.15)
    assert ref.warmup_lr(0.1, 0, 5) == pytest.approx(0.02)
    assert ref.warmup_lr(0.1, 4, 5) == pytest.approx(0.1) and ref.warmup_lr(0.1, 5, 5) == 0.1
    assert ref.warmup_lr(0.3, 0, 1) == 0.3
    assert all(isinstance(f, float) for f in (ref.update_lr(0.1, 3, 0.2), ref.schedule_lr_decay(0.1, 3, 0.2, 2),
                                               ref.warmup_lr(0.1, 3, 9)))


def test_momentum_with_beta_zero_is_gradient_descent():
    p, g, v, _ = _network(3)
    _allclose(ref.update_parameters_with_momentum(p, g, v, 0.0, 0.05)[0], ref.update_parameters_with_gd(p, g, 0.05))
    _allclose(ref.update_parameters_with_heavy_ball(p, g, v, 0.0, 0.05)[0], ref.update_parameters_with_gd(p, g, 0.05))


def test_the_heavy_ball_is_the_averaged_form_with_a_rescaled_rate():
    p, _, _, _ = _network(4)
    alpha, beta = 0.3, 0.9
    a_params, v = p, ref.initialize_velocity(p)
    h_params, m = p, ref.initialize_velocity(p)
    rng = np.random.default_rng(5)
    for _ in range(25):
        g = C.like(rng, p)
        a_params, v = ref.update_parameters_with_momentum(a_params, g, v, beta, alpha)
        h_params, m = ref.update_parameters_with_heavy_ball(h_params, g, m, beta, (1 - beta) * alpha)
        _allclose(m, {k: -alpha * v[k] for k in v})
    _allclose(a_params, h_params)


def test_adams_first_step_is_about_minus_lr_times_the_sign():
    p, g, _, _ = _network(6)
    v, s = ref.initialize_adam(p)
    new_p = ref.update_parameters_with_adam(p, g, v, s, 1, learning_rate=0.001)[0]
    for k in p:
        np.testing.assert_allclose(new_p[k] - p[k], -0.001 * np.sign(g["d" + k]), rtol=1e-5)


def test_references_modify_nothing_and_initializers_return_fresh_arrays():
    p, g, v, s = _network(7)
    before = copy.deepcopy((p, g, v, s))
    ref.update_parameters_with_gd(p, g, 0.1)
    ref.update_parameters_with_momentum(p, g, v, 0.9, 0.1)
    ref.update_parameters_with_heavy_ball(p, g, v, 0.9, 0.1)
    ref.update_parameters_with_adam(p, g, v, s, 3)
    ref.update_parameters_with_rmsprop(p, g, s)
    ref.update_parameters_with_adagrad(p, g, s)
    for a, b in zip(before, (p, g, v, s)):
        _allclose(a, b)
    v0, s0 = ref.initialize_adam(p)
    for state in (v0, s0, ref.initialize_velocity(p), ref.initialize_rmsprop(p)):
        assert set(state) == {"d" + k for k in p}
        for k, arr in state.items():
            assert arr.shape == p[k[1:]].shape and not arr.any() and not np.shares_memory(arr, p[k[1:]])
    assert not any(np.shares_memory(v0[k], s0[k]) for k in v0)


# ----------------------------------------------------------------------------- mini-batches and scripted draws
def _idioms(m):
    """Every usual right way of drawing a permutation of m, from a fresh scripted generator each."""
    def fresh():
        return draws.ScriptedGenerator(11)
    shuffled = np.arange(m)
    fresh().shuffle(shuffled)
    XY = np.arange(3 * m).reshape(3, m).astype(float)
    fresh().shuffle(XY.T)
    return {
        "permutation": fresh().permutation(m),
        "shuffle": shuffled,
        "choice": fresh().choice(m, m, replace=False),
        "argsort(random)": np.argsort(fresh().random(m)),
        "permuted": fresh().permuted(np.arange(m)),
        "shuffle of a stacked copy": (XY[0]).astype(int),
        "permutation of a list": fresh().permutation(list(range(m))),
    }


@pytest.mark.parametrize("m", [2, 3, 7, 40])
def test_every_way_of_drawing_gives_the_scripted_permutation(m):
    found = _idioms(m)
    expected = found["permutation"]
    assert sorted(expected) == list(range(m)) and not np.array_equal(expected, np.arange(m))
    for how, perm in found.items():
        assert np.array_equal(perm, expected), how


def test_consecutive_draws_and_streams_differ():
    g = draws.ScriptedGenerator(3)
    first, second = g.permutation(9), g.permutation(9)
    assert not np.array_equal(first, second)
    streams = [draws.ScriptedGenerator(3, s).permutation(9) for s in draws.STREAMS]
    assert len({tuple(p) for p in streams}) == len(draws.STREAMS)


def test_the_numpy_of_a_case_routes_randomness_and_leaves_the_global_state_alone():
    state = np.random.get_state()
    npx = draws.numpy_for_case(17)
    assert npx.zeros(2).shape == (2,) and npx.float64 is np.float64 and npx.random.Generator is np.random.Generator
    rng_perm = npx.random.default_rng().permutation(8)
    assert np.array_equal(rng_perm, draws.ScriptedGenerator(17, "rng").permutation(8))
    assert npx.random.default_rng(npx.random.default_rng()) is npx.random.default_rng()
    assert np.array_equal(npx.random.default_rng(0).permutation(8), draws.ScriptedGenerator(17, "fixed").permutation(8))
    npx.random.seed(0)
    assert np.array_equal(npx.random.permutation(8), draws.ScriptedGenerator(17, "global").permutation(8))
    npx.random.shuffle(np.arange(8))
    npx.random.RandomState(1).permutation(8)
    npx.random.rand(3), npx.random.randn(3), npx.random.randint(0, 5, 3), npx.random.normal(0, 1, 3)
    after = np.random.get_state()
    assert after[0] == state[0] and np.array_equal(after[1], state[1]) and after[2:] == state[2:]


def test_the_graded_reference_draws_from_the_case_script_and_keeps_the_partition():
    for case in C.cases_mini_batches(np.random.default_rng(0)):
        X, Y = case.args[:2]
        size = case.args[2] if len(case.args) > 2 else 64
        batches = draws.random_mini_batches(*case.args)
        m = X.shape[1]
        assert [b[0].shape[1] for b in batches] == [size] * (m // size) + ([m % size] if m % size else [])
        X_all = np.concatenate([b[0] for b in batches], axis=1)
        Y_all = np.concatenate([b[1] for b in batches], axis=1)
        perm = draws.ScriptedGenerator(draws.case_seed(X, Y, size)).permutation(m)
        assert np.array_equal(X_all, X[:, perm]) and np.array_equal(Y_all, Y[:, perm])
        seed, = case.bind["np"][1]
        assert seed == draws.case_seed(X, Y, size)


def test_the_notebook_reference_uses_the_rng_it_is_given():
    X, Y = np.arange(20.0).reshape(2, 10), np.arange(10.0).reshape(1, 10)
    a = ref.random_mini_batches(X, Y, 4, np.random.default_rng(5))
    b = ref.random_mini_batches(X, Y, 4, np.random.default_rng(5))
    assert all(np.array_equal(x[0], y[0]) and np.array_equal(x[1], y[1]) for x, y in zip(a, b))
    assert [x[0].shape[1] for x in a] == [4, 4, 2]


@pytest.mark.parametrize("run", ["visible", "hidden"])
def test_the_check_accepts_the_reference_on_every_case(run):
    for case in C.cases_mini_batches(case_rng(A4.name, "random_mini_batches", run)):
        assert checks.check_mini_batches(case, draws.random_mini_batches(*case.args, **case.kwargs)) is None


def _case(m=10, size=4, seed=3):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(3, m)), (rng.random((1, m)) < 0.5).astype(float)
    return C.Case(f"m = {m}, mini_batch_size = {size}", (X, Y, size))


@pytest.mark.parametrize("variant, words", [
    (mk.batches_separate_permutations, "the labels are not those of their examples"),
    (mk.batches_drop_remainder, "every example exactly once: 2 of 10 examples are missing"),
    (mk.batches_last_full_size, "2 are repeated"),
    (mk.batches_extra_empty, None),
    (mk.batches_not_shuffled, "original order"),
    (mk.batches_global_state, "not one drawn from rng"),
    (mk.batches_fixed_seed, "not one drawn from rng"),
    (mk.batches_y_one_dimensional, "Y_batch should be a 2-D array with 1 row"),
    (mk.batches_shuffled_rows, "not a column of X"),
])
def test_the_check_says_what_is_wrong(variant, words):
    case = _case(m=12 if variant is mk.batches_extra_empty else 10)
    message = checks.check_mini_batches(case, variant(*case.args))
    assert message is not None
    assert words is None or words in message, message


def test_the_check_reads_the_default_batch_size():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(2, 150)), np.ones((1, 150))
    case = C.Case("default size", (X, Y))
    assert checks.batch_size_of(case) == 64
    assert checks.check_mini_batches(case, draws.random_mini_batches(X, Y)) is None
    assert "should be [64, 64, 22]" in checks.check_mini_batches(case, draws.random_mini_batches(X, Y, 50))


# ----------------------------------------------------------------------------- cases
@pytest.mark.parametrize("run", ["visible", "hidden"])
def test_cases_hold_what_the_grading_traps_need(run):
    def cases(name):
        return A4.exercise(name).cases(case_rng(A4.name, name, run))

    dims = [tuple(c.args[0][f"W{l}"].shape for l in range(1, len(c.args[0]) // 2 + 1)) for c in cases("update_parameters_with_gd")]
    assert any(len(d) == 1 for d in dims) and any(d[0][1] == 1 for d in dims) and any(len(d) >= 3 for d in dims)
    adam = cases("update_parameters_with_adam")
    ts = {c.args[4] for c in adam}
    assert 1 in ts and len(ts & set(range(2, 11))) >= 2 and max(ts) > 10
    grad_sizes = [max(np.abs(g).max() for g in c.args[1].values()) for c in adam]
    assert min(grad_sizes) < 1e-4, "a case of tiny gradients"
    assert any(c.kwargs.get("epsilon", 1e-8) >= 0.01 for c in adam), "a case of a large epsilon"
    for name in ("update_parameters_with_rmsprop", "update_parameters_with_adagrad"):
        sizes = [max(np.abs(g).max() for g in c.args[1].values()) for c in cases(name)]
        assert min(sizes) < 1e-4 and any(c.kwargs.get("epsilon", 1e-8) >= 0.01 for c in cases(name))
    warm = [(c.args[1], c.args[2]) for c in cases("warmup_lr")]
    assert any(s == 0 for s, _ in warm) and any(s == w - 1 for s, w in warm) and any(s == w for s, w in warm)
    batches = cases("random_mini_batches")
    shapes = [(c.args[0].shape, c.args[1].shape[0], c.args[2] if len(c.args) > 2 else None) for c in batches]
    assert any(x[1] == 1 for x, _, _ in shapes) and any(x[0] == 1 for x, _, _ in shapes)
    assert any(n_y > 1 for _, n_y, _ in shapes) and any(size is None for _, _, size in shapes)
    assert any(size == 1 for _, _, size in shapes) and any(size and size > x[1] for x, _, size in shapes)
    assert any(size and x[1] % size == 0 for x, _, size in shapes) and any(size and x[1] % size for x, _, size in shapes)


def _fingerprint(calls) -> str:
    """The labels and every number of a run's inputs, as one string."""
    def flat(value):
        if isinstance(value, dict):
            return [x for k in sorted(value) for x in flat(value[k])]
        if isinstance(value, (list, tuple)):
            return [x for v in value for x in flat(v)]
        return [np.asarray(value, dtype=float).tobytes().hex()]
    return repr([(c.case.label, flat(c.case.args), flat(c.case.kwargs)) for c in calls])


def test_visible_and_hidden_runs_draw_different_inputs():
    for ex in A4.exercises:
        assert _fingerprint(case_calls(A4, ex, "visible")) != _fingerprint(case_calls(A4, ex, "hidden")), ex.name


# ----------------------------------------------------------------------------- known mistakes
MISTAKES = [(ex, mis) for ex in A4.exercises for mis in ex.misconceptions]


@pytest.mark.parametrize("ex,mis", MISTAKES, ids=[f"{ex.name}:{mis.label}" for ex, mis in MISTAKES])
def test_every_known_mistake_fails_and_is_named(ex, mis):
    for run in ("visible", "hidden"):
        result = evaluate(A4, ex.name, mis.variant, run)
        assert not result.passed and result.misconception == mis.label, (run, result.feedback)


def test_every_graded_function_has_at_least_three_named_mistakes_and_passes_with_its_reference():
    for ex in A4.exercises:
        assert len(ex.misconceptions) >= 3, ex.name
        assert evaluate(A4, ex.name, ex.reference, "hidden").passed, ex.name


def test_the_modules_the_sandbox_imports_stay_light():
    package = "autograder.assignments.a04_optimization"
    code = (f"import sys; import {package}.draws, {package}.references; "
            f"print(sorted(m for m in sys.modules if m.startswith(('{package}.', 'matplotlib', 'autograder.frontends'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == f"['{package}.draws', '{package}.references']", out
