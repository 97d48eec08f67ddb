"""Assignment 3's grading content: references, provided helpers, random streams, checks and cases.

- the references (thin adapters over nnkit) equal a textbook numpy implementation written here;
- the helpers the notebooks provide (executed from the committed source notebooks) behave like
  their trusted versions, planted mistakes included;
- the per-case numpy stand-in gives the case's streams and never touches numpy's global state;
- the property checks accept every right way of drawing and reject the wrong ones with a reason;
- the cases separate rounding noise from the formula, on both runs;
- every known mistake fails its exercise and is named.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.assignments import get_assignment
from autograder.assignments.a03_improving_training import checks, draws
from autograder.assignments.a03_improving_training import references as ref
from autograder.frontends.notebook import evaluate
from autograder.grading.engine import case_calls
from autograder.grading.spec import Case

ROOT = Path(__file__).resolve().parents[3]
A3 = get_assignment("03_improving_training")
KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")


# ----------------------------------------------------------------------------- a textbook implementation
def _net(seed, dims=(3, 5, 4, 1), m=7):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    params = {}
    for l in (1, 2, 3):
        params[f"W{l}"] = rng.normal(size=(dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
        params[f"b{l}"] = rng.normal(0, 0.3, (dims[l], 1))
    return X, Y, params


def _forward(X, p, keep_prob=None, rng=None):
    Z1 = p["W1"] @ X + p["b1"]
    A1 = np.maximum(0, Z1)
    D1 = rng.random(A1.shape) < keep_prob if keep_prob else None
    A1 = A1 * D1 / keep_prob if keep_prob else A1
    Z2 = p["W2"] @ A1 + p["b2"]
    A2 = np.maximum(0, Z2)
    D2 = rng.random(A2.shape) < keep_prob if keep_prob else None
    A2 = A2 * D2 / keep_prob if keep_prob else A2
    Z3 = p["W3"] @ A2 + p["b3"]
    A3 = 1 / (1 + np.exp(-Z3))
    if keep_prob:
        return A3, (Z1, D1, A1, p["W1"], p["b1"], Z2, D2, A2, p["W2"], p["b2"], Z3, A3, p["W3"], p["b3"])
    return A3, (Z1, A1, p["W1"], p["b1"], Z2, A2, p["W2"], p["b2"], Z3, A3, p["W3"], p["b3"])


def _backward(X, Y, cache, lambd=0.0, keep_prob=None):
    m = X.shape[1]
    if keep_prob:
        Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    else:
        Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    g = {"dZ3": A3 - Y}
    g["dW3"], g["db3"] = g["dZ3"] @ A2.T / m + lambd / m * W3, g["dZ3"].sum(1, keepdims=True) / m
    g["dA2"] = W3.T @ g["dZ3"] * (D2 / keep_prob if keep_prob else 1)
    g["dZ2"] = g["dA2"] * (Z2 > 0)
    g["dW2"], g["db2"] = g["dZ2"] @ A1.T / m + lambd / m * W2, g["dZ2"].sum(1, keepdims=True) / m
    g["dA1"] = W2.T @ g["dZ2"] * (D1 / keep_prob if keep_prob else 1)
    g["dZ1"] = g["dA1"] * (Z1 > 0)
    g["dW1"], g["db1"] = g["dZ1"] @ X.T / m + lambd / m * W1, g["dZ1"].sum(1, keepdims=True) / m
    return g


def _close(a, b):
    assert set(a) == set(b)
    for k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=1e-10, atol=1e-12, err_msg=k)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_references_equal_the_textbook_formulas(seed):
    X, Y, p = _net(seed)
    A3, cache = ref.forward_3layer(X, p)
    A3_t, cache_t = _forward(X, p)
    for got, want in zip(cache, cache_t):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    m = Y.shape[1]
    cross_entropy = -np.mean(Y * np.log(A3_t) + (1 - Y) * np.log(1 - A3_t))
    penalty = 0.7 / (2 * m) * sum(np.sum(p[f"W{l}"] ** 2) for l in (1, 2, 3))
    assert ref.compute_cost_with_regularization(A3, Y, p, 0.7) == pytest.approx(cross_entropy + penalty, rel=1e-12)
    _close(ref.backward_propagation_with_regularization(X, Y, cache, 0.7), _backward(X, Y, cache_t, 0.7))

    A3_d, cache_d = ref.forward_propagation_with_dropout(X, p, 0.8, rng=np.random.default_rng(seed))
    A3_dt, cache_dt = _forward(X, p, 0.8, np.random.default_rng(seed))
    for got, want in zip(cache_d, cache_dt):
        np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=1e-12, atol=1e-15)
    _close(ref.backward_propagation_with_dropout(X, Y, cache_d, 0.8), _backward(X, Y, cache_dt, keep_prob=0.8))


def test_dropout_with_keep_prob_one_keeps_every_unit_and_draws_nothing():
    X, _, p = _net(3)
    rng = np.random.default_rng(0)
    A3, cache = ref.forward_propagation_with_dropout(X, p, 1.0, rng=rng)
    assert cache[1].all() and cache[6].all()
    np.testing.assert_array_equal(A3, ref.forward_3layer(X, p)[0])
    assert rng.random() == np.random.default_rng(0).random()


def test_gradient_checks_see_right_and_wrong_gradients():
    X, Y, p = _net(5, dims=(4, 5, 3, 1), m=3)
    cache = ref.forward_propagation_n(X, Y, p)[1]
    assert ref.gradient_check_n(p, ref.backward_propagation_n_fixed(X, Y, cache), X, Y) < 1e-7
    assert ref.gradient_check_n(p, ref.backward_propagation_n(X, Y, cache), X, Y) > 1e-3
    assert ref.gradient_check(3.0, 4.0) < 1e-7
    assert ref.gradient_check_as_graded(2.5, -0.7) == pytest.approx(0.2, rel=1e-6)  # |1.5x - x| / (1.5x + x)


# ----------------------------------------------------------------------------- provided helpers
def _helpers(notebook: str) -> dict:
    nb = nbformat.read(ROOT / "solutions" / A3.name / notebook, as_version=4)
    ns = {"np": np}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id", "").startswith("helpers_"):
            exec(cell.source, ns)
    return ns


def test_every_provided_helper_is_defined_by_its_notebook():
    for nb in A3.notebooks:
        ns = _helpers(nb.file)
        assert set(nb.provided) <= set(ns), f"{nb.file} does not define {set(nb.provided) - set(ns)}"


def test_the_regularization_notebooks_helpers_behave_like_the_trusted_ones():
    ns = _helpers("regularization.ipynb")
    X, Y, p = _net(7)
    z = np.linspace(-5, 5, 11).reshape(1, -1)
    np.testing.assert_allclose(ns["sigmoid"](z), ref.sigmoid(z), rtol=1e-15)
    np.testing.assert_array_equal(ns["relu"](z), ref.relu(z))
    A3, cache = ns["forward_pass"](X, p)
    assert ns["compute_cost"](A3, Y) == pytest.approx(ref.compute_cost(A3, Y), rel=1e-13)
    for got, want in zip(cache, ref.forward_3layer(X, p)[1]):
        np.testing.assert_allclose(got, want, rtol=1e-13)


def test_the_gradient_checking_notebooks_helpers_behave_like_the_trusted_ones():
    ns = _helpers("gradient_checking.ipynb")
    X, Y, p = _net(8, dims=(4, 5, 3, 1), m=3)
    cost, cache = ns["forward_propagation_n"](X, Y, p)
    assert cost == pytest.approx(ref.forward_propagation_n(X, Y, p)[0], rel=1e-13)
    _close_enough = dict(rtol=1e-12, atol=1e-15)
    planted, trusted = ns["backward_propagation_n"](X, Y, cache), ref.backward_propagation_n(X, Y, cache)
    for k in ref.GRAD_KEYS:  # the same two planted mistakes
        np.testing.assert_allclose(planted[k], trusted[k], err_msg=k, **_close_enough)
    theta, keys = ns["dictionary_to_vector"](p)
    theta_ref, keys_ref = ref.dictionary_to_vector(p)
    np.testing.assert_array_equal(theta, theta_ref)
    assert keys == keys_ref and theta.shape == (47, 1)
    back = ns["vector_to_dictionary"](theta)
    assert all(np.array_equal(back[k], p[k]) for k in KEYS)
    np.testing.assert_array_equal(ns["gradients_to_vector"](planted), ref.gradients_to_vector(planted))


def _defined(notebook: str) -> tuple[set[str], set[str]]:
    """(names a notebook's code defines as the grader extracts them: functions, classes, literal
    constants; names it imports)."""
    import ast

    nb = nbformat.read(ROOT / "solutions" / A3.name / notebook, as_version=4)
    defined, imported = set(), set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%"))
        for node in ast.parse(source).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, ast.Assign):
                try:
                    ast.literal_eval(node.value)
                except ValueError:
                    continue
                defined.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imported.update((a.asname or a.name).split(".")[0] for a in node.names)
    return defined, imported


def test_each_top_level_name_is_defined_in_one_notebook_only():
    """Functions, classes and literal constants (what the grader takes from a notebook): one notebook
    each, since grading binds provided helpers and the other graded functions by name across the
    assignment. Importing the same library name in several notebooks gives the same object."""
    seen: dict[str, str] = {}
    for nb in A3.notebooks:
        defined, imported = _defined(nb.file)
        for name in defined:
            assert name not in seen, f"{name} is defined in {seen[name]} and in {nb.file}"
            seen[name] = nb.file
        assert not (imported & {ex.name for ex in A3.exercises} | imported & set(A3.provided())), nb.file
    graded = {ex.name: ex.notebook for ex in A3.exercises}
    assert all(seen[name] == nb for name, nb in graded.items())


# ----------------------------------------------------------------------------- the case's random streams
def test_the_numpy_of_a_case_gives_its_streams_and_leaves_the_global_state_alone():
    state = np.random.get_state()[1].copy()
    fake = draws.numpy_for_case(123)
    rng = fake.random.default_rng()
    assert isinstance(rng, np.random.Generator) and fake.random.default_rng(None) is rng
    np.testing.assert_array_equal(rng.standard_normal(5), draws.case_generator(123).standard_normal(5))
    mine = np.random.default_rng(9)
    assert fake.random.default_rng(mine) is mine
    np.testing.assert_array_equal(fake.random.default_rng(3).random(4), draws.case_generator(123, "fixed").random(4))
    fake.random.seed(0)
    np.testing.assert_array_equal(fake.random.randn(2, 3), draws.case_generator(123, "global").standard_normal((2, 3)))
    assert fake.random.rand(3).shape == (3,) and fake.random.RandomState(1).rand(2).shape == (2,)
    assert fake.zeros((2, 2)).shape == (2, 2) and fake.float64 is np.float64
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_a_case_seed_is_a_function_of_the_arguments_only():
    X, _, p = _net(1)
    assert draws.case_seed(X, p, 0.8) == draws.case_seed(X.copy(), copy.deepcopy(p), 0.8)
    assert draws.case_seed(X, p, 0.8) != draws.case_seed(X, p, 0.7)
    assert draws.case_seed([2, 10, 5, 1]) == draws.case_seed([2, 10, 5, 1]) != draws.case_seed([2, 10, 6, 1])


# ----------------------------------------------------------------------------- the property checks
HE = A3.exercise("initialize_parameters_he")
DROPOUT = A3.exercise("forward_propagation_with_dropout")


def _he_case(dims):
    return Case("", (dims,), bind=draws.bind_for(draws.case_seed(dims)))


def _he_from(dims, order="C", scale=None):
    g = draws.case_generator(draws.case_seed(dims))
    out = {}
    for l in range(1, len(dims)):
        draw = g.standard_normal((dims[l - 1], dims[l])).T if order == "T" else g.standard_normal((dims[l], dims[l - 1]))
        out[f"W{l}"] = draw * (np.sqrt(2 / dims[l - 1]) if scale is None else scale(dims[l], dims[l - 1]))
        out[f"b{l}"] = np.zeros((dims[l], 1))
    return out


def test_he_check_accepts_any_arrangement_of_the_rngs_draws():
    dims = [3, 4, 2, 1]
    assert HE.check(_he_case(dims), _he_from(dims)) is None
    assert HE.check(_he_case(dims), _he_from(dims, order="T")) is None


@pytest.mark.parametrize("scale,words", [(lambda n, p: np.sqrt(1 / p), "Xavier"),
                                         (lambda n, p: np.sqrt(2 / n), "n_l"),
                                         (lambda n, p: 10.0, "x10")])
def test_he_check_says_which_scale_it_saw(scale, words):
    dims = [3, 4, 2, 1]
    message = HE.check(_he_case(dims), _he_from(dims, scale=scale))
    assert message and words in message


def test_he_check_rejects_other_sources_with_their_reason():
    dims = [300, 200, 1]
    case = _he_case(dims)
    g = draws.case_generator(draws.case_seed(dims), "global")
    global_draws = {"W1": g.standard_normal((200, 300)) * np.sqrt(2 / 300), "b1": np.zeros((200, 1)),
                    "W2": g.standard_normal((1, 200)) * np.sqrt(2 / 200), "b2": np.zeros((1, 1))}
    assert "global random state" in HE.check(case, global_draws)
    uniform = {k: (np.random.default_rng(0).uniform(-1, 1, v.shape) * np.sqrt(3) * np.sqrt(2 / 300)
                   if k == "W1" else v) for k, v in global_draws.items()}
    assert "uniform distribution" in HE.check(case, uniform)
    biased = _he_from([3, 4, 2, 1])
    biased["b2"] = biased["b2"] + 0.1
    assert "b2 is not zero" in HE.check(_he_case([3, 4, 2, 1]), biased)


def _dropout_case(X, p, kp):
    return Case("", (X, p, kp), bind=draws.bind_for(draws.case_seed(X, p, kp)))


@pytest.mark.parametrize("kind", [bool, int, float, "binomial"])
def test_dropout_check_accepts_masks_of_any_type_and_binomial_draws(kind):
    X, _, p = _net(4, dims=(3, 30, 20, 1), m=25)
    case = _dropout_case(X, p, 0.7)
    g = draws.case_generator(draws.case_seed(X, p, 0.7))
    if kind == "binomial":
        class Binomial:  # a generator whose masks come from binomial(1, p) of the same stream
            def random(self, shape):
                return 1.0 - g.binomial(1, 0.7, shape)  # 1 - D < 0.7 keeps where D == 1
        A3, cache = _forward(X, p, 0.7, Binomial())
    else:
        A3, cache = ref.forward_propagation_with_dropout(X, p, 0.7, rng=g)
        cache = tuple(c.astype(kind) if i in (1, 6) else c for i, c in enumerate(cache))
    assert DROPOUT.check(case, (A3, cache)) is None


def test_dropout_check_names_an_inverted_comparison_and_unscaled_units():
    X, _, p = _net(4, dims=(3, 30, 20, 1), m=25)
    case = _dropout_case(X, p, 0.7)
    g = draws.case_generator(draws.case_seed(X, p, 0.7))

    class Inverted:
        def random(self, shape):
            return 1.0 - g.random(shape)  # u > 0.7  <=>  1 - u < 0.3
    A3, cache = _forward(X, p, 0.3, Inverted())
    message = DROPOUT.check(case, (A3, cache))
    assert "rng.random(...) > keep_prob" in message
    A3, cache = ref.forward_propagation_with_dropout(X, p, 0.7, rng=draws.case_generator(draws.case_seed(X, p, 0.7)))
    cache = list(cache)
    cache[2] = cache[2] * 0.7  # A1 * D1, not divided by keep_prob
    assert "did not divide by keep_prob" in DROPOUT.check(case, (A3, tuple(cache)))


def test_gradient_checks_require_dw_db_and_check_the_optional_keys_when_given():
    ex = A3.exercise("backward_propagation_with_dropout")
    call = case_calls(A3, ex, "hidden", "t")[0]
    right = ref.backward_propagation_with_dropout(*copy.deepcopy(call.case.args))
    assert ex.check(call.case, {k: right[k] for k in ref.REQUIRED_GRADS}) is None
    assert "missing ['db1']" in ex.check(call.case, {k: right[k] for k in ref.REQUIRED_GRADS if k != "db1"})
    assert "unexpected ['dA0']" in ex.check(call.case, {**right, "dA0": right["dA1"]})
    wrong = dict(right, dA1=right["dA1"] * 2)
    assert "grads['dA1']" in ex.check(call.case, wrong)


# ----------------------------------------------------------------------------- the cases
@pytest.mark.parametrize("run,key", [("visible", ""), ("hidden", ""), ("hidden", "a course secret")])
def test_gradient_check_cases_separate_noise_from_the_formula(run, key):
    for name in ("gradient_check", "gradient_check_n"):
        ex = A3.exercise(name)
        values = [ex.reference(*c.case.args, **c.case.kwargs) for c in case_calls(A3, ex, run, key)]
        assert any(v < 1e-8 for v in values) and any(v > 1e-6 for v in values), (name, values)
        assert not any(1e-8 <= v <= 1e-6 for v in values), (name, values)  # never near the 1e-7 boundary


def test_cases_cover_the_edge_shapes():
    shapes = set()
    for c in case_calls(A3, A3.exercise("backward_propagation_with_regularization"), "hidden"):
        X = c.case.args[0]
        shapes.add((X.shape[0] == 1, X.shape[1] == 1))
    assert (True, True) in shapes  # one feature and one example
    kps = {c.case.args[2] if len(c.case.args) > 2 else 0.5 for c in case_calls(A3, DROPOUT, "hidden")}
    assert kps - {0.5} and 1.0 in kps and 0.5 in kps  # keep_prob != 0.5, the edge 1.0, and the default
    masks = {c.case.args[2][1].dtype.kind for c in case_calls(A3, A3.exercise("backward_propagation_with_dropout"),
                                                             "hidden")}
    assert masks == {"b", "i", "f"}


# ----------------------------------------------------------------------------- known mistakes
#: mistakes that give exactly the numbers of an earlier one (the verdict names the first)
SAME_NUMBERS = {("backward_propagation_with_dropout", "mask-not-applied"): "mask-on-dZ"}


@pytest.mark.parametrize("ex,mis", [(ex, mis) for ex in A3.exercises for mis in ex.misconceptions],
                         ids=[f"{ex.name}:{mis.label}:{i}" for ex in A3.exercises
                              for i, mis in enumerate(ex.misconceptions)])
def test_every_known_mistake_fails_and_is_named(ex, mis):
    result = evaluate(A3, ex.name, mis.variant, run="hidden", key="mistakes")
    assert not result.passed
    assert result.misconception == SAME_NUMBERS.get((ex.name, mis.label), mis.label), result.feedback


def test_every_graded_function_has_at_least_three_named_mistakes():
    for ex in A3.exercises:
        assert len({m.label for m in ex.misconceptions}) >= 3, ex.name


def test_graded_random_functions_leave_numpys_global_state_alone():
    state = np.random.get_state()[1].copy()
    for name in ("initialize_parameters_random", "initialize_parameters_he", "forward_propagation_with_dropout"):
        assert evaluate(A3, name, getattr(ref, name), run="hidden").passed
    src = "def initialize_parameters_he(layers_dims, rng=None):\n    np.random.seed(1)\n    return {}\n"
    ns = {"np": np}
    exec(src, ns)
    assert not evaluate(A3, "initialize_parameters_he", ns["initialize_parameters_he"]).passed
    np.testing.assert_array_equal(np.random.get_state()[1], state)
