"""Student variants of assignment 1 (logistic regression), for ``test_variants.py``.

``CORRECT``: right code written the many ways students write it. ``BUGGY``: the mistakes students
really make in this assignment, whole or partial (only for m = 1, only for negative z, ...). Each
source defines its function the way a student's answer cell would; ``np`` is imported, and the
reference versions of the other graded functions (``sigmoid``, ``propagate``, ...) are in scope.

Decisions on borderline cases (spec: the notebook and ``nnkit.logistic``):

- ``predict`` returning bools or ints: CORRECT. Labels are 0/1 and every later use (accuracy as
  ``np.mean(Y_prediction == Y)``, ``np.abs(Y_prediction - Y)``, plots) works the same, and the
  predict exercise accepts them (``types=TypeRules(int_for_float=True)``).
- ``predict`` with ``A >= 0.5``, with ``Z > 0`` or ``np.round(A)``: CORRECT. They differ from
  ``A > 0.5`` only where A is exactly 0.5, which does not happen for continuous inputs.
- ``initialize_with_zeros`` returning ``b = 0`` (a Python int): CORRECT, it behaves as 0.0 in every
  later expression. ``w`` with an integer dtype: BUGGY, an in-place float update of it fails.
- Some partial mistakes show only on some inputs (``X / X.max()`` when no pixel is at max_value, a
  loop that skips the last example when that example is a 1): the hidden cases of ``key="variants"``
  contain such inputs; a change of the case generators should keep them.
- A function that mutates its inputs in place (``w -= ...`` on the caller's ``w``, ``z *= -1``):
  BUGGY even when its returned values are right, since the notebook's later cells see the changed data.
"""

ASSIGNMENT = "01_logistic_regression"

CORRECT = [
    # ------------------------------------------------------------------ flatten_and_scale
    ("flatten_and_scale", "reshape(images.shape[0], -1).T, then divide", """
def flatten_and_scale(images, max_value=255.0):
    X = images.reshape(images.shape[0], -1).T
    X = X / max_value
    return X
"""),
    ("flatten_and_scale", "reshape(m, h*w*c).T with the sizes unpacked", """
def flatten_and_scale(images, max_value=255.0):
    m, h, w, c = images.shape
    return images.reshape(m, h * w * c).T / max_value
"""),
    ("flatten_and_scale", "loop over the images into a zeros matrix", """
def flatten_and_scale(images, max_value=255.0):
    m = images.shape[0]
    X = np.zeros((images[0].size, m))
    for i in range(m):
        X[:, i] = images[i].flatten() / max_value
    return X
"""),
    ("flatten_and_scale", "np.column_stack of raveled images", """
def flatten_and_scale(images, max_value=255.0):
    return np.column_stack([img.ravel() for img in images]) / max_value
"""),
    ("flatten_and_scale", "scales first with astype(float), then np.reshape with np.prod", """
def flatten_and_scale(images, max_value=255.0):
    scaled = images.astype(float) / max_value
    n_x = int(np.prod(images.shape[1:]))
    return np.reshape(scaled, (len(images), n_x)).T
"""),
    # ------------------------------------------------------------------ sigmoid
    ("sigmoid", "numerically careful: np.where on the sign with exp(-|z|)", """
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s if s.ndim else float(s)
"""),
    ("sigmoid", "tanh identity 0.5 * (1 + tanh(z / 2))", """
def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))
"""),
    ("sigmoid", "np.vectorize over a math.exp helper with a branch per sign", """
import math

def _sigmoid_number(t):
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)

def sigmoid(z):
    return np.vectorize(_sigmoid_number)(z)
"""),
    ("sigmoid", "np.reciprocal(1 + np.exp(-z))", """
def sigmoid(z):
    s = np.reciprocal(1.0 + np.exp(-np.array(z, dtype=float)))
    return s
"""),
    ("sigmoid", "log-space: exp(-logaddexp(0, -z))", """
def sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))
"""),
    # ------------------------------------------------------------------ initialize_with_zeros
    ("initialize_with_zeros", "np.zeros(shape=(dim, 1)) and b = 0 (an int)", """
def initialize_with_zeros(dim):
    w = np.zeros(shape=(dim, 1))
    b = 0
    return w, b
"""),
    ("initialize_with_zeros", "np.zeros(dim).reshape(dim, 1), b = float(0)", """
def initialize_with_zeros(dim):
    w = np.zeros(dim).reshape(dim, 1)
    b = float(0)
    return w, b
"""),
    ("initialize_with_zeros", "np.full((dim, 1), 0.0) with an explicit dtype", """
def initialize_with_zeros(dim):
    return np.full((dim, 1), 0.0, dtype=np.float64), 0.0
"""),
    ("initialize_with_zeros", "np.array of a list of [0.0] rows", """
def initialize_with_zeros(dim):
    w = np.array([[0.0] for _ in range(dim)])
    return w, 0.0
"""),
    # ------------------------------------------------------------------ propagate
    ("propagate", "np.dot everywhere, -1/m * sum, cost squeezed", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = 1 / m * np.dot(X, (A - Y).T)
    db = 1 / m * np.sum(A - Y)
    cost = np.squeeze(cost)
    return {"dw": dw, "db": db}, cost
"""),
    ("propagate", "np.matmul, m = len(Y[0]), np.mean for cost and db", """
def propagate(w, b, X, Y):
    m = len(Y[0])
    A = sigmoid(np.matmul(w.T, X) + b)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = np.matmul(X, (A - Y).T) / m
    db = np.mean(A - Y)
    return {"dw": dw, "db": db}, cost
"""),
    ("propagate", "cost as dot products (1, 1), then .item()", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -(Y @ np.log(A).T + (1 - Y) @ np.log(1 - A).T) / m
    dw = X @ (A - Y).T / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost.item()
"""),
    ("propagate", "explicit loop over the examples", """
def propagate(w, b, X, Y):
    n_x, m = X.shape
    cost, db = 0.0, 0.0
    dw = np.zeros((n_x, 1))
    for i in range(m):
        a = sigmoid(np.dot(w[:, 0], X[:, i]) + b)
        y = Y[0, i]
        cost += -(y * np.log(a) + (1 - y) * np.log(1 - a))
        dw[:, 0] += X[:, i] * (a - y)
        db += a - y
    return {"dw": dw / m, "db": db / m}, cost / m
"""),
    ("propagate", "dw by broadcasting: sum(X * dZ, axis=1, keepdims=True)", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    dZ = A - Y
    dw = np.sum(X * dZ, axis=1, keepdims=True) / m
    db = np.sum(dZ) / m
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": dw, "db": float(db)}, float(cost)
"""),
    ("propagate", "keepdims sums (1, 1) converted with .item() and float(np.squeeze())", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    losses = Y * np.log(A) + (1 - Y) * np.log(1 - A)
    cost = -np.sum(losses, axis=1, keepdims=True) / m
    dZ = A - Y
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dw = X @ dZ.T / m
    return {"dw": dw, "db": db.item()}, float(np.squeeze(cost))
"""),
    ("propagate", "inline sigmoid with np.exp instead of calling sigmoid", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    Z = w.T @ X + b
    A = 1 / (1 + np.exp(-Z))
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    grads = {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}
    return grads, cost
"""),
    ("propagate", "cost through a mask: log(A) where Y = 1, log(1 - A) where Y = 0", """
def propagate(w, b, X, Y):
    m = Y.size
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(np.log(np.where(Y == 1, A, 1 - A))) / m
    dZ = np.subtract(A, Y)
    dw = np.dot(X, dZ.T) / m
    db = dZ.sum() / m
    return {"dw": dw, "db": db}, cost
"""),
    # ------------------------------------------------------------------ optimize
    ("optimize", "copies w, then w -= learning_rate * dw on the copy", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    w = w.copy()
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w -= learning_rate * grads["dw"]
        b -= learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "while loop with a counter, dw/db unpacked", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    i = 0
    while i < num_iterations:
        grads, cost = propagate(w, b, X, Y)
        dw, db = grads["dw"], grads["db"]
        w = w - learning_rate * dw
        b = b - learning_rate * db
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %i: %f" % (i, cost))
        i += 1
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "keeps every cost, slices [::100] at the end", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    all_costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        all_costs.append(cost)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
    costs = all_costs[::100]
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "np.array copy, np.subtract, `if not i % 100`", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    w = np.array(w, dtype=float)
    b = float(b)
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = np.subtract(w, learning_rate * grads["dw"])
        b = b - learning_rate * grads["db"]
        if not i % 100:
            costs.append(cost)
    params = {"w": w, "b": b}
    return params, grads, costs
"""),
    ("optimize", "updates a params dict, records the cost after the update (same iteration's cost)", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    params = {"w": w, "b": b}
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(params["w"], params["b"], X, Y)
        params["w"] = params["w"] - learning_rate * grads["dw"]
        params["b"] = params["b"] - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return params, grads, costs
"""),
    # ------------------------------------------------------------------ predict
    ("predict", "np.where(A > 0.5, 1.0, 0.0)", """
def predict(w, b, X):
    A = sigmoid(w.T @ X + b)
    return np.where(A > 0.5, 1.0, 0.0)
"""),
    ("predict", "loop over the examples into np.zeros((1, m)), w reshaped", """
def predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    w = w.reshape(X.shape[0], 1)
    A = sigmoid(np.dot(w.T, X) + b)
    for i in range(A.shape[1]):
        if A[0, i] > 0.5:
            Y_prediction[0, i] = 1
        else:
            Y_prediction[0, i] = 0
    return Y_prediction
"""),
    ("predict", "A >= 0.5 (differs only at exactly 0.5: not a bug)", """
def predict(w, b, X):
    A = sigmoid(np.dot(w.T, X) + b)
    return (A >= 0.5) * 1.0
"""),
    ("predict", "threshold Z > 0 (the same as A > 0.5)", """
def predict(w, b, X):
    Z = w.T @ X + b
    return (Z > 0).astype(float)
"""),
    ("predict", "keeps the bool array A > 0.5 (labels as bools)", """
def predict(w, b, X):
    A = sigmoid(w.T @ X + b)
    Y_prediction = A > 0.5
    return Y_prediction
"""),
    ("predict", "astype(int) labels", """
def predict(w, b, X):
    A = sigmoid(w.T @ X + b)
    return (A > 0.5).astype(int)
"""),
    ("predict", "np.round(A)", """
def predict(w, b, X):
    A = sigmoid(w.T @ X + b)
    return np.round(A)
"""),
    # ------------------------------------------------------------------ model
    ("model", "len(X_train) features, keyword arguments to optimize", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(len(X_train))
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations=num_iterations,
                                    learning_rate=learning_rate, print_cost=print_cost)
    w = params["w"]
    b = params["b"]
    return {"costs": costs,
            "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train),
            "w": w, "b": b, "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "dict(...) built from params, accuracies printed", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    n_x = X_train.shape[0]
    w, b = initialize_with_zeros(n_x)
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    Y_prediction_test = predict(params["w"], params["b"], X_test)
    Y_prediction_train = predict(params["w"], params["b"], X_train)
    if print_cost:
        print("train accuracy:", 100 - np.mean(np.abs(Y_prediction_train - Y_train)) * 100)
    return dict(costs=costs, Y_prediction_test=Y_prediction_test, Y_prediction_train=Y_prediction_train,
                w=params["w"], b=params["b"], learning_rate=learning_rate, num_iterations=num_iterations)
"""),
    ("model", "fills the result dict key by key", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    d = {}
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, d["costs"] = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    d["w"], d["b"] = params["w"], params["b"]
    d["Y_prediction_train"] = predict(d["w"], d["b"], X_train)
    d["Y_prediction_test"] = predict(d["w"], d["b"], X_test)
    d["learning_rate"] = learning_rate
    d["num_iterations"] = num_iterations
    return d
"""),
]

BUGGY = [
    # ------------------------------------------------------------------ flatten_and_scale
    ("flatten_and_scale", "no transpose: one image per row", """
def flatten_and_scale(images, max_value=255.0):
    return images.reshape(images.shape[0], -1) / max_value
"""),
    ("flatten_and_scale", "reshape(-1, m): right shape, mixed pixels", """
def flatten_and_scale(images, max_value=255.0):
    m = images.shape[0]
    return images.reshape(-1, m) / max_value
"""),
    ("flatten_and_scale", "images.T.reshape(-1, m): column-major order", """
def flatten_and_scale(images, max_value=255.0):
    m = images.shape[0]
    return images.T.reshape(-1, m) / max_value
"""),
    ("flatten_and_scale", "divides by 255, not max_value", """
def flatten_and_scale(images, max_value=255.0):
    return images.reshape(images.shape[0], -1).T / 255
"""),
    ("flatten_and_scale", "forgets to scale", """
def flatten_and_scale(images, max_value=255.0):
    X = images.reshape(images.shape[0], -1).T
    return X
"""),
    ("flatten_and_scale", "integer division // max_value", """
def flatten_and_scale(images, max_value=255.0):
    return images.reshape(images.shape[0], -1).T // max_value
"""),
    ("flatten_and_scale", "divides by images.max() instead of max_value", """
def flatten_and_scale(images, max_value=255.0):
    X = images.reshape(images.shape[0], -1).T
    return X / X.max()
"""),
    ("flatten_and_scale", "X /= max_value in place on a view of the caller's images", """
def flatten_and_scale(images, max_value=255.0):
    X = images.reshape(images.shape[0], -1).T
    X /= max_value
    return X
"""),
    ("flatten_and_scale", "keeps only the first channel (right only for c = 1)", """
def flatten_and_scale(images, max_value=255.0):
    m = images.shape[0]
    return images[:, :, :, 0].reshape(m, -1).T / max_value
"""),
    ("flatten_and_scale", "reshape(m, h*w) forgets the channels (fails for c > 1)", """
def flatten_and_scale(images, max_value=255.0):
    m, h, w = images.shape[0], images.shape[1], images.shape[2]
    return images.reshape(m, h * w).T / max_value
"""),
    # ------------------------------------------------------------------ sigmoid
    ("sigmoid", "sign error: 1 / (1 + exp(z))", """
def sigmoid(z):
    return 1 / (1 + np.exp(z))
"""),
    ("sigmoid", "precedence: 1 / 1 + np.exp(-z)", """
def sigmoid(z):
    s = 1 / 1 + np.exp(-z)
    return s
"""),
    ("sigmoid", "math.exp (numbers only, fails on arrays)", """
import math

def sigmoid(z):
    return 1 / (1 + math.exp(-z))
"""),
    ("sigmoid", "clips z to [-10, 10] against overflow (wrong for large |z|)", """
def sigmoid(z):
    z = np.clip(z, -10, 10)
    return 1 / (1 + np.exp(-z))
"""),
    ("sigmoid", "careful branches, wrong formula for negative z", """
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 - np.exp(z)))
"""),
    ("sigmoid", "tanh identity without the halves: (1 + tanh(z)) / 2", """
def sigmoid(z):
    return (1 + np.tanh(z)) / 2
"""),
    ("sigmoid", "z.astype(float) (arrays only, fails on a number)", """
def sigmoid(z):
    z = z.astype(float)
    return 1 / (1 + np.exp(-z))
"""),
    ("sigmoid", "z *= -1 changes the caller's array", """
def sigmoid(z):
    z *= -1
    return 1 / (1 + np.exp(z))
"""),
    # ------------------------------------------------------------------ initialize_with_zeros
    ("initialize_with_zeros", "np.zeros(dim): 1-D w", """
def initialize_with_zeros(dim):
    w = np.zeros(dim)
    b = 0.0
    return w, b
"""),
    ("initialize_with_zeros", "w as a row (1, dim)", """
def initialize_with_zeros(dim):
    return np.zeros((1, dim)), 0.0
"""),
    ("initialize_with_zeros", "b as a (1, 1) array", """
def initialize_with_zeros(dim):
    w = np.zeros((dim, 1))
    b = np.zeros((1, 1))
    return w, b
"""),
    ("initialize_with_zeros", "integer zeros np.zeros((dim, 1), dtype=int)", """
def initialize_with_zeros(dim):
    w = np.zeros((dim, 1), dtype=int)
    b = 0
    return w, b
"""),
    ("initialize_with_zeros", "returns a dict {'w', 'b'} instead of w, b", """
def initialize_with_zeros(dim):
    return {"w": np.zeros((dim, 1)), "b": 0.0}
"""),
    ("initialize_with_zeros", "returns b, w in the wrong order", """
def initialize_with_zeros(dim):
    w = np.zeros((dim, 1))
    b = 0.0
    return b, w
"""),
    ("initialize_with_zeros", "w as a list of lists", """
def initialize_with_zeros(dim):
    w = [[0.0]] * dim
    return w, 0.0
"""),
    # ------------------------------------------------------------------ propagate
    ("propagate", "no 1/m anywhere", """
def propagate(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = X @ (A - Y).T
    db = np.sum(A - Y)
    return {"dw": dw, "db": db}, cost
"""),
    ("propagate", "no 1/m in dw and db", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": X @ (A - Y).T, "db": np.sum(A - Y)}, cost
"""),
    ("propagate", "no 1/m in the cost", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "no 1/m in db only", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = X @ (A - Y).T / m
    db = np.sum(A - Y)
    return {"dw": dw, "db": db}, cost
"""),
    ("propagate", "no 1/m in dw only", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T)
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost
"""),
    ("propagate", "m = X.shape[0]: divides by n_x", """
def propagate(w, b, X, Y):
    m = X.shape[0]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "m = len(Y), which is 1 (right only for m = 1)", """
def propagate(w, b, X, Y):
    m = len(Y)
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "dw = X.T @ (A - Y)", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = X.T @ (A - Y) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost
"""),
    ("propagate", "dw = (A - Y) @ X.T: transposed (1, n_x)", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = (A - Y) @ X.T / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost
"""),
    ("propagate", "db = np.sum(A - Y, axis=0): an (m,) array", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = X @ (A - Y).T / m
    db = np.sum(A - Y, axis=0) / m
    return {"dw": dw, "db": db}, cost
"""),
    ("propagate", "db left a (1, 1) array from keepdims", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = X @ (A - Y).T / m
    db = np.sum(A - Y, axis=1, keepdims=True) / m
    return {"dw": dw, "db": db}, float(cost)
"""),
    ("propagate", "gradient sign: dZ = Y - A", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dZ = Y - A
    return {"dw": X @ dZ.T / m, "db": np.sum(dZ) / m}, cost
"""),
    ("propagate", "cost without the minus sign", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "np.log(1 - Y) instead of np.log(1 - A)", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - Y)) / m
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "second cost term (1 - Y) * log(A)", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(A)) / m
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "cost left a (1, 1) array from dot products", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
    return {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "np.dot(Y, np.log(A)) without .T (right only for m = 1)", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -(np.dot(Y, np.log(A)) + np.dot(1 - Y, np.log(1 - A))) / m
    return {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}, float(cost)
"""),
    ("propagate", "np.dot(w, X) without transpose (right only for n_x = 1)", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "w * X elementwise instead of w.T @ X (right only for n_x = 1)", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w * X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.sum(X * (A - Y), axis=1, keepdims=True) / m
    return {"dw": dw, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "dw = np.dot(X, A - Y) without .T (right only for m = 1)", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": np.dot(X, A - Y) / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "forgets b in the forward pass", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "inline sigmoid 1/(1 + exp(-(w.T X) + b)): wrong sign of b", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = 1 / (1 + np.exp(-np.dot(w.T, X) + b))
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "dZ = A then dZ -= Y in place: A changed before the cost", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    dZ = A
    dZ -= Y
    dw = X @ dZ.T / m
    db = np.sum(dZ) / m
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": dw, "db": db}, cost
"""),
    ("propagate", "parenthesis: second cost term outside the sum", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -1 / m * np.sum(Y * np.log(A)) + (1 - Y) * np.log(1 - A)
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "grads key 'dW' instead of 'dw'", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dW": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, cost
"""),
    ("propagate", "returns cost, grads in the wrong order", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    grads = {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}
    return cost, grads
"""),
    ("propagate", "1 // m integer division (zero unless m = 1)", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -(1 // m) * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": (1 // m) * X @ (A - Y).T, "db": (1 // m) * np.sum(A - Y)}, cost
"""),
    # ------------------------------------------------------------------ optimize
    ("optimize", "updates b with dw", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["dw"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "gradient ascent: w + learning_rate * dw", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w + learning_rate * grads["dw"]
        b = b + learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "hard-coded learning rate 0.009", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - 0.009 * grads["dw"]
        b = b - 0.009 * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "hard-coded 100 iterations", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(100):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "records the cost every iteration", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "records the cost of the updated parameters", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            _, new_cost = propagate(w, b, X, Y)
            costs.append(new_cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "records the cost at i % 100 == 99", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 99:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "skips the cost of iteration 0 (i > 0)", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0 and i > 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "returns the grads of the first iteration", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    grads, cost = propagate(w, b, X, Y)
    for i in range(num_iterations):
        g, cost = propagate(w, b, X, Y)
        w = w - learning_rate * g["dw"]
        b = b - learning_rate * g["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "params saved before the last update", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        params = {"w": w, "b": b}
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return params, grads, costs
"""),
    ("optimize", "gradients computed once, outside the loop", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    grads, cost = propagate(w, b, X, Y)
    dw, db = grads["dw"], grads["db"]
    for i in range(num_iterations):
        w = w - learning_rate * dw
        b = b - learning_rate * db
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "w -= learning_rate * dw on the caller's w", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w -= learning_rate * grads["dw"]
        b -= learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "range(1, num_iterations): one step short", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(1, num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "range(num_iterations + 1): one step too many", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations + 1):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "recomputes the gradient between the w and b updates", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        grads, _ = propagate(w, b, X, Y)
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "divides the step by m again", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    m = X.shape[1]
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"] / m
        b = b - learning_rate * grads["db"] / m
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "dw.T in the update (right only for n_x = 1)", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"].T
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "mutable default costs=[] keeps old costs between calls", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False, costs=[]):
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""),
    ("optimize", "returns params, costs, grads in the wrong order", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, costs, grads
"""),
    ("optimize", "params key 'W' instead of 'w'", """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"W": w, "b": b}, grads, costs
"""),
    # ------------------------------------------------------------------ predict
    ("predict", "returns the probabilities A", """
def predict(w, b, X):
    A = sigmoid(w.T @ X + b)
    return A
"""),
    ("predict", "inverted labels: A < 0.5", """
def predict(w, b, X):
    A = sigmoid(w.T @ X + b)
    return (A < 0.5).astype(float)
"""),
    ("predict", "1-D labels (m,)", """
def predict(w, b, X):
    A = sigmoid(w.T @ X + b)
    return (A[0] > 0.5).astype(float)
"""),
    ("predict", "thresholds Z at 0.5 instead of A", """
def predict(w, b, X):
    Z = w.T @ X + b
    return (Z > 0.5).astype(float)
"""),
    ("predict", "forgets b", """
def predict(w, b, X):
    A = sigmoid(np.dot(w.T, X))
    return np.where(A > 0.5, 1.0, 0.0)
"""),
    ("predict", "labels as an (m, 1) column from X.T @ w", """
def predict(w, b, X):
    A = sigmoid(X.T @ w + b)
    return (A > 0.5).astype(float)
"""),
    ("predict", "`1 if A > 0.5 else 0` on the whole array (m = 1 only)", """
def predict(w, b, X):
    A = sigmoid(w.T @ X + b)
    Y_prediction = 1 if A > 0.5 else 0
    return Y_prediction
"""),
    ("predict", "m = X.shape[0] for the zeros((1, m)) and the loop", """
def predict(w, b, X):
    m = X.shape[0]
    Y_prediction = np.zeros((1, m))
    A = sigmoid(np.dot(w.T, X) + b)
    for i in range(m):
        Y_prediction[0, i] = 1 if A[0, i] > 0.5 else 0
    return Y_prediction
"""),
    ("predict", "loop stops one example short: range(m - 1)", """
def predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    A = sigmoid(np.dot(w.T, X) + b)
    for i in range(m - 1):
        if A[0, i] > 0.5:
            Y_prediction[0, i] = 1
    return Y_prediction
"""),
    ("predict", "np.dot(w, X) without transpose (n_x = 1 only)", """
def predict(w, b, X):
    A = sigmoid(np.dot(w, X) + b)
    return (A > 0.5).astype(float)
"""),
    # ------------------------------------------------------------------ model
    ("model", "calls optimize without num_iterations and learning_rate", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "test and train predictions swapped", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_train),
            "Y_prediction_train": predict(w, b, X_test), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "trains on the test set", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_test.shape[0])
    params, grads, costs = optimize(w, b, X_test, Y_test, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "initialize_with_zeros(X_train.shape[1]): m instead of n_x", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[1])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "does not pass learning_rate to optimize", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "passes only learning_rate= (default 100 iterations)", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, learning_rate=learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "hard-coded 2000 iterations in the optimize call", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, 2000, learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "learning_rate and num_iterations passed in swapped positions", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, learning_rate, num_iterations)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "predicts with the initial zero w, b (params not unpacked)", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_train)
    return {"costs": costs, "Y_prediction_test": Y_prediction_test, "Y_prediction_train": Y_prediction_train,
            "w": params["w"], "b": params["b"], "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "w, b = params unpacks the dict's keys", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "unpacks optimize's results as params, costs, grads", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, costs, grads = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
    ("model", "leaves learning_rate and num_iterations out of the dict", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b}
"""),
    ("model", "copy-paste: train predictions also on X_test", """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_test)
    return {"costs": costs, "Y_prediction_test": Y_prediction_test, "Y_prediction_train": Y_prediction_train,
            "w": w, "b": b, "learning_rate": learning_rate, "num_iterations": num_iterations}
"""),
]
