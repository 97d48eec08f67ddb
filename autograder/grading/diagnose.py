"""Diagnosis by relation: say what a wrong result has to do with the right one.

When a student's result is wrong, the verdict first tries the exercise's enumerated misconceptions
(they carry the best wording). What they miss, :func:`diagnose` names from the relation between the
student's result and the reference's on the same cases, a relation that must hold on EVERY failing
case:

1. item by item (each key of a dict, each element of a tuple; :mod:`autograder.grading.relations`):
   a constant factor or one made of the case's own numbers (``m``, ``n_x``, ``keep_prob``, a ratio
   such as ``n_x / m``), transposed, right values in the wrong shape, one value per example where one
   per unit belongs, swapped with another item, an input returned unchanged, all zeros, rounded
   down to integers, a list one entry too long or short;
2. the whole result equals the reference computed with ONE input changed (re-run here, on the
   trusted side, within a time budget): an argument ignored (its default used), an integer argument
   off by one (one iteration more or fewer, a schedule off by one), a float argument negated
   (gradient ascent), labels flipped, an input zeroed (the bias ignored), one input used where
   another belongs (the cached ``A`` for ``A_prev``, ``db`` for ``dW``), another activation;
3. the failures happen only on the cases where a size is 1 (one example, one feature).

Relations are computed only on failing cases, so they never fire on a correct result; when several
fit, the most specific one (highest rank) is said.
"""

from __future__ import annotations

import copy
import inspect
import time
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from autograder.grading.compare import compare
from autograder.grading.relations import (Relation, bound_arguments, case_quantities, input_leaves, leaf_relations,
                                          path_name, walk_leaves)

__all__ = ["diagnose", "Perturbation", "perturbations", "DIAGNOSIS_BUDGET_S"]

#: wall-time budget of the reference re-runs of one exercise's diagnosis
DIAGNOSIS_BUDGET_S = 1.5
#: the string arguments whose alternatives are tried, by value
_ALTERNATIVES = {a: ("sigmoid", "relu", "tanh", "leaky_relu", "softmax", "linear")
                 for a in ("sigmoid", "relu", "tanh", "leaky_relu", "softmax", "linear")}


@dataclass(frozen=True)
class Perturbation:
    """One input changed: a label, a rank, the sentence that explains it, and the change itself."""

    label: str
    rank: int
    message: str
    apply: Callable[[dict], dict]


def _setter(path: tuple, value_of: Callable[[Any, dict], Any]) -> Callable[[dict], dict]:
    """A change of the leaf at ``path``: ``value_of(old leaf, all arguments)`` gives its new value.

    The containers along the path are copied (tuples and named tuples rebuilt), the rest is shared."""
    def go(node, rest, arguments):
        if not rest:
            return value_of(node, arguments)
        key = rest[0]
        if isinstance(node, tuple):
            items = list(node)
            items[key] = go(items[key], rest[1:], arguments)
            return tuple(items) if type(node) is tuple else node._make(items)
        node = copy.copy(node)
        node[key] = go(node[key], rest[1:], arguments)
        return node

    def apply(arguments: dict) -> dict:
        return {k: (go(v, path[1:], arguments) if k == path[0] else v) for k, v in arguments.items()}
    return apply


def perturbations(reference: Callable, arguments: dict) -> list[Perturbation]:
    """Every one-input change worth trying on a case with these arguments, most specific first."""
    out: list[Perturbation] = []
    try:
        params = inspect.signature(reference).parameters
    except (TypeError, ValueError):
        params = {}
    for name, value in arguments.items():
        p = params.get(name)
        if isinstance(value, bool) or value is None:
            continue
        if p is not None and p.default is not inspect.Parameter.empty and p.default is not None \
                and not isinstance(p.default, bool) and type(value) in (int, float, str) and value != p.default:
            out.append(Perturbation(f"ignores-{name}", 92, f"it ignores its argument `{name}`: it behaves as if "
                                    f"`{name}` were its default value {p.default!r}. Use the argument.",
                                    _setter((name,), lambda v, a, d=p.default: d)))
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 1:
            for delta, word in ((1, "one more"), (-1, "one fewer")):
                out.append(Perturbation(f"{name}{delta:+d}", 90, f"it behaves as if `{name}` were {word} ({value + delta} "
                                        f"instead of {value}): an off-by-one (check the bounds of range(...), and "
                                        "whether the count starts at 0 or 1).",
                                        _setter((name,), lambda v, a, d=delta: v + d)))
        if isinstance(value, str) and value in _ALTERNATIVES:
            for alt in _ALTERNATIVES[value]:
                if alt != value:
                    out.append(Perturbation(f"{alt}-for-{value}", 87, f"it computes with the activation "
                                            f"\"{alt}\" where `{name}` says \"{value}\": check which activation each "
                                            "branch applies (and its derivative).",
                                            _setter((name,), lambda v, a, alt=alt: alt)))
    leaves = list(input_leaves(arguments))
    for path, value in leaves:
        name = path_name(path)
        if isinstance(value, float) and value != 0 and path[0] in params:
            out.append(Perturbation(f"negated-{name}", 88, f"it behaves as if `{name}` had the opposite sign: a step "
                                    "goes the wrong way (for gradient descent, subtract learning_rate * gradient).",
                                    _setter(path, lambda v, a: -v)))
        if isinstance(value, np.ndarray) and value.size > 1 and np.all((value == 0) | (value == 1)) \
                and 0 < value.sum() < value.size:
            out.append(Perturbation(f"flipped-{name}", 86, f"it behaves as if the labels `{name}` were flipped "
                                    "(1 - Y): check which class is 1, e.g. the sign of A - Y, or log(A) against "
                                    "log(1 - A).", _setter(path, lambda v, a: 1 - v)))
    arrays = [(p, v) for p, v in leaves if isinstance(v, np.ndarray) and v.size > 1]
    pairs = 0
    for pa, va in arrays:
        for pb, vb in arrays:
            if pa != pb and va.shape == vb.shape and not np.array_equal(va, vb) and pairs < 40:
                pairs += 1
                a, b = path_name(pa), path_name(pb)
                out.append(Perturbation(f"{b}-for-{a}", 85, f"it uses `{b}` where `{a}` belongs (the result equals "
                                        f"the right one computed with `{a}` replaced by `{b}`).",
                                        _setter(pa, lambda v, a, src=pb: _get(a, src))))
    for path, value in leaves:
        zero_worthy = (isinstance(value, np.ndarray) and value.size and np.any(value)) or \
                      (isinstance(value, float) and value != 0)
        if zero_worthy and path[0] in params:
            name = path_name(path)
            out.append(Perturbation(f"without-{name}", 84, f"it behaves as if `{name}` were 0: your computation "
                                    f"leaves `{name}` out (or overwrites it).",
                                    _setter(path, lambda v, a: np.zeros_like(v) if isinstance(v, np.ndarray) else 0.0)))
    return sorted(out, key=lambda p: -p.rank)


def _get(arguments: dict, path: tuple):
    node: Any = arguments
    for key in path:
        node = node[key]
    return copy.deepcopy(node)


def _quiet(fn, *a, **kw):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*a, **kw)


def _holds(pert: Perturbation, ex, failing, deadline: float) -> bool:
    for call, out in failing:
        if time.monotonic() > deadline:
            return False
        args = bound_arguments(ex.reference, copy.deepcopy(call.case.args), copy.deepcopy(call.case.kwargs))
        if args is None:
            return False
        try:
            value = _quiet(ex.reference, **pert.apply(args))
        except Exception:  # the changed input is not valid for the reference: not this relation
            return False
        if compare(value, out.value, ex.tolerance, rules=ex.types) is not None:
            return False
    return True


def _leaf_findings(ex, failing) -> tuple[dict[str, list[Relation]], set[str]]:
    """Per failing item path, the relations that hold on every case where that item is wrong."""
    found: dict[str, dict[str, Relation]] = {}
    for call, out in failing:
        args = bound_arguments(ex.reference, call.case.args, call.case.kwargs) or {}
        quantities = case_quantities(args)
        inputs = {path_name(p): v for p, v in input_leaves(args)}
        expected_items = {p: e for p, e, _ in walk_leaves(call.expected, call.expected, "result", ex.returns)}
        for path, e, g in walk_leaves(call.expected, out.value, "result", ex.returns):
            if _quiet(compare, e, g, ex.tolerance, rules=ex.types) is None:
                continue
            others = {p: v for p, v in expected_items.items() if p != path}
            rels = {r.label: r for r in _quiet(leaf_relations, e, g, path, quantities, others, inputs)}
            if path not in found:
                found[path] = rels
            else:
                found[path] = {k: v for k, v in found[path].items() if k in rels}
    return {p: sorted(r.values(), key=lambda r: -r.rank) for p, r in found.items()}, set(found)


def _edge_relation(ex, calls, failed_ids: set[str]) -> Relation | None:
    """The failures are exactly the cases where one size is 1."""
    passed = [c for c in calls if c.id not in failed_ids]
    failed = [c for c in calls if c.id in failed_ids]
    if not failed or not passed:
        return None
    dims_by_case = {}
    for c in calls:
        args = bound_arguments(ex.reference, c.case.args, c.case.kwargs) or {}
        dims = {}
        for path, value in input_leaves(args):
            if isinstance(value, np.ndarray) and value.ndim == 2:
                dims[f"{path_name(path)}.shape[0]"] = value.shape[0]
                dims[f"{path_name(path)}.shape[1]"] = value.shape[1]
        dims_by_case[c.id] = dims
    names = set.intersection(*(set(d) for d in dims_by_case.values())) if dims_by_case else set()
    for name in sorted(names, key=lambda n: (not n.endswith("[1]"), n)):
        if all(dims_by_case[c.id][name] == 1 for c in failed) and all(dims_by_case[c.id][name] != 1 for c in passed):
            what = "one example (m = 1)" if name.endswith("[1]") else "one row (a size of 1)"
            return Relation("fails-when-size-1", 20, f"it is wrong only on the cases with {name} = 1, {what}: look "
                                                     "for np.squeeze, .item(), ravel or indexing that drops an axis "
                                                     "of size 1, and keep every array 2-D.")
    return None


def diagnose(ex, calls, outcomes, failed_ids: set[str], budget_s: float = DIAGNOSIS_BUDGET_S) -> Relation | None:
    """The most specific relation that explains every failing case of ``ex``, or None.

    ``outcomes`` maps call ids to :class:`autograder.grading.verdict.Outcome`; ``failed_ids`` are the
    calls that failed (wrong value, error or timeout). Never raises.
    """
    try:
        return _diagnose(ex, calls, outcomes, failed_ids, budget_s)
    except Exception:  # a diagnosis is a bonus; a failure to find one must never cost the verdict
        return None


def _diagnose(ex, calls, outcomes, failed_ids, budget_s):
    if ex.check is not None or not failed_ids:
        return None
    failing = [(c, outcomes[c.id]) for c in calls if c.id in failed_ids and outcomes[c.id].status == "ok"]
    others_failed = [c for c in calls if c.id in failed_ids and outcomes[c.id].status != "ok"]
    best: Relation | None = None
    if failing and not others_failed:
        per_path, _ = _leaf_findings(ex, failing)
        if per_path and all(per_path.values()):
            tops = [rels[0] for rels in per_path.values()]
            labels = {r.label for r in tops}
            if len(labels) == 1:
                best = Relation(tops[0].label, tops[0].rank, " ".join(r.message for r in tops[:3]))
            else:
                lead = max(tops, key=lambda r: r.rank)
                best = Relation(lead.label, min(r.rank for r in tops), " ".join(r.message for r in tops[:3]))
        if best is None or best.rank < 70:
            deadline = time.monotonic() + budget_s
            first_args = bound_arguments(ex.reference, failing[0][0].case.args, failing[0][0].case.kwargs)
            ordered = sorted(failing, key=lambda co: _size(co[0].case))
            for pert in perturbations(ex.reference, first_args or {}):
                if time.monotonic() > deadline:
                    break
                if _holds(pert, ex, ordered, deadline):
                    return Relation(pert.label, pert.rank, f"`{ex.name}` gives the right result for a changed input: "
                                    f"{pert.message}")
    if best is None:
        best = _edge_relation(ex, calls, failed_ids)
    return best


def _size(case) -> int:
    total = 0
    for value in list(case.args) + list(case.kwargs.values()):
        total += int(np.size(value)) if isinstance(value, np.ndarray) else 1
    return total
