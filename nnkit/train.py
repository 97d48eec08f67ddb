"""The training loop for an L-layer network: everything in nnkit, put together.

``train(X, Y, layer_dims, ...)`` initializes the parameters, then for every epoch shuffles the
data into mini-batches (or uses the full batch), runs forward, backward (with L2 and dropout if
asked) and one optimizer update per batch. Every ``record_every`` epochs it records the cost, the
training accuracy (and validation accuracy when validation data is given), and optionally the
per-layer gradient norms. It returns the trained parameters and that history.

Arguments are validated once, before the loop; inside it only the unchecked ``_`` functions run,
so the loop costs what the numpy arithmetic costs (see ``benchmarks/bench_nnkit.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from nnkit._checks import as_array, as_rng, check_binary, check_choice, check_int, check_positive, check_shape
from nnkit.init import initialize_parameters
from nnkit.losses import LOSSES
from nnkit.metrics import accuracy, predict_labels
from nnkit.network import _backward, _cost, _forward, _keep_probs, _plan, validate_network
from nnkit.optim import Optimizer, _apply_updates, get_optimizer

__all__ = ["History", "TrainResult", "train"]


@dataclass
class History:
    """What ``train`` recorded, one entry per recorded epoch.

    ``grad_norms`` maps ``"layer l"`` to the Frobenius norms of ``dW[l]`` (when recorded).
    """

    epochs: list[int] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    learning_rates: list[float] = field(default_factory=list)
    grad_norms: dict[str, list[float]] = field(default_factory=dict)

    def __repr__(self) -> str:
        if not self.costs:
            return "History(empty)"
        val = f", val_acc={self.val_accuracy[-1]:.3f}" if self.val_accuracy else ""
        acc = f", train_acc={self.train_accuracy[-1]:.3f}" if self.train_accuracy else ""
        return f"History({len(self.costs)} records up to epoch {self.epochs[-1]}: cost={self.costs[-1]:.4f}{acc}{val})"


@dataclass
class TrainResult:
    """``params`` (dict ``W1, b1, ...``), ``history`` (:class:`History`) and ``activations`` used."""

    params: dict
    history: History
    activations: tuple[str, ...]

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


def train(
    X,
    Y,
    layer_dims: Sequence[int],
    *,
    rng,
    activations: Sequence[str] | None = None,
    loss: str = "binary_cross_entropy",
    optimizer: str | Optimizer = "sgd",
    learning_rate=0.01,
    num_epochs: int = 1000,
    mini_batch_size: int | None = None,
    lambd: float = 0.0,
    divide_by_m: bool = True,
    keep_prob=1.0,
    init: str = "he",
    init_scale: float | None = None,
    params: dict | None = None,
    record_every: int = 100,
    record_grad_norms: bool = False,
    X_val=None,
    Y_val=None,
    progress: bool = False,
) -> TrainResult:
    """Train an L-layer network and return its parameters and history.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (n_y, m)  0/1 labels for binary cross-entropy, one-hot for categorical
    layer_dims : ``[n_x, n_1, ..., n_L]``
    rng : Generator or int seed; draws the initial weights, the shuffles and the dropout masks
    activations : L names; default ReLU hidden layers and an output matching ``loss``
    loss : a name from :data:`nnkit.losses.LOSSES`
    optimizer : a name (``"sgd"``, ``"momentum"``, ``"adagrad"``, ``"rmsprop"``, ``"adam"``) built
        with ``learning_rate``, or a ready :class:`nnkit.optim.Optimizer`
    learning_rate : float or schedule ``epoch -> float`` (used when ``optimizer`` is a name); a
        schedule is called with the epoch number, as the notebooks' decay functions are
    num_epochs : passes over the data (with full batch: iterations)
    mini_batch_size : None for full-batch gradient descent, else the batch size
    lambd, divide_by_m : L2 strength and convention (see :mod:`nnkit.regularization`)
    keep_prob : dropout keep probability for the hidden layers (1 = no dropout)
    init, init_scale : initializer (see :mod:`nnkit.init`); ignored when ``params`` is given
    params : optional initial parameters (copied, never modified)
    record_every : record cost and accuracy every this many epochs (and after the last one)
    record_grad_norms : also record ``||dW[l]||`` per layer at each record
    X_val, Y_val : optional validation data, shapes ``(n_x, m_val)``, ``(n_y, m_val)``
    progress : show a tqdm progress bar over the epochs

    Returns
    -------
    TrainResult with ``params``, ``history``, ``activations`` (unpacks as ``params, history``)
    """
    rng = as_rng(rng)
    X, Y = as_array("X", X), as_array("Y", Y)
    check_choice("loss", loss, LOSSES)
    if params is None:
        params = initialize_parameters(layer_dims, init, rng=rng, scale=init_scale)
    else:
        params = {k: np.array(v, dtype=float) for k, v in params.items()}
    L = len(params) // 2
    acts = tuple(activations) if activations is not None else tuple(_default_activations(L, loss))
    _, acts = validate_network(params, acts, X)
    check_shape("Y", Y, [(params[f"W{L}"].shape[0], "n_L"), (X.shape[1], "m")],
                hint="Y needs one column per example of X and one row per output unit.")
    if loss == "binary_cross_entropy":
        check_binary("Y", Y)
    num_epochs = check_int("num_epochs", num_epochs, minimum=1)
    record_every = check_int("record_every", record_every, minimum=1)
    if mini_batch_size is not None:  # the check random_mini_batches would make, made once here
        mini_batch_size = check_int("mini_batch_size", mini_batch_size, minimum=1)
    lambd = check_positive("lambd", lambd, allow_zero=True)
    kps = _keep_probs(keep_prob, L)
    if all(kp == 1.0 for kp in kps):
        kps = ()
    # Accuracy means something only for class labels (0/1 rows or one-hot columns).
    track_accuracy = Y.shape[0] > 1 or bool(np.all((Y == 0) | (Y == 1)))
    has_val = X_val is not None
    if has_val:
        X_val, Y_val = as_array("X_val", X_val), as_array("Y_val", Y_val)
        check_shape("X_val", X_val, [(X.shape[0], "n_x"), None])
        check_shape("Y_val", Y_val, [(Y.shape[0], "n_y"), (X_val.shape[1], "m_val")])

    if isinstance(optimizer, Optimizer):
        opt = optimizer
        epoch_rate = None
    elif callable(learning_rate):
        # A schedule of the epoch: the optimizer reads the current epoch's rate, set before each epoch.
        epoch_rate = learning_rate
        current = {"lr": 1.0}
        opt = get_optimizer(optimizer, learning_rate=lambda step: current["lr"])
    else:
        # A constant rate goes to the optimizer as a float: it uses it as it is, with no call per step.
        epoch_rate = None
        opt = get_optimizer(optimizer, learning_rate=check_positive("learning_rate", learning_rate))
    state = opt.init(params)
    # The gradients below come from the network's own backward pass, the parameters' shapes by
    # construction: the update without opt.update's per-step checks (the same arithmetic).
    update = opt.unchecked_update or opt.update

    plan = _plan(acts)  # the layers' keys and activation functions, looked up once for the whole run
    full_batch = ((X, Y),)  # the single batch of full-batch gradient descent
    history = History()
    epochs = range(num_epochs)
    if progress:
        from tqdm.auto import tqdm

        epochs = tqdm(epochs, desc=f"training {list(layer_dims)}", unit="epoch")
    for epoch in epochs:
        if epoch_rate is not None:
            current["lr"] = check_positive("learning_rate(epoch)", epoch_rate(epoch))
        record = epoch % record_every == 0 or epoch == num_epochs - 1
        batches = full_batch if mini_batch_size is None else _mini_batches(X, Y, mini_batch_size, rng)
        cost_sum = 0.0
        for Xb, Yb in batches:
            AL, caches = _forward(Xb, params, plan, kps, rng)
            grads = _backward(AL, Yb, caches, plan, loss, lambd, divide_by_m, need_dA0=False)
            if record:
                cost_sum += _cost(AL, Yb, loss, [c.W for c in caches], lambd, divide_by_m) * Yb.shape[1]
            updates, state = update(grads, state)
            params = _apply_updates(params, updates)
        if record:
            history.epochs.append(epoch)
            history.costs.append(cost_sum / X.shape[1])
            if track_accuracy:
                history.train_accuracy.append(accuracy(predict_labels(_forward(X, params, plan)[0]), _labels(Y)))
            if has_val and track_accuracy:
                history.val_accuracy.append(accuracy(predict_labels(_forward(X_val, params, plan)[0]), _labels(Y_val)))
            if epoch_rate is not None:
                history.learning_rates.append(current["lr"])
            if record_grad_norms:
                for l in range(1, L + 1):
                    history.grad_norms.setdefault(f"layer {l}", []).append(float(np.linalg.norm(grads[f"dW{l}"])))
            if progress:
                epochs.set_postfix(cost=f"{history.costs[-1]:.4f}")
    return TrainResult(params, history, acts)


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
