"""Assignment 3, notebook 3 (``gradient_checking.ipynb``): the 1-D "network" and its gradient check,
then the N-D check of the 3-layer network.

A correct gradient check returns rounding noise (about 1e-10) where the gradient is right, so it is
graded by magnitude class there (``CHECK_TOLERANCE``: within 1e-7, never compared tightly), and by
its formula (relative tolerance 1e-4) on cases where the result is not noise: a wrong gradient, or
a nonlinear cost with a large ``epsilon`` (the step's truncation error then dominates), where a
one-sided difference or an ignored ``epsilon`` shows. Some 1-D cases bind another
``forward_propagation``/``backward_propagation`` (a cubic cost, a wrong gradient) through
``Case.bind``; the reference as graded picks the same from the arguments
(:func:`.references.gradient_check_as_graded`). The N-D cases pass wrong ``gradients`` (among them
those of the notebook's ``backward_propagation_n`` with its two planted mistakes) and bind
``vector_to_dictionary`` to each case's parameter shapes.
"""

from __future__ import annotations

from autograder.grading.compare import Tolerance
from autograder.grading.spec import Case, Exercise, Misconception, Notebook

from . import mistakes_gradcheck as mg
from . import references as ref
from .cases import describe_net, network, shapes_of
from .checks import check_gradient_check

REF = ref.__name__
#: a difference below 1e-7 (rounding noise, where the gradient is right) is never compared tightly;
#: a larger one (a wrong gradient, or a nonlinear cost with a large epsilon) must follow the formula
CHECK_TOLERANCE = Tolerance(rtol=1e-4, atol=1e-7)
FORBID_CHECK = ("nnkit.gradcheck:gradient_check_1d", "nnkit.gradcheck:gradient_check_n",
                "nnkit.gradcheck:numerical_gradient", "nnkit.gradcheck:relative_difference")


def _number(rng, low, high) -> float:
    return round(float(rng.uniform(low, high)), 3)


def cases_forward_1d(rng) -> list[Case]:
    pairs = [(3.0, -1.5), (-0.5, 2.25), (1.0, 7.0), (4, 3), (_number(rng, -5, 5), _number(rng, 1.5, 5))]
    return [Case(f"x = {x}, theta = {t}", (x, t)) for x, t in pairs]


def cases_backward_1d(rng) -> list[Case]:
    pairs = [(3.0, -1.5), (-0.5, 2.25), (2.0, 4.0), (_number(rng, -5, -1.5), _number(rng, 1.5, 5))]
    return [Case(f"x = {x}, theta = {t}", (x, t)) for x, t in pairs]


def _bind_1d(x, theta) -> dict:
    """The helpers a special case binds in the sandbox (:data:`.references.GRADED_1D_HELPERS`)."""
    forward, backward = ref.GRADED_1D_HELPERS[(x, theta)]
    bind = {}
    if forward:
        bind["forward_propagation"] = (f"{REF}:cubic_forward", forward)
    if backward:
        bind["backward_propagation"] = (f"{REF}:scaled_backward", backward)
    return bind


_SPECIAL_1D = (  # (x, theta, epsilon or None, what the label says)
    (2.5, -0.7, None, "with a wrong backward_propagation (1.5 x)"),
    (-1.2, 3.1, 1e-5, "with a wrong backward_propagation (x + 0.3)"),
    (0.8, 1.5, 0.01, "with the cubic cost J = x * theta^3 and its right gradient"),
    (2.0, -1.3, None, "with the cubic cost J = x * theta^3 and its right gradient"),
    (1.7, 0.9, 0.001, "with the cubic cost and a gradient twice too large"),
    (1.4, 2.2, None, "with a wrong backward_propagation of the wrong sign (-0.5 x)"),
)


def cases_gradient_check(rng) -> list[Case]:
    """Right gradients (rounding noise), wrong ones (the formula), and a cubic cost J = x * theta^3
    whose truncation error shows with a large epsilon. The special cases bind their helpers; which
    ones is a function of (x, theta) (:func:`.references.helpers_for`), so the reference as graded
    and the known mistakes compute with the same helpers as the student's function."""
    while True:
        x, t = _number(rng, 0.5, 5), _number(rng, -4, -1)
        if (x, t) not in ref.GRADED_1D_HELPERS:
            break
    big, tb = _number(rng, 800, 1500), _number(rng, 2, 6)
    out = [Case(f"x = {x}, theta = {t} (the notebook's J = theta * x, right gradient)", (x, t)),
           Case(f"x = {big}, theta = {tb}, epsilon = 1e-5 (right gradient, large x)", (big, tb), {"epsilon": 1e-5})]
    for x, t, eps, what in _SPECIAL_1D:
        label = f"x = {x}, theta = {t}" + (f", epsilon = {eps}" if eps else "") + f", {what}"
        out.append(Case(label, (x, t), {"epsilon": eps} if eps else {}, bind=_bind_1d(x, t)))
    return out


def cases_gradient_check_n(rng) -> list[Case]:
    """Each case: the parameters, the gradients to check (right ones, the notebook's buggy ones, or
    slightly off ones), epsilon; ``vector_to_dictionary`` bound to the case's shapes."""
    out = []
    settings = [([4, 5, 3, 1], 3, "right", None), ([4, 5, 3, 1], 3, "the planted mistakes", None),
                ([1, 2, 2, 1], 1, "right", None), ([2, 3, 2, 1], 4, "dW2 off by 1%", 1e-6),
                ([3, 4, 2, 1], 5, "right", 0.01), ([int(rng.integers(2, 5)), 3, 2, 1], int(rng.integers(2, 6)),
                                                   "the planted mistakes", 0.001)]
    for dims, m, which, eps in settings:
        X, Y, params = network(rng, dims, m, margin=0.02)
        cache = ref.forward_propagation_n(X, Y, params)[1]
        if which == "the planted mistakes":
            grads = ref.backward_propagation_n(X, Y, cache)
        else:
            grads = ref.backward_propagation_n_fixed(X, Y, cache)
            if which.startswith("dW2"):
                grads["dW2"] = grads["dW2"] * 1.01
        label = f"{describe_net(dims, m)}, {which} gradients" + (f", epsilon = {eps}" if eps else "")
        bind = {"vector_to_dictionary": (f"{REF}:make_vector_to_dictionary", (shapes_of(params),))}
        out.append(Case(label, (params, grads, X, Y), {"epsilon": eps} if eps else {}, bind=bind))
    return out


_MIXED_UP = ("Your difference is exactly 1 everywhere: gradapprox is 0 or has the wrong sign. J_plus must be the "
             "cost at theta + epsilon, J_minus the cost at theta - epsilon (not at theta_plus again), and "
             "gradapprox = (J_plus - J_minus) / (2 * epsilon), in that order.")
GRADIENT_CHECK_MISTAKES = (
    Misconception("precedence-2-epsilon", mg.gc_precedence,
                  "(J_plus - J_minus) / 2 * epsilon multiplies by epsilon: write (J_plus - J_minus) / (2 * epsilon)."),
    Misconception("j-plus-j-minus-mixed-up", mg.gc_swapped, _MIXED_UP),
    Misconception("seed-001-erratum", mg.gc_j_inverse,
                  "Seed 001 writes J^+ - J^{-1}: a typo for J^+ - J^- (J at theta - epsilon), not 1 / J."),
    Misconception("one-sided-difference", mg.gc_one_sided,
                  "Use the two-sided difference (J(theta + eps) - J(theta - eps)) / (2 eps): the one-sided "
                  "(J(theta + eps) - J(theta)) / eps has an error proportional to eps instead of eps^2."),
    Misconception("ignores-epsilon", mg.gc_hard_coded_epsilon,
                  "Use the epsilon argument, not a fixed 1e-7."),
    Misconception("absolute-difference", mg.gc_absolute,
                  "Divide by ||grad|| + ||gradapprox||: the difference must be relative, so that its thresholds "
                  "(1e-7, 1e-3) mean the same for large and small gradients."),
    Misconception("denominator-norm-of-sum", mg.gc_norm_of_sum,
                  "The denominator is ||grad|| + ||gradapprox|| (two norms added), not ||grad + gradapprox||."),
    Misconception("no-norm-in-numerator", mg.gc_signed,
                  "Take the norm of the numerator too: ||grad - gradapprox||, a distance, never negative."),
    Misconception("denominator-grad-only", mg.gc_grad_norm_only,
                  "The denominator is ||grad|| + ||gradapprox||: both norms, so the difference stays in [0, 1]."),
    Misconception("returns-gradapprox", mg.gc_returns_gradapprox,
                  "Return the relative difference, not the approximate gradient."),
)

#: the feedback of the 1-D mistakes, reused for the same mistakes in N dimensions
_SAID = {m.label: m.feedback for m in GRADIENT_CHECK_MISTAKES}

NOTEBOOK = Notebook(
    file="gradient_checking.ipynb",
    provided={name: f"{REF}:{name}" for name in ("forward_propagation_n", "backward_propagation_n",
                                                 "dictionary_to_vector", "vector_to_dictionary", "gradients_to_vector")},
    exercises=(
        Exercise(
            name="forward_propagation", reference=ref.forward_propagation, cases=cases_forward_1d, points=1,
            signature="forward_propagation(x, theta) -> J = theta * x",
            misconceptions=(
                Misconception("returns-x", mg.forward_returns_x, "J = theta * x: multiply x by theta."),
                Misconception("returns-theta", mg.forward_returns_theta, "J = theta * x: multiply theta by x."),
                Misconception("sum-not-product", mg.forward_sum, "J is the product theta * x, not the sum."),
                Misconception("power-not-product", mg.forward_power, "J is the product theta * x, not theta ** x."),
            ),
        ),
        Exercise(
            name="backward_propagation", reference=ref.backward_propagation, cases=cases_backward_1d, points=1,
            signature="backward_propagation(x, theta) -> dtheta = x",
            misconceptions=(
                Misconception("derivative-wrt-x", mg.backward_wrt_x,
                              "You returned dJ/dx = theta; the gradient we check is with respect to the parameter "
                              "theta: dJ/dtheta = x."),
                Misconception("returns-cost", mg.backward_returns_cost,
                              "That is J itself; backward_propagation returns its derivative dJ/dtheta = x."),
                Misconception("returns-one", mg.backward_returns_one,
                              "d(theta * x)/dtheta is x, not 1: x is the constant factor of theta."),
                Misconception("sum-not-derivative", mg.backward_sum,
                              "The derivative of theta * x with respect to theta is x alone."),
            ),
        ),
        Exercise(
            name="gradient_check", reference=ref.gradient_check_as_graded, cases=cases_gradient_check, points=2,
            forbid=FORBID_CHECK + (f"{REF}:gradient_check",), tolerance=CHECK_TOLERANCE, check=check_gradient_check,
            signature="gradient_check(x, theta, epsilon=1e-7, print_msg=False) -> relative difference (float)",
            misconceptions=GRADIENT_CHECK_MISTAKES,
        ),
        Exercise(
            name="gradient_check_n", reference=ref.gradient_check_n, cases=cases_gradient_check_n, points=3,
            forbid=FORBID_CHECK, tolerance=CHECK_TOLERANCE, timeout_s=10.0,
            signature="gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False) -> float",
            misconceptions=(
                Misconception("precedence-2-epsilon", mg.gcn_precedence, _SAID["precedence-2-epsilon"]),
                Misconception("j-plus-j-minus-mixed-up", mg.gcn_minus_from_plus, _MIXED_UP),
                Misconception("thetaplus-is-not-a-copy", mg.gcn_thetaplus_alias,
                              "thetaplus = parameters_values makes a second name for the same array, so changing "
                              "thetaplus[i] changes parameters_values too: use np.copy(parameters_values) for "
                              "thetaplus and for thetaminus."),
                Misconception("thetaminus-is-not-a-copy", mg.gcn_thetaminus_alias,
                              "thetaminus = parameters_values changes parameters_values itself when you subtract "
                              "epsilon, and every later entry is checked at a shifted point: use np.copy."),
                Misconception("ignores-gradients", mg.gcn_ignores_gradients,
                              "Check the gradients you are given (the argument), not ones you recompute."),
                Misconception("one-sided-difference", mg.gcn_one_sided, _SAID["one-sided-difference"]),
                Misconception("ignores-epsilon", mg.gcn_hard_coded_epsilon, _SAID["ignores-epsilon"]),
                Misconception("absolute-difference", mg.gcn_absolute, _SAID["absolute-difference"]),
                Misconception("denominator-norm-of-sum", mg.gcn_norm_of_sum, _SAID["denominator-norm-of-sum"]),
                Misconception("last-parameter-skipped", mg.gcn_last_parameter_skipped,
                              "Loop over every parameter, for i in range(num_parameters): the last one was never nudged."),
                Misconception("squared-norms", mg.gcn_squared_norms,
                              "Use the norms themselves, not their squares: np.linalg.norm(grad - gradapprox) / "
                              "(np.linalg.norm(grad) + np.linalg.norm(gradapprox))."),
                Misconception("j-plus-j-minus-mixed-up", mg.gcn_swapped, _MIXED_UP),
            ),
        ),
    ),
)
