"""Where a function fails and how, when no relation between values explains it (see
:mod:`autograder.grading.diagnose`): the failures are exactly the cases where a size is 1 (one
example, one feature), or exactly those where it is not, or those given a plain number; or every
failing case raised the same kind of exception, which is named (an exercise's own hint first).
"""

from __future__ import annotations

import re

import numpy as np

from autograder.grading.relations import EXAMPLE_ARRAYS, Relation, bound_arguments, input_leaves, path_name

__all__ = ["edge_relation", "error_relation"]


def _sizes(ex, call) -> dict[str, int]:
    args = bound_arguments(ex.reference, call.case.args, call.case.kwargs) or {}
    dims = {}
    for path, value in input_leaves(args):
        if isinstance(value, np.ndarray):
            for axis, n in enumerate(value.shape):
                dims[f"{path_name(path)}.shape[{axis}]"] = n
    return dims


def edge_relation(ex, calls, failed_ids: set[str]) -> Relation | None:
    """The failures are exactly the cases where a size is 1, or exactly those where it is not."""
    passed = [c for c in calls if c.id not in failed_ids]
    failed = [c for c in calls if c.id in failed_ids]
    if not failed or not passed:
        return None
    sizes = {c.id: _sizes(ex, c) for c in calls}
    names = set.intersection(*(set(d) for d in sizes.values()))
    order = list(sizes[calls[0].id])  # parameter order, then axis
    examples = {n for n in names if n.split(".")[0].split("[")[0] in EXAMPLE_ARRAYS}
    for name in sorted(names, key=lambda n: (not n.endswith("[1]"), n not in examples, order.index(n))):
        what = "m = 1, one example" if name.endswith("[1]") else "a size of 1"
        if all(sizes[c.id][name] == 1 for c in failed) and all(sizes[c.id][name] != 1 for c in passed):
            return Relation("fails-when-size-1", 25, f"`{ex.name}` is wrong only on the cases with {name} = 1 "
                            f"({what}): look for np.squeeze, .item(), ravel or indexing that drops an axis of size "
                            "1, and keep every array 2-D.")
        if len(passed) >= 2 and all(sizes[c.id][name] == 1 for c in passed) and \
                all(sizes[c.id][name] != 1 for c in failed):
            return Relation("right-only-when-size-1", 26, f"`{ex.name}` is right only on the cases with {name} = 1 "
                            f"({what}): with a size of 1, a missing transpose, a wrong product order, an element-"
                            "wise product in place of a matrix product, or a factor of that size goes unnoticed; "
                            "check the shapes and the formula with sizes above 1.")
    if all(all(v == 1 for v in sizes[c.id].values()) for c in passed) and \
            all(any(v != 1 for v in sizes[c.id].values()) for c in failed):
        return Relation("right-only-when-size-1", 26, f"`{ex.name}` is right only on the case where every size is "
                        "1: with sizes of 1, a missing transpose, a wrong product order or a factor of a size goes "
                        "unnoticed; check the shapes and the formula with sizes above 1.")
    number_args = [c for c in calls if any(isinstance(a, (int, float)) and not isinstance(a, bool)
                                          for a in c.case.args)]
    if number_args and {c.id for c in number_args} == failed_ids:
        return Relation("fails-on-numbers", 24, f"`{ex.name}` fails exactly when it is given a plain number rather "
                        "than an array: use numpy functions (np.exp, np.asarray) that accept both.")
    return None


#: exception messages and the mistakes they mean (for a function that raises on every failing case)
_ERRORS = (
    (r"(matmul|shapes .* not aligned|could not be broadcast|size \d+ is different from)", "shape-error",
     "a matrix product or an elementwise operation got arrays of mismatched shapes: print the shapes "
     "of the operands; with examples as columns, W is (n_l, n_{l-1}), A is (n_{l-1}, m), and sums over "
     "examples use axis=1."),
    (r"Cannot cast ufunc .* output", "in-place-on-int-array",
     "an in-place operation (/=, *=, -=) on an integer array cannot store fractions: compute a new "
     "float array instead (X = X / max_value)."),
    (r"truth value of an array .* is ambiguous", "if-on-array",
     "`if`, `and` or `or` was applied to a whole array: use a vectorized comparison (A > 0.5) or "
     "np.where(...)."),
    (r"only (length-1|0-dimensional|size-1) arrays can be converted|must be real number, not",
     "number-expected", "something that takes one number (math.exp, math.log, float(...), int(...)) got "
     "an array of several values: use the numpy version (np.exp, np.log), which works elementwise, or "
     "check the shape of what you convert to a number."),
    (r"has no attribute '(astype|shape|T|reshape)'", "number-not-array",
     "a plain number was used as an array: convert it first with np.asarray(...)."),
    (r"(tuple indices|string indices|list indices) must be integers|not subscriptable|unhashable",
     "wrong-structure", "a value of the wrong kind was indexed: check what each call returns (a tuple "
     "to unpack, or a dict to index by its keys)."),
    (r"KeyError", "missing-key", "a dict was indexed with a key it does not hold: check the key names of "
     "the docstring (they are case-sensitive)."),
    (r"not enough values to unpack|too many values to unpack", "unpacking",
     "a result was unpacked into the wrong number of names: check how many values the function returns."),
    (r"^\w+: `?\w+`? must (be|have|hold|contain) ", "bad-argument",
     "a function you call refused one of its arguments (its message says which, and what it expected): "
     "check the order, the names and the kinds of the arguments you pass."),
)


def error_relation(ex, calls, outcomes, failed_ids) -> Relation | None:
    """One kind of exception raised on every failing case, named (an exercise's own hint first)."""
    errors = [outcomes[c.id] for c in calls if c.id in failed_ids]
    if not errors or any(o.status != "error" for o in errors):
        return None
    texts = [f"{o.error_type}: {o.error_message or ''}" for o in errors]
    for k, hint in enumerate(ex.error_hints):
        if all(re.search(hint[0], t) for t in texts):
            label = hint[2] if len(hint) > 2 else f"hint-{k + 1}"
            return Relation(label, 22, hint[1])
    for pattern, label, text in _ERRORS:
        if all(re.search(pattern, t) for t in texts):
            return Relation(label, 21, text)
    return None
