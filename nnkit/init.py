"""Parameter initializers for an L-layer network.

``initialize_parameters(layer_dims, method, rng=...)`` returns ``{"W1", "b1", ..., "WL", "bL"}``
with ``W[l]`` of shape ``(n_l, n_{l-1})`` and ``b[l] = 0`` of shape ``(n_l, 1)``. The methods:

=================  ===============================================  ======================================
``zeros``          ``W = 0``                                        fails to break symmetry: every hidden
                                                                    unit computes the same function
``random``         ``W ~ N(0, 1) * scale`` (``scale=10``: "large")  too large: saturates, slow to train
``small_gaussian`` ``W ~ N(0, 0.01^2)`` (seed 004)                  breaks symmetry; can vanish in depth
``xavier``         ``W ~ N(0, 1) * sqrt(1 / n_{l-1})``              for tanh / sigmoid layers
``he``             ``W ~ N(0, 1) * sqrt(2 / n_{l-1})``              for ReLU layers (recommended)
=================  ===============================================  ======================================

Every method that draws takes an explicit ``rng``; the global random state is never used.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from nnkit._checks import as_rng, check_choice, check_int, check_positive

__all__ = ["INIT_METHODS", "initialize_parameters"]

INIT_METHODS = ("zeros", "random", "small_gaussian", "xavier", "he")


def _check_dims(layer_dims) -> list[int]:
    """``layer_dims`` as a list of ints >= 1, at least two of them (``[n_x, n_1, ..., n_L]``)."""
    if isinstance(layer_dims, np.ndarray) and layer_dims.ndim == 1:
        layer_dims = layer_dims.tolist()
    if isinstance(layer_dims, (str, bytes)) or not isinstance(layer_dims, Sequence):
        raise TypeError(
            f"layer_dims must be a list of layer sizes [n_x, n_1, ..., n_L], got {type(layer_dims).__name__} "
            f"{layer_dims!r}."[:200]
        )
    if len(layer_dims) < 2:
        raise ValueError(
            f"layer_dims must list at least two sizes [n_x, n_1, ..., n_L] (the input and one layer), "
            f"got {list(layer_dims)!r}."
        )
    return [check_int(f"layer_dims[{i}]", d, minimum=1) for i, d in enumerate(layer_dims)]


def initialize_parameters(layer_dims: Sequence[int], method: str = "he", *, rng=None,
                          scale: float | None = None) -> dict:
    """Initialize ``W1, b1, ..., WL, bL`` for a network with sizes ``layer_dims``.

    Parameters
    ----------
    layer_dims : sequence of L+1 positive ints ``[n_x, n_1, ..., n_L]``
    method : one of ``INIT_METHODS`` (see the module docstring)
    rng : Generator or int seed (required for every method but ``zeros``)
    scale : the multiplier of ``N(0, 1)`` for ``method="random"`` (default 10, the "large random"
        of the course); ignored by the other methods

    Returns
    -------
    params : dict ``W[l]`` of shape ``(n_l, n_{l-1})``, ``b[l]`` of shape ``(n_l, 1)`` (zeros)
    """
    dims = _check_dims(layer_dims)
    check_choice("init method", method, INIT_METHODS)
    if method != "zeros":
        if rng is None:
            raise TypeError(f"initialize_parameters(method={method!r}) draws random numbers: pass rng "
                            "(a numpy Generator or an int seed).")
        rng = as_rng(rng)
    if method == "random":
        scale = 10.0 if scale is None else check_positive("scale", scale)
    params = {}
    for l in range(1, len(dims)):
        n_l, n_prev = dims[l], dims[l - 1]
        if method == "zeros":
            W = np.zeros((n_l, n_prev))
        else:
            std = {
                "random": scale,
                "small_gaussian": 0.01,
                "xavier": np.sqrt(1.0 / n_prev),
                "he": np.sqrt(2.0 / n_prev),
            }[method]
            W = rng.standard_normal((n_l, n_prev)) * std
        params[f"W{l}"] = W
        params[f"b{l}"] = np.zeros((n_l, 1))
    return params
