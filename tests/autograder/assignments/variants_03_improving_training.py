"""Student variants of assignment 3 (initialization, regularization, gradient checking), for ``test_variants.py``.

``CORRECT``: right code written the ways students write it. ``BUGGY``: the mistakes students make
in these exercises (the classic forum threads: variance for standard deviation, ``2 // n``, the mask
applied twice or never, ``/ 2 * epsilon``, ``thetaplus = parameters_values``, ...). Each source
defines its function as an answer cell would; ``np`` is imported and the notebooks' helpers
(``relu``, ``sigmoid``, ``compute_cost``, ``forward_propagation_n``, ``dictionary_to_vector``, ...)
and the other graded functions are in scope, as while grading.

Decisions on borderline cases (spec: the notebooks and issue 9):

- Initializers and dropout's forward pass take ``rng`` (None means ``np.random.default_rng()``):
  any way of drawing normal numbers (``standard_normal``, ``normal(0, s, shape)``) or masks
  (``random``, ``uniform``, ``binomial(1, p)``) from that generator is CORRECT, in any arrangement
  of a layer's draws; numpy's global state, a hard-coded seed, or code that fails when ``rng`` is
  None are BUGGY (grading leaves ``rng`` at None).
- Masks as booleans or 0/1 integers: CORRECT (the cache's masks are checked for 0/1 values).
- A backward pass that returns only ``dW1 .. db3``: CORRECT. One that applies the dropout mask to
  ``dZ`` instead of ``dA`` has the right ``dW`` and ``db``: CORRECT if it returns only those, BUGGY
  if it returns ``dA1``/``dA2`` (they are then not the gradients with respect to A1 and A2).
- ``relu'`` written as ``Z > 0``, ``A > 0`` or ``np.int64(A > 0)``: all CORRECT (they differ only
  where Z is exactly 0, which the cases avoid). ``A >= 0``: BUGGY (it is 1 everywhere).
- A gradient check that uses ``np.abs`` for the norms of numbers: CORRECT.
"""

ASSIGNMENT = "03_improving_training"

_LOOP_ZEROS = '''
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
'''


def _init(scale_expr: str, draw: str = "rng.standard_normal((layers_dims[l], layers_dims[l - 1]))",
          name: str = "initialize_parameters_he", rng_line: str = "rng = np.random.default_rng() if rng is None else rng",
          b: str = "np.zeros((layers_dims[l], 1))", stop: str = "len(layers_dims)") -> str:
    return f'''
def {name}(layers_dims, rng=None):
    {rng_line}
    parameters = {{}}
    for l in range(1, {stop}):
        parameters["W" + str(l)] = {draw} * {scale_expr}
        parameters["b" + str(l)] = {b}
    return parameters
'''


_DROPOUT_FORWARD = '''
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    D1 = {mask1}
    A1 = {apply1}
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    D2 = {mask2}
    A2 = {apply2}
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    return A3, ({cache})
'''
_CACHE = "Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3"


def _fwd(mask1="rng.random(A1.shape) < keep_prob", mask2="rng.random(A2.shape) < keep_prob",
         apply1="A1 * D1 / keep_prob", apply2="A2 * D2 / keep_prob", cache=_CACHE) -> str:
    return _DROPOUT_FORWARD.format(mask1=mask1, mask2=mask2, apply1=apply1, apply2=apply2, cache=cache)


_BACKWARD = '''
def {name}(X, Y, cache, {last}):
    m = X.shape[1]
    ({cache}) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T){reg3}
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True){regb3}
    dA2 = np.dot(W3.T, dZ3){drop2}
    dZ2 = np.multiply(dA2, {relu2}){dz2}
    dW2 = 1. / m * np.dot(dZ2, A1.T){reg2}
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True){regb2}
    dA1 = np.dot(W2.T, dZ2){drop1}
    dZ1 = np.multiply(dA1, {relu1}){dz1}
    dW1 = 1. / m * np.dot(dZ1, X.T){reg1}
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True){regb1}
    return {returns}
'''
_ALL_GRADS = ('{"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2, '
              '"dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}')
_DW_DB = '{"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}'


def _l2(reg="lambd / m * W{l}", regb="", relu2="np.int64(A2 > 0)", relu1="np.int64(A1 > 0)", returns=_ALL_GRADS,
        layers=(1, 2, 3)) -> str:
    fields = {f"reg{l}": (f" + {reg.format(l=l)}" if l in layers and reg else "") for l in (1, 2, 3)}
    fields.update({f"regb{l}": (f" + {regb.format(l=l)}" if regb else "") for l in (1, 2, 3)})
    return _BACKWARD.format(name="backward_propagation_with_regularization", last="lambd",
                            cache="Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3", drop1="", drop2="", dz1="",
                            dz2="", relu1=relu1, relu2=relu2, returns=returns, **fields)


def _drop(drop2="\n    dA2 = dA2 * D2\n    dA2 = dA2 / keep_prob", drop1="\n    dA1 = dA1 * D1\n    dA1 = dA1 / keep_prob",
          dz2="", dz1="", relu2="np.int64(A2 > 0)", relu1="np.int64(A1 > 0)", returns=_ALL_GRADS) -> str:
    return _BACKWARD.format(name="backward_propagation_with_dropout", last="keep_prob", cache=_CACHE, drop1=drop1,
                            drop2=drop2, dz1=dz1, dz2=dz2, relu1=relu1, relu2=relu2, returns=returns,
                            **{f"reg{l}": "" for l in (1, 2, 3)}, **{f"regb{l}": "" for l in (1, 2, 3)})


_COST = '''
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = {m}
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    cross_entropy_cost = {ce}
    L2_regularization_cost = {penalty}
    return cross_entropy_cost + L2_regularization_cost
'''
_SQUARES = "(np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))"


def _cost(penalty=f"lambd / (2 * m) * {_SQUARES}", m="Y.shape[1]", ce="compute_cost(A3, Y)") -> str:
    return _COST.format(penalty=penalty, m=m, ce=ce)


_GC = '''
def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    theta_plus = theta + epsilon
    theta_minus = theta - epsilon
    J_plus = forward_propagation(x, theta_plus)
    J_minus = forward_propagation(x, theta_minus)
    gradapprox = {approx}
    grad = backward_propagation(x, theta)
    numerator = {numerator}
    denominator = {denominator}
    difference = numerator / denominator
    if print_msg:
        print("difference =", difference)
    return {result}
'''


def _gc(approx="(J_plus - J_minus) / (2 * epsilon)", numerator="np.linalg.norm(grad - gradapprox)",
        denominator="np.linalg.norm(grad) + np.linalg.norm(gradapprox)", result="difference") -> str:
    return _GC.format(approx=approx, numerator=numerator, denominator=denominator, result=result)


_GCN = '''
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = {grad}
    num_parameters = parameters_values.shape[0]
    J_plus = np.zeros((num_parameters, 1))
    J_minus = np.zeros((num_parameters, 1))
    gradapprox = np.zeros((num_parameters, 1))
    for i in range({count}):
        thetaplus = {copy_plus}
        thetaplus[i] = thetaplus[i] + {step}
        J_plus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(thetaplus))
        thetaminus = {copy_minus}
        thetaminus[i] = thetaminus[i] - {step}
        J_minus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary({minus_from}))
        gradapprox[i] = {approx}
    numerator = {numerator}
    denominator = {denominator}
    return numerator / denominator
'''


def _gcn(approx="(J_plus[i] - J_minus[i]) / (2 * epsilon)", copy_plus="np.copy(parameters_values)",
         copy_minus="np.copy(parameters_values)", step="epsilon", minus_from="thetaminus", count="num_parameters",
         numerator="np.linalg.norm(grad - gradapprox)", denominator="np.linalg.norm(grad) + np.linalg.norm(gradapprox)",
         grad="gradients_to_vector(gradients)") -> str:
    return _GCN.format(approx=approx, copy_plus=copy_plus, copy_minus=copy_minus, step=step, minus_from=minus_from,
                       count=count, numerator=numerator, denominator=denominator, grad=grad)


CORRECT = [
    # ------------------------------------------------------------------ initialize_parameters_zeros
    ("initialize_parameters_zeros", "the notebook's loop with L = len(layers_dims)", _LOOP_ZEROS),
    ("initialize_parameters_zeros", "a dict comprehension over the layers", """
def initialize_parameters_zeros(layers_dims):
    L = len(layers_dims) - 1
    params = {f"W{l}": np.zeros((layers_dims[l], layers_dims[l - 1])) for l in range(1, L + 1)}
    params.update({f"b{l}": np.zeros((layers_dims[l], 1)) for l in range(1, L + 1)})
    return params
"""),
    ("initialize_parameters_zeros", "zip over consecutive sizes, np.zeros with a list shape", """
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l, (n_prev, n) in enumerate(zip(layers_dims[:-1], layers_dims[1:]), start=1):
        parameters['W%d' % l] = np.zeros([n, n_prev])
        parameters['b%d' % l] = np.zeros([n, 1])
    return parameters
"""),
    # ------------------------------------------------------------------ initialize_parameters_random
    ("initialize_parameters_random", "rng.standard_normal(shape) * 10",
     _init("10", name="initialize_parameters_random")),
    ("initialize_parameters_random", "rng.normal(0, 10, shape)",
     _init("1", draw="rng.normal(0, 10, (layers_dims[l], layers_dims[l - 1]))", name="initialize_parameters_random")),
    ("initialize_parameters_random", "rng = np.random.default_rng(rng), which keeps a Generator as it is",
     _init("10", rng_line="rng = np.random.default_rng(rng)", name="initialize_parameters_random")),
    ("initialize_parameters_random", "rng = rng or np.random.default_rng()",
     _init("10.0", rng_line="rng = rng or np.random.default_rng()", name="initialize_parameters_random")),
    ("initialize_parameters_random", "from numpy.random import default_rng", """
from numpy.random import default_rng

def initialize_parameters_random(layers_dims, rng=None):
    if rng is None:
        rng = default_rng()
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = 10 * rng.normal(size=(layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
"""),
    ("initialize_parameters_random", "draws each layer transposed and transposes back", """
def initialize_parameters_random(layers_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = (rng.standard_normal((layers_dims[l - 1], layers_dims[l])) * 10).T
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
"""),
    # ------------------------------------------------------------------ initialize_parameters_he
    ("initialize_parameters_he", "np.sqrt(2 / layers_dims[l - 1])", _init("np.sqrt(2 / layers_dims[l - 1])")),
    ("initialize_parameters_he", "np.sqrt(2.) / np.sqrt(n_prev)", _init("np.sqrt(2.) / np.sqrt(layers_dims[l - 1])")),
    ("initialize_parameters_he", "divided by np.sqrt(n_prev / 2)",
     _init("1", draw="rng.standard_normal((layers_dims[l], layers_dims[l - 1])) / np.sqrt(layers_dims[l - 1] / 2)")),
    ("initialize_parameters_he", "rng.normal(0, std, shape) with std = (2 / n) ** 0.5",
     _init("1", draw="rng.normal(0.0, (2 / layers_dims[l - 1]) ** 0.5, size=(layers_dims[l], layers_dims[l - 1]))")),
    ("initialize_parameters_he", "the sizes unpacked first, then a loop over the layer index", """
def initialize_parameters_he(layers_dims, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    parameters = {}
    L = len(layers_dims) - 1
    for l in range(1, L + 1):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        parameters["W" + str(l)] = rng.standard_normal(size=(n, n_prev)) * np.sqrt(2.0 / n_prev)
        parameters["b" + str(l)] = np.zeros(shape=(n, 1))
    return parameters
"""),
    # ------------------------------------------------------------------ compute_cost_with_regularization
    ("compute_cost_with_regularization", "the notebook's formula with np.square", _cost()),
    ("compute_cost_with_regularization", "W ** 2 and 1 / m * lambd / 2",
     _cost(penalty="1 / m * lambd / 2 * (np.sum(W1 ** 2) + np.sum(W2 ** 2) + np.sum(W3 ** 2))")),
    ("compute_cost_with_regularization", "squared Frobenius norms with np.linalg.norm",
     _cost(penalty="lambd / (2 * m) * sum(np.linalg.norm(W) ** 2 for W in (W1, W2, W3))")),
    ("compute_cost_with_regularization", "a loop over the W keys, (W * W).sum()", """
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    total = 0.0
    for key in parameters:
        if key.startswith("W"):
            total += (parameters[key] * parameters[key]).sum()
    return compute_cost(A3, Y) + lambd * total / (2 * m)
"""),
    ("compute_cost_with_regularization", "its own cross-entropy with np.nansum", _cost(
        ce="1. / m * np.nansum(-Y * np.log(A3) - (1 - Y) * np.log(1 - A3))")),
    # ------------------------------------------------------------------ backward_propagation_with_regularization
    ("backward_propagation_with_regularization", "the notebook's backward pass, np.int64(A > 0)", _l2()),
    ("backward_propagation_with_regularization", "only dW and db returned", _l2(returns=_DW_DB)),
    ("backward_propagation_with_regularization", "relu' as (Z > 0), lambd * W / m",
     _l2(reg="lambd * W{l} / m", relu2="(Z2 > 0)", relu1="(Z1 > 0)")),
    ("backward_propagation_with_regularization", "@ and a loop over the layers", """
def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    A = {0: X, 1: A1, 2: A2}
    Z = {1: Z1, 2: Z2}
    W = {1: W1, 2: W2, 3: W3}
    grads = {"dZ3": A3 - Y}
    for l in (3, 2, 1):
        dZ = grads["dZ%d" % l]
        grads["dW%d" % l] = dZ @ A[l - 1].T / m + lambd / m * W[l]
        grads["db%d" % l] = dZ.sum(axis=1, keepdims=True) / m
        if l > 1:
            grads["dA%d" % (l - 1)] = W[l].T @ dZ
            grads["dZ%d" % (l - 1)] = grads["dA%d" % (l - 1)] * (Z[l - 1] > 0)
    return grads
"""),
    # ------------------------------------------------------------------ forward_propagation_with_dropout
    ("forward_propagation_with_dropout", "the notebook's version, boolean masks", _fwd()),
    ("forward_propagation_with_dropout", "masks as ints, np.multiply and in-place division on the new array",
     _fwd(mask1="(rng.random((A1.shape[0], A1.shape[1])) < keep_prob).astype(int)",
          mask2="(rng.random((A2.shape[0], A2.shape[1])) < keep_prob).astype(int)",
          apply1="np.multiply(A1, D1)\n    A1 /= keep_prob", apply2="np.multiply(A2, D2)\n    A2 /= keep_prob")),
    ("forward_propagation_with_dropout", "rng.uniform for the masks, as floats",
     _fwd(mask1="(rng.uniform(size=A1.shape) < keep_prob).astype(float)",
          mask2="(rng.uniform(size=A2.shape) < keep_prob).astype(float)")),
    ("forward_propagation_with_dropout", "binomial masks",
     _fwd(mask1="rng.binomial(1, keep_prob, size=A1.shape)", mask2="rng.binomial(1, keep_prob, size=A2.shape)")),
    ("forward_propagation_with_dropout", "rng = np.random.default_rng(rng), masks applied by indexing", """
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, rng=None):
    rng = np.random.default_rng(rng)
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    D1 = rng.random(A1.shape) < keep_prob
    A1 = np.where(D1, A1 / keep_prob, 0.0)
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    D2 = rng.random(A2.shape) < keep_prob
    A2 = np.where(D2, A2 / keep_prob, 0.0)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
"""),
    # ------------------------------------------------------------------ backward_propagation_with_dropout
    ("backward_propagation_with_dropout", "the notebook's backward pass", _drop()),
    ("backward_propagation_with_dropout", "mask and scaling in one line, relu' as (Z > 0)",
     _drop(drop2="\n    dA2 = dA2 * D2 / keep_prob", drop1="\n    dA1 = dA1 * D1 / keep_prob",
           relu2="(Z2 > 0)", relu1="(Z1 > 0)")),
    ("backward_propagation_with_dropout", "in-place *= and /= on the new dA arrays",
     _drop(drop2="\n    dA2 *= D2\n    dA2 /= keep_prob", drop1="\n    dA1 *= D1\n    dA1 /= keep_prob")),
    ("backward_propagation_with_dropout", "mask on dZ, but only dW and db returned (the same numbers)",
     _drop(drop2="", drop1="", dz2="\n    dZ2 = dZ2 * D2 / keep_prob", dz1="\n    dZ1 = dZ1 * D1 / keep_prob",
           returns=_DW_DB)),
    # ------------------------------------------------------------------ forward_propagation / backward_propagation
    ("forward_propagation", "J = theta * x", "def forward_propagation(x, theta):\n    J = theta * x\n    return J\n"),
    ("forward_propagation", "np.dot(theta, x)", "def forward_propagation(x, theta):\n    return np.dot(theta, x)\n"),
    ("forward_propagation", "np.multiply(x, theta)", "def forward_propagation(x, theta):\n    return np.multiply(x, theta)\n"),
    ("backward_propagation", "dtheta = x", "def backward_propagation(x, theta):\n    dtheta = x\n    return dtheta\n"),
    ("backward_propagation", "x * 1.0", "def backward_propagation(x, theta):\n    return x * 1.0\n"),
    # ------------------------------------------------------------------ gradient_check
    ("gradient_check", "the notebook's five steps", _gc()),
    ("gradient_check", "np.abs for the norms of numbers",
     _gc(numerator="np.abs(grad - gradapprox)", denominator="np.abs(grad) + np.abs(gradapprox)")),
    ("gradient_check", "divides by epsilon, then by 2", _gc(approx="(J_plus - J_minus) / epsilon / 2")),
    ("gradient_check", "calls forward_propagation inline", """
def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    if print_msg and difference > 2e-7:
        print("There is a mistake in the backward propagation!")
    return difference
"""),
    # ------------------------------------------------------------------ gradient_check_n
    ("gradient_check_n", "the notebook's loop with np.copy", _gcn()),
    ("gradient_check_n", ".copy() and gradapprox as a list", """
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    theta, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    gradapprox = []
    for i in range(len(theta)):
        plus, minus = theta.copy(), theta.copy()
        plus[i, 0] += epsilon
        minus[i, 0] -= epsilon
        J_plus = forward_propagation_n(X, Y, vector_to_dictionary(plus))[0]
        J_minus = forward_propagation_n(X, Y, vector_to_dictionary(minus))[0]
        gradapprox.append((J_plus - J_minus) / (2 * epsilon))
    gradapprox = np.array(gradapprox).reshape(-1, 1)
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
"""),
    ("gradient_check_n", "restores the entry after each nudge instead of copying", """
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    theta, _ = dictionary_to_vector(parameters)
    theta = theta.copy()
    grad = gradients_to_vector(gradients)
    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        old = theta[i, 0]
        theta[i, 0] = old + epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta))
        theta[i, 0] = old - epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta))
        theta[i, 0] = old
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    numerator = np.linalg.norm(grad - gradapprox)
    return numerator / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
"""),
]

BUGGY = [
    # ------------------------------------------------------------------ initialize_parameters_zeros
    ("initialize_parameters_zeros", "range(1, L) with L = len(layers_dims) - 1: the last layer is missing",
     _LOOP_ZEROS.replace("L = len(layers_dims)", "L = len(layers_dims) - 1")),
    ("initialize_parameters_zeros", "W of shape (n_{l-1}, n_l)",
     _LOOP_ZEROS.replace("(layers_dims[l], layers_dims[l - 1])", "(layers_dims[l - 1], layers_dims[l])")),
    ("initialize_parameters_zeros", "b as a 1-D array np.zeros(n_l)",
     _LOOP_ZEROS.replace("np.zeros((layers_dims[l], 1))", "np.zeros(layers_dims[l])")),
    ("initialize_parameters_zeros", "b as a row (1, n_l)",
     _LOOP_ZEROS.replace("np.zeros((layers_dims[l], 1))", "np.zeros((1, layers_dims[l]))")),
    ("initialize_parameters_zeros", "integer zeros", _LOOP_ZEROS.replace(
        "np.zeros((layers_dims[l], layers_dims[l - 1]))", "np.zeros((layers_dims[l], layers_dims[l - 1]), dtype=int)")),
    ("initialize_parameters_zeros", "layers_dims[l + 1] and layers_dims[l]: one layer shifted", """
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(len(layers_dims) - 1):
        parameters["W" + str(l + 1)] = np.zeros((layers_dims[l + 1], layers_dims[l + 1]))
        parameters["b" + str(l + 1)] = np.zeros((layers_dims[l + 1], 1))
    return parameters
"""),
    ("initialize_parameters_zeros", "keys numbered from 0", """
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l - 1)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l - 1)] = np.zeros((layers_dims[l], 1))
    return parameters
"""),
    # ------------------------------------------------------------------ initialize_parameters_random
    ("initialize_parameters_random", "np.random.randn * 10 (numpy's global state)",
     _init("10", draw="np.random.randn(layers_dims[l], layers_dims[l - 1])", name="initialize_parameters_random")),
    ("initialize_parameters_random", "np.random.seed(3) first, then the global state",
     _init("10", draw="np.random.randn(layers_dims[l], layers_dims[l - 1])", name="initialize_parameters_random",
           rng_line="np.random.seed(3)")),
    ("initialize_parameters_random", "a hard-coded seed: rng = np.random.default_rng(3)",
     _init("10", name="initialize_parameters_random", rng_line="rng = np.random.default_rng(3)")),
    ("initialize_parameters_random", "forgot the * 10", _init("1", name="initialize_parameters_random")),
    ("initialize_parameters_random", "rng.random (uniform) * 10",
     _init("10", draw="rng.random((layers_dims[l], layers_dims[l - 1]))", name="initialize_parameters_random")),
    ("initialize_parameters_random", "rng.normal(0, 100, shape): the variance where the standard deviation belongs",
     _init("1", draw="rng.normal(0, 100, (layers_dims[l], layers_dims[l - 1]))", name="initialize_parameters_random")),
    ("initialize_parameters_random", "divided by 10", _init("0.1", name="initialize_parameters_random")),
    ("initialize_parameters_random", "b drawn at random too", _init(
        "10", name="initialize_parameters_random", b="rng.standard_normal((layers_dims[l], 1)) * 10")),
    ("initialize_parameters_random", "does not handle rng=None", _init(
        "10", name="initialize_parameters_random", rng_line="pass")),
    ("initialize_parameters_random", "the small Gaussian * 0.01 of seed 004", _init(
        "0.01", name="initialize_parameters_random")),
    # ------------------------------------------------------------------ initialize_parameters_he
    ("initialize_parameters_he", "Xavier's np.sqrt(1 / n_prev)", _init("np.sqrt(1 / layers_dims[l - 1])")),
    ("initialize_parameters_he", "np.sqrt(2 / layers_dims[l]): the layer's own size", _init("np.sqrt(2 / layers_dims[l])")),
    ("initialize_parameters_he", "2 / n_prev without the square root", _init("2 / layers_dims[l - 1]")),
    ("initialize_parameters_he", "np.sqrt(2) / n_prev", _init("np.sqrt(2) / layers_dims[l - 1]")),
    ("initialize_parameters_he", "rng.normal(0, 2 / n, shape): the variance as the scale",
     _init("1", draw="rng.normal(0, 2 / layers_dims[l - 1], (layers_dims[l], layers_dims[l - 1]))")),
    ("initialize_parameters_he", "np.sqrt(2 // n_prev): floor division", _init("np.sqrt(2 // layers_dims[l - 1])")),
    ("initialize_parameters_he", "np.random.randn (numpy's global state)",
     _init("np.sqrt(2 / layers_dims[l - 1])", draw="np.random.randn(layers_dims[l], layers_dims[l - 1])")),
    ("initialize_parameters_he", "a hard-coded seed", _init("np.sqrt(2 / layers_dims[l - 1])",
                                                           rng_line="rng = np.random.default_rng(3)")),
    ("initialize_parameters_he", "copied the * 10 of the random initializer", _init("10")),
    ("initialize_parameters_he", "rng.random (uniform)", _init(
        "np.sqrt(2 / layers_dims[l - 1])", draw="rng.random((layers_dims[l], layers_dims[l - 1]))")),
    ("initialize_parameters_he", "stops one layer early", _init("np.sqrt(2 / layers_dims[l - 1])",
                                                               stop="len(layers_dims) - 1")),
    ("initialize_parameters_he", "np.sqrt(2 / n_prev) with n_prev = layers_dims[l - 1] ... for l starting at 0", """
def initialize_parameters_he(layers_dims, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for l in range(len(layers_dims) - 1):
        parameters["W" + str(l + 1)] = rng.standard_normal((layers_dims[l + 1], layers_dims[l])) * np.sqrt(2 / layers_dims[l + 1])
        parameters["b" + str(l + 1)] = np.zeros((layers_dims[l + 1], 1))
    return parameters
"""),
    # ------------------------------------------------------------------ compute_cost_with_regularization
    ("compute_cost_with_regularization", "seed 004's lambda / 2 without the 1/m", _cost(penalty=f"lambd / 2 * {_SQUARES}")),
    ("compute_cost_with_regularization", "lambda / m without the 1/2", _cost(penalty=f"lambd / m * {_SQUARES}")),
    ("compute_cost_with_regularization", "lambd / 2 * m: precedence", _cost(penalty=f"lambd / 2 * m * {_SQUARES}")),
    ("compute_cost_with_regularization", "np.sum(W) instead of the squares",
     _cost(penalty="lambd / (2 * m) * (np.sum(W1) + np.sum(W2) + np.sum(W3))")),
    ("compute_cost_with_regularization", "np.linalg.norm(W) not squared",
     _cost(penalty="lambd / (2 * m) * (np.linalg.norm(W1) + np.linalg.norm(W2) + np.linalg.norm(W3))")),
    ("compute_cost_with_regularization", "the biases penalized too", """
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    squares = sum(np.sum(np.square(value)) for value in parameters.values())
    return compute_cost(A3, Y) + lambd / (2 * m) * squares
"""),
    ("compute_cost_with_regularization", "only W3", _cost(penalty="lambd / (2 * m) * np.sum(np.square(W3))")),
    ("compute_cost_with_regularization", "m = Y.shape[0] (the number of rows, 1)", _cost(m="Y.shape[0]")),
    ("compute_cost_with_regularization", "returns only the penalty", _cost(ce="0")),
    ("compute_cost_with_regularization", "squares of the sums", _cost(
        penalty="lambd / (2 * m) * (np.sum(W1) ** 2 + np.sum(W2) ** 2 + np.sum(W3) ** 2)")),
    # ------------------------------------------------------------------ backward_propagation_with_regularization
    ("backward_propagation_with_regularization", "lambd * W without the 1/m", _l2(reg="lambd * W{l}")),
    ("backward_propagation_with_regularization", "lambd / m * b added to db too", _l2(regb="lambd / m * b{l}")),
    ("backward_propagation_with_regularization", "lambd / (2 m) * W: the 1/2 of the cost kept", _l2(reg="lambd / (2 * m) * W{l}")),
    ("backward_propagation_with_regularization", "2 lambd / m * W", _l2(reg="2 * lambd / m * W{l}")),
    ("backward_propagation_with_regularization", "minus lambd / m * W", _l2(reg="- lambd / m * W{l}")),
    ("backward_propagation_with_regularization", "only dW3 regularized", _l2(layers=(3,))),
    ("backward_propagation_with_regularization", "forgot the penalty", _l2(reg="")),
    ("backward_propagation_with_regularization", "relu' as A1 >= 0 (1 everywhere)", _l2(relu1="np.int64(A1 >= 0)")),
    ("backward_propagation_with_regularization", "multiplies by A instead of relu'(Z)", _l2(relu2="A2", relu1="A1")),
    ("backward_propagation_with_regularization", "lambd / m * W squared", _l2(reg="lambd / m * W{l} ** 2")),
    ("backward_propagation_with_regularization", "db without keepdims",
     _l2().replace("axis=1, keepdims=True", "axis=1")),
    ("backward_propagation_with_regularization", "db summed over axis 0",
     _l2().replace("axis=1, keepdims=True", "axis=0, keepdims=True")),
    # ------------------------------------------------------------------ forward_propagation_with_dropout
    ("forward_propagation_with_dropout", "no division by keep_prob", _fwd(apply1="A1 * D1", apply2="A2 * D2")),
    ("forward_propagation_with_dropout", "multiplied by keep_prob", _fwd(apply1="A1 * D1 * keep_prob",
                                                                        apply2="A2 * D2 * keep_prob")),
    ("forward_propagation_with_dropout", "rand > keep_prob", _fwd(mask1="rng.random(A1.shape) > keep_prob",
                                                                 mask2="rng.random(A2.shape) > keep_prob")),
    ("forward_propagation_with_dropout", "np.random.rand: numpy's global state",
     _fwd(mask1="np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob",
          mask2="np.random.rand(A2.shape[0], A2.shape[1]) < keep_prob")),
    ("forward_propagation_with_dropout", "the random numbers kept as the mask (no comparison)",
     _fwd(mask1="rng.random(A1.shape)", mask2="rng.random(A2.shape)")),
    ("forward_propagation_with_dropout", "only layer 1 dropped", _fwd(mask2="np.ones(A2.shape)", apply2="A2")),
    ("forward_propagation_with_dropout", "the cache keeps A1 and A2 before dropout",
     _fwd(apply1="A1", apply2="A2").replace("Z2 = np.dot(W2, A1) + b2", "Z2 = np.dot(W2, A1 * D1 / keep_prob) + b2")
     .replace("Z3 = np.dot(W3, A2) + b3", "Z3 = np.dot(W3, A2 * D2 / keep_prob) + b3")),
    ("forward_propagation_with_dropout", "keep_prob ignored: 0.5", _fwd(
        mask1="rng.random(A1.shape) < 0.5", mask2="rng.random(A2.shape) < 0.5",
        apply1="A1 * D1 / 0.5", apply2="A2 * D2 / 0.5")),
    ("forward_propagation_with_dropout", "the cache without the masks", _fwd(
        cache="Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3")),
    ("forward_propagation_with_dropout", "a hard-coded seed", _fwd().replace(
        "rng = np.random.default_rng() if rng is None else rng", "rng = np.random.default_rng(1)")),
    ("forward_propagation_with_dropout", "the mask put on Z1 before the ReLU, Z1 changed in the cache",
     _fwd(apply1="A1").replace("    A1 = relu(Z1)\n    D1 = rng.random(A1.shape) < keep_prob\n    A1 = A1\n",
                               "    D1 = rng.random(Z1.shape) < keep_prob\n    Z1 = Z1 * D1 / keep_prob\n    A1 = relu(Z1)\n")),
    ("forward_propagation_with_dropout", "dropout on the output too", _fwd().replace(
        "    A3 = sigmoid(Z3)\n", "    A3 = sigmoid(Z3)\n    A3 = A3 * (rng.random(A3.shape) < keep_prob) / keep_prob\n")),
    ("forward_propagation_with_dropout", "does not handle rng=None", _fwd().replace(
        "rng = np.random.default_rng() if rng is None else rng", "pass")),
    # ------------------------------------------------------------------ backward_propagation_with_dropout
    ("backward_propagation_with_dropout", "no division by keep_prob", _drop(drop2="\n    dA2 = dA2 * D2",
                                                                           drop1="\n    dA1 = dA1 * D1")),
    ("backward_propagation_with_dropout", "no mask, only the scaling", _drop(drop2="\n    dA2 = dA2 / keep_prob",
                                                                           drop1="\n    dA1 = dA1 / keep_prob")),
    ("backward_propagation_with_dropout", "dropout forgotten in the backward pass", _drop(drop2="", drop1="")),
    ("backward_propagation_with_dropout", "multiplied by keep_prob", _drop(
        drop2="\n    dA2 = dA2 * D2 * keep_prob", drop1="\n    dA1 = dA1 * D1 * keep_prob")),
    ("backward_propagation_with_dropout", "the mask on dZ, dA1 and dA2 returned", _drop(
        drop2="", drop1="", dz2="\n    dZ2 = dZ2 * D2 / keep_prob", dz1="\n    dZ1 = dZ1 * D1 / keep_prob")),
    ("backward_propagation_with_dropout", "D1 on dA2 and D2 on dA1 (swapped)", _drop(
        drop2="\n    dA2 = dA2 * D1 / keep_prob", drop1="\n    dA1 = dA1 * D2 / keep_prob")),
    ("backward_propagation_with_dropout", "layer 1 not rescaled", _drop(drop1="\n    dA1 = dA1 * D1")),
    ("backward_propagation_with_dropout", "only dA2 masked", _drop(drop1="")),
    ("backward_propagation_with_dropout", "relu' replaced by the mask", _drop(
        drop2="\n    dA2 = dA2 / keep_prob", drop1="\n    dA1 = dA1 / keep_prob", relu2="D2", relu1="D1")),
    ("backward_propagation_with_dropout", "the mask applied twice (dA and dZ)", _drop(
        dz2="\n    dZ2 = dZ2 * D2 / keep_prob", dz1="\n    dZ1 = dZ1 * D1 / keep_prob")),
    ("backward_propagation_with_dropout", "dZ3 = Y - A3 (sign)", _drop().replace("dZ3 = A3 - Y", "dZ3 = Y - A3")),
    # ------------------------------------------------------------------ forward_propagation / backward_propagation
    ("forward_propagation", "returns x", "def forward_propagation(x, theta):\n    return x\n"),
    ("forward_propagation", "returns theta", "def forward_propagation(x, theta):\n    return theta\n"),
    ("forward_propagation", "theta + x", "def forward_propagation(x, theta):\n    J = theta + x\n    return J\n"),
    ("forward_propagation", "theta ** x", "def forward_propagation(x, theta):\n    return theta ** x\n"),
    ("backward_propagation", "dJ/dx = theta", "def backward_propagation(x, theta):\n    dtheta = theta\n    return dtheta\n"),
    ("backward_propagation", "returns J = theta * x", "def backward_propagation(x, theta):\n    return theta * x\n"),
    ("backward_propagation", "returns 1", "def backward_propagation(x, theta):\n    return 1\n"),
    ("backward_propagation", "x + theta", "def backward_propagation(x, theta):\n    return x + theta\n"),
    # ------------------------------------------------------------------ gradient_check
    ("gradient_check", "one-sided difference", _gc(approx="(J_plus - forward_propagation(x, theta)) / epsilon")),
    ("gradient_check", "/ 2 * epsilon: precedence", _gc(approx="(J_plus - J_minus) / 2 * epsilon")),
    ("gradient_check", "epsilon = 1e-7 inside the function", _gc().replace(
        "    theta_plus = theta + epsilon\n", "    epsilon = 1e-7\n    theta_plus = theta + epsilon\n")),
    ("gradient_check", "no denominator: the absolute difference", _gc(denominator="1")),
    ("gradient_check", "np.linalg.norm(grad + gradapprox) as the denominator",
     _gc(denominator="np.linalg.norm(grad + gradapprox)")),
    ("gradient_check", "no norm in the numerator: a signed difference", _gc(numerator="grad - gradapprox")),
    ("gradient_check", "J_minus - J_plus", _gc(approx="(J_minus - J_plus) / (2 * epsilon)")),
    ("gradient_check", "seed 001's J^{-1} taken literally: 1 / J_minus", _gc(approx="(J_plus - J_minus ** -1) / (2 * epsilon)")),
    ("gradient_check", "returns gradapprox", _gc(result="gradapprox")),
    ("gradient_check", "divides by ||grad|| only", _gc(denominator="np.linalg.norm(grad)")),
    ("gradient_check", "J_minus computed at theta_plus", _gc().replace(
        "J_minus = forward_propagation(x, theta_minus)", "J_minus = forward_propagation(x, theta_plus)")),
    ("gradient_check", "always reports success", "def gradient_check(x, theta, epsilon=1e-7, print_msg=False):\n"
                                                 "    return 1e-10\n"),
    # ------------------------------------------------------------------ gradient_check_n
    ("gradient_check_n", "one-sided difference", _gcn(
        approx="(J_plus[i] - forward_propagation_n(X, Y, vector_to_dictionary(parameters_values))[0]) / epsilon")),
    ("gradient_check_n", "/ 2 * epsilon: precedence", _gcn(approx="(J_plus[i] - J_minus[i]) / 2 * epsilon")),
    ("gradient_check_n", "a fixed step of 1e-7", _gcn(step="1e-7", approx="(J_plus[i] - J_minus[i]) / (2 * 1e-7)")),
    ("gradient_check_n", "thetaplus = parameters_values (no copy)", _gcn(copy_plus="parameters_values",
                                                                        copy_minus="parameters_values")),
    ("gradient_check_n", "thetaminus = parameters_values (no copy)", _gcn(copy_minus="parameters_values")),
    ("gradient_check_n", "J_minus from thetaplus", _gcn(minus_from="thetaplus")),
    ("gradient_check_n", "no denominator", _gcn(denominator="1")),
    ("gradient_check_n", "np.linalg.norm(grad + gradapprox) as the denominator",
     _gcn(denominator="np.linalg.norm(grad + gradapprox)")),
    ("gradient_check_n", "recomputes the gradients with backward_propagation_n instead of checking the given ones",
     _gcn(grad="gradients_to_vector(backward_propagation_n(X, Y, forward_propagation_n(X, Y, parameters)[1]))")),
    ("gradient_check_n", "range(num_parameters - 1): the last parameter never nudged", _gcn(count="num_parameters - 1")),
    ("gradient_check_n", "squared norms", _gcn(numerator="np.linalg.norm(grad - gradapprox) ** 2",
                                               denominator="np.linalg.norm(grad) ** 2 + np.linalg.norm(gradapprox) ** 2")),
    ("gradient_check_n", "J_minus - J_plus", _gcn(approx="(J_minus[i] - J_plus[i]) / (2 * epsilon)")),
]
