"""Assignment 3's known mistakes in initialization (``initialization.ipynb``): each a small, readable
edit of the reference, with the reference's signature.

The random ones draw as the student's code draws while graded: ``rng=None`` means the case's
``"rng"`` stream, and the "global state" and "fixed seed" mistakes draw from the case's
``"global"`` and ``"fixed"`` streams (see :mod:`.draws`), all rebuilt from the case's arguments.
"""

from __future__ import annotations

import numpy as np

from . import references as ref
from .draws import case_generator, case_seed


# ----------------------------------------------------------------------------- initialization
def _init(layers_dims, scale, draw="normal", b_random=False, transposed=False, last_missing=False):
    """``W[l] = draw * scale(n_l, n_{l-1})``, ``b[l] = 0`` (or drawn too); ``draw`` names the source:
    "normal" (the rng stream), "uniform", "global", "fixed"; ``last_missing`` stops one layer early."""
    dims = list(layers_dims)
    seed = case_seed(dims)
    g = {"global": case_generator(seed, "global"), "fixed": case_generator(seed, "fixed")}.get(
        draw, case_generator(seed))
    params = {}
    for l in range(1, len(dims) - 1 if last_missing else len(dims)):
        shape = (dims[l - 1], dims[l]) if transposed else (dims[l], dims[l - 1])
        values = g.random(shape) if draw == "uniform" else g.standard_normal(shape)
        params[f"W{l}"] = values * scale(dims[l], dims[l - 1])
        params[f"b{l}"] = g.standard_normal((dims[l], 1)) * scale(dims[l], dims[l - 1]) if b_random \
            else np.zeros((dims[l], 1))
    return params


def zeros_transposed(layers_dims):
    return {k: (v.T if k.startswith("W") else v) for k, v in ref.initialize_parameters_zeros(layers_dims).items()}


def zeros_last_layer_missing(layers_dims):
    params = ref.initialize_parameters_zeros(layers_dims)
    L = len(layers_dims) - 1
    return {k: v for k, v in params.items() if k not in (f"W{L}", f"b{L}")}


def zeros_b_1d(layers_dims):
    return {k: (v.reshape(-1) if k.startswith("b") else v) for k, v in ref.initialize_parameters_zeros(layers_dims).items()}


def zeros_square_weights(layers_dims):
    dims = list(layers_dims)
    params = ref.initialize_parameters_zeros(dims)
    return {k: (np.zeros((dims[int(k[1:])], dims[int(k[1:])])) if k.startswith("W") else v) for k, v in params.items()}


def zeros_b_row(layers_dims):
    return {k: (v.T if k.startswith("b") else v) for k, v in ref.initialize_parameters_zeros(layers_dims).items()}


def zeros_int(layers_dims):
    return {k: v.astype(int) for k, v in ref.initialize_parameters_zeros(layers_dims).items()}


def random_scale_one(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 1.0)


def random_small(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 0.01)


def random_uniform(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0, draw="uniform")


def random_global_state(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0, draw="global")


def random_fixed_seed(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0, draw="fixed")


def random_b_random(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0, b_random=True)


def random_last_layer_missing(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0, last_missing=True)


def random_variance_for_std(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 100.0)


def random_divided_by_10(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 0.1)


def random_he_scale(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / p))


def he_xavier(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(1.0 / p))


def he_n_l(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / n))


def he_no_sqrt(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 2.0 / p)


def he_sqrt2_over_n(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0) / p)


def he_times_10(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 10.0)


def he_global_state(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / p), draw="global")


def he_fixed_seed(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / p), draw="fixed")


def he_uniform(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / p), draw="uniform")


def he_floor_division(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2 // p))


def he_scale_one(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 1.0)


def he_small(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: 0.01)


def he_b_random(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / p), b_random=True)


def he_last_layer_missing(layers_dims, rng=None):
    return _init(layers_dims, lambda n, p: np.sqrt(2.0 / p), last_missing=True)
