"""`autograder.grading.engine` and the in-notebook `Checker` below the whole-notebook scenarios: property checks
for random functions, forbidden references (delegation), the seeds of the test inputs, the rules of
misconception matching, and the in-notebook Checker.

Student code goes through the real sandbox (`engine.grade`), one process per test at most."""

from __future__ import annotations

import io
import textwrap
from contextlib import redirect_stdout

import numpy as np
import pytest

from autograder import Checker, ExerciseFailed
from autograder.assignments import get_assignment
from autograder.grading import engine
from autograder.grading.compare import describe
from autograder.grading.engine import case_rng
from autograder.grading.engine import grade as grade_code
from autograder.grading.extract import StudentCode, extract_code
from autograder.grading.spec import Assignment, Case, Exercise, Misconception, Notebook
from autograder.grading.verdict import CaseCall as _Call
from autograder.grading.verdict import Outcome
from autograder.grading.verdict import matches_variant as _matches_variant
from nnkit import activations
from nnkit import data as nnkit_data
from autograder.assignments.a01_logistic_regression import references as ref

A1 = get_assignment("01_logistic_regression")


def student(source: str) -> StudentCode:
    """Extract a student's code from one code cell (the same path a notebook takes)."""
    nb = {"nbformat": 4, "cells": [{"cell_type": "code", "metadata": {}, "source": textwrap.dedent(source)}]}
    return extract_code(nb)


def by_name(report):
    return {e.name: e for e in report.exercises}


# ============================================================================ (a) property checks
def reference_random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    return nnkit_data.random_mini_batches(X, Y, mini_batch_size, rng=seed)


# The sandbox imports a reference by "module:name" (only nnkit and autograder are importable there)
# and makes it unavailable while the exercise is graded: name nnkit's function, which a delegating student calls.
reference_random_mini_batches.__module__ = "nnkit.data"
reference_random_mini_batches.__name__ = reference_random_mini_batches.__qualname__ = "random_mini_batches"


def cases_mini_batches(rng):
    out = []
    for n_x, m, size in [(3, 10, 4), (2, 8, 4), (1, 1, 64), (4, 7, 1), (2, int(rng.integers(9, 30)), 5)]:
        X = rng.normal(size=(n_x, m))
        X[0] = np.arange(m)  # every column is distinct, so batches can be traced back to examples
        Y = rng.normal(size=(1, m))
        out.append(Case(f"n_x = {n_x}, m = {m}, mini_batch_size = {size}", (X, Y, size, int(rng.integers(0, 1000)))))
    return out


def check_mini_batches(case, result):
    """Properties of a correct result, whatever the random stream: a failure message or None."""
    X, Y, size, _ = case.args
    m = X.shape[1]
    if not isinstance(result, (list, tuple)):
        return f"return a list of (X_batch, Y_batch) pairs, got {describe(result)}."
    column_of = {tuple(X[:, j]): j for j in range(m)}
    seen, sizes = [], []
    for k, pair in enumerate(result):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return f"batch {k} should be a pair (X_batch, Y_batch), got {describe(pair)}."
        for label, arr, rows in (("X_batch", pair[0], X.shape[0]), ("Y_batch", pair[1], Y.shape[0])):
            if not isinstance(arr, np.ndarray) or arr.ndim != 2 or arr.shape[0] != rows or arr.dtype.kind not in "biuf":
                return f"batch {k}: {label} should be a 2-D array with {rows} rows, got {describe(arr)}."
        Xb, Yb = pair
        if Xb.shape[1] != Yb.shape[1]:
            return f"batch {k}: X_batch has {Xb.shape[1]} examples but Y_batch has {Yb.shape[1]}."
        for col in range(Xb.shape[1]):
            j = column_of.get(tuple(Xb[:, col].astype(float)))
            if j is None:
                return f"batch {k} holds a column that is not a column of X."
            if not np.array_equal(Yb[:, col], Y[:, j]):
                return (f"batch {k}: the labels are not those of the examples: X and Y columns must stay together "
                        "(shuffle both with the same permutation).")
            seen.append(j)
        sizes.append(Xb.shape[1])
    if sorted(seen) != list(range(m)):
        missing, repeated = m - len(set(seen)), len(seen) - len(set(seen))
        return (f"the batches must hold every example exactly once: {missing} of {m} examples are missing "
                f"and {repeated} are repeated.")
    expected_sizes = [size] * (m // size) + ([m % size] if m % size else [])
    if sizes != expected_sizes:
        return (f"the batch sizes should be {expected_sizes} (full batches, then the remainder "
                f"m % mini_batch_size last), got {sizes}.")
    if m >= 8 and seen == list(range(m)):
        return "the examples are in their original order: shuffle them first."
    return None


MINI_BATCHES = Assignment(
    name="test_random_functions", title="random functions", notebooks=(Notebook("random.ipynb", exercises=(Exercise(
        name="random_mini_batches", reference=reference_random_mini_batches, cases=cases_mini_batches, points=2,
        signature="random_mini_batches(X, Y, mini_batch_size, seed) -> [(X_batch, Y_batch), ...]",
        check=check_mini_batches,
    ),)),),
)

CORRECT_OTHER_STREAM = '''
import numpy as np

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    perm = np.random.RandomState(seed + 12345).permutation(m)   # not the reference's stream
    X_shuffled, Y_shuffled = X[:, perm], Y[:, perm]
    return [(X_shuffled[:, k:k + mini_batch_size], Y_shuffled[:, k:k + mini_batch_size])
            for k in range(0, m, mini_batch_size)]
'''

DROPS_REMAINDER = '''
import numpy as np

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    perm = np.random.default_rng(seed).permutation(m)
    X_shuffled, Y_shuffled = X[:, perm], Y[:, perm]
    return [(X_shuffled[:, k * mini_batch_size:(k + 1) * mini_batch_size],
             Y_shuffled[:, k * mini_batch_size:(k + 1) * mini_batch_size])
            for k in range(m // mini_batch_size)]
'''

SEPARATE_PERMUTATIONS = '''
import numpy as np

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    X_shuffled = X[:, rng.permutation(m)]
    Y_shuffled = Y[:, rng.permutation(m)]
    return [(X_shuffled[:, k:k + mini_batch_size], Y_shuffled[:, k:k + mini_batch_size])
            for k in range(0, m, mini_batch_size)]
'''

DELEGATES_TO_NNKIT = '''
from nnkit.data import random_mini_batches as shuffle_and_cut

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    return shuffle_and_cut(X, Y, mini_batch_size, rng=seed)
'''


def test_reference_satisfies_its_own_properties():
    for case in cases_mini_batches(np.random.default_rng(1)):
        assert check_mini_batches(case, reference_random_mini_batches(*case.args)) is None


def test_correct_code_with_a_different_random_stream_passes():
    code = student(CORRECT_OTHER_STREAM)
    # it really differs from the reference's random stream
    ns: dict = {}
    exec(code.source, ns)
    case = cases_mini_batches(np.random.default_rng(2))[0]
    ours, theirs = reference_random_mini_batches(*case.args), ns["random_mini_batches"](*case.args)
    assert not all(np.array_equal(a[0], b[0]) for a, b in zip(ours, theirs))
    ex = grade_code(code, MINI_BATCHES).exercises[0]
    assert ex.passed and ex.points == 2.0 and ex.status == "passed", ex.feedback
    assert ex.cases_passed == ex.cases_total == 5


@pytest.mark.parametrize("source, phrase", [
    (DROPS_REMAINDER, "the batches must hold every example exactly once: 2 of 10 examples are missing"),
    (SEPARATE_PERMUTATIONS, "X and Y columns must stay together"),
])
def test_wrong_random_code_fails_with_the_property_message(source, phrase):
    ex = grade_code(student(source), MINI_BATCHES).exercises[0]
    assert not ex.passed and ex.points == 0.0 and ex.status == "wrong"
    assert phrase in ex.feedback
    assert ex.misconception is None


def test_delegating_to_nnkits_random_function_is_caught():
    ex = grade_code(student(DELEGATES_TO_NNKIT), MINI_BATCHES).exercises[0]
    assert ex.status == "delegated" and ex.points == 0.0
    assert "reference implementation" in ex.feedback


# ============================================================================ (b) delegation
SIGMOID_VIA_MODULE_ALIAS_AND_REFERENCE_HELPERS = '''
import numpy as np
import autograder.assignments.a01_logistic_regression.references as L
from autograder.assignments.a01_logistic_regression.references import initialize_with_zeros as ref_init
from autograder.assignments.a01_logistic_regression.references import optimize as ref_optimize
from autograder.assignments.a01_logistic_regression.references import predict as ref_predict

def sigmoid(z):
    return L.sigmoid(z)

def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = L.propagate(w, b, X, Y)      # another graded function: the reference is fine
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs

def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = ref_init(X_train.shape[0])
    params, grads, costs = ref_optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": ref_predict(w, b, X_test),
            "Y_prediction_train": ref_predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
'''


def test_delegation_is_caught_but_references_of_other_functions_are_fine():
    report = grade_code(student(SIGMOID_VIA_MODULE_ALIAS_AND_REFERENCE_HELPERS), A1,
                        only={"sigmoid", "optimize", "model"})
    ex = by_name(report)
    assert ex["sigmoid"].status == "delegated" and ex["sigmoid"].points == 0.0
    assert ex["sigmoid"].misconception is None and ex["sigmoid"].flags == ["calls-reference"]
    assert "calls nnkit's reference implementation" in ex["sigmoid"].feedback
    assert ex["optimize"].passed and ex["optimize"].points == 2.0, ex["optimize"].feedback
    assert ex["model"].passed and ex["model"].points == 2.0, ex["model"].feedback


@pytest.mark.parametrize("source", [
    "from autograder.assignments.a01_logistic_regression.references import sigmoid\n",  # no def at all: the name is the reference
    "from nnkit.activations import sigmoid as s\n\ndef sigmoid(z):\n    return s(z)\n",
    "import nnkit.activations\n\ndef sigmoid(z):\n    return nnkit.activations.sigmoid_forward(z)[0]\n",
], ids=["from-logistic-import", "from-activations-import-as", "indirect-via-sigmoid_forward"])
def test_other_import_styles_are_caught(source):
    ex = grade_code(student(source), A1, only={"sigmoid"}).exercises[0]
    assert ex.status == "delegated" and ex.points == 0.0, ex.feedback
    assert "reference implementation" in ex.feedback


# ============================================================================ (c) seeds of the inputs
def draws(rng, n=8):
    return rng.integers(0, 2**31, n).tolist()


def test_case_rng_is_stable_and_separates_runs_keys_and_exercises():
    a = draws(case_rng("01_logistic_regression", "propagate", "hidden", "secret/ada"))
    assert a == draws(case_rng("01_logistic_regression", "propagate", "hidden", "secret/ada"))
    assert a != draws(case_rng("01_logistic_regression", "propagate", "visible"))
    assert a != draws(case_rng("01_logistic_regression", "propagate", "hidden", "secret/ben"))
    assert a != draws(case_rng("01_logistic_regression", "propagate", "hidden", "other/ada"))
    assert a != draws(case_rng("01_logistic_regression", "optimize", "hidden", "secret/ada"))
    assert a != draws(case_rng("02_other", "propagate", "hidden", "secret/ada"))
    assert draws(case_rng("a", "b", "visible")) == draws(case_rng("a", "b", "visible", ""))


def test_visible_and_hidden_cases_differ_but_keep_the_edge_shapes():
    ex = A1.exercise("propagate")
    visible = ex.cases(case_rng(A1.name, "propagate", "visible"))
    hidden = ex.cases(case_rng(A1.name, "propagate", "hidden", "k"))
    assert [c.args[2].shape for c in visible][:3] == [c.args[2].shape for c in hidden][:3] == [(1, 5), (4, 1), (1, 1)]
    assert not np.array_equal(visible[0].args[2], hidden[0].args[2])


FINGERPRINT = '''
def predict(w, b, X):
    raise ValueError("fingerprint %.10f" % float(X.sum()))
'''


def _fingerprint(run: str, key: str) -> str:
    case = A1.exercise("predict").cases(case_rng(A1.name, "predict", run, key))[0]
    return "fingerprint %.10f" % float(case.args[2].sum())


@pytest.mark.parametrize("run, key", [("hidden", "secret/ada"), ("hidden", "secret/ben"), ("visible", "")])
def test_grade_code_draws_inputs_from_run_and_key(run, key):
    ex = grade_code(student(FINGERPRINT), A1, only={"predict"}, run=run, key=key).exercises[0]
    assert ex.status == "error"
    assert _fingerprint(run, key) in ex.feedback
    others = {_fingerprint(r, k) for r, k in [("hidden", "secret/ada"), ("hidden", "secret/ben"), ("visible", "")]}
    assert len(others) == 3  # the three inputs really differ
    assert not any(fp in ex.feedback for fp in others - {_fingerprint(run, key)})


# ============================================================================ (d) misconception matching
SIGMOID_SIGN_ERROR_ON_ARRAYS_ONLY = '''
import numpy as np

def sigmoid(z):
    z = np.asarray(z, dtype=float)
    if z.ndim == 0:
        return float(1 / (1 + np.exp(-z)))
    return 1 / (1 + np.exp(z))
'''

SIGMOID_SIGN_ERROR = '''
import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(np.asarray(z, dtype=float)))
'''


SIGMOID_OTHER_ERROR_ON_ARRAYS = '''
import numpy as np

def sigmoid(z):
    z = np.asarray(z, dtype=float)
    if z.ndim == 0:
        return float(1 / (1 + np.exp(-z)))
    return 1 / (1 + np.exp(-z)) + 0.01 * np.tanh(z)
'''


def test_a_misconception_that_explains_every_failing_case_is_named():
    """Half of a known mistake (the sign error on arrays only) is still that mistake: the variant
    must agree on every FAILING case; the cases the student got right need not agree."""
    ex = grade_code(student(SIGMOID_SIGN_ERROR_ON_ARRAYS_ONLY), A1, only={"sigmoid"}).exercises[0]
    assert not ex.passed and ex.status == "wrong"
    assert ex.cases_passed == 2  # the two numbers are right: the sign-error variant differs there
    assert ex.misconception == "sign-error"
    assert "values are wrong" in ex.feedback


def test_a_misconception_must_agree_on_every_failing_case():
    ex = grade_code(student(SIGMOID_OTHER_ERROR_ON_ARRAYS), A1, only={"sigmoid"}).exercises[0]
    assert not ex.passed and ex.cases_passed == 2
    assert ex.misconception != "sign-error" and "(sign-error)" not in ex.feedback


def test_a_misconception_that_agrees_everywhere_is_named():
    ex = grade_code(student(SIGMOID_SIGN_ERROR), A1, only={"sigmoid"}).exercises[0]
    assert ex.misconception == "sign-error"
    assert ex.feedback.startswith("`sigmoid` failed 4 of 5 test cases. Likely mistake (sign-error):")


def sigmoid_refuses_negatives(z):
    z = np.asarray(z, dtype=float)
    if (z < 0).any():
        raise ValueError("negative input")
    return activations.sigmoid(z)


def relu_refuses_negatives(z):
    z = np.asarray(z, dtype=float)
    if (z < 0).any():
        raise ValueError("negative input")
    return activations.relu(z)


def cases_signed(rng):
    return [Case("z = 0.5", (0.5,)), Case("z of shape (2, 3), positive", (rng.uniform(0.1, 2, (2, 3)),)),
            Case("z of shape (2, 3) with negatives", (rng.uniform(-2, 2, (2, 3)) - 3.0,))]


RAISING = Assignment(
    name="test_raising_variants", title="variants that raise", notebooks=(Notebook("raising.ipynb", exercises=(
        Exercise(name="sigmoid", reference=activations.sigmoid, cases=cases_signed, points=1, signature="sigmoid(z)",
                 misconceptions=(Misconception("refuses-negatives", sigmoid_refuses_negatives,
                                               "Negative inputs are allowed."),)),
        Exercise(name="relu", reference=activations.relu, cases=cases_signed, points=1, signature="relu(z)",
                 misconceptions=(Misconception("refuses-negatives", relu_refuses_negatives,
                                               "Negative inputs are allowed."),)),
    )),),
)

RAISES_LIKE_THE_VARIANT = '''
import numpy as np

def sigmoid(z):                      # raises the same type of error as the variant
    z = np.asarray(z, dtype=float)
    if np.min(z) < 0:
        raise ValueError("I do not like negative numbers")
    return 1 / (1 + np.exp(-z))

def relu(z):                         # raises another type of error on the same cases
    z = np.asarray(z, dtype=float)
    if np.min(z) < 0:
        raise TypeError("negative")
    return np.maximum(z, 0)
'''


def test_a_variant_that_raises_matches_a_student_raising_the_same_error_type():
    ex = by_name(grade_code(student(RAISES_LIKE_THE_VARIANT), RAISING))
    assert ex["sigmoid"].status == "error" and ex["sigmoid"].misconception == "refuses-negatives"
    assert "Likely mistake (refuses-negatives): Negative inputs are allowed." in ex["sigmoid"].feedback
    assert "I do not like negative numbers" in ex["sigmoid"].feedback
    assert ex["relu"].status == "error" and ex["relu"].misconception is None
    assert "raised TypeError: negative" in ex["relu"].feedback and "Likely mistake" not in ex["relu"].feedback


def _calls(ex, n=3):
    cases = ex.cases(np.random.default_rng(0))[:n]
    return [_Call(f"c{i}", ex, c, None) for i, c in enumerate(cases)]


def test_matches_variant_rules_without_a_sandbox():
    ex = RAISING.exercise("sigmoid")
    calls = _calls(ex)
    ok = lambda c: Outcome("ok", sigmoid_refuses_negatives(*c.case.args))  # noqa: E731
    err = lambda t: Outcome("error", error_type=t)  # noqa: E731
    tol = ex.tolerance
    # returns where the variant returns, raises its error type where it raises: a match
    assert _matches_variant(sigmoid_refuses_negatives, calls, {"c0": ok(calls[0]), "c1": ok(calls[1]), "c2": err("ValueError")}, tol)
    # another error type, or no error where the variant raises: no match
    assert not _matches_variant(sigmoid_refuses_negatives, calls, {"c0": ok(calls[0]), "c1": ok(calls[1]), "c2": err("TypeError")}, tol)
    assert not _matches_variant(sigmoid_refuses_negatives, calls,
                                {"c0": ok(calls[0]), "c1": ok(calls[1]), "c2": Outcome("ok", np.zeros((2, 3)))}, tol)
    # raising where the variant returns: no match
    assert not _matches_variant(sigmoid_refuses_negatives, calls, {"c0": err("ValueError"), "c1": ok(calls[1]), "c2": err("ValueError")}, tol)
    # a different value on one case only: no match
    wrong = Outcome("ok", sigmoid_refuses_negatives(*calls[1].case.args) + 0.1)
    assert not _matches_variant(sigmoid_refuses_negatives, calls, {"c0": ok(calls[0]), "c1": wrong, "c2": err("ValueError")}, tol)
    # two functions that always raise the same error are not taken for the same mistake
    def always_raises(z):
        raise ValueError("no")

    assert not _matches_variant(always_raises, calls, {c.id: err("ValueError") for c in calls}, tol)
    # a timed-out or crashed call never matches
    assert not _matches_variant(sigmoid_refuses_negatives, calls, {"c0": Outcome("timeout"), "c1": ok(calls[1]), "c2": err("ValueError")}, tol)


# ============================================================================ (e) the in-notebook Checker
def namespace(source: str) -> dict:
    ns = {"__name__": "__main__"}
    exec(compile(textwrap.dedent(source), "<cell>", "exec"), ns)
    return ns


@pytest.fixture(scope="module")
def checker():
    return Checker("01_logistic_regression")


def test_checker_passes_reference_like_code(checker):
    ns = namespace('''
        import numpy as np
        def sigmoid(z):
            return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
        def propagate(w, b, X, Y):
            m = X.shape[1]
            A = sigmoid(w.T @ X + b)
            cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
            return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, float(cost)
    ''')
    for name in ("sigmoid", "propagate"):
        out = io.StringIO()
        with redirect_stdout(out):
            assert checker.check(name, ns[name]) is None
        assert out.getvalue().startswith(f"✔ `{name}` passed all")


def test_checker_names_a_known_mistake(checker):
    ns = namespace(SIGMOID_SIGN_ERROR)
    with pytest.raises(ExerciseFailed, match=r"Likely mistake \(sign-error\): You computed 1 / \(1 \+ exp\(z\)\)"):
        checker.check("sigmoid", ns["sigmoid"])
    ns = namespace(CORRECT_PROPAGATE_NO_M)
    with pytest.raises(ExerciseFailed) as info:
        checker.check("propagate", ns["propagate"])
    assert "Likely mistake (missing-1/m)" in str(info.value) and "largest error" in str(info.value)


CORRECT_PROPAGATE_NO_M = '''
import numpy as np
def propagate(w, b, X, Y):
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": X @ (A - Y).T, "db": float(np.sum(A - Y))}, float(cost)
'''

OPTIMIZE_WITH_WRONG_PROPAGATE = CORRECT_PROPAGATE_NO_M + '''
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
'''


def test_checker_uses_references_for_the_other_graded_functions(checker):
    ns = namespace(OPTIMIZE_WITH_WRONG_PROPAGATE)
    # on its own, this optimize is wrong (its propagate is) ...
    w, b, X, Y = np.zeros((2, 1)), 0.0, np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]]), np.array([[1.0, 0.0, 1.0]])
    params, _, _ = ns["optimize"](w, b, X, Y, num_iterations=5)
    assert not np.allclose(params["w"], ref.optimize(w, b, X, Y, num_iterations=5)[0]["w"])
    # ... but the check runs it with the reference propagate, so only propagate's own check fails
    with redirect_stdout(io.StringIO()):
        checker.check("optimize", ns["optimize"])
    with pytest.raises(ExerciseFailed, match="missing-1/m"):
        checker.check("propagate", ns["propagate"])
    assert ns["optimize"].__globals__["propagate"] is ns["propagate"]  # the student's namespace is untouched


def test_checker_reports_errors_with_the_line_in_the_function(checker):
    ns = namespace('''
        import numpy as np

        def propagate(w, b, X, Y):
            m = X.shape[1]
            A = sigmoid(w.T @ X + b)
            dw = X @ (A - Y) / m
            return {"dw": dw, "db": np.sum(A - Y) / m}, 0.0
    ''')
    with pytest.raises(ExerciseFailed) as info:
        checker.check("propagate", ns["propagate"])
    msg = str(info.value)
    assert "raised ValueError" in msg
    assert "(line 7 of the cell defining `propagate`)" in msg  # the line as JupyterLab numbers it in the cell
    assert "Check the shapes" in msg  # the exercise's error hint


def test_checker_rejects_non_functions_and_unknown_names(checker):
    with pytest.raises(ExerciseFailed, match="should be a function, got int"):
        checker.check("sigmoid", 3)
    with pytest.raises(KeyError, match="has no graded function 'sigmod'"):
        checker.check("sigmod", lambda z: z)


def test_checker_uses_the_visible_cases_by_default(checker, monkeypatch):
    seen = []
    real = engine.case_rng

    def spy(assignment, exercise, run, key=""):
        seen.append((run, key))
        return real(assignment, exercise, run, key)

    monkeypatch.setattr("autograder.grading.engine.case_rng", spy)
    with redirect_stdout(io.StringIO()):
        checker.check("initialize_with_zeros", namespace(
            "import numpy as np\ndef f(dim):\n    return np.zeros((dim, 1)), 0.0\n")["f"])
    assert seen == [("visible", "")]
