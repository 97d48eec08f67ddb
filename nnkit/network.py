"""A whole L-layer network: forward with caches, cost, backward, prediction.

Parameters are a dict ``{"W1": (n_1, n_0), "b1": (n_1, 1), ..., "WL": (n_L, n_{L-1}), "bL": (n_L, 1)}``
and gradients use the same keys prefixed with ``d``. ``activations`` names one activation per
layer (``len == L``), e.g. ``["relu", "relu", "sigmoid"]``. The three steps of backpropagation:

1. forward, keeping a cache per layer: ``Z[l] = W[l] A[l-1] + b[l]``, ``A[l] = g[l](Z[l])``;
2. backward, from ``dA[L]`` (or directly ``dZ[L] = A[L] - Y`` for sigmoid + binary cross-entropy
   and softmax + categorical cross-entropy) down to layer 1:
   ``dZ[l] = dA[l] * g'[l](Z[l])``, ``dW[l] = 1/m dZ[l] A[l-1]^T``, ``db[l] = 1/m sum(dZ[l])``,
   ``dA[l-1] = W[l]^T dZ[l]``;
3. the update, done by an optimizer (:mod:`nnkit.optim`).

Optional: L2 (``lambd``, both conventions) and inverted dropout on the hidden layers
(``keep_prob``, with an ``rng`` or fixed ``masks``). Dropout is never applied to the input or the
output layer, and never at prediction time.
"""

from __future__ import annotations

import functools
import numbers
from typing import Callable, Iterable, Mapping, NamedTuple, Sequence

import numpy as np

from nnkit._checks import (
    as_array,
    as_rng,
    check_binary,
    check_bool,
    check_choice,
    check_int,
    check_number,
    check_probabilities,
    check_positive,
    check_probability,
    check_shape,
)
from nnkit.activations import _BACKWARD, _FUNCTIONS, ACTIVATIONS, ActivationCache
from nnkit.layers import LinearActivationCache, LinearCache
from nnkit.losses import FUSED_OUTPUTS, LOSSES, PROBABILITY_HINT
from nnkit.metrics import predict_labels
from nnkit.regularization import DropoutCache

__all__ = [
    "NetworkCache",
    "num_layers",
    "validate_network",
    "model_forward",
    "model_cost",
    "model_backward",
    "predict",
]


class NetworkCache(NamedTuple):
    """Per-layer caches of a forward pass: ``layers[l-1]`` for layer ``l``, ``dropout[l-1]`` its
    dropout cache (``None`` where no dropout was applied), and the activation names used."""

    layers: tuple[LinearActivationCache, ...]
    dropout: tuple[DropoutCache | None, ...]
    activations: tuple[str, ...]


# ----------------------------------------------------------------------------- the internal passes
# ``model_forward`` and ``model_backward`` exchange a NetworkCache made of the layer functions'
# caches: per layer a LinearActivationCache, itself a LinearCache and an ActivationCache. The
# unchecked passes below (``_forward``, ``_backward``), which the training loop calls once per
# step, keep the same arrays in one LayerCache per layer instead, and look up the parameter keys
# and activation functions of every layer once per network (``_plan``): on the course's small
# networks a step's arithmetic takes a few microseconds per layer, so building three or four
# small tuples and key strings per layer and step is a cost that shows. The public functions
# convert between the two forms (``_public_cache``, ``_layer_caches``); the numbers are the same.


class LayerCache(NamedTuple):
    """What the forward pass keeps of one layer for the backward pass, in one tuple: the fields of
    :class:`~nnkit.layers.LinearCache` (``A_prev, W, b``) and of
    :class:`~nnkit.activations.ActivationCache` (``Z, A``, before dropout), and the layer's
    :class:`~nnkit.regularization.DropoutCache` (``None`` without dropout). The activations'
    unchecked backward functions (``nnkit.activations._BACKWARD``) read ``cache.Z`` or ``cache.A``
    by name, so they take it as it is."""

    A_prev: np.ndarray
    W: np.ndarray
    b: np.ndarray
    Z: np.ndarray
    A: np.ndarray
    dropout: DropoutCache | None


class _Layer(NamedTuple):
    """Layer ``l`` as the internal passes use it: its dict keys and its activation's functions."""

    W: str  # "W{l}"
    b: str  # "b{l}"
    dW: str  # "dW{l}"
    db: str  # "db{l}"
    dA_prev: str  # "dA{l-1}"
    activation: str  # the activation's name
    g: Callable  # A = g(Z)
    g_backward: Callable  # dZ = g_backward(dA, cache)


@functools.lru_cache(maxsize=64)
def _plan(acts: tuple[str, ...]) -> tuple[_Layer, ...]:
    """The per-layer keys and activation functions of a network with these activation names,
    built once (cached): the passes then do no string formatting and no name lookup per step."""
    return tuple(
        _Layer(f"W{l}", f"b{l}", f"dW{l}", f"db{l}", f"dA{l - 1}", name, _FUNCTIONS[name], _BACKWARD[name])
        for l, name in enumerate(acts, start=1)
    )


def _public_cache(caches: Sequence[LayerCache], acts: tuple[str, ...]) -> NetworkCache:
    """The NetworkCache of ``model_forward``: each LayerCache as the layer functions' caches."""
    return NetworkCache(
        tuple(LinearActivationCache(LinearCache(c.A_prev, c.W, c.b), ActivationCache(c.Z, c.A)) for c in caches),
        tuple(c.dropout for c in caches),
        acts,
    )


def _layer_caches(cache: NetworkCache) -> list[LayerCache]:
    """The other way: a NetworkCache's ``(linear_cache, activation_cache)`` pairs as LayerCaches."""
    return [LayerCache(*linear, *activation, dropout)
            for (linear, activation), dropout in zip(cache.layers, cache.dropout)]


def num_layers(params: Mapping[str, np.ndarray]) -> int:
    """``L``, the number of layers with parameters (``W1 .. WL``): the largest layer number, so that
    a missing ``W2`` among ``W1, W3`` is reported as missing rather than miscounted."""
    return max((int(k[1:]) for k in params if k[:1] in ("W", "b") and k[1:].isdigit()), default=0)


def validate_network(params, activations, X=None) -> tuple[int, tuple[str, ...]]:
    """Check a parameter dict, the activation names and (optionally) the input; return ``(L, acts)``.

    Raises a ``ValueError`` naming the first inconsistency: a missing ``W``/``b``, a ``W[l]``
    whose columns do not match ``W[l-1]``'s rows, a ``b[l]`` that is not ``(n_l, 1)``, the wrong
    number of activation names, an unknown name, or an ``X`` with the wrong number of rows.
    """
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict like {{'W1': ..., 'b1': ...}}, got {type(params).__name__}.")
    L = num_layers(params)
    if L == 0:
        raise ValueError(f"params has no weights 'W1', 'W2', ...; its keys are {sorted(params)}.")
    if isinstance(activations, str):
        raise TypeError(
            f"activations must list one name per layer (L = {L}), e.g. {['relu'] * (L - 1) + ['sigmoid']}, "
            f"got the single string {activations!r}."
        )
    acts = tuple(activations)
    if len(acts) != L:
        raise ValueError(f"activations has {len(acts)} names but the network has L = {L} layers; give one per layer.")
    for a in acts:
        check_choice("activation", a, ACTIVATIONS)
    n_prev = None
    for l in range(1, L + 1):
        for key in (f"W{l}", f"b{l}"):
            if key not in params:
                raise ValueError(f"params is missing {key!r} (layers 1..{L} each need W and b).")
        W = as_array(f"W{l}", params[f"W{l}"])
        if n_prev is not None:
            check_shape(f"W{l}", W, [None, (n_prev, f"n_{l - 1}")],
                        hint=f"W{l}'s columns must equal W{l - 1}'s rows.")
        check_shape(f"b{l}", as_array(f"b{l}", params[f"b{l}"]), [(W.shape[0], f"n_{l}"), 1])
        n_prev = W.shape[0]
    if X is not None:
        check_shape("X", X, [(params["W1"].shape[1], "n_x"), None],
                    hint=f"X must be (n_x, m) with n_x = {params['W1'].shape[1]} (the columns of W1).")
    return L, acts


def _check_keep_prob(keep_prob) -> float | tuple[float, ...]:
    """A keep probability in (0, 1], or a tuple of them (one per hidden layer, counted by the caller)."""
    if isinstance(keep_prob, numbers.Real):  # bools included: check_probability refuses them
        return check_probability("keep_prob", keep_prob)
    if isinstance(keep_prob, (str, bytes)) or not isinstance(keep_prob, Iterable):
        raise TypeError(f"keep_prob must be a number in (0, 1] or one per hidden layer, "
                        f"got {type(keep_prob).__name__} {keep_prob!r}.")
    return tuple(check_probability(f"keep_prob[{i}]", p) for i, p in enumerate(keep_prob))


def _keep_probs(keep_prob, L: int) -> tuple[float, ...]:
    """One keep probability per hidden layer (``L - 1`` of them) from a float or a sequence."""
    kp = _check_keep_prob(keep_prob)
    if isinstance(kp, float):
        return (kp,) * (L - 1)
    if len(kp) != L - 1:
        raise ValueError(f"keep_prob must be a float or one value per hidden layer ({L - 1}), got {len(kp)}.")
    return kp


def model_forward(X, params, activations: Sequence[str], *, keep_prob=1.0, rng=None, masks=None):
    """Forward pass through all L layers.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    params : dict ``W1 (n_1, n_x), b1 (n_1, 1), ..., WL (n_L, n_{L-1}), bL (n_L, 1)``
    activations : sequence of L activation names, one per layer
    keep_prob : float or sequence of L-1 floats in (0, 1]; 1 means no dropout
    rng : Generator or int seed, to draw dropout masks (needed when keep_prob < 1 and no masks)
    masks : optional dict ``{l: ndarray (n_l, m)}`` of fixed 0/1 dropout masks for hidden layers

    Returns
    -------
    AL : ndarray of shape (n_L, m)
    cache : NetworkCache
    """
    X = as_array("X", X)
    L, acts = validate_network(params, activations, X)
    kps = _keep_probs(keep_prob, L)
    if masks is not None and not isinstance(masks, Mapping):
        raise TypeError(f"masks must be a dict {{l: mask}} keyed by hidden-layer number, got {type(masks).__name__}.")
    if masks and L == 1:
        raise ValueError("masks were given but the network has no hidden layer (L = 1): dropout acts on hidden layers only.")
    given, masks = dict(masks or {}), {}
    for l, mask in given.items():
        l = check_int("masks keys", l, minimum=1, maximum=L - 1)  # hidden layers only
        mask = as_array(f"masks[{l}]", mask)
        check_shape(f"masks[{l}]", mask, [(params[f"W{l}"].shape[0], f"n_{l}"), (X.shape[1], "m")])
        if not np.all((mask == 0) | (mask == 1)):
            raise ValueError(f"masks[{l}] must contain only 0 and 1 (drop or keep), got other values.")
        masks[l] = mask
    needs_rng = any(kp < 1.0 and l + 1 not in masks for l, kp in enumerate(kps))
    if needs_rng and rng is None:
        raise TypeError("model_forward with keep_prob < 1 needs rng (a numpy Generator or an int seed) "
                        "to draw the dropout masks, or fixed masks={l: mask} for every hidden layer.")
    gen = as_rng(rng) if needs_rng else None
    AL, caches = _forward(X, params, _plan(acts), kps, gen, masks)
    return AL, _public_cache(caches, acts)


def _forward(X, params, plan, kps=(), rng=None, masks=None):
    """Unchecked forward pass (see :func:`model_forward`) for the layers of ``plan = _plan(acts)``;
    ``kps`` empty means no dropout. Returns ``AL`` and the list of LayerCache, one per layer."""
    L = len(plan)
    A = X
    caches = []
    for l, layer in enumerate(plan, start=1):
        A_prev, W, b = A, params[layer.W], params[layer.b]
        Z = W @ A_prev + b  # the linear step (nnkit.layers.linear_forward)
        A = layer.g(Z)  # the activation (its *_forward in nnkit.activations)
        dropout = None
        if kps and l < L and kps[l - 1] < 1.0:
            kp = kps[l - 1]
            mask = masks.get(l) if masks else None
            if mask is None:
                mask = (rng.random(A.shape) < kp).astype(float)
            dropout = DropoutCache(mask, kp)
        caches.append(LayerCache(A_prev, W, b, Z, A, dropout))
        if dropout is not None:
            A = A * dropout.mask / dropout.keep_prob  # inverted dropout: what the next layer sees
    return A, caches


def _validate_targets(AL, Y, loss):
    Y = as_array("Y", Y)
    check_choice("loss", loss, LOSSES)
    check_shape("Y", Y, AL.shape, hint="Y must have the output's shape (n_L, m): one column per example.")
    if loss == "binary_cross_entropy":
        check_binary("Y", Y)
    if loss in ("binary_cross_entropy", "categorical_cross_entropy"):
        # a cross-entropy would clip an AL outside [0, 1] and report a near-zero cost
        check_probabilities("AL", AL, hint=PROBABILITY_HINT.replace("pass A", "pass AL"))
    return Y


def _check_cache(cache, AL=None) -> NetworkCache:
    """``cache`` must be model_forward's NetworkCache, and ``AL`` (if given) its output's shape."""
    if not isinstance(cache, NetworkCache):
        raise TypeError(f"cache must be the NetworkCache returned by model_forward, got {type(cache).__name__}.")
    if AL is not None and cache.layers:
        out = cache.layers[-1].activation.A
        check_shape("AL", AL, out.shape,
                    hint="AL and cache must come from the same model_forward call (the cache holds its output).")
    return cache


def _l2_sum(weights) -> float:
    return sum(float(np.sum(np.square(W))) for W in weights)


def model_cost(AL, Y, loss: str, *, cache: NetworkCache | None = None, lambd: float = 0.0,
               divide_by_m: bool = True) -> float:
    """The cost ``J = 1/m sum L(a_i, y_i)`` plus, if ``lambd > 0``, the L2 penalty of the weights
    in ``cache`` (``lambd/(2m)`` or ``lambd/2`` times the sum of squared weights).

    Parameters
    ----------
    AL : ndarray of shape (n_L, m)
    Y : ndarray of shape (n_L, m)
    loss : {"binary_cross_entropy", "categorical_cross_entropy", "squared_error", "half_squared_error"}
    cache : the NetworkCache of the forward pass (needed only when ``lambd > 0``)
    """
    AL = as_array("AL", AL)
    Y = _validate_targets(AL, Y, loss)
    lambd = check_positive("lambd", lambd, allow_zero=True)
    check_bool("divide_by_m", divide_by_m)
    if lambd and cache is None:
        raise ValueError("model_cost needs the forward pass's cache to add the L2 penalty (lambd > 0).")
    if cache is not None:
        _check_cache(cache, AL)
    return _cost(AL, Y, loss, [c.linear.W for c in cache.layers] if cache is not None else (), lambd, divide_by_m)


def _cost(AL, Y, loss, weights=(), lambd=0.0, divide_by_m=True) -> float:
    """Unchecked :func:`model_cost`; ``weights`` are the ``W[l]`` of the forward pass (for L2)."""
    cost = LOSSES[loss](AL, Y)[0]
    if lambd:
        m = Y.shape[1]
        cost += (lambd / (2.0 * m) if divide_by_m else lambd / 2.0) * _l2_sum(weights)
    return cost


def model_backward(AL, Y, cache: NetworkCache, loss: str, *, lambd: float = 0.0,
                   divide_by_m: bool = True) -> dict:
    """Gradients of :func:`model_cost` with respect to every parameter.

    Parameters
    ----------
    AL : ndarray of shape (n_L, m), the output of :func:`model_forward`
    Y : ndarray of shape (n_L, m)
    cache : NetworkCache from the same forward pass (it holds the dropout masks too)
    loss, lambd, divide_by_m : as in :func:`model_cost`

    Returns
    -------
    grads : dict ``dW1 (n_1, n_0), db1 (n_1, 1), ..., dWL, dbL`` (and ``dA0 .. dA{L-1}``, the
        gradients with respect to each layer's input, useful for plots of gradient flow)
    """
    AL = as_array("AL", AL)
    Y = _validate_targets(AL, Y, loss)
    _check_cache(cache, AL)
    lambd = check_positive("lambd", lambd, allow_zero=True)
    check_bool("divide_by_m", divide_by_m)
    return _backward(AL, Y, _layer_caches(cache), _plan(tuple(cache.activations)), loss, lambd, divide_by_m)


def _backward(AL, Y, caches, plan, loss, lambd=0.0, divide_by_m=True, need_dA0=True) -> dict:
    """Unchecked backward pass (see :func:`model_backward`) from the LayerCaches of ``_forward``
    and the same ``plan``. ``need_dA0=False`` is the training step's: it returns only ``dW`` and
    ``db``, not the gradients with respect to each layer's input (``dA``), which it never uses."""
    L = len(caches)
    grads = {}
    m = Y.shape[1]
    inv_m = 1.0 / m
    # The 1/m of ``dW = 1/m dZ A_prev^T`` and ``db = 1/m sum(dZ)`` is applied once, to dZ[L], and
    # carried down: every backward step below is linear in its input gradient, so each dZ[l] then
    # arrives already divided by m. Same numbers (to rounding), two array products fewer per layer.
    if (plan[-1].activation, loss) in FUSED_OUTPUTS:
        dZ = (AL - Y) * inv_m
    else:
        dAL = LOSSES[loss](AL, Y)[1]
        dZ = plan[-1].g_backward(dAL * inv_m, caches[-1])
    l2_scale = (lambd / m if divide_by_m else lambd) if lambd else 0.0
    for l in range(L, 0, -1):
        layer, cache = plan[l - 1], caches[l - 1]
        if l < L:  # dA is dA[l] / m, computed by layer l + 1 in the previous iteration
            if cache.dropout is not None:
                dA = dA * cache.dropout.mask / cache.dropout.keep_prob
            dZ = layer.g_backward(dA, cache)
        # The linear step's backward, as in nnkit.layers.linear_backward (written out here: a call
        # per layer and step costs about as much as one of these small products).
        dW = dZ @ cache.A_prev.T
        db = dZ.sum(axis=1, keepdims=True)
        if l > 1 or need_dA0:
            dA = cache.W.T @ dZ
            if need_dA0:
                grads[layer.dA_prev] = dA * m  # per example, the convention of the public API
        if l2_scale:
            dW = dW + l2_scale * cache.W
        grads[layer.dW] = dW
        grads[layer.db] = db
    return grads


def predict(X, params, activations: Sequence[str], threshold: float = 0.5) -> np.ndarray:
    """Labels for the columns of ``X``: ``(1, m)`` of 0./1. for one output unit (``A > threshold``),
    else the class index of the largest output as a ``(1, m)`` float array. No dropout."""
    X = as_array("X", X)
    _, acts = validate_network(params, activations, X)
    check_number("threshold", threshold)
    # predict_labels refuses a non-finite output (params that diverged) rather than calling it class 0
    return predict_labels(_forward(X, params, _plan(acts))[0], threshold)
