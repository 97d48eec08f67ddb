"""Property checks of the random initializers: what must hold whichever way the numbers were drawn.

``initialize_parameters`` (``W ~ N(0, 0.01^2)``) and ``initialize_parameters_deep``
(``W[l] ~ N(0, 1) / sqrt(n_{l-1})``) are graded by properties, not against one reference value: the
right keys and shapes, float arrays, zero biases, weights that break the symmetry between units, and
the right scale. Their cases bind numpy's randomness (:mod:`.draws`), so the check knows what the
case's generator gives:

1. when the weights are the generator's standard-normal draws times a factor (in any arrangement:
   ``rng.normal(0, 0.01, (n_h, n_x))``, ``rng.standard_normal((n_x, n_h)).T * 0.01``, ...), the factor
   of every layer must be the right scale, and a wrong one is named (``scale-1``, ``he-scale``, ...);
   draws of the generator a hard-coded seed gives are named ``fixed-seed``, those of numpy's global
   random functions ``global-random-state``;
2. otherwise (the draws were made another way, e.g. the layers in another order), the scale is
   judged from the numbers: for a matrix of at least :data:`MIN_ENTRIES_FOR_SCALE` entries the sample
   standard deviation within 20 % of the right one and the mean near 0; a small one only must not be
   four times too spread.

numpy's real global random state is never touched while grading (see :mod:`.draws`).

A failed check returns a :class:`NamedFailure`: the message (a ``str``) with the mistake's label in
``.label``. The exercises also list these mistakes as known variants (:mod:`.mistakes_planar`,
:mod:`.mistakes_deep`), which draw from the same generators, so the verdict names them.
"""

from __future__ import annotations

import numpy as np

from .draws import case_generator, fixed_seed_generator, global_generator

__all__ = ["NamedFailure", "check_gaussian_init", "stream_factor", "MIN_ENTRIES_FOR_SCALE", "SCALE_TOLERANCE"]

#: a weight matrix needs this many entries for its sample standard deviation to be judged strictly
MIN_ENTRIES_FOR_SCALE = 500
#: the sample standard deviation must lie within this factor of the right one (strict check)
SCALE_TOLERANCE = 1.2


class NamedFailure(str):
    """A failure message that also names the mistake (``.label``); it is a ``str`` everywhere else."""

    label: str

    def __new__(cls, label: str, message: str):
        obj = super().__new__(cls, message)
        obj.label = label
        return obj


def _structure(result, shapes: dict) -> NamedFailure | None:
    if not isinstance(result, dict):
        return NamedFailure("not-a-dict", f"the result should be a dict with the keys {list(shapes)}, got "
                            f"{type(result).__name__}. Return parameters = {{'W1': W1, 'b1': b1, ...}}.")
    missing = [k for k in shapes if k not in result]
    extra = [k for k in result if k not in shapes]
    if missing or extra:
        parts = ([f"missing {missing}"] if missing else []) + ([f"unexpected {extra}"] if extra else [])
        return NamedFailure("wrong-keys", f"the dict should have exactly the keys {list(shapes)}: {', '.join(parts)}. "
                            "One W and one b per layer l = 1 .. L, named 'W' + str(l) and 'b' + str(l).")
    for k, shape in shapes.items():
        v = result[k]
        if not isinstance(v, np.ndarray):
            return NamedFailure("not-an-array", f"{k} should be a numpy array of shape {shape}, got "
                                f"{type(v).__name__}.")
        if v.shape != shape:
            if v.shape == shape[::-1] and shape[0] != shape[1]:
                return NamedFailure("transposed", f"{k} has shape {v.shape}, it should be {shape}: transposed. "
                                    "W[l] is (n_l, n_{l-1}): rows for the units of layer l, columns for its inputs.")
            if len(v.shape) == 1 and v.shape[0] == shape[0]:
                return NamedFailure("bias-1d", f"{k} has shape {v.shape}, it should be the column {shape}: "
                                    f"use np.zeros(({shape[0]}, 1)).")
            return NamedFailure("wrong-shape", f"{k} should have shape {shape}, got {v.shape}.")
        if v.dtype.kind != "f":
            return NamedFailure("not-float", f"{k} should be a float array, got dtype {v.dtype}: use np.zeros(shape) "
                                "(floats) rather than an integer array.")
        if not np.all(np.isfinite(v)):
            return NamedFailure("not-finite", f"{k} contains nan or inf.")
    return None


def stream_factor(values: np.ndarray, draws: np.ndarray) -> float | None:
    """``c`` when ``values`` are ``c * draws`` in some arrangement (``c > 0``), else None."""
    a, d = np.sort(values.ravel()), np.sort(draws.ravel())
    dd = float(d @ d)
    if dd == 0.0:
        return None
    c = float(a @ d) / dd
    return c if c > 0 and np.allclose(a, c * d, rtol=1e-7, atol=1e-12 * max(c, 1.0)) else None


def _factors(generator: np.random.Generator, weights: dict) -> list[float] | None:
    """The factor of each weight matrix (in layer order) against the generator's standard-normal
    draws, or None when the weights are not those draws. A single number is a multiple of any draw of
    its sign, so at least one matrix must have two entries or more for the draws to be recognised."""
    factors = [stream_factor(W, generator.standard_normal(W.shape)) for W in weights.values()]
    if any(c is None for c in factors) or all(W.size < 2 for W in weights.values()):
        return None
    return factors


#: (label, the factor as a function of (n_l, n_{l-1}, the right std), when it applies, what it means)
_SCALE_MISTAKES = (
    ("scale-1", lambda n, p, std: 1.0, lambda std: True,
     "you forgot to scale the draws: multiply them by the right standard deviation"),
    ("scale-0.01", lambda n, p, std: 0.01, lambda std: not np.isclose(std, 0.01),
     "0.01 is the 2-layer network's scale; in the deep network each layer divides by sqrt(n_{l-1}) instead"),
    ("scale-0.1", lambda n, p, std: 0.1, lambda std: np.isclose(std, 0.01),
     "the standard deviation is 0.01, not 0.1"),
    ("variance-for-deviation", lambda n, p, std: std ** 2, lambda std: True,
     "you used the variance where the standard deviation belongs (N(0, s^2) is s times N(0, 1))"),
    ("he-scale", lambda n, p, std: np.sqrt(2.0 / p), lambda std: not np.isclose(std, 0.01),
     "that is He initialization, sqrt(2 / n_{l-1}); this network divides by sqrt(n_{l-1}): "
     "W = rng.standard_normal(...) / np.sqrt(layer_dims[l - 1])"),
    ("wrong-dimension", lambda n, p, std: 1.0 / np.sqrt(n), lambda std: not np.isclose(std, 0.01),
     "you divided by the square root of the layer's own size n_l (layer_dims[l]); divide by that of its "
     "input, sqrt(n_{l-1}) (layer_dims[l - 1])"),
)


def _name_scale(weights: dict, factors: list[float], stds: dict) -> NamedFailure | None:
    """None when every factor is its layer's standard deviation, else the mistake that explains the
    factors of ALL layers (one layer alone can be ambiguous: with n_{l-1} = 100, 0.01 is both the
    2-layer scale and the variance 1 / n_{l-1}), or a plain message about the first wrong layer."""
    wrong = [(k, c) for (k, W), c in zip(weights.items(), factors) if not np.isclose(c, stds[k], rtol=1e-6)]
    if not wrong:
        return None
    k, c = wrong[0]
    said = f"{k} is the generator's standard-normal draws times {c:.4g}; it should be times {stds[k]:.4g}"
    for label, factor, applies, meaning in _SCALE_MISTAKES:
        if all(applies(stds[key]) and np.isclose(f, factor(*W.shape, stds[key]), rtol=1e-6)
               for (key, W), f in zip(weights.items(), factors)):
            return NamedFailure(label, f"{said}: {meaning}.")
    return NamedFailure("wrong-scale", f"{said} ({c / stds[k]:.3g} times too {'large' if c > stds[k] else 'small'}).")


def _statistics(key: str, W: np.ndarray, std: float) -> NamedFailure | None:
    """The scale of one weight matrix judged from its numbers: strict for large matrices, from above
    only for small ones (two draws have a spread below std / 4 a quarter of the time, never one four
    times too large)."""
    n = W.size
    if n < 2:
        if abs(float(W.flat[0])) > 6 * std:
            return NamedFailure("wrong-scale", f"{key} = {float(W.flat[0]):.3g} is far too large for a draw with "
                                f"standard deviation {std:.3g}.")
        return None
    got, mean = float(np.std(W)), float(np.mean(W))
    strict = n >= MIN_ENTRIES_FOR_SCALE
    if strict and abs(mean) > 5 * std / np.sqrt(n) + 0.05 * std:
        return NamedFailure("not-centred", f"the entries of {key} have mean {mean:.3g}, far from 0 for {n} draws "
                            f"with standard deviation {std:.3g}: draw from the normal distribution "
                            "(rng.standard_normal), not from rng.random (uniform on [0, 1)).")
    low, high = (1 / SCALE_TOLERANCE, SCALE_TOLERANCE) if strict else (0.0, 4.0)
    if low <= got / std <= high:
        return None
    return NamedFailure("wrong-scale", f"the entries of {key} have standard deviation {got:.3g}; it should be about "
                        f"{std:.3g} ({got / std:.3g} times that).")


def check_gaussian_init(result, shapes: dict, stds: dict, seed: int) -> NamedFailure | None:
    """``None`` when ``result`` is a proper initialization, else the first mistake found.

    Parameters
    ----------
    result : what the student's initializer returned
    shapes : ``{key: shape}`` of every parameter (``W1 (n_1, n_0)``, ``b1 (n_1, 1)``, ...)
    stds : ``{"W1": std, ...}``: the standard deviation of each weight matrix, in layer order
    seed : the case's seed (:func:`.draws.case_seed`), to recognise the generator's draws
    """
    bad = _structure(result, shapes)
    if bad:
        return bad
    for k in shapes:
        if k.startswith("b") and np.any(result[k] != 0):
            return NamedFailure("bias-not-zero", f"{k} should be zeros: the weights already break the symmetry, "
                                f"and random biases add nothing. Use np.zeros(({shapes[k][0]}, 1)).")
    weights = {k: result[k] for k in stds}
    for k, W in weights.items():
        if W.size > 1 and np.all(W == W.flat[0]):
            return NamedFailure("symmetric-weights", f"every entry of {k} is {float(W.flat[0]):.3g}: with equal "
                                "weights every unit of a layer computes the same thing and gets the same gradient, "
                                "for ever. Draw them at random.")
    factors = _factors(case_generator(seed), weights)
    if factors is not None:
        return _name_scale(weights, factors, stds)
    if _factors(fixed_seed_generator(seed), weights) is not None:
        return NamedFailure("fixed-seed", "the weights come from a generator with a hard-coded seed "
                            "(np.random.default_rng(<number>) inside the function), which ignores the rng argument: "
                            "use rng = np.random.default_rng() if rng is None else rng.")
    if _factors(global_generator(seed), weights) is not None:
        return NamedFailure("global-random-state", "the weights come from numpy's global random state "
                            "(np.random.randn, np.random.normal, np.random.seed ...), which the function must not "
                            "touch: draw from the rng argument, so that the same rng always gives the same weights.")
    for k, W in weights.items():
        bad = _statistics(k, W, stds[k])
        if bad:
            return bad
    return None
