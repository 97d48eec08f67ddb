"""Regularization: the L2 penalty (weight decay) and inverted dropout.

L2 comes in the two conventions of the notes; biases are never penalized:

- ``divide_by_m=True`` (seed 001): ``R = lambda / (2m) * sum_l ||W_l||_F^2``, ``dR/dW_l = lambda/m W_l``;
- ``divide_by_m=False`` (seed 004): ``R = lambda / 2 * sum_l ||W_l||_F^2``, ``dR/dW_l = lambda W_l``.

Inverted dropout keeps each unit with probability ``keep_prob`` and divides the survivors by
``keep_prob``, so the expected activation is unchanged and nothing needs rescaling at test time:
``D = (U < keep_prob)``, ``A_out = A * D / keep_prob``; backward uses the same mask and scaling.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np

from nnkit._checks import as_array, as_rng, check_bool, check_int, check_positive, check_probability, check_shape

__all__ = ["l2_cost", "l2_grads", "DropoutCache", "dropout_forward", "dropout_backward"]


def _weights(params: Mapping[str, np.ndarray]) -> list[str]:
    """The weight keys ``W1 .. WL`` (biases excluded), in layer order."""
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict like {{'W1': ..., 'b1': ...}}, got {type(params).__name__}.")
    keys = [k for k in params if k.startswith("W") and k[1:].isdigit()]
    if not keys:
        raise ValueError(f"params has no weight matrices 'W1', 'W2', ...; its keys are {sorted(params)}.")
    return sorted(keys, key=lambda k: int(k[1:]))


def l2_cost(params: Mapping[str, np.ndarray], m: int, lambd: float, *, divide_by_m: bool = True) -> float:
    """The L2 penalty added to the cost.

    Parameters
    ----------
    params : dict with ``W1 (n_1, n_0), ..., WL (n_L, n_{L-1})`` (biases are ignored)
    m : number of examples in the batch the cost is averaged over
    lambd : regularization strength, >= 0
    divide_by_m : ``lambd/(2m)`` if True (seed 001), ``lambd/2`` if False (seed 004)

    Returns
    -------
    float
    """
    lambd = check_positive("lambd", lambd, allow_zero=True)
    m = check_int("m", m, minimum=1)
    check_bool("divide_by_m", divide_by_m)
    scale = lambd / (2.0 * m) if divide_by_m else lambd / 2.0
    return scale * sum(float(np.sum(np.square(params[k]))) for k in _weights(params))


def l2_grads(params: Mapping[str, np.ndarray], m: int, lambd: float, *, divide_by_m: bool = True) -> dict:
    """The penalty's gradient ``{"dW1": lambd/m * W1, ...}`` (``lambd * W`` if not ``divide_by_m``)."""
    lambd = check_positive("lambd", lambd, allow_zero=True)
    m = check_int("m", m, minimum=1)
    check_bool("divide_by_m", divide_by_m)
    scale = lambd / m if divide_by_m else lambd
    return {"d" + k: scale * params[k] for k in _weights(params)}


class DropoutCache(NamedTuple):
    """The mask ``D`` (same shape as the activations, 0/1 floats) and ``keep_prob``."""

    mask: np.ndarray
    keep_prob: float


def dropout_forward(A, keep_prob: float, *, rng=None, mask=None):
    """Inverted dropout: ``A_out = A * D / keep_prob``.

    Parameters
    ----------
    A : ndarray of shape (n_l, m)
    keep_prob : probability of keeping a unit, in (0, 1]
    rng : numpy Generator or int seed, used to draw ``D = (U < keep_prob)`` when ``mask`` is None
    mask : optional ndarray of shape (n_l, m) of 0/1 values, used as ``D`` (for gradient checks
        and for grading: a fixed mask makes dropout deterministic)

    Returns
    -------
    A_out : ndarray of shape (n_l, m)
    cache : DropoutCache
    """
    A = as_array("A", A)
    keep_prob = check_probability("keep_prob", keep_prob)
    if mask is None:
        if rng is None:
            raise TypeError("dropout_forward needs rng (to draw the mask) or an explicit mask.")
        mask = (as_rng(rng).random(A.shape) < keep_prob).astype(float)
    else:
        mask = as_array("mask", mask)
        check_shape("mask", mask, A.shape, hint="The mask needs one entry per activation.")
        if not np.all((mask == 0) | (mask == 1)):
            raise ValueError("mask must contain only 0 and 1 (keep or drop), got other values.")
    return A * mask / keep_prob, DropoutCache(mask, keep_prob)


def dropout_backward(dA_out, cache: DropoutCache) -> np.ndarray:
    """``dA = dA_out * D / keep_prob``: gradients flow only through the kept units.

    Parameters
    ----------
    dA_out : ndarray of shape (n_l, m), the gradient with respect to the dropout's output
    cache : DropoutCache from :func:`dropout_forward` (the mask ``D`` of shape (n_l, m) and ``keep_prob``)

    Returns
    -------
    dA : ndarray of shape (n_l, m)
    """
    if not isinstance(cache, tuple) or len(cache) != 2:
        raise TypeError(f"cache must be the DropoutCache (mask, keep_prob) returned by dropout_forward, "
                        f"got {type(cache).__name__}.")
    mask, keep_prob = as_array("cache.mask", cache[0]), check_probability("cache.keep_prob", cache[1])
    dA_out = as_array("dA_out", dA_out)
    check_shape("dA_out", dA_out, mask.shape)
    return dA_out * mask / keep_prob
