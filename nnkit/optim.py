"""Optimizers as pure ``init`` / ``update`` pairs (the optax design).

An optimizer is built once from its hyperparameters, e.g. ``opt = adam(learning_rate=0.001)``;
then ``state = opt.init(params)`` and, every step, ``updates, state = opt.update(grads, state)``
followed by ``params = apply_updates(params, updates)``. Nothing is modified in place: params,
grads and state are never mutated, so any step can be replayed or compared.

``params`` use the keys ``W1, b1, ...``; ``grads`` the same keys prefixed with ``d``; ``updates``
and the per-parameter state use the parameter keys. ``update`` and :func:`apply_updates` check
their arguments: a gradient, update or state entry must have exactly its parameter's shape (numpy
would broadcast a ``(4,)`` ``db1`` against a ``(4, 1)`` ``b1`` into a ``(4, 4)`` bias without a
word), a missing one is a ``KeyError`` naming it. Training loops whose gradients come from the
network's own backward pass use ``opt.unchecked_update`` and ``_apply_updates``, the same
arithmetic without the checks (``nnkit.train``; ``benchmarks/bench_nnkit.py`` times them). ``learning_rate`` is a positive float or a
schedule ``step -> float`` (:mod:`nnkit.schedules`), called with the number of updates done so far.

=============  ===========================================================  ==============
optimizer      update of a parameter ``theta`` with gradient ``g``           notes
=============  ===========================================================  ==============
``sgd``        ``theta -= lr g``                                             plain GD
``momentum``   ``v = beta v + (1 - beta) g;  theta -= lr v``                  ``form="ema"`` (seed 001)
               ``v = beta v - lr g;          theta += v``                     ``form="classical"`` (seed 003)
``adagrad``    ``G += g^2;  theta -= lr g / (sqrt(G) + eps)``
``rmsprop``    ``s = beta s + (1 - beta) g^2;  theta -= lr g / (sqrt(s) + eps)``
``adam``       ``m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;`` ``t += 1``    Algorithm 1 of
               ``theta -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)``  Kingma & Ba
=============  ===========================================================  ==============

Seed 001 divides Adam's second moment by ``1 - beta1^t``: that is an erratum; it is ``1 - beta2^t``.
Both momentum forms are gradient descent when ``beta = 0``; with a constant rate the classical
velocity equals ``lr / (1 - beta)`` times the EMA one at steady state, so the two differ by a rescaled
learning rate.
"""

from __future__ import annotations

from typing import Callable, Mapping, NamedTuple

import numpy as np

from nnkit._checks import as_array, check_int, check_like, check_choice, check_positive, check_probability

__all__ = [
    "Optimizer",
    "apply_updates",
    "sgd",
    "momentum",
    "adagrad",
    "rmsprop",
    "adam",
    "OPTIMIZERS",
    "get_optimizer",
]


class Optimizer(NamedTuple):
    """A pair of pure functions plus a readable description of its hyperparameters.

    ``init(params) -> state``; ``update(grads, state, params=None) -> (updates, new_state)``, which
    checks its arguments (with ``params``, also that the state belongs to these parameters).
    ``unchecked_update(grads, state)`` is the same rule without the checks, for loops whose
    gradients are right by construction; ``None`` for an optimizer built elsewhere (use ``update``).
    """

    init: Callable
    update: Callable
    name: str
    hyperparams: dict
    unchecked_update: Callable | None = None

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparams.items())
        return f"{self.name}({args})"


class SGDState(NamedTuple):
    count: int
    shapes: dict  # parameter key -> its shape (the keys in order; the shapes for update's checks)


class MomentumState(NamedTuple):
    count: int
    velocity: dict


class AccumulatorState(NamedTuple):
    """For Adagrad (sum of squared gradients) and RMSProp (their moving average)."""

    count: int
    accumulator: dict


class AdamState(NamedTuple):
    count: int  # t, the number of updates done so far
    m: dict  # first moment (``v`` in the notebooks)
    v: dict  # second moment (``s`` in the notebooks)


def apply_updates(params: Mapping[str, np.ndarray], updates: Mapping[str, np.ndarray]) -> dict:
    """Return a new dict ``params[k] + updates[k]`` for every key (inputs untouched); a parameter
    without an update is kept as it is.

    Parameters
    ----------
    params : dict ``W1 (n_1, n_0), b1 (n_1, 1), ...``
    updates : dict with some or all of the same keys, each of its parameter's shape

    Raises ``KeyError`` for an update whose key is not a parameter (``"w1"`` for ``"W1"``: it would
    be dropped silently) and ``ValueError`` for an update of another shape than its parameter.
    """
    params = _check_dict("params", params)
    updates = _check_dict("updates", updates)
    for k, u in updates.items():
        if k not in params:
            raise KeyError(f"updates has {k!r} but params has no {k!r}; the parameters are {list(params)}. "
                           "Updates use the parameter keys (W1, b1, ...), not the gradient keys (dW1, ...).")
        check_like(f"updates[{k!r}]", as_array(f"updates[{k!r}]", u, ndim=None), k, np.shape(params[k]),
                   what="update")
    return _apply_updates(params, updates)


def _apply_updates(params: Mapping[str, np.ndarray], updates: Mapping[str, np.ndarray]) -> dict:
    """Unchecked :func:`apply_updates`, for the training loop."""
    # A plain loop with one lookup per key, rather than a dict comprehension with two ("k in
    # updates", then "updates[k]"): this runs once per training step, and on the course's small
    # networks the difference is about the cost of one of the array additions.
    new = {}
    for k, p in params.items():
        u = updates.get(k)
        new[k] = p if u is None else p + u
    return new


def _check_dict(name: str, d) -> Mapping:
    if not isinstance(d, Mapping):
        raise TypeError(f"{name} must be a dict of arrays keyed like {{'W1': ..., 'b1': ...}}, "
                        f"got {type(d).__name__}.")
    return d


def _state_dicts(state) -> list[tuple[str, Mapping]]:
    """The per-parameter dicts of a state, labelled as the messages name them (SGD keeps only the
    shapes: broadcast views of one 0.0, of those shapes, stand for its arrays)."""
    if isinstance(state, SGDState):
        shapes = _check_dict("state.shapes", state.shapes)
        return [("state.shapes", {k: np.broadcast_to(0.0, tuple(s)) for k, s in shapes.items()})]
    if isinstance(state, MomentumState):
        return [("state.velocity", state.velocity)]
    if isinstance(state, AccumulatorState):
        return [("state.accumulator", state.accumulator)]
    return [("state.m", state.m), ("state.v", state.v)]


_STATE_FIX = "pass the state returned by init(params) for these parameters, or by the previous update, unchanged."


def _check_state(state, state_type: type, name: str, params) -> dict:
    """Check ``state`` (and ``params``, if given); return the parameter shapes ``{key: shape}``."""
    if not isinstance(state, state_type):
        raise TypeError(f"state must be the {state_type.__name__} returned by {name}'s init(params) or by "
                        f"its previous update, got {type(state).__name__}.")
    check_int("state.count", state.count, minimum=0)
    dicts = _state_dicts(state)
    for label, d in dicts:
        _check_dict(label, d)
    if params is not None:  # the reference: the parameters themselves
        shapes, ref_label = {k: np.shape(v) for k, v in _check_dict("params", params).items()}, "params"
    else:  # the reference: the first dict of the state, as init built it from the parameters
        ref_label, first = dicts[0]
        shapes = {k: np.shape(v) for k, v in first.items()}
    for label, d in dicts:
        for k in shapes:
            if k not in d:
                raise KeyError(f"{label} has no entry {k!r} but {ref_label} has: {_STATE_FIX}")
        for k in d:
            if k not in shapes:
                raise KeyError(f"{label} has an entry {k!r} but {ref_label} has none: {_STATE_FIX}")
            check_like(f"{label}[{k!r}]", d[k], k, shapes[k], what="optimizer state entry", fix=_STATE_FIX)
    return shapes


def _checked(rule: Callable, state_type: type, name: str) -> Callable:
    """The public ``update``: check ``grads``, ``state`` (and ``params`` if given), then ``rule``."""

    def update(grads, state, params=None):
        """``(updates, new_state)`` for gradients ``grads`` (keys ``dW1, db1, ...``, each the shape of
        its parameter; other keys such as ``dA0`` are ignored) and the state of ``init`` or of the
        previous update. With ``params`` (the current parameters), also checks that the state was
        built for them. A missing gradient is a ``KeyError``, one of another shape a ``ValueError``."""
        shapes = _check_state(state, state_type, name, params)
        grads = _check_dict("grads", grads)
        checked = {}
        for k, shape in shapes.items():
            if "d" + k not in grads:
                raise _missing_grad(KeyError("d" + k), grads, shapes)
            g = as_array("d" + k, grads["d" + k], ndim=None)
            check_like("d" + k, g, k, shape)
            checked["d" + k] = g
        return rule(checked, state)

    return update


def _rate(learning_rate):
    """Validate a learning rate; return ``(schedule, lr)``: ``(None, lr)`` for a positive float,
    ``(schedule, None)`` for a schedule ``step -> float``.

    ``update`` calls the schedule only when there is one: a constant rate is used as it is, which
    spares a function call per step (on the course's small networks every call shows).
    """
    if callable(learning_rate):
        return learning_rate, None
    return None, check_positive("learning_rate", learning_rate)


def _missing_grad(exc: KeyError, grads: Mapping[str, np.ndarray], keys) -> KeyError:
    """The error for a gradient dict that lacks ``"d" + key`` for one of the optimizer's parameters."""
    return KeyError(
        f"grads has no {exc.args[0]!r}: the optimizer was initialized with parameters {list(keys)} "
        f"and expects gradients named 'd' + key; got {sorted(grads)}."
    )


def _zeros_like(params) -> dict:
    """Zeros shaped like every parameter (``init``'s check of ``params``)."""
    params = _check_dict("params", params)
    return {k: np.zeros_like(as_array(k, v, ndim=None)) for k, v in params.items()}


# Every ``update`` below is one plain loop over the parameters: it reads the gradient ``"d" + key``
# and writes the new state and the update into fresh dicts (the inputs are never modified). The
# constants of the formulas (``-lr``, ``1 - beta``, ...) are computed once per step or once per
# optimizer, not once per parameter; the results are the same floats either way.


def sgd(learning_rate=0.01) -> Optimizer:
    """Gradient descent: ``theta -= lr g``."""
    schedule, constant_lr = _rate(learning_rate)

    def init(params):
        return SGDState(0, {k: z.shape for k, z in _zeros_like(params).items()})

    def update(grads, state):
        lr = constant_lr if schedule is None else schedule(state.count)
        step = -lr
        updates = {}
        try:
            for k in state.shapes:
                updates[k] = step * grads["d" + k]
        except KeyError as exc:
            raise _missing_grad(exc, grads, state.shapes) from None
        return updates, SGDState(state.count + 1, state.shapes)

    return Optimizer(init, _checked(update, SGDState, "sgd"), "sgd", {"learning_rate": learning_rate}, update)


def momentum(learning_rate=0.01, beta=0.9, form="ema") -> Optimizer:
    """Momentum: ``form="ema"`` keeps ``v = beta v + (1 - beta) g`` and steps ``-lr v`` (seed 001);
    ``form="classical"`` keeps ``v = beta v - lr g`` and steps ``+v`` (seed 003, ``m = lambda m - eta g``)."""
    schedule, constant_lr = _rate(learning_rate)
    beta = check_probability("beta", beta, low_open=False, high_open=True)
    check_choice("momentum form", form, ("ema", "classical"))
    one_minus_beta = 1.0 - beta

    def init(params):
        return MomentumState(0, _zeros_like(params))

    def update(grads, state):
        lr = constant_lr if schedule is None else schedule(state.count)
        step = -lr
        vel, new_v = state.velocity, {}
        try:
            if form == "ema":
                updates = {}
                for k, v in vel.items():
                    new_v[k] = v_k = beta * v + one_minus_beta * grads["d" + k]
                    updates[k] = step * v_k
            else:
                for k, v in vel.items():
                    new_v[k] = beta * v - lr * grads["d" + k]
                updates = new_v  # classical: the step is the velocity itself
        except KeyError as exc:
            raise _missing_grad(exc, grads, vel) from None
        return updates, MomentumState(state.count + 1, new_v)

    return Optimizer(init, _checked(update, MomentumState, "momentum"), "momentum",
                     {"learning_rate": learning_rate, "beta": beta, "form": form}, update)


def _rms_scaled(name: str, learning_rate, decay: float, gain: float, eps: float, hyperparams: dict) -> Optimizer:
    """Adagrad and RMSProp: ``acc = decay * acc + gain * g^2``, ``theta -= lr g / (sqrt(acc) + eps)``.

    They differ only in how the squared gradients are accumulated: Adagrad sums them all
    (``decay = gain = 1``), RMSProp keeps a moving average (``decay = beta``, ``gain = 1 - beta``).
    """
    schedule, constant_lr = _rate(learning_rate)
    eps = check_positive("eps", eps)

    def init(params):
        return AccumulatorState(0, _zeros_like(params))

    def update(grads, state):
        lr = constant_lr if schedule is None else schedule(state.count)
        step = -lr
        acc, updates = {}, {}
        try:
            for k, a in state.accumulator.items():
                g = grads["d" + k]
                acc[k] = a_k = decay * a + gain * (g * g)
                updates[k] = step * g / (np.sqrt(a_k) + eps)
        except KeyError as exc:
            raise _missing_grad(exc, grads, state.accumulator) from None
        return updates, AccumulatorState(state.count + 1, acc)

    return Optimizer(init, _checked(update, AccumulatorState, name), name,
                     {"learning_rate": learning_rate, **hyperparams, "eps": eps}, update)


def adagrad(learning_rate=0.01, eps=1e-8) -> Optimizer:
    """Adagrad: ``G += g^2``, ``theta -= lr g / (sqrt(G) + eps)``.

    Seed 003 writes it as ``theta -= eta_t / sigma_t g`` with ``eta_t = eta / sqrt(t + 1)`` and
    ``sigma_t`` the root mean square of all past gradients; the ``sqrt(t + 1)`` cancel, giving this form.
    """
    return _rms_scaled("adagrad", learning_rate, 1.0, 1.0, eps, {})


def rmsprop(learning_rate=0.001, beta=0.9, eps=1e-8) -> Optimizer:
    """RMSProp: ``s = beta s + (1 - beta) g^2``, ``theta -= lr g / (sqrt(s) + eps)``
    (seed 003: ``sigma_t^2 = alpha sigma_{t-1}^2 + (1 - alpha) g_t^2`` with ``alpha = beta``)."""
    beta = check_probability("beta", beta, low_open=False, high_open=True)
    return _rms_scaled("rmsprop", learning_rate, beta, 1.0 - beta, eps, {"beta": beta})


def adam(learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8) -> Optimizer:
    """Adam (Kingma & Ba, Algorithm 1), bias-corrected with ``beta1^t`` and ``beta2^t``:

    ``m = beta1 m + (1 - beta1) g``, ``v = beta2 v + (1 - beta2) g^2``,
    ``m_hat = m / (1 - beta1^t)``, ``v_hat = v / (1 - beta2^t)``,
    ``theta -= lr m_hat / (sqrt(v_hat) + eps)``. The first step is about ``-lr sign(g)``.
    """
    schedule, constant_lr = _rate(learning_rate)
    beta1 = check_probability("beta1", beta1, low_open=False, high_open=True)
    beta2 = check_probability("beta2", beta2, low_open=False, high_open=True)
    eps = check_positive("eps", eps)
    one_minus_beta1, one_minus_beta2 = 1.0 - beta1, 1.0 - beta2

    def init(params):
        zeros = _zeros_like(params)
        return AdamState(0, zeros, dict(zeros))

    def update(grads, state):
        t = state.count + 1
        lr = constant_lr if schedule is None else schedule(state.count)
        c1 = 1.0 / (1.0 - beta1**t)  # m_hat = m * c1
        c2 = 1.0 / (1.0 - beta2**t)  # v_hat = v * c2
        step = -lr * c1
        # Looked up once per step rather than once per parameter (each is a lookup that shows here).
        sqrt, v_old = np.sqrt, state.v
        m, v, updates = {}, {}, {}
        try:
            for k, m_old in state.m.items():
                g = grads["d" + k]
                m[k] = m_k = beta1 * m_old + one_minus_beta1 * g
                v[k] = v_k = beta2 * v_old[k] + one_minus_beta2 * (g * g)
                updates[k] = step * m_k / (sqrt(v_k * c2) + eps)  # -lr m_hat / (sqrt(v_hat) + eps)
        except KeyError as exc:
            raise _missing_grad(exc, grads, state.m) from None
        return updates, AdamState(t, m, v)

    return Optimizer(init, _checked(update, AdamState, "adam"), "adam",
                     {"learning_rate": learning_rate, "beta1": beta1, "beta2": beta2, "eps": eps}, update)


#: name -> constructor taking the hyperparameters as keywords.
OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": sgd,
    "gd": sgd,
    "momentum": momentum,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
}


def get_optimizer(name: str, **hyperparams) -> Optimizer:
    """Build an optimizer by name, e.g. ``get_optimizer("adam", learning_rate=0.01)``."""
    check_choice("optimizer", name, OPTIMIZERS)
    return OPTIMIZERS[name](**hyperparams)
