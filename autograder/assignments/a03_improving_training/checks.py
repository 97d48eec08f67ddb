"""Property checks of assignment 3: ``check(case, result) -> message | None`` (trusted side only).

Used where a comparison with one reference result cannot grade fairly:

- the random functions (initializers, dropout's forward pass): any correct way of drawing from
  ``rng`` passes; the numbers are recognised by rebuilding the case's streams (:mod:`.draws`);
- the backward passes: ``dW1 .. db3`` are required, ``dZ3, dA2, dZ2, dA1, dZ1`` optional and checked
  when returned (a dropout mask put on ``dZ`` instead of ``dA`` shows only in ``dA1``/``dA2``);
- the 1-D gradient check: rounding noise (a right gradient) is graded by magnitude class, never
  compared tightly, the rest by the formula (a comparison would let any noise "explain" any noise);

Every message says what is wrong and how to fix it, never by printing the reference's numbers. The
verdict names a known mistake by the exercise's misconception that reproduces it; a check names it
itself ("Likely mistake (label): ...") only where that cannot work: a backward pass that returned
only some of the optional gradients.
"""

from __future__ import annotations

import copy
import types

import numpy as np

from autograder.grading.compare import Tolerance, compare, describe
from autograder.isolation.forbid import resolve

from . import references as ref
from .draws import case_generator, case_seed

__all__ = ["bound", "name_mistake", "check_initializer", "check_dropout_forward", "check_gradients",
           "check_gradient_check", "GRAD_TOLERANCE", "NOISE"]

GRAD_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-9)
_VALUES = Tolerance(rtol=1e-6, atol=1e-9)


def bound(func, case):
    """``func`` with the case's ``bind`` names pointing at the case's helpers (as in the sandbox)."""
    if not case.bind or not isinstance(func, types.FunctionType):
        return func
    glob = dict(func.__globals__)
    glob.update({n: resolve(factory)(*args) for n, (factory, args) in case.bind.items()})
    return types.FunctionType(func.__code__, glob, func.__name__, func.__defaults__, func.__closure__)


def name_mistake(misconceptions, case, same) -> str:
    """``"Likely mistake (label): feedback "`` for the first known mistake whose result on this case
    ``same(result)`` accepts, else ``""``."""
    for mis in misconceptions:
        try:
            with np.errstate(all="ignore"):
                value = bound(mis.variant, case)(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            if same(value):
                return f"Likely mistake ({mis.label}): {mis.feedback} "
        except Exception:  # a variant that cannot run on this case is not this student's mistake
            continue
    return ""


def _named(label: str, text: str) -> str:
    """What a check says about a mistake it recognises. The verdict names it (``label`` is the
    :class:`~autograder.grading.spec.Misconception` of the exercise that reproduces it), so the check
    only describes it."""
    return text


def _is_array(x) -> bool:
    return isinstance(x, np.ndarray) and x.dtype.kind in "biuf"


# ----------------------------------------------------------------------------- initializers
def _factor(values: np.ndarray, draws: np.ndarray) -> float | None:
    """``c`` when ``values`` are ``c * draws`` in some arrangement (c > 0), else None."""
    a, d = np.sort(values.ravel()), np.sort(draws.ravel())
    dd = float(d @ d)
    if dd == 0:
        return None
    c = float(a @ d) / dd
    return c if c > 0 and np.allclose(a, c * d, rtol=1e-7, atol=1e-12 * max(c, 1.0)) else None


def _stream_factors(dims, Ws, stream):
    g = case_generator(case_seed(dims), stream)
    factors = []
    for l in range(1, len(dims)):
        factors.append(_factor(Ws[l - 1], g.standard_normal((dims[l], dims[l - 1]))))
    return factors


_SCALE_HINTS = (  # (factor as a function of n_l, n_prev; label; what it is)
    (lambda n, p: 1.0, "forgot-the-scale", "the plain N(0, 1) draws: multiply them by the scale"),
    (lambda n, p: 0.01, "small-gaussian-scale", "seed 004's small Gaussian N(0, 0.01^2), not this initializer's scale"),
    (lambda n, p: 10.0, "times-10", "the x10 of initialize_parameters_random"),
    (lambda n, p: np.sqrt(2.0 / p), "he-scale", "He's sqrt(2 / n_{l-1})"),
    (lambda n, p: np.sqrt(1.0 / p), "xavier-scale", "Xavier's sqrt(1 / n_{l-1}): He has a 2 under the root"),
    (lambda n, p: np.sqrt(2.0 / n), "he-with-n_l", "sqrt(2 / n_l): the n of the layer itself, where He uses "
                                                    "n_{l-1}, the number of inputs of each unit (layers_dims[l-1])"),
    (lambda n, p: 2.0 / p, "he-without-sqrt", "2 / n_{l-1} without the square root"),
    (lambda n, p: np.sqrt(2.0) / p, "sqrt2-over-n", "sqrt(2) / n_{l-1}: the root must cover the whole 2 / n_{l-1}"),
)


def check_initializer(scale, what: str):
    """The check of an initializer whose ``W[l]`` must be ``N(0, 1) * scale(n_l, n_{l-1})``."""

    def check(case, got):
        dims = [int(d) for d in case.args[0]]
        L = len(dims) - 1
        keys = [f"{p}{l}" for l in range(1, L + 1) for p in ("W", "b")]
        if not isinstance(got, dict):
            return f"return a dict {{'W1': ..., 'b1': ..., ...}}, got {describe(got)}."
        missing, extra = [k for k in keys if k not in got], [k for k in got if k not in keys]
        if missing or extra:
            hint = ""
            if f"W{L}" in missing and f"W{L - 1}" in got:
                hint = (_named("last-layer-missing", f"There is no W{L}: loop over l = 1 .. L with "
                               "range(1, len(layers_dims)) (L = len(layers_dims) - 1 layers). "))
            return hint + f"the dict must have exactly the keys {keys}; missing {missing}, unexpected {extra}."
        for l in range(1, L + 1):
            W, b = got[f"W{l}"], got[f"b{l}"]
            for name, value, shape in ((f"W{l}", W, (dims[l], dims[l - 1])), (f"b{l}", b, (dims[l], 1))):
                if not _is_array(value):
                    return f"{name} should be a numpy array of shape {shape}, got {describe(value)}."
                if value.shape != shape:
                    t = " (it looks transposed: W[l] is (n_l, n_{l-1}))" if value.shape == shape[::-1] else ""
                    return f"{name} should have shape {shape}, got {value.shape}{t}."
                if value.dtype.kind != "f":
                    return f"{name} should be a float array, got dtype {value.dtype}."
            if np.any(b != 0):
                return _named("random-biases", f"b{l} is not zero: only W is drawn at random (random weights "
                                               "already break the symmetry); set b[l] = np.zeros((n_l, 1)).")
        Ws = [np.asarray(got[f"W{l}"], dtype=float) for l in range(1, L + 1)]
        factors = _stream_factors(dims, Ws, "rng")
        if all(f is not None for f in factors):
            for l, c in enumerate(factors, start=1):
                want = float(scale(dims[l], dims[l - 1]))
                if not np.isclose(c, want, rtol=1e-6):
                    for hint, label, words in _SCALE_HINTS:
                        if np.isclose(c, hint(dims[l], dims[l - 1]), rtol=1e-6):
                            return _named(label, f"W{l} is N(0, 1) times {c:.4g}: that is {words}. {what} needs "
                                          f"{want:.4g} for layer {l} (n_{l} = {dims[l]}, n_{l - 1} = {dims[l - 1]}).")
                    return (f"W{l} is rng's normal draws times {c:.4g}, but {what} needs {want:.4g} for layer {l} "
                            f"(n_{l} = {dims[l]}, n_{l - 1} = {dims[l - 1]}).")
            return None
        if all(f is not None for f in _stream_factors(dims, Ws, "global")):
            return _named("global-random-state", "The weights come from numpy's global random state "
                          "(np.random.randn, np.random.normal, np.random.seed ...). Draw from the rng argument "
                          "(rng.standard_normal(...)), so that the same rng gives the same weights and the global "
                          "state is left alone.")
        if all(f is not None for f in _stream_factors(dims, Ws, "fixed")):
            return _named("fixed-seed", "The weights come from a generator with a hard-coded seed "
                          "(np.random.default_rng(<number>) inside the function). Use the rng argument (when it is "
                          "None, np.random.default_rng() without a seed).")
        return _unknown_source(dims, Ws, scale)

    return check


def _unknown_source(dims, Ws, scale) -> str:
    """Why weights that are not rng's normal draws are wrong, from their statistics."""
    l = max(range(1, len(dims)), key=lambda k: Ws[k - 1].size)
    W, want = Ws[l - 1], float(scale(dims[l], dims[l - 1]))
    base = ("The weights are not rng's normal draws: draw W[l] with rng.standard_normal((n_l, n_{l-1})) (or "
            "rng.normal) times the scale, layer by layer for l = 1 .. L, and draw nothing else from rng.")
    if W.size >= 200:
        z = W.ravel() / want
        std, mean, tails = float(z.std()), float(z.mean()), float(np.mean(np.abs(z) > 2.0))
        if np.all(W >= 0):
            return _named("uniform-not-normal", f"W{l} has no negative values (mean {mean * want:.3g}): "
                          "rng.random / rng.uniform draw from [0, 1); weights need the normal distribution N(0, 1). "
                          + base)
        if tails < 0.02:
            return _named("uniform-not-normal", f"W{l} has almost no values beyond 2 standard deviations ({tails:.1%}, "
                          "a normal distribution has 4.6%): that is a uniform distribution. " + base)
        if abs(std - 1) > 0.1 or abs(mean) > 0.1:
            return (f"W{l}'s values have mean {mean * want:.3g} and standard deviation {std * want:.3g}; "
                    f"N(0, 1) * {want:.4g} has mean 0 and standard deviation {want:.4g}. " + base)
    return base


# ----------------------------------------------------------------------------- dropout forward
_DROPOUT_CACHE = ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")


def _keep_prob(case) -> float:
    return float(case.args[2]) if len(case.args) > 2 else float(case.kwargs.get("keep_prob", 0.5))


def _masks_from(seed, stream, shapes, kp, *, skip=None, draw="random"):
    g = case_generator(seed, stream)
    if skip is not None:
        g.random(skip)
    if draw == "binomial":
        return [g.binomial(1, kp, s).astype(float) for s in shapes]
    return [(g.random(s) < kp).astype(float) for s in shapes]


def _mask_source(case, X, params, kp, D1, D2) -> str | None:
    """None when the masks are rng's draws, else the message naming where they came from."""
    seed = case_seed(X, params, kp)
    shapes, got = (D1.shape, D2.shape), (D1.astype(float), D2.astype(float))

    def equal(masks):
        return all(np.array_equal(a, b) for a, b in zip(masks, got))

    if equal(_masks_from(seed, "rng", shapes, kp)) or equal(_masks_from(seed, "rng", shapes, kp, draw="binomial")):
        return None
    g = case_generator(seed)
    U = [g.random(s) for s in shapes]
    if kp < 1 and all(np.array_equal(u > kp, d) for u, d in zip(U, got)):
        return _named("inverted-comparison", f"Your masks keep a unit when rng.random(...) > keep_prob, so a "
                      f"fraction {1 - kp:g} of the units survive instead of keep_prob = {kp:g}: write "
                      "D = rng.random(A.shape) < keep_prob.")
    if equal(_masks_from(seed, "rng", shapes, kp, skip=X.shape)):
        return _named("dropout-on-input", "You also drew a mask for the input X: dropout acts on the hidden layers "
                      "1 and 2 only (never on the input or the output).")
    for stream, label, words in (("global", "global-random-state", "numpy's global random state (np.random.rand ...): "
                                  "draw from the rng argument, so the same rng gives the same masks"),
                                 ("fixed", "fixed-seed", "a generator with a hard-coded seed: use the rng argument")):
        if equal(_masks_from(seed, stream, shapes, kp)) or equal(_masks_from(seed, stream, shapes, kp, draw="binomial")):
            return _named(label, f"The masks come from {words}.")
    for name, D in (("D1", got[0]), ("D2", got[1])):
        if D.size >= 200:
            rate, se = float(D.mean()), float(np.sqrt(kp * (1 - kp) / D.size))
            if abs(rate - kp) > 5 * se + 1e-12:
                return (f"{name} keeps a fraction {rate:.3f} of the units; with keep_prob = {kp:g} it should keep "
                        f"about {kp:g}: D = rng.random(A.shape) < keep_prob.")
    return ("The masks are not rng's draws: draw D1 = rng.random(A1.shape) < keep_prob after computing A1, then D2 "
            "the same way after A2 (rng is the argument; None means np.random.default_rng()), and nothing else.")


def check_dropout_forward(case, got):
    X, params, kp = np.asarray(case.args[0], dtype=float), case.args[1], _keep_prob(case)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"return the pair (A3, cache), got {describe(got)}."
    A3, cache = got
    if not isinstance(cache, (tuple, list)) or len(cache) != 14:
        extra = (" With dropout the cache also holds the masks: (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)."
                 if isinstance(cache, (tuple, list)) and len(cache) == 12 else "")
        return f"cache should be a tuple of 14 arrays {_DROPOUT_CACHE}, got {describe(cache)}.{extra}"
    items = dict(zip(_DROPOUT_CACHE, cache))
    p = ref._params(params)
    m = X.shape[1]
    sizes = {"1": p["W1"].shape[0], "2": p["W2"].shape[0], "3": 1}
    for name, value in items.items():
        shape = p[name].shape if name[0] in "Wb" else (sizes[name[1]], m)
        if not _is_array(value) or value.shape != shape:
            return f"cache's {name} should be an array of shape {shape}, got {describe(value)}."
    for name in ("W1", "b1", "W2", "b2", "W3", "b3"):
        if not np.array_equal(items[name], p[name]):
            return f"cache's {name} should be parameters['{name}'] itself, unchanged."
    D1, D2 = items["D1"], items["D2"]
    for name, D in (("D1", D1), ("D2", D2)):
        if not np.all((D == 0) | (D == 1)):
            return (f"{name} should hold only 0 (drop) and 1 (keep): D = rng.random(A.shape) < keep_prob gives "
                    "booleans; keep those (or .astype(float)), not the random numbers themselves.")
    source = _mask_source(case, X, params, kp, D1, D2)
    if source:
        return source
    return _dropout_values(X, p, kp, D1.astype(float), D2.astype(float), items, A3)


def _dropout_values(X, p, kp, D1, D2, items, A3) -> str | None:
    """Given the masks, the cache and A3 must be the exact computation (each layer judged from the
    student's own previous activations, so one mistake is reported where it happens)."""
    Z1 = p["W1"] @ X + p["b1"]
    Z2 = p["W2"] @ np.asarray(items["A1"], dtype=float) + p["b2"]
    Z3 = p["W3"] @ np.asarray(items["A2"], dtype=float) + p["b3"]
    checks = (("Z1", Z1, None), ("A1", ref.relu(Z1) * D1 / kp, (Z1, D1)), ("Z2", Z2, None),
              ("A2", ref.relu(Z2) * D2 / kp, (Z2, D2)), ("Z3", Z3, None), ("A3", ref.sigmoid(Z3), None))
    for name, want, layer in checks:
        value = np.asarray(items[name], dtype=float)
        mm = compare(want, value, _VALUES, path=f"cache's {name}")
        if mm is None:
            continue
        if layer is not None:
            before, D = ref.relu(layer[0]), layer[1]
            for variant, label, words in (
                    (before * D, "no-scaling", "You kept the units but did not divide by keep_prob: inverted dropout "
                                               "is A = A * D / keep_prob, so the expected activation stays the same"),
                    (before * D * kp, "multiplies-keep-prob", "You multiplied by keep_prob; inverted dropout divides: "
                                                              "A = A * D / keep_prob"),
                    (before, "cache-before-dropout", f"The cache holds {name} before dropout; keep the dropped, "
                                                      "rescaled activations (the ones the next layer sees) there")):
                if np.allclose(value, variant, rtol=1e-6, atol=1e-9):
                    return _named(label, f"{words}.")
        if name == "A3" and np.any((value == 0) & (want > 0)):
            return _named("dropout-on-output", "A3 must be sigmoid(Z3): no dropout on the output layer.")
        return mm.message
    if compare(np.asarray(items["A3"], dtype=float), A3, _VALUES) is not None:
        return "the A3 you return should be the A3 of the cache, sigmoid(Z3)."
    return None


# ----------------------------------------------------------------------------- backward passes
def check_gradients(reference, misconceptions):
    """The check of a backward pass: the keys ``dW1 .. db3`` required, ``dZ3 .. dZ1`` optional."""

    def check(case, got):
        if not isinstance(got, dict):
            return f"return the gradients as a dict {{'dW1': ..., 'db1': ..., ...}}, got {describe(got)}."
        missing = [k for k in ref.REQUIRED_GRADS if k not in got]
        extra = [k for k in got if k not in ref.GRAD_KEYS]
        if missing or extra:
            return (f"the gradients need the keys {list(ref.REQUIRED_GRADS)} (and may hold "
                    f"{[k for k in ref.GRAD_KEYS if k not in ref.REQUIRED_GRADS]}); missing {missing}, "
                    f"unexpected {extra}.")
        expected = reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        keys = [k for k in ref.GRAD_KEYS if k in got]
        mm = compare({k: expected[k] for k in keys}, {k: got[k] for k in keys}, GRAD_TOLERANCE, path="grads")
        if mm is None:
            return None

        def same(value):
            return compare({k: value[k] for k in keys}, {k: got[k] for k in keys}, GRAD_TOLERANCE) is None

        # with every key the verdict's own matching names the mistake; with a subset only this can
        named = name_mistake(misconceptions, case, same) if len(keys) < len(ref.GRAD_KEYS) else ""
        return named + mm.message

    return check


# ----------------------------------------------------------------------------- 1-D gradient check
#: below this, a relative difference is rounding noise (the gradient is right)
NOISE = 1e-7


def check_gradient_check(case, got):
    """The 1-D ``gradient_check``: the expected value comes from the reference as graded (with the
    case's helpers, :func:`.references.gradient_check_as_graded`). Where it is rounding noise (the
    gradient is right) the student's value must be noise too, below 1e-7, and is never compared
    tightly; elsewhere (a wrong gradient, or a nonlinear cost with a large epsilon) it must follow
    the formula to a relative 1e-4."""
    if isinstance(got, np.ndarray) and got.size == 1 and got.dtype.kind in "iuf":
        got = got.reshape(())[()]
    if not isinstance(got, (int, float, np.integer, np.floating)) or isinstance(got, bool):
        return f"return the difference as a number, got {describe(got)}."
    value = float(got)
    expected = float(ref.gradient_check_as_graded(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs)))
    if expected < NOISE:
        if 0 <= value < NOISE:
            return None
        return (f"Here backward_propagation is right, so a correct check returns rounding noise below {NOISE:g}; "
                f"you returned {value:.3g}. Check the two-sided difference (J(theta + epsilon) - J(theta - epsilon)) "
                "/ (2 * epsilon) and the relative difference ||grad - gradapprox|| / (||grad|| + ||gradapprox||).")
    if np.isclose(value, expected, rtol=1e-4, atol=1e-12):
        return None
    return (f"Here a correct check returns a difference of about {expected:.2g} (the formula applied to this "
            f"case's gradient and cost); you returned {value:.3g}.")
