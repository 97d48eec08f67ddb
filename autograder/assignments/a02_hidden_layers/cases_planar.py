"""Test inputs of ``planar_classification.ipynb``, drawn from an ``rng`` (the visible and the hidden
run draw different ones), and the property check of its random initializer.

Every list holds the edge shapes: one example (``m = 1``), one feature (``n_x = 1``), one hidden
unit, two output rows. The random functions' cases bind numpy's randomness (:mod:`.draws`);
``nn_model``'s bind ``initialize_parameters`` to the known start of :mod:`.draws`, and are short,
stable runs (at most 120 steps, learning rate at most 1.2).
"""

from __future__ import annotations

import numpy as np

from autograder.grading.spec import Case
from nnkit.data import make_circles, make_flower, make_moons

from . import draws
from . import references as ref
from .properties import check_gaussian_init

__all__ = ["params_for", "labels_for", "cases_layer_sizes", "cases_initialize_parameters",
           "check_initialize_parameters", "cases_forward_propagation", "cases_compute_cost",
           "cases_backward_propagation", "cases_update_parameters", "cases_nn_model", "cases_predict",
           "START_INITIALIZER"]

#: what the cases of ``nn_model`` bind as ``initialize_parameters``: the known start (see .draws)
START_INITIALIZER = f"{draws.__name__}:start_initializer"


# ----------------------------------------------------------------------------- random inputs
def params_for(rng, sizes, w_scale: float = 0.7, b_scale: float = 0.4) -> dict:
    """``W1, b1, ...`` for layer sizes ``[n_0, n_1, ...]``, with non-zero biases (so that a forgotten
    ``+ b`` shows)."""
    p = {}
    for l in range(1, len(sizes)):
        p[f"W{l}"] = rng.normal(0.0, w_scale, (sizes[l], sizes[l - 1]))
        p[f"b{l}"] = rng.normal(0.0, b_scale, (sizes[l], 1))
    return p


def labels_for(rng, n_y: int, m: int) -> np.ndarray:
    return rng.integers(0, 2, (n_y, m)).astype(float)


def _shapes(rng) -> list[tuple[int, int, int, int]]:
    """``(n_x, n_h, n_y, m)``: edge shapes first, then a random one; n_h differs from n_x mostly."""
    return [(2, 4, 1, 7), (1, 3, 1, 1), (3, 1, 1, 6), (2, 5, 2, 4),
            (int(rng.integers(2, 5)), int(rng.integers(5, 8)), 1, int(rng.integers(10, 40)))]


def _label(n_x, n_h, n_y, m) -> str:
    return f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}, m = {m}"


def cases_layer_sizes(rng) -> list[Case]:
    out = []
    for n_x, n_y, m in [(2, 1, 20), (1, 1, 5), (3, 1, 1), (5, 2, 3), (4, 3, 9),
                        (int(rng.integers(6, 10)), 1, int(rng.integers(11, 30)))]:
        X, Y = rng.normal(0.0, 1.0, (n_x, m)), labels_for(rng, n_y, m)
        out.append(Case(f"X of shape {X.shape}, Y of shape {Y.shape}", (X, Y)))
    return out


def cases_initialize_parameters(rng) -> list[Case]:
    sizes = [(2, 4, 1), (1, 1, 1), (4, 1, 3), (int(rng.integers(2, 6)), int(rng.integers(2, 8)), 2), (50, 30, 20)]
    return [Case(f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}", (n_x, n_h, n_y),
                 bind=draws.random_binding(draws.case_seed(n_x, n_h, n_y))) for n_x, n_h, n_y in sizes]


def check_initialize_parameters(case: Case, result):
    n_x, n_h, n_y = case.args[:3]
    shapes = {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}
    return check_gaussian_init(result, shapes, {"W1": 0.01, "W2": 0.01}, draws.case_seed(n_x, n_h, n_y))


def cases_forward_propagation(rng) -> list[Case]:
    out = []
    for n_x, n_h, n_y, m in _shapes(rng):
        out.append(Case(_label(n_x, n_h, n_y, m), (rng.normal(0.0, 1.0, (n_x, m)), params_for(rng, [n_x, n_h, n_y]))))
    return out


def cases_compute_cost(rng) -> list[Case]:
    out = []
    for m, fixed in [(1, 1.0), (1, 0.0), (5, None), (int(rng.integers(10, 60)), None)]:
        A2 = 1.0 / (1.0 + np.exp(-rng.normal(0.0, 2.0, (1, m))))
        Y = np.full((1, m), fixed) if fixed is not None else labels_for(rng, 1, m)
        what = f"y = {int(fixed)}" if fixed is not None else "random labels"
        out.append(Case(f"m = {m}, {what}", (A2, Y)))
    return out


def _backward_case(rng, n_x, n_h, n_y, m) -> Case:
    X = rng.normal(0.0, 1.0, (n_x, m))
    params = params_for(rng, [n_x, n_h, n_y])
    Y = labels_for(rng, n_y, m)
    _, cache = ref.forward_propagation(X, params)
    return Case(_label(n_x, n_h, n_y, m), (params, cache, X, Y))


def cases_backward_propagation(rng) -> list[Case]:
    return [_backward_case(rng, *shape) for shape in _shapes(rng)]


def cases_update_parameters(rng) -> list[Case]:
    out = []
    for (n_x, n_h, n_y, _), lr in zip(_shapes(rng), (None, 0.01, 0.5, 2.0, float(np.round(rng.uniform(0.05, 1.0), 3)))):
        params = params_for(rng, [n_x, n_h, n_y])
        grads = {"d" + k: rng.normal(0.0, 0.3, v.shape) for k, v in params.items()}
        kwargs = {} if lr is None else {"learning_rate": lr}
        what = "learning_rate left at its default (1.2)" if lr is None else f"learning_rate = {lr}"
        out.append(Case(f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}, {what}", (params, grads), kwargs))
    return out


def _planar_data(rng, kind: str, m: int):
    seed = int(rng.integers(2**31))
    if kind == "line":  # one feature: class 1 far from 0, which no threshold separates
        X = np.random.default_rng(seed).normal(0.0, 1.0, (1, m))
        return X, (np.abs(X) > 0.7).astype(float)
    make = {"flower": make_flower, "moons": make_moons, "circles": make_circles}[kind]
    X, Y = make(max(m, 2), rng=seed)  # the generators need two examples at least
    return X[:, :m], Y[:, :m]


def cases_nn_model(rng) -> list[Case]:
    """Short, stable runs (at most 120 steps, learning rate at most 1.2) from the known start of
    :mod:`.draws`, bound as ``initialize_parameters``; ``np`` is bound too (no global random state)."""
    settings = [("flower", 30, 4, 60, None), ("moons", 20, 3, 1, 0.5), ("line", 12, 2, 40, 1.2), ("flower", 1, 1, 3, 0.5),
                ("circles", 25, 5, int(rng.integers(20, 120)), 1.2)]
    out = []
    for kind, m, n_h, iters, lr in settings:
        X, Y = _planar_data(rng, kind, m)
        kwargs = {"num_iterations": iters} | ({} if lr is None else {"learning_rate": lr})
        bind = {**draws.random_binding(draws.case_seed(X, Y, n_h)), "initialize_parameters": (START_INITIALIZER, ())}
        what = "learning_rate left at 1.2" if lr is None else f"learning_rate = {lr}"
        out.append(Case(f"{kind} data, n_x = {X.shape[0]}, m = {X.shape[1]}, n_h = {n_h}, num_iterations = {iters}, "
                        f"{what}", (X, Y, n_h), kwargs, bind=bind))
    return out


def cases_predict(rng) -> list[Case]:
    out = []
    for n_x, n_h, n_y, m in [(2, 4, 1, 9), (1, 2, 1, 1), (3, 5, 1, 12), (int(rng.integers(2, 6)), 4, 1, int(rng.integers(5, 30)))]:
        params = params_for(rng, [n_x, n_h, n_y], w_scale=1.0, b_scale=0.5)
        out.append(Case(_label(n_x, n_h, n_y, m), (params, rng.normal(0.0, 1.0, (n_x, m)))))
    return out
