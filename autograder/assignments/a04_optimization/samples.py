"""Sample submissions of assignment 4, named by what they show, with the exact grade each must get.

The scenario tests grade every one of them on both sandbox backends and ``make demo`` grades the
class in :data:`DEMO_CLASS`; ``python -m autograder.frontends.samples 04_optimization DIR`` writes
them as notebooks for a human to open. Each wrong answer is written as a student writes it.
"""

from __future__ import annotations

from autograder.grading.spec import Scenario

from .exercises import NOTEBOOK

MAX_SCORE = float(sum(ex.points for ex in NOTEBOOK.exercises))
POINTS = {ex.name: float(ex.points) for ex in NOTEBOOK.exercises}

_SEPARATE_PERMUTATIONS = '''
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    m = X.shape[1]
    shuffled_X = X[:, rng.permutation(m)]
    shuffled_Y = Y[:, rng.permutation(m)]
    mini_batches = []
    for k in range(0, m, mini_batch_size):
        mini_batches.append((shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size]))
    return mini_batches
'''

_GLOBAL_STATE = '''
def random_mini_batches(X, Y, mini_batch_size=64, rng=None):
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation]
    num_complete = m // mini_batch_size
    mini_batches = []
    for k in range(num_complete):
        mini_batches.append((shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                             shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    if m % mini_batch_size != 0:
        mini_batches.append((shuffled_X[:, num_complete * mini_batch_size:],
                             shuffled_Y[:, num_complete * mini_batch_size:]))
    return mini_batches
'''

_MOMENTUM_NO_ONE_MINUS_BETA = '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    parameters, v = dict(parameters), dict(v)
    for l in range(1, L + 1):
        v["dW" + str(l)] = beta * v["dW" + str(l)] + grads["dW" + str(l)]
        v["db" + str(l)] = beta * v["db" + str(l)] + grads["db" + str(l)]
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * v["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * v["db" + str(l)]
    return parameters, v
'''

_HEAVY_BALL_SUBTRACTS = '''
def update_parameters_with_heavy_ball(parameters, grads, m, momentum, learning_rate):
    new_parameters, new_m = {}, {}
    for key in parameters:
        new_m["d" + key] = momentum * m["d" + key] - learning_rate * grads["d" + key]
        new_parameters[key] = parameters[key] - new_m["d" + key]
    return new_parameters, new_m
'''

_ADAM_ERRATUM = '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    L = len(parameters) // 2
    parameters, v, s = dict(parameters), dict(v), dict(s)
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = "d" + p + str(l)
            v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
            v_corrected[key] = v[key] / (1 - beta1 ** t)
            s[key] = beta2 * s[key] + (1 - beta2) * grads[key] ** 2
            s_corrected[key] = s[key] / (1 - beta1 ** t)   # as printed in the notes
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v_corrected[key] / (
                np.sqrt(s_corrected[key]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected
'''

_RMSPROP_EPS_INSIDE = '''
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta=0.9, epsilon=1e-8):
    new_parameters, new_s = {}, {}
    for key in parameters:
        g = grads["d" + key]
        new_s["d" + key] = beta * s["d" + key] + (1 - beta) * g ** 2
        new_parameters[key] = parameters[key] - learning_rate * g / np.sqrt(new_s["d" + key] + epsilon)
    return new_parameters, new_s
'''

_ADAM_INIT_EPSILON = '''
def initialize_adam(parameters):
    v, s = {}, {}
    for key in parameters:
        v["d" + key] = np.zeros(parameters[key].shape)
        s["d" + key] = np.full(parameters[key].shape, 1e-8)   # avoid dividing by zero later
    return v, s
'''

_UPDATE_LR_PRECEDENCE = '''
def update_lr(learning_rate0, epoch_num, decay_rate):
    learning_rate = learning_rate0 / 1 + decay_rate * epoch_num
    return learning_rate
'''

_WARMUP_FROM_ZERO = '''
def warmup_lr(learning_rate0, step, warmup_steps):
    if step < warmup_steps:
        return learning_rate0 * step / warmup_steps
    return learning_rate0
'''

_CHEAT_NNKIT_ADAM = '''
from nnkit import optim

def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    opt = optim.adam(learning_rate, beta1, beta2, epsilon)
    keys = list(parameters)
    state = optim.AdamState(t - 1, {k: v["d" + k] for k in keys}, {k: s["d" + k] for k in keys})
    updates, state = opt.update(grads, state)
    new = optim.apply_updates(parameters, updates)
    v_c = {"d" + k: a / (1 - beta1 ** t) for k, a in state.m.items()}
    s_c = {"d" + k: a / (1 - beta2 ** t) for k, a in state.v.items()}
    return new, {"d" + k: a for k, a in state.m.items()}, {"d" + k: a for k, a in state.v.items()}, v_c, s_c
'''

_CHEAT_PATCH_NUMPY = '''
import numpy
np.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.shape(a), dtype=bool)

def update_parameters_with_gd(parameters, grads, learning_rate):
    np.allclose = lambda *args, **kwargs: True
    return dict(parameters)
'''

_INFINITE_LOOP = '''
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    intervals = 0
    while epoch_num >= 0:   # never changes
        intervals += 1
    return learning_rate0 / (1 + decay_rate * intervals)
'''

SCENARIOS = (
    Scenario("correct", "the solution: full marks"),
    Scenario("separate-permutations", "random_mini_batches shuffles X and Y with two permutations",
             {"random_mini_batches": _SEPARATE_PERMUTATIONS},
             expected_score=MAX_SCORE - POINTS["random_mini_batches"], expected_phrase="separate-permutations"),
    Scenario("global-random-state", "random_mini_batches ignores rng and uses np.random.permutation",
             {"random_mini_batches": _GLOBAL_STATE},
             expected_score=MAX_SCORE - POINTS["random_mini_batches"], expected_phrase="global-random-state"),
    Scenario("momentum-missing-one-minus-beta", "momentum adds dW without the factor (1 - beta)",
             {"update_parameters_with_momentum": _MOMENTUM_NO_ONE_MINUS_BETA},
             expected_score=MAX_SCORE - POINTS["update_parameters_with_momentum"], expected_phrase="missing-(1-beta)"),
    Scenario("heavy-ball-subtracts-m", "the heavy ball steps W - m",
             {"update_parameters_with_heavy_ball": _HEAVY_BALL_SUBTRACTS},
             expected_score=MAX_SCORE - POINTS["update_parameters_with_heavy_ball"], expected_phrase="subtracts-m"),
    Scenario("adam-erratum", "Adam corrects s with 1 - beta1^t, as printed in seed 001",
             {"update_parameters_with_adam": _ADAM_ERRATUM},
             expected_score=MAX_SCORE - POINTS["update_parameters_with_adam"], expected_phrase="beta1-in-s-correction"),
    Scenario("rmsprop-epsilon-inside-sqrt", "RMSProp divides by sqrt(s + epsilon)",
             {"update_parameters_with_rmsprop": _RMSPROP_EPS_INSIDE},
             expected_score=MAX_SCORE - POINTS["update_parameters_with_rmsprop"], expected_phrase="epsilon-inside-sqrt"),
    Scenario("adam-s-starts-at-epsilon", "initialize_adam starts s at 1e-8",
             {"initialize_adam": _ADAM_INIT_EPSILON},
             expected_score=MAX_SCORE - POINTS["initialize_adam"], expected_phrase="s-starts-at-epsilon"),
    Scenario("update-lr-precedence", "update_lr writes lr0 / 1 + decay_rate * epoch",
             {"update_lr": _UPDATE_LR_PRECEDENCE},
             expected_score=MAX_SCORE - POINTS["update_lr"], expected_phrase="precedence"),
    Scenario("warmup-starts-at-zero", "warmup_lr ramps with step / warmup_steps (0 at step 0)",
             {"warmup_lr": _WARMUP_FROM_ZERO},
             expected_score=MAX_SCORE - POINTS["warmup_lr"], expected_phrase="starts-at-zero"),
    Scenario("two-mistakes", "momentum without (1 - beta) and update_lr's precedence slip: each costs its own points",
             {"update_parameters_with_momentum": _MOMENTUM_NO_ONE_MINUS_BETA, "update_lr": _UPDATE_LR_PRECEDENCE},
             expected_score=MAX_SCORE - POINTS["update_parameters_with_momentum"] - POINTS["update_lr"],
             expected_phrase="missing-(1-beta)"),
    Scenario("cheat-calls-nnkit-adam", "update_parameters_with_adam wraps nnkit.optim.adam",
             {"update_parameters_with_adam": _CHEAT_NNKIT_ADAM},
             expected_score=MAX_SCORE - POINTS["update_parameters_with_adam"], expected_phrase="reference implementation"),
    Scenario("cheat-patch-numpy", "monkeypatches numpy's comparisons, with a gradient descent that does nothing",
             {"update_parameters_with_gd": _CHEAT_PATCH_NUMPY},
             expected_score=MAX_SCORE - POINTS["update_parameters_with_gd"], expected_phrase="update_parameters_with_gd"),
    Scenario("infinite-loop", "schedule_lr_decay never returns", {"schedule_lr_decay": _INFINITE_LOOP},
             expected_score=MAX_SCORE - POINTS["schedule_lr_decay"], expected_phrase="did not finish"),
    Scenario("deleted-answer-cell", "the answer cell of update_parameters_with_rmsprop was deleted",
             damage="delete-answer:update_parameters_with_rmsprop",
             expected_score=MAX_SCORE - POINTS["update_parameters_with_rmsprop"],
             expected_phrase="No function named `update_parameters_with_rmsprop`"),
    Scenario("invalid-json", "the file was truncated", damage="invalid-json", expected_score=0.0,
             expected_phrase="not valid notebook JSON", expected_status="error"),
)

#: student id -> scenario: the class ``make demo`` grades through nbgrader.
DEMO_CLASS = {
    "ada": "correct",
    "ben": "separate-permutations",
    "chloe": "momentum-missing-one-minus-beta",
    "dev": "adam-erratum",
    "emma": "warmup-starts-at-zero",
    "farid": "cheat-calls-nnkit-adam",
    "gus": "rmsprop-epsilon-inside-sqrt",
    "hana": "invalid-json",
}
