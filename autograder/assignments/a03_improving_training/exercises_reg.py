"""Assignment 3, notebook 2 (``regularization.ipynb``): L2 regularization and inverted dropout.

The cost is compared with nnkit. The backward passes are checked against nnkit with
:func:`.checks.check_gradients` (``dW``/``db`` required, the ``dZ``/``dA`` the notebook's template
returns checked when present); dropout's forward pass by properties given the returned masks
(:func:`.checks.check_dropout_forward`). Keep probabilities avoid 0.5, where ``rand > keep_prob``
keeps as many units as ``rand < keep_prob``; the dropout caches hold masks as bools, ints and floats.
"""

from __future__ import annotations

from autograder.grading.compare import Tolerance, TypeRules
from autograder.grading.spec import Case, Exercise, Misconception, Notebook

from . import mistakes_reg as mk
from . import references as ref
from .cases import describe_net, network, network_dims
from .checks import check_dropout_forward, check_gradients
from .draws import bind_for, case_seed

REF = ref.__name__
SHAPE_HINT = (r"(matmul|shapes .* not aligned|operands could not be broadcast)",
              "Check the shapes: W[l] is (n_l, n_{l-1}), A[l] and dZ[l] are (n_l, m), so dW[l] = dZ[l] A[l-1]^T / m and "
              "dA[l-1] = W[l]^T dZ[l].")
RNG_HINT = (r"'NoneType' object has no attribute",
            "rng is None here (its default): start with rng = np.random.default_rng() if rng is None else rng.")
CACHE_HINT = (r"(not enough values to unpack|too many values to unpack)",
              "Unpack the cache in its order: (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3), with dropout "
              "(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3).")
FORBID_BACKWARD = ("nnkit.network:model_backward", "nnkit.regularization:l2_grads",
                   "nnkit.layers:linear_activation_backward", "nnkit.layers:linear_backward",
                   "nnkit.regularization:dropout_backward")


def cases_cost(rng) -> list[Case]:
    out = []
    for (dims, m), lambd in zip(network_dims(rng), (0.7, 0.1, 0.0, round(float(rng.uniform(0.2, 3.0)), 3))):
        X, Y, params = network(rng, dims, m)
        A3 = ref.forward_3layer(X, params)[0]
        out.append(Case(f"{describe_net(dims, m)}, lambd = {lambd}", (A3, Y, params, lambd)))
    X, Y, params = network(rng, [2, 5, 3, 1], 6)
    out.append(Case(f"{describe_net([2, 5, 3, 1], 6)}, lambd = 5.0", (ref.forward_3layer(X, params)[0], Y, params, 5.0)))
    return out


def cases_l2_backward(rng) -> list[Case]:
    out = []
    for (dims, m), lambd in zip(network_dims(rng), (0.7, 0.3, 0.0, round(float(rng.uniform(0.2, 3.0)), 3))):
        X, Y, params = network(rng, dims, m)
        out.append(Case(f"{describe_net(dims, m)}, lambd = {lambd}", (X, Y, ref.forward_3layer(X, params)[1], lambd)))
    return out


def cases_dropout_forward(rng) -> list[Case]:
    """``rng`` left at None (see :mod:`.draws`); one case keeps ``keep_prob`` at its default and one has
    thousands of units per layer, for the keep rate."""
    out = []
    settings = list(zip(network_dims(rng), (0.8, 0.7, 0.86, 1.0))) + [(([3, 40, 30, 1], 60), 0.6),
                                                                       (([2, 6, 4, 1], 9), None)]
    for (dims, m), kp in settings:
        X, _, params = network(rng, dims, m, margin=0.0)
        seed = case_seed(X, params, 0.5 if kp is None else kp)
        if kp is None:
            out.append(Case(f"{describe_net(dims, m)}, keep_prob left at its default, rng=None", (X, params),
                            bind=bind_for(seed)))
        else:
            out.append(Case(f"{describe_net(dims, m)}, keep_prob = {kp}, rng=None", (X, params, kp),
                            bind=bind_for(seed)))
    return out


def cases_dropout_backward(rng) -> list[Case]:
    """Masks in the cache as floats, bools and ints; one network with equal hidden layers (so that
    swapping D1 and D2 runs)."""
    out = []
    for i, ((dims, m), kp) in enumerate(zip(network_dims(rng, equal_hidden=True), (0.8, 0.6, 0.86, 0.75, 0.9))):
        X, Y, params = network(rng, dims, m)
        cache = list(ref.forward_3layer(X, params, keep_prob=kp, rng=rng)[1])
        kind = ("float", "bool", "int")[i % 3]
        for j in (1, 6):
            cache[j] = cache[j].astype({"float": float, "bool": bool, "int": int}[kind])
        out.append(Case(f"{describe_net(dims, m)}, keep_prob = {kp}, masks as {kind}s", (X, Y, tuple(cache), kp)))
    return out


L2_MISTAKES = (
    Misconception("penalty-without-1/m", mk.l2_no_1_over_m,
                  "The gradient of lambd / (2m) * ||W||^2 is lambd / m * W: you added lambd * W (the 1/m is missing)."),
    Misconception("penalizes-biases", mk.l2_penalizes_biases,
                  "Only the weights are penalized: add lambd / m * W[l] to dW[l], and leave db[l] alone."),
    Misconception("penalty-gradient-halved", mk.l2_half,
                  "The derivative of lambd / (2m) * W^2 is lambd / m * W: the 2 of the square cancels the 1/2."),
    Misconception("penalty-gradient-doubled", mk.l2_double,
                  "The penalty's gradient is lambd / m * W, not 2 * lambd / m * W: the cost already has lambd / (2m)."),
    Misconception("penalty-wrong-sign", mk.l2_wrong_sign,
                  "Add lambd / m * W to dW: the penalty grows with the weights, so its gradient points along W."),
    Misconception("last-layer-only", mk.l2_last_layer_only,
                  "Every weight matrix is penalized: add lambd / m * W[l] to dW1, dW2 and dW3."),
    Misconception("penalty-forgotten", mk.l2_forgotten,
                  "These are the unregularized gradients: add lambd / m * W[l] to each dW[l]."),
    Misconception("weights-squared", mk.l2_weights_squared,
                  "The gradient of W^2 is 2 W: the penalty's gradient is lambd / m * W, W itself, not W squared."),
    Misconception("relu-derivative-ge", mk.l2_relu_ge,
                  "A >= 0 is true everywhere (A = max(0, Z)), so it lets the gradient through dead units: ReLU's "
                  "derivative is 1 where Z > 0 (equivalently A > 0), else 0."),
    Misconception("relu-derivative-ge", mk.l2_relu_ge_layer_1,
                  "A1 >= 0 is true everywhere (A1 = max(0, Z1)), so it lets the gradient through dead units: ReLU's "
                  "derivative is 1 where Z > 0 (equivalently A > 0), else 0."),
    Misconception("activation-for-derivative", mk.l2_activation_for_derivative,
                  "dZ = dA * g'(Z): multiply by ReLU's derivative (A > 0), not by the activation A itself."),
    Misconception("db-not-a-column", mk.l2_db_1d,
                  "Keep db a column (n_l, 1): np.sum(dZ, axis=1, keepdims=True) / m."),
    Misconception("db-summed-over-units", mk.l2_db_axis_0,
                  "db sums dZ over the examples, the columns: axis=1, not axis=0."),
)

_MASK_ON_DZ = ("The mask and the scaling go on dA (dA2 = dA2 * D2 / keep_prob) before the ReLU's derivative: your "
               "dW and db are the same, but dA1 and dA2 are not the gradients with respect to A1 and A2.")
DROPOUT_BACKWARD_MISTAKES = (  # the mask on dZ first: "scaling only" gives the same numbers (A > 0 masks dZ)
    Misconception("mask-on-dZ", mk.dropout_backward_mask_on_dz, _MASK_ON_DZ),
    Misconception("mask-on-dZ", mk.dropout_backward_mask_on_dz_scaled_da, _MASK_ON_DZ),
    Misconception("no-scaling", mk.dropout_backward_no_scaling,
                  "After applying the mask, divide by keep_prob as the forward pass did: dA = dA * D / keep_prob."),
    Misconception("mask-not-applied", mk.dropout_backward_no_mask,
                  "Shut down the same units as in the forward pass: dA = dA * D (the cache's mask), then / keep_prob."),
    Misconception("dropout-ignored", mk.dropout_backward_ignored,
                  "These are the gradients without dropout: apply the cache's masks D1, D2 to dA1, dA2 and divide by "
                  "keep_prob."),
    Misconception("multiplies-keep-prob", mk.dropout_backward_multiplies_keep_prob,
                  "Divide by keep_prob (as the forward pass did), do not multiply."),
    Misconception("swapped-masks", mk.dropout_backward_swapped_masks,
                  "Use D2 on dA2 and D1 on dA1: each layer's own mask."),
    Misconception("layer-1-unscaled", mk.dropout_backward_layer_1_unscaled,
                  "Both layers need the scaling: dA1 = dA1 * D1 / keep_prob as well as dA2 = dA2 * D2 / keep_prob."),
    Misconception("layer-1-mask-missing", mk.dropout_backward_layer_1_unmasked,
                  "Layer 1 was dropped out too: dA1 = dA1 * D1 / keep_prob, as for layer 2."),
    Misconception("mask-as-derivative", mk.dropout_backward_mask_as_derivative,
                  "The mask does not replace ReLU's derivative: dA = dA * D / keep_prob, then dZ = dA * (A > 0)."),
    Misconception("mask-applied-twice", mk.dropout_backward_mask_twice,
                  "Apply the mask and the 1/keep_prob once, to dA; dZ = dA * (A > 0) needs nothing more."),
    Misconception("output-error-sign", mk.dropout_backward_output_sign,
                  "dZ3 = A3 - Y (prediction minus label), not Y - A3: every gradient has the wrong sign."),
)

NOTEBOOK = Notebook(
    file="regularization.ipynb",
    provided={"sigmoid": f"{REF}:sigmoid", "relu": f"{REF}:relu", "compute_cost": f"{REF}:compute_cost"},
    exercises=(
        Exercise(
            name="compute_cost_with_regularization", reference=ref.compute_cost_with_regularization,
            cases=cases_cost, points=2, tolerance=Tolerance(rtol=1e-7, atol=1e-10),
            forbid=("nnkit.regularization:l2_cost", "nnkit.network:model_cost"),
            signature="compute_cost_with_regularization(A3, Y, parameters, lambd) -> float",
            misconceptions=(
                Misconception("penalty-without-1/m", mk.cost_no_1_over_m,
                              "The penalty is lambd / (2m) * sum ||W[l]||^2; yours is lambd / 2 * sum ||W||^2, seed "
                              "004's convention, without the 1/m. Divide by m, the number of examples, as the "
                              "cross-entropy does (m = Y.shape[1]: Y.shape[0] is 1)."),
                Misconception("penalizes-biases", mk.cost_includes_biases,
                              "Only the weights W1, W2, W3 are penalized, not the biases."),
                Misconception("penalty-without-1/2", mk.cost_no_half,
                              "The penalty is lambd / (2m) * sum ||W||^2: the 1/2 is missing."),
                Misconception("sum-not-squared", mk.cost_sum_not_squared,
                              "Square the weights before summing: np.sum(np.square(W1)), not np.sum(W1)."),
                Misconception("norm-not-squared", mk.cost_norm_not_squared,
                              "The penalty uses the squared Frobenius norm, the sum of the squared entries: "
                              "np.sum(np.square(W)), not np.linalg.norm(W)."),
                Misconception("precedence-lambd-m", mk.cost_precedence,
                              "lambd / 2 * m multiplies by m: write lambd / (2 * m) (or 1 / m * lambd / 2)."),
                Misconception("square-of-sum", mk.cost_square_of_sums,
                              "Square each weight, then sum: np.sum(np.square(W)), not np.sum(W) ** 2."),
                Misconception("last-layer-only", mk.cost_last_layer_only,
                              "Sum the squares of all three weight matrices, W1, W2 and W3."),
                Misconception("cross-entropy-missing", mk.cost_penalty_only,
                              "The cost is the cross-entropy (compute_cost(A3, Y)) PLUS the penalty."),
            ),
        ),
        Exercise(
            name="backward_propagation_with_regularization", reference=ref.backward_propagation_with_regularization,
            cases=cases_l2_backward, points=2, forbid=FORBID_BACKWARD, error_hints=(SHAPE_HINT, CACHE_HINT),
            signature="backward_propagation_with_regularization(X, Y, cache, lambd) -> grads (dW1..dW3, db1..db3, "
                      "optionally dZ3, dA2, dZ2, dA1, dZ1)",
            check=check_gradients(ref.backward_propagation_with_regularization, L2_MISTAKES),
            misconceptions=L2_MISTAKES,
        ),
        Exercise(
            name="forward_propagation_with_dropout", reference=ref.forward_propagation_with_dropout,
            cases=cases_dropout_forward, points=2, returns=("A3", "cache"), error_hints=(RNG_HINT, SHAPE_HINT),
            types=TypeRules(int_for_float=True),  # masks as bools or 0/1 ints are right (the check accepts them)
            forbid=("nnkit.network:model_forward", "nnkit.regularization:dropout_forward",
                    "nnkit.layers:linear_activation_forward"),
            signature="forward_propagation_with_dropout(X, parameters, keep_prob=0.5, rng=None) -> (A3, cache)",
            check=check_dropout_forward,
            misconceptions=(
                Misconception("no-scaling", mk.dropout_no_scaling,
                              "Inverted dropout divides the kept activations by keep_prob: A = A * D / keep_prob."),
                Misconception("multiplies-keep-prob", mk.dropout_multiplies_keep_prob,
                              "Divide by keep_prob, do not multiply: A = A * D / keep_prob."),
                Misconception("inverted-comparison", mk.dropout_inverted_comparison,
                              "Keep a unit when rng.random(...) < keep_prob, so that a fraction keep_prob survives."),
                Misconception("cache-before-dropout", mk.dropout_cache_before_dropout,
                              "Store A1 and A2 after dropout in the cache: the backward pass needs what the next layer saw."),
                Misconception("dropout-on-input", mk.dropout_on_input,
                              "Dropout acts on the hidden layers 1 and 2 only, never on the input X."),
                Misconception("dropout-on-output", mk.dropout_on_output,
                              "No dropout on the output layer: A3 = sigmoid(Z3)."),
                Misconception("uniform-numbers-as-mask", mk.dropout_uniform_mask,
                              "The mask must be 0 or 1: compare the random numbers with keep_prob, "
                              "D = rng.random(A.shape) < keep_prob."),
                Misconception("layer-2-not-dropped", mk.dropout_layer_1_only,
                              "Both hidden layers get dropout: draw D2 after A2 and apply it as for layer 1."),
                Misconception("masks-not-in-cache", mk.dropout_cache_without_masks,
                              "Keep the masks in the cache, (Z1, D1, A1, W1, b1, Z2, D2, A2, ...): the backward pass "
                              "must shut down the same units."),
                Misconception("mask-on-Z", mk.dropout_mask_on_z,
                              "Drop units after the activation: A1 = relu(Z1), then A1 = A1 * D1 / keep_prob; Z1 in the "
                              "cache must stay W1 X + b1."),
                Misconception("ignores-keep_prob", mk.dropout_ignores_keep_prob,
                              "Use the keep_prob argument, not the number 0.5."),
                Misconception("global-random-state", mk.dropout_global_state,
                              "Draw the masks from the rng argument (rng.random(A1.shape)), not from np.random.rand."),
                Misconception("fixed-seed", mk.dropout_fixed_seed,
                              "Do not seed a new generator inside the function: use the rng argument."),
            ),
        ),
        Exercise(
            name="backward_propagation_with_dropout", reference=ref.backward_propagation_with_dropout,
            cases=cases_dropout_backward, points=2, forbid=FORBID_BACKWARD, error_hints=(SHAPE_HINT, CACHE_HINT),
            signature="backward_propagation_with_dropout(X, Y, cache, keep_prob) -> grads (dW1..dW3, db1..db3, "
                      "optionally dZ3, dA2, dZ2, dA1, dZ1)",
            check=check_gradients(ref.backward_propagation_with_dropout, DROPOUT_BACKWARD_MISTAKES),
            misconceptions=DROPOUT_BACKWARD_MISTAKES,
        ),
    ),
)
