"""Optimizers: purity (nothing mutated), shapes, descent, and each update rule checked by hand."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping

import numpy as np
import pytest

from nnkit.optim import OPTIMIZERS, adagrad, adam, apply_updates, get_optimizer, momentum, rmsprop, sgd

# every registered name, plus the classical momentum form
CONFIGS = [(name, {}) for name in sorted(OPTIMIZERS)] + [("momentum", {"form": "classical"})]
CONFIG_IDS = [n + ("-" + "-".join(f"{v}" for v in kw.values()) if kw else "") for n, kw in CONFIGS]


def _build(name, lr=0.1, **kw):
    return get_optimizer(name, learning_rate=lr, **kw)


def _params(rng):
    return {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=(3, 1)),
            "W2": rng.normal(size=(1, 3)), "b2": rng.normal(size=(1, 1))}


def _grads(params, rng):
    return {"d" + k: rng.normal(size=v.shape) for k, v in params.items()}


def _assert_deep_equal(a, b, path="state"):
    """Recursive equality over dicts, tuples (NamedTuples) and arrays; also checks types."""
    assert type(a) is type(b), path
    if isinstance(a, Mapping):
        assert list(a) == list(b), path
        for k in a:
            _assert_deep_equal(a[k], b[k], f"{path}[{k!r}]")
    elif isinstance(a, tuple):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _assert_deep_equal(x, y, f"{path}[{i}]")
    elif isinstance(a, np.ndarray):
        assert a.shape == b.shape and a.dtype == b.dtype, path
        np.testing.assert_array_equal(a, b, err_msg=path)
    else:
        assert a == b, path


def test_registry_names():
    assert {"sgd", "gd", "momentum", "adagrad", "rmsprop", "adam"} <= set(OPTIMIZERS)


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_init_and_update_mutate_nothing(name, kw, rng):
    opt = _build(name, **kw)
    params = _params(rng)
    params_copy = copy.deepcopy(params)
    state = opt.init(params)
    _assert_deep_equal(params, params_copy, "params")
    for _ in range(3):
        grads = _grads(params, rng)
        grads_copy, state_copy = copy.deepcopy(grads), copy.deepcopy(state)
        updates, new_state = opt.update(grads, state)
        _assert_deep_equal(grads, grads_copy, "grads")
        _assert_deep_equal(state, state_copy, "state")
        new_params = apply_updates(params, updates)
        _assert_deep_equal(params, params_copy, "params")
        params, params_copy, state = new_params, copy.deepcopy(new_params), new_state


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_replaying_a_step_gives_the_same_result(name, kw, rng):
    opt = _build(name, **kw)
    params = _params(rng)
    state = opt.init(params)
    g1, g2 = _grads(params, rng), _grads(params, rng)
    _, state1 = opt.update(g1, state)
    a, _ = opt.update(g2, state1)
    b, _ = opt.update(g2, state1)  # the old state is still valid: pure functions
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_updates_have_the_params_keys_and_shapes(name, kw, rng):
    opt = _build(name, **kw)
    params = _params(rng)
    updates, state = opt.update(_grads(params, rng), opt.init(params))
    assert set(updates) == set(params)
    for k in params:
        assert updates[k].shape == params[k].shape
    assert state.count == 1
    new = apply_updates(params, updates)
    assert set(new) == set(params) and new is not params


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_one_step_decreases_a_quadratic(name, kw, rng):
    """f(theta) = 1/2 sum(c * theta^2), c > 0; |theta| >= 0.5 so even a sign-step of 0.1 descends."""
    c = {"W1": rng.uniform(0.5, 2.0, size=(3, 2)), "b1": rng.uniform(0.5, 2.0, size=(3, 1))}
    params = {k: rng.uniform(0.5, 2.0, size=v.shape) * rng.choice([-1, 1], size=v.shape) for k, v in c.items()}

    def f(p):
        return sum(0.5 * float(np.sum(c[k] * p[k] ** 2)) for k in p)

    opt = _build(name, lr=0.1, **kw)
    state = opt.init(params)
    for _ in range(3):
        updates, state = opt.update({"d" + k: c[k] * params[k] for k in params}, state)
        new = apply_updates(params, updates)
        assert f(new) < f(params)
        params = new


@pytest.mark.parametrize("form", ["ema", "classical"])
def test_momentum_with_beta_zero_is_sgd_exactly(form, rng):
    params = _params(rng)
    opt_m, opt_s = momentum(0.05, beta=0.0, form=form), sgd(0.05)
    sm, ss = opt_m.init(params), opt_s.init(params)
    pm = ps = params
    for _ in range(4):
        grads = _grads(params, rng)
        um, sm = opt_m.update(grads, sm)
        us, ss = opt_s.update(grads, ss)
        for k in params:
            np.testing.assert_array_equal(um[k], us[k])
        pm, ps = apply_updates(pm, um), apply_updates(ps, us)
    for k in params:
        np.testing.assert_array_equal(pm[k], ps[k])


def _run_scalar(opt, grads_seq, theta0=1.0):
    """Apply ``opt`` to a (1, 1) parameter with the given gradient sequence; return theta after each step."""
    params = {"W1": np.array([[theta0]])}
    state = opt.init(params)
    out = []
    for g in grads_seq:
        updates, state = opt.update({"dW1": np.array([[g]])}, state)
        params = apply_updates(params, updates)
        out.append(float(params["W1"][0, 0]))
    return out


def test_momentum_classical_closed_form_three_steps():
    # v1 = -lr g1 = -0.1; v2 = 0.9 v1 - 0.1 (-2) = 0.11; v3 = 0.9 v2 - 0.1 (0.5) = 0.049
    thetas = _run_scalar(momentum(0.1, beta=0.9, form="classical"), [1.0, -2.0, 0.5])
    assert thetas == pytest.approx([0.9, 1.01, 1.059], rel=1e-13)


def test_momentum_ema_closed_form_three_steps():
    # v1 = 0.1 g1 = 0.1; v2 = 0.9 v1 + 0.1 (-2) = -0.11; v3 = 0.9 v2 + 0.1 (0.5) = -0.049; step -lr v
    thetas = _run_scalar(momentum(0.1, beta=0.9, form="ema"), [1.0, -2.0, 0.5])
    assert thetas == pytest.approx([0.99, 1.001, 1.0059], rel=1e-13)


def test_momentum_default_form_is_ema():
    assert _run_scalar(momentum(0.1, beta=0.9), [1.0, -2.0]) == _run_scalar(momentum(0.1, beta=0.9, form="ema"), [1.0, -2.0])


ALPHA, BETA1, BETA2, EPS = 0.001, 0.9, 0.999, 1e-8
GRADS = [0.5, -0.2, 0.1]


def _adam_by_hand(grads, theta=1.0, second_moment_correction="beta2"):
    """Algorithm 1 of Kingma & Ba in plain Python floats (the variant corrects v with beta1^t)."""
    m = v = 0.0
    out = []
    for t, g in enumerate(grads, start=1):
        m = BETA1 * m + (1 - BETA1) * g
        v = BETA2 * v + (1 - BETA2) * g * g
        m_hat = m / (1 - BETA1**t)
        v_hat = v / (1 - (BETA2 if second_moment_correction == "beta2" else BETA1) ** t)
        theta = theta - ALPHA * m_hat / (math.sqrt(v_hat) + EPS)
        out.append(theta)
    return out


def test_adam_follows_algorithm_1_for_three_steps():
    expected = _adam_by_hand(GRADS)
    # the same numbers worked out once by hand, as a check of the reference above:
    # t=1: m=0.05, v=0.00025, m_hat=0.5, v_hat=0.25 -> theta = 1 - 0.001*0.5/(0.5+1e-8)
    # t=2: m=0.025, v=0.00028975, m_hat=0.025/0.19, v_hat=0.00028975/0.001999
    # t=3: m=0.0325, v=0.00029946025, m_hat=0.0325/0.271, v_hat=0.00029946025/0.002997001
    assert expected[0] == pytest.approx(1 - 0.001 * 0.5 / (0.5 + 1e-8), rel=1e-15)
    step2 = 0.001 * (0.025 / 0.19) / (math.sqrt(0.00028975 / 0.001999) + 1e-8)
    step3 = 0.001 * (0.0325 / 0.271) / (math.sqrt(0.00029946025 / 0.002997001) + 1e-8)
    assert expected[1] == pytest.approx(expected[0] - step2, rel=1e-13)
    assert expected[2] == pytest.approx(expected[1] - step3, rel=1e-13)
    assert expected == pytest.approx([0.99900000002, 0.9986543941811651, 0.998275002408357], rel=1e-12)

    got = _run_scalar(adam(ALPHA, BETA1, BETA2, EPS), GRADS)
    assert got == pytest.approx(expected, rel=1e-13)
    # and the state holds the moments m and v
    opt = adam(ALPHA, BETA1, BETA2, EPS)
    state = opt.init({"W1": np.zeros((1, 1))})
    for g in GRADS:
        _, state = opt.update({"dW1": np.array([[g]])}, state)
    assert state.count == 3
    assert float(state.m["W1"][0, 0]) == pytest.approx(0.0325, rel=1e-13)
    assert float(state.v["W1"][0, 0]) == pytest.approx(0.00029946025, rel=1e-13)


def test_adam_corrects_the_second_moment_with_beta2_not_beta1():
    got = _run_scalar(adam(ALPHA, BETA1, BETA2, EPS), GRADS)
    wrong = _adam_by_hand(GRADS, second_moment_correction="beta1")
    right = _adam_by_hand(GRADS)
    assert got == pytest.approx(right, rel=1e-13)
    for g_, w_ in zip(got, wrong):
        assert abs(g_ - w_) > 1e-4  # the erratum's first step is 10x too large (0.01 vs 0.001)


def test_adam_first_step_is_about_minus_lr_sign_g(rng):
    g = 10.0 ** rng.uniform(-1.5, 3.0, size=(4, 5)) * rng.choice([-1.0, 1.0], size=(4, 5))
    opt = adam(learning_rate=0.01)
    updates, _ = opt.update({"dW1": g}, opt.init({"W1": np.zeros((4, 5))}))
    np.testing.assert_allclose(updates["W1"], -0.01 * np.sign(g), rtol=1e-6)
    np.testing.assert_allclose(updates["W1"], -0.01 * g / (np.abs(g) + 1e-8), rtol=1e-12)


def test_adagrad_two_steps_by_hand():
    # G1 = 9, theta1 = 1 - 0.1*3/(3 + 1e-8); G2 = 9 + 16 = 25, theta2 = theta1 - 0.1*4/(5 + 1e-8)
    t1 = 1.0 - 0.1 * 3 / (3 + 1e-8)
    t2 = t1 - 0.1 * 4 / (5 + 1e-8)
    assert _run_scalar(adagrad(0.1, eps=1e-8), [3.0, 4.0]) == pytest.approx([t1, t2], rel=1e-14)


def test_rmsprop_two_steps_by_hand():
    # s1 = 0.1*9 = 0.9; s2 = 0.9*0.9 + 0.1*16 = 2.41
    t1 = 1.0 - 0.01 * 3 / (math.sqrt(0.9) + 1e-8)
    t2 = t1 - 0.01 * 4 / (math.sqrt(2.41) + 1e-8)
    assert _run_scalar(rmsprop(0.01, beta=0.9, eps=1e-8), [3.0, 4.0]) == pytest.approx([t1, t2], rel=1e-14)


def test_sgd_and_gd_alias():
    assert _run_scalar(sgd(0.1), [2.0, -1.0]) == pytest.approx([0.8, 0.9], rel=1e-15)
    assert _run_scalar(get_optimizer("gd", learning_rate=0.1), [2.0, -1.0]) == _run_scalar(sgd(0.1), [2.0, -1.0])


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_schedule_is_called_with_the_step_count(name, kw, rng):
    calls = []

    def schedule(step):
        calls.append(step)
        return 0.1 / (1 + step)

    opt = get_optimizer(name, learning_rate=schedule, **kw)
    params = _params(rng)
    state = opt.init(params)
    for _ in range(3):
        _, state = opt.update(_grads(params, rng), state)
    assert calls == [0, 1, 2]


def test_sgd_uses_the_scheduled_rate():
    # lr = 0.1, 0.2, 0.3 at steps 0, 1, 2 with g = 1: theta = 1 - 0.1 - 0.2 - 0.3
    assert _run_scalar(sgd(lambda s: 0.1 * (s + 1)), [1.0, 1.0, 1.0]) == pytest.approx([0.9, 0.7, 0.4], rel=1e-14)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("lr", [0, -1, 0.0, float("inf")])
def test_non_positive_learning_rate(name, lr):
    with pytest.raises(ValueError, match="learning_rate"):
        get_optimizer(name, learning_rate=lr)


@pytest.mark.parametrize(
    "factory, arg",
    [(momentum, "beta"), (rmsprop, "beta"), (adam, "beta1"), (adam, "beta2")],
)
@pytest.mark.parametrize("bad", [1.0, -0.1, 1.5])
def test_betas_outside_unit_interval(factory, arg, bad):
    with pytest.raises(ValueError, match=rf"{arg} must lie in \[0, 1\)"):
        factory(**{arg: bad})


@pytest.mark.parametrize("factory", [adagrad, rmsprop, adam])
def test_bad_eps(factory):
    with pytest.raises(ValueError, match="eps"):
        factory(eps=0)


def test_bad_momentum_form():
    with pytest.raises(ValueError, match="'nesterov'"):
        momentum(form="nesterov")


def test_unknown_optimizer_lists_names():
    with pytest.raises(ValueError) as info:
        get_optimizer("adamw")
    msg = str(info.value)
    assert "'adamw'" in msg
    for name in OPTIMIZERS:
        assert repr(name) in msg


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_grads_missing_a_key(name, kw, rng):
    opt = _build(name, **kw)
    params = _params(rng)
    grads = _grads(params, rng)
    del grads["dW2"]
    with pytest.raises(KeyError, match="dW2"):
        opt.update(grads, opt.init(params))


def test_init_rejects_non_dict():
    with pytest.raises(TypeError, match="params"):
        adam().init([np.zeros(2)])


def test_apply_updates_is_pure():
    params = {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))}
    updates = {"W1": np.full((2, 2), 0.5)}
    new = apply_updates(params, updates)
    np.testing.assert_array_equal(params["W1"], 1.0)
    np.testing.assert_array_equal(new["W1"], 1.5)
    np.testing.assert_array_equal(new["b1"], 0.0)


# ----------------------------------------------------------------------------- the boundary
def _net_params(rng):
    return {"W1": rng.normal(size=(4, 3)), "b1": rng.normal(size=(4, 1)),
            "W2": rng.normal(size=(1, 4)), "b2": rng.normal(size=(1, 1))}


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_a_1d_bias_gradient_is_refused_not_broadcast(name, kw, rng):
    """numpy would turn b1 (4, 1) + db1 (4,) into a (4, 4) bias; the update says what to fix."""
    opt = _build(name, **kw)
    params = _net_params(rng)
    grads = _grads(params, rng)
    grads["db1"] = grads["db1"].ravel()
    with pytest.raises(ValueError) as info:
        opt.update(grads, opt.init(params))
    assert str(info.value).startswith(
        "db1 has shape (4,) but b1 has shape (4, 1): keep the gradient the shape of its parameter "
        "(use keepdims=True in np.sum")


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
@pytest.mark.parametrize("shape, phrase", [((1, 3), "silently broadcast"), ((3, 4), "transposed"),
                                           ((5, 3), "keep the gradient the shape of its parameter")])
def test_a_gradient_of_another_shape_is_refused_by_name(name, kw, rng, shape, phrase):
    opt = _build(name, **kw)
    params = _net_params(rng)
    grads = _grads(params, rng)
    grads["dW1"] = rng.normal(size=shape)
    with pytest.raises(ValueError) as info:
        opt.update(grads, opt.init(params))
    msg = str(info.value)
    assert f"dW1 has shape {shape} but W1 has shape (4, 3)" in msg and phrase in msg
    assert "could not be broadcast" not in msg


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_unchecked_update_is_the_same_arithmetic(name, kw, rng):
    opt = _build(name, **kw)
    params = _net_params(rng)
    s_checked = s_raw = opt.init(params)
    for _ in range(3):
        grads = _grads(params, rng)
        u_checked, s_checked = opt.update(grads, s_checked, params)
        u_raw, s_raw = opt.unchecked_update(grads, s_raw)
        _assert_deep_equal(u_checked, u_raw, "updates")
        _assert_deep_equal(s_checked, s_raw, "state")
        params = apply_updates(params, u_checked)


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_update_ignores_other_gradient_keys(name, kw, rng):
    """model_backward also returns dA0, dA1, ...: they are not parameters' gradients."""
    opt = _build(name, **kw)
    params = _net_params(rng)
    grads = {**_grads(params, rng), "dA0": np.ones((3, 7)), "dA1": np.ones((4, 7))}
    updates, _ = opt.update(grads, opt.init(params), params)
    assert set(updates) == set(params)


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_state_built_for_other_parameters_is_refused(name, kw, rng):
    opt = _build(name, **kw)
    params = _net_params(rng)
    state = opt.init({**params, "W1": np.zeros((5, 3))})  # a W1 of another layer size
    grads = _grads(params, rng)
    with pytest.raises(ValueError) as info:
        opt.update(grads, state, params)
    msg = str(info.value)
    assert "has shape (5, 3) but W1 has shape (4, 3)" in msg and "init(params)" in msg
    with pytest.raises(KeyError, match=r"'W3'.*init\(params\)"):
        opt.update(grads, opt.init(params), {**params, "W3": np.zeros((1, 1))})
    with pytest.raises(KeyError, match=r"'b2'"):
        opt.update(grads, opt.init(params), {k: v for k, v in params.items() if k != "b2"})


def test_adam_state_entries_must_keep_their_parameter_shape(rng):
    opt = adam()
    params = _net_params(rng)
    state = opt.init(params)
    bad = state._replace(v={**state.v, "b1": np.zeros(4)})
    with pytest.raises(ValueError) as info:
        opt.update(_grads(params, rng), bad)
    msg = str(info.value)
    assert msg.startswith("state.v['b1'] has shape (4,) but b1 has shape (4, 1)") and "init(params)" in msg
    with pytest.raises(KeyError, match=r"state.v has no entry 'W2'"):
        opt.update(_grads(params, rng), state._replace(v={k: v for k, v in state.v.items() if k != "W2"}))


@pytest.mark.parametrize("name, kw", CONFIGS, ids=CONFIG_IDS)
def test_update_checks_the_types_of_grads_and_state(name, kw, rng):
    opt = _build(name, **kw)
    params = _net_params(rng)
    with pytest.raises(TypeError, match="grads must be a dict"):
        opt.update([np.zeros((4, 3))], opt.init(params))
    with pytest.raises(TypeError, match=r"state must be the \w+State returned by"):
        opt.update(_grads(params, rng), {"count": 0})
    other = sgd() if name != "sgd" and name != "gd" else adam()
    with pytest.raises(TypeError, match="state must be"):
        opt.update(_grads(params, rng), other.init(params))
    with pytest.raises(TypeError, match=r"dW1 must be a numpy array"):
        opt.update({**_grads(params, rng), "dW1": "oops"}, opt.init(params))


@pytest.mark.parametrize("shape, phrase", [((4,), "keepdims=True"), ((1, 1), "silently broadcast")])
def test_apply_updates_refuses_an_update_of_another_shape(shape, phrase):
    params = {"W1": np.ones((4, 3)), "b1": np.zeros((4, 1))}
    with pytest.raises(ValueError) as info:
        apply_updates(params, {"b1": np.ones(shape)})
    msg = str(info.value)
    assert msg.startswith(f"updates['b1'] has shape {shape} but b1 has shape (4, 1): keep the update the shape of its parameter")
    assert phrase in msg
    with pytest.raises(ValueError, match=r"updates\['W1'\] has shape \(1, 3\) but W1 has shape \(4, 3\)"):
        apply_updates(params, {"W1": np.ones((1, 3))})


def test_apply_updates_refuses_an_update_without_a_parameter():
    params = {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))}
    with pytest.raises(KeyError) as info:
        apply_updates(params, {"dW1": np.zeros((2, 2))})  # gradient keys instead of parameter keys
    msg = str(info.value)
    assert "'dW1'" in msg and "['W1', 'b1']" in msg and "not the gradient keys" in msg
    with pytest.raises(TypeError, match="updates must be a dict"):
        apply_updates(params, [np.zeros((2, 2))])
