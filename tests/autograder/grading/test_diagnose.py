"""Diagnosis by relation (`autograder.grading.diagnose`, `relations`), relation by relation.

A small self-contained course (toy exercises whose references live here) is graded in-process by
`evaluate`, the same path as the notebook's checker. For every relation: a synthetic wrong function
that makes exactly that mistake is named by it; and no relation ever speaks about the reference
itself nor about correct functions written differently (loops, other operation orders, in-place
operations on copies).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from autograder.frontends.notebook import evaluate
from autograder.grading.compare import Tolerance
from autograder.grading.spec import Assignment, Case, Exercise, Notebook
from nnkit.activations import get_activation


# ----------------------------------------------------------------------------- toy references
def linear(W, b, X):
    """Z = W X + b: W (n, k), b (n, 1), X (k, m) -> Z (n, m)."""
    return W @ X + b


def grads(X, dZ):
    """{"dW": dZ X^T / m (n, k), "db": sum of dZ over examples / m (n, 1)}."""
    m = X.shape[1]
    return {"dW": dZ @ X.T / m, "db": np.sum(dZ, axis=1, keepdims=True) / m}


def mean_cost(A, Y):
    """Cross-entropy averaged over the m examples (a float)."""
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def descend(w, X, Y, num_iterations=10, learning_rate=0.1):
    """Gradient descent on a least-squares cost; returns ({"w": (n, 1)}, costs every 2 iterations)."""
    m = X.shape[1]
    costs = []
    for i in range(num_iterations):
        err = w.T @ X - Y                      # (1, m)
        if i % 2 == 0:
            costs.append(float(np.sum(err ** 2) / (2 * m)))
        w = w - learning_rate * (X @ err.T / m)
    return {"w": w}, costs


def activate(Z, activation="relu"):
    """A = g(Z) for the named activation."""
    return get_activation(activation)[0](Z)[0]


def squash(z):
    """The sigmoid of a number or of an array (same shape)."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float))) if np.ndim(z) else float(1 / (1 + np.exp(-z)))


def summary(X):
    """(column sums (n, 1), the mean of every entry)."""
    return np.sum(X, axis=1, keepdims=True), float(np.mean(X))


def labels(A):
    """1.0 where A > 0.5, else 0.0; shape (1, m)."""
    return (A > 0.5).astype(float)


def shifted(X, b):
    """X + b for X (n, m) and b (n, 1)."""
    return X + b


def step(w, dw, learning_rate, decay):
    """One decayed step: w - learning_rate / (1 + decay) * dw, all (n, 1)."""
    return w - learning_rate / (1 + decay) * dw


def ends(X):
    """(the first column, the last column) of X, each (n, 1)."""
    return X[:, :1].copy(), X[:, -1:].copy()


# ----------------------------------------------------------------------------- cases
SIZES = [(3, 4, 5), (1, 3, 1), (2, 1, 4), (4, 3, 6), (1, 1, 3)]  # (n, k, m), with sizes of 1


def cases_linear(rng):
    return [Case(f"n={n}, k={k}, m={m}", (rng.normal(size=(n, k)), rng.normal(size=(n, 1)), rng.normal(size=(k, m))))
            for n, k, m in SIZES]


def cases_grads(rng):
    return [Case(f"n={n}, k={k}, m={m}", (rng.normal(size=(k, m)), rng.normal(size=(n, m)))) for n, k, m in SIZES]


def cases_cost(rng):
    out = []
    for m in (1, 4, 7):
        Y = (rng.random((1, m)) < 0.5).astype(float)
        Y[0, 0] = 1.0
        out.append(Case(f"m={m}", (rng.uniform(0.05, 0.95, (1, m)), Y)))
    return out


def cases_descend(rng):
    out = []
    for k, m, iters, lr in [(2, 5, 7, 0.1), (1, 4, 9, 0.05), (3, 6, 12, 0.2), (2, 3, 5, 0.15)]:
        out.append(Case(f"k={k}, m={m}, iterations={iters}", (rng.normal(size=(k, 1)), rng.normal(size=(k, m)),
                                                               rng.normal(size=(1, m))),
                        {"num_iterations": iters, "learning_rate": lr}))
    return out


def cases_activate(rng):
    return [Case(f"{a} of a (3, 4) array", (rng.normal(size=(3, 4)), a)) for a in ("relu", "sigmoid", "tanh")]


def cases_squash(rng):
    return [Case("z = 0.7", (0.7,)), Case("z = -1.3", (-1.3,)), Case("z of shape (2, 5)", (rng.normal(0, 2, (2, 5)),)),
            Case("z of shape (1, 1)", (np.array([[-0.4]]),))]


def cases_summary(rng):
    return [Case(f"X of shape {s}", (rng.normal(size=s),)) for s in [(3, 5), (1, 4), (2, 1), (4, 6)]]


def cases_labels(rng):
    return [Case(f"m={m}", (rng.random((1, m)),)) for m in (5, 8, 3)]


def cases_shifted(rng):
    return [Case(f"n={n}, m={m}", (rng.normal(size=(n, m)), rng.normal(size=(n, 1)))) for n, m in [(3, 5), (4, 2), (2, 6)]]


def cases_step(rng):
    return [Case(f"n={n}", (rng.normal(size=(n, 1)), rng.normal(size=(n, 1)), lr, decay))
            for n, lr, decay in [(3, 0.1, 0.5), (1, 0.3, 2.0), (4, 0.05, 1.5)]]


def cases_ends(rng):
    return [Case(f"X of shape {s}", (rng.normal(size=s),)) for s in [(3, 5), (2, 4), (4, 3)]]


def _ex(name, ref, cases, **kw):
    return Exercise(name=name, reference=ref, cases=cases, points=1, signature=name, **kw)


TOY = Assignment("99_toy", "toy", (Notebook("toy.ipynb", (
    _ex("linear", linear, cases_linear),
    _ex("grads", grads, cases_grads),
    _ex("mean_cost", mean_cost, cases_cost),
    _ex("descend", descend, cases_descend, returns=("params", "costs")),
    _ex("activate", activate, cases_activate),
    _ex("squash", squash, cases_squash),
    _ex("summary", summary, cases_summary, returns=("sums", "mean")),
    _ex("labels", labels, cases_labels),
    _ex("shifted", shifted, cases_shifted),
    _ex("ends", ends, cases_ends, returns=("first", "last")),
    _ex("step", step, cases_step),
)),))


def run(function: str, source: str):
    ns = {"np": np, "get_activation": get_activation}
    exec(compile(textwrap.dedent(source), f"<{function}>", "exec"), ns)
    return evaluate(TOY, function, ns[function], run="hidden", key="diagnose-tests")


# ----------------------------------------------------------------------------- each relation names its mistake
NAMED = [
    # factors made of the case's own sizes, and constants
    ("grads", "times-m", "def grads(X, dZ):\n    return {'dW': dZ @ X.T, 'db': np.sum(dZ, axis=1, keepdims=True)}"),
    ("grads", "divided-by-n_x-not-m", "def grads(X, dZ):\n    k = X.shape[0]\n"
                                      "    return {'dW': dZ @ X.T / k, 'db': np.sum(dZ, axis=1, keepdims=True) / k}"),
    ("linear", "sign", "def linear(W, b, X):\n    return -(W @ X + b)"),
    ("linear", "twice", "def linear(W, b, X):\n    return 2 * (W @ X + b)"),
    ("mean_cost", "half", "def mean_cost(A, Y):\n    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / 2)"),
    ("squash", "reciprocal", "def squash(z):\n    return 1 + np.exp(-np.asarray(z, dtype=float)) if np.ndim(z) "
                             "else float(1 + np.exp(-z))"),
    # shapes
    ("linear", "transposed", "def linear(W, b, X):\n    return (W @ X + b).T"),
    ("summary", "wrong-shape", "def summary(X):\n    return np.sum(X, axis=1), float(np.mean(X))"),
    ("summary", "sum-over-wrong-axis", "def summary(X):\n    return np.sum(X, axis=0, keepdims=True), float(np.mean(X))"),
    ("summary", "number-not-array", "def summary(X):\n    return np.sum(X), float(np.mean(X))"),
    ("linear", "wrong-size", "def linear(W, b, X):\n    return np.zeros((W.shape[0], X.shape[0]))"),
    # values that are something else
    ("descend", "unchanged-input", "def descend(w, X, Y, num_iterations=10, learning_rate=0.1):\n"
                                   "    p, c = _right(w, X, Y, num_iterations, learning_rate)\n    return {'w': w}, c\n"
                                   + textwrap.dedent(__import__('inspect').getsource(descend)).replace("def descend",
                                                                                                       "def _right")),
    ("ends", "swapped", "def ends(X):\n    return X[:, -1:], X[:, :1]"),
    ("linear", "all-zeros", "def linear(W, b, X):\n    return np.zeros((W.shape[0], X.shape[1]))"),
    ("labels", "int-array", "def labels(A):\n    return (A > 0.5).astype(int)"),
    ("shifted", "floor-division", "def shifted(X, b):\n    return np.floor(X + b)"),
    ("mean_cost", "nan-or-inf", "def mean_cost(A, Y):\n    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - Y)))"),
    ("labels", "last-column-wrong", "def labels(A):\n    out = np.zeros(A.shape)\n    for j in range(A.shape[1] - 1):\n"
                                    "        out[0, j] = float(A[0, j] > 0.5)\n    return out"),
    ("squash", "wrong-where-negative", "def squash(z):\n    z = np.asarray(z, dtype=float)\n"
                                       "    s = np.where(z >= 0, 1 / (1 + np.exp(-z)), 0.5)\n"
                                       "    return s if s.ndim else float(s)"),
    # the wrong kind of result
    ("grads", "renamed-key", "def grads(X, dZ):\n    m = X.shape[1]\n"
                             "    return {'dw': dZ @ X.T / m, 'db': np.sum(dZ, axis=1, keepdims=True) / m}"),
    ("grads", "missing-keys", "def grads(X, dZ):\n    return {'dW': dZ @ X.T / X.shape[1]}"),
    ("grads", "extra-keys", "def grads(X, dZ):\n    m = X.shape[1]\n    return {'dW': dZ @ X.T / m, "
                            "'db': np.sum(dZ, axis=1, keepdims=True) / m, 'dX': 0}"),
    ("summary", "wrong-order", "def summary(X):\n    return float(np.mean(X)), np.sum(X, axis=1, keepdims=True)"),
    ("summary", "wrong-count", "def summary(X):\n    return (np.sum(X, axis=1, keepdims=True),)"),
    ("linear", "list-not-array", "def linear(W, b, X):\n    return (W @ X + b).tolist()"),
    ("mean_cost", "array-not-number", "def mean_cost(A, Y):\n    m = A.shape[1]\n"
                                      "    return -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m"),
    ("labels", "number-not-array", "def labels(A):\n    return float(np.sum(A > 0.5))"),
    ("grads", "wrong-container", "def grads(X, dZ):\n    m = X.shape[1]\n"
                                 "    return [dZ @ X.T / m, np.sum(dZ, axis=1, keepdims=True) / m]"),
    ("descend", "list-length", "def descend(w, X, Y, num_iterations=10, learning_rate=0.1):\n"
                               "    p, c = _right(w, X, Y, num_iterations, learning_rate)\n    return p, c + [0.0]\n"
                               + textwrap.dedent(__import__('inspect').getsource(descend)).replace("def descend",
                                                                                                   "def _right")),
    # one input changed
    ("descend", "ignores-learning_rate", "def descend(w, X, Y, num_iterations=10, learning_rate=0.1):\n"
                                         "    return _right(w, X, Y, num_iterations, 0.1)\n"
                                         + textwrap.dedent(__import__('inspect').getsource(descend))
                                         .replace("def descend", "def _right")),
    ("descend", "num_iterations+1", "def descend(w, X, Y, num_iterations=10, learning_rate=0.1):\n"
                                    "    return _right(w, X, Y, num_iterations + 1, learning_rate)\n"
                                    + textwrap.dedent(__import__('inspect').getsource(descend))
                                    .replace("def descend", "def _right")),
    ("descend", "negated-learning_rate", "def descend(w, X, Y, num_iterations=10, learning_rate=0.1):\n"
                                         "    return _right(w, X, Y, num_iterations, -learning_rate)\n"
                                         + textwrap.dedent(__import__('inspect').getsource(descend))
                                         .replace("def descend", "def _right")),
    ("step", "swapped-learning_rate-decay", "def step(w, dw, learning_rate, decay):\n"
                                           "    return w - decay / (1 + learning_rate) * dw"),
    ("activate", "sigmoid-for-relu", "def activate(Z, activation='relu'):\n"
                                     "    name = 'sigmoid' if activation == 'relu' else activation\n"
                                     "    return get_activation(name)[0](Z)[0]"),
    ("linear", "without-b", "def linear(W, b, X):\n    return W @ X"),
    ("squash", "z-doubled", "def squash(z):\n    return (1 + np.tanh(np.asarray(z, dtype=float))) / 2 if np.ndim(z) "
                            "else float((1 + np.tanh(z)) / 2)"),
    ("mean_cost", "flipped-Y", "def mean_cost(A, Y):\n    return float(-np.mean((1 - Y) * np.log(A) + Y * np.log(1 - A)))"),
    # where it fails
    ("summary", "fails-when-size-1", "def summary(X):\n    col = np.squeeze(X, axis=1) if X.shape[1] == 1 else X\n"
                                     "    return np.sum(col, axis=1, keepdims=True), float(np.mean(X))"),
    ("linear", "right-only-when-size-1", "def linear(W, b, X):\n    return W @ X + b * X.shape[0]"),
    ("squash", "fails-on-numbers", "def squash(z):\n    return 1 / (1 + np.exp(-z.astype(float)))"),
    # exceptions of one kind on every failing case
    ("linear", "shape-error", "def linear(W, b, X):\n    return W.T @ X + b"),
    ("shifted", "in-place-on-int-array", "def shifted(X, b):\n    out = np.zeros(X.shape, dtype=int)\n"
                                         "    out += X + b\n    return out"),
    ("labels", "if-on-array", "def labels(A):\n    return 1.0 if A > 0.5 else 0.0"),
    ("grads", "missing-key", "def grads(X, dZ):\n    d = {}\n    return {'dW': d['dW'], 'db': d['db']}"),
    ("summary", "unpacking", "def summary(X):\n    a, b, c = np.sum(X), np.mean(X)\n    return a, b"),
    # inputs changed in place
    ("shifted", "modifies-its-input", "def shifted(X, b):\n    X += b\n    return X"),
]


@pytest.mark.parametrize("function,label,source", NAMED, ids=[f"{f}:{lbl}" for f, lbl, _ in NAMED])
def test_the_relation_names_the_mistake(function, label, source):
    result = run(function, source)
    assert not result.passed
    assert result.misconception == label, result.feedback
    assert f"Likely mistake ({label})" in result.feedback


# ----------------------------------------------------------------------------- never on correct code
CORRECT = [
    ("linear", "the reference's formula", "def linear(W, b, X):\n    return W @ X + b"),
    ("linear", "loops", "def linear(W, b, X):\n    Z = np.zeros((W.shape[0], X.shape[1]))\n"
                        "    for i in range(W.shape[0]):\n        for j in range(X.shape[1]):\n"
                        "            Z[i, j] = sum(W[i, k] * X[k, j] for k in range(W.shape[1])) + b[i, 0]\n    return Z"),
    ("linear", "np.dot and another order", "def linear(W, b, X):\n    return b + np.dot(W, X)"),
    ("grads", "in-place on copies", "def grads(X, dZ):\n    dW = dZ @ X.T\n    dW /= X.shape[1]\n"
                                    "    db = dZ.sum(axis=1, keepdims=True)\n    db *= 1 / X.shape[1]\n"
                                    "    return {'dW': dW, 'db': db}"),
    ("grads", "mean instead of sum / m", "def grads(X, dZ):\n"
                                          "    return {'dW': np.einsum('nm,km->nk', dZ, X) / X.shape[1], "
                                          "'db': np.mean(dZ, axis=1, keepdims=True)}"),
    ("mean_cost", "a loop", "def mean_cost(A, Y):\n    total = 0.0\n    for a, y in zip(A[0], Y[0]):\n"
                            "        total += y * np.log(a) + (1 - y) * np.log(1 - a)\n    return -total / A.shape[1]"),
    ("descend", "w -= on a copy", "def descend(w, X, Y, num_iterations=10, learning_rate=0.1):\n    w = w.copy()\n"
                                  "    m = X.shape[1]\n    costs = []\n    for i in range(num_iterations):\n"
                                  "        err = w.T @ X - Y\n        if not i % 2:\n"
                                  "            costs.append(float(np.mean(err ** 2) / 2))\n"
                                  "        w -= learning_rate * np.dot(X, err.T) / m\n    return {'w': w}, costs"),
    ("activate", "a dict of lambdas", "def activate(Z, activation='relu'):\n"
                                      "    g = {'relu': lambda z: np.maximum(z, 0), 'tanh': np.tanh,\n"
                                      "         'sigmoid': lambda z: 1 / (1 + np.exp(-z))}\n    return g[activation](Z)"),
    ("squash", "a careful branch per sign", "def squash(z):\n    a = np.asarray(z, dtype=float)\n"
                                            "    e = np.exp(-np.abs(a))\n    s = np.where(a >= 0, 1 / (1 + e), e / (1 + e))\n"
                                            "    return s if s.ndim else float(s)"),
    ("summary", "loops", "def summary(X):\n    s = np.zeros((X.shape[0], 1))\n    for i in range(X.shape[0]):\n"
                         "        s[i, 0] = sum(X[i])\n    return s, float(X.sum() / X.size)"),
    ("labels", "np.where", "def labels(A):\n    return np.where(A > 0.5, 1.0, 0.0)"),
    ("shifted", "np.add into a new array", "def shifted(X, b):\n    out = np.empty_like(X)\n"
                                           "    np.add(X, b, out=out)\n    return out"),
]


@pytest.mark.parametrize("function,what,source", CORRECT, ids=[f"{f}:{w}" for f, w, _ in CORRECT])
def test_no_relation_speaks_about_correct_code(function, what, source):
    result = run(function, source)
    assert result.passed and result.misconception is None, result.feedback
    assert "Likely mistake" not in result.feedback


@pytest.mark.parametrize("ex", TOY.exercises, ids=[e.name for e in TOY.exercises])
def test_the_reference_itself_passes_silently(ex):
    result = evaluate(TOY, ex.name, ex.reference, run="hidden", key="diagnose-tests")
    assert result.passed and result.misconception is None


def test_the_more_specific_relation_is_said():
    """dW is m times too large AND (on these cases) the all-sizes relation could hold: the factor wins."""
    result = run("grads", "def grads(X, dZ):\n    return {'dW': dZ @ X.T, 'db': np.sum(dZ, axis=1, keepdims=True)}")
    assert result.misconception == "times-m"
    assert "divide by m once" in result.feedback


def test_a_diagnosis_never_raises_and_stays_within_its_budget():
    """A hostile value (a huge int, a nested mess) gets a failed case, not a crash."""
    result = run("mean_cost", "def mean_cost(A, Y):\n    return 10 ** 400")
    assert not result.passed
    result = run("grads", "def grads(X, dZ):\n    return {'dW': [[[[[]]]]], 'db': {'x': object()}}")
    assert not result.passed


def test_the_details_of_a_named_mistake_are_about_the_wrong_item():
    """db is m times too large, dW is right: the details quote db, never dW."""
    result = run("grads", "def grads(X, dZ):\n    m = X.shape[1]\n"
                          "    return {'dW': dZ @ X.T / m, 'db': np.sum(dZ, axis=1, keepdims=True)}")
    assert result.misconception == "times-m"
    details = result.feedback.split("Details:")[1]
    assert "['db']" in details and "['dW']" not in details


def test_an_unfilled_exercise_says_it_is_not_implemented_yet():
    result = run("linear", "def linear(W, b, X):\n    raise NotImplementedError()")
    assert not result.passed and result.misconception is None
    assert result.feedback.startswith("`linear` is not implemented yet")


def test_an_exercise_hint_with_a_label_names_the_mistake():
    import dataclasses

    hinted = dataclasses.replace(TOY.exercise("linear"), error_hints=(
        (r"matmul", "W is (n, k) and X is (k, m): the product is W @ X.", "product-order"),))
    toy = Assignment("99_toy", "toy", (Notebook("toy.ipynb", (hinted,)),))
    ns = {"np": np}
    exec("def linear(W, b, X):\n    return W.T @ X + b", ns)
    result = evaluate(toy, "linear", ns["linear"], run="hidden", key="diagnose-tests")
    assert result.misconception == "product-order"
    assert "W @ X" in result.feedback
