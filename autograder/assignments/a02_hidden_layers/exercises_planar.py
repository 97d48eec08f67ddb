"""Assignment 2, notebook 1 (``planar_classification.ipynb``): the graded functions of the 2-layer network.

The test inputs are in :mod:`.cases_planar`. Deterministic functions are compared with
:mod:`.references`; the random initializer is graded by properties (:mod:`.properties`) with numpy's
randomness bound per case (:mod:`.draws`); ``nn_model`` is compared on short runs from a known start
(:mod:`.draws`). The known mistakes are in :mod:`.mistakes_planar`.
"""

from __future__ import annotations

from autograder.grading.compare import Tolerance, TypeRules
from autograder.grading.spec import Exercise, Misconception, Notebook

from . import draws
from . import mistakes_planar as mis
from . import references as ref
from .cases_planar import (cases_backward_propagation, cases_compute_cost, cases_forward_propagation,
                           cases_initialize_parameters, cases_layer_sizes, cases_nn_model, cases_predict,
                           cases_update_parameters, check_initialize_parameters)

SHAPE_HINT = (
    r"(matmul|shapes .* not aligned|operands could not be broadcast|dimension mismatch)",
    "Check the shapes: W1 is (n_h, n_x) and X is (n_x, m), so W1 @ X is (n_h, m); W2 is (n_y, n_h) and "
    "A1 is (n_h, m); a b of shape (n, 1) is added to every column. Print the .shape of each array.",
)
KEY_HINT = (
    r"KeyError",
    "Use the keys of the notebook exactly: parameters 'W1', 'b1', 'W2', 'b2'; cache 'Z1', 'A1', 'Z2', 'A2'; "
    "grads 'dW1', 'db1', 'dW2', 'db2'.",
)
#: gradients are small numbers that must be right to many digits
GRAD_TOLERANCE = Tolerance(rtol=1e-7, atol=1e-12)


# ----------------------------------------------------------------------------- the exercises
_BACKWARD_NNKIT = ("nnkit.network:model_backward", "nnkit.network:_backward", "nnkit.layers:linear_backward",
                   "nnkit.layers:_linear_backward", "nnkit.layers:linear_activation_backward",
                   "nnkit.activations:tanh_backward", "nnkit.activations:_tanh_backward",
                   "nnkit.activations:sigmoid_backward", "nnkit.activations:_sigmoid_backward",
                   "nnkit.activations:tanh_derivative", "nnkit.activations:sigmoid_derivative")

NOTEBOOK = Notebook(
    "planar_classification.ipynb",
    provided={"sigmoid": "nnkit.activations:sigmoid"},
    exercises=(
        Exercise(
            name="layer_sizes", reference=ref.layer_sizes, cases=cases_layer_sizes, points=1,
            signature="layer_sizes(X, Y) -> (n_x, n_h, n_y) with n_h = 4", returns=("n_x", "n_h", "n_y"),
            misconceptions=(
                Misconception("n_x-is-m", mis.sizes_n_x_is_m,
                              "n_x is the number of input features, the number of ROWS of X: X.shape[0]. "
                              "X.shape[1] is m, the number of examples."),
                Misconception("n_y-is-m", mis.sizes_n_y_is_m,
                              "n_y is the number of output units, the number of ROWS of Y: Y.shape[0]. "
                              "Y.shape[1] is m, the number of examples."),
                Misconception("n_y-hard-coded", mis.sizes_n_y_fixed,
                              "n_y must come from the data, Y.shape[0], not be fixed at 1: Y may have several rows."),
                Misconception("wrong-order", mis.sizes_wrong_order,
                              "Return the sizes in the order of the layers: (n_x, n_h, n_y), input first."),
                Misconception("shapes-unpacked-backwards", mis.sizes_shapes_backwards,
                              "X.shape is (n_x, m) and Y.shape is (n_y, m): examples are columns, so the sizes are "
                              "the FIRST entries of the shapes, X.shape[0] and Y.shape[0]."),
                Misconception("n_h-not-4", mis.sizes_n_h_from_data,
                              "The hidden layer of this network has 4 units, whatever the data: n_h = 4."),
            ),
        ),
        Exercise(
            name="initialize_parameters", reference=ref.initialize_parameters, cases=cases_initialize_parameters,
            points=1, check=check_initialize_parameters, forbid=("nnkit.init:initialize_parameters",),
            signature='initialize_parameters(n_x, n_h, n_y, rng=None) -> {"W1", "b1", "W2", "b2"}',
            misconceptions=(
                Misconception("scale-1", mis.init_scale_1,
                              "The weights are plain standard-normal draws: multiply them by 0.01 "
                              "(W ~ N(0, 0.01^2) means rng.standard_normal(shape) * 0.01)."),
                Misconception("variance-for-deviation", mis.init_variance_for_deviation,
                              "N(0, 0.01^2) has standard deviation 0.01: multiply the draws by 0.01, not by "
                              "0.01**2 (that is the variance)."),
                Misconception("scale-0.1", mis.init_scale_01,
                              "The standard deviation is 0.01, not 0.1: rng.standard_normal(shape) * 0.01."),
                Misconception("mean-and-deviation-swapped", mis.init_mean_and_deviation_swapped,
                              "rng.normal takes the mean first, then the standard deviation: rng.normal(0.0, 0.01, "
                              "shape), not rng.normal(0.01, 1, shape)."),
                Misconception("bias-not-zero", mis.init_random_bias,
                              "Only the weights are random; the biases start at zero: np.zeros((n_h, 1)) and "
                              "np.zeros((n_y, 1))."),
                Misconception("transposed", mis.init_transposed,
                              "W1 has one row per hidden unit: shape (n_h, n_x), and W2 is (n_y, n_h)."),
                Misconception("bias-1d", mis.init_bias_1d,
                              "The biases are columns: np.zeros((n_h, 1)), not np.zeros(n_h)."),
                Misconception("symmetric-weights", mis.init_zero_weights,
                              "Weights that are all equal (zero) make every hidden unit compute the same thing for "
                              "ever: draw them at random."),
                Misconception("uniform-not-normal", mis.init_uniform,
                              "rng.random draws uniformly from [0, 1): use the normal distribution, "
                              "rng.standard_normal(shape) * 0.01."),
                Misconception("fixed-seed", mis.init_fixed_seed,
                              "A seed written inside the function (np.random.default_rng(1)) ignores the rng "
                              "argument: use rng = np.random.default_rng() if rng is None else rng."),
                Misconception("global-random-state", mis.init_global_state,
                              "np.random.randn, np.random.normal and np.random.seed use numpy's global random state, "
                              "shared by all the code in the kernel: draw from the rng argument instead, "
                              "rng.standard_normal(shape), so that the same rng always gives the same weights."),
            ),
            error_hints=((r"GlobalRandomStateUsed", "Draw every number from the generator rng (a fresh "
                          "np.random.default_rng() when rng is None), never from np.random.randn or np.random.seed."),),
        ),
        Exercise(
            name="forward_propagation", reference=ref.forward_propagation, cases=cases_forward_propagation, points=2,
            signature='forward_propagation(X, parameters) -> (A2, cache = {"Z1", "A1", "Z2", "A2"})',
            returns=("A2", "cache"), tolerance=Tolerance(rtol=1e-7, atol=1e-12),
            forbid=("nnkit.network:model_forward", "nnkit.network:_forward", "nnkit.layers:linear_forward",
                    "nnkit.layers:_linear_forward", "nnkit.layers:linear_activation_forward",
                    "nnkit.activations:tanh_forward", "nnkit.activations:sigmoid_forward"),
            misconceptions=(
                Misconception("relu-hidden-layer", mis.forward_relu_hidden,
                              "The hidden layer of this network uses tanh: A1 = np.tanh(Z1), not ReLU."),
                Misconception("sigmoid-hidden-layer", mis.forward_sigmoid_hidden,
                              "The hidden layer uses tanh, A1 = np.tanh(Z1); only the output layer uses the sigmoid."),
                Misconception("tanh-output", mis.forward_tanh_output,
                              "The output layer uses the sigmoid, A2 = sigmoid(Z2), so that A2 is a probability in "
                              "(0, 1); tanh is for the hidden layer only."),
                Misconception("Z2-from-Z1", mis.forward_z2_from_z1,
                              "The second layer takes the first layer's ACTIVATIONS as input: Z2 = W2 @ A1 + b2, "
                              "not W2 @ Z1 (that skips the tanh)."),
                Misconception("missing-bias", mis.forward_no_bias,
                              "Add the biases: Z1 = W1 @ X + b1 and Z2 = W2 @ A1 + b2."),
                Misconception("bias-after-activation", mis.forward_bias_after_activation,
                              "The bias belongs inside the activation: Z1 = W1 @ X + b1, then A1 = np.tanh(Z1)."),
                Misconception("no-hidden-activation", mis.forward_no_hidden_activation,
                              "A1 must be tanh(Z1): without the activation the two layers collapse into one linear "
                              "map, and the network can only draw straight boundaries."),
            ),
            error_hints=(SHAPE_HINT, KEY_HINT),
        ),
        Exercise(
            name="compute_cost", reference=ref.compute_cost, cases=cases_compute_cost, points=1,
            signature="compute_cost(A2, Y) -> cost (a float)", tolerance=Tolerance(rtol=1e-9, atol=1e-12),
            forbid=("nnkit.losses:binary_cross_entropy", "nnkit.losses:_binary_cross_entropy",
                    "nnkit.network:model_cost", "nnkit.network:_cost"),
            misconceptions=(
                Misconception("missing-1/m", mis.cost_no_m,
                              "The cost is the AVERAGE loss: divide the sum by m = Y.shape[1]."),
                Misconception("cost-sign", mis.cost_sign,
                              "The logs of probabilities are negative, so the cost needs the minus sign in front: "
                              "J = -1/m sum(Y log A2 + (1 - Y) log(1 - A2)) is positive."),
                Misconception("missing-second-term", mis.cost_only_first_term,
                              "The cross-entropy has two terms: Y * log(A2) for the examples labelled 1 and "
                              "(1 - Y) * log(1 - A2) for those labelled 0."),
                Misconception("wrong-log-term", mis.cost_wrong_log_term,
                              "The second term must use log(1 - A2): (1 - Y) * np.log(1 - A2)."),
                Misconception("cost-not-a-float", mis.cost_array,
                              "Return the cost as a number, not an array of shape (1, 1): float(...) or np.squeeze(...)."),
                Misconception("squared-error", mis.cost_squared_error,
                              "This is the squared error (A2 - Y)^2; the network is trained with the cross-entropy "
                              "-1/m sum(Y log A2 + (1 - Y) log(1 - A2))."),
            ),
            error_hints=((r"only (0-dimensional|length-1|size-1) arrays can be converted",
                          "np.dot(Y, np.log(A2).T) is an array of shape (1, 1), which float() refuses: take "
                          "float(np.squeeze(cost)), or compute the cost with np.sum."), SHAPE_HINT),
        ),
        Exercise(
            name="backward_propagation", reference=ref.backward_propagation, cases=cases_backward_propagation,
            points=3, tolerance=GRAD_TOLERANCE, forbid=_BACKWARD_NNKIT,
            signature='backward_propagation(parameters, cache, X, Y) -> {"dW1", "db1", "dW2", "db2"}',
            misconceptions=(
                Misconception("missing-1/m", mis.backward_no_m,
                              "The gradients of the average cost carry a 1/m: dW2 = 1/m dZ2 A1^T, db2 = 1/m "
                              "sum(dZ2, axis=1, keepdims=True), and the same for layer 1."),
                Misconception("db-without-keepdims", mis.backward_db_no_keepdims,
                              "db1 and db2 must be columns like b1 and b2: np.sum(dZ, axis=1, keepdims=True)."),
                Misconception("tanh-derivative-of-Z1", mis.backward_tanh_derivative_of_z,
                              "tanh'(Z1) = 1 - tanh(Z1)^2 = 1 - A1^2: square A1 (the cache's activation), not Z1."),
                Misconception("tanh-applied-twice", mis.backward_tanh_applied_again,
                              "A1 is already tanh(Z1): the derivative is 1 - A1**2, not 1 - np.tanh(A1)**2."),
                Misconception("sigmoid-derivative-in-hidden-layer", mis.backward_sigmoid_derivative,
                              "A1 * (1 - A1) is the sigmoid's derivative; the hidden layer is tanh, whose derivative "
                              "is 1 - A1**2."),
                Misconception("(1-A1)^2", mis.backward_square_of_difference,
                              "The derivative is 1 - A1**2 (one minus the square), not (1 - A1)**2."),
                Misconception("no-activation-derivative", mis.backward_no_derivative,
                              "dZ1 multiplies the error sent back by the derivative of tanh: "
                              "dZ1 = (W2.T @ dZ2) * (1 - A1**2)."),
                Misconception("missing-parentheses", mis.backward_missing_parentheses,
                              "W2.T @ dZ2 * 1 - A1**2 computes (W2^T dZ2) - A1^2, because * comes before -: put the "
                              "derivative in parentheses, (W2.T @ dZ2) * (1 - A1**2)."),
                Misconception("dZ2-sign", mis.backward_sign,
                              "dZ2 = A2 - Y (prediction minus label), not Y - A2: every gradient has the wrong sign."),
                Misconception("dW-transposed", mis.backward_dW_transposed,
                              "dW must have the shape of W: dW2 = 1/m dZ2 @ A1.T is (n_y, n_h) and dW1 = 1/m dZ1 @ X.T "
                              "is (n_h, n_x)."),
            ),
            error_hints=(SHAPE_HINT, KEY_HINT),
        ),
        Exercise(
            name="update_parameters", reference=ref.update_parameters, cases=cases_update_parameters, points=1,
            signature="update_parameters(parameters, grads, learning_rate=1.2) -> new parameters",
            tolerance=GRAD_TOLERANCE,
            forbid=("nnkit.optim:apply_updates", "nnkit.optim:_apply_updates", "nnkit.optim:sgd"),
            misconceptions=(
                Misconception("gradient-ascent", mis.update_ascent,
                              "Gradient DEScent moves against the gradient: W = W - learning_rate * dW."),
                Misconception("ignores-learning_rate", mis.update_ignores_learning_rate,
                              "Use the learning_rate argument instead of the number 1.2 (1.2 is only its default)."),
                Misconception("b-not-updated", mis.update_b_not_updated,
                              "Update the biases too: b1 = b1 - learning_rate * db1, b2 = b2 - learning_rate * db2."),
                Misconception("b-updated-with-dW", mis.update_b_with_dW,
                              "Each parameter moves with its own gradient: b1 with db1 and b2 with db2, not dW."),
            ),
            error_hints=(KEY_HINT, SHAPE_HINT),
        ),
        Exercise(
            name="nn_model", reference=draws.nn_model_from_start, cases=cases_nn_model, points=2,
            signature="nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False, rng=None) "
                      "-> parameters",
            tolerance=Tolerance(rtol=1e-6, atol=1e-8), forbid=("nnkit.train:train",), timeout_s=8.0,
            misconceptions=(
                Misconception("ignores-n_h", mis.model_ignores_n_h,
                              "Use the n_h argument for the hidden layer: layer_sizes gives n_x and n_y, but its "
                              "n_h (4) is only the default size; call initialize_parameters(n_x, n_h, n_y, rng)."),
                Misconception("ignores-learning_rate", mis.model_ignores_learning_rate,
                              "Pass learning_rate on to update_parameters(parameters, grads, learning_rate); "
                              "otherwise every step uses its default, 1.2."),
                Misconception("one-step-too-many", mis.model_extra_iteration,
                              "Run exactly num_iterations steps: for i in range(num_iterations)."),
                Misconception("one-step-too-few", mis.model_missing_iteration,
                              "Run exactly num_iterations steps: for i in range(num_iterations) (range(1, n) runs "
                              "n - 1 steps)."),
                Misconception("parameters-not-updated", mis.model_no_update,
                              "Keep the result of each step: parameters = update_parameters(parameters, grads, "
                              "learning_rate)."),
                Misconception("reinitialized-every-step", mis.model_reinitializes,
                              "Initialize the parameters once, before the loop: inside it every step starts again "
                              "from the random start."),
            ),
            error_hints=(SHAPE_HINT, KEY_HINT,
                         (r"GlobalRandomStateUsed", "Do not seed or use numpy's global random state "
                          "(np.random.seed, np.random.randn): pass rng on to initialize_parameters.")),
        ),
        Exercise(
            name="predict", reference=ref.predict, cases=cases_predict, points=1,
            signature="predict(parameters, X) -> predictions of shape (1, m), 0 or 1",
            forbid=("nnkit.network:predict", "nnkit.metrics:predict_labels"),
            # labels: 0/1 as ints or bools work wherever the notebook uses them (accuracy, plots)
            types=TypeRules(int_for_float=True),
            misconceptions=(
                Misconception("probabilities-not-labels", mis.predict_probabilities,
                              "You returned the probabilities A2; predict returns labels: 1 where A2 > 0.5, else 0."),
                Misconception("inverted-threshold", mis.predict_inverted,
                              "Your labels are inverted: the prediction is 1 where A2 > 0.5."),
                Misconception("threshold-on-Z2", mis.predict_threshold_on_z2,
                              "Threshold the probability A2 (the first value forward_propagation returns), not Z2: "
                              "A2 > 0.5 is the same as Z2 > 0."),
                Misconception("threshold-not-0.5", mis.predict_threshold_zero,
                              "A2 is a probability, always above 0: the threshold is 0.5, A2 > 0.5 (the same as "
                              "Z2 > 0)."),
                Misconception("labels-1d", mis.predict_1d, "Return the labels with shape (1, m), not (m,)."),
            ),
            error_hints=(SHAPE_HINT,),
        ),
    ),
)
