"""Student variants of assignment 2 (a hidden layer, then L layers), for ``test_variants.py``.

``CORRECT``: right code written the many ways students write it. ``BUGGY``: the mistakes students
really make in this assignment (wrong axis, missing keepdims, transposes, a forgotten 1/m, the wrong
activation derivative, the wrong cache entry, inputs changed in place, numpy's global random state,
off-by-one loops, ...). Each source defines its function the way a student's answer cell would;
``np`` is imported, and the grader binds the notebook's helpers (``sigmoid``, ``relu``) and the
reference versions of the other graded functions.

Decisions on borderline cases (spec: the notebooks and :mod:`autograder.assignments.a02_hidden_layers.references`):

- ``layer_sizes`` returning a list ``[n_x, n_h, n_y]``: CORRECT (it unpacks like the tuple).
- The random initializers: any way of drawing the right distribution from ``rng`` is CORRECT, even
  transposed draws or the layers drawn in another order; the global random state (even only
  ``np.random.seed``), a seed written in the function, a wrong scale or distribution are BUGGY.
- ``predict`` returning bools, ints, ``np.round(A2)`` or ``np.where(A2 > 0.5, 1, 0)``: CORRECT.
- ``relu``'s derivative at exactly 0: the cases never hit ``Z == 0``, so ``Z >= 0`` and ``Z > 0`` are
  both CORRECT.
- A function that changes its inputs in place (``parameters["W1"] -= ...``, ``dZ = dA; dZ[Z <= 0] = 0``)
  is BUGGY even when its returned values are right: the caller's arrays change.
"""

ASSIGNMENT = "02_hidden_layers"

CORRECT = [
    # ------------------------------------------------------------------ layer_sizes
    ("layer_sizes", "shape[0] of X and Y", """
def layer_sizes(X, Y):
    n_x = X.shape[0]
    n_h = 4
    n_y = Y.shape[0]
    return (n_x, n_h, n_y)
"""),
    ("layer_sizes", "len() of X and Y, returned as a list", """
def layer_sizes(X, Y):
    return [len(X), 4, len(Y)]
"""),
    ("layer_sizes", "unpacks the shapes", """
def layer_sizes(X, Y):
    n_x, m = X.shape
    n_y, _ = Y.shape
    return n_x, 4, n_y
"""),
    # ------------------------------------------------------------------ initialize_parameters
    ("initialize_parameters", "rng.normal(0, 0.01, shape)", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W1 = rng.normal(0, 0.01, (n_h, n_x))
    b1 = np.zeros((n_h, 1))
    W2 = rng.normal(0, 0.01, (n_y, n_h))
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
    ("initialize_parameters", "np.random.default_rng(rng) and standard_normal(size=...)", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng(rng)
    parameters = {}
    parameters["W1"] = rng.standard_normal(size=(n_h, n_x)) * 0.01
    parameters["b1"] = np.zeros(shape=(n_h, 1))
    parameters["W2"] = rng.standard_normal(size=(n_y, n_h)) * 0.01
    parameters["b2"] = np.zeros(shape=(n_y, 1))
    return parameters
"""),
    ("initialize_parameters", "draws transposed then .T, divides by 100", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1 = rng.standard_normal((n_x, n_h)).T / 100
    W2 = rng.standard_normal((n_h, n_y)).T / 100
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
    ("initialize_parameters", "draws W2 before W1 (another order)", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W2 = 0.01 * rng.standard_normal((n_y, n_h))
    W1 = 0.01 * rng.standard_normal((n_h, n_x))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
    ("initialize_parameters", "from numpy.random import default_rng", """
from numpy.random import default_rng

def initialize_parameters(n_x, n_h, n_y, rng=None):
    gen = rng if rng is not None else default_rng()
    sizes = [n_x, n_h, n_y]
    params = {}
    for l in (1, 2):
        params["W" + str(l)] = gen.normal(loc=0.0, scale=0.01, size=(sizes[l], sizes[l - 1]))
        params["b" + str(l)] = np.zeros((sizes[l], 1))
    return params
"""),
    # ------------------------------------------------------------------ forward_propagation
    ("forward_propagation", "np.dot and the notebook's sigmoid", """
def forward_propagation(X, parameters):
    W1 = parameters["W1"]; b1 = parameters["b1"]; W2 = parameters["W2"]; b2 = parameters["b2"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
    ("forward_propagation", "np.matmul, tanh and the sigmoid written out with exp", """
def forward_propagation(X, parameters):
    Z1 = np.matmul(parameters["W1"], X) + parameters["b1"]
    A1 = (np.exp(Z1) - np.exp(-Z1)) / (np.exp(Z1) + np.exp(-Z1))
    Z2 = np.matmul(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    cache = dict(Z1=Z1, A1=A1, Z2=Z2, A2=A2)
    return A2, cache
"""),
    ("forward_propagation", "W.dot(X) and np.add", """
def forward_propagation(X, parameters):
    cache = {}
    cache["Z1"] = np.add(parameters["W1"].dot(X), parameters["b1"])
    cache["A1"] = np.tanh(cache["Z1"])
    cache["Z2"] = np.add(parameters["W2"].dot(cache["A1"]), parameters["b2"])
    cache["A2"] = sigmoid(cache["Z2"])
    return cache["A2"], cache
"""),
    # ------------------------------------------------------------------ compute_cost
    ("compute_cost", "np.multiply, np.sum and np.squeeze", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = -np.sum(logprobs) / m
    return float(np.squeeze(cost))
"""),
    ("compute_cost", "np.dot with the transposes, then np.squeeze", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    cost = -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m
    return float(np.squeeze(cost))
"""),
    ("compute_cost", "np.mean and log1p", """
def compute_cost(A2, Y):
    return float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log1p(-A2)))
"""),
    ("compute_cost", "a loop over the examples", """
import math

def compute_cost(A2, Y):
    m = Y.shape[1]
    total = 0.0
    for i in range(m):
        a, y = A2[0, i], Y[0, i]
        total += -(y * math.log(a) + (1 - y) * math.log(1 - a))
    return total / m
"""),
    # ------------------------------------------------------------------ backward_propagation
    ("backward_propagation", "np.dot, np.power and 1./m", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    W2 = parameters["W2"]
    A1 = cache["A1"]; A2 = cache["A2"]
    dZ2 = A2 - Y
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.multiply(np.dot(W2.T, dZ2), 1 - np.power(A1, 2))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "tanh' recomputed from Z1, np.mean for db", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dW2 = dZ2 @ cache["A1"].T / m
    db2 = np.mean(dZ2, axis=1, keepdims=True)
    dZ1 = parameters["W2"].T @ dZ2 * (1 - np.tanh(cache["Z1"]) ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.mean(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "a sum of per-example outer products", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    grads = {"dW1": 0, "db1": 0, "dW2": 0, "db2": 0}
    for i in range(m):
        x, a1, a2, y = X[:, i:i + 1], cache["A1"][:, i:i + 1], cache["A2"][:, i:i + 1], Y[:, i:i + 1]
        dz2 = a2 - y
        dz1 = (parameters["W2"].T @ dz2) * (1 - a1 * a1)
        grads["dW2"] = grads["dW2"] + dz2 @ a1.T / m
        grads["db2"] = grads["db2"] + dz2 / m
        grads["dW1"] = grads["dW1"] + dz1 @ x.T / m
        grads["db1"] = grads["db1"] + dz1 / m
    return grads
"""),
    # ------------------------------------------------------------------ update_parameters
    ("update_parameters", "one line per parameter", """
def update_parameters(parameters, grads, learning_rate=1.2):
    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["db1"]
    W2 = parameters["W2"] - learning_rate * grads["dW2"]
    b2 = parameters["b2"] - learning_rate * grads["db2"]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
    ("update_parameters", "deep copy, then -= on the copy", """
import copy

def update_parameters(parameters, grads, learning_rate=1.2):
    parameters = copy.deepcopy(parameters)
    for key in parameters:
        parameters[key] -= learning_rate * grads["d" + key]
    return parameters
"""),
    ("update_parameters", "dict comprehension over the keys", """
def update_parameters(parameters, grads, learning_rate=1.2):
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
"""),
    # ------------------------------------------------------------------ nn_model
    ("nn_model", "the classic loop, cost printed every 1000 iterations", """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    n_x = layer_sizes(X, Y)[0]
    n_y = layer_sizes(X, Y)[2]
    parameters = initialize_parameters(n_x, n_h, n_y, rng=rng)
    for i in range(0, num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate=learning_rate)
        if print_cost and i % 1000 == 0:
            print("Cost after iteration %i: %f" % (i, cost))
    return parameters
"""),
    ("nn_model", "a while loop, the cost computed only when printed", """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    n_x, _, n_y = layer_sizes(X, Y)
    params = initialize_parameters(n_x, n_h, n_y, rng)
    i = 0
    while i < num_iterations:
        A2, cache = forward_propagation(X, params)
        if print_cost and i % 1000 == 0:
            print(i, compute_cost(A2, Y))
        params = update_parameters(params, backward_propagation(params, cache, X, Y), learning_rate)
        i += 1
    return params
"""),
    # ------------------------------------------------------------------ predict
    ("predict", "returns booleans", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    predictions = (A2 > 0.5)
    return predictions
"""),
    ("predict", "np.round of the probabilities", """
def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return np.round(A2)
"""),
    ("predict", "np.where(A2 > 0.5, 1, 0) as ints", """
def predict(parameters, X):
    A2 = forward_propagation(X, parameters)[0]
    return np.where(A2 > 0.5, 1, 0)
"""),
    # ------------------------------------------------------------------ initialize_parameters_deep
    ("initialize_parameters_deep", "rng.normal with scale 1/sqrt(n_{l-1})", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = rng.normal(0.0, 1 / np.sqrt(layer_dims[l - 1]), (layer_dims[l], layer_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    ("initialize_parameters_deep", "zip of consecutive sizes, times sqrt(1/n)", """
def initialize_parameters_deep(layer_dims, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    params = {}
    for l, (n_prev, n_l) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        params[f"W{l}"] = rng.standard_normal((n_l, n_prev)) * np.sqrt(1.0 / n_prev)
        params[f"b{l}"] = np.zeros((n_l, 1))
    return params
"""),
    ("initialize_parameters_deep", "all the biases first, then the weights", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng(rng)
    L = len(layer_dims) - 1
    out = {f"b{l}": np.zeros((layer_dims[l], 1)) for l in range(1, L + 1)}
    for l in range(1, L + 1):
        out[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / layer_dims[l - 1] ** 0.5
    return out
"""),
    # ------------------------------------------------------------------ linear_forward
    ("linear_forward", "np.dot", """
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    cache = (A, W, b)
    return Z, cache
"""),
    ("linear_forward", "W.dot(A) and np.add", """
def linear_forward(A, W, b):
    return np.add(W.dot(A), b), (A, W, b)
"""),
    ("linear_forward", "np.einsum", """
def linear_forward(A, W, b):
    Z = np.einsum("ij,jk->ik", W, A) + b
    return Z, (A, W, b)
"""),
    # ------------------------------------------------------------------ linear_activation_forward
    ("linear_activation_forward", "if / elif with the helpers", """
def linear_activation_forward(A_prev, W, b, activation):
    if activation == "sigmoid":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A = sigmoid(Z)
    elif activation == "relu":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A = relu(Z)
    elif activation == "tanh":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A = np.tanh(Z)
    cache = (linear_cache, Z)
    return A, cache
"""),
    ("linear_activation_forward", "a dict of activations, ReLU with np.where", """
def linear_activation_forward(A_prev, W, b, activation):
    functions = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.where(z > 0, z, 0.0),
                 "tanh": np.tanh}
    Z, linear_cache = linear_forward(A_prev, W, b)
    return functions[activation](Z), (linear_cache, Z)
"""),
    ("linear_activation_forward", "ReLU as Z * (Z > 0), the linear step inline", """
def linear_activation_forward(A_prev, W, b, activation):
    Z = W @ A_prev + b
    if activation == "relu":
        A = Z * (Z > 0)
    elif activation == "tanh":
        A = np.tanh(Z)
    else:
        A = sigmoid(Z)
    return A, ((A_prev, W, b), Z)
"""),
    # ------------------------------------------------------------------ L_model_forward
    ("L_model_forward", "the classic loop over range(1, L)", """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(A_prev, parameters['W' + str(l)], parameters['b' + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters['W' + str(L)], parameters['b' + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches
"""),
    ("L_model_forward", "one loop with the activation chosen per layer", """
def L_model_forward(X, parameters):
    L = len([k for k in parameters if k.startswith("W")])
    A, caches = X, []
    for l in range(1, L + 1):
        act = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], act)
        caches.append(cache)
    return A, caches
"""),
    # ------------------------------------------------------------------ linear_backward
    ("linear_backward", "np.dot and 1./m", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1. / m * np.dot(dZ, A_prev.T)
    db = 1. / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
"""),
    ("linear_backward", "np.mean for db, m from dZ", """
def linear_backward(dZ, cache):
    A_prev, W, _ = cache
    m = dZ.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.mean(dZ, axis=1, keepdims=True)
"""),
    ("linear_backward", "db summed then reshaped to a column", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    db = (np.sum(dZ, axis=1) / m).reshape(b.shape)
    return W.T.dot(dZ), dZ.dot(A_prev.T) / m, db
"""),
    # ------------------------------------------------------------------ linear_activation_backward
    ("linear_activation_backward", "the classic relu_backward on a copy of dA", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = np.array(dA, copy=True)
        dZ[Z <= 0] = 0
    elif activation == "sigmoid":
        s = 1 / (1 + np.exp(-Z))
        dZ = dA * s * (1 - s)
    elif activation == "tanh":
        dZ = dA * (1 - np.power(np.tanh(Z), 2))
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
"""),
    ("linear_activation_backward", "ReLU's derivative with Z >= 0 and np.where", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = np.where(Z >= 0, dA, 0.0)
    elif activation == "sigmoid":
        dZ = dA * sigmoid(Z) * (1 - sigmoid(Z))
    else:
        t = np.tanh(Z)
        dZ = dA * (1 - t * t)
    return linear_backward(dZ, linear_cache)
"""),
    ("linear_activation_backward", "derivatives in a dict", """
def linear_activation_backward(dA, cache, activation):
    (linear_cache, Z) = cache
    derivative = {
        "sigmoid": lambda z: sigmoid(z) * (1 - sigmoid(z)),
        "relu": lambda z: (z > 0).astype(float),
        "tanh": lambda z: 1 - np.tanh(z) ** 2,
    }[activation]
    return linear_backward(dA * derivative(Z), linear_cache)
"""),
    # ------------------------------------------------------------------ L_model_backward
    ("L_model_backward", "the classic reversed(range(L - 1)) loop", """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[L - 1]
    dA_prev_temp, dW_temp, db_temp = linear_activation_backward(dAL, current_cache, "sigmoid")
    grads["dA" + str(L - 1)] = dA_prev_temp
    grads["dW" + str(L)] = dW_temp
    grads["db" + str(L)] = db_temp
    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(grads["dA" + str(l + 1)], current_cache, "relu")
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads
"""),
    ("L_model_backward", "one loop from L down to 1, dAL written out", """
def L_model_backward(AL, Y, caches):
    L = len(caches)
    grads = {}
    dA = -Y / AL + (1 - Y) / (1 - AL)
    for l in range(L, 0, -1):
        dA, dW, db = linear_activation_backward(dA, caches[l - 1], "sigmoid" if l == L else "relu")
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA, dW, db
    return grads
"""),
]

BUGGY = [
    # ------------------------------------------------------------------ layer_sizes
    ("layer_sizes", "n_x from X.shape[1] (the number of examples)", """
def layer_sizes(X, Y):
    return X.shape[1], 4, Y.shape[0]
"""),
    ("layer_sizes", "n_y from Y.shape[1]", """
def layer_sizes(X, Y):
    return X.shape[0], 4, Y.shape[1]
"""),
    ("layer_sizes", "n_y hard-coded to 1", """
def layer_sizes(X, Y):
    n_x = X.shape[0]
    n_h = 4
    n_y = 1
    return n_x, n_h, n_y
"""),
    ("layer_sizes", "returns the sizes in the order (n_x, n_y, n_h)", """
def layer_sizes(X, Y):
    n_x = X.shape[0]
    n_y = Y.shape[0]
    return n_x, n_y, 4
"""),
    ("layer_sizes", "uses both shapes the wrong way round", """
def layer_sizes(X, Y):
    m, n_x = X.shape
    m, n_y = Y.shape
    return n_x, 4, n_y
"""),
    ("layer_sizes", "n_h taken from the data instead of 4", """
def layer_sizes(X, Y):
    n_x = X.shape[0]
    return n_x, n_x, Y.shape[0]
"""),
    # ------------------------------------------------------------------ initialize_parameters
    ("initialize_parameters", "the classic np.random.seed(2) and np.random.randn", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    np.random.seed(2)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
    ("initialize_parameters", "np.random.normal (the global state) instead of rng", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    W1 = np.random.normal(0, 0.01, (n_h, n_x))
    W2 = np.random.normal(0, 0.01, (n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
    ("initialize_parameters", "forgets the 0.01", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1 = rng.standard_normal((n_h, n_x))
    W2 = rng.standard_normal((n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
    ("initialize_parameters", "scales by the variance 0.01**2", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1 = rng.standard_normal((n_h, n_x)) * 0.01 ** 2
    W2 = rng.standard_normal((n_y, n_h)) * 0.01 ** 2
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
    ("initialize_parameters", "random biases too", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1 = rng.standard_normal((n_h, n_x)) * 0.01
    b1 = rng.standard_normal((n_h, 1)) * 0.01
    W2 = rng.standard_normal((n_y, n_h)) * 0.01
    b2 = rng.standard_normal((n_y, 1)) * 0.01
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
    ("initialize_parameters", "weight shapes transposed", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1 = rng.standard_normal((n_x, n_h)) * 0.01
    W2 = rng.standard_normal((n_h, n_y)) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
    ("initialize_parameters", "1-D biases np.zeros(n_h)", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1 = rng.standard_normal((n_h, n_x)) * 0.01
    W2 = rng.standard_normal((n_y, n_h)) * 0.01
    return {"W1": W1, "b1": np.zeros(n_h), "W2": W2, "b2": np.zeros(n_y)}
"""),
    ("initialize_parameters", "zero weights (symmetry not broken)", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)), "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}
"""),
    ("initialize_parameters", "uniform rng.random instead of the normal distribution", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1 = rng.random((n_h, n_x)) * 0.01
    W2 = rng.random((n_y, n_h)) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
    ("initialize_parameters", "a seed written in the function", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng(3)
    W1 = rng.standard_normal((n_h, n_x)) * 0.01
    W2 = rng.standard_normal((n_y, n_h)) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
    ("initialize_parameters", "rng.normal(0.01, 1, shape): mean and standard deviation swapped", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1 = rng.normal(0.01, 1, (n_h, n_x))
    W2 = rng.normal(0.01, 1, (n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
    ("initialize_parameters", "scale 0.1 instead of 0.01", """
def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1 = rng.standard_normal((n_h, n_x)) * 0.1
    W2 = rng.standard_normal((n_y, n_h)) * 0.1
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
    # ------------------------------------------------------------------ forward_propagation
    ("forward_propagation", "ReLU in the hidden layer", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
    ("forward_propagation", "sigmoid in the hidden layer", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = sigmoid(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
    ("forward_propagation", "tanh at the output too", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = np.tanh(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
    ("forward_propagation", "Z2 computed from Z1 instead of A1", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], Z1) + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
    ("forward_propagation", "forgets the biases", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X)
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1)
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
    ("forward_propagation", "no activation in the hidden layer (A1 = Z1)", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = Z1
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
    ("forward_propagation", "W1.T @ X (the row convention)", """
def forward_propagation(X, parameters):
    Z1 = parameters["W1"].T @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
    ("forward_propagation", "the cache stores Z2 under A2", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": Z2}
"""),
    ("forward_propagation", "b1 added after the tanh", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X)
    A1 = np.tanh(Z1) + parameters["b1"]
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
    # ------------------------------------------------------------------ compute_cost
    ("compute_cost", "forgets to divide by m", """
def compute_cost(A2, Y):
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    return float(-np.sum(logprobs))
"""),
    ("compute_cost", "forgets the minus sign", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m)
"""),
    ("compute_cost", "only the Y log A2 term", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y)
    return float(-np.sum(logprobs) / m)
"""),
    ("compute_cost", "log(A2) in the second term", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(A2)) / m)
"""),
    ("compute_cost", "returns the (1, 1) array of np.dot", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m
"""),
    ("compute_cost", "float() of the (1, 1) array np.dot gives (numpy 2 refuses it)", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    cost = -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m
    return float(cost)
"""),
    ("compute_cost", "the squared error instead of the cross-entropy", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(np.sum((A2 - Y) ** 2) / m)
"""),
    ("compute_cost", "divides by Y.shape[0] instead of m", """
def compute_cost(A2, Y):
    m = Y.shape[0]
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m)
"""),
    ("compute_cost", "np.mean over axis 1 without squeezing (a 1-element array)", """
def compute_cost(A2, Y):
    return -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2), axis=1)
"""),
    ("compute_cost", "the labels swapped between the two terms", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(-np.sum((1 - Y) * np.log(A2) + Y * np.log(1 - A2)) / m)
"""),
    # ------------------------------------------------------------------ backward_propagation
    ("backward_propagation", "forgets the 1/m", """
def backward_propagation(parameters, cache, X, Y):
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T)
    db2 = np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - np.power(A1, 2))
    dW1 = np.dot(dZ1, X.T)
    db1 = np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "db without keepdims", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1) / m
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - np.power(A1, 2))
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "tanh' as 1 - Z1**2", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    Z1, A1, A2 = cache["Z1"], cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - np.power(Z1, 2))
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "tanh applied to A1 again in the derivative", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = parameters["W2"].T @ dZ2 * (1 - np.tanh(A1) ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "the sigmoid's derivative A1 (1 - A1) for the tanh layer", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = parameters["W2"].T @ dZ2 * A1 * (1 - A1)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "(1 - A1)**2 instead of 1 - A1**2", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = parameters["W2"].T @ dZ2 * (1 - A1) ** 2
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "no activation derivative in dZ1", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = parameters["W2"].T @ dZ2
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "dZ2 = Y - A2", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = Y - A2
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = parameters["W2"].T @ dZ2 * (1 - A1 ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "dW = A dZ^T (both transposed)", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(A1, dZ2.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - A1 ** 2)
    dW1 = np.dot(X, dZ1.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "only dW1 transposed", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - A1 ** 2)
    dW1 = np.dot(X, dZ1.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "missing parentheses: W2.T dZ2 * 1 - A1**2", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(parameters["W2"].T, dZ2) * 1 - np.power(A1, 2)
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "m taken from X.shape[0]", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - A1 ** 2)
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "db summed over the units (axis=0)", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=0, keepdims=True) / m
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - A1 ** 2)
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=0, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "dZ2 = A2 aliased, then -= Y changes the cache", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1 = cache["A1"]
    dZ2 = cache["A2"]
    dZ2 -= Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = parameters["W2"].T @ dZ2 * (1 - A1 ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    ("backward_propagation", "W1 instead of W2 in dZ1", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = parameters["W1"].T @ dZ2 * (1 - A1 ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
    # ------------------------------------------------------------------ update_parameters
    ("update_parameters", "+ instead of - (gradient ascent)", """
def update_parameters(parameters, grads, learning_rate=1.2):
    return {k: parameters[k] + learning_rate * grads["d" + k] for k in parameters}
"""),
    ("update_parameters", "the learning rate hard-coded to 1.2", """
def update_parameters(parameters, grads, learning_rate=1.2):
    return {k: parameters[k] - 1.2 * grads["d" + k] for k in parameters}
"""),
    ("update_parameters", "the biases are not updated", """
def update_parameters(parameters, grads, learning_rate=1.2):
    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    W2 = parameters["W2"] - learning_rate * grads["dW2"]
    return {"W1": W1, "b1": parameters["b1"], "W2": W2, "b2": parameters["b2"]}
"""),
    ("update_parameters", "the biases updated with dW", """
def update_parameters(parameters, grads, learning_rate=1.2):
    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["dW1"]
    W2 = parameters["W2"] - learning_rate * grads["dW2"]
    b2 = parameters["b2"] - learning_rate * grads["dW2"]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
    ("update_parameters", "-= on the caller's arrays", """
def update_parameters(parameters, grads, learning_rate=1.2):
    for key in ["W1", "b1", "W2", "b2"]:
        parameters[key] -= learning_rate * grads["d" + key]
    return parameters
"""),
    ("update_parameters", "a shallow dict copy, then -= (the arrays are shared)", """
def update_parameters(parameters, grads, learning_rate=1.2):
    new = parameters.copy()
    for key in new:
        new[key] -= learning_rate * grads["d" + key]
    return new
"""),
    # ------------------------------------------------------------------ nn_model
    ("nn_model", "n_h overwritten by layer_sizes", """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    n_x, n_h, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y, rng)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters
"""),
    ("nn_model", "learning_rate not passed to update_parameters", """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y, rng)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters
"""),
    ("nn_model", "range(num_iterations + 1)", """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y, rng)
    for i in range(num_iterations + 1):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters
"""),
    ("nn_model", "range(1, num_iterations)", """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y, rng)
    for i in range(1, num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters
"""),
    ("nn_model", "the result of update_parameters is thrown away", """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y, rng)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        update_parameters(parameters, grads, learning_rate)
    return parameters
"""),
    ("nn_model", "initializes inside the loop", """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    n_x, _, n_y = layer_sizes(X, Y)
    for i in range(num_iterations):
        parameters = initialize_parameters(n_x, n_h, n_y, rng)
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters
"""),
    ("nn_model", "backward_propagation's arguments in the wrong order", """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y, rng)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(cache, parameters, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters
"""),
    # ------------------------------------------------------------------ predict
    ("predict", "returns the probabilities", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return A2
"""),
    ("predict", "threshold the wrong way round", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (A2 < 0.5).astype(float)
"""),
    ("predict", "thresholds Z2 at 0.5", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (cache["Z2"] > 0.5).astype(float)
"""),
    ("predict", "a 1-D array of labels", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (A2 > 0.5).astype(float).flatten()
"""),
    ("predict", "thresholds A2 at 0", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (A2 > 0).astype(int)
"""),
    # ------------------------------------------------------------------ initialize_parameters_deep
    ("initialize_parameters_deep", "forgets to divide by sqrt(n_{l-1})", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    ("initialize_parameters_deep", "keeps the 0.01 of the 2-layer network", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    ("initialize_parameters_deep", "He's sqrt(2 / n_{l-1})", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    ("initialize_parameters_deep", "divides by sqrt(layer_dims[l])", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    ("initialize_parameters_deep", "divides by n_{l-1} without the square root", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / layer_dims[l - 1]
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    ("initialize_parameters_deep", "L = len(layer_dims) - 1, then range(1, L): the last layer is missing", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    L = len(layer_dims) - 1
    for l in range(1, L):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    ("initialize_parameters_deep", "1-D biases", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros(layer_dims[l])
    return parameters
"""),
    ("initialize_parameters_deep", "np.random.seed(1) and np.random.randn", """
def initialize_parameters_deep(layer_dims, rng=None):
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    ("initialize_parameters_deep", "a seed written in the function", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    ("initialize_parameters_deep", "W[l] of shape (n_{l-1}, n_l)", """
def initialize_parameters_deep(layer_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    # ------------------------------------------------------------------ linear_forward
    ("linear_forward", "W.T @ A", """
def linear_forward(A, W, b):
    Z = np.dot(W.T, A) + b
    return Z, (A, W, b)
"""),
    ("linear_forward", "forgets b", """
def linear_forward(A, W, b):
    Z = np.dot(W, A)
    return Z, (A, W, b)
"""),
    ("linear_forward", "A.T @ W.T (one example per row)", """
def linear_forward(A, W, b):
    Z = np.dot(A.T, W.T) + b.T
    return Z, (A, W, b)
"""),
    ("linear_forward", "cache in the order (W, A, b)", """
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (W, A, b)
"""),
    ("linear_forward", "cache without b", """
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (A, W)
"""),
    ("linear_forward", "elementwise W * A", """
def linear_forward(A, W, b):
    Z = W * A + b
    return Z, (A, W, b)
"""),
    # ------------------------------------------------------------------ linear_activation_forward
    ("linear_activation_forward", "caches A instead of Z", """
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = relu(Z)
    else:
        A = np.tanh(Z)
    return A, (linear_cache, A)
"""),
    ("linear_activation_forward", "cache in the order (Z, linear_cache)", """
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = relu(Z)
    else:
        A = np.tanh(Z)
    return A, (Z, linear_cache)
"""),
    ("linear_activation_forward", "sigmoid and ReLU swapped", """
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = relu(Z)
    elif activation == "relu":
        A = sigmoid(Z)
    else:
        A = np.tanh(Z)
    return A, (linear_cache, Z)
"""),
    ("linear_activation_forward", "ReLU as max(1, Z) (seed 003's typo)", """
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = np.maximum(1, Z)
    else:
        A = np.tanh(Z)
    return A, (linear_cache, Z)
"""),
    ("linear_activation_forward", "no tanh branch (A unbound for tanh)", """
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = relu(Z)
    return A, (linear_cache, Z)
"""),
    ("linear_activation_forward", "anything but relu gets the sigmoid", """
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = relu(Z) if activation == "relu" else sigmoid(Z)
    return A, (linear_cache, Z)
"""),
    ("linear_activation_forward", "the activation applied to A_prev, then the linear step", """
def linear_activation_forward(A_prev, W, b, activation):
    g = {"sigmoid": sigmoid, "relu": relu, "tanh": np.tanh}[activation]
    A, linear_cache = linear_forward(g(A_prev), W, b)
    return A, (linear_cache, A)
"""),
    # ------------------------------------------------------------------ L_model_forward
    ("L_model_forward", "ReLU for the output layer too", """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    return A, caches
"""),
    ("L_model_forward", "sigmoid for every layer", """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "sigmoid")
        caches.append(cache)
    return A, caches
"""),
    ("L_model_forward", "sigmoid hidden layers and a ReLU output", """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "sigmoid")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "relu")
    caches.append(cache)
    return AL, caches
"""),
    ("L_model_forward", "forgets to append the output layer's cache", """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    return AL, caches
"""),
    ("L_model_forward", "L = len(parameters) (twice too many layers)", """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters)
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches
"""),
    ("L_model_forward", "feeds X to every hidden layer instead of the previous A", """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(X, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches
"""),
    # ------------------------------------------------------------------ linear_backward
    ("linear_backward", "forgets the 1/m", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    dW = np.dot(dZ, A_prev.T)
    db = np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
"""),
    ("linear_backward", "dA_prev divided by m too", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ) / m
    return dA_prev, dW, db
"""),
    ("linear_backward", "db without keepdims", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1) / m
"""),
    ("linear_backward", "db summed over axis 0", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=0, keepdims=True) / m
"""),
    ("linear_backward", "dW = A_prev dZ^T (transposed)", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(A_prev, dZ.T) / m, np.sum(dZ, axis=1, keepdims=True) / m
"""),
    ("linear_backward", "m from A_prev.shape[0]", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[0]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m
"""),
    ("linear_backward", "db as the mean of all of dZ", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.mean(dZ)
"""),
    # ------------------------------------------------------------------ linear_activation_backward
    ("linear_activation_backward", "ReLU's derivative taken as relu(Z)", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * relu(Z)
    elif activation == "sigmoid":
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    else:
        dZ = dA * (1 - np.tanh(Z) ** 2)
    return linear_backward(dZ, linear_cache)
"""),
    ("linear_activation_backward", "the sigmoid's derivative without (1 - s)", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0)
    elif activation == "sigmoid":
        dZ = dA * sigmoid(Z)
    else:
        dZ = dA * (1 - np.tanh(Z) ** 2)
    return linear_backward(dZ, linear_cache)
"""),
    ("linear_activation_backward", "the sigmoid's derivative as Z (1 - Z)", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0)
    elif activation == "sigmoid":
        dZ = dA * Z * (1 - Z)
    else:
        dZ = dA * (1 - np.tanh(Z) ** 2)
    return linear_backward(dZ, linear_cache)
"""),
    ("linear_activation_backward", "tanh's derivative as 1 - Z**2", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0)
    elif activation == "sigmoid":
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    else:
        dZ = dA * (1 - Z ** 2)
    return linear_backward(dZ, linear_cache)
"""),
    ("linear_activation_backward", "the derivatives of sigmoid and ReLU swapped", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "sigmoid":
        dZ = dA * (Z > 0)
    elif activation == "relu":
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    else:
        dZ = dA * (1 - np.tanh(Z) ** 2)
    return linear_backward(dZ, linear_cache)
"""),
    ("linear_activation_backward", "no activation derivative at all", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    return linear_backward(dA, linear_cache)
"""),
    ("linear_activation_backward", "no tanh branch (dZ unbound for tanh)", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0)
    elif activation == "sigmoid":
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
"""),
    ("linear_activation_backward", "dZ = dA, then dZ[Z <= 0] = 0 changes the caller's dA", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA
        dZ[Z <= 0] = 0
    elif activation == "sigmoid":
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    else:
        dZ = dA * (1 - np.tanh(Z) ** 2)
    return linear_backward(dZ, linear_cache)
"""),
    # ------------------------------------------------------------------ L_model_backward
    ("L_model_backward", "dAL without the leading minus", """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)
    dA, grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)] = dA
    for l in reversed(range(1, L)):
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dA, caches[l - 1], "relu")
        grads["dA" + str(l - 1)] = dA
    return grads
"""),
    ("L_model_backward", "starts from dAL = AL - Y", """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = AL - Y
    dA, grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)] = dA
    for l in reversed(range(1, L)):
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dA, caches[l - 1], "relu")
        grads["dA" + str(l - 1)] = dA
    return grads
"""),
    ("L_model_backward", "ReLU for the output layer", """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in reversed(range(1, L + 1)):
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dA, caches[l - 1], "relu")
        grads["dA" + str(l - 1)] = dA
    return grads
"""),
    ("L_model_backward", "sigmoid for the hidden layers", """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in reversed(range(1, L + 1)):
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dA, caches[l - 1], "sigmoid")
        grads["dA" + str(l - 1)] = dA
    return grads
"""),
    ("L_model_backward", "stores dA under layer l instead of l - 1", """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in reversed(range(1, L + 1)):
        act = "sigmoid" if l == L else "relu"
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dA, caches[l - 1], act)
        grads["dA" + str(l)] = dA
    return grads
"""),
    ("L_model_backward", "the loop stops before layer 1", """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA, grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)] = dA
    for l in range(L - 1, 1, -1):
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dA, caches[l - 1], "relu")
        grads["dA" + str(l - 1)] = dA
    return grads
"""),
    ("L_model_backward", "every layer goes back from dAL (dA not chained)", """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(1, L)):
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dAL, caches[l - 1], "relu")
    return grads
"""),
    ("L_model_backward", "uses caches[l] for layer l (off by one)", """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA, grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)] = dA
    for l in reversed(range(1, L)):
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dA, caches[l], "relu")
        grads["dA" + str(l - 1)] = dA
    return grads
"""),
]
