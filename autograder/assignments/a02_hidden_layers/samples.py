"""Sample submissions of assignment 2, named by what they show, with the exact grade each must get.

The scenario tests grade every one of them (``tests/autograder/assignments/test_scenarios.py``) and
``make demo`` grades the class in :data:`DEMO_CLASS`; ``python -m autograder.frontends.samples
02_hidden_layers DIR`` writes them as notebooks for a human to open. A submission is both notebooks:
a damaged file costs the points of its own notebook only.
"""

from __future__ import annotations

from autograder.grading.spec import Scenario

from .exercises_deep import NOTEBOOK as DEEP
from .exercises_planar import NOTEBOOK as PLANAR

PLANAR_POINTS = float(sum(ex.points for ex in PLANAR.exercises))
DEEP_POINTS = float(sum(ex.points for ex in DEEP.exercises))
MAX_SCORE = PLANAR_POINTS + DEEP_POINTS

_BACKWARD_TANH_OF_Z = '''
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    W2 = parameters["W2"]
    A1, A2, Z1 = cache["A1"], cache["A2"], cache["Z1"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(Z1, 2))
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
'''

_COST_NO_M = '''
def compute_cost(A2, Y):
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = -np.sum(logprobs)
    return float(cost)
'''

_FORWARD_Z2_FROM_Z1 = '''
def forward_propagation(X, parameters):
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, Z1) + b2
    A2 = sigmoid(Z2)
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache
'''

_NN_MODEL_FIXED_N_H = '''
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    n_x, n_h, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y, rng)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
        if print_cost and i % 1000 == 0:
            print(f"Cost after iteration {i}: {cost:f}")
    return parameters
'''

_INIT_GLOBAL_STATE = '''
def initialize_parameters(n_x, n_h, n_y, rng=None):
    np.random.seed(2)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
'''

_DEEP_INIT_HE = '''
def initialize_parameters_deep(layer_dims, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
'''

_RELU_DERIVATIVE_IS_RELU = '''
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * relu(Z)
    elif activation == "sigmoid":
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    elif activation == "tanh":
        dZ = dA * (1 - np.tanh(Z) ** 2)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
'''

_DAL_IS_DZL = '''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = AL - Y
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = dA_prev, dW, db
    return grads
'''

_LINEAR_BACKWARD_NO_M = '''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    dW = np.dot(dZ, A_prev.T)
    db = np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
'''

_CHEAT_CALLS_NNKIT = '''
from nnkit.network import NetworkCache, model_backward
from nnkit.layers import LinearActivationCache, LinearCache
from nnkit.activations import ActivationCache

def L_model_backward(AL, Y, caches):
    layers, acts = [], []
    for l, (linear_cache, Z) in enumerate(caches, start=1):
        act = "sigmoid" if l == len(caches) else "relu"
        A = sigmoid(Z) if act == "sigmoid" else relu(Z)
        layers.append(LinearActivationCache(LinearCache(*linear_cache), ActivationCache(Z, A)))
        acts.append(act)
    return model_backward(AL, Y, NetworkCache(tuple(layers), (None,) * len(layers), tuple(acts)), "binary_cross_entropy")
'''

_CHEAT_IMPORTS_REFERENCE = '''
from autograder.assignments.a02_hidden_layers.references import forward_propagation as _answer

def forward_propagation(X, parameters):
    return _answer(X, parameters)
'''

SCENARIOS = (
    Scenario("correct", "the solution: full marks"),
    Scenario("tanh-derivative-of-Z1", "backward_propagation squares Z1 instead of A1 in tanh'",
             {"backward_propagation": _BACKWARD_TANH_OF_Z}, expected_score=MAX_SCORE - 3,
             expected_phrase="tanh-derivative-of-Z1"),
    Scenario("cost-missing-1-over-m", "compute_cost sums the losses without dividing by m",
             {"compute_cost": _COST_NO_M}, expected_score=MAX_SCORE - 1, expected_phrase="missing-1/m"),
    Scenario("forward-Z2-from-Z1", "forward_propagation feeds Z1 instead of A1 to the output layer",
             {"forward_propagation": _FORWARD_Z2_FROM_Z1}, expected_score=MAX_SCORE - 2, expected_phrase="Z2-from-Z1"),
    Scenario("nn-model-ignores-n_h", "nn_model takes n_h from layer_sizes instead of its argument",
             {"nn_model": _NN_MODEL_FIXED_N_H}, expected_score=MAX_SCORE - 2, expected_phrase="ignores-n_h"),
    Scenario("init-global-random-state", "initialize_parameters seeds and draws numpy's global random state",
             {"initialize_parameters": _INIT_GLOBAL_STATE}, expected_score=MAX_SCORE - 1,
             expected_phrase="global-random-state"),
    Scenario("deep-init-he-scale", "initialize_parameters_deep uses He's sqrt(2 / n) instead of 1 / sqrt(n)",
             {"initialize_parameters_deep": _DEEP_INIT_HE}, expected_score=MAX_SCORE - 1,
             expected_phrase="He initialization"),
    Scenario("relu-derivative-is-relu", "linear_activation_backward multiplies by relu(Z) instead of Z > 0",
             {"linear_activation_backward": _RELU_DERIVATIVE_IS_RELU}, expected_score=MAX_SCORE - 2,
             expected_phrase="relu-derivative-is-relu"),
    Scenario("dAL-is-dZL", "L_model_backward starts from AL - Y, then applies the sigmoid's derivative again",
             {"L_model_backward": _DAL_IS_DZL}, expected_score=MAX_SCORE - 3, expected_phrase="dAL-is-dZL"),
    Scenario("linear-backward-missing-1-over-m", "linear_backward forgets the 1/m of dW and db",
             {"linear_backward": _LINEAR_BACKWARD_NO_M}, expected_score=MAX_SCORE - 2, expected_phrase="missing-1/m"),
    Scenario("cheat-calls-nnkit", "L_model_backward calls nnkit's model_backward", {"L_model_backward": _CHEAT_CALLS_NNKIT},
             expected_score=MAX_SCORE - 3, expected_phrase="reference implementation"),
    Scenario("cheat-imports-reference", "forward_propagation imports the grader's reference",
             {"forward_propagation": _CHEAT_IMPORTS_REFERENCE}, expected_score=MAX_SCORE - 2,
             expected_phrase="reference implementation"),
    Scenario("deleted-answer-cell", "the answer cell of nn_model was deleted", damage="delete-answer:nn_model",
             expected_score=MAX_SCORE - 2, expected_phrase="No function named `nn_model`"),
    Scenario("invalid-json", "the planar notebook was truncated: only the deep notebook is graded",
             damage="invalid-json", expected_score=DEEP_POINTS, expected_phrase="not valid notebook JSON"),
    Scenario("deep-not-utf8", "the deep notebook was saved in Latin-1: only the planar notebook is graded",
             damage="not-utf8:deep_network.ipynb", expected_score=PLANAR_POINTS, expected_phrase="not valid UTF-8"),
)

#: student id -> scenario: the class ``make demo`` grades through nbgrader.
DEMO_CLASS = {
    "ada": "correct",
    "ben": "tanh-derivative-of-Z1",
    "chloe": "nn-model-ignores-n_h",
    "dev": "dAL-is-dZL",
    "emma": "deep-init-he-scale",
    "farid": "relu-derivative-is-relu",
    "gus": "cheat-calls-nnkit",
    "hana": "invalid-json",
}
