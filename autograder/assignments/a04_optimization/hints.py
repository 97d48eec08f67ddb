"""Tolerances and error hints shared by assignment 4's exercises.

Tolerances are tight and relative: float rounding of another order of operations passes, while an
``s`` that starts at 1e-8, an epsilon in the wrong place or a learning rate off by one step fails.
"""

from __future__ import annotations

from autograder.grading.compare import Tolerance

#: parameters and optimizer states after one update
UPDATE_TOL = Tolerance(rtol=1e-9, atol=1e-13)
#: initializers and mini-batches: exact (1e-8 instead of 0 passes np.allclose's default tolerance)
EXACT = Tolerance(rtol=0.0, atol=0.0)
#: a learning rate is one formula of a few floats: only rounding may differ
RATE_TOL = Tolerance(rtol=1e-10, atol=1e-15)

LAYER_KEY_HINT = (
    r"KeyError: '?d?[Wb]\d+",
    "parameters holds two entries per layer, W and b, so L = len(parameters) // 2 and the layers are "
    "numbered 1 to L (range(1, L + 1)); the gradients and every optimizer state use the keys dW1, db1, ...",
)
SHAPE_HINT = (
    r"(operands could not be broadcast|shapes .* not aligned|matmul)",
    "Every gradient and every state entry has exactly the shape of its parameter: combine them elementwise "
    "(*, +, np.sqrt), never with a matrix product.",
)
RNG_HINT = (
    r"'NoneType' object has no attribute",
    "rng may be None: start with `if rng is None: rng = np.random.default_rng()`.",
)
ZERO_DIVISION_HINT = (
    r"ZeroDivisionError",
    "At epoch 0 (or with decay_rate = 0) the denominator must still be 1: it is 1 + decay_rate * ...",
)

#: nnkit's registry of optimizers, which no reference uses: unavailable to every optimizer exercise. Each
#: exercise also forbids its own optimizer's constructor, but never a function the reference of another
#: graded function needs (a student may reuse update_parameters_with_gd inside momentum, or
#: initialize_velocity inside initialize_adam: those calls reach the references, which must work).
OPTIM_FORBID = ("nnkit.optim:get_optimizer",)
