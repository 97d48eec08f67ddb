"""Assignment 2's reference functions, with the notebooks' exact signatures: thin adapters over nnkit.

The maths lives in nnkit: :mod:`nnkit.init` (the initializers), :mod:`nnkit.network` (forward with
caches, cost, backward of a whole network), :mod:`nnkit.layers` (one layer's forward/backward
pairs), :mod:`nnkit.losses`, :mod:`nnkit.optim` (the gradient-descent step) and :mod:`nnkit.train`
(the training loop). The adapters only translate between the notebooks' containers and nnkit's:

- the 2-layer network of ``planar_classification.ipynb`` keeps its forward values in a dict
  ``cache = {"Z1", "A1", "Z2", "A2"}``; nnkit keeps a ``NetworkCache`` of per-layer caches;
- the L-layer network of ``deep_network.ipynb`` keeps one plain tuple per layer,
  ``((A_prev, W, b), Z)``: the linear cache and the activation's input ``Z`` only; nnkit's
  activation cache also holds ``A = g(Z)``, recomputed here when a backward pass needs it.

Shapes (examples are columns): ``X (n_x, m)``, ``Y (1, m)`` of 0/1, ``W[l] (n_l, n_{l-1})``,
``b[l] (n_l, 1)``. Functions that draw random numbers take ``rng`` (a ``numpy.random.Generator``,
or an int seed; ``None`` means ``np.random.default_rng()``) and never use numpy's global random
state. Nothing is modified in place: every dict and array returned is new.

This module is imported inside the grading sandbox by ``"module:qualname"``: it imports only numpy
and nnkit.
"""

from __future__ import annotations

import numpy as np

from nnkit import init, layers, losses, network, optim
from nnkit._checks import as_array, check_bool, check_choice, check_int, check_positive
from nnkit.activations import ActivationCache, get_activation
from nnkit.train import train

__all__ = [
    "N_H", "PLANAR_ACTIVATIONS", "DEEP_ACTIVATIONS",
    "layer_sizes", "initialize_parameters", "forward_propagation", "compute_cost", "backward_propagation",
    "update_parameters", "nn_model", "train_planar", "predict",
    "initialize_parameters_deep", "linear_forward", "linear_activation_forward", "L_model_forward",
    "linear_backward", "linear_activation_backward", "L_model_backward",
]

#: the hidden size ``layer_sizes`` reports (``nn_model`` takes its own ``n_h``)
N_H = 4
#: the 2-layer network: a tanh hidden layer, a sigmoid output
PLANAR_ACTIVATIONS = ("tanh", "sigmoid")
#: the activations ``linear_activation_forward`` / ``_backward`` accept
DEEP_ACTIVATIONS = ("sigmoid", "relu", "tanh")
_PLANAR_KEYS = ("W1", "b1", "W2", "b2")


def _rng(rng):
    """The generator to draw from: ``rng`` itself (or a seed), a fresh one for ``None``."""
    return np.random.default_rng() if rng is None else rng


def _planar(parameters) -> dict:
    """The four parameters of the 2-layer network (a ``KeyError`` naming the missing one)."""
    missing = [k for k in _PLANAR_KEYS if k not in parameters]
    if missing:
        raise KeyError(f"parameters must hold {list(_PLANAR_KEYS)}; missing {missing}.")
    return {k: parameters[k] for k in _PLANAR_KEYS}


# ============================================================================ planar_classification
def layer_sizes(X, Y) -> tuple[int, int, int]:
    """The sizes of the 2-layer network for this data: ``(n_x, n_h, n_y)`` with ``n_h = 4``.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (n_y, m)

    Returns
    -------
    (n_x, n_h, n_y) : three ints, the rows of X, 4, the rows of Y
    """
    X, Y = as_array("X", X), as_array("Y", Y)
    return int(X.shape[0]), N_H, int(Y.shape[0])


def initialize_parameters(n_x: int, n_h: int, n_y: int, rng=None) -> dict:
    """``W1 (n_h, n_x)``, ``W2 (n_y, n_h)`` drawn from ``N(0, 0.01^2)``; ``b1 (n_h, 1)``, ``b2 (n_y, 1)`` zeros.

    Small random weights break the symmetry between hidden units (seed 004's ``Normal(0, 0.01^2)``),
    and keep tanh and sigmoid in their steep middle part at the start.
    """
    dims = [check_int(name, n, minimum=1) for name, n in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y))]
    return init.initialize_parameters(dims, "small_gaussian", rng=_rng(rng))


def forward_propagation(X, parameters):
    """``Z1 = W1 X + b1``, ``A1 = tanh(Z1)``, ``Z2 = W2 A1 + b2``, ``A2 = sigmoid(Z2)``.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    parameters : dict ``W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1)``

    Returns
    -------
    A2 : ndarray of shape (n_y, m)
    cache : dict ``Z1, A1 (n_h, m)``, ``Z2, A2 (n_y, m)``
    """
    A2, cache = network.model_forward(X, _planar(parameters), PLANAR_ACTIVATIONS)
    (_, (Z1, A1)), (_, (Z2, _)) = cache.layers
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y) -> float:
    """The cross-entropy averaged over the m examples,
    ``J = -1/m sum(Y log A2 + (1 - Y) log(1 - A2))``, as a Python float.

    Parameters
    ----------
    A2 : ndarray of shape (1, m), probabilities
    Y : ndarray of shape (1, m), labels 0/1
    """
    return losses.binary_cross_entropy(A2, Y)[0]


def _network_cache(X, parameters, cache) -> network.NetworkCache:
    """The planar dict cache as nnkit's NetworkCache (the arrays themselves, no copies)."""
    p = _planar(parameters)
    missing = [k for k in ("Z1", "A1", "Z2", "A2") if k not in cache]
    if missing:
        raise KeyError(f"cache must hold 'Z1', 'A1', 'Z2', 'A2' (from forward_propagation); missing {missing}.")
    X = as_array("X", X)
    return network.NetworkCache(
        (layers.LinearActivationCache(layers.LinearCache(X, p["W1"], p["b1"]), ActivationCache(cache["Z1"], cache["A1"])),
         layers.LinearActivationCache(layers.LinearCache(cache["A1"], p["W2"], p["b2"]),
                                      ActivationCache(cache["Z2"], cache["A2"]))),
        (None, None), PLANAR_ACTIVATIONS)


def backward_propagation(parameters, cache, X, Y) -> dict:
    """Gradients of the cross-entropy cost of the 2-layer network.

    ``dZ2 = A2 - Y``, ``dW2 = 1/m dZ2 A1^T``, ``db2 = 1/m sum(dZ2, axis=1, keepdims=True)``,
    ``dZ1 = W2^T dZ2 * (1 - A1^2)`` (with the cache's ``A1``: ``tanh' = 1 - tanh^2``),
    ``dW1 = 1/m dZ1 X^T``, ``db1 = 1/m sum(dZ1, axis=1, keepdims=True)``.

    Parameters
    ----------
    parameters : dict ``W1 (n_h, n_x), b1, W2 (n_y, n_h), b2``
    cache : dict from :func:`forward_propagation`
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (n_y, m)

    Returns
    -------
    grads : dict ``dW1 (n_h, n_x), db1 (n_h, 1), dW2 (n_y, n_h), db2 (n_y, 1)``
    """
    nc = _network_cache(X, parameters, cache)
    grads = network.model_backward(cache["A2"], Y, nc, "binary_cross_entropy")
    return {k: grads[k] for k in ("dW1", "db1", "dW2", "db2")}


def update_parameters(parameters, grads, learning_rate: float = 1.2) -> dict:
    """One step of gradient descent, ``theta = theta - learning_rate * d theta`` for every parameter.

    Parameters
    ----------
    parameters : dict ``W1, b1, ...`` (not modified)
    grads : dict ``dW1, db1, ...``, each of its parameter's shape
    learning_rate : float > 0

    Returns
    -------
    dict : new parameters, the same keys and shapes
    """
    sgd = optim.sgd(learning_rate=learning_rate)
    updates, _ = sgd.update(grads, sgd.init(parameters))
    return optim.apply_updates(parameters, updates)


def train_planar(X, Y, parameters: dict, num_iterations: int, learning_rate: float, print_cost: bool = False) -> dict:
    """Full-batch gradient descent of the 2-layer network from ``parameters`` (nnkit's training loop):
    the loop of :func:`nn_model` once the parameters are initialized. Returns the new parameters."""
    num_iterations = check_int("num_iterations", num_iterations, minimum=1)
    check_positive("learning_rate", learning_rate)
    check_bool("print_cost", print_cost)
    X = as_array("X", X)
    dims = [X.shape[0], parameters["W1"].shape[0], parameters["W2"].shape[0]]
    result = train(X, Y, dims, params=_planar(parameters), activations=PLANAR_ACTIVATIONS, optimizer="sgd",
                   learning_rate=learning_rate, num_epochs=num_iterations, record_every=1000, rng=0)
    if print_cost:
        for epoch, cost in zip(result.history.epochs, result.history.costs):
            if epoch % 1000 == 0:
                print(f"Cost after iteration {epoch}: {cost:f}")
    return result.params


def nn_model(X, Y, n_h: int, num_iterations: int = 10000, learning_rate: float = 1.2, print_cost: bool = False,
             rng=None) -> dict:
    """Train the 2-layer network: sizes from :func:`layer_sizes` (with the given ``n_h``), parameters
    from :func:`initialize_parameters` (``rng``), then ``num_iterations`` steps of gradient descent
    (forward, cost, backward, update). Prints the cost every 1000 iterations if ``print_cost``.

    Returns
    -------
    parameters : dict ``W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1)``
    """
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y, rng)
    return train_planar(X, Y, parameters, num_iterations, learning_rate, print_cost)


def predict(parameters, X) -> np.ndarray:
    """Labels of shape ``(1, m)``: 1. where ``A2 > 0.5``, else 0.

    Parameters
    ----------
    parameters : dict ``W1, b1, W2, b2``
    X : ndarray of shape (n_x, m)
    """
    return network.predict(X, _planar(parameters), PLANAR_ACTIVATIONS)


# ============================================================================ deep_network
def initialize_parameters_deep(layer_dims, rng=None) -> dict:
    """``W[l] ~ N(0, 1) / sqrt(n_{l-1})`` of shape ``(n_l, n_{l-1})`` and ``b[l] = 0`` of shape ``(n_l, 1)``,
    for ``l = 1 .. L`` with ``layer_dims = [n_x, n_1, ..., n_L]``."""
    return init.initialize_parameters(layer_dims, "xavier", rng=_rng(rng))


def linear_forward(A, W, b):
    """``Z = W A + b``; returns ``(Z (n_l, m), cache = (A, W, b))``.

    Parameters
    ----------
    A : ndarray of shape (n_{l-1}, m)
    W : ndarray of shape (n_l, n_{l-1})
    b : ndarray of shape (n_l, 1)
    """
    Z, cache = layers.linear_forward(A, W, b)
    return Z, tuple(cache)


def linear_activation_forward(A_prev, W, b, activation: str):
    """``A = g(W A_prev + b)`` for ``activation`` in ``{"sigmoid", "relu", "tanh"}``.

    Returns
    -------
    A : ndarray of shape (n_l, m)
    cache : ``(linear_cache, Z)`` with ``linear_cache = (A_prev, W, b)`` and ``Z (n_l, m)``
    """
    check_choice("activation", activation, DEEP_ACTIVATIONS)
    A, cache = layers.linear_activation_forward(A_prev, W, b, activation)
    return A, (tuple(cache.linear), cache.activation.Z)


def _hidden_and_output(L: int) -> list[str]:
    return ["relu"] * (L - 1) + ["sigmoid"]


def L_model_forward(X, parameters):
    """ReLU for layers ``1 .. L-1``, sigmoid for layer ``L``, keeping every layer's cache.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    parameters : dict ``W1, b1, ..., WL, bL``

    Returns
    -------
    AL : ndarray of shape (n_L, m)
    caches : list of L caches ``((A_prev, W, b), Z)``, layer 1 first
    """
    L = network.num_layers(parameters)
    AL, cache = network.model_forward(X, parameters, _hidden_and_output(L))
    return AL, [(tuple(c.linear), c.activation.Z) for c in cache.layers]


def linear_backward(dZ, cache):
    """Backward of ``Z = W A_prev + b`` with the average over the m examples.

    Parameters
    ----------
    dZ : ndarray of shape (n_l, m)
    cache : ``(A_prev, W, b)`` from :func:`linear_forward`

    Returns
    -------
    dA_prev : ndarray of shape (n_{l-1}, m), ``W^T dZ``
    dW : ndarray of shape (n_l, n_{l-1}), ``1/m dZ A_prev^T``
    db : ndarray of shape (n_l, 1), ``1/m sum(dZ, axis=1, keepdims=True)``
    """
    return tuple(layers.linear_backward(dZ, layers.LinearCache(*cache)))


def _layer_cache(cache, activation: str) -> layers.LinearActivationCache:
    """The notebook's ``((A_prev, W, b), Z)`` as nnkit's cache, with ``A = g(Z)`` recomputed."""
    linear_cache, Z = cache
    forward, _ = get_activation(activation)
    _, activation_cache = forward(as_array("Z", Z))
    return layers.LinearActivationCache(layers.LinearCache(*linear_cache), activation_cache)


def linear_activation_backward(dA, cache, activation: str):
    """``dZ = dA * g'(Z)`` (``sigmoid' = s (1 - s)``, ``relu' = 1[Z > 0]``, ``tanh' = 1 - tanh^2``),
    then :func:`linear_backward`.

    Parameters
    ----------
    dA : ndarray of shape (n_l, m)
    cache : ``(linear_cache, Z)`` from :func:`linear_activation_forward`
    activation : the name used in the forward pass

    Returns
    -------
    dA_prev (n_{l-1}, m), dW (n_l, n_{l-1}), db (n_l, 1)
    """
    check_choice("activation", activation, DEEP_ACTIVATIONS)
    return tuple(layers.linear_activation_backward(dA, _layer_cache(cache, activation), activation))


def L_model_backward(AL, Y, caches) -> dict:
    """Gradients of the cross-entropy of the L-layer network, from ``dAL = -(Y/AL - (1-Y)/(1-AL))``
    through the sigmoid layer ``L`` and the ReLU layers ``L-1 .. 1``.

    Parameters
    ----------
    AL : ndarray of shape (1, m), the output of :func:`L_model_forward`
    Y : ndarray of shape (1, m), labels 0/1
    caches : the list of :func:`L_model_forward`

    Returns
    -------
    grads : dict ``dA{l-1}`` (n_{l-1}, m), ``dW{l}`` (n_l, n_{l-1}), ``db{l}`` (n_l, 1) for l = 1 .. L
    """
    acts = _hidden_and_output(len(caches))
    nc = network.NetworkCache(tuple(_layer_cache(c, a) for c, a in zip(caches, acts)), (None,) * len(caches),
                              tuple(acts))
    return network.model_backward(AL, Y, nc, "binary_cross_entropy")
