"""Validation at the public boundary: one place for the error messages a student reads.

Every public nnkit function checks its arguments with these helpers before any arithmetic, and
every message has the same three parts: which argument, what was expected, what arrived (and,
where there is an obvious one, the likely fix). Internal functions (names starting with ``_``)
trust their inputs, so hot loops pay for the checks once, not once per step.
"""

from __future__ import annotations

import numbers
from typing import Iterable, Sequence

import numpy as np

__all__ = [
    "as_array",
    "check_shape",
    "check_same_columns",
    "check_binary",
    "check_positive",
    "check_probability",
    "check_choice",
    "as_rng",
]


def _describe(x) -> str:
    """A short description of what arrived: type, and shape for arrays."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
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


def check_shape(name: str, arr: np.ndarray, expected: Sequence, hint: str = "") -> None:
    """Raise ``ValueError`` unless ``arr.shape`` matches ``expected`` (``None`` matches any size).

    ``expected`` entries may be ints, ``None``, or ``(int, "label")`` pairs used in the message,
    e.g. ``check_shape("W2", W2, [(4, "n_2"), (3, "n_1")])``.
    """
    sizes = [e[0] if isinstance(e, tuple) else e for e in expected]
    labels = [
        f"{e[1]}={e[0]}" if isinstance(e, tuple) else ("any" if e is None else str(e))
        for e in expected
    ]
    ok = arr.ndim == len(sizes) and all(s is None or s == a for s, a in zip(sizes, arr.shape))
    if not ok:
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
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be a numpy.random.Generator or an int seed, got {_describe(rng)}. "
        "Use rng=np.random.default_rng(0) (nnkit never uses the global random state)."
    )
