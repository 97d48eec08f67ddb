"""Validation at the public boundary: one place for the error messages a student reads.

Every public nnkit function checks its arguments with these helpers before any arithmetic, and
every message has the same three parts: which argument, what was expected, what arrived (and,
where there is an obvious one, the likely fix). Internal functions (names starting with ``_``)
trust their inputs, so hot loops pay for the checks once, not once per step.

One mistake, one error type, in every module: an argument of the wrong kind (``2.5`` or ``"3"``
or ``True`` for a count, a string for a number) is a ``TypeError``; a value of the right kind but
out of range (``0`` epochs, a negative seed, an ``A`` outside [0, 1]) or of the wrong shape is a
``ValueError``; a missing dict entry (a gradient ``dW2``) is a ``KeyError``.
"""

from __future__ import annotations

import numbers
from typing import Iterable, Sequence

import numpy as np

__all__ = [
    "as_array",
    "check_int",
    "check_bool",
    "check_shape",
    "check_like",
    "check_same_columns",
    "check_binary",
    "check_number",
    "check_positive",
    "check_probability",
    "check_probabilities",
    "check_choice",
    "as_rng",
]


def _describe(x) -> str:
    """A short description of what arrived: type, and shape for arrays."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    if isinstance(x, np.generic):  # numpy 2 writes np.float64(2.0) for repr: the value is enough
        return f"{type(x).__name__} {x.item()!r}"[:120]
    return f"{type(x).__name__} {x!r}"[:120]


def as_array(name: str, x, ndim: int | None = 2) -> np.ndarray:
    """Return ``x`` as a float ndarray, or raise a clear error.

    Accepts numpy arrays and Python numbers/lists; rejects strings, None and ragged lists.
    With ``ndim`` given, the array must have exactly that many dimensions (no silent reshaping).
    """
    if x is None or isinstance(x, (str, bytes, dict)):
        raise TypeError(f"{name} must be a numpy array, got {_describe(x)}.")
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric numpy array, got {_describe(x)} ({exc}).") from None
    if ndim is not None and arr.ndim != ndim:
        hint = ""
        if ndim == 2 and arr.ndim == 1:
            hint = f" If it holds one row, use {name}.reshape(1, -1); one column, {name}.reshape(-1, 1)."
        raise ValueError(
            f"{name} must be a {ndim}-D array, got {arr.ndim}-D shape {arr.shape}.{hint}"
        )
    return arr


def check_int(name: str, value, minimum: int | None = 1, maximum: int | None = None) -> int:
    """Return ``value`` as a Python int if it is an integer in ``[minimum, maximum]``, else raise.

    Python and numpy integers are accepted; ``bool`` is refused (``True`` is an int to Python, never
    a count to a student), and so are floats, even ``3.0``, and strings: a ``TypeError``. An integer
    out of range is a ``ValueError``. Both messages name the argument, the allowed range and what
    arrived. ``minimum=None`` (or ``maximum=None``) leaves that side open.
    """
    if minimum is not None and maximum is not None:
        allowed = f"an int from {minimum} to {maximum}"
    elif minimum is not None:
        allowed = f"an int >= {minimum}"
    elif maximum is not None:
        allowed = f"an int <= {maximum}"
    else:
        allowed = "an int"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        fix = ""
        if isinstance(value, numbers.Real) and float(value).is_integer():
            fix = f" Pass {int(value)}, not {value!r}."
        elif isinstance(value, str):
            fix = f" Pass a number, e.g. {name}=int({value!r}) if it comes from text."
        raise TypeError(f"{name} must be {allowed}, got {_describe(value)}.{fix}")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {allowed}, got {value}.")
    return value


def check_bool(name: str, value) -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (numpy bools too), else raise ``TypeError``:
    a flag given as ``"no"`` or ``0.5`` would otherwise count as true without a word."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}.")
    return bool(value)


def check_shape(name: str, arr: np.ndarray, expected: Sequence, hint: str = "") -> None:
    """Raise ``ValueError`` unless ``arr.shape`` matches ``expected`` (``None`` matches any size).

    ``expected`` entries may be ints, ``None``, or ``(int, "label")`` pairs used in the message,
    e.g. ``check_shape("W2", W2, [(4, "n_2"), (3, "n_1")])``.
    """
    sizes = [e[0] if isinstance(e, tuple) else e for e in expected]
    ok = arr.ndim == len(sizes) and all(s is None or s == a for s, a in zip(sizes, arr.shape))
    if not ok:
        labels = [
            f"{e[1]}={e[0]}" if isinstance(e, tuple) else ("any" if e is None else str(e))
            for e in expected
        ]
        msg = f"{name} must have shape ({', '.join(labels)}), got {arr.shape}."
        if hint:
            msg += " " + hint
        # The transposed hint is added with or without a custom hint (W's check has one): it fires
        # when the reversed shape would fit (``None`` matching any size), or, as before, when the
        # columns match the expected rows.
        transposed = arr.ndim == len(sizes) == 2 and (
            all(s is None or s == a for s, a in zip(sizes, arr.shape[::-1]))
            or (sizes[0] is not None and arr.shape[1] == sizes[0])
        )
        if transposed:
            msg += f" It looks transposed: try {name}.T (examples are columns)."
        raise ValueError(msg)


def check_like(name: str, arr, like_name: str, like_shape: tuple, what: str = "gradient", fix: str = "") -> None:
    """Raise ``ValueError`` unless ``arr`` has exactly the shape of the parameter ``like_name``.

    For a gradient, an update or an optimizer state entry: numpy would broadcast a ``(4,)`` bias
    gradient against a ``(4, 1)`` bias into a ``(4, 4)`` array, or apply a ``(1, 3)`` gradient to
    every row of a ``(4, 3)`` weight, without a word, so shapes are compared exactly here. The
    message names both arrays and shapes, and the likely fix (``fix``, when the caller knows it).
    """
    shape, like_shape = tuple(np.shape(arr)), tuple(like_shape)
    if shape == like_shape:
        return
    msg = f"{name} has shape {shape} but {like_name} has shape {like_shape}: keep the {what} the shape of its parameter"
    if fix:
        msg += f". {fix}"
    elif len(shape) == 1 and len(like_shape) == 2 and like_shape == (shape[0], 1):
        msg += " (use keepdims=True in np.sum, or .reshape(-1, 1))."
    elif len(shape) == 2 and shape == like_shape[::-1]:
        msg += f". It looks transposed: try {name}.T (dW = 1/m dZ A_prev^T has the shape of W)."
    elif _broadcasts(shape, like_shape):
        msg += (f". numpy would silently broadcast it over {like_name} (the same value applied to every "
                f"row or column); compute one entry per entry of {like_name}.")
    else:
        msg += "."
    raise ValueError(msg)


def _broadcasts(shape: tuple, like_shape: tuple) -> bool:
    """Would numpy broadcast an array of ``shape`` onto one of ``like_shape`` (without growing it)?"""
    if len(shape) > len(like_shape):
        return False
    return all(s == 1 or s == t for s, t in zip(shape[::-1], like_shape[::-1]))


def check_same_columns(**arrays: np.ndarray) -> int:
    """Check that every array has the same number of columns (examples); return that number m."""
    items = list(arrays.items())
    m = items[0][1].shape[-1]
    for name, arr in items[1:]:
        if arr.shape[-1] != m:
            listing = ", ".join(f"{n} {a.shape}" for n, a in items)
            raise ValueError(
                f"{name} has {arr.shape[-1]} columns but {items[0][0]} has {m}: every array must "
                f"hold one example per column with the same m. Got {listing}."
            )
    return m


def check_binary(name: str, Y: np.ndarray) -> None:
    """Raise ``ValueError`` unless every entry of ``Y`` is exactly 0 or 1."""
    bad = ~((Y == 0) | (Y == 1))
    if bad.any():
        sample = np.unique(Y[bad])[:5]
        raise ValueError(
            f"{name} must contain only 0 and 1 labels, got other values such as {sample.tolist()}. "
            f"Convert labels first, e.g. {name} = ({name} == positive_class).astype(float)."
        )


def check_number(name: str, value) -> float:
    """Return ``value`` as a float if it is a finite real number: ``TypeError`` for anything that is
    not a number (bools and strings included), ``ValueError`` for nan and infinities."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_describe(value)}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return value


def check_positive(name: str, value, allow_zero: bool = False) -> float:
    """Return ``value`` as float, or raise if it is not a (strictly) positive finite number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_describe(value)}.")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}.")
    return value


def check_probability(name: str, value, *, low_open: bool = True, high_open: bool = False) -> float:
    """Return ``value`` as float if it lies in the interval (0, 1] (ends configurable), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_describe(value)}.")
    value = float(value)
    lo_ok = value > 0 if low_open else value >= 0
    hi_ok = value < 1 if high_open else value <= 1
    if not (lo_ok and hi_ok):
        interval = ("(" if low_open else "[") + "0, 1" + (")" if high_open else "]")
        raise ValueError(f"{name} must lie in {interval}, got {value!r}.")
    return value


def check_probabilities(name: str, arr: np.ndarray, hint: str = "") -> None:
    """Raise ``ValueError`` unless every entry of ``arr`` is a finite number in [0, 1].

    For the predicted probabilities of the cross-entropies: an ``A`` outside [0, 1] (a
    pre-activation ``Z`` passed by mistake, say) would otherwise be clipped to [1e-16, 1 - 1e-16]
    and give a cost near zero. Exactly 0 and 1 are allowed (a saturated sigmoid reaches them).
    """
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)]
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got non-finite values such as {bad[:3].tolist()}: "
            f"the forward pass overflowed or training diverged (try a smaller learning rate)."
        )
    outside = (arr < 0) | (arr > 1)
    if outside.any():
        sample = arr[outside][:3].tolist()
        msg = (f"{name} must hold probabilities in [0, 1], got values outside it such as {sample} "
               f"(min {arr.min():.4g}, max {arr.max():.4g}).")
        raise ValueError(msg + (" " + hint if hint else ""))


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise listing the valid names."""
    choices = list(choices)
    if value not in choices:
        raise ValueError(f"Unknown {name} {value!r}; choose one of: {', '.join(map(repr, choices))}.")
    return value


def as_rng(rng) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from a Generator or an int seed.

    nnkit never touches numpy's global random state, so ``rng`` is always explicit: pass
    ``np.random.default_rng(seed)`` or simply an int seed.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(check_int("rng", rng, minimum=0))
    raise TypeError(
        f"rng must be a numpy.random.Generator or an int seed, got {_describe(rng)}. "
        "Use rng=np.random.default_rng(0) (nnkit never uses the global random state)."
    )
