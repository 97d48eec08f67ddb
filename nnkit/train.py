"""The training loop for an L-layer network: everything in nnkit, put together.

``train(X, Y, layer_dims, config, rng=...)`` initializes the parameters, then for every epoch
shuffles the data into mini-batches (or uses the full batch), runs forward, backward (with L2 and
dropout if asked) and one optimizer update per batch. Every ``record_every`` epochs it records the
cost, the training accuracy (and validation accuracy when validation data is given), and
optionally the per-layer gradient norms; on request, the cost of every mini-batch too. It returns
the trained parameters and that history.

The hyperparameters live in a :class:`TrainConfig`, a frozen dataclass validated once when it is
built; in a notebook they can also be given as keywords, which build (or ``dataclasses.replace``)
one::

    config = TrainConfig(optimizer="adam", learning_rate=0.01, num_epochs=100, mini_batch_size=64)
    result = train(X, Y, [2, 5, 1], config, rng=0)
    result = train(X, Y, [2, 5, 1], config, rng=0, keep_prob=0.8)      # the same, with dropout
    result = train(X, Y, [2, 5, 1], rng=0, optimizer="adam", learning_rate=0.01)

Arguments are validated once, before the loop; inside it only the unchecked ``_`` functions run,
so the loop costs what the numpy arithmetic costs (see ``benchmarks/bench_nnkit.py``).
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from nnkit._checks import (
    as_array,
    as_rng,
    check_binary,
    check_bool,
    check_choice,
    check_int,
    check_positive,
    check_shape,
)
from nnkit.activations import ACTIVATIONS
from nnkit.init import INIT_METHODS, _check_dims, initialize_parameters
from nnkit.losses import LOSSES
from nnkit.metrics import _predict_labels, accuracy, predict_labels
from nnkit.network import (
    _backward,
    _check_keep_prob,
    _cost,
    _forward,
    _keep_probs,
    _plan,
    num_layers,
    validate_network,
)
from nnkit.optim import OPTIMIZERS, Optimizer, _apply_updates, get_optimizer

__all__ = ["History", "TrainConfig", "TrainResult", "train"]

#: The learning rate of an optimizer given by name when ``learning_rate`` is left at None.
DEFAULT_LEARNING_RATE = 0.01


@dataclass(frozen=True, repr=False)
class TrainConfig:
    """Every hyperparameter of :func:`train`, checked once when the config is built.

    Frozen: derive a variant with ``dataclasses.replace(config, lambd=0.7)``, or pass the change to
    ``train`` as a keyword. The repr lists the settings that differ from the defaults.

    Attributes
    ----------
    activations : L names, or None for ReLU hidden layers and an output matching ``loss``
        (sigmoid for binary cross-entropy, softmax for categorical, linear otherwise)
    loss : a name from :data:`nnkit.losses.LOSSES`
    optimizer : a name (``"sgd"``, ``"momentum"``, ``"adagrad"``, ``"rmsprop"``, ``"adam"``) built
        with ``learning_rate``, or a ready :class:`nnkit.optim.Optimizer` (then ``learning_rate``
        must stay None: the optimizer has its own)
    learning_rate : float > 0, or a schedule ``epoch -> float`` called with the epoch number, as the
        notebooks' decay functions are; None means 0.01 for an optimizer given by name
    num_epochs : passes over the data (with full batch: iterations), >= 1
    mini_batch_size : None for full-batch gradient descent, else the batch size (>= 1)
    lambd, divide_by_m : L2 strength (>= 0) and convention (see :mod:`nnkit.regularization`)
    keep_prob : dropout keep probability of the hidden layers, in (0, 1] (1 = no dropout), or one
        per hidden layer
    init, init_scale : initializer (see :mod:`nnkit.init`); unused when ``train`` is given ``params``
    record_every : record cost and accuracy every this many epochs (and after the last one)
    record_grad_norms : also record ``||dW[l]||`` per layer at each record
    record_batch_costs : also record the cost of every mini-batch (``History.batch_costs``)
    progress : show a tqdm progress bar over the epochs
    """

    activations: tuple[str, ...] | None = None
    loss: str = "binary_cross_entropy"
    optimizer: str | Optimizer = "sgd"
    learning_rate: float | Callable[[int], float] | None = None
    num_epochs: int = 1000
    mini_batch_size: int | None = None
    lambd: float = 0.0
    divide_by_m: bool = True
    keep_prob: float | tuple[float, ...] = 1.0
    init: str = "he"
    init_scale: float | None = None
    record_every: int = 100
    record_grad_norms: bool = False
    record_batch_costs: bool = False
    progress: bool = False

    def __post_init__(self):
        def fix(name, value):  # store the checked, normalized value (the dataclass is frozen)
            object.__setattr__(self, name, value)

        if self.activations is not None:
            if isinstance(self.activations, str) or not isinstance(self.activations, Iterable):
                raise TypeError(f"activations must list one name per layer, e.g. ['relu', 'sigmoid'], "
                                f"got {type(self.activations).__name__} {self.activations!r}.")
            fix("activations", tuple(check_choice("activation", a, ACTIVATIONS) for a in self.activations))
        check_choice("loss", self.loss, LOSSES)
        if isinstance(self.optimizer, Optimizer):
            if self.learning_rate is not None:
                raise ValueError(
                    f"learning_rate={self.learning_rate!r} would be ignored: optimizer is a ready "
                    f"{self.optimizer!r} with its own rate. Set the rate when building it, or pass the "
                    f"optimizer's name (optimizer={self.optimizer.name!r}, learning_rate=...)."
                )
        else:
            check_choice("optimizer", self.optimizer, OPTIMIZERS)
            if self.learning_rate is not None and not callable(self.learning_rate):
                fix("learning_rate", check_positive("learning_rate", self.learning_rate))
        fix("num_epochs", check_int("num_epochs", self.num_epochs, minimum=1))
        if self.mini_batch_size is not None:
            fix("mini_batch_size", check_int("mini_batch_size", self.mini_batch_size, minimum=1))
        fix("lambd", check_positive("lambd", self.lambd, allow_zero=True))
        fix("divide_by_m", check_bool("divide_by_m", self.divide_by_m))
        fix("keep_prob", _check_keep_prob(self.keep_prob))  # their number is checked in train, against L
        check_choice("init method", self.init, INIT_METHODS)
        if self.init_scale is not None:
            fix("init_scale", check_positive("init_scale", self.init_scale))
        fix("record_every", check_int("record_every", self.record_every, minimum=1))
        for flag in ("record_grad_norms", "record_batch_costs", "progress"):
            fix(flag, check_bool(flag, getattr(self, flag)))

    def __repr__(self) -> str:
        changed = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is f.default or (not callable(value) and value == f.default):
                continue
            if callable(value) and not isinstance(value, Optimizer):
                name = getattr(value, "__qualname__", type(value).__name__).split(".<locals>")[0]
                changed.append(f"{f.name}=<schedule {name}>")
            else:
                changed.append(f"{f.name}={value!r}")
        return f"TrainConfig({', '.join(changed)})"


@dataclass
class History:
    """What ``train`` recorded: one entry per recorded epoch, and ``batch_costs`` per update.

    ``grad_norms`` maps ``"layer l"`` to the Frobenius norms of ``dW[l]`` (when recorded).
    ``batch_costs`` (with ``record_batch_costs``) holds the cost of every mini-batch, in the order
    of the updates: the batch's mean cost (with its L2 term) before the update it leads to, so
    ``num_epochs * ceil(m / mini_batch_size)`` floats, one per epoch with the full batch. Its
    oscillations are the noise of mini-batch gradient descent that ``costs``, the average over an
    epoch's batches, smooths away.
    """

    epochs: list[int] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    learning_rates: list[float] = field(default_factory=list)
    grad_norms: dict[str, list[float]] = field(default_factory=dict)
    batch_costs: list[float] = field(default_factory=list)

    def __repr__(self) -> str:
        if not self.costs:
            return "History(empty)"
        val = f", val_acc={self.val_accuracy[-1]:.3f}" if self.val_accuracy else ""
        acc = f", train_acc={self.train_accuracy[-1]:.3f}" if self.train_accuracy else ""
        batches = f", {len(self.batch_costs)} batch costs" if self.batch_costs else ""
        return (f"History({len(self.costs)} records up to epoch {self.epochs[-1]}: "
                f"cost={self.costs[-1]:.4f}{acc}{val}{batches})")


@dataclass
class TrainResult:
    """``params`` (dict ``W1, b1, ...``), ``history`` (:class:`History`), ``activations`` used, and
    the ``config`` trained with."""

    params: dict
    history: History
    activations: tuple[str, ...]
    config: TrainConfig | None = None

    def predict(self, X) -> np.ndarray:
        """Labels ``(1, m)`` for the columns of ``X`` (no dropout)."""
        X = as_array("X", X)
        check_shape("X", X, [(self.params["W1"].shape[1], "n_x"), None])
        return predict_labels(_forward(X, self.params, _plan(tuple(self.activations)))[0])

    def __iter__(self):  # allows ``params, history = train(...)``
        return iter((self.params, self.history))


def _default_activations(L: int, loss: str) -> list[str]:
    out = {"binary_cross_entropy": "sigmoid", "categorical_cross_entropy": "softmax"}.get(loss, "linear")
    return ["relu"] * (L - 1) + [out]


_SETTINGS = tuple(f.name for f in dataclasses.fields(TrainConfig))


def _config(config, overrides: dict) -> TrainConfig:
    """The config of a ``train`` call: ``config`` with the keyword ``overrides`` applied."""
    unknown = [k for k in overrides if k not in _SETTINGS]
    if unknown:
        close = difflib.get_close_matches(unknown[0], _SETTINGS + ("rng", "params", "X_val", "Y_val"), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise TypeError(f"train() got an unexpected keyword argument {unknown[0]!r}.{hint} The training settings "
                        f"are {', '.join(_SETTINGS)} (see TrainConfig); train's own keywords are rng, params, "
                        "X_val and Y_val.")
    if config is None:
        return TrainConfig(**overrides)
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig (or None, with the settings as keywords), got "
                        f"{type(config).__name__}. The seed is the keyword rng=...")
    return dataclasses.replace(config, **overrides) if overrides else config


def _initial_params(layer_dims, params, config: TrainConfig, rng) -> tuple[dict, list[int]]:
    """Fresh parameters for ``layer_dims``, or a float copy of ``params`` whose sizes must be those
    of ``layer_dims`` (a mismatch used to train the given network under the other's name); and the
    checked ``layer_dims``."""
    if params is None:
        params = initialize_parameters(layer_dims, config.init, rng=rng, scale=config.init_scale)
        return params, _check_dims(layer_dims)
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict like {{'W1': ..., 'b1': ...}}, got {type(params).__name__}.")
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    dims = _check_dims(layer_dims)
    L = num_layers(params)
    if L and all(f"W{l}" in params and params[f"W{l}"].ndim == 2 for l in range(1, L + 1)):
        sizes = [params["W1"].shape[1]] + [params[f"W{l}"].shape[0] for l in range(1, L + 1)]
        if sizes != dims:
            raise ValueError(f"layer_dims {dims} does not match the given params, whose sizes are {sizes}: "
                             "pass the layer sizes of those parameters.")
    return params, dims


def train(X, Y, layer_dims: Sequence[int], config: TrainConfig | None = None, *, rng, params: dict | None = None,
          X_val=None, Y_val=None, **overrides) -> TrainResult:
    """Train an L-layer network and return its parameters and history.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (n_y, m)  0/1 labels for binary cross-entropy, one-hot for categorical
    layer_dims : ``[n_x, n_1, ..., n_L]``
    config : the hyperparameters, a :class:`TrainConfig` (None: the defaults)
    rng : Generator or int seed; draws the initial weights, the shuffles and the dropout masks
    params : optional initial parameters (copied, never modified), of the sizes ``layer_dims``
    X_val, Y_val : optional validation data, shapes ``(n_x, m_val)``, ``(n_y, m_val)``
    **overrides : any :class:`TrainConfig` field, e.g. ``optimizer="adam", learning_rate=0.01``:
        replaces that setting of ``config``. Another keyword is a ``TypeError`` naming it.

    Returns
    -------
    TrainResult with ``params``, ``history``, ``activations`` and ``config`` (unpacks as
    ``params, history``)
    """
    config = _config(config, overrides)
    rng = as_rng(rng)
    X, Y = as_array("X", X), as_array("Y", Y)
    loss, num_epochs, record_every = config.loss, config.num_epochs, config.record_every
    lambd, divide_by_m, mini_batch_size = config.lambd, config.divide_by_m, config.mini_batch_size
    params, dims = _initial_params(layer_dims, params, config, rng)
    L = num_layers(params)
    acts = config.activations if config.activations is not None else tuple(_default_activations(L, loss))
    _, acts = validate_network(params, acts, X)
    check_shape("Y", Y, [(params[f"W{L}"].shape[0], "n_L"), (X.shape[1], "m")],
                hint="Y needs one column per example of X and one row per output unit.")
    if loss == "binary_cross_entropy":
        check_binary("Y", Y)
    kps = _keep_probs(config.keep_prob, L)
    if all(kp == 1.0 for kp in kps):
        kps = ()
    # Accuracy means something only for class labels (0/1 rows or one-hot columns).
    track_accuracy = Y.shape[0] > 1 or bool(np.all((Y == 0) | (Y == 1)))
    has_val = X_val is not None
    if has_val:
        X_val, Y_val = as_array("X_val", X_val), as_array("Y_val", Y_val)
        check_shape("X_val", X_val, [(X.shape[0], "n_x"), None])
        check_shape("Y_val", Y_val, [(Y.shape[0], "n_y"), (X_val.shape[1], "m_val")])

    learning_rate = DEFAULT_LEARNING_RATE if config.learning_rate is None else config.learning_rate
    epoch_rate = None
    if isinstance(config.optimizer, Optimizer):
        opt = config.optimizer
    elif callable(learning_rate):
        # A schedule of the epoch: the optimizer reads the current epoch's rate, set before each epoch.
        epoch_rate = learning_rate
        current = {"lr": 1.0}
        opt = get_optimizer(config.optimizer, learning_rate=lambda step: current["lr"])
    else:
        # A constant rate goes to the optimizer as a float: it uses it as it is, with no call per step.
        opt = get_optimizer(config.optimizer, learning_rate=learning_rate)
    state = opt.init(params)
    # The gradients below come from the network's own backward pass, the parameters' shapes by
    # construction: the update without opt.update's per-step checks (the same arithmetic).
    update = opt.unchecked_update or opt.update

    plan = _plan(acts)  # the layers' keys and activation functions, looked up once for the whole run
    full_batch = ((X, Y),)  # the single batch of full-batch gradient descent
    history = History()
    record_batches, batch_costs = config.record_batch_costs, history.batch_costs
    epochs = range(num_epochs)
    if config.progress:
        from tqdm.auto import tqdm

        epochs = tqdm(epochs, desc=f"training {dims}", unit="epoch")
    for epoch in epochs:
        if epoch_rate is not None:
            current["lr"] = check_positive("learning_rate(epoch)", epoch_rate(epoch))
        record = epoch % record_every == 0 or epoch == num_epochs - 1
        needs_cost = record or record_batches  # one test per batch when neither is asked
        batches = full_batch if mini_batch_size is None else _mini_batches(X, Y, mini_batch_size, rng)
        cost_sum = 0.0
        for Xb, Yb in batches:
            AL, caches = _forward(Xb, params, plan, kps, rng)
            grads = _backward(AL, Yb, caches, plan, loss, lambd, divide_by_m, need_dA0=False)
            if needs_cost:
                cost = _cost(AL, Yb, loss, [c.W for c in caches], lambd, divide_by_m)
                if record_batches:
                    batch_costs.append(cost)
                cost_sum += cost * Yb.shape[1]
            updates, state = update(grads, state)
            params = _apply_updates(params, updates)
        if record:
            history.epochs.append(epoch)
            history.costs.append(cost_sum / X.shape[1])
            if track_accuracy:
                history.train_accuracy.append(accuracy(_predict_labels(_forward(X, params, plan)[0]), _labels(Y)))
            if has_val and track_accuracy:
                history.val_accuracy.append(accuracy(_predict_labels(_forward(X_val, params, plan)[0]), _labels(Y_val)))
            if epoch_rate is not None:
                history.learning_rates.append(current["lr"])
            if config.record_grad_norms:
                for l in range(1, L + 1):
                    history.grad_norms.setdefault(f"layer {l}", []).append(float(np.linalg.norm(grads[f"dW{l}"])))
            if config.progress:
                epochs.set_postfix(cost=f"{history.costs[-1]:.4f}")
    return TrainResult(params, history, acts, config)


def _mini_batches(X: np.ndarray, Y: np.ndarray, size: int, rng: np.random.Generator) -> list:
    """:func:`nnkit.data.random_mini_batches` without its argument checks, which ``train`` has
    done once: the same single permutation drawn from ``rng`` (so the same batches, and the same
    random numbers left for dropout), cut into consecutive batches of ``size`` columns."""
    m = X.shape[1]
    order = rng.permutation(m)
    X_shuffled, Y_shuffled = X[:, order], Y[:, order]
    return [(X_shuffled[:, k:k + size], Y_shuffled[:, k:k + size]) for k in range(0, m, size)]


def _labels(Y: np.ndarray) -> np.ndarray:
    """Targets as the labels ``predict_labels`` produces: 0/1 rows stay, one-hot becomes class ids."""
    return Y if Y.shape[0] == 1 else Y.argmax(axis=0).reshape(1, -1).astype(float)
