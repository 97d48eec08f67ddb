"""The three tables of the course notes as experiments: data, training, rows and checks.

See the package's documentation (``pydoc nnkit.experiments``) for the setups, the numbers they
give and why some differ from the notes'. Each experiment trains its three models with one
:class:`nnkit.train.TrainConfig` per table, varied per model with ``dataclasses.replace``, and
returns an :class:`Experiment`; :mod:`nnkit.experiments.report` prints and plots it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from nnkit import optim
from nnkit._checks import check_bool, check_int
from nnkit.data import make_circles, make_moons, make_overfit_set
from nnkit.metrics import accuracy
from nnkit.train import TrainConfig, TrainResult, train

__all__ = [
    "DEFAULT_SEED",
    "FLAG_DIFFERENCE",
    "ExperimentRow",
    "Experiment",
    "initialization_experiment",
    "regularization_experiment",
    "optimizer_experiment",
    "hidden_units_identical",
    "EXPERIMENTS",
    "run_all",
]

#: The seed the module docstring's numbers were measured with.
DEFAULT_SEED = 0

#: Differences from the seed's numbers larger than this (in accuracy, 0.05 = 5 points) are flagged.
FLAG_DIFFERENCE = 0.05


# --------------------------------------------------------------------------- results


@dataclass
class ExperimentRow:
    """One line of a table: our accuracies beside the seed's (fractions in [0, 1]; ``None`` = not
    measured / not quoted), and a short note on what the row teaches."""

    name: str
    train_accuracy: float
    test_accuracy: float | None
    seed_train: float | None
    seed_test: float | None
    note: str = ""


@dataclass
class Experiment:
    """Everything one table produced.

    Attributes
    ----------
    key : short identifier, also the prefix of the plot file names (``"initialization"``, ...)
    title : the table's title
    setup : one line describing network, data and training
    rows : list of ExperimentRow, one per model, in the table's order
    results : model name -> TrainResult (``results[name].history.costs`` is the cost curve)
    data : ``(X_train, Y_train, X_test, Y_test)``; the test pair is ``None`` when not used
    record_every : epochs between two recorded costs (the x spacing of the cost curves)
    checks : description of an ordering the lesson needs -> whether it holds
    seed : the seed used
    seconds : wall-clock training time of the whole table
    """

    key: str
    title: str
    setup: str
    rows: list[ExperimentRow]
    results: dict[str, TrainResult]
    data: tuple
    record_every: int
    checks: dict[str, bool] = field(default_factory=dict)
    seed: int = DEFAULT_SEED
    seconds: float = 0.0

    def row(self, name: str) -> ExperimentRow:
        """The row called ``name``."""
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(f"no row {name!r}; rows are {[r.name for r in self.rows]}.")

    @property
    def costs(self) -> dict[str, list[float]]:
        """Model name -> recorded costs (one every ``record_every`` epochs, plus the last epoch)."""
        return {name: res.history.costs for name, res in self.results.items()}

    @property
    def all_checks_pass(self) -> bool:
        return all(self.checks.values())


# --------------------------------------------------------------------------- helpers


def _streams(seed: int) -> tuple[np.random.SeedSequence, np.random.SeedSequence]:
    """``(data, training)`` seed sequences derived from ``seed`` (independent streams)."""
    data_seq, train_seq = np.random.SeedSequence(check_int("seed", seed, minimum=0)).spawn(2)
    return data_seq, train_seq


def _acc(result: TrainResult, X, Y) -> float | None:
    return None if X is None else accuracy(result.predict(X), Y)


def _bar(iterable, desc: str, progress: bool):
    """A tqdm bar over the models of one table (or the bare iterable)."""
    if not progress:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, unit="model", leave=True, dynamic_ncols=True)


def _run_models(key, title, setup, specs, data, dims, *, seed, train_seq, progress):
    """Train every ``(name, config, seed_train, seed_test, note)`` of ``specs`` on ``data``, each
    from the same training stream ``train_seq``."""
    X, Y, X_test, Y_test = data
    progress = check_bool("progress", progress)
    rows, results = [], {}
    start = time.perf_counter()
    bar = _bar(specs, f"{title.split(':')[0]} ({key})", progress)
    for name, config, seed_train, seed_test, note in bar:
        if progress:
            bar.set_postfix_str(name)
        res = train(X, Y, dims, config, rng=np.random.default_rng(train_seq))
        results[name] = res
        rows.append(ExperimentRow(name, _acc(res, X, Y), _acc(res, X_test, Y_test), seed_train, seed_test, note))
    return Experiment(key, title, setup, rows, results, data, specs[0][1].record_every, seed=seed,
                      seconds=time.perf_counter() - start)


# --------------------------------------------------------------------------- table 1


def initialization_experiment(seed: int = DEFAULT_SEED, *, num_iterations: int = 15000,
                              record_every: int = 100, progress: bool = False) -> Experiment:
    """Table 1: zeros, large random (``N(0, 1) * 10``) and He initialization on circles.

    300 training and 100 test points of ``make_circles(noise=0.05, factor=0.8)``; network
    ``[2, 10, 5, 1]`` (ReLU, ReLU, sigmoid), binary cross-entropy, full-batch gradient descent with
    lr 0.01 for ``num_iterations`` iterations. Rows: ``"zeros"``, ``"large random"``, ``"He"``.

    Checks: He > large random > zeros (train), zeros <= 55%, He >= 95%, and every hidden unit of
    the zero-initialized network still has the same weights as its neighbours (symmetry unbroken).
    """
    num_iterations = check_int("num_iterations", num_iterations)
    record_every = check_int("record_every", record_every)
    data_seq, train_seq = _streams(seed)
    data_rng = np.random.default_rng(data_seq)
    X, Y = make_circles(300, rng=data_rng, noise=0.05, factor=0.8)
    X_test, Y_test = make_circles(100, rng=data_rng, noise=0.05, factor=0.8)
    dims = [2, 10, 5, 1]
    base = TrainConfig(optimizer="sgd", learning_rate=0.01, num_epochs=num_iterations, record_every=record_every)
    specs = [
        ("zeros", replace(base, init="zeros"), 0.50, None,
         "fails to break symmetry: every hidden unit computes the same function"),
        ("large random", replace(base, init="random", init_scale=10.0), 0.83, None,
         "too large weights: the sigmoid saturates, training is slow"),
        ("He", replace(base, init="he"), 0.99, None, "N(0, 1) * sqrt(2 / n_prev): recommended for ReLU"),
    ]
    exp = _run_models(
        "initialization",
        "Table 1: initialization (circles)",
        f"circles 300 train / 100 test (noise 0.05, factor 0.8); {dims} ReLU + sigmoid; "
        f"full-batch GD, lr 0.01, {num_iterations} iterations",
        specs, (X, Y, X_test, Y_test), dims, seed=seed, train_seq=train_seq, progress=progress,
    )
    zeros, large, he = (exp.row(n).train_accuracy for n in ("zeros", "large random", "He"))
    exp.checks = {
        "He > large random > zeros (train)": he > large > zeros,
        "zeros <= 55% (train)": zeros <= 0.55,
        "He >= 95% (train)": he >= 0.95,
        "zeros: all hidden units of a layer keep identical weights": hidden_units_identical(
            exp.results["zeros"].params),
    }
    return exp


def hidden_units_identical(params: dict) -> bool:
    """Whether, in every hidden layer, all units have the same incoming weights and bias
    (the symmetry that zero initialization never breaks)."""
    L = sum(1 for k in params if k.startswith("W"))
    for l in range(1, L):
        W, b = params[f"W{l}"], params[f"b{l}"]
        if not (np.array_equal(W, np.broadcast_to(W[:1], W.shape)) and np.array_equal(b, np.broadcast_to(b[:1], b.shape))):
            return False
    return True


# --------------------------------------------------------------------------- table 2


def regularization_experiment(seed: int = DEFAULT_SEED, *, num_iterations: int = 30000,
                              record_every: int = 100, progress: bool = False) -> Experiment:
    """Table 2: no regularization, L2 (``lambd=0.7``) and dropout (``keep_prob=0.86``).

    The noisy 2-D set of :func:`nnkit.data.make_overfit_set` with its defaults (211 train / 200
    test); network ``[2, 20, 3, 1]`` (ReLU, ReLU, sigmoid) initialized with ``"xavier"`` as in the
    classic notebook; full-batch gradient descent, lr 0.3, ``num_iterations`` iterations. L2 uses the
    ``lambda / (2m)`` convention; dropout acts on both hidden layers during training only.
    Rows: ``"none"``, ``"L2"``, ``"dropout"``.

    Checks: L2 and dropout test accuracy > the unregularized one's; the unregularized model has the
    largest train-test gap; its train accuracy >= its test accuracy.
    """
    num_iterations = check_int("num_iterations", num_iterations)
    record_every = check_int("record_every", record_every)
    data_seq, train_seq = _streams(seed)
    X, Y, X_test, Y_test = make_overfit_set(rng=np.random.default_rng(data_seq), m_train=211, m_test=200)
    dims = [2, 20, 3, 1]
    base = TrainConfig(init="xavier", optimizer="sgd", learning_rate=0.3, num_epochs=num_iterations,
                       record_every=record_every)
    specs = [
        ("none", base, 0.95, 0.915, "fits the noise: the largest train-test gap"),
        ("L2", replace(base, lambd=0.7), 0.94, 0.93,
         "lambd = 0.7 (lambda / (2m)): smaller weights, smoother boundary"),
        ("dropout", replace(base, keep_prob=0.86), 0.93, 0.95,
         "keep_prob = 0.86 on both hidden layers, training only"),
    ]
    exp = _run_models(
        "regularization",
        "Table 2: regularization (noisy 2-D set)",
        f"make_overfit_set {X.shape[1]} train / {X_test.shape[1]} test; {dims} ReLU + sigmoid, Xavier init; "
        f"full-batch GD, lr 0.3, {num_iterations} iterations",
        specs, (X, Y, X_test, Y_test), dims, seed=seed, train_seq=train_seq, progress=progress,
    )
    none, l2, drop = (exp.row(n) for n in ("none", "L2", "dropout"))

    def gap(r):
        return r.train_accuracy - r.test_accuracy

    exp.checks = {
        "L2 test > none test": l2.test_accuracy > none.test_accuracy,
        "dropout test > none test": drop.test_accuracy > none.test_accuracy,
        "none: train >= test": none.train_accuracy >= none.test_accuracy,
        "none has the largest train-test gap": gap(none) >= max(gap(l2), gap(drop)),
    }
    return exp


# --------------------------------------------------------------------------- table 3


def optimizer_experiment(seed: int = DEFAULT_SEED, *, num_epochs: int = 10000, record_every: int = 10,
                         progress: bool = False) -> Experiment:
    """Table 3: gradient descent, momentum and Adam on moons, with mini-batches of 64.

    ``make_moons(300, noise=0.2)``; network ``[2, 5, 2, 1]`` (ReLU, ReLU, sigmoid), He init;
    ``num_epochs`` epochs of mini-batches of 64 (reshuffled every epoch, the same order for the
    three optimizers). All with learning rate 0.0007; momentum ``beta=0.9`` (EMA form), Adam
    ``beta1=0.9, beta2=0.999, eps=1e-8``. Training accuracy only, as in the seed.
    Rows: ``"gradient descent"``, ``"momentum"``, ``"Adam"``.

    Checks: Adam >= 90%, and Adam at least 5 points above both gradient descent and momentum.
    """
    num_epochs = check_int("num_epochs", num_epochs)
    record_every = check_int("record_every", record_every)
    data_seq, train_seq = _streams(seed)
    X, Y = make_moons(300, rng=np.random.default_rng(data_seq), noise=0.2)
    dims = [2, 5, 2, 1]
    lr = 0.0007
    base = TrainConfig(init="he", mini_batch_size=64, num_epochs=num_epochs, record_every=record_every)
    specs = [
        ("gradient descent", replace(base, optimizer=optim.sgd(learning_rate=lr)), 0.797, None,
         "lr 0.0007 is too small: slow progress, a nearly linear boundary"),
        ("momentum", replace(base, optimizer=optim.momentum(learning_rate=lr, beta=0.9)), 0.797, None,
         "beta 0.9; with so small a rate it barely differs from GD"),
        ("Adam", replace(base, optimizer=optim.adam(learning_rate=lr, beta1=0.9, beta2=0.999, eps=1e-8)), 0.94,
         None, "per-parameter step sizes: converges much faster, smoother cost"),
    ]
    exp = _run_models(
        "optimizers",
        "Table 3: optimizers (moons)",
        f"make_moons 300 (noise 0.2); {dims} ReLU + sigmoid, He init; mini-batches of 64, "
        f"{num_epochs} epochs, lr 0.0007",
        specs, (X, Y, None, None), dims, seed=seed, train_seq=train_seq, progress=progress,
    )
    gd, mom, adam = (exp.row(n).train_accuracy for n in ("gradient descent", "momentum", "Adam"))
    exp.checks = {
        "Adam >= 90%": adam >= 0.90,
        "Adam - max(GD, momentum) >= 5 points": adam - max(gd, mom) >= 0.05,
    }
    return exp


#: The three tables, in the notes' order: key -> function ``(seed, *, progress) -> Experiment``.
EXPERIMENTS: dict[str, Callable[..., Experiment]] = {
    "initialization": initialization_experiment,
    "regularization": regularization_experiment,
    "optimizers": optimizer_experiment,
}

#: Iteration counts of ``--quick`` (plumbing only: the numbers mean nothing).
_QUICK = {
    "initialization": dict(num_iterations=200, record_every=20),
    "regularization": dict(num_iterations=200, record_every=20),
    "optimizers": dict(num_epochs=20, record_every=2),
}


def run_all(seed: int = DEFAULT_SEED, *, quick: bool = False, progress: bool = False) -> list[Experiment]:
    """Run the three tables with one seed (``quick``: a few iterations each, for smoke tests)."""
    return [fn(seed, progress=progress, **(_QUICK[key] if quick else {})) for key, fn in EXPERIMENTS.items()]
