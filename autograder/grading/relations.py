"""Relations between one wrong value and the right one, found by looking at both (no reference run).

:func:`leaf_relations` compares one item of a result (an array, a number, a list) with the
reference's item on the same case and returns every relation that holds, each a :class:`Relation`
with a label, a rank (more specific relations rank higher) and an actionable sentence. The
quantities a factor can be named by (``m``, ``n_x``, ``keep_prob``, ...) come from the case's own
arguments (:func:`case_quantities`), so nothing here knows any assignment.

:mod:`autograder.grading.diagnose` keeps the relations that hold on every failing case.
"""

from __future__ import annotations

import inspect
import numbers
from typing import Any, Callable, Iterator

import numpy as np

from autograder.grading.relation_types import Quantity, Relation
from autograder.grading.shape_relations import permuted, shape_relations, structure_relations

__all__ = ["Relation", "Quantity", "case_quantities", "bound_arguments", "input_leaves", "leaf_relations",
           "walk_leaves", "finite", "path_name", "EXAMPLE_ARRAYS"]

#: arguments whose second axis counts the examples (the course's convention: examples are columns)
EXAMPLE_ARRAYS = frozenset({"X", "Y", "A", "A_prev", "AL", "A1", "A2", "A3", "Z", "Z1", "Z2", "Z3", "dZ", "dA",
                            "dA_prev", "X_train", "Y_train", "X_test", "Y_test", "x", "y"})
_CONSTANTS = ((-1.0, "sign", "has the wrong sign (it is exactly -1 times the right value)"),
              (2.0, "twice", "is exactly twice the right value (a factor 2 too many, e.g. from the derivative of x^2 "
                              "or a term counted twice)"),
              (0.5, "half", "is exactly half the right value (a factor 1/2 too many, or a term counted once where "
                             "it belongs twice)"),
              (-2.0, "sign-twice", "is exactly -2 times the right value"),
              (-0.5, "sign-half", "is exactly -1/2 times the right value"))


def bound_arguments(reference: Callable, args: tuple, kwargs: dict) -> dict[str, Any] | None:
    """``{parameter: value}`` of one call, defaults applied (None if the call does not bind)."""
    try:
        sig = inspect.signature(reference)
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        return dict(bound.arguments)
    except (TypeError, ValueError):
        return None


def input_leaves(arguments: dict[str, Any], depth: int = 3) -> Iterator[tuple[tuple, Any]]:
    """``(path, value)`` of every array and real number inside the arguments; a path is
    ``(parameter, key or index, ...)``."""
    def walk(path, value, d):
        if isinstance(value, np.ndarray) or (isinstance(value, numbers.Real) and not isinstance(value, bool)):
            yield path, value
        elif d > 0 and isinstance(value, dict):
            for k, v in value.items():
                yield from walk(path + (k,), v, d - 1)
        elif d > 0 and isinstance(value, (list, tuple)) and len(value) <= 64:
            for i, v in enumerate(value):
                yield from walk(path + (i,), v, d - 1)

    for name, value in arguments.items():
        yield from walk((name,), value, depth)


def path_name(path: tuple) -> str:
    """``("parameters", "W1")`` -> ``parameters['W1']``; ``("cache", 0, 1)`` -> ``cache[0][1]``."""
    return path[0] + "".join(f"[{k!r}]" for k in path[1:])


def case_quantities(arguments: dict[str, Any]) -> list[Quantity]:
    """The sizes and scalar arguments of a case, named as a student would write them."""
    out: list[Quantity] = []
    for path, value in input_leaves(arguments):
        name = path_name(path)
        if isinstance(value, np.ndarray):
            for axis, n in enumerate(value.shape[:2]):
                gloss = ""
                if value.ndim == 2 and axis == 1 and path[-1] in EXAMPLE_ARRAYS:
                    gloss = "m, the number of examples"
                elif value.ndim == 2 and axis == 0 and path[-1] in ("X", "x", "A_prev", "X_train"):
                    gloss = "n_x, the number of features"
                out.append(Quantity(f"{name}.shape[{axis}]", gloss, float(n)))
        elif value not in (0, 1) and np.isfinite(value):
            out.append(Quantity(name, "", float(value)))
    return out


def finite(value) -> bool:
    """Every number inside ``value`` (arrays, dicts, lists, tuples) is finite. A nan "equals" any
    other nan, so a candidate explanation that gives nan or inf proves nothing."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.all(np.isfinite(value)))
    if isinstance(value, dict):
        return all(finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(finite(v) for v in value)
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    return True


def _close(a: np.ndarray, b: np.ndarray, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _arr(x) -> np.ndarray | None:
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf":
        return x.astype(float)
    if isinstance(x, (list, tuple)) and x and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in x):
        try:
            return np.asarray(x, dtype=float)
        except OverflowError:
            return None
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        try:
            return np.asarray(float(x))
        except OverflowError:
            return None
    return None


def _factor(e: np.ndarray, g: np.ndarray) -> float | None:
    """k with g = k e (a least-squares fit that must be exact to 1e-6), or None."""
    if e.shape != g.shape or e.size == 0:
        return None
    ee = float(np.sum(e * e))
    if ee == 0.0 or not np.all(np.isfinite(g)):
        return None
    k = float(np.sum(e * g)) / ee
    if k == 0.0 or not np.isfinite(k) or not _close(g, k * e, rtol=1e-6, atol=1e-12):
        return None
    return k


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def _factor_relations(k: float, quantities: list[Quantity], path: str) -> list[Relation]:
    out = []
    for q in quantities:
        gloss = f" ({q.gloss})" if q.gloss else ""
        short = q.gloss.split(",")[0] if q.gloss else q.name
        bonus = 1 if q.gloss else 0  # a size the course names (m, n_x) reads better than an expression
        if q.value != 1 and _near(k, q.value):
            out.append(Relation(f"times-{short}", 70 + bonus, f"`{path}` is exactly {q.name}{gloss} times the right "
                                f"value: divide by {short} once (or remove the extra factor {short})."))
        if q.value != 1 and _near(k, 1.0 / q.value):
            out.append(Relation(f"divided-by-{short}", 70 + bonus, f"`{path}` is the right value divided by "
                                f"{q.name}{gloss}: you divide by {short} where it does not belong (or twice)."))
    for qa in quantities:
        for qb in quantities:
            if qa.name != qb.name and qa.value != qb.value and _near(k, qb.value / qa.value):
                a = qa.gloss.split(",")[0] if qa.gloss else qa.name
                b = qb.gloss.split(",")[0] if qb.gloss else qb.name
                # dividing by a size of 1 looks like no division at all: rank it below the plain factor
                rank = (72 + (qa.gloss != "") + (qb.gloss != "")) if qa.value != 1 else 69
                out.append(Relation(f"divided-by-{a}-not-{b}", rank,
                                    f"`{path}` is divided by {qa.name} instead of {qb.name}: use {b} "
                                    f"({qb.name}), not {a}."))
    for c, label, text in _CONSTANTS:
        if _near(k, c):
            out.append(Relation(label, 50, f"`{path}` {text}."))
    return out


def leaf_relations(e: Any, g: Any, path: str, quantities: list[Quantity],
                   others: dict[str, Any], inputs: dict[str, Any]) -> list[Relation]:
    """Every relation that holds between the wrong item ``g`` and the right item ``e``.

    ``others`` are the reference's other items on the same case (a swapped pair shows there),
    ``inputs`` the case's input leaves by name (a value returned unchanged shows there).
    """
    out: list[Relation] = list(structure_relations(e, g, path))
    if out and not (isinstance(g, np.ndarray) and isinstance(e, numbers.Real)):
        return out
    with np.errstate(all="ignore"):
        if isinstance(e, (list, tuple)) and isinstance(g, (list, tuple)) and len(g) != len(e):
            n = len(g) - len(e)
            which = "one entry too many" if n == 1 else "one entry too few" if n == -1 else f"{len(g)} entries"
            out.append(Relation("list-length", 30, f"`{path}` has {which} (expected {len(e)}): check the loop "
                                f"bounds and the condition that decides when to record an entry."))
            return out
        ea, ga = _arr(e), _arr(g)
        if ea is None or ga is None:
            return out
        if ga.shape == ea.shape and np.any(np.isfinite(ea) & ~np.isfinite(ga)):
            out.append(Relation("nan-or-inf", 30, f"`{path}` holds nan or inf where the right value is finite: look "
                                "for log(0) or log of a negative number (the log must be of A or 1 - A, never of "
                                "Y), a division by zero, or overflow in exp."))
            return out
        for name, other in others.items():
            oa = _arr(other)
            if oa is not None and oa.shape == ga.shape and not _close(oa, ea) and _close(ga, oa):
                out.append(Relation("swapped", 80, f"`{path}` holds the value that `{name}` should have: the two "
                                    "are swapped or mixed up."))
        for name, value in inputs.items():
            ia = _arr(value)
            if ia is not None and ia.shape == ga.shape and ia.size >= 1 and not _close(ia, ea) and _close(ga, ia):
                out.append(Relation("unchanged-input", 78, f"`{path}` is the input `{name}` returned unchanged: "
                                    "the computation (or the update) never reaches the value you return."))
        if ga.shape == ea.shape:
            out += _where_wrong(ea, ga, path, inputs)
            if ea.size > 0 and not np.any(ga) and np.any(ea):
                out.append(Relation("all-zeros", 59, f"`{path}` is all zeros: the value is never computed or "
                                    "updated (a loop that does not run, or a result written to a copy)."))
            k = _factor(ea, ga)
            if k is not None:
                out += _factor_relations(k, quantities, path)
            if ea.size and np.all(ea != 0) and np.all(np.isfinite(ga)) and _close(ga, 1.0 / ea):
                out.append(Relation("reciprocal", 65, f"`{path}` is exactly 1 over the right value: check the "
                                    "parentheses of a fraction (1 / (1 + ...) against 1 / 1 + ...)."))
            if not np.allclose(ea, np.round(ea)):
                for fn, label, what in ((np.floor, "floor-division", "rounded down"),
                                        (np.trunc, "truncated-to-int", "truncated")):
                    if _close(ga, fn(ea)):
                        out.append(Relation(label, 45, f"`{path}` holds the right values {what} to whole "
                                            "numbers: an integer division (//) or an integer array (dtype=int) "
                                            "lost the fractions; use / and float arrays."))
                        break
        else:
            out += shape_relations(ea, ga, path, quantities)
    return out


def _where_wrong(ea: np.ndarray, ga: np.ndarray, path: str, inputs: dict[str, Any]) -> list[Relation]:
    """The wrong entries are exactly where an input is negative (or positive), or exactly the last
    (or first) column: a branch or a loop bound that is wrong."""
    if ea.size < 1:
        return []
    bad = ~np.isclose(ga, ea, rtol=1e-6, atol=1e-9)
    out = []
    if ea.ndim == 2 and bad.any():
        cols = np.zeros_like(bad)
        cols[:, -1] = True
        if np.array_equal(bad, cols):
            out.append(Relation("last-column-wrong", 57, f"`{path}` is wrong only in its last column (the last "
                                "example): a loop stops one short (range(m - 1)) or a slice drops the end."))
        cols[:] = False
        cols[:, 0] = True
        if ea.shape[1] > 1 and np.array_equal(bad, cols):
            out.append(Relation("first-column-wrong", 57, f"`{path}` is wrong only in its first column (the first "
                                "example): check where the loop starts."))
    for name, value in inputs.items():
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            value = np.asarray(float(value))
        if isinstance(value, np.ndarray) and value.shape == ea.shape and bad.any() and np.any(value < 0):
            for mask, word in ((value < 0, "negative"), (value > 0, "positive")):
                if not np.any(bad & ~mask):
                    other = "positive" if word == "negative" else "negative"
                    out.append(Relation(f"wrong-where-{word}", 56, f"`{path}` is right where `{name}` is {other} and "
                                        f"wrong only where it is {word}: check the branch (or the formula) used for "
                                        f"{word} values."))
    return out


def walk_leaves(e: Any, g: Any, path: str, names: tuple[str, ...] = ()) -> Iterator[tuple[str, Any, Any]]:
    """``(path, expected item, got item)`` for every item of the result, recursing into dicts,
    lists and tuples of matching structure (named as :func:`autograder.grading.compare.compare` names them)."""
    if isinstance(e, dict) and isinstance(g, dict) and set(e) == set(g):
        for k in e:
            yield from walk_leaves(e[k], g[k], f"{path}[{k!r}]")
        return
    if isinstance(e, (list, tuple)) and isinstance(g, (list, tuple)) and len(e) == len(g) and \
            not all(isinstance(x, numbers.Real) for x in e) and not permuted(e, g):
        for i, (a, b) in enumerate(zip(e, g)):
            item = names[i] if len(names) == len(e) else f"{path}[{i}]"
            yield from walk_leaves(a, b, item)
        return
    yield path, e, g
