"""Known mistakes in Adam, RMSProp and Adagrad: each a small readable edit of the update rule.

Each variant is one call of a parametrized update written the way a student writes the wrong code
(a loop over the layers, the formulas of the notebook with one thing changed).
"""

from __future__ import annotations

import numpy as np


# ----------------------------------------------------------------------------- Adam
def _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, *, s_correction="beta2",
          correct=True, correct_s=True, eps_inside=False, t_shift=0, square=True, power_of_difference=False,
          store_corrected=False, sqrt=True, s_rate=None, step_with_corrected_v=True, swap_return=False):
    new_p, new_v, new_s, v_c, s_c = dict(parameters), {}, {}, {}, {}
    t = t + t_shift
    s_rate = beta2 if s_rate is None else s_rate
    for k in parameters:
        g = grads["d" + k]
        new_v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        new_s["d" + k] = s_rate * s["d" + k] + (1 - s_rate) * (g ** 2 if square else g)
        if power_of_difference:  # (1 - beta)**t instead of 1 - beta**t
            c1, c2 = (1 - beta1) ** t, (1 - beta2) ** t
        else:
            c1, c2 = 1 - beta1 ** t, 1 - (beta1 if s_correction == "beta1" else beta2) ** t
        v_c["d" + k] = new_v["d" + k] / c1 if correct else new_v["d" + k]
        s_c["d" + k] = new_s["d" + k] / c2 if correct and correct_s else new_s["d" + k]
        if eps_inside:
            denominator = np.sqrt(s_c["d" + k] + epsilon)
        else:
            denominator = (np.sqrt(s_c["d" + k]) if sqrt else s_c["d" + k]) + epsilon
        direction = v_c["d" + k] if step_with_corrected_v else new_v["d" + k]
        new_p[k] = parameters[k] - learning_rate * direction / denominator
    if store_corrected:
        return new_p, v_c, s_c, v_c, s_c
    if swap_return:
        return new_p, v_c, s_c, new_v, new_s
    return new_p, new_v, new_s, v_c, s_c


def adam_erratum_beta1_in_s(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, s_correction="beta1")


def adam_no_bias_correction(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, correct=False)


def adam_epsilon_inside_sqrt(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, eps_inside=True)


def adam_t_plus_one(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, t_shift=1)


def adam_gradient_not_squared(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                              epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, square=False)


def adam_power_of_difference(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                             epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, power_of_difference=True)


def adam_stores_corrected(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, store_corrected=True)


def adam_no_sqrt(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, sqrt=False)


def adam_s_not_corrected(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, correct_s=False)


def adam_beta1_for_s(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, s_rate=beta1)


def adam_steps_with_uncorrected_v(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                  epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, step_with_corrected_v=False)


def adam_t_minus_one(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, t_shift=-1)


def adam_return_order(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, swap_return=True)


def adam_fixed_rate(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return _adam(parameters, grads, v, s, t, 0.01, beta1, beta2, epsilon)


# ----------------------------------------------------------------------------- RMSProp and Adagrad
def _scaled(parameters, grads, s, learning_rate, epsilon, *, keep, gain, eps_inside=False, square=True,
            sqrt=True, old_s=False, by_gradient=False):
    """``s = keep * s + gain * dW^2``, then ``W -= lr dW / (sqrt(s) + eps)``, with one thing changed."""
    new_p, new_s = dict(parameters), {}
    for k in parameters:
        g = grads["d" + k]
        new_s["d" + k] = keep * s["d" + k] + gain * (g * g if square else g)
        acc = s["d" + k] if old_s else new_s["d" + k]
        if by_gradient:  # sqrt(dW ** 2) = |dW| in place of sqrt(s)
            acc = g * g
        if eps_inside:
            denominator = np.sqrt(acc + epsilon)
        else:
            denominator = (np.sqrt(acc) if sqrt else acc) + epsilon
        new_p[k] = parameters[k] - learning_rate * g / denominator
    return new_p, new_s


def rmsprop_no_one_minus_beta(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=beta, gain=1.0)


def rmsprop_swapped_beta(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=1 - beta, gain=beta)


def rmsprop_epsilon_inside_sqrt(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=beta, gain=1 - beta, eps_inside=True)


def rmsprop_gradient_not_squared(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=beta, gain=1 - beta, square=False)


def rmsprop_no_sqrt(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=beta, gain=1 - beta, sqrt=False)


def rmsprop_adagrad_sum(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=1.0, gain=1.0)


def rmsprop_old_s(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=beta, gain=1 - beta, old_s=True)


def rmsprop_fixed_beta(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=0.9, gain=0.1)


def rmsprop_divides_by_gradient(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=beta, gain=1 - beta, by_gradient=True)


def adagrad_moving_average(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=0.9, gain=0.1)


def adagrad_epsilon_inside_sqrt(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=1.0, gain=1.0, eps_inside=True)


def adagrad_gradient_not_squared(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=1.0, gain=1.0, square=False)


def adagrad_no_sqrt(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=1.0, gain=1.0, sqrt=False)


def adagrad_old_s(parameters, grads, s, learning_rate=0.01, epsilon=1e-8):
    return _scaled(parameters, grads, s, learning_rate, epsilon, keep=1.0, gain=1.0, old_s=True)
