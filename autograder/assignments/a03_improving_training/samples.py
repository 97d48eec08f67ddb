"""Sample submissions of assignment 3, named by what they show, with the exact grade each must get.

The scenario tests grade every one (``tests/autograder/assignments/test_scenarios.py``) and
``make demo`` grades the class in :data:`DEMO_CLASS`; ``python -m autograder.frontends.samples
03_improving_training DIR`` writes them as notebooks.
"""

from __future__ import annotations

from autograder.grading.spec import Scenario

from .exercises_gradcheck import NOTEBOOK as GRADIENT_CHECKING
from .exercises_init import NOTEBOOK as INITIALIZATION
from .exercises_reg import NOTEBOOK as REGULARIZATION

NOTEBOOKS = (INITIALIZATION, REGULARIZATION, GRADIENT_CHECKING)
MAX_SCORE = float(sum(ex.points for nb in NOTEBOOKS for ex in nb.exercises))
POINTS = {ex.name: float(ex.points) for nb in NOTEBOOKS for ex in nb.exercises}

_ZEROS_LAST_LAYER_MISSING = '''
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L - 1):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
'''

_RANDOM_GLOBAL_STATE = '''
def initialize_parameters_random(layers_dims, rng=None):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
'''

_HE_XAVIER = '''
def initialize_parameters_he(layers_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for l in range(1, len(layers_dims)):
        scale = np.sqrt(1 / layers_dims[l - 1])
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * scale
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
'''

_COST_SEED_004 = '''
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    cross_entropy_cost = compute_cost(A3, Y)
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    L2_regularization_cost = lambd / 2 * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))
    return cross_entropy_cost + L2_regularization_cost
'''

_L2_PENALIZES_BIASES = '''
def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1 / m * np.dot(dZ3, A2.T) + lambd / m * W3
    db3 = 1 / m * np.sum(dZ3, axis=1, keepdims=True) + lambd / m * b3
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1 / m * np.dot(dZ2, A1.T) + lambd / m * W2
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True) + lambd / m * b2
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1 / m * np.dot(dZ1, X.T) + lambd / m * W1
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True) + lambd / m * b1
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
'''

_DROPOUT_NO_SCALING = '''
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    D1 = rng.random(A1.shape) < keep_prob
    A1 = A1 * D1
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    D2 = rng.random(A2.shape) < keep_prob
    A2 = A2 * D2
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
'''

_DROPOUT_BACKWARD_MASK_ON_DZ = '''
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1 / m * np.dot(dZ3, A2.T)
    db3 = 1 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3) / keep_prob
    dZ2 = dA2 * (Z2 > 0) * D2
    dW2 = 1 / m * np.dot(dZ2, A1.T)
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2) / keep_prob
    dZ1 = dA1 * (Z1 > 0) * D1
    dW1 = 1 / m * np.dot(dZ1, X.T)
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
'''

_BACKWARD_WRT_X = '''
def backward_propagation(x, theta):
    dtheta = theta
    return dtheta
'''

_GRADIENT_CHECK_ONE_SIDED = '''
def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    J = forward_propagation(x, theta)
    J_plus = forward_propagation(x, theta + epsilon)
    gradapprox = (J_plus - J) / epsilon
    grad = backward_propagation(x, theta)
    difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    if print_msg:
        print("difference =", difference)
    return difference
'''

_GRADIENT_CHECK_N_NO_COPY = '''
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        thetaplus = parameters_values
        thetaplus[i] = thetaplus[i] + epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(thetaplus))
        thetaminus = parameters_values
        thetaminus[i] = thetaminus[i] - epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(thetaminus))
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return numerator / denominator
'''

_CHEAT_CALLS_NNKIT = '''
from nnkit.gradcheck import gradient_check_n as _nnkit_check

def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _nnkit_check(lambda p: forward_propagation_n(X, Y, p)[0], parameters,
                        {k: gradients[k] for k in ("dW1", "db1", "dW2", "db2", "dW3", "db3")}, epsilon)
'''

_CHEAT_RETURNS_NOISE = '''
def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    # "Your backward propagation works perfectly fine!" whatever the gradient
    return 1.2e-10
'''

SCENARIOS = (
    Scenario("correct", "the solution: full marks"),
    Scenario("zeros-last-layer-missing", "initialize_parameters_zeros stops one layer early",
             {"initialize_parameters_zeros": _ZEROS_LAST_LAYER_MISSING},
             expected_score=MAX_SCORE - POINTS["initialize_parameters_zeros"], expected_phrase="last-layer-missing"),
    Scenario("random-global-state", "initialize_parameters_random seeds and draws numpy's global random state",
             {"initialize_parameters_random": _RANDOM_GLOBAL_STATE},
             expected_score=MAX_SCORE - POINTS["initialize_parameters_random"], expected_phrase="global-random-state"),
    Scenario("he-xavier-scale", "initialize_parameters_he uses Xavier's sqrt(1 / n_{l-1})",
             {"initialize_parameters_he": _HE_XAVIER},
             expected_score=MAX_SCORE - POINTS["initialize_parameters_he"], expected_phrase="xavier-scale"),
    Scenario("cost-seed-004-convention", "the L2 cost uses lambda / 2 without the 1/m",
             {"compute_cost_with_regularization": _COST_SEED_004},
             expected_score=MAX_SCORE - POINTS["compute_cost_with_regularization"],
             expected_phrase="penalty-without-1/m"),
    Scenario("l2-penalizes-biases", "the L2 backward pass adds lambd / m * b to db",
             {"backward_propagation_with_regularization": _L2_PENALIZES_BIASES},
             expected_score=MAX_SCORE - POINTS["backward_propagation_with_regularization"],
             expected_phrase="penalizes-biases"),
    Scenario("dropout-no-scaling", "the dropout forward pass forgets to divide by keep_prob",
             {"forward_propagation_with_dropout": _DROPOUT_NO_SCALING},
             expected_score=MAX_SCORE - POINTS["forward_propagation_with_dropout"], expected_phrase="no-scaling"),
    Scenario("dropout-backward-mask-on-dz", "the mask goes on dZ instead of dA: right dW and db, wrong dA1 and dA2",
             {"backward_propagation_with_dropout": _DROPOUT_BACKWARD_MASK_ON_DZ},
             expected_score=MAX_SCORE - POINTS["backward_propagation_with_dropout"], expected_phrase="mask-on-dZ"),
    Scenario("backward-1d-wrt-x", "the 1-D backward_propagation returns dJ/dx = theta",
             {"backward_propagation": _BACKWARD_WRT_X},
             expected_score=MAX_SCORE - POINTS["backward_propagation"], expected_phrase="derivative-wrt-x"),
    Scenario("gradient-check-one-sided", "the 1-D gradient check uses a one-sided difference",
             {"gradient_check": _GRADIENT_CHECK_ONE_SIDED},
             expected_score=MAX_SCORE - POINTS["gradient_check"], expected_phrase="one-sided-difference"),
    Scenario("gradient-check-n-no-copy", "thetaplus and thetaminus are the same array as parameters_values",
             {"gradient_check_n": _GRADIENT_CHECK_N_NO_COPY},
             expected_score=MAX_SCORE - POINTS["gradient_check_n"], expected_phrase="thetaplus-is-not-a-copy"),
    Scenario("cheat-calls-nnkit", "gradient_check_n calls nnkit's gradient check",
             {"gradient_check_n": _CHEAT_CALLS_NNKIT},
             expected_score=MAX_SCORE - POINTS["gradient_check_n"], expected_phrase="reference implementation"),
    Scenario("cheat-returns-noise", "gradient_check always returns a tiny number",
             {"gradient_check": _CHEAT_RETURNS_NOISE},
             expected_score=MAX_SCORE - POINTS["gradient_check"], expected_phrase="wrong backward_propagation"),
    Scenario("deleted-test-cell", "the test cell of gradient_check_n was deleted: it is graded anyway",
             damage="delete-test:gradient_check_n"),
    Scenario("invalid-json", "regularization.ipynb was truncated: the other two notebooks are still graded",
             damage="invalid-json:regularization.ipynb",
             expected_score=MAX_SCORE - sum(ex.points for ex in REGULARIZATION.exercises),
             expected_phrase="not valid notebook JSON"),
)

#: student id -> scenario: the class ``make demo`` grades through nbgrader.
DEMO_CLASS = {
    "ada": "correct",
    "ben": "he-xavier-scale",
    "chloe": "cost-seed-004-convention",
    "dev": "dropout-no-scaling",
    "emma": "gradient-check-one-sided",
    "farid": "cheat-calls-nnkit",
    "gus": "invalid-json",
    "hana": "backward-1d-wrt-x",
}
