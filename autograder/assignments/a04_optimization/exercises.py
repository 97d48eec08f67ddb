"""Assignment 4, optimization algorithms: the graded functions of ``optimization.ipynb``, in notebook order.

The first-order methods, mini-batches and the initializers are specified here; Adam, RMSProp,
Adagrad and the schedules in :mod:`.exercises_adaptive`. Every exercise compares the student's
function with the reference of :mod:`.references` on the inputs of :mod:`.cases`, except
``random_mini_batches``, graded by the property check of :mod:`.checks` (its draws scripted by
:mod:`.draws`); the known mistakes are in :mod:`.mistakes`, :mod:`.mistakes_batches`,
:mod:`.mistakes_adaptive` and :mod:`.mistakes_schedules`.
"""

from __future__ import annotations

from autograder.grading.spec import Exercise, Misconception, Notebook

from . import cases, draws
from .checks import check_mini_batches
from . import mistakes as mk
from . import mistakes_batches as mb
from . import references as ref
from .exercises_adaptive import ADAPTIVE, SCHEDULES
from .hints import EXACT, LAYER_KEY_HINT, OPTIM_FORBID, RNG_HINT, SHAPE_HINT, UPDATE_TOL

REF = "autograder.assignments.a04_optimization.references"

FIRST_ORDER = (
    Exercise(
        name="update_parameters_with_gd", reference=ref.update_parameters_with_gd, cases=cases.cases_gd, points=1,
        signature="update_parameters_with_gd(parameters, grads, learning_rate) -> parameters (a new dict)",
        tolerance=UPDATE_TOL,
        forbid=("nnkit.optim:sgd", "nnkit.optim:apply_updates", "nnkit.optim:_apply_updates") + OPTIM_FORBID,
        misconceptions=(
            Misconception("gradient-ascent", mk.gd_ascent,
                          "The parameters move up the gradient, which increases the cost: subtract, "
                          "W = W - learning_rate * dW."),
            Misconception("b-not-updated", mk.gd_b_not_updated,
                          "Only the weights move: update every b[l] too, b = b - learning_rate * db."),
            Misconception("last-layer-not-updated", mk.gd_last_layer_skipped,
                          "The last layer keeps its parameters: with L = len(parameters) // 2 layers numbered "
                          "1 to L, loop over range(1, L + 1), not range(1, L)."),
            Misconception("b-updated-with-dW", mk.gd_b_with_dW,
                          "b is updated with dW (numpy broadcasts the two into a matrix): use db for b."),
            Misconception("ignores-learning_rate", mk.gd_fixed_rate,
                          "Your function always steps with 0.01: use its learning_rate argument."),
        ),
        error_hints=(LAYER_KEY_HINT, SHAPE_HINT),
    ),
    Exercise(
        name="random_mini_batches", reference=draws.random_mini_batches, cases=cases.cases_mini_batches, points=2,
        signature="random_mini_batches(X, Y, mini_batch_size=64, rng=None) -> [(X_batch, Y_batch), ...]",
        tolerance=EXACT, check=check_mini_batches,
        forbid=("nnkit.data.columns:random_mini_batches", "nnkit.train:_mini_batches",
                f"{REF}:random_mini_batches"),
        misconceptions=(
            Misconception("separate-permutations", mb.batches_separate_permutations,
                          "X and Y are shuffled with two different permutations, so the examples lose their "
                          "labels: draw one permutation = rng.permutation(m) and use it for both X[:, permutation] "
                          "and Y[:, permutation]."),
            Misconception("remainder-dropped", mb.batches_drop_remainder,
                          "The last, smaller batch is missing: when m % mini_batch_size is not 0, the remaining "
                          "examples form one more batch, so every example is used once per epoch."),
            Misconception("not-shuffled", mb.batches_not_shuffled,
                          "The examples keep their original order: shuffle the columns first, with one "
                          "permutation drawn from rng."),
            Misconception("global-random-state", mb.batches_global_state,
                          "The permutation comes from numpy's global random state (np.random.permutation, "
                          "np.random.shuffle, np.random.seed, ...), so the batches ignore rng and the function "
                          "changes a state the rest of the program shares: draw from the generator, "
                          "rng.permutation(m)."),
            Misconception("fixed-seed", mb.batches_fixed_seed,
                          "The function seeds a new generator with a fixed number (np.random.default_rng(0)), "
                          "so every epoch gets the same batches: draw from the rng argument, and use "
                          "np.random.default_rng() without a seed only when rng is None."),
            Misconception("sampled-with-replacement", mb.batches_with_replacement,
                          "rng.choice(m, m) samples with replacement: some examples appear twice and others not "
                          "at all. Use rng.permutation(m) (or choice with replace=False)."),
            Misconception("Y-reshaped-to-one-row", mb.batches_y_one_row,
                          "Y is reshaped to one row, which breaks labels with several rows (one-hot Y of shape "
                          "(n_y, m)): index the columns, Y[:, permutation], and keep Y's shape."),
            Misconception("extra-empty-batch", mb.batches_extra_empty,
                          "When m is a multiple of mini_batch_size you add an empty last batch: make the "
                          "remainder batch only when m % mini_batch_size != 0."),
            Misconception("last-batch-overlaps", mb.batches_last_full_size,
                          "The last batch takes the last mini_batch_size columns, so it repeats examples of the "
                          "batch before: it must hold only the m % mini_batch_size remaining columns, from "
                          "(m // mini_batch_size) * mini_batch_size to m."),
            Misconception("shuffled-features", mb.batches_shuffled_rows,
                          "rng.shuffle(X) shuffles the rows of X, which are the features: the examples are the "
                          "columns. Permute the columns, X[:, permutation] (and do not shuffle X in place: it "
                          "belongs to the caller)."),
            Misconception("Y-batch-is-1-D", mb.batches_y_one_dimensional,
                          "The labels of each batch lost their row: Y_batch must keep the shape (n_y, b), like Y. "
                          "After stacking, split with slices, XY[:n_x] and XY[n_x:], not XY[:-1] and XY[-1]."),
            Misconception("Y-sliced-by-rows", mb.batches_y_sliced_by_rows,
                          "Y_shuffled[k:k + b] slices the rows of Y, not its columns: every batch must take the same "
                          "columns from X and from Y, Y_shuffled[:, k:k + b]."),
            Misconception("remainder-twice", mb.batches_remainder_twice,
                          "With ceil(m / mini_batch_size) batches the last one already holds the remainder, and you "
                          "add it once more: make floor(m / mini_batch_size) full batches (m // mini_batch_size), "
                          "then the remainder."),
            Misconception("permutation-of-n_x", mb.batches_permutation_of_features,
                          "rng.permutation(X.shape[0]) permutes n_x indices, the number of features: the examples "
                          "are the m = X.shape[1] columns, so draw rng.permutation(m)."),
            Misconception("rows-indexed", mb.batches_rows_indexed,
                          "X[permutation] reorders the rows of X (the features): reorder its columns, "
                          "X[:, permutation]."),
            Misconception("ignores-mini_batch_size", mb.batches_fixed_size,
                          "Your batches always have 64 examples: cut them with the mini_batch_size argument."),
        ),
        error_hints=(RNG_HINT,),
    ),
    Exercise(
        name="initialize_velocity", reference=ref.initialize_velocity, cases=cases.cases_init, points=1,
        signature='initialize_velocity(parameters) -> v = {"dW1": zeros like W1, "db1": zeros like b1, ...}',
        tolerance=EXACT, forbid=("nnkit.optim:momentum",),
        misconceptions=(
            Misconception("keys-without-d", mk.velocity_keys_without_d,
                          "v must use the gradients' keys, dW1, db1, ... (v['dW' + str(l)]), not the parameters' "
                          "keys W1, b1, ..."),
            Misconception("b-entries-missing", mk.velocity_weights_only,
                          "v has no entries for the biases: add v['db' + str(l)] = zeros of b[l]'s shape."),
            Misconception("last-layer-missing", mk.velocity_last_layer_missing,
                          "The last layer has no velocity: loop over range(1, L + 1) with L = len(parameters) // 2."),
            Misconception("copies-parameters", mk.velocity_copies_parameters,
                          "v holds copies of the parameters: the velocity starts at zero, np.zeros_like(W)."),
            Misconception("scalar-zeros", mk.velocity_scalar_zeros,
                          "Each entry must be an array of its parameter's shape, np.zeros(W.shape), not the number 0."),
            Misconception("1-D-zeros", mk.velocity_one_dimensional,
                          "np.zeros(len(W)) is a 1-D array of n_l zeros: the velocity of W has W's full shape "
                          "(n_l, n_{l-1}), and that of b the shape (n_l, 1): np.zeros_like(W)."),
        ),
        error_hints=(LAYER_KEY_HINT,),
    ),
    Exercise(
        name="update_parameters_with_momentum", reference=ref.update_parameters_with_momentum,
        cases=cases.cases_momentum, points=2, returns=("parameters", "v"),
        signature="update_parameters_with_momentum(parameters, grads, v, beta, learning_rate) -> (parameters, v)",
        tolerance=UPDATE_TOL, forbid=("nnkit.optim:momentum",) + OPTIM_FORBID,
        misconceptions=(
            Misconception("missing-(1-beta)", mk.momentum_no_one_minus_beta,
                          "The gradient is added without the factor (1 - beta): v = beta * v + (1 - beta) * dW "
                          "is an average, and without (1 - beta) the velocity grows about 1 / (1 - beta) times too large."),
            Misconception("beta-and-(1-beta)-swapped", mk.momentum_swapped_beta,
                          "beta and 1 - beta are swapped: the old velocity keeps the weight beta, "
                          "v = beta * v + (1 - beta) * dW."),
            Misconception("steps-with-the-gradient", mk.momentum_steps_with_gradient,
                          "The parameters move along dW, not along the velocity: W = W - learning_rate * v, "
                          "with the v you have just updated."),
            Misconception("steps-with-the-old-velocity", mk.momentum_steps_with_old_v,
                          "The parameters move with the velocity of the previous step: update v first, then "
                          "W = W - learning_rate * v with the new v."),
            Misconception("heavy-ball-form", mk.momentum_heavy_ball_form,
                          "This is the heavy-ball form (v = beta * v - learning_rate * dW, W = W + v); this function "
                          "is the averaged form: v = beta * v + (1 - beta) * dW, W = W - learning_rate * v."),
            Misconception("velocity-not-returned", mk.momentum_returns_old_v,
                          "The v you return is the old one: return the updated velocity, so the next step can "
                          "use it."),
            Misconception("moves-up-the-velocity", mk.momentum_ascent,
                          "The parameters move along +v, up the averaged gradient, which increases the cost: "
                          "W = W - learning_rate * v."),
            Misconception("learning-rate-inside-the-velocity", mk.momentum_rate_inside,
                          "This is yet another form, v = beta * v + learning_rate * dW, W = W - v; this function "
                          "averages the gradients, v = beta * v + (1 - beta) * dW, and the learning rate multiplies "
                          "the step: W = W - learning_rate * v."),
            Misconception("db-velocity-uses-dW", mk.momentum_db_uses_dW,
                          "The velocity of b averages dW instead of db (a copy-paste slip): "
                          "v['db' + str(l)] = beta * v['db' + str(l)] + (1 - beta) * grads['db' + str(l)]."),
        ),
        error_hints=(LAYER_KEY_HINT, SHAPE_HINT),
    ),
    Exercise(
        name="update_parameters_with_heavy_ball", reference=ref.update_parameters_with_heavy_ball,
        cases=cases.cases_heavy_ball, points=1, returns=("parameters", "m"),
        signature="update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate) -> (parameters, m)",
        tolerance=UPDATE_TOL, forbid=("nnkit.optim:momentum",) + OPTIM_FORBID,
        misconceptions=(
            Misconception("plus-gradient", mk.heavy_ball_plus_gradient,
                          "m adds the gradient, which climbs the cost: m = momentum * m - learning_rate * dW "
                          "(minus), then W = W + m."),
            Misconception("subtracts-m", mk.heavy_ball_subtracts_m,
                          "W = W - m undoes the sign already inside m: in this form the step is W = W + m."),
            Misconception("steps-with-the-old-m", mk.heavy_ball_steps_with_old_m,
                          "The parameters move with the m of the previous step: update m first, then W = W + m."),
            Misconception("learning-rate-missing", mk.heavy_ball_no_learning_rate,
                          "The learning rate is missing: m = momentum * m - learning_rate * dW."),
            Misconception("averaged-form", mk.heavy_ball_ema_form,
                          "This is the averaged form (m = momentum * m + (1 - momentum) * dW, W = W - lr * m); "
                          "the heavy ball is m = momentum * m - learning_rate * dW, W = W + m."),
            Misconception("m-sign-flipped", mk.heavy_ball_sign_flipped,
                          "Your m has the opposite sign of the heavy ball's: m is the movement itself, minus sign "
                          "included, m = momentum * m - learning_rate * dW, and the step adds it, W = W + m. With "
                          "m = momentum * m + learning_rate * dW and W = W - m, the m you receive (and return) "
                          "points the wrong way."),
            Misconception("momentum-ignored", mk.heavy_ball_no_momentum,
                          "m does not keep any of its previous value, so this is plain gradient descent: "
                          "m = momentum * m - learning_rate * dW."),
        ),
        error_hints=(LAYER_KEY_HINT, SHAPE_HINT),
    ),
)

NOTEBOOK = Notebook("optimization.ipynb", exercises=FIRST_ORDER + ADAPTIVE + SCHEDULES)
