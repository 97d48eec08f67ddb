"""Random inputs of assignment 3's 3-layer network, drawn from an ``rng`` (grading draws different
ones for the visible and the hidden run).

Parameters have nonzero biases and every pre-activation ``Z`` stays at least ``margin`` away from
0, so a ReLU never sits on its kink: gradients are well defined and finite differences see no
corner. Sizes always include the edge shapes (one example, one input feature).
"""

from __future__ import annotations

import numpy as np

from . import references as ref

__all__ = ["network_dims", "network", "describe_net", "shapes_of"]


def network_dims(rng, *, equal_hidden: bool = False) -> list[tuple[list[int], int]]:
    """``(layer sizes [n_x, n_1, n_2, 1], m)`` pairs: the edge shapes first, then random ones."""
    h = int(rng.integers(2, 6))
    out = [([2, 3, 2, 1], 4), ([1, 2, 3, 1], 1), ([3, 4, 4, 1] if equal_hidden else [3, 4, 2, 1], 5),
           ([int(rng.integers(2, 6)), int(rng.integers(2, 7)), h, 1], int(rng.integers(2, 9)))]
    if equal_hidden:
        out.append(([2, h, h, 1], int(rng.integers(3, 8))))
    return out


def network(rng, dims, m, *, margin: float = 1e-3):
    """``(X (n_x, m), Y (1, m), parameters)``: labels 0/1 with both classes when m > 1."""
    n_x = dims[0]
    for _ in range(100):
        X = rng.normal(0.0, 1.0, (n_x, m))
        params = {}
        for l in range(1, 4):
            params[f"W{l}"] = rng.normal(0.0, 1.0, (dims[l], dims[l - 1])) * np.sqrt(2.0 / dims[l - 1])
            params[f"b{l}"] = rng.normal(0.0, 0.3, (dims[l], 1))
        _, cache = ref.forward_3layer(X, params)
        Z1, Z2 = cache[0], cache[4]
        if min(np.abs(Z1).min(), np.abs(Z2).min()) > margin and np.any(Z2 > 0):
            break
    Y = (rng.random((1, m)) < 0.5).astype(float)
    if m > 1 and Y.min() == Y.max():
        Y[0, 0] = 1.0 - Y[0, 0]
    return X, Y, params


def describe_net(dims, m) -> str:
    return f"layer sizes {dims}, m = {m}"


def shapes_of(params) -> list:
    """The parameter shapes as plain lists (JSON), in the order W1, b1, W2, b2, W3, b3."""
    return [[k, list(np.shape(params[k]))] for k in ("W1", "b1", "W2", "b2", "W3", "b3")]
