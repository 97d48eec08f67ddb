"""Assignment 3, notebook 1 (``initialization.ipynb``): the three initializers.

``initialize_parameters_zeros`` is compared with nnkit; the two random ones are graded by
properties (:func:`.checks.check_initializer`): shapes, zero biases, and weights that are the
``rng``'s normal draws times the right scale, layer by layer (arranged as the student likes).
Their cases leave ``rng`` at None, so the student's code draws from the case's generator
(:mod:`.draws`); one case has a large layer, whose statistics name a wrong distribution.
"""

from __future__ import annotations

import numpy as np

from autograder.grading.spec import Case, Exercise, Misconception, Notebook

from . import mistakes_init as mk
from . import references as ref
from .checks import check_initializer
from .draws import bind_for, case_seed

FORBID_INIT = ("nnkit.init:initialize_parameters",)
RNG_HINT = (r"'NoneType' object has no attribute",
            "rng is None here (its default): start with rng = np.random.default_rng() if rng is None else rng.")
DIMS_HINT = (r"(IndexError|TypeError: .*(int|list))",
             "layers_dims is a list [n_x, n_1, ..., n_L]: layer l has W of shape (layers_dims[l], layers_dims[l-1]), "
             "for l = 1 .. len(layers_dims) - 1.")


def _dims(rng) -> list[list[int]]:
    """The notebook's network, the edge shapes (one layer, n_x = 1, a one-unit layer), two random ones."""
    deep = [int(rng.integers(1, 6)) for _ in range(5)] + [1]
    return [[2, 10, 5, 1], [1, 1], [3, 1], [1, 4, 1], deep, [int(rng.integers(2, 8)), int(rng.integers(2, 8)), 1]]


def cases_zeros(rng) -> list[Case]:
    return [Case(f"layers_dims = {d}", (d,)) for d in _dims(rng)]


def cases_random_init(rng) -> list[Case]:
    """Each case draws from its own generator (``rng`` left at None); the last has a layer of over
    60000 weights, for the statistics of the distribution."""
    dims = _dims(rng) + [[int(rng.integers(250, 350)), int(rng.integers(200, 260)), 1]]
    return [Case(f"layers_dims = {d}, rng=None", (d,), bind=bind_for(case_seed(d))) for d in dims]


_RANDOM_BIASES = "Only W is drawn at random (that already breaks the symmetry); b[l] = np.zeros((n_l, 1))."
_LAST_LAYER = ("The last layer is missing: layers_dims of length L + 1 describes L layers, so loop with "
               "range(1, len(layers_dims)).")
_GLOBAL = ("global-random-state", "Draw from the rng argument (rng.standard_normal(...)), not from numpy's global "
           "random state (np.random.randn): the same rng must give the same weights.")
_FIXED = ("fixed-seed", "Do not seed a new generator inside the function (np.random.default_rng(3)): use the rng "
          "argument, and np.random.default_rng() without a seed when it is None.")

NOTEBOOK = Notebook(
    file="initialization.ipynb",
    exercises=(
        Exercise(
            name="initialize_parameters_zeros", reference=ref.initialize_parameters_zeros, cases=cases_zeros, points=1,
            signature="initialize_parameters_zeros(layers_dims) -> {'W1': (n_1, n_0), 'b1': (n_1, 1), ...} all zeros",
            forbid=FORBID_INIT, error_hints=(DIMS_HINT,),
            misconceptions=(
                Misconception("transposed-weights", mk.zeros_transposed,
                              "W[l] has shape (n_l, n_{l-1}) = (layers_dims[l], layers_dims[l-1]): one row per unit "
                              "of layer l, one column per input."),
                Misconception("last-layer-missing", mk.zeros_last_layer_missing,
                              "The last layer is missing: a network with layers_dims of length L + 1 has L layers, "
                              "so loop with range(1, len(layers_dims))."),
                Misconception("b-not-a-column", mk.zeros_b_1d,
                              "b[l] must be a column of shape (n_l, 1) (np.zeros((layers_dims[l], 1))), not a 1-D "
                              "array: a 1-D b broadcasts along the wrong axis in W A + b."),
                Misconception("b-not-a-column", mk.zeros_b_row,
                              "b[l] must be a column of shape (n_l, 1), one bias per unit: np.zeros((layers_dims[l], 1)), "
                              "not a row."),
                Misconception("square-weights", mk.zeros_square_weights,
                              "W[l] is (layers_dims[l], layers_dims[l-1]): its columns are the inputs of layer l, the "
                              "units of layer l - 1; you used the size of layer l twice."),
                Misconception("integer-zeros", mk.zeros_int,
                              "The arrays must hold floats (np.zeros(shape)), not integers: gradient descent would "
                              "truncate every update to an integer."),
            ),
        ),
        Exercise(
            name="initialize_parameters_random", reference=ref.initialize_parameters_random, cases=cases_random_init,
            points=1, forbid=FORBID_INIT, error_hints=(RNG_HINT, DIMS_HINT),
            signature="initialize_parameters_random(layers_dims, rng=None) -> W[l] ~ N(0, 1) * 10, b[l] = 0",
            check=check_initializer(lambda n, p: 10.0, "initialize_parameters_random (N(0, 1) * 10)"),
            misconceptions=(
                Misconception("forgot-the-scale", mk.random_scale_one,
                              "Multiply the standard normal draws by 10: this initializer is about too large weights."),
                Misconception("small-gaussian-scale", mk.random_small,
                              "That is seed 004's small Gaussian N(0, 0.01^2); this one draws N(0, 1) * 10."),
                Misconception("variance-for-std", mk.random_variance_for_std,
                              "rng.normal(0, scale, shape) takes the standard deviation, not the variance: N(0, 1) * 10 "
                              "is rng.normal(0, 10, shape) (its variance is 100)."),
                Misconception("divides-by-10", mk.random_divided_by_10,
                              "Multiply the draws by 10 (large weights are the point here), do not divide."),
                Misconception("he-scale", mk.random_he_scale,
                              "That is He's scale sqrt(2 / n_{l-1}); initialize_parameters_random uses 10."),
                Misconception("uniform-not-normal", mk.random_uniform,
                              "rng.random draws from the uniform distribution on [0, 1); the weights are normal: "
                              "rng.standard_normal(shape) * 10."),
                Misconception("random-biases", mk.random_b_random, _RANDOM_BIASES),
                Misconception("last-layer-missing", mk.random_last_layer_missing, _LAST_LAYER),
                Misconception(*_GLOBAL[:1], mk.random_global_state, _GLOBAL[1]),
                Misconception(*_FIXED[:1], mk.random_fixed_seed, _FIXED[1]),
            ),
        ),
        Exercise(
            name="initialize_parameters_he", reference=ref.initialize_parameters_he, cases=cases_random_init,
            points=1, forbid=FORBID_INIT, error_hints=(RNG_HINT, DIMS_HINT),
            signature="initialize_parameters_he(layers_dims, rng=None) -> W[l] ~ N(0, 1) * sqrt(2 / n_{l-1}), b[l] = 0",
            check=check_initializer(lambda n, p: np.sqrt(2.0 / p), "He initialization (N(0, 1) * sqrt(2 / n_{l-1}))"),
            misconceptions=(
                Misconception("xavier-scale", mk.he_xavier,
                              "sqrt(1 / n_{l-1}) is Xavier's scale (for tanh); He's, for ReLU, is sqrt(2 / n_{l-1}): "
                              "a ReLU zeroes half its inputs, and the 2 makes up for it."),
                Misconception("he-with-n_l", mk.he_n_l,
                              "He divides by n_{l-1} = layers_dims[l-1], the number of inputs of each unit of layer l, "
                              "not by n_l = layers_dims[l]."),
                Misconception("he-without-sqrt", mk.he_no_sqrt,
                              "The standard deviation is the square root of 2 / n_{l-1}: np.sqrt(2 / layers_dims[l-1]) "
                              "(2 / n_{l-1} is the variance; rng.normal(0, s, shape) takes the standard deviation s)."),
                Misconception("floor-division", mk.he_floor_division,
                              "2 // n is floor division (0 for n > 2): write np.sqrt(2 / layers_dims[l - 1])."),
                Misconception("sqrt2-over-n", mk.he_sqrt2_over_n,
                              "The square root covers the whole fraction: np.sqrt(2 / n_{l-1}), not np.sqrt(2) / n_{l-1}."),
                Misconception("times-10", mk.he_times_10,
                              "That is the x10 of the large random initialization; He uses sqrt(2 / n_{l-1})."),
                Misconception("uniform-not-normal", mk.he_uniform,
                              "rng.random draws from [0, 1); He draws rng.standard_normal(shape) * sqrt(2 / n_{l-1})."),
                Misconception("forgot-the-scale", mk.he_scale_one,
                              "Multiply the standard normal draws by sqrt(2 / n_{l-1}): that scale is the whole point "
                              "of He initialization."),
                Misconception("small-gaussian-scale", mk.he_small,
                              "That is seed 004's small Gaussian N(0, 0.01^2); He scales by sqrt(2 / n_{l-1}), which "
                              "keeps the signal's size constant from layer to layer."),
                Misconception("random-biases", mk.he_b_random, _RANDOM_BIASES),
                Misconception("last-layer-missing", mk.he_last_layer_missing, _LAST_LAYER),
                Misconception(*_GLOBAL[:1], mk.he_global_state, _GLOBAL[1]),
                Misconception(*_FIXED[:1], mk.he_fixed_seed, _FIXED[1]),
            ),
        ),
    ),
)
