"""Assignment 1, logistic regression as a neural network: the graded functions.

Each exercise compares the student's function with :mod:`.references` (adapters over nnkit) on
random inputs that always include the edge shapes ``m = 1`` and ``n_x = 1``; the known mistakes are in
:mod:`.mistakes`, the sample submissions in :mod:`.samples`.
"""

from __future__ import annotations

import numpy as np

from autograder.grading.compare import Tolerance, TypeRules
from autograder.grading.spec import Case, Exercise, Misconception, Notebook
from . import references as ref

from .mistakes import (flatten_column_major, flatten_ignores_max_value, flatten_no_scaling, flatten_no_transpose,
                       flatten_reshape_n_m, init_1d, init_b_array, init_row, model_ignores_args,
                       model_no_learning_rate, model_optimize_defaults, model_swapped_predictions,
                       model_trains_on_test, optimize_ascent, optimize_b_with_dw, optimize_cost_after_update,
                       optimize_every_cost, optimize_gradient_once, optimize_ignores_iterations, optimize_ignores_lr,
                       predict_1d, predict_inverted, predict_probabilities, predict_threshold_on_z,
                       propagate_cost_array, propagate_cost_sign, propagate_dw_transposed, propagate_grad_sign,
                       propagate_log_of_labels, propagate_no_m, propagate_no_m_cost, propagate_no_m_grads,
                       propagate_wrong_log_term, sigmoid_sign)

SHAPE_HINT = (
    r"(matmul|shapes .* not aligned|operands could not be broadcast)",
    "Check the shapes: w is (n_x, 1) and X is (n_x, m), so w.T @ X is (1, m); dw = X @ (A - Y).T / m is (n_x, 1).",
)
MATH_EXP_HINT = (
    r"(only (length-1|0-dimensional|size-1) arrays can be converted|must be real number, not)",
    "Use np.exp (elementwise on arrays), not math.exp (numbers only).",
)


# ----------------------------------------------------------------------------- random inputs
def _data(rng, n_x, m):
    w = rng.normal(0.0, 0.5, (n_x, 1))
    b = float(rng.normal(0.0, 0.5))
    X = rng.normal(0.0, 1.0, (n_x, m))
    Y = rng.integers(0, 2, (1, m)).astype(float)
    return w, b, X, Y


def _shapes(rng):
    """Edge shapes first, then two random ones."""
    return [(1, 5), (4, 1), (1, 1), (int(rng.integers(2, 6)), int(rng.integers(2, 9))),
            (int(rng.integers(5, 20)), int(rng.integers(10, 40)))]


def cases_flatten(rng):
    out = []
    for m, h, w, c in [(1, 3, 3, 1), (5, 4, 4, 3), (int(rng.integers(2, 7)), 2, 5, 1)]:
        images = rng.integers(0, 256, (m, h, w, c)).astype(np.uint8)
        out.append(Case(f"images of shape {images.shape}", (images,)))
    images = rng.integers(0, 17, (4, 8, 8, 1)).astype(np.uint8)
    out.append(Case("images of shape (4, 8, 8, 1) with max_value=16.0", (images,), {"max_value": 16.0}))
    return out


def cases_sigmoid(rng):
    return [
        Case("z = 0 (a number)", (0.0,)),
        Case("z = 2.5 (a number)", (2.5,)),
        Case("z of shape (1, 1)", (rng.normal(0, 3, (1, 1)),)),
        Case("z of shape (3, 4)", (rng.normal(0, 3, (3, 4)),)),
        Case("z of shape (1, 6) with large |z|", (np.array([[-30.0, -8.0, -1.0, 1.0, 8.0, 30.0]]),)),
    ]


def cases_init(rng):
    return [Case(f"dim = {d}", (d,)) for d in (1, 2, int(rng.integers(3, 12)))]


def cases_propagate(rng):
    return [Case(f"n_x = {n}, m = {m}", _data(rng, n, m)) for n, m in _shapes(rng)]


def cases_optimize(rng):
    out = []
    for (n, m), iters, lr in zip(_shapes(rng)[:4], (101, 1, 150, 230), (0.1, 0.009, 0.05, 0.3)):
        out.append(Case(f"n_x = {n}, m = {m}, num_iterations = {iters}, learning_rate = {lr}",
                        _data(rng, n, m), {"num_iterations": iters, "learning_rate": lr}))
    return out


def cases_predict(rng):
    return [Case(f"n_x = {n}, m = {m}", _data(rng, n, m)[:3]) for n, m in _shapes(rng)]


def cases_model(rng):
    out = []
    for n, m_train, m_test, iters, lr in [(3, 12, 5, 120, 0.1), (1, 1, 1, 101, 0.5), (6, 20, 7, 210, 0.05)]:
        # labels that depend on the inputs, so the model has something to learn
        w_true = rng.normal(0, 1, (n, 1))
        X_train, X_test = rng.normal(0, 1, (n, m_train)), rng.normal(0, 1, (n, m_test))
        Y_train = (w_true.T @ X_train > 0).astype(float)
        Y_test = (w_true.T @ X_test > 0).astype(float)
        out.append(Case(f"n_x = {n}, m_train = {m_train}, m_test = {m_test}, num_iterations = {iters}, "
                        f"learning_rate = {lr}", (X_train, Y_train, X_test, Y_test),
                        {"num_iterations": iters, "learning_rate": lr}))
    return out


# ----------------------------------------------------------------------------- the exercises
NOTEBOOK = Notebook(
    "logistic_regression.ipynb",
    exercises=(
        Exercise(
            name="flatten_and_scale", reference=ref.flatten_and_scale, cases=cases_flatten, points=1,
            signature="flatten_and_scale(images, max_value=255.0) -> X of shape (h*w*c, m)",
            misconceptions=(
                Misconception("rows-as-examples", flatten_no_transpose,
                              "You returned one image per row, shape (m, h*w*c). In this course examples are "
                              "columns: return images.reshape(m, -1).T."),
                Misconception("reshape(n, m)", flatten_reshape_n_m,
                              "images.reshape(h*w*c, m) has the right shape but mixes pixels of different "
                              "images in each column. Flatten each image first, images.reshape(m, -1), then transpose."),
                Misconception("column-major-flatten", flatten_column_major,
                              "You flattened each image in column-major (Fortran) order. Use the default "
                              "row-major order: images.reshape(m, -1).T."),
                Misconception("ignores-max_value", flatten_ignores_max_value,
                              "You always divide by 255: divide by the max_value argument instead."),
                Misconception("not-scaled", flatten_no_scaling,
                              "The pixels are not divided by max_value: scale them to [0, 1]."),
            ),
        ),
        Exercise(
            name="sigmoid", reference=ref.sigmoid, cases=cases_sigmoid, points=1,
            forbid=("nnkit.activations:_sigmoid", "nnkit.activations:sigmoid_forward"),
            signature="sigmoid(z) -> s, the same shape as z",
            misconceptions=(
                Misconception("sign-error", sigmoid_sign,
                              "You computed 1 / (1 + exp(z)), which is sigmoid(-z): the exponent is -z."),
            ),
            error_hints=(MATH_EXP_HINT,),
        ),
        Exercise(
            name="initialize_with_zeros", reference=ref.initialize_with_zeros, cases=cases_init, points=1,
            signature="initialize_with_zeros(dim) -> (w of shape (dim, 1), b = 0.0)", returns=("w", "b"),
            misconceptions=(
                Misconception("w-1d", init_1d, "w must be a column of shape (dim, 1): use np.zeros((dim, 1)), not np.zeros(dim)."),
                Misconception("w-row", init_row, "w must be a column of shape (dim, 1), not a row (1, dim)."),
                Misconception("b-array", init_b_array, "b must be the number 0.0, not an array."),
            ),
        ),
        Exercise(
            name="propagate", reference=ref.propagate, cases=cases_propagate, points=3,
            forbid=(f"{ref.__name__}:_propagate", "nnkit.losses:binary_cross_entropy",
                    "nnkit.losses:_binary_cross_entropy", "nnkit.network:model_backward", "nnkit.network:_backward"),
            signature='propagate(w, b, X, Y) -> (grads = {"dw": (n_x, 1), "db": float}, cost: float)',
            returns=("grads", "cost"),
            tolerance=Tolerance(rtol=1e-6, atol=1e-9),
            misconceptions=(
                Misconception("missing-1/m", propagate_no_m,
                              "The gradients and the cost are sums over the examples: divide them by m "
                              "(J = 1/m sum L, dw = 1/m X (A - Y)^T, db = 1/m sum(A - Y))."),
                Misconception("missing-1/m-in-gradients", propagate_no_m_grads,
                              "dw and db are missing the factor 1/m: dw = 1/m X (A - Y)^T, db = 1/m sum(A - Y)."),
                Misconception("missing-1/m-in-cost", propagate_no_m_cost,
                              "The cost is the mean of the losses: divide the sum by m."),
                Misconception("dw-transposed", propagate_dw_transposed,
                              "dw has the shape of w transposed: compute X @ (A - Y).T, which is (n_x, 1)."),
                Misconception("gradient-sign", propagate_grad_sign,
                              "dw and db have the wrong sign: with A = sigmoid(w^T X + b), dZ = A - Y (not Y - A)."),
                Misconception("cost-sign", propagate_cost_sign,
                              "The cost has the wrong sign: J = -1/m sum(Y log A + (1 - Y) log(1 - A)) is positive."),
                Misconception("wrong-log-term", propagate_wrong_log_term,
                              "The second term of the cost must use log(1 - A): (1 - Y) * log(1 - A)."),
                Misconception("log-of-labels", propagate_log_of_labels,
                              "The second term of the cost takes the log of the prediction, not of the label: "
                              "(1 - Y) * np.log(1 - A), not np.log(1 - Y)."),
                Misconception("cost-not-scalar", propagate_cost_array,
                              "The cost must be a number, not a (1, 1) array: use float(...) or np.squeeze(...)."),
            ),
            error_hints=(SHAPE_HINT, MATH_EXP_HINT),
        ),
        Exercise(
            name="optimize", reference=ref.optimize, cases=cases_optimize, points=2,
            forbid=("nnkit.train:train",),
            signature="optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False) -> (params, grads, costs)",
            returns=("params", "grads", "costs"),
            tolerance=Tolerance(rtol=1e-6, atol=1e-9),
            misconceptions=(
                Misconception("b-updated-with-dw", optimize_b_with_dw,
                              "b is updated with dw: the update of b is b = b - learning_rate * db."),
                Misconception("gradient-ascent", optimize_ascent,
                              "The parameters move up the gradient: subtract, w = w - learning_rate * dw."),
                Misconception("ignores-learning_rate", optimize_ignores_lr,
                              "Your function ignores its learning_rate argument (it always uses 0.009): use the argument."),
                Misconception("ignores-num_iterations", optimize_ignores_iterations,
                              "Your function ignores its num_iterations argument (it always runs 100 steps): loop num_iterations times."),
                Misconception("costs-every-iteration", optimize_every_cost,
                              "costs should hold the cost every 100 iterations (i % 100 == 0), not every iteration."),
                Misconception("gradient-computed-once", optimize_gradient_once,
                              "The gradient is computed once, before the loop, and reused at every step: call "
                              "propagate inside the loop, on the current w and b."),
                Misconception("cost-after-update", optimize_cost_after_update,
                              "The recorded cost is the cost after the update; record the cost that propagate "
                              "returned for the parameters of this iteration, before updating them."),
            ),
            error_hints=(SHAPE_HINT,),
        ),
        Exercise(
            name="predict", reference=ref.predict, cases=cases_predict, points=1,
            forbid=("nnkit.metrics:predict_labels", "nnkit.network:predict"),
            signature="predict(w, b, X) -> Y_prediction of shape (1, m), values 0 or 1",
            # labels: 0/1 as ints or bools work wherever the notebook uses them (accuracy, plots)
            types=TypeRules(int_for_float=True),
            misconceptions=(
                Misconception("probabilities-not-labels", predict_probabilities,
                              "You returned the probabilities A; predict must return labels: 1 where A > 0.5, else 0."),
                Misconception("inverted-threshold", predict_inverted,
                              "Your labels are inverted: the prediction is 1 where A > 0.5."),
                Misconception("threshold-on-z", predict_threshold_on_z,
                              "You compare z = w^T X + b with 0.5; the probability is A = sigmoid(z): threshold A "
                              "at 0.5 (or, equivalently, z at 0)."),
                Misconception("labels-1d", predict_1d,
                              "Return the labels with shape (1, m), not (m,)."),
            ),
            error_hints=(SHAPE_HINT,),
        ),
        Exercise(
            name="model", reference=ref.model, cases=cases_model, points=2,
            forbid=("nnkit.train:train",),
            signature="model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False) -> dict",
            types=TypeRules(int_for_float=True),  # the predictions it returns are labels
            tolerance=Tolerance(rtol=1e-6, atol=1e-9),
            misconceptions=(
                Misconception("ignores-arguments", model_ignores_args,
                              "model must pass num_iterations and learning_rate on to optimize instead of using the defaults."),
                Misconception("optimize-defaults", model_optimize_defaults,
                              "model calls optimize without num_iterations and learning_rate, so optimize runs with "
                              "its own defaults (100 steps of 0.009): pass both arguments on."),
                Misconception("learning_rate-not-passed", model_no_learning_rate,
                              "model passes num_iterations to optimize but not learning_rate, so optimize uses its "
                              "default 0.009: pass learning_rate=learning_rate."),
                Misconception("trains-on-test", model_trains_on_test,
                              "model learns w and b from the test set: optimize must see X_train and Y_train only; "
                              "the test set is for measuring, after training."),
                Misconception("swapped-predictions", model_swapped_predictions,
                              "Y_prediction_test and Y_prediction_train are swapped: predict on X_test for the test predictions."),
            ),
            error_hints=(SHAPE_HINT,),
        ),
    ),
)
