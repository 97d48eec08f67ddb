"""Student variants of assignment 4 (optimization algorithms), for ``test_variants.py``.

``CORRECT``: right code written the ways students write it (loops or comprehensions, copies then
in-place operations on the copies, ``np.square`` or ``** 2``, the paper's "efficient" order of Adam,
reusing another graded function, every usual way of drawing a permutation). ``BUGGY``: the mistakes
students really make here, whole or partial. Each source defines its function as an answer cell
would; ``np`` is imported, and the reference versions of the other graded functions are in scope.

Decisions on borderline cases (spec: the notebook's docstrings and the issue):

- Optimizers that change their arguments in place (``parameters["W1"] -= ...``, ``v["dW1"] = ...``
  on the dict passed in, or ``new = dict(parameters)`` followed by ``new["W1"] -= ...``, which writes
  into the caller's arrays): BUGGY even when the returned values are right.
- ``random_mini_batches`` drawing its permutation with ``rng.permutation``, ``rng.shuffle``,
  ``rng.choice(..., replace=False)``, ``np.argsort(rng.random(m))`` or a shuffle of a stacked copy:
  all CORRECT (the grader's scripted generator gives them the same permutation). A hand-written
  Fisher-Yates shuffle with ``rng.integers`` would be correct too but is graded as a different
  permutation; it is not listed.
- ``random_mini_batches`` that ignores its ``rng`` argument and always calls
  ``np.random.default_rng()``: a real bug, but the graded cases can only leave ``rng`` at None (a
  Generator cannot cross the sandbox boundary), so it cannot be told apart; it is not listed.
- ``initialize_adam`` returning one dict twice (``return v, v``): the values are right and no graded
  optimizer modifies its state in place, so it is harmless here; not listed.
"""

ASSIGNMENT = "04_optimization"

CORRECT = [
    # ------------------------------------------------------------------ update_parameters_with_gd
    ("update_parameters_with_gd", "dict comprehension over the parameter keys", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    return {key: parameters[key] - learning_rate * grads["d" + key] for key in parameters}
"""),
    ("update_parameters_with_gd", "copy.deepcopy, then -= on the copies", """
import copy

def update_parameters_with_gd(parameters, grads, learning_rate):
    parameters = copy.deepcopy(parameters)
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters
"""),
    ("update_parameters_with_gd", "dict(parameters), then new arrays with x = x - ...", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    new = dict(parameters)
    for l in range(1, len(parameters) // 2 + 1):
        new[f"W{l}"] = new[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new[f"b{l}"] = new[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return new
"""),
    ("update_parameters_with_gd", "array.copy() per parameter, then np.subtract with out=", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    out = {}
    for key, value in parameters.items():
        W = value.copy()
        np.subtract(W, learning_rate * grads["d" + key], out=W)
        out[key] = W
    return out
"""),
    # ------------------------------------------------------------------ random_mini_batches
    ("random_mini_batches", "the classic: list(permutation), math.floor, reshape((n_y, m))", """
import math

def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    mini_batches = []
    permutation = list(rng.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((Y.shape[0], m))
    num_complete_minibatches = math.floor(m / mini_batch_size)
    for k in range(0, num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    if m % mini_batch_size != 0:
        mini_batch_X = shuffled_X[:, num_complete_minibatches * mini_batch_size:]
        mini_batch_Y = shuffled_Y[:, num_complete_minibatches * mini_batch_size:]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    return mini_batches
"""),
    ("random_mini_batches", "rng.shuffle of an index array", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    m = X.shape[1]
    idx = np.arange(m)
    rng.shuffle(idx)
    Xs, Ys = X[:, idx], Y[:, idx]
    return [(Xs[:, k:k + mini_batch_size], Ys[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "rng.choice(m, m, replace=False)", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    order = rng.choice(m, size=m, replace=False)
    batches = []
    for start in range(0, m, mini_batch_size):
        cols = order[start:start + mini_batch_size]
        batches.append((X[:, cols], Y[:, cols]))
    return batches
"""),
    ("random_mini_batches", "np.argsort(rng.random(m)) as the permutation", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    perm = np.argsort(rng.random(m))
    X_sh, Y_sh = X[:, perm], Y[:, perm]
    n_full = m // mini_batch_size
    out = [(X_sh[:, i * mini_batch_size:(i + 1) * mini_batch_size],
            Y_sh[:, i * mini_batch_size:(i + 1) * mini_batch_size]) for i in range(n_full)]
    if m % mini_batch_size:
        out.append((X_sh[:, n_full * mini_batch_size:], Y_sh[:, n_full * mini_batch_size:]))
    return out
"""),
    ("random_mini_batches", "stacks X and Y, shuffles the stacked copy's columns in place, splits back", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    n_x = X.shape[0]
    XY = np.vstack([X, Y])          # a new array: shuffling it leaves X and Y alone
    rng.shuffle(XY.T)               # shuffles the columns (the rows of XY.T)
    X_sh, Y_sh = XY[:n_x], XY[n_x:]
    m = X.shape[1]
    return [(X_sh[:, k:k + mini_batch_size], Y_sh[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "np.split at the multiples of the batch size", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    p = rng.permutation(m)
    cuts = list(range(mini_batch_size, m, mini_batch_size))
    return list(zip(np.split(X[:, p], cuts, axis=1), np.split(Y[:, p], cuts, axis=1)))
"""),
    ("random_mini_batches", "rng = np.random.default_rng(rng) (accepts None or a Generator)", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    rng = np.random.default_rng(rng)
    m = X.shape[1]
    permutation = rng.permutation(m)
    batches, start = [], 0
    while start < m:
        stop = min(start + mini_batch_size, m)
        batches.append((X[:, permutation[start:stop]], Y[:, permutation[start:stop]]))
        start = stop
    return batches
"""),
    ("random_mini_batches", "from numpy.random import default_rng; math.ceil batches", """
import math
from numpy.random import default_rng

def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = default_rng()
    m = X.shape[1]
    permutation = rng.permutation(m)
    X_shuffled = X[:, permutation]
    Y_shuffled = Y[:, permutation]
    batches = []
    for k in range(math.ceil(m / mini_batch_size)):
        batches.append((X_shuffled[:, k * mini_batch_size:min((k + 1) * mini_batch_size, m)],
                        Y_shuffled[:, k * mini_batch_size:min((k + 1) * mini_batch_size, m)]))
    return batches
"""),
    ("random_mini_batches", "rng.permutation of X.T (shuffles a copy of the examples), same for the indices of Y", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    index = rng.permutation(np.arange(m))
    X_shuffled, Y_shuffled = np.take(X, index, axis=1), np.take(Y, index, axis=1)
    return [(X_shuffled[:, i:i + mini_batch_size], Y_shuffled[:, i:i + mini_batch_size]) for i in range(0, m, mini_batch_size)]
"""),
    # ------------------------------------------------------------------ initialize_velocity
    ("initialize_velocity", "dict comprehension with np.zeros_like", """
def initialize_velocity(parameters):
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
"""),
    ("initialize_velocity", "np.zeros(shape) in a loop over the layers", """
def initialize_velocity(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(L):
        v["dW" + str(l + 1)] = np.zeros(parameters["W" + str(l + 1)].shape)
        v["db" + str(l + 1)] = np.zeros(parameters["b" + str(l + 1)].shape)
    return v
"""),
    ("initialize_velocity", "np.zeros((n, m)) from the unpacked shapes", """
def initialize_velocity(parameters):
    v = {}
    for l in range(1, len(parameters) // 2 + 1):
        n, n_prev = parameters[f"W{l}"].shape
        v[f"dW{l}"] = np.zeros((n, n_prev))
        v[f"db{l}"] = np.zeros((n, 1))
    return v
"""),
    ("initialize_velocity", "parameter * 0.0 (a new array)", """
def initialize_velocity(parameters):
    v = {}
    for key in parameters:
        v["d" + key] = parameters[key] * 0.0
    return v
"""),
    # ------------------------------------------------------------------ update_parameters_with_momentum
    ("update_parameters_with_momentum", "two dict comprehensions", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    v_new = {k: beta * v[k] + (1 - beta) * grads[k] for k in v}
    return {k: parameters[k] - learning_rate * v_new["d" + k] for k in parameters}, v_new
"""),
    ("update_parameters_with_momentum", "deep copies, then *= and += on the copies", """
import copy

def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    parameters, v = copy.deepcopy(parameters), copy.deepcopy(v)
    for l in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            v[f"d{p}{l}"] *= beta
            v[f"d{p}{l}"] += (1 - beta) * grads[f"d{p}{l}"]
            parameters[f"{p}{l}"] -= learning_rate * v[f"d{p}{l}"]
    return parameters, v
"""),
    ("update_parameters_with_momentum", "reuses update_parameters_with_gd with the velocity as the gradients", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_v = {}
    for key in v:
        new_v[key] = beta * v[key] + (1 - beta) * grads[key]
    return update_parameters_with_gd(parameters, new_v, learning_rate), new_v
"""),
    ("update_parameters_with_momentum", "W and b written out separately per layer", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    params, vel = {}, {}
    for l in range(1, L + 1):
        vel["dW" + str(l)] = beta * v["dW" + str(l)] + (1 - beta) * grads["dW" + str(l)]
        vel["db" + str(l)] = beta * v["db" + str(l)] + (1 - beta) * grads["db" + str(l)]
        params["W" + str(l)] = parameters["W" + str(l)] - learning_rate * vel["dW" + str(l)]
        params["b" + str(l)] = parameters["b" + str(l)] - learning_rate * vel["db" + str(l)]
    return params, vel
"""),
    # ------------------------------------------------------------------ update_parameters_with_heavy_ball
    ("update_parameters_with_heavy_ball", "loop over the layers with f-strings", """
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    new_p, new_m = {}, {}
    for l in range(1, len(parameters) // 2 + 1):
        for p in "Wb":
            new_m[f"d{p}{l}"] = momentum * m[f"d{p}{l}"] - learning_rate * grads[f"d{p}{l}"]
            new_p[f"{p}{l}"] = parameters[f"{p}{l}"] + new_m[f"d{p}{l}"]
    return new_p, new_m
"""),
    ("update_parameters_with_heavy_ball", "dict comprehensions and np.add", """
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    m_next = {k: momentum * m[k] - learning_rate * grads[k] for k in m}
    return {k: np.add(parameters[k], m_next["d" + k]) for k in parameters}, m_next
"""),
    ("update_parameters_with_heavy_ball", "deep copies, then in-place operations on them", """
import copy

def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    parameters, m = copy.deepcopy(parameters), copy.deepcopy(m)
    for key in parameters:
        m["d" + key] *= momentum
        m["d" + key] -= learning_rate * grads["d" + key]
        parameters[key] += m["d" + key]
    return parameters, m
"""),
    # ------------------------------------------------------------------ initialize_rmsprop
    ("initialize_rmsprop", "reuses initialize_velocity", """
def initialize_rmsprop(parameters):
    return initialize_velocity(parameters)
"""),
    ("initialize_rmsprop", "zeros_like in a loop over the layers", """
def initialize_rmsprop(parameters):
    s = {}
    for l in range(1, len(parameters) // 2 + 1):
        s["dW%d" % l] = np.zeros_like(parameters["W%d" % l])
        s["db%d" % l] = np.zeros_like(parameters["b%d" % l])
    return s
"""),
    # ------------------------------------------------------------------ update_parameters_with_adagrad
    ("update_parameters_with_adagrad", "np.square and a dict comprehension", """
def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    s_new = {k: s[k] + np.square(grads[k]) for k in s}
    params = {k: parameters[k] - learning_rate * grads["d" + k] / (np.sqrt(s_new["d" + k]) + epsilon)
              for k in parameters}
    return params, s_new
"""),
    ("update_parameters_with_adagrad", "np.power and ** 0.5, np.divide", """
def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    new_params, new_s = {}, {}
    for key in parameters:
        g = grads["d" + key]
        new_s["d" + key] = s["d" + key] + np.power(g, 2)
        step = np.divide(g, new_s["d" + key] ** 0.5 + epsilon)
        new_params[key] = parameters[key] - learning_rate * step
    return new_params, new_s
"""),
    # ------------------------------------------------------------------ update_parameters_with_rmsprop
    ("update_parameters_with_rmsprop", "np.square and ** 0.5", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_params, new_s = {}, {}
    for key in parameters:
        g = grads["d" + key]
        new_s["d" + key] = beta * s["d" + key] + (1 - beta) * np.square(g)
        new_params[key] = parameters[key] - learning_rate * g / (new_s["d" + key] ** 0.5 + epsilon)
    return new_params, new_s
"""),
    ("update_parameters_with_rmsprop", "deep copies and in-place operations on them", """
import copy

def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    parameters, s = copy.deepcopy(parameters), copy.deepcopy(s)
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            g = grads["d" + p + str(l)]
            s["d" + p + str(l)] *= beta
            s["d" + p + str(l)] += (1 - beta) * g * g
            parameters[p + str(l)] -= learning_rate * g / (np.sqrt(s["d" + p + str(l)]) + epsilon)
    return parameters, s
"""),
    ("update_parameters_with_rmsprop", "the average written as s + (1 - beta) * (g^2 - s)", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    out_p, out_s = {}, {}
    for key in parameters:
        g = grads["d" + key]
        out_s["d" + key] = s["d" + key] + (1 - beta) * (g ** 2 - s["d" + key])
        out_p[key] = parameters[key] - learning_rate * g / (np.sqrt(out_s["d" + key]) + epsilon)
    return out_p, out_s
"""),
    # ------------------------------------------------------------------ initialize_adam
    ("initialize_adam", "two calls of initialize_velocity", """
def initialize_adam(parameters):
    return initialize_velocity(parameters), initialize_velocity(parameters)
"""),
    ("initialize_adam", "comprehensions, the second one a deep copy of the first", """
import copy

def initialize_adam(parameters):
    v = {"d" + k: np.zeros(p.shape) for k, p in parameters.items()}
    s = copy.deepcopy(v)
    return v, s
"""),
    ("initialize_adam", "loop over the layers", """
def initialize_adam(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        v["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
        s["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        s["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
    return v, s
"""),
    # ------------------------------------------------------------------ update_parameters_with_adam
    ("update_parameters_with_adam", "loop over the layers with str(l), as the formulas are written", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    L = len(parameters) // 2
    parameters, v, s = dict(parameters), dict(v), dict(s)
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            d = "d" + p + str(l)
            v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
            v_corrected[d] = v[d] / (1 - beta1 ** t)
            s[d] = beta2 * s[d] + (1 - beta2) * (grads[d] ** 2)
            s_corrected[d] = s[d] / (1 - beta2 ** t)
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v_corrected[d] / (
                np.sqrt(s_corrected[d]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected
"""),
    ("update_parameters_with_adam", "the paper's efficient order: alpha_t and epsilon_hat", """
import math

def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
    alpha_t = learning_rate * math.sqrt(c2) / c1
    eps_hat = epsilon * math.sqrt(c2)
    new_p, new_v, new_s, v_c, s_c = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        new_s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g * g
        v_c["d" + k] = new_v["d" + k] / c1
        s_c["d" + k] = new_s["d" + k] / c2
        new_p[k] = parameters[k] - alpha_t * new_v["d" + k] / (np.sqrt(new_s["d" + k]) + eps_hat)
    return new_p, new_v, new_s, v_c, s_c
"""),
    ("update_parameters_with_adam", "comprehensions with math.pow", """
import math

def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    v = {k: beta1 * v[k] + (1 - beta1) * grads[k] for k in v}
    s = {k: beta2 * s[k] + (1 - beta2) * np.square(grads[k]) for k in s}
    v_hat = {k: v[k] / (1 - math.pow(beta1, t)) for k in v}
    s_hat = {k: s[k] / (1 - math.pow(beta2, t)) for k in s}
    new = {k: parameters[k] - learning_rate * v_hat["d" + k] / (np.sqrt(s_hat["d" + k]) + epsilon) for k in parameters}
    return new, v, s, v_hat, s_hat
"""),
    # ------------------------------------------------------------------ schedules
    ("update_lr", "learning_rate0 / (decay_rate * epoch_num + 1)", """
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (decay_rate * epoch_num + 1)
"""),
    ("update_lr", "multiplies by the inverse, through a float()", """
def update_lr(learning_rate0, epoch_num, decay_rate):
    factor = 1.0 / (1.0 + decay_rate * epoch_num)
    return float(learning_rate0 * factor)
"""),
    ("schedule_lr_decay", "np.floor(epoch_num / time_interval)", """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
"""),
    ("schedule_lr_decay", "int() of the quotient", """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    steps = int(epoch_num / time_interval)
    learning_rate = learning_rate0 / (1 + decay_rate * steps)
    return learning_rate
"""),
    ("schedule_lr_decay", "reuses update_lr with the number of intervals", """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return update_lr(learning_rate0, epoch_num // time_interval, decay_rate)
"""),
    ("warmup_lr", "min(1, (step + 1) / warmup_steps)", """
def warmup_lr(learning_rate0, step, warmup_steps):
    return learning_rate0 * min(1.0, (step + 1) / warmup_steps)
"""),
    ("warmup_lr", "the constant part first", """
def warmup_lr(learning_rate0, step, warmup_steps):
    if step >= warmup_steps:
        return learning_rate0
    fraction = (step + 1) / warmup_steps
    return fraction * learning_rate0
"""),
]

BUGGY = [
    # ------------------------------------------------------------------ update_parameters_with_gd
    ("update_parameters_with_gd", "gradient ascent: W + learning_rate * dW", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    new = {}
    for l in range(1, L + 1):
        new["W" + str(l)] = parameters["W" + str(l)] + learning_rate * grads["dW" + str(l)]
        new["b" + str(l)] = parameters["b" + str(l)] + learning_rate * grads["db" + str(l)]
    return new
"""),
    ("update_parameters_with_gd", "updates the weights only, copies b", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    new = dict(parameters)
    for l in range(1, L + 1):
        new["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
    return new
"""),
    ("update_parameters_with_gd", "range(1, L): the last layer is not updated", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    new = dict(parameters)
    for l in range(1, L):
        new["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        new["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return new
"""),
    ("update_parameters_with_gd", "L = len(parameters): loops past the last layer", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters)
    new = {}
    for l in range(1, L + 1):
        new["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        new["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return new
"""),
    ("update_parameters_with_gd", "copy-paste slip: b updated with dW", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    new = {}
    for l in range(1, len(parameters) // 2 + 1):
        new["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        new["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["dW" + str(l)]
    return new
"""),
    ("update_parameters_with_gd", "updates the caller's arrays in place with -=", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters
"""),
    ("update_parameters_with_gd", "dict(parameters) is a shallow copy: -= still writes into the caller's arrays", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    new = dict(parameters)
    for key in new:
        new[key] -= learning_rate * grads["d" + key]
    return new
"""),
    ("update_parameters_with_gd", "hard-coded learning rate 0.01", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    return {k: parameters[k] - 0.01 * grads["d" + k] for k in parameters}
"""),
    ("update_parameters_with_gd", "forgot the learning rate for b", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    new = {}
    for l in range(1, len(parameters) // 2 + 1):
        new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new[f"b{l}"] = parameters[f"b{l}"] - grads[f"db{l}"]
    return new
"""),
    # ------------------------------------------------------------------ random_mini_batches
    ("random_mini_batches", "two permutations, one for X and one for Y", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    shuffled_X = X[:, rng.permutation(m)]
    shuffled_Y = Y[:, rng.permutation(m)]
    return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "drops the remainder batch", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    p = rng.permutation(m)
    X_s, Y_s = X[:, p], Y[:, p]
    return [(X_s[:, k * mini_batch_size:(k + 1) * mini_batch_size], Y_s[:, k * mini_batch_size:(k + 1) * mini_batch_size])
            for k in range(m // mini_batch_size)]
"""),
    ("random_mini_batches", "forgot to shuffle", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    m = X.shape[1]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "np.random.permutation: the global random state", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    X_s, Y_s = X[:, permutation], Y[:, permutation]
    return [(X_s[:, k:k + mini_batch_size], Y_s[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "np.random.seed(0) then np.random.permutation", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    np.random.seed(0)
    m = X.shape[1]
    permutation = np.random.permutation(m)
    X_s, Y_s = X[:, permutation], Y[:, permutation]
    return [(X_s[:, k:k + mini_batch_size], Y_s[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "a fixed seed: np.random.default_rng(0) inside the function", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    rng = np.random.default_rng(0)
    m = X.shape[1]
    permutation = rng.permutation(m)
    X_s, Y_s = X[:, permutation], Y[:, permutation]
    return [(X_s[:, k:k + mini_batch_size], Y_s[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "np.random.RandomState(seed) like older notebooks", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    state = np.random.RandomState(1)
    m = X.shape[1]
    permutation = state.permutation(m)
    X_s, Y_s = X[:, permutation], Y[:, permutation]
    return [(X_s[:, k:k + mini_batch_size], Y_s[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "rng.choice(m, m): sampling with replacement", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    idx = rng.choice(m, m)
    X_s, Y_s = X[:, idx], Y[:, idx]
    return [(X_s[:, k:k + mini_batch_size], Y_s[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "Y reshaped to (1, m): breaks one-hot labels", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    permutation = list(rng.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "range(m // size + 1): an empty last batch when size divides m", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    p = rng.permutation(m)
    X_s, Y_s = X[:, p], Y[:, p]
    batches = []
    for k in range(m // mini_batch_size + 1):
        batches.append((X_s[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                        Y_s[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    return batches
"""),
    ("random_mini_batches", "the last batch is the last mini_batch_size columns (overlaps)", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    p = rng.permutation(m)
    X_s, Y_s = X[:, p], Y[:, p]
    n = m // mini_batch_size
    batches = [(X_s[:, k * mini_batch_size:(k + 1) * mini_batch_size], Y_s[:, k * mini_batch_size:(k + 1) * mini_batch_size])
               for k in range(n)]
    if m % mini_batch_size != 0:
        batches.append((X_s[:, m - mini_batch_size:], Y_s[:, m - mini_batch_size:]))
    return batches
"""),
    ("random_mini_batches", "rng.shuffle(X) and rng.shuffle(Y): shuffles the rows, in place", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    rng.shuffle(X)
    rng.shuffle(Y)
    m = X.shape[1]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "rng.shuffle(X.T) and rng.shuffle(Y.T): the caller's arrays, two permutations", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    rng.shuffle(X.T)
    rng.shuffle(Y.T)
    m = X.shape[1]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "stacks X and Y but takes the label row as a 1-D array", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    XY = np.vstack([X, Y])
    rng.shuffle(XY.T)
    X_s, Y_s = XY[:-1], XY[-1]
    m = X.shape[1]
    return [(X_s[:, k:k + mini_batch_size], Y_s[k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "ceil(m / size) full batches and then the remainder again", """
import math

def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    p = rng.permutation(m)
    X_s, Y_s = X[:, p], Y[:, p]
    n = math.ceil(m / mini_batch_size)
    batches = [(X_s[:, k * mini_batch_size:(k + 1) * mini_batch_size], Y_s[:, k * mini_batch_size:(k + 1) * mini_batch_size])
               for k in range(n)]
    if m % mini_batch_size != 0:
        batches.append((X_s[:, n * mini_batch_size - mini_batch_size:], Y_s[:, n * mini_batch_size - mini_batch_size:]))
    return batches
"""),
    ("random_mini_batches", "slices Y by rows: Y_s[k * b:(k + 1) * b]", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    p = rng.permutation(m)
    X_s, Y_s = X[:, p], Y[:, p]
    return [(X_s[:, k:k + mini_batch_size], Y_s[k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "permutation of X.shape[0] (the features) instead of m", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    p = rng.permutation(X.shape[0])
    X_s, Y_s = X[:, p], Y[:, p]
    return [(X_s[:, k:k + mini_batch_size], Y_s[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "X[permutation] indexes rows instead of columns", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    p = rng.permutation(m)
    X_s, Y_s = X[p], Y[:, p]
    return [(X_s[:, k:k + mini_batch_size], Y_s[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""),
    ("random_mini_batches", "always batches of 64, ignoring mini_batch_size", """
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    p = rng.permutation(m)
    X_s, Y_s = X[:, p], Y[:, p]
    return [(X_s[:, k:k + 64], Y_s[:, k:k + 64]) for k in range(0, m, 64)]
"""),
    # ------------------------------------------------------------------ initialize_velocity
    ("initialize_velocity", "keys W1, b1 instead of dW1, db1", """
def initialize_velocity(parameters):
    return {key: np.zeros_like(value) for key, value in parameters.items()}
"""),
    ("initialize_velocity", "only the weights get a velocity", """
def initialize_velocity(parameters):
    v = {}
    for l in range(1, len(parameters) // 2 + 1):
        v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
    return v
"""),
    ("initialize_velocity", "range(1, L): the last layer is missing", """
def initialize_velocity(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L):
        v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        v["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
    return v
"""),
    ("initialize_velocity", "v = the parameters themselves (forgot zeros)", """
def initialize_velocity(parameters):
    return {"d" + key: value for key, value in parameters.items()}
"""),
    ("initialize_velocity", "the number 0 instead of arrays", """
def initialize_velocity(parameters):
    v = {}
    for key in parameters:
        v["d" + key] = 0
    return v
"""),
    ("initialize_velocity", "np.zeros(len(W)): 1-D", """
def initialize_velocity(parameters):
    return {"d" + key: np.zeros(len(value)) for key, value in parameters.items()}
"""),
    ("initialize_velocity", "integer zeros", """
def initialize_velocity(parameters):
    return {"d" + key: np.zeros(value.shape, dtype=int) for key, value in parameters.items()}
"""),
    ("initialize_velocity", "shape reversed: np.zeros((n_prev, n))", """
def initialize_velocity(parameters):
    v = {}
    for l in range(1, len(parameters) // 2 + 1):
        n, n_prev = parameters["W" + str(l)].shape
        v["dW" + str(l)] = np.zeros((n_prev, n))
        v["db" + str(l)] = np.zeros((n, 1))
    return v
"""),
    # ------------------------------------------------------------------ update_parameters_with_momentum
    ("update_parameters_with_momentum", "v = beta * v + dW (no 1 - beta)", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_p, new_v = {}, {}
    for k in parameters:
        new_v["d" + k] = beta * v["d" + k] + grads["d" + k]
        new_p[k] = parameters[k] - learning_rate * new_v["d" + k]
    return new_p, new_v
"""),
    ("update_parameters_with_momentum", "beta and 1 - beta swapped", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_p, new_v = {}, {}
    for k in parameters:
        new_v["d" + k] = (1 - beta) * v["d" + k] + beta * grads["d" + k]
        new_p[k] = parameters[k] - learning_rate * new_v["d" + k]
    return new_p, new_v
"""),
    ("update_parameters_with_momentum", "computes v but steps with the gradient", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_p, new_v = {}, {}
    for k in parameters:
        new_v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        new_p[k] = parameters[k] - learning_rate * grads["d" + k]
    return new_p, new_v
"""),
    ("update_parameters_with_momentum", "steps with the old velocity, updates it afterwards", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_p, new_v = {}, {}
    for k in parameters:
        new_p[k] = parameters[k] - learning_rate * v["d" + k]
        new_v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
    return new_p, new_v
"""),
    ("update_parameters_with_momentum", "the heavy-ball form instead of the averaged one", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_p, new_v = {}, {}
    for k in parameters:
        new_v["d" + k] = beta * v["d" + k] - learning_rate * grads["d" + k]
        new_p[k] = parameters[k] + new_v["d" + k]
    return new_p, new_v
"""),
    ("update_parameters_with_momentum", "returns the velocity it was given", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_p = {}
    for k in parameters:
        velocity = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        new_p[k] = parameters[k] - learning_rate * velocity
    return new_p, v
"""),
    ("update_parameters_with_momentum", "fills the v that was passed in", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_p = {}
    for k in parameters:
        v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        new_p[k] = parameters[k] - learning_rate * v["d" + k]
    return new_p, v
"""),
    ("update_parameters_with_momentum", "updates the caller's parameters in place", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_v = {}
    L = len(parameters) // 2
    for l in range(1, L + 1):
        new_v["dW" + str(l)] = beta * v["dW" + str(l)] + (1 - beta) * grads["dW" + str(l)]
        new_v["db" + str(l)] = beta * v["db" + str(l)] + (1 - beta) * grads["db" + str(l)]
        parameters["W" + str(l)] -= learning_rate * new_v["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * new_v["db" + str(l)]
    return parameters, new_v
"""),
    ("update_parameters_with_momentum", "copy-paste slip: v['db'] averages dW", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    new_p, new_v = {}, {}
    for l in range(1, L + 1):
        new_v["dW" + str(l)] = beta * v["dW" + str(l)] + (1 - beta) * grads["dW" + str(l)]
        new_v["db" + str(l)] = beta * v["db" + str(l)] + (1 - beta) * grads["dW" + str(l)]
        new_p["W" + str(l)] = parameters["W" + str(l)] - learning_rate * new_v["dW" + str(l)]
        new_p["b" + str(l)] = parameters["b" + str(l)] - learning_rate * new_v["db" + str(l)]
    return new_p, new_v
"""),
    ("update_parameters_with_momentum", "adds the velocity: W + learning_rate * v", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_p, new_v = {}, {}
    for k in parameters:
        new_v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        new_p[k] = parameters[k] + learning_rate * new_v["d" + k]
    return new_p, new_v
"""),
    ("update_parameters_with_momentum", "the learning rate inside the average, then W - v", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_p, new_v = {}, {}
    for k in parameters:
        new_v["d" + k] = beta * v["d" + k] + learning_rate * grads["d" + k]
        new_p[k] = parameters[k] - new_v["d" + k]
    return new_p, new_v
"""),
    ("update_parameters_with_momentum", "hard-coded beta = 0.9", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_p, new_v = {}, {}
    for k in parameters:
        new_v["d" + k] = 0.9 * v["d" + k] + 0.1 * grads["d" + k]
        new_p[k] = parameters[k] - learning_rate * new_v["d" + k]
    return new_p, new_v
"""),
    # ------------------------------------------------------------------ update_parameters_with_heavy_ball
    ("update_parameters_with_heavy_ball", "m = momentum * m + learning_rate * dW", """
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    new_p, new_m = {}, {}
    for k in parameters:
        new_m["d" + k] = momentum * m["d" + k] + learning_rate * grads["d" + k]
        new_p[k] = parameters[k] + new_m["d" + k]
    return new_p, new_m
"""),
    ("update_parameters_with_heavy_ball", "W = W - m", """
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    new_p, new_m = {}, {}
    for k in parameters:
        new_m["d" + k] = momentum * m["d" + k] - learning_rate * grads["d" + k]
        new_p[k] = parameters[k] - new_m["d" + k]
    return new_p, new_m
"""),
    ("update_parameters_with_heavy_ball", "steps with the old m", """
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    new_p, new_m = {}, {}
    for k in parameters:
        new_p[k] = parameters[k] + m["d" + k]
        new_m["d" + k] = momentum * m["d" + k] - learning_rate * grads["d" + k]
    return new_p, new_m
"""),
    ("update_parameters_with_heavy_ball", "forgot the learning rate", """
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    new_p, new_m = {}, {}
    for k in parameters:
        new_m["d" + k] = momentum * m["d" + k] - grads["d" + k]
        new_p[k] = parameters[k] + new_m["d" + k]
    return new_p, new_m
"""),
    ("update_parameters_with_heavy_ball", "wrote the averaged form", """
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    new_p, new_m = {}, {}
    for k in parameters:
        new_m["d" + k] = momentum * m["d" + k] + (1 - momentum) * grads["d" + k]
        new_p[k] = parameters[k] - learning_rate * new_m["d" + k]
    return new_p, new_m
"""),
    ("update_parameters_with_heavy_ball", "m with the opposite sign (W - m with m = momentum m + lr dW)", """
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    new_p, new_m = {}, {}
    for k in parameters:
        new_m["d" + k] = momentum * m["d" + k] + learning_rate * grads["d" + k]
        new_p[k] = parameters[k] - new_m["d" + k]
    return new_p, new_m
"""),
    ("update_parameters_with_heavy_ball", "updates m in place in the dict passed in", """
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    new_p = {}
    for k in parameters:
        m["d" + k] = momentum * m["d" + k] - learning_rate * grads["d" + k]
        new_p[k] = parameters[k] + m["d" + k]
    return new_p, m
"""),
    ("update_parameters_with_heavy_ball", "ignores the momentum: m = -learning_rate * dW", """
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    new_p, new_m = {}, {}
    for k in parameters:
        new_m["d" + k] = -learning_rate * grads["d" + k]
        new_p[k] = parameters[k] + new_m["d" + k]
    return new_p, new_m
"""),
    # ------------------------------------------------------------------ initialize_rmsprop
    ("initialize_rmsprop", "keys W1, b1", """
def initialize_rmsprop(parameters):
    return {k: np.zeros_like(p) for k, p in parameters.items()}
"""),
    ("initialize_rmsprop", "starts s at epsilon to avoid dividing by zero", """
def initialize_rmsprop(parameters):
    return {"d" + k: np.full(p.shape, 1e-8) for k, p in parameters.items()}
"""),
    ("initialize_rmsprop", "starts s at one", """
def initialize_rmsprop(parameters):
    return {"d" + k: np.ones_like(p) for k, p in parameters.items()}
"""),
    ("initialize_rmsprop", "only the weights", """
def initialize_rmsprop(parameters):
    s = {}
    for l in range(1, len(parameters) // 2 + 1):
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
    return s
"""),
    ("initialize_rmsprop", "returns (v, s) like Adam", """
def initialize_rmsprop(parameters):
    v = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    s = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    return v, s
"""),
    ("initialize_rmsprop", "np.zeros(W.shape[0]): 1-D", """
def initialize_rmsprop(parameters):
    return {"d" + k: np.zeros(p.shape[0]) for k, p in parameters.items()}
"""),
    # ------------------------------------------------------------------ update_parameters_with_adagrad
    ("update_parameters_with_adagrad", "a moving average of the squares (RMSProp)", """
def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = 0.9 * s["d" + k] + 0.1 * g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(new_s["d" + k]) + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_adagrad", "epsilon inside the square root", """
def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = s["d" + k] + g ** 2
        new_p[k] = parameters[k] - learning_rate * g / np.sqrt(new_s["d" + k] + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_adagrad", "accumulates dW, not its square", """
def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = s["d" + k] + g
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(new_s["d" + k]) + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_adagrad", "divides by s, no square root", """
def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = s["d" + k] + g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (new_s["d" + k] + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_adagrad", "divides by the old s", """
def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(s["d" + k]) + epsilon)
        new_s["d" + k] = s["d" + k] + g ** 2
    return new_p, new_s
"""),
    ("update_parameters_with_adagrad", "s += dW ** 2 on the caller's arrays", """
def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    new_p = {}
    for k in parameters:
        g = grads["d" + k]
        s["d" + k] += g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(s["d" + k]) + epsilon)
    return new_p, s
"""),
    ("update_parameters_with_adagrad", "s = dW ** 2: forgets the earlier gradients", """
def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(new_s["d" + k]) + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_adagrad", "hard-coded epsilon 1e-8", """
def update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = s["d" + k] + g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(new_s["d" + k]) + 1e-8)
    return new_p, new_s
"""),
    # ------------------------------------------------------------------ update_parameters_with_rmsprop
    ("update_parameters_with_rmsprop", "s = beta * s + dW ** 2 (no 1 - beta)", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = beta * s["d" + k] + g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(new_s["d" + k]) + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_rmsprop", "beta and 1 - beta swapped", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = (1 - beta) * s["d" + k] + beta * g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(new_s["d" + k]) + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_rmsprop", "epsilon inside the square root", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = beta * s["d" + k] + (1 - beta) * g ** 2
        new_p[k] = parameters[k] - learning_rate * g / np.sqrt(new_s["d" + k] + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_rmsprop", "averages dW instead of its square", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = beta * s["d" + k] + (1 - beta) * g
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(new_s["d" + k]) + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_rmsprop", "no square root in the denominator", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = beta * s["d" + k] + (1 - beta) * g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (new_s["d" + k] + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_rmsprop", "s += dW ** 2 (Adagrad's sum)", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = s["d" + k] + g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(new_s["d" + k]) + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_rmsprop", "divides by the old s", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(s["d" + k]) + epsilon)
        new_s["d" + k] = beta * s["d" + k] + (1 - beta) * g ** 2
    return new_p, new_s
"""),
    ("update_parameters_with_rmsprop", "updates s in place with *= and +=", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_p = {}
    for k in parameters:
        g = grads["d" + k]
        s["d" + k] *= beta
        s["d" + k] += (1 - beta) * g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(s["d" + k]) + epsilon)
    return new_p, s
"""),
    ("update_parameters_with_rmsprop", "hard-coded beta = 0.9", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = 0.9 * s["d" + k] + 0.1 * g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(new_s["d" + k]) + epsilon)
    return new_p, new_s
"""),
    ("update_parameters_with_rmsprop", "divides by |dW| instead of sqrt(s)", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_p, new_s = {}, {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = beta * s["d" + k] + (1 - beta) * g ** 2
        new_p[k] = parameters[k] - learning_rate * g / (np.sqrt(g ** 2) + epsilon)
    return new_p, new_s
"""),
    # ------------------------------------------------------------------ initialize_adam
    ("initialize_adam", "keys W1, b1", """
def initialize_adam(parameters):
    v = {k: np.zeros_like(p) for k, p in parameters.items()}
    s = {k: np.zeros_like(p) for k, p in parameters.items()}
    return v, s
"""),
    ("initialize_adam", "s starts at epsilon", """
def initialize_adam(parameters):
    v = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    s = {"d" + k: np.zeros_like(p) + 1e-8 for k, p in parameters.items()}
    return v, s
"""),
    ("initialize_adam", "s starts at one", """
def initialize_adam(parameters):
    v = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    s = {"d" + k: np.ones_like(p) for k, p in parameters.items()}
    return v, s
"""),
    ("initialize_adam", "only the weights", """
def initialize_adam(parameters):
    v, s = {}, {}
    for l in range(1, len(parameters) // 2 + 1):
        v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        s["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
    return v, s
"""),
    ("initialize_adam", "returns one dict holding v and s", """
def initialize_adam(parameters):
    v = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    s = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    return {"v": v, "s": s}
"""),
    ("initialize_adam", "forgot to return s", """
def initialize_adam(parameters):
    v = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    s = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    return v
"""),
    # ------------------------------------------------------------------ update_parameters_with_adam
    ("update_parameters_with_adam", "the notes' erratum: s corrected with 1 - beta1 ** t", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = S["d" + k] / (1 - beta1 ** t)
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "no bias correction in the step", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k]
        Sc["d" + k] = S["d" + k]
        P[k] = parameters[k] - learning_rate * V["d" + k] / (np.sqrt(S["d" + k]) + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "epsilon inside the square root", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = S["d" + k] / (1 - beta2 ** t)
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / np.sqrt(Sc["d" + k] + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "increments t before using it (t + 1)", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    t = t + 1
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = S["d" + k] / (1 - beta2 ** t)
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "s averages dW, not dW ** 2", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = S["d" + k] / (1 - beta2 ** t)
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "(1 - beta1) ** t instead of 1 - beta1 ** t", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1) ** t
        Sc["d" + k] = S["d" + k] / (1 - beta2) ** t
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "stores the corrected moments in v and s", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S = {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = (beta1 * v["d" + k] + (1 - beta1) * g) / (1 - beta1 ** t)
        S["d" + k] = (beta2 * s["d" + k] + (1 - beta2) * g ** 2) / (1 - beta2 ** t)
        P[k] = parameters[k] - learning_rate * V["d" + k] / (np.sqrt(S["d" + k]) + epsilon)
    return P, V, S, V, S
"""),
    ("update_parameters_with_adam", "divides by s_corrected, no square root", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = S["d" + k] / (1 - beta2 ** t)
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / (Sc["d" + k] + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "t counted from 0: 1 - beta ** (t - 1)", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** (t - 1))
        Sc["d" + k] = S["d" + k] / (1 - beta2 ** (t - 1))
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "updates v and s in the dicts passed in", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, Vc, Sc = {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = v["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = s["d" + k] / (1 - beta2 ** t)
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, v, s, Vc, Sc
"""),
    ("update_parameters_with_adam", "corrects v but not s", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = S["d" + k]
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "beta1 for both averages", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta1 * s["d" + k] + (1 - beta1) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = S["d" + k] / (1 - beta2 ** t)
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "hard-coded learning rate 0.01", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = S["d" + k] / (1 - beta2 ** t)
        P[k] = parameters[k] - 0.01 * Vc["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "steps with the uncorrected v over the corrected s", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = S["d" + k] / (1 - beta2 ** t)
        P[k] = parameters[k] - learning_rate * V["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, V, S, Vc, Sc
"""),
    ("update_parameters_with_adam", "returns the corrected and uncorrected moments in the wrong order", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    P, V, S, Vc, Sc = {}, {}, {}, {}, {}
    for k in parameters:
        g = grads["d" + k]
        V["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        S["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        Vc["d" + k] = V["d" + k] / (1 - beta1 ** t)
        Sc["d" + k] = S["d" + k] / (1 - beta2 ** t)
        P[k] = parameters[k] - learning_rate * Vc["d" + k] / (np.sqrt(Sc["d" + k]) + epsilon)
    return P, Vc, Sc, V, S
"""),
    # ------------------------------------------------------------------ update_lr
    ("update_lr", "precedence: learning_rate0 / 1 + decay_rate * epoch_num", """
def update_lr(learning_rate0, epoch_num, decay_rate):
    learning_rate = learning_rate0 / 1 + decay_rate * epoch_num
    return learning_rate
"""),
    ("update_lr", "learning_rate0 / (1 + decay_rate) * epoch_num", """
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate) * epoch_num
"""),
    ("update_lr", "forgot the 1: learning_rate0 / (decay_rate * epoch_num)", """
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (decay_rate * epoch_num)
"""),
    ("update_lr", "counts the epochs from 1", """
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * (epoch_num + 1))
"""),
    ("update_lr", "multiplies by the denominator", """
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * (1 + decay_rate * epoch_num)
"""),
    ("update_lr", "exponential decay instead", """
import math

def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * math.exp(-decay_rate * epoch_num)
"""),
    ("update_lr", "raises (1 + decay_rate) to the power epoch_num", """
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate) ** epoch_num
"""),
    # ------------------------------------------------------------------ schedule_lr_decay
    ("schedule_lr_decay", "no floor: decays a little every epoch", """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)
"""),
    ("schedule_lr_decay", "precedence: decay_rate * epoch_num // time_interval", """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num // time_interval)
"""),
    ("schedule_lr_decay", "math.ceil instead of floor", """
import math

def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * math.ceil(epoch_num / time_interval))
"""),
    ("schedule_lr_decay", "epoch_num % time_interval", """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num % time_interval))
"""),
    ("schedule_lr_decay", "always divides by 1000", """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num // 1000))
"""),
    ("schedule_lr_decay", "decays every epoch (copied update_lr)", """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num)
"""),
    ("schedule_lr_decay", "round() instead of floor", """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * round(epoch_num / time_interval))
"""),
    # ------------------------------------------------------------------ warmup_lr
    ("warmup_lr", "step / warmup_steps: 0 at step 0", """
def warmup_lr(learning_rate0, step, warmup_steps):
    if step < warmup_steps:
        return learning_rate0 * step / warmup_steps
    return learning_rate0
"""),
    ("warmup_lr", "step <= warmup_steps: overshoots at the boundary", """
def warmup_lr(learning_rate0, step, warmup_steps):
    if step <= warmup_steps:
        return learning_rate0 * (step + 1) / warmup_steps
    return learning_rate0
"""),
    ("warmup_lr", "never stops ramping", """
def warmup_lr(learning_rate0, step, warmup_steps):
    return learning_rate0 * (step + 1) / warmup_steps
"""),
    ("warmup_lr", "integer division (step + 1) // warmup_steps", """
def warmup_lr(learning_rate0, step, warmup_steps):
    if step < warmup_steps:
        return learning_rate0 * ((step + 1) // warmup_steps)
    return learning_rate0
"""),
    ("warmup_lr", "divides by warmup_steps - 1", """
def warmup_lr(learning_rate0, step, warmup_steps):
    if step < warmup_steps:
        return learning_rate0 * step / (warmup_steps - 1)
    return learning_rate0
"""),
    ("warmup_lr", "min(step, warmup_steps) / warmup_steps", """
def warmup_lr(learning_rate0, step, warmup_steps):
    return learning_rate0 * min(step, warmup_steps) / warmup_steps
"""),
    ("warmup_lr", "steps counted from 1: step / warmup_steps up to step == warmup_steps", """
def warmup_lr(learning_rate0, step, warmup_steps):
    if step <= warmup_steps:
        return learning_rate0 * step / warmup_steps
    return learning_rate0
"""),
]
