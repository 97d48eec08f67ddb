"""Compare a student's result with the reference result, on the trusted side.

``compare(expected, got)`` walks both values together and returns ``None`` when they agree, or the
first :class:`Mismatch`: where (``path``, e.g. ``grads["dw"]``), what kind of difference
(``kind``: type, keys, length, shape, dtype, nonfinite, value) and a message a student can act on.
Messages describe the difference with summaries (shapes, means, the largest error and where it
is), never by printing the reference arrays, so hidden cases do not leak.

Only plain data reaches this module (numpy arrays, Python scalars, lists, tuples, dicts, as
decoded by :mod:`autograder.isolation.transport`): it never calls a method of an object a student made.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.isolation.transport import Unsupported

__all__ = ["Tolerance", "TypeRules", "Mismatch", "compare", "describe"]


@dataclass(frozen=True)
class Tolerance:
    """``|got - expected| <= atol + rtol * |expected|`` elementwise (numpy's ``isclose``)."""

    rtol: float = 1e-6
    atol: float = 1e-9


@dataclass(frozen=True)
class TypeRules:
    """Which type differences an exercise accepts (each exercise states its own, in its spec).

    - ``int_for_float``: an integer or bool array where a float array is expected. Off by default:
      ``np.zeros(shape, dtype=int)`` or an integer division is a real bug (later float updates fail
      or truncate). On for labels, where 0/1 as ints or bools is harmless.
    - ``numpy_scalar_for_float``: a numpy scalar (``np.float64(0.5)``, ``np.int64(3)``) where a
      Python number is expected. On by default: ``np.float64`` *is* a Python float subclass, and
      ``np.sum(...) / m`` returns one.
    """

    int_for_float: bool = False
    numpy_scalar_for_float: bool = True


@dataclass(frozen=True)
class Mismatch:
    path: str
    kind: str
    message: str


def describe(x: Any) -> str:
    """A short, safe description of a value's type and shape (no values)."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} (dtype {x.dtype})"
    if isinstance(x, bool):
        return "a bool"
    if isinstance(x, numbers.Real):
        return f"a number ({type(x).__name__})"
    if isinstance(x, Unsupported):
        return f"an object of type {x.type_name}"
    if isinstance(x, dict):
        return f"a dict with keys {sorted(map(str, x))}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of length {len(x)}"
    if x is None:
        return "None"
    return f"a {type(x).__name__}"


def _is_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _as_scalar(x, rules: "TypeRules"):
    """A real number from a Python (or, if the rules allow it, numpy) scalar, else None.

    An integer too large for a float (a returned int of thousands of digits) is infinite here."""
    if isinstance(x, np.generic) and not rules.numpy_scalar_for_float and type(x) is not np.float64:
        return None
    if _is_number(x):
        try:
            return float(x)
        except OverflowError:
            return float("inf") if x > 0 else float("-inf")
    if (isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf" and rules.numpy_scalar_for_float):
        return float(x)  # what np.squeeze of a (1, 1) array gives: behaves as a number
    return None


def _shape_hint(expected_shape, got_shape) -> str:
    if len(expected_shape) == len(got_shape) == 2 and tuple(got_shape) == tuple(expected_shape)[::-1]:
        return " It looks transposed: examples are columns, so check where a .T is missing or extra."
    if len(expected_shape) == 2 and expected_shape[0] == 1 and tuple(got_shape) == (expected_shape[1],):
        return " You returned a 1-D array; keep it 2-D, e.g. .reshape(1, -1)."
    if len(expected_shape) == 2 and expected_shape[1] == 1 and tuple(got_shape) == (expected_shape[0],):
        return " You returned a 1-D array; keep it a column, e.g. .reshape(-1, 1)."
    if int(np.prod(expected_shape)) == int(np.prod(got_shape)):
        return " It has the right number of entries in the wrong arrangement: check your reshape."
    return ""


def _compare_arrays(expected: np.ndarray, got, path: str, tol: Tolerance, rules: TypeRules) -> Mismatch | None:
    if not isinstance(got, np.ndarray):
        hint = " Return a numpy array (np.array(...) or the result of numpy operations)."
        if isinstance(got, (list, tuple)):
            hint = " You returned a Python list; return a numpy array instead."
        return Mismatch(path, "type", f"{path} should be {describe(expected)}, got {describe(got)}.{hint}")
    if got.shape != expected.shape:
        return Mismatch(path, "shape", f"{path} should have shape {expected.shape}, got {got.shape}."
                        + _shape_hint(expected.shape, got.shape))
    if got.dtype.kind not in "biuf":
        return Mismatch(path, "dtype", f"{path} should hold real numbers, got dtype {got.dtype}.")
    if expected.dtype.kind == "f" and got.dtype.kind in "biu" and not rules.int_for_float:
        what = "bools" if got.dtype.kind == "b" else "integers"
        return Mismatch(path, "dtype", f"{path} should be a float array, got an array of {what} (dtype {got.dtype}). "
                        "An integer array comes from np.zeros(..., dtype=int), np.array of ints, or // (floor "
                        "division); use floats (np.zeros(shape), / instead of //, or .astype(float)).")
    g = got.astype(float)
    e = expected.astype(float)
    bad_finite = np.isfinite(e) & ~np.isfinite(g)
    if bad_finite.any():
        idx = tuple(int(i) for i in np.argwhere(bad_finite)[0])
        return Mismatch(path, "nonfinite", f"{path} contains nan or inf (first at index {idx}) where a "
                        "finite value was expected: look for log(0), division by zero or overflow in exp.")
    close = np.isclose(g, e, rtol=tol.rtol, atol=tol.atol, equal_nan=True)
    if not close.all():
        diff = np.where(close, 0.0, np.abs(g - e))
        idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), diff.shape))
        n_bad = int((~close).sum())
        return Mismatch(
            path, "value",
            f"{path} has the right shape {e.shape} but {n_bad} of {e.size} values are wrong; the largest "
            f"error is {float(diff[idx]):.3g} at index {idx}. Mean of your values {float(np.mean(g)):.4g}, "
            f"expected mean {float(np.mean(e)):.4g}.",
        )
    return None


def compare(expected: Any, got: Any, tol: Tolerance = Tolerance(), path: str = "result",
            names: tuple[str, ...] = (), rules: TypeRules = TypeRules()) -> Mismatch | None:
    """Return ``None`` if ``got`` matches ``expected`` (structure, shape, kind, values), else the
    first :class:`Mismatch` found in a depth-first walk. ``names`` labels the items of a tuple
    result in messages (``grads["dw"]`` reads better than ``result[0]["dw"]``); ``rules`` says which
    type differences the exercise accepts."""
    if isinstance(got, Unsupported):
        return Mismatch(path, "type", f"{path} should be {describe(expected)}, got {describe(got)}.")
    if isinstance(expected, np.ndarray):
        return _compare_arrays(expected, got, path, tol, rules)
    if isinstance(expected, (bool, np.bool_)):
        # numpy's bool (e.g. from np.all) is a bool too; numbers (0/1) are not
        if not isinstance(got, (bool, np.bool_)) or bool(got) != bool(expected):
            shown = repr(bool(got)) if isinstance(got, (bool, np.bool_)) else describe(got)
            return Mismatch(path, "value", f"{path} should be {bool(expected)!r}, got {shown}.")
        return None
    if expected is None or isinstance(expected, str):
        if type(got) is not type(expected) or got != expected:
            return Mismatch(path, "value", f"{path} should be {expected!r}, got {describe(got)}.")
        return None
    if _is_number(expected):
        value = _as_scalar(got, rules)
        if value is None:
            hint = ""
            if isinstance(got, np.ndarray) and got.size == 1:
                hint = " It is a one-element array: return a plain number (use float(...) or np.squeeze)."
            elif isinstance(got, np.generic):
                hint = " Return a plain Python number: float(...) or int(...)."
            return Mismatch(path, "type", f"{path} should be a number, got {describe(got)}.{hint}")
        if not np.isfinite(value) and np.isfinite(expected):
            return Mismatch(path, "nonfinite", f"{path} is {value} where a finite number was expected: "
                            "look for log(0), division by zero or overflow in exp.")
        if not np.isclose(value, float(expected), rtol=tol.rtol, atol=tol.atol, equal_nan=True):
            return Mismatch(path, "value", f"{path} is {value:.6g}; that is not the expected value "
                            f"(off by {abs(value - float(expected)):.3g}).")
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Mismatch(path, "type", f"{path} should be a dict with keys {sorted(expected)}, got {describe(got)}.")
        missing = [k for k in expected if k not in got]
        extra = [k for k in got if k not in expected]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {missing}")
            if extra:
                parts.append(f"unexpected {extra}")
            return Mismatch(path, "keys", f"{path} should have the keys {list(expected)}: {', '.join(parts)}.")
        for k in expected:
            mm = compare(expected[k], got[k], tol, f"{path}[{k!r}]", rules=rules)
            if mm:
                return mm
        return None
    if isinstance(expected, (list, tuple)):
        kind = type(expected).__name__
        if not isinstance(got, (list, tuple)):
            return Mismatch(path, "type", f"{path} should be a {kind} of length {len(expected)}, got {describe(got)}.")
        if len(got) != len(expected):
            return Mismatch(path, "length", f"{path} should have {len(expected)} items, got {len(got)}.")
        for i, (e, g) in enumerate(zip(expected, got)):
            item = names[i] if len(names) == len(expected) else f"{path}[{i}]"
            mm = compare(e, g, tol, item, rules=rules)
            if mm:
                return mm
        return None
    raise TypeError(f"the reference returned an unsupported type {type(expected).__name__} at {path}")
