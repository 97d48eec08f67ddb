"""Assignment 4's adaptive methods (Adagrad, RMSProp, Adam, with their initializers) and the
learning-rate schedules, in notebook order. See :mod:`.exercises` for the first-order methods.
"""

from __future__ import annotations

from autograder.grading.spec import Exercise, Misconception

from . import cases
from . import mistakes as mk
from . import mistakes_adaptive as ma
from . import mistakes_schedules as ms
from . import references as ref
from .hints import EXACT, LAYER_KEY_HINT, OPTIM_FORBID, RATE_TOL, SHAPE_HINT, UPDATE_TOL, ZERO_DIVISION_HINT

_EPS_FEEDBACK = ("epsilon is inside the square root: the step is dW / (sqrt(s) + epsilon). Inside, it changes "
                 "nothing you can see for ordinary gradients but takes over when the gradients are tiny, "
                 "which is exactly when epsilon should only prevent a division by zero.")

ADAPTIVE = (
    Exercise(
        name="initialize_rmsprop", reference=ref.initialize_rmsprop, cases=cases.cases_init, points=1,
        signature='initialize_rmsprop(parameters) -> s = {"dW1": zeros like W1, "db1": zeros like b1, ...}',
        tolerance=EXACT, forbid=("nnkit.optim:rmsprop", "nnkit.optim:adagrad"),
        misconceptions=(
            Misconception("keys-without-d", mk.rmsprop_init_keys_without_d,
                          "s must use the gradients' keys, dW1, db1, ..., not the parameters' keys W1, b1, ..."),
            Misconception("s-starts-at-epsilon", mk.rmsprop_init_epsilon,
                          "s starts at 1e-8 instead of 0: epsilon belongs in the update's denominator, "
                          "sqrt(s) + epsilon, not in s. Start from np.zeros_like(W)."),
            Misconception("s-starts-at-one", mk.rmsprop_init_ones,
                          "s starts at 1: the average of the squared gradients starts at 0, np.zeros_like(W)."),
            Misconception("b-entries-missing", mk.rmsprop_init_weights_only,
                          "s has no entries for the biases: add s['db' + str(l)] too."),
            Misconception("returns-two-dicts", mk.rmsprop_init_v_and_s,
                          "RMSProp keeps one state, s: return one dict, not (v, s) as Adam does."),
            Misconception("1-D-zeros", mk.rmsprop_init_one_dimensional,
                          "np.zeros(W.shape[0]) is 1-D: each entry of s has its parameter's full shape, "
                          "np.zeros_like(W)."),
        ),
        error_hints=(LAYER_KEY_HINT,),
    ),
    Exercise(
        name="update_parameters_with_adagrad", reference=ref.update_parameters_with_adagrad,
        cases=cases.cases_adagrad, points=1, returns=("parameters", "s"),
        signature="update_parameters_with_adagrad(parameters, grads, s, learning_rate=0.01, epsilon=1e-8) "
                  "-> (parameters, s)",
        tolerance=UPDATE_TOL, forbid=("nnkit.optim:adagrad",) + OPTIM_FORBID,
        misconceptions=(
            Misconception("moving-average", ma.adagrad_moving_average,
                          "s is a moving average of the squared gradients, which is RMSProp: Adagrad adds every "
                          "squared gradient to the sum, s = s + dW ** 2."),
            Misconception("epsilon-inside-sqrt", ma.adagrad_epsilon_inside_sqrt, _EPS_FEEDBACK),
            Misconception("gradient-not-squared", ma.adagrad_gradient_not_squared,
                          "s accumulates dW instead of its square: s = s + dW ** 2 (elementwise)."),
            Misconception("sqrt-missing", ma.adagrad_no_sqrt,
                          "The step divides by s instead of its square root: dW / (np.sqrt(s) + epsilon)."),
            Misconception("uses-the-old-s", ma.adagrad_old_s,
                          "The step divides by the s of the previous step: add dW ** 2 to s first, then divide "
                          "by its square root."),
        ),
        error_hints=(LAYER_KEY_HINT, SHAPE_HINT),
    ),
    Exercise(
        name="update_parameters_with_rmsprop", reference=ref.update_parameters_with_rmsprop,
        cases=cases.cases_rmsprop, points=2, returns=("parameters", "s"),
        signature="update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8) "
                  "-> (parameters, s)",
        tolerance=UPDATE_TOL, forbid=("nnkit.optim:rmsprop",) + OPTIM_FORBID,
        misconceptions=(
            Misconception("missing-(1-beta)", ma.rmsprop_no_one_minus_beta,
                          "The squared gradient is added without the factor (1 - beta): "
                          "s = beta * s + (1 - beta) * dW ** 2 is an average."),
            Misconception("beta-and-(1-beta)-swapped", ma.rmsprop_swapped_beta,
                          "beta and 1 - beta are swapped: the old s keeps the weight beta, "
                          "s = beta * s + (1 - beta) * dW ** 2."),
            Misconception("epsilon-inside-sqrt", ma.rmsprop_epsilon_inside_sqrt, _EPS_FEEDBACK),
            Misconception("gradient-not-squared", ma.rmsprop_gradient_not_squared,
                          "s averages dW instead of its square: s = beta * s + (1 - beta) * dW ** 2."),
            Misconception("sqrt-missing", ma.rmsprop_no_sqrt,
                          "The step divides by s instead of its square root: dW / (np.sqrt(s) + epsilon)."),
            Misconception("sum-like-adagrad", ma.rmsprop_adagrad_sum,
                          "s is a running sum (that is Adagrad): RMSProp forgets old gradients, "
                          "s = beta * s + (1 - beta) * dW ** 2."),
            Misconception("uses-the-old-s", ma.rmsprop_old_s,
                          "The step divides by the s of the previous step: update s first, then divide by its "
                          "square root."),
            Misconception("ignores-beta", ma.rmsprop_fixed_beta,
                          "Your function always averages with 0.9 and 0.1: use its beta argument, "
                          "s = beta * s + (1 - beta) * dW ** 2."),
            Misconception("divides-by-|dW|", ma.rmsprop_divides_by_gradient,
                          "The step divides by sqrt(dW ** 2) = |dW|, the size of this gradient alone, instead of "
                          "the square root of the average s: dW / (np.sqrt(s) + epsilon)."),
        ),
        error_hints=(LAYER_KEY_HINT, SHAPE_HINT),
    ),
    Exercise(
        name="initialize_adam", reference=ref.initialize_adam, cases=cases.cases_init, points=1, returns=("v", "s"),
        signature="initialize_adam(parameters) -> (v, s), two dicts of zeros keyed dW1, db1, ...",
        tolerance=EXACT, forbid=("nnkit.optim:adam",),
        misconceptions=(
            Misconception("keys-without-d", mk.adam_init_keys_without_d,
                          "v and s must use the gradients' keys, dW1, db1, ..., not W1, b1, ..."),
            Misconception("s-starts-at-epsilon", mk.adam_init_s_epsilon,
                          "s starts at 1e-8 instead of 0: epsilon belongs in the update's denominator, not in s."),
            Misconception("s-starts-at-one", mk.adam_init_s_ones,
                          "s starts at 1: both moments start at 0, and the bias correction exists because they do."),
            Misconception("b-entries-missing", mk.adam_init_weights_only,
                          "v and s have no entries for the biases: add 'db' + str(l) to both."),
            Misconception("returns-a-dict", mk.adam_init_returns_dict,
                          "Return the two dicts as a tuple, `return v, s`, not one dict holding both."),
        ),
        error_hints=(LAYER_KEY_HINT,),
    ),
    Exercise(
        name="update_parameters_with_adam", reference=ref.update_parameters_with_adam, cases=cases.cases_adam,
        points=3, returns=("parameters", "v", "s", "v_corrected", "s_corrected"),
        signature="update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, "
                  "epsilon=1e-8) -> (parameters, v, s, v_corrected, s_corrected)",
        tolerance=UPDATE_TOL, forbid=("nnkit.optim:adam",) + OPTIM_FORBID,
        misconceptions=(
            Misconception("beta1-in-s-correction", ma.adam_erratum_beta1_in_s,
                          "s_corrected divides by 1 - beta1 ** t (the erratum of the seed notes): the second "
                          "moment is corrected with its own rate, s_corrected = s / (1 - beta2 ** t)."),
            Misconception("no-bias-correction", ma.adam_no_bias_correction,
                          "The moments are not bias-corrected: v_corrected = v / (1 - beta1 ** t) and "
                          "s_corrected = s / (1 - beta2 ** t), and the step uses the corrected ones."),
            Misconception("epsilon-inside-sqrt", ma.adam_epsilon_inside_sqrt, _EPS_FEEDBACK),
            Misconception("t-off-by-one", ma.adam_t_plus_one,
                          "The corrections use t + 1: t is already the number of this step (1 on the first "
                          "update); use beta1 ** t and beta2 ** t as given."),
            Misconception("gradient-not-squared", ma.adam_gradient_not_squared,
                          "s averages dW instead of its square: s = beta2 * s + (1 - beta2) * dW ** 2."),
            Misconception("(1-beta)**t", ma.adam_power_of_difference,
                          "The correction is computed as (1 - beta1) ** t: it is 1 - beta1 ** t (the power applies "
                          "to beta only), and likewise 1 - beta2 ** t."),
            Misconception("stores-corrected-moments", ma.adam_stores_corrected,
                          "The v and s you return are the corrected ones: keep the uncorrected averages in v and "
                          "s (the next step builds on them) and compute the corrected ones separately."),
            Misconception("sqrt-missing", ma.adam_no_sqrt,
                          "The step divides by s_corrected instead of its square root: "
                          "v_corrected / (np.sqrt(s_corrected) + epsilon)."),
            Misconception("s-not-corrected", ma.adam_s_not_corrected,
                          "Only v is bias-corrected: s starts at zero too, so s_corrected = s / (1 - beta2 ** t), "
                          "and the step divides by its square root."),
            Misconception("beta1-for-s", ma.adam_beta1_for_s,
                          "s is averaged with beta1: the second moment has its own rate, "
                          "s = beta2 * s + (1 - beta2) * dW ** 2."),
            Misconception("step-with-uncorrected-v", ma.adam_steps_with_uncorrected_v,
                          "The step uses the uncorrected v: W = W - learning_rate * v_corrected / "
                          "(np.sqrt(s_corrected) + epsilon)."),
            Misconception("t-counted-from-0", ma.adam_t_minus_one,
                          "The corrections use t - 1: t is the number of this step, 1 on the first update, so the "
                          "corrections are 1 - beta1 ** t and 1 - beta2 ** t (with t - 1 the first one divides by 0)."),
            Misconception("return-order", ma.adam_return_order,
                          "The five results are in the wrong order: return (parameters, v, s, v_corrected, "
                          "s_corrected)."),
            Misconception("ignores-learning_rate", ma.adam_fixed_rate,
                          "Your function always steps with 0.01: use its learning_rate argument."),
        ),
        error_hints=(LAYER_KEY_HINT, SHAPE_HINT),
    ),
)

SCHEDULES = (
    Exercise(
        name="update_lr", reference=ref.update_lr, cases=cases.cases_update_lr, points=1,
        signature="update_lr(learning_rate0, epoch_num, decay_rate) -> learning_rate (a float)",
        tolerance=RATE_TOL, forbid=("nnkit.schedules:inverse_time_decay",),
        misconceptions=(
            Misconception("precedence", ms.update_lr_precedence,
                          "learning_rate0 / 1 + decay_rate * epoch_num divides by 1 only: put the denominator in "
                          "parentheses, learning_rate0 / (1 + decay_rate * epoch_num)."),
            Misconception("divides-then-multiplies", ms.update_lr_divides_whole,
                          "learning_rate0 / (1 + decay_rate) * epoch_num multiplies by the epoch: the epoch belongs "
                          "in the denominator, learning_rate0 / (1 + decay_rate * epoch_num)."),
            Misconception("missing-1", ms.update_lr_no_one,
                          "The 1 in the denominator is missing: learning_rate0 / (1 + decay_rate * epoch_num), "
                          "which is learning_rate0 at epoch 0."),
            Misconception("epochs-from-one", ms.update_lr_epochs_from_one,
                          "The epoch is counted from 1: use epoch_num as given (epoch 0 gives learning_rate0)."),
            Misconception("multiplies", ms.update_lr_multiplies,
                          "The rate grows with the epochs: divide by (1 + decay_rate * epoch_num)."),
            Misconception("exponential-decay", ms.update_lr_exponential,
                          "This is exponential decay; this function is the inverse-time decay "
                          "learning_rate0 / (1 + decay_rate * epoch_num)."),
            Misconception("compound-decay", ms.update_lr_compound,
                          "(1 + decay_rate) ** epoch_num compounds the decay every epoch (an exponential decay): "
                          "the inverse-time decay multiplies, learning_rate0 / (1 + decay_rate * epoch_num)."),
        ),
        error_hints=(ZERO_DIVISION_HINT,),
    ),
    Exercise(
        name="schedule_lr_decay", reference=ref.schedule_lr_decay, cases=cases.cases_schedule_lr_decay, points=1,
        signature="schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000) -> learning_rate",
        tolerance=RATE_TOL, forbid=("nnkit.schedules:stepwise_inverse_time",),
        misconceptions=(
            Misconception("no-floor", ms.schedule_no_floor,
                          "The rate decays a little every epoch: it must stay flat for time_interval epochs, "
                          "so use the whole number of intervals, epoch_num // time_interval (np.floor)."),
            Misconception("precedence", ms.schedule_precedence,
                          "decay_rate * epoch_num // time_interval floors the product: floor the quotient first, "
                          "decay_rate * (epoch_num // time_interval)."),
            Misconception("ceil-instead-of-floor", ms.schedule_ceil,
                          "Rounding up makes the rate drop at epoch 1 already: round down, epoch_num // time_interval."),
            Misconception("modulo-instead-of-division", ms.schedule_modulo,
                          "epoch_num % time_interval is the remainder, which restarts at 0: use the quotient, "
                          "epoch_num // time_interval."),
            Misconception("ignores-time_interval", ms.schedule_ignores_interval,
                          "The function always uses 1000 epochs: use its time_interval argument."),
            Misconception("decays-every-epoch", ms.schedule_every_epoch,
                          "This decays every epoch (that is update_lr): divide the epoch by time_interval, "
                          "rounded down, first."),
        ),
        error_hints=(ZERO_DIVISION_HINT,),
    ),
    Exercise(
        name="warmup_lr", reference=ref.warmup_lr, cases=cases.cases_warmup, points=1,
        signature="warmup_lr(learning_rate0, step, warmup_steps) -> learning_rate",
        tolerance=RATE_TOL, forbid=("nnkit.schedules:warmup_then", "nnkit.schedules:constant"),
        misconceptions=(
            Misconception("starts-at-zero", ms.warmup_no_plus_one,
                          "At step 0 the rate is 0, so the first update does nothing: steps count from 0, so the "
                          "ramp is learning_rate0 * (step + 1) / warmup_steps."),
            Misconception("boundary-step", ms.warmup_inclusive_boundary,
                          "At step == warmup_steps the rate overshoots learning_rate0: the ramp holds while "
                          "step < warmup_steps (not <=)."),
            Misconception("never-stops", ms.warmup_never_stops,
                          "The rate keeps growing after the warm-up: from step warmup_steps on it is learning_rate0."),
            Misconception("integer-division", ms.warmup_integer_division,
                          "(step + 1) // warmup_steps is an integer division, 0 during most of the warm-up: use /."),
            Misconception("divides-by-warmup_steps-1", ms.warmup_divides_by_steps_minus_one,
                          "The ramp step / (warmup_steps - 1) starts at 0 and divides by zero when warmup_steps is 1: "
                          "use (step + 1) / warmup_steps."),
        ),
    ),
)
