"""Relations of a result with the wrong shape or the wrong structure (see :mod:`autograder.grading.relations`):
renamed or missing keys, items in the wrong order or number, a list for an array, an array for a
number, transposed, reshaped, one value per example where one per unit belongs, a size taken from
the wrong dimension."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from autograder.grading.relation_types import Quantity, Relation

__all__ = ["structure_relations", "shape_relations", "permuted"]


def _close(a: np.ndarray, b: np.ndarray, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def shape_relations(ea: np.ndarray, ga: np.ndarray, path: str, quantities: list[Quantity]) -> list[Relation]:
    """Relations of a result whose shape is wrong: transposed, right values reshaped, one value per
    example where one per unit belongs, or a size taken from the wrong dimension."""
    out = []
    if ga.size == ea.size:
        if ga.ndim == ea.ndim == 2 and ga.size > 1 and ga.shape == ea.shape[::-1] and _close(ga.T, ea):
            out.append(Relation("transposed", 60, f"`{path}` holds the right values transposed, shape {ga.shape} "
                                f"instead of {ea.shape}: check the order of a matrix product or a missing/extra .T."))
        elif _close(ga.reshape(ea.shape), ea):
            out.append(Relation("wrong-shape", 55, f"`{path}` holds the right values in the shape {ga.shape} instead "
                                f"of {ea.shape}: keep the 2-D shape (keepdims=True, or .reshape{ea.shape})."))
    ms = [q for q in quantities if q.gloss.startswith("m,")]
    per_example = bool(ms) and ga.size == int(ms[0].value) and ga.ndim <= 2
    if per_example and ea.ndim == 0:
        out.append(Relation("sum-over-wrong-axis", 35, f"`{path}` has one value per example (shape {ga.shape}) where "
                            "a single number is expected: sum over every example (np.sum(...) without an axis), then "
                            "divide as the formula says."))
    elif per_example and ea.ndim == 2 and ea.shape[1] == 1 and (ga.size != ea.shape[0] or ga.shape == (1, 1)):
        out.append(Relation("sum-over-wrong-axis", 35, f"`{path}` has one value per example, shape {ga.shape}: sum "
                            f"over the examples instead, axis=1 with keepdims=True, to get shape {ea.shape}."))
    if ea.ndim == ga.ndim and ea.ndim >= 1:
        size = _wrong_size(ea.shape, ga.shape, quantities)
        if size:
            out.append(size.with_path(path))
    return out


def structure_relations(e: Any, g: Any, path: str) -> Iterator[Relation]:
    """A result of the wrong kind: renamed or missing keys, items in the wrong order, a list for an
    array, an array for a number."""
    if isinstance(e, dict) and isinstance(g, dict) and set(e) != set(g):
        missing, extra = [k for k in e if k not in g], [k for k in g if k not in e]
        renamed = [(k, x) for k in missing for x in extra if str(k).lower() == str(x).lower()]
        if renamed:
            k, x = renamed[0]
            yield Relation("renamed-key", 68, f"`{path}` uses the key {x!r} where {k!r} is expected: key names "
                           "are case-sensitive; use exactly the names of the docstring.")
        elif missing:
            yield Relation("missing-keys", 66, f"`{path}` lacks the key{'s' if len(missing) > 1 else ''} "
                           f"{', '.join(map(repr, missing))}: the dict must hold every key of the docstring.")
        else:
            yield Relation("extra-keys", 64, f"`{path}` has the extra key{'s' if len(extra) > 1 else ''} "
                           f"{', '.join(map(repr, extra))}: return exactly the keys of the docstring.")
    elif isinstance(e, tuple) and isinstance(g, (list, tuple)) and len(e) == len(g) and permuted(e, g):
        yield Relation("wrong-order", 67, f"`{path}` returns the right kinds of values in the wrong order: "
                       "return them in the order of the docstring.")
    elif isinstance(e, tuple) and isinstance(g, (list, tuple)) and len(e) != len(g):
        yield Relation("wrong-count", 63, f"`{path}` returns {len(g)} values instead of {len(e)}: return "
                       "exactly what the docstring lists, in order.")
    elif isinstance(e, np.ndarray) and isinstance(g, numbers.Real) and not isinstance(g, bool):
        yield Relation("number-not-array", 61, f"`{path}` is a plain number where an array of shape {e.shape} is "
                       "expected: build the result as an array (a sum or a mean without axis= gives one number; "
                       "use axis=... with keepdims=True, or np.zeros(...) and vectorized operations).")
    elif isinstance(e, np.ndarray) and isinstance(g, (list, tuple)):
        yield Relation("list-not-array", 62, f"`{path}` is a Python list where a numpy array is expected: build "
                       "it with numpy (np.zeros, np.array(...), array operations).")
    elif isinstance(e, np.ndarray) and isinstance(g, np.ndarray) and e.dtype.kind == "f" and g.dtype.kind in "biu":
        yield Relation("int-array", 61, f"`{path}` is an array of integers where floats are expected: "
                       "np.zeros(..., dtype=int) or // (integer division) makes integers; use floats.")
    elif isinstance(e, numbers.Real) and not isinstance(e, bool) and isinstance(g, np.ndarray) and g.size == 1:
        yield Relation("array-not-number", 61, f"`{path}` is a one-element array (shape {g.shape}) where a "
                       "number is expected: convert it with float(...).")
    elif _container(e) and _container(g) and _container(e) != _container(g):
        yield Relation("wrong-container", 60, f"`{path}` is a {type(g).__name__} where a {type(e).__name__} is "
                       "expected: return the values the way the docstring shows.")


def _container(x) -> str:
    return "dict" if isinstance(x, dict) else "sequence" if isinstance(x, (list, tuple)) else ""


def permuted(e, g) -> bool:
    """The items of ``g`` are those of ``e`` (by kind) in another order."""
    ke, kg = [_kind(x) for x in e], [_kind(x) for x in g]
    return len(e) > 1 and ke != kg and sorted(ke) == sorted(kg)


def _kind(x: Any) -> str:
    if isinstance(x, np.ndarray):
        return f"array{x.shape}"
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return "number"
    if isinstance(x, (list, tuple)):
        return "sequence"
    return type(x).__name__


@dataclass(frozen=True)
class _SizeRelation:
    got: str
    want: str

    def with_path(self, path: str) -> Relation:
        return Relation("wrong-size", 58, f"`{path}` has a size taken from {self.got} where {self.want} belongs: "
                        f"use {self.want}.")

    def __bool__(self) -> bool:
        return True


def _wrong_size(es: tuple, gs: tuple, quantities: list[Quantity]) -> _SizeRelation | None:
    """One axis of the result has a size that is another of the case's sizes (m where n_x belongs)."""
    diff = [i for i, (a, b) in enumerate(zip(es, gs)) if a != b]
    if len(diff) != 1:
        return None
    i = diff[0]
    named = lambda v: [q for q in quantities if q.value == v and q.gloss]  # noqa: E731
    got, want = named(gs[i]), named(es[i])
    if got and want and got[0].gloss != want[0].gloss:
        return _SizeRelation(got[0].gloss.split(",")[0] + f" ({got[0].name})",
                             want[0].gloss.split(",")[0] + f" ({want[0].name})")
    return None
