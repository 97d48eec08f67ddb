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
3. where it fails and how (:mod:`autograder.grading.failure_patterns`): only on the cases where a
   size is 1 (or only above it, or only on plain numbers), or one kind of exception everywhere.

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
from autograder.grading.failure_patterns import edge_relation, error_relation
from autograder.grading.relations import (Relation, bound_arguments, finite, case_quantities, input_leaves, leaf_relations,
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
            if value > 2:
                out.append(Perturbation(f"{name}=1", 89, f"it behaves as if `{name}` were 1: only the first pass "
                                        "counts (a value computed before the loop, or returned from its first "
                                        "iteration).", _setter((name,), lambda v, a: 1)))
        if isinstance(value, str) and value in _ALTERNATIVES:
            for alt in _ALTERNATIVES[value]:
                if alt != value:
                    out.append(Perturbation(f"{alt}-for-{value}", 87, f"it computes with the activation "
                                            f"\"{alt}\" where `{name}` says \"{value}\": check which activation each "
                                            "branch applies (and its derivative).",
                                            _setter((name,), lambda v, a, alt=alt: alt)))
    scalars = [n for n, v in arguments.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    for i, a in enumerate(scalars):
        for b in scalars[i + 1:]:
            if arguments[a] != arguments[b]:
                out.append(Perturbation(f"swapped-{a}-{b}", 91, f"`{a}` and `{b}` are swapped (passed in each "
                                        "other's place): pass arguments by name, e.g. f(..., "
                                        f"{a}={a}, {b}={b}).", _swap(a, b)))
    leaves = list(input_leaves(arguments))
    for path, value in leaves:
        name = path_name(path)
        if isinstance(value, float) and value != 0 and path[0] in params:
            why = ("the step goes the wrong way (gradient descent subtracts learning_rate * gradient)"
                   if any(w in name for w in ("learning_rate", "lr", "alpha", "eta")) else
                   f"check the sign of `{name}` everywhere it enters the formula")
            out.append(Perturbation(f"negated-{name}", 88, f"it behaves as if `{name}` had the opposite sign: {why}.",
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
    scalable = arrays[:6] + [(p, v) for p, v in leaves if isinstance(v, float) and v != 0][:4]
    for path, value in scalable:
        name = path_name(path)
        for factor, word in ((2.0, "doubled"), (0.5, "halved")):
            out.append(Perturbation(f"{name}-{word}", 83, f"it behaves as if `{name}` were {word}: a factor "
                                    f"{factor:g} is missing or extra inside the formula (for example tanh(z) = "
                                    "2 sigmoid(2z) - 1 mixed up, or a 1/2 dropped).",
                                    _setter(path, lambda v, a, f=factor: v * f)))
    for path, value in leaves:
        zero_worthy = (isinstance(value, np.ndarray) and value.size and np.any(value)) or \
                      (isinstance(value, float) and value != 0)
        if zero_worthy and path[0] in params:
            name = path_name(path)
            out.append(Perturbation(f"without-{name}", 84, f"it behaves as if `{name}` were 0: your computation "
                                    f"leaves `{name}` out (or overwrites it).",
                                    _setter(path, lambda v, a: np.zeros_like(v) if isinstance(v, np.ndarray) else 0.0)))
    return sorted(out, key=lambda p: -p.rank)


def _swap(a: str, b: str) -> Callable[[dict], dict]:
    def apply(arguments: dict) -> dict:
        return {**arguments, a: arguments[b], b: arguments[a]}
    return apply


def _get(arguments: dict, path: tuple):
    node: Any = arguments
    for key in path:
        node = node[key]
    return copy.deepcopy(node)


def _quiet(fn, *a, **kw):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*a, **kw)


def _all_zeros(value) -> bool:
    """An all-zero result is said as such, not as "the right result for some zeroed input"."""
    return isinstance(value, np.ndarray) and value.size > 0 and value.dtype.kind in "biuf" and not np.any(value)


def _perturbed_items(pert: Perturbation, ex, call) -> dict[str, Any] | None:
    """The reference's result items on the case with the input changed (None if it does not run)."""
    args = bound_arguments(ex.reference, copy.deepcopy(call.case.args), copy.deepcopy(call.case.kwargs))
    if args is None:
        return None
    try:
        value = _quiet(ex.reference, **pert.apply(args))
    except Exception:  # the changed input is not valid for the reference: not this relation
        return None
    return {p: v for p, v, _ in walk_leaves(value, value, "result", ex.returns)}


def _explained_by(pert: Perturbation, ex, failing, wrong_paths: dict[str, dict[str, Any]], deadline: float
                  ) -> set[str]:
    """The failing item paths that equal, on every failing case, the reference's with ``pert`` applied."""
    explained: set[str] | None = None
    evidence = 0
    for call, out in failing:
        if time.monotonic() > deadline:
            return set()
        items = _perturbed_items(pert, ex, call)
        if items is None:  # the reference refuses the changed input here: no evidence either way
            continue
        here = {p for p, g in wrong_paths[call.id].items()
                if p in items and not _all_zeros(g) and finite(items[p])
                and _quiet(compare, items[p], g, ex.tolerance, rules=ex.types) is None}
        explained = here if explained is None else explained & here
        if not explained:
            return set()
        evidence += 1
    if explained and (evidence >= 2 or evidence == len(failing)):
        return explained
    return set()


def _leaf_findings(ex, failing) -> tuple[dict[str, list[Relation]], dict[str, dict[str, Any]]]:
    """Per failing item path, the relations that hold on every case where that item is wrong; and
    per case, the wrong items (path -> the student's value)."""
    found: dict[str, dict[str, Relation]] = {}
    wrong: dict[str, dict[str, Any]] = {}
    for call, out in failing:
        args = bound_arguments(ex.reference, call.case.args, call.case.kwargs) or {}
        quantities = case_quantities(args)
        inputs = {path_name(p): v for p, v in input_leaves(args)}
        expected_items = {p: e for p, e, _ in walk_leaves(call.expected, call.expected, "result", ex.returns)}
        wrong[call.id] = {}
        for path, e, g in walk_leaves(call.expected, out.value, "result", ex.returns):
            if _quiet(compare, e, g, ex.tolerance, rules=ex.types) is None:
                continue
            wrong[call.id][path] = g
            others = {p: v for p, v in expected_items.items() if p != path}
            rels = {r.label: r for r in _quiet(leaf_relations, e, g, path, quantities, others, inputs)}
            if path not in found:
                found[path] = rels
            else:  # keep the labels that hold on every case, each with its best rank
                found[path] = {k: max(v, rels[k], key=lambda r: r.rank) for k, v in found[path].items() if k in rels}
    return {p: sorted(r.values(), key=lambda r: -r.rank) for p, r in found.items()}, wrong


def diagnose(ex, calls, outcomes, failed_ids: set[str], budget_s: float = DIAGNOSIS_BUDGET_S) -> Relation | None:
    """The most specific relation that explains every failing case of ``ex``, or None.

    ``outcomes`` maps call ids to :class:`autograder.grading.verdict.Outcome`; ``failed_ids`` are the
    calls that failed (wrong value, error or timeout). Never raises.
    """
    try:
        return _diagnose(ex, calls, outcomes, failed_ids, budget_s)
    except Exception:  # a diagnosis is a bonus; a failure to find one must never cost the verdict
        return None


def _combine(per_path: dict[str, list[Relation]]) -> Relation:
    tops = [rels[0] for rels in per_path.values()]
    labels = list(dict.fromkeys(r.label for r in tops))
    lead = max(tops, key=lambda r: r.rank)
    messages = list(dict.fromkeys(r.message for r in tops))
    return Relation(lead.label if len(labels) > 1 else labels[0], min(r.rank for r in tops), " ".join(messages[:3]))


def _diagnose(ex, calls, outcomes, failed_ids, budget_s):
    if ex.check is not None or not failed_ids:
        return None
    failing = [(c, outcomes[c.id]) for c in calls if c.id in failed_ids and outcomes[c.id].status == "ok"]
    errored = [c for c in calls if c.id in failed_ids and outcomes[c.id].status != "ok"]
    value_relation = None
    if failing:
        per_path, wrong = _leaf_findings(ex, failing)
        if per_path and not all(rels and rels[0].rank >= 70 for rels in per_path.values()):
            deadline = time.monotonic() + budget_s
            ordered = sorted(failing, key=lambda co: _size(co[0].case))
            # the largest failing case shows the most structure (labels of both kinds, sizes above 1)
            richest = bound_arguments(ex.reference, ordered[-1][0].case.args, ordered[-1][0].case.kwargs)
            for pert in perturbations(ex.reference, richest or {}):
                if time.monotonic() > deadline:
                    break
                for path in _explained_by(pert, ex, ordered, wrong, deadline):
                    if not per_path[path] or per_path[path][0].rank < pert.rank:
                        per_path[path] = [Relation(pert.label, pert.rank, f"`{path}` is what the right computation "
                                                   f"gives when {pert.message}")] + per_path[path]
                if all(rels and rels[0].rank >= 84 for rels in per_path.values()):
                    break
        if per_path and all(per_path.values()):
            value_relation = _combine(per_path)
            if not errored:
                return value_relation
    edge = edge_relation(ex, calls, failed_ids)
    if edge is not None:
        return edge
    error = error_relation(ex, calls, outcomes, {c.id for c in errored})
    if error is not None and (not failing or value_relation is not None):
        # every failing case is explained: the errors by their kind, the wrong values by a relation
        extra = f" On other cases: {value_relation.message}" if value_relation is not None else ""
        return Relation(error.label, error.rank, error.message + extra)
    return None


def _size(case) -> int:
    total = 0
    for value in list(case.args) + list(case.kwargs.values()):
        total += int(np.size(value)) if isinstance(value, np.ndarray) else 1
    return total
