"""Assignment 2, notebook 2 (``deep_network.ipynb``): the graded functions of the L-layer network.

Cases are drawn from the ``rng`` given and always hold the edge shapes (``m = 1``, ``n_x = 1``, one
unit) and the depths L = 1, 2 and 4. Each backward function is graded on caches made by the
reference forward pass, so one mistake costs one function. ``initialize_parameters_deep`` is graded
by properties (:mod:`.properties`), with numpy's randomness bound per case (:mod:`.draws`). The
known mistakes are in :mod:`.mistakes_deep`.
"""

from __future__ import annotations

import numpy as np

from autograder.grading.compare import Tolerance
from autograder.grading.spec import Case, Exercise, Misconception, Notebook

from . import draws
from . import mistakes_deep as mis
from . import references as ref
from .cases_planar import labels_for
from .exercises_planar import GRAD_TOLERANCE
from .properties import check_gaussian_init

SHAPE_HINT = (
    r"(matmul|shapes .* not aligned|operands could not be broadcast|dimension mismatch)",
    "Check the shapes: W is (n_l, n_{l-1}) and A_prev is (n_{l-1}, m), so W @ A_prev is (n_l, m); "
    "dW has the shape of W, db of b (n_l, 1), dA_prev of A_prev. Print the .shape of each array.",
)
KEY_HINT = (
    r"KeyError",
    "The parameters are 'W1', 'b1', ..., 'WL', 'bL' (L = len(parameters) // 2); the gradients 'dA0' .. "
    "'dA' + str(L - 1), 'dW1' .. 'dW' + str(L), 'db1' .. 'db' + str(L).",
)
INDEX_HINT = (
    r"IndexError",
    "caches[0] is layer 1's cache and caches[L - 1] layer L's: layer l is caches[l - 1].",
)
VALUE_TOLERANCE = Tolerance(rtol=1e-7, atol=1e-12)


# ----------------------------------------------------------------------------- random inputs
def deep_params(rng, dims, gain: float = 1.3, b_scale: float = 0.3) -> dict:
    """``W1, b1, ..., WL, bL`` of order-one outputs per layer, with non-zero biases."""
    p = {}
    for l in range(1, len(dims)):
        p[f"W{l}"] = rng.normal(0.0, gain / np.sqrt(dims[l - 1]), (dims[l], dims[l - 1]))
        p[f"b{l}"] = rng.normal(0.0, b_scale, (dims[l], 1))
    return p


def _layer_shapes(rng) -> list[tuple[int, int, int]]:
    """``(n_prev, n_l, m)``: edge shapes, a square W (a missing .T shows only there), a random one."""
    return [(3, 2, 5), (1, 1, 1), (4, 3, 1), (1, 5, 7), (3, 3, 4),
            (int(rng.integers(2, 6)), int(rng.integers(6, 9)), int(rng.integers(9, 20)))]


def _linear_inputs(rng, n_prev, n_l, m):
    return rng.normal(0.0, 1.0, (n_prev, m)), rng.normal(0.0, 1.0, (n_l, n_prev)), rng.normal(0.0, 0.5, (n_l, 1))


def _shape_label(n_prev, n_l, m) -> str:
    return f"n_prev = {n_prev}, n_l = {n_l}, m = {m}"


def _activation_shapes(rng) -> list[tuple[str, int, int, int]]:
    return [("sigmoid", 3, 2, 5), ("relu", 4, 3, 6), ("tanh", 2, 5, 1), ("relu", 1, 1, 1), ("sigmoid", 5, 1, 3),
            ("tanh", int(rng.integers(2, 6)), int(rng.integers(2, 6)), int(rng.integers(6, 15))),
            ("relu", int(rng.integers(2, 6)), int(rng.integers(6, 9)), int(rng.integers(9, 20)))]


def _depths(rng) -> list[tuple[list[int], int]]:
    """``(layer_dims, m)``: L = 1, 2 (with m = 1), 3, 4 and a random one; n_x = 1 once."""
    deep = [int(rng.integers(2, 7)) for _ in range(int(rng.integers(2, 5)))] + [1]
    return [([4, 1], 3), ([3, 4, 1], 1), ([1, 3, 1], 5), ([2, 5, 3, 1], 6), ([5, 4, 3, 2, 1], 7),
            (deep, int(rng.integers(5, 25)))]


def _depth_label(dims, m) -> str:
    return f"L = {len(dims) - 1}, layer_dims = {dims}, m = {m}"


def cases_initialize_parameters_deep(rng) -> list[Case]:
    dims = [[5, 1], [1, 1], [2, 3, 1], [3, 4, 5, 2, 1], [100, 25, 64, 1],
            [int(rng.integers(2, 8)) for _ in range(int(rng.integers(3, 6)))]]
    return [Case(f"layer_dims = {d} (L = {len(d) - 1})", (d,), bind=draws.random_binding(draws.case_seed(d)))
            for d in dims]


def check_initialize_parameters_deep(case: Case, result):
    dims = case.args[0]
    shapes, stds = {}, {}
    for l in range(1, len(dims)):
        shapes[f"W{l}"], shapes[f"b{l}"] = (dims[l], dims[l - 1]), (dims[l], 1)
        stds[f"W{l}"] = 1.0 / np.sqrt(dims[l - 1])
    return check_gaussian_init(result, shapes, stds, draws.case_seed(dims))


def cases_linear_forward(rng) -> list[Case]:
    return [Case(_shape_label(*s), _linear_inputs(rng, *s)) for s in _layer_shapes(rng)]


def cases_linear_activation_forward(rng) -> list[Case]:
    return [Case(f'activation = "{a}", {_shape_label(n_prev, n_l, m)}', (*_linear_inputs(rng, n_prev, n_l, m), a))
            for a, n_prev, n_l, m in _activation_shapes(rng)]


def cases_L_model_forward(rng) -> list[Case]:
    return [Case(_depth_label(d, m), (rng.normal(0.0, 1.0, (d[0], m)), deep_params(rng, d))) for d, m in _depths(rng)]


def cases_linear_backward(rng) -> list[Case]:
    out = []
    for n_prev, n_l, m in _layer_shapes(rng):
        A_prev, W, b = _linear_inputs(rng, n_prev, n_l, m)
        out.append(Case(_shape_label(n_prev, n_l, m), (rng.normal(0.0, 1.0, (n_l, m)), (A_prev, W, b))))
    return out


def cases_linear_activation_backward(rng) -> list[Case]:
    out = []
    for a, n_prev, n_l, m in _activation_shapes(rng):
        _, cache = ref.linear_activation_forward(*_linear_inputs(rng, n_prev, n_l, m), a)
        out.append(Case(f'activation = "{a}", {_shape_label(n_prev, n_l, m)}',
                        (rng.normal(0.0, 1.0, (n_l, m)), cache, a)))
    return out


def cases_L_model_backward(rng) -> list[Case]:
    out = []
    for d, m in _depths(rng):
        AL, caches = ref.L_model_forward(rng.normal(0.0, 1.0, (d[0], m)), deep_params(rng, d))
        out.append(Case(_depth_label(d, m), (AL, labels_for(rng, 1, m), caches)))
    return out


# ----------------------------------------------------------------------------- the exercises
NOTEBOOK = Notebook(
    "deep_network.ipynb",
    provided={"sigmoid": "nnkit.activations:sigmoid", "relu": "nnkit.activations:relu"},
    exercises=(
        Exercise(
            name="initialize_parameters_deep", reference=ref.initialize_parameters_deep,
            cases=cases_initialize_parameters_deep, points=1, check=check_initialize_parameters_deep,
            forbid=("nnkit.init:initialize_parameters",),
            signature="initialize_parameters_deep(layer_dims, rng=None) -> {W1, b1, ..., WL, bL}",
            misconceptions=(
                Misconception("scale-1", mis.deep_scale_1,
                              "Divide the standard-normal draws by sqrt(n_{l-1}): W = rng.standard_normal((n_l, "
                              "n_{l-1})) / np.sqrt(layer_dims[l - 1])."),
                Misconception("scale-0.01", mis.deep_scale_001,
                              "0.01 is the 2-layer network's scale; in a deep network it makes the signal vanish "
                              "layer after layer. Divide by sqrt(layer_dims[l - 1]) instead."),
                Misconception("he-scale", mis.deep_he_scale,
                              "sqrt(2 / n_{l-1}) is He initialization; this network uses 1 / sqrt(n_{l-1})."),
                Misconception("wrong-dimension", mis.deep_wrong_dimension,
                              "Divide by the square root of the number of INPUTS of each unit, layer_dims[l - 1], "
                              "not of the layer's own size layer_dims[l]."),
                Misconception("divided-by-n", mis.deep_divided_by_n,
                              "The variance is 1 / n_{l-1}, so the standard deviation is 1 / sqrt(n_{l-1}): divide "
                              "by np.sqrt(layer_dims[l - 1]), not by layer_dims[l - 1]."),
                Misconception("last-layer-missing", mis.deep_last_layer_missing,
                              "layer_dims has L + 1 entries for L layers: loop over l in range(1, len(layer_dims)) "
                              "so that the last layer gets its W and b too."),
                Misconception("transposed", mis.deep_transposed,
                              "W[l] has one row per unit of layer l: shape (layer_dims[l], layer_dims[l - 1])."),
                Misconception("bias-1d", mis.deep_bias_1d,
                              "The biases are columns: np.zeros((layer_dims[l], 1))."),
                Misconception("fixed-seed", mis.deep_fixed_seed,
                              "A seed written inside the function (np.random.default_rng(1)) ignores the rng "
                              "argument: use rng = np.random.default_rng() if rng is None else rng."),
                Misconception("global-random-state", mis.deep_global_state,
                              "np.random.randn, np.random.normal and np.random.seed use numpy's global random state, "
                              "shared by all the code in the kernel: draw from the rng argument instead, "
                              "rng.standard_normal(shape), so that the same rng always gives the same weights."),
            ),
            error_hints=(KEY_HINT,
                         (r"GlobalRandomStateUsed", "Draw every number from the generator rng (a fresh "
                          "np.random.default_rng() when rng is None), never from np.random.randn or np.random.seed."),
                         (r"IndexError", "layer_dims = [n_x, n_1, ..., n_L] has L + 1 entries: loop over "
                          "l in range(1, len(layer_dims))."))
        ),
        Exercise(
            name="linear_forward", reference=ref.linear_forward, cases=cases_linear_forward, points=1,
            signature="linear_forward(A, W, b) -> (Z, cache = (A, W, b))", returns=("Z", "cache"),
            tolerance=VALUE_TOLERANCE,
            forbid=("nnkit.layers:linear_forward", "nnkit.layers:_linear_forward", "nnkit.layers:linear_activation_forward",
                    "nnkit.network:model_forward", "nnkit.network:_forward"),
            misconceptions=(
                Misconception("W-transposed", mis.linear_W_transposed,
                              "Z = W @ A + b with W of shape (n_l, n_{l-1}): no transpose (W.T @ A only works when W "
                              "is square, and then gives the wrong numbers)."),
                Misconception("missing-bias", mis.linear_no_bias, "Add the bias: Z = W @ A + b."),
                Misconception("Z-transposed", mis.linear_Z_transposed,
                              "Examples are columns: Z = W @ A + b has shape (n_l, m); A.T @ W.T gives its transpose."),
                Misconception("cache-order", mis.linear_cache_order,
                              "The cache is (A, W, b), in this order: linear_backward unpacks it as A_prev, W, b."),
                Misconception("cache-without-b", mis.linear_cache_without_b,
                              "The cache is the triple (A, W, b): linear_backward unpacks three values."),
            ),
            error_hints=(SHAPE_HINT,),
        ),
        Exercise(
            name="linear_activation_forward", reference=ref.linear_activation_forward,
            cases=cases_linear_activation_forward, points=2, tolerance=VALUE_TOLERANCE,
            signature='linear_activation_forward(A_prev, W, b, activation) -> (A, cache = ((A_prev, W, b), Z))',
            returns=("A", "cache"),
            forbid=("nnkit.layers:linear_activation_forward", "nnkit.activations:sigmoid_forward",
                    "nnkit.activations:relu_forward", "nnkit.activations:tanh_forward", "nnkit.network:model_forward",
                    "nnkit.network:_forward"),
            misconceptions=(
                Misconception("cache-holds-A", mis.activation_cache_holds_A,
                              "The cache keeps the activation's INPUT Z: cache = (linear_cache, Z). The backward "
                              "pass computes g'(Z) from it."),
                Misconception("cache-order", mis.activation_cache_order,
                              "The cache is (linear_cache, Z), in this order: linear_activation_backward unpacks it so."),
                Misconception("activations-swapped", mis.activation_swapped,
                              'activation = "relu" means A = relu(Z) = max(0, Z) and "sigmoid" means A = sigmoid(Z): '
                              "the two branches are swapped."),
                Misconception("relu-max-1", mis.activation_relu_max_1,
                              "ReLU is max(0, Z): np.maximum(0, Z). (Seed 003 writes max(1, x), a typo.)"),
                Misconception("tanh-not-handled", mis.activation_tanh_not_handled,
                              'Handle activation = "tanh" too: A = np.tanh(Z).'),
            ),
            error_hints=(SHAPE_HINT,),
        ),
        Exercise(
            name="L_model_forward", reference=ref.L_model_forward, cases=cases_L_model_forward, points=2,
            signature="L_model_forward(X, parameters) -> (AL, caches)", returns=("AL", "caches"),
            tolerance=VALUE_TOLERANCE, forbid=("nnkit.network:model_forward", "nnkit.network:_forward",
                                               "nnkit.network:predict"),
            misconceptions=(
                Misconception("relu-output", mis.model_all_relu,
                              'The output layer L uses the sigmoid (AL is a probability): ReLU for layers 1 .. L-1, '
                              'then linear_activation_forward(A, WL, bL, "sigmoid").'),
                Misconception("sigmoid-hidden-layers", mis.model_all_sigmoid,
                              'The hidden layers 1 .. L-1 use "relu"; only layer L uses "sigmoid".'),
                Misconception("activations-swapped", mis.model_activations_swapped,
                              'Hidden layers "relu", output layer "sigmoid": yours are the other way round.'),
                Misconception("output-cache-missing", mis.model_output_cache_missing,
                              "Append the output layer's cache too: caches must hold L caches, one per layer."),
            ),
            error_hints=(SHAPE_HINT, KEY_HINT),
        ),
        Exercise(
            name="linear_backward", reference=ref.linear_backward, cases=cases_linear_backward, points=2,
            signature="linear_backward(dZ, cache) -> (dA_prev, dW, db)", returns=("dA_prev", "dW", "db"),
            tolerance=GRAD_TOLERANCE,
            forbid=("nnkit.layers:linear_backward", "nnkit.layers:_linear_backward",
                    "nnkit.layers:linear_activation_backward", "nnkit.network:model_backward", "nnkit.network:_backward"),
            misconceptions=(
                Misconception("missing-1/m", mis.backward_no_m,
                              "dW and db are averages over the m examples: dW = 1/m dZ @ A_prev.T, "
                              "db = 1/m np.sum(dZ, axis=1, keepdims=True)."),
                Misconception("dA_prev-divided-by-m", mis.backward_dA_prev_over_m,
                              "dA_prev = W.T @ dZ carries no 1/m: it is per example, like dZ; the average is taken "
                              "once, in dW and db."),
                Misconception("db-without-keepdims", mis.backward_db_no_keepdims,
                              "db must be a column like b: np.sum(dZ, axis=1, keepdims=True) / m."),
                Misconception("db-summed-over-units", mis.backward_db_wrong_axis,
                              "Sum dZ over the EXAMPLES (axis=1, the columns) for db, not over the units (axis=0)."),
                Misconception("dW-transposed", mis.backward_dW_transposed,
                              "dW has the shape of W, (n_l, n_{l-1}): dW = 1/m dZ @ A_prev.T."),
            ),
            error_hints=(SHAPE_HINT,),
        ),
        Exercise(
            name="linear_activation_backward", reference=ref.linear_activation_backward,
            cases=cases_linear_activation_backward, points=2, tolerance=GRAD_TOLERANCE,
            signature="linear_activation_backward(dA, cache, activation) -> (dA_prev, dW, db)",
            returns=("dA_prev", "dW", "db"),
            forbid=("nnkit.layers:linear_activation_backward", "nnkit.activations:sigmoid_backward",
                    "nnkit.activations:_sigmoid_backward", "nnkit.activations:relu_backward",
                    "nnkit.activations:_relu_backward", "nnkit.activations:tanh_backward",
                    "nnkit.activations:_tanh_backward", "nnkit.activations:sigmoid_derivative",
                    "nnkit.activations:relu_derivative", "nnkit.activations:tanh_derivative",
                    "nnkit.network:model_backward", "nnkit.network:_backward"),
            misconceptions=(
                Misconception("relu-derivative-is-relu", mis.dZ_relu_is_relu,
                              "ReLU's derivative is 1 where Z > 0 and 0 elsewhere: dZ = dA * (Z > 0), not dA * relu(Z)."),
                Misconception("sigmoid-derivative-missing-(1-s)", mis.dZ_sigmoid_missing_factor,
                              "sigmoid'(Z) = s * (1 - s) with s = sigmoid(Z): you multiplied by s only."),
                Misconception("sigmoid-derivative-of-Z", mis.dZ_sigmoid_of_Z,
                              "sigmoid'(Z) = s * (1 - s) with s = sigmoid(Z), the activation; Z * (1 - Z) uses the "
                              "cache's Z itself."),
                Misconception("tanh-derivative-of-Z", mis.dZ_tanh_of_Z,
                              "tanh'(Z) = 1 - tanh(Z)**2: the cache holds Z, so apply np.tanh first."),
                Misconception("derivatives-swapped", mis.dZ_derivatives_swapped,
                              'The "relu" branch needs ReLU\'s derivative (Z > 0) and the "sigmoid" branch the '
                              "sigmoid's, s * (1 - s): they are swapped."),
                Misconception("no-activation-derivative", mis.dZ_no_derivative,
                              "Multiply by the activation's derivative first: dZ = dA * g'(Z), then linear_backward(dZ, "
                              "linear_cache)."),
                Misconception("tanh-not-handled", mis.dZ_tanh_not_handled,
                              'Handle activation = "tanh" too: dZ = dA * (1 - np.tanh(Z)**2).'),
            ),
            error_hints=(SHAPE_HINT,),
        ),
        Exercise(
            name="L_model_backward", reference=ref.L_model_backward, cases=cases_L_model_backward, points=3,
            signature="L_model_backward(AL, Y, caches) -> grads {dA0 .. dA(L-1), dW1 .. dWL, db1 .. dbL}",
            tolerance=GRAD_TOLERANCE,
            forbid=("nnkit.network:model_backward", "nnkit.network:_backward", "nnkit.losses:binary_cross_entropy",
                    "nnkit.losses:_binary_cross_entropy"),
            misconceptions=(
                Misconception("dAL-sign", mis.model_dAL_sign,
                              "dAL = -(Y / AL - (1 - Y) / (1 - AL)): the minus sign in front is missing."),
                Misconception("dAL-is-dZL", mis.model_dAL_is_dZL,
                              "AL - Y is dZ[L], the gradient AFTER the sigmoid's derivative. linear_activation_backward "
                              "multiplies by that derivative itself, so start from dAL = -(Y / AL - (1 - Y) / (1 - AL))."),
                Misconception("relu-output", mis.model_output_as_relu,
                              'Layer L is the sigmoid layer: go back through it with "sigmoid", then through layers '
                              'L-1 .. 1 with "relu".'),
                Misconception("sigmoid-hidden-layers", mis.model_backward_all_sigmoid,
                              'The hidden layers L-1 .. 1 are ReLU layers: use "relu" for them.'),
                Misconception("dA-key-off-by-one", mis.model_dA_key_off_by_one,
                              "linear_activation_backward of layer l returns the gradient of layer l's INPUT, "
                              "A[l-1]: store it as grads['dA' + str(l - 1)]."),
                Misconception("first-layer-skipped", mis.model_skips_first_layer,
                              "Go down to layer 1: for l in reversed(range(1, L)) (that is L-1, ..., 1) for the "
                              "hidden layers, after layer L."),
            ),
            error_hints=(SHAPE_HINT, KEY_HINT, INDEX_HINT),
        ),
    ),
)
