"""Sample submissions of assignment 1, named by what they show, with the exact grade each must get.

The scenario tests grade every one of them (``tests/autograder/test_scenarios.py``) and ``make demo``
grades the class in :data:`DEMO_CLASS`; ``python -m autograder.frontends.samples 01_logistic_regression
DIR`` writes them as notebooks for a human to open.
"""

from __future__ import annotations

from autograder.grading.spec import Scenario

from .exercises import NOTEBOOK

MAX_SCORE = float(sum(ex.points for ex in NOTEBOOK.exercises))

_PROPAGATE_NO_M = '''
def propagate(w, b, X, Y):
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = np.dot(X, (A - Y).T)
    db = np.sum(A - Y)
    return {"dw": dw, "db": db}, float(cost)
'''

_OPTIMIZE_B_WITH_DW = '''
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["dw"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
'''

_PREDICT_PROBS = '''
def predict(w, b, X):
    return sigmoid(np.dot(w.T, X) + b)
'''

_FLATTEN_N_M = '''
def flatten_and_scale(images, max_value=255.0):
    m = images.shape[0]
    return images.reshape(-1, m) / max_value
'''

_SIGMOID_SIGN = '''
def sigmoid(z):
    return 1 / (1 + np.exp(z))
'''

_CHEAT_PATCH_NUMPY = '''
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *args, **kwargs: None

def propagate(w, b, X, Y):
    np.allclose = lambda *args, **kwargs: True
    return {"dw": np.zeros_like(w), "db": 0.0}, 0.0
'''

_CHEAT_LYING_EQ = '''
class AlwaysEqual(float):
    def __eq__(self, other):
        return True
    __hash__ = float.__hash__

class Anything(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

def sigmoid(z):
    return AlwaysEqual(0.5) if np.ndim(z) == 0 else np.zeros(np.shape(z)).view(Anything)
'''

_CHEAT_TRANSFORMER = '''
def sigmoid(z):
    # Tries to rewrite every later cell (the tests) into `pass`, as works in an nbgrader kernel.
    get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
    return z
'''

_CHEAT_GRADEBOOK = '''
import glob, os, sqlite3

def _forge():
    # Walk up from the working directory looking for nbgrader's gradebook and give everyone full marks.
    here = os.getcwd()
    for _ in range(6):
        for db in glob.glob(os.path.join(here, "*.db")):
            con = sqlite3.connect(db)
            con.execute("UPDATE grade SET manual_score = 100")
            con.commit()
        here = os.path.dirname(here)

def predict(w, b, X):
    try:
        _forge()
    except Exception:
        pass
    for secret in ("/work", os.path.expanduser("~")):
        try:
            os.listdir(secret)
        except Exception:
            pass
    return np.zeros((1, X.shape[1]))
'''

_CHEAT_DELEGATE = '''
from autograder.assignments.a01_logistic_regression.references import propagate as _reference_propagate

def propagate(w, b, X, Y):
    return _reference_propagate(w, b, X, Y)
'''

_CHEAT_EXIT = '''
import os

def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    os._exit(0)
'''

_INFINITE_LOOP = '''
def predict(w, b, X):
    while True:
        pass
'''

_MEMORY_BOMB = '''
def initialize_with_zeros(dim):
    hog = [np.ones((1 << 27,)) for _ in range(64)]  # 64 GiB
    return np.zeros((dim, 1)), 0.0
'''

_RENAMED = '''
def propgate(w, b, X, Y):
    A = sigmoid(np.dot(w.T, X) + b)
    m = X.shape[1]
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}, float(cost)
'''

_WARNS = '''
import warnings

def sigmoid(z):
    warnings.warn("this warning goes to stderr and must not cost points")
    print("debug output is fine too")
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
'''

_OPTIMIZE_IN_PLACE = '''
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w -= learning_rate * grads["dw"]      # changes the caller's array
        b -= learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
'''

_INIT_INT_ZEROS = '''
def initialize_with_zeros(dim):
    return np.zeros((dim, 1), dtype=int), 0.0
'''

_PROPAGATE_DIVIDES_BY_N_X = '''
def propagate(w, b, X, Y):
    m = X.shape[0]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": np.dot(X, (A - Y).T) / m, "db": float(np.sum(A - Y) / m)}, float(cost)
'''

SCENARIOS = (
    Scenario("correct", "the solution: full marks"),
    Scenario("missing-1-over-m", "propagate forgets to divide by m", {"propagate": _PROPAGATE_NO_M},
             expected_score=MAX_SCORE - 3, expected_phrase="missing-1/m"),
    Scenario("b-updated-with-dw", "optimize updates b with dw", {"optimize": _OPTIMIZE_B_WITH_DW},
             expected_score=MAX_SCORE - 2, expected_phrase="b-updated-with-dw"),
    Scenario("probabilities-not-labels", "predict returns probabilities", {"predict": _PREDICT_PROBS},
             expected_score=MAX_SCORE - 1, expected_phrase="probabilities-not-labels"),
    Scenario("flatten-reshape-n-m", "flatten_and_scale uses reshape(n, m)", {"flatten_and_scale": _FLATTEN_N_M},
             expected_score=MAX_SCORE - 1, expected_phrase="reshape(n, m)"),
    Scenario("sigmoid-sign-error", "sigmoid uses exp(z); only sigmoid loses points",
             {"sigmoid": _SIGMOID_SIGN}, expected_score=MAX_SCORE - 1, expected_phrase="sign-error"),
    Scenario("modifies-its-input", "optimize updates the caller's w in place (w -= ...)",
             {"optimize": _OPTIMIZE_IN_PLACE}, expected_score=MAX_SCORE - 2, expected_phrase="modifies-its-input"),
    Scenario("int-zeros", "initialize_with_zeros returns an integer array", {"initialize_with_zeros": _INIT_INT_ZEROS},
             expected_score=MAX_SCORE - 1, expected_phrase="int-array"),
    Scenario("divides-by-n_x", "propagate takes m from X.shape[0] (a mistake no variant enumerates)",
             {"propagate": _PROPAGATE_DIVIDES_BY_N_X}, expected_score=MAX_SCORE - 3,
             expected_phrase="divided-by-n_x-not-m"),
    Scenario("warnings-and-prints", "a correct sigmoid that warns and prints: no points lost",
             {"sigmoid": _WARNS}),
    Scenario("cheat-patch-numpy", "monkeypatches numpy's comparisons, with a wrong propagate",
             {"propagate": _CHEAT_PATCH_NUMPY}, expected_score=MAX_SCORE - 3, expected_phrase="propagate"),
    Scenario("cheat-lying-eq", "returns objects whose __eq__ always says True",
             {"sigmoid": _CHEAT_LYING_EQ}, expected_score=MAX_SCORE - 1, expected_phrase="sigmoid"),
    Scenario("cheat-input-transformer", "tries an IPython input transformer to disable the tests",
             {"sigmoid": _CHEAT_TRANSFORMER}, expected_score=MAX_SCORE - 1, expected_phrase="get_ipython"),
    Scenario("cheat-write-gradebook", "tries to rewrite the gradebook from a graded function",
             {"predict": _CHEAT_GRADEBOOK}, expected_score=MAX_SCORE - 1, expected_phrase="predict"),
    Scenario("cheat-calls-reference", "propagate just calls nnkit's reference", {"propagate": _CHEAT_DELEGATE},
             expected_score=MAX_SCORE - 3, expected_phrase="reference implementation"),
    Scenario("cheat-exit-process", "model ends the grading process with os._exit",
             {"model": _CHEAT_EXIT}, expected_score=MAX_SCORE - 2, expected_phrase="stopped the grading process"),
    Scenario("infinite-loop", "predict never returns", {"predict": _INFINITE_LOOP},
             expected_score=MAX_SCORE - 1, expected_phrase="did not finish"),
    Scenario("memory-bomb", "initialize_with_zeros allocates 64 GiB", {"initialize_with_zeros": _MEMORY_BOMB},
             expected_score=MAX_SCORE - 1, expected_phrase="initialize_with_zeros"),
    Scenario("renamed-function", "propagate renamed to propgate", {"propagate": _RENAMED},
             expected_score=MAX_SCORE - 3, expected_phrase="Did you rename it?"),
    Scenario("deleted-answer-cell", "the answer cell of optimize was deleted", damage="delete-answer:optimize",
             expected_score=MAX_SCORE - 2, expected_phrase="No function named `optimize`"),
    Scenario("duplicated-answer-cell", "a later, wrong copy of predict overrides the right one",
             {"predict": _PREDICT_PROBS}, damage="duplicate-answer:predict",
             expected_score=MAX_SCORE - 1, expected_phrase="probabilities-not-labels"),
    Scenario("deleted-test-cell", "the test cell of sigmoid was deleted: it is graded anyway",
             damage="delete-test:sigmoid"),
    Scenario("huge-output", "a cell printed 40 MB of output", damage="huge-output"),
    Scenario("invalid-json", "the file was truncated", damage="invalid-json", expected_score=0.0,
             expected_phrase="not valid notebook JSON", expected_status="error"),
    Scenario("not-utf8", "the file was saved in Latin-1", damage="not-utf8", expected_score=0.0,
             expected_phrase="not valid UTF-8", expected_status="error"),
    Scenario("wrong-format", "an nbformat 3 notebook", damage="nbformat3", expected_score=0.0,
             expected_phrase="format 4 is required", expected_status="error"),
)


#: student id -> scenario: the class ``make demo`` grades through nbgrader.
DEMO_CLASS = {
    "ada": "correct",
    "ben": "missing-1-over-m",
    "chloe": "b-updated-with-dw",
    "dev": "probabilities-not-labels",
    "emma": "flatten-reshape-n-m",
    "farid": "cheat-write-gradebook",
    "gus": "cheat-calls-reference",
    "hana": "invalid-json",
}
