"""Assignment 3's reference functions, with the notebooks' exact signatures, as thin adapters over nnkit.

The network of the assignment is LINEAR->RELU->LINEAR->RELU->LINEAR->SIGMOID. Its forward pass's
cache is the notebooks' tuple ``(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``, with dropout
``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)`` where ``A1``, ``A2`` are the activations
*after* dropout (what the next layer saw). Shapes: ``X`` (n_x, m), ``Y`` (1, m), ``W[l]``
(n_l, n_{l-1}), ``b[l]`` (n_l, 1), ``Z[l]``, ``A[l]``, ``D[l]`` (n_l, m). Gradients use the
notebooks' convention: ``dZ`` and ``dA`` per example (``dZ3 = A3 - Y``), the ``1/m`` in ``dW`` and
``db``.

Also here: the trusted versions of the helpers the notebooks provide (``sigmoid``, ``relu``,
``compute_cost``, ``forward_propagation_n``, ``backward_propagation_n`` with its two planted
mistakes, ``dictionary_to_vector``, ``vector_to_dictionary``, ``gradients_to_vector``) and the
factories that bind helpers to one grading case. The sandbox imports this module by
``"module:qualname"``: it imports numpy and nnkit only.
"""

from __future__ import annotations

import numpy as np

from nnkit import activations, gradcheck, init, losses, network, regularization
from nnkit.activations import ActivationCache
from nnkit.layers import LinearActivationCache, LinearCache
from nnkit.regularization import DropoutCache

ACTIVATIONS = ("relu", "relu", "sigmoid")
#: the parameter shapes of the gradient-checking notebook's network, [4, 5, 3, 1]
NOTEBOOK_SHAPES = (("W1", (5, 4)), ("b1", (5, 1)), ("W2", (3, 5)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1)))
GRAD_KEYS = ("dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1")
REQUIRED_GRADS = ("dW1", "db1", "dW2", "db2", "dW3", "db3")
_RELU_BACKWARD = activations.get_activation("relu")[1]


# ----------------------------------------------------------------------------- helpers the notebooks provide
def sigmoid(x):
    """``1 / (1 + exp(-x))`` elementwise; x: number or ndarray of any shape."""
    return activations.sigmoid(x)


def relu(x):
    """``max(0, x)`` elementwise; x: ndarray of any shape."""
    return activations.relu(x)


def compute_cost(a3, Y):
    """Cross-entropy cost, a float; a3 and Y of shape (1, m)."""
    return losses.binary_cross_entropy(a3, Y)[0]


def _params(parameters) -> dict:
    return {k: np.asarray(parameters[k], dtype=float) for k in ("W1", "b1", "W2", "b2", "W3", "b3")}


def forward_3layer(X, parameters, keep_prob=None, rng=None):
    """``(A3, cache)``: the 3-layer forward pass of ``X`` (n_x, m). ``keep_prob`` None: no dropout and the
    notebooks' 12-entry cache; a number: inverted dropout on layers 1 and 2 (masks drawn from ``rng``
    when ``keep_prob < 1``, all ones when it is 1) and the 14-entry cache, masks ``D1`` (n_1, m) and
    ``D2`` (n_2, m) as 0./1. floats, ``A1`` and ``A2`` after dropout."""
    kp = 1.0 if keep_prob is None else keep_prob
    A3, cache = network.model_forward(X, _params(parameters), ACTIVATIONS, keep_prob=kp,
                                      rng=rng if kp < 1.0 else None)
    out = []
    for l, ((linear, act), drop) in enumerate(zip(cache.layers, cache.dropout), start=1):
        if keep_prob is None or l == 3:
            out += [act.Z, act.A, linear.W, linear.b]
        else:
            mask = np.ones_like(act.A) if drop is None else drop.mask
            out += [act.Z, mask, act.A * mask / kp, linear.W, linear.b]
    return A3, tuple(out)


def _network_cache(X, cache, keep_prob=None):
    """The notebooks' cache tuple as nnkit's NetworkCache (``keep_prob`` given: the 14-entry dropout form)."""
    if keep_prob is None:
        Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
        drops = (None, None, None)
        seen = (A1, A2)
    else:
        Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
        D1, D2 = np.asarray(D1, dtype=float), np.asarray(D2, dtype=float)
        drops = (DropoutCache(D1, keep_prob), DropoutCache(D2, keep_prob), None)
        seen = (A1, A2)
    X, Z1, Z2, Z3, A3 = (np.asarray(a, dtype=float) for a in (X, Z1, Z2, Z3, A3))
    layers = []  # A before dropout is relu(Z); the output layer keeps the cache's A3 (dZ3 = A3 - Y)
    for A_prev, W, b, Z, A in ((X, W1, b1, Z1, relu(Z1)), (seen[0], W2, b2, Z2, relu(Z2)), (seen[1], W3, b3, Z3, A3)):
        layers.append(LinearActivationCache(LinearCache(np.asarray(A_prev, dtype=float), np.asarray(W, dtype=float),
                                                        np.asarray(b, dtype=float)), ActivationCache(Z, A)))
    return network.NetworkCache(tuple(layers), drops, ACTIVATIONS)


def _classic_grads(X, Y, cache, lambd=0.0, keep_prob=None) -> dict:
    """The notebooks' gradient dict (``GRAD_KEYS``) from nnkit's backward pass."""
    net = _network_cache(X, cache, keep_prob)
    A3 = net.layers[-1].activation.A
    g = network.model_backward(A3, np.asarray(Y, dtype=float), net, "binary_cross_entropy", lambd=lambd)
    dA2, dA1 = g["dA2"], g["dA1"]  # per example, before the mask of that layer
    if keep_prob is not None:  # the mask and scaling of the forward pass, as the notebook's dA1 and dA2 carry them
        dA2 = dA2 * net.dropout[1].mask / keep_prob
        dA1 = dA1 * net.dropout[0].mask / keep_prob
    out = {"dZ3": A3 - Y, "dW3": g["dW3"], "db3": g["db3"], "dA2": dA2,
           "dZ2": _RELU_BACKWARD(dA2, net.layers[1].activation), "dW2": g["dW2"], "db2": g["db2"], "dA1": dA1,
           "dZ1": _RELU_BACKWARD(dA1, net.layers[0].activation), "dW1": g["dW1"], "db1": g["db1"]}
    return {k: out[k] for k in GRAD_KEYS}


def forward_propagation_n(X, Y, parameters):
    """``(cost, cache)`` of the 3-layer network on ``X`` (n_x, m) with labels ``Y`` (1, m); the cache is the
    notebooks' 12-entry tuple."""
    A3, cache = forward_3layer(X, parameters)
    return compute_cost(A3, Y), cache


def backward_propagation_n(X, Y, cache):
    """The gradient-checking notebook's backward pass, WITH its two planted mistakes: ``db2`` lacks
    the ``1/m`` (m times too large), and ``dZ1`` uses ``A1 >= 0`` as ReLU's derivative (1 everywhere,
    so ``dW1`` and ``db1`` are wrong wherever ``Z1 < 0``). Keys ``GRAD_KEYS``."""
    g = _classic_grads(X, Y, cache)
    m = np.shape(X)[1]
    g["db2"] = g["db2"] * m
    g["dZ1"] = g["dA1"]
    g["dW1"] = g["dZ1"] @ np.asarray(X, dtype=float).T / m
    g["db1"] = np.sum(g["dZ1"], axis=1, keepdims=True) / m
    return g


def backward_propagation_n_fixed(X, Y, cache):
    """The same backward pass with the two mistakes fixed (the notebook's answer to section 4)."""
    return _classic_grads(X, Y, cache)


def dictionary_to_vector(parameters):
    """``(theta of shape (n, 1), keys)``: W1, b1, W2, b2, W3, b3 flattened in that order; ``keys[i]``
    names the parameter of entry ``i``."""
    theta, spec = gradcheck.params_to_vector(_params(parameters))
    keys = [key for key, _, start, stop in spec.entries for _ in range(stop - start)]
    return theta, keys


def make_vector_to_dictionary(shapes):
    """A ``vector_to_dictionary(theta)`` for the parameter ``shapes`` (pairs ``(key, (rows, cols))`` in
    the order W1, b1, W2, b2, W3, b3): the case-specific version bound while grading."""
    entries, start = [], 0
    for key, shape in shapes:
        shape = tuple(int(s) for s in shape)
        size = int(np.prod(shape))
        entries.append((str(key), shape, start, start + size))
        start += size
    spec = gradcheck.ParamSpec(tuple(entries))

    def vector_to_dictionary(theta):
        """theta of shape (n, 1) -> parameters dict with the shapes of this case."""
        return gradcheck.vector_to_params(theta, spec)

    return vector_to_dictionary


#: the notebook's vector_to_dictionary, for the shapes of its network
vector_to_dictionary = make_vector_to_dictionary(NOTEBOOK_SHAPES)


def gradients_to_vector(gradients):
    """``(n, 1)``: dW1, db1, dW2, db2, dW3, db3 flattened in that order (other keys ignored)."""
    return np.concatenate([np.asarray(gradients[k], dtype=float).reshape(-1, 1) for k in REQUIRED_GRADS])


# ----------------------------------------------------------------------------- initialization
def initialize_parameters_zeros(layers_dims):
    """``W[l] = 0`` of shape (n_l, n_{l-1}) and ``b[l] = 0`` of shape (n_l, 1)."""
    return init.initialize_parameters(list(layers_dims), "zeros")


def initialize_parameters_random(layers_dims, rng=None):
    """``W[l] ~ N(0, 1) * 10``, ``b[l] = 0``; ``rng`` a Generator (None: ``np.random.default_rng()``)."""
    rng = np.random.default_rng() if rng is None else rng
    return init.initialize_parameters(list(layers_dims), "random", rng=rng, scale=10.0)


def initialize_parameters_he(layers_dims, rng=None):
    """``W[l] ~ N(0, 1) * sqrt(2 / n_{l-1})``, ``b[l] = 0``; ``rng`` as above."""
    rng = np.random.default_rng() if rng is None else rng
    return init.initialize_parameters(list(layers_dims), "he", rng=rng)


# ----------------------------------------------------------------------------- regularization
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """Cross-entropy plus ``lambd / (2m) * sum_l ||W[l]||_F^2`` (biases not penalized); a float."""
    m = np.shape(Y)[1]
    return compute_cost(A3, Y) + regularization.l2_cost(_params(parameters), m, lambd)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """The notebooks' gradients (``GRAD_KEYS``) of the L2-regularized cost: ``dW[l] += lambd / m * W[l]``."""
    return _classic_grads(X, Y, cache, lambd=lambd)


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, rng=None):
    """``(A3, cache)`` with inverted dropout on layers 1 and 2: ``D = rng.random(A.shape) < keep_prob``,
    ``A = A * D / keep_prob``; the 14-entry cache. ``rng`` as in the initializers."""
    rng = np.random.default_rng() if rng is None else rng
    return forward_3layer(X, parameters, keep_prob=keep_prob, rng=rng)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """The notebooks' gradients (``GRAD_KEYS``) with the forward pass's masks: ``dA = dA * D / keep_prob``."""
    return _classic_grads(X, Y, cache, keep_prob=keep_prob)


# ----------------------------------------------------------------------------- gradient checking
def forward_propagation(x, theta):
    """The 1-D "network": ``J(theta) = theta * x``."""
    return theta * x


def backward_propagation(x, theta):
    """``dJ/dtheta = x``."""
    return x


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    """Relative difference between ``backward_propagation(x, theta)`` and the two-sided difference of
    ``forward_propagation`` (the module-level names: while grading, a case may bind other versions)."""
    difference = gradcheck.gradient_check_1d(lambda t: forward_propagation(x, t), lambda t: backward_propagation(x, t),
                                             theta, epsilon)
    if print_msg:
        print(_verdict(difference))
    return difference


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Relative difference between ``gradients`` (dW1, db1, ... of the 3-layer network) and the
    two-sided differences of ``forward_propagation_n``'s cost, parameter by parameter."""
    grads = {k: np.asarray(gradients[k], dtype=float) for k in REQUIRED_GRADS}
    difference = gradcheck.gradient_check_n(lambda p: forward_propagation_n(X, Y, p)[0], _params(parameters), grads,
                                            epsilon)
    if print_msg:
        print(_verdict(difference))
    return difference


def _verdict(difference: float) -> str:
    if difference > 2e-7:
        return f"There is a mistake in the backward propagation! difference = {difference}"
    return f"The backward propagation is right. difference = {difference}"


# ----------------------------------------------------------------------------- the 1-D check as graded
def cubic_forward(power: float = 3.0):
    """A nonlinear 1-D cost for grading ``gradient_check``: ``J(theta) = x * theta ** power``."""
    def forward_propagation(x, theta):
        return x * theta ** power
    return forward_propagation


def scaled_backward(factor: float = 1.0, power: float = 1.0, shift: float = 0.0):
    """A 1-D gradient for grading ``gradient_check``: ``factor * d/dtheta (x theta^power) + shift``
    (right with factor 1 and shift 0; wrong otherwise)."""
    def backward_propagation(x, theta):
        return factor * power * x * theta ** (power - 1.0) + shift
    return backward_propagation


#: The grading cases of ``gradient_check`` whose helpers are not the notebook's, by ``(x, theta)``:
#: ``(cubic_forward args or None, scaled_backward args or None)``. The cases bind these helpers in
#: the sandbox (``Case.bind``); the reference as graded and the known mistakes pick the same ones
#: from the arguments alone, with :func:`helpers_for`.
GRADED_1D_HELPERS = {
    (2.5, -0.7): (None, (1.5, 1.0, 0.0)),         # a gradient 1.5 times too large
    (-1.2, 3.1): (None, (1.0, 1.0, 0.3)),         # a gradient off by 0.3
    (0.8, 1.5): ((3.0,), (1.0, 3.0, 0.0)),        # J = x theta^3 and its right gradient
    (2.0, -1.3): ((3.0,), (1.0, 3.0, 0.0)),
    (1.7, 0.9): ((3.0,), (2.0, 3.0, 0.0)),        # J = x theta^3, a gradient twice too large
    (1.4, 2.2): (None, (-0.5, 1.0, 0.0)),         # the wrong sign: ||grad + gradapprox|| differs
}


def helpers_for(x, theta):
    """``(forward_propagation, backward_propagation)`` of the grading case with these arguments."""
    forward, backward = GRADED_1D_HELPERS.get((x, theta), (None, None))
    return (cubic_forward(*forward) if forward else forward_propagation,
            scaled_backward(*backward) if backward else backward_propagation)


def gradient_check_as_graded(x, theta, epsilon=1e-7, print_msg=False):
    """:func:`gradient_check` with the helpers its grading case binds (:func:`helpers_for`)."""
    forward, backward = helpers_for(x, theta)
    return gradcheck.gradient_check_1d(lambda t: forward(x, t), lambda t: backward(x, t), theta, epsilon)
