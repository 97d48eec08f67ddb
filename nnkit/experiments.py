"""The course notes' three experiment tables, reproduced with nnkit alone.

Purpose
-------
The notes (the "seed" material of the course) quote three small tables that every student of the
classic deep-learning course has seen. This module re-runs them with the reference library, so a
teacher can check that nnkit behaves like the notebooks, and a student can see the numbers appear:

1. :func:`initialization_experiment`: zeros vs large random (``N(0, 1) * 10``) vs He on circles,
   ``[2, 10, 5, 1]`` ReLU + sigmoid, full-batch gradient descent, lr 0.01, 15000 iterations.
2. :func:`regularization_experiment`: none vs L2 (``lambd = 0.7``, the ``lambda / (2m)``
   convention) vs dropout (``keep_prob = 0.86``) on the noisy set of :func:`nnkit.data.make_overfit_set`
   (211 train / 200 test), ``[2, 20, 3, 1]``, full-batch gradient descent, lr 0.3, 30000 iterations.
3. :func:`optimizer_experiment`: gradient descent vs momentum (``beta = 0.9``) vs Adam
   (``0.9, 0.999, 1e-8``), all with lr 0.0007, on ``make_moons(300, noise=0.2)``, ``[2, 5, 2, 1]``,
   He init, mini-batches of 64, 10000 epochs.

Each function returns an :class:`Experiment`: a list of :class:`ExperimentRow` (our accuracies
beside the seed's), the trained :class:`nnkit.train.TrainResult` of every model (cost histories
included), the data, and the named checks of the lesson the table teaches (e.g. "He > large
random > zeros"). :func:`format_table` turns the rows into a Markdown table, and
``python -m nnkit.experiments --out DIR`` (the project's ``make demo``) runs all three, prints the
tables and saves decision-boundary and cost-curve plots into ``DIR``. ``--quick`` runs a few
iterations only (it checks the plumbing; its numbers mean nothing). ``--seeds 0 1 2 3 4`` repeats
everything for several seeds and prints the spread.

Randomness
----------
Every function takes an explicit ``seed`` (default :data:`DEFAULT_SEED`). It is split with
``numpy.random.SeedSequence(seed).spawn(2)`` into one stream for the data and one for training;
every model of a table starts training from the *same* training stream, so the three models of a
table see the same data, the same mini-batch order and, up to the scale of the method, the same
initial draws (the He and the large random weights are the same normal numbers, scaled
differently). Nothing touches numpy's global random state.

Setup choices (the classic course's, where nnkit's defaults differ)
-------------------------------------------------------------------
- Circles are drawn with ``factor=0.8`` (the inner circle at 0.8 of the outer radius), the default
  of ``sklearn.datasets.make_circles`` that the classic notebook used; nnkit's ``make_circles``
  defaults to 0.5, an easier set on which even large random weights often reach ~100%.
- The regularization network is initialized with ``"xavier"`` (``N(0, 1) / sqrt(n_{l-1})``), as the
  classic regularization notebook does; the other two tables use the init named in their setup.
- Momentum is the exponentially weighted form ``v = beta v + (1 - beta) g`` of the notes (seed 001).

Measured with the defaults (seed 0), and across seeds 0-9
---------------------------------------------------------
==================  =================  ===========  ==========================================
model               ours, train/test   the seed's   seeds 0-9: train (test) range
==================  =================  ===========  ==========================================
zeros               50.0 / 50.0        50           50 (50) on every seed
large random (x10)  62.0 / 60.0        83           62-99 (60-93)
He                  98.7 / 98.0        99           98.7-99.7 (95-100); 86.7 (83) on seed 5
no regularization   90.0 / 79.5        95 / 91.5    86-91 (79.5-83.5)
L2, lambd = 0.7     83.9 / 84.5        94 / 93      84-89 (83.5-87.5)
dropout, kp = 0.86  85.8 / 86.0        93 / 95      86-90 (83-86)
gradient descent    78.7               79.7         79-90; 50 on seed 2
momentum            78.7               79.7         identical to gradient descent on every seed
Adam                99.0               94           97-99.7; 88.7 on seed 8, 50 on seed 2
==================  =================  ===========  ==========================================

(Percent. Training one table takes 3-15 s on one core; all three about 25 s.) Every check of
every table holds for the default seed. Over seeds 0-9: initialization, He > large random > zeros
and zeros at 50% on 10/10, He >= 95% on 9/10; regularization, L2 and dropout above no
regularization in test accuracy on 10/10, no regularization with the largest train-test gap on
9/10; optimizers, Adam >= 90% and at least 5 points above gradient descent and momentum on 8/10.
The failures are explained below. ``python -m nnkit.experiments --out DIR --seeds 0 1 2 ...``
reprints this spread.

Why some numbers differ from the seed's by more than 5 points
-------------------------------------------------------------
Our data sets are generated (``nnkit.data``), not the classic course's files or its
``np.random.seed`` draws, so every number comes from a different sample and a different
initial draw; the differences below come from that, not from different algorithms.

- **Large random init, 62% vs 83%.** Weights of size ~10 make the pre-activations tens to
  hundreds large: the sigmoid output saturates at 0 or 1 from the first step, the cost starts near
  its clipped maximum, and gradient descent at lr 0.01 spends its 15000 steps undoing a few huge
  weights, leaving a boundary made of a few straight pieces. Where it ends depends almost only on
  the draw: 62% to 99% over seeds 0-9. The seed's 83% is one such draw; the lesson (below He, far
  above zeros) holds on every seed.
- **Regularization, 5-10 points lower.** The classic "goalkeeper" positions are a real data set we
  do not have; :func:`nnkit.data.make_overfit_set` stands in for it, with 12% of the labels flipped
  (near a curved boundary, in the train *and* the test set). Those flips cap every model near 88%,
  train or test, whereas the goalkeeper data let dropout reach 95% on test. We chose 12% (and
  ``width=0.7``) over the 7% that gives numbers closer to the seed's because with 7% the
  regularized models won on only 8 of seeds 0-9, and not on seed 0: the advantage of a smoother
  boundary (3-4 points on average here, 5-6.5 on seed 0) then drowned in the sampling noise of 200 test points. The order of
  L2 and dropout changes from seed to seed (the notes make no claim about it). On seed 3 dropout's
  train-test gap (4.1) exceeds the unregularized one's (2.3), although its test accuracy is higher.
- **Adam, 99% vs 94%.** Our 300 moons are an easier draw than the classic notebook's: Adam reaches
  97-99.7% wherever the network can train at all, while gradient descent and momentum (lr 0.0007
  is far too small for them; with the same mini-batches the two runs agree to every printed digit,
  as in the seed) stop at 79-90%. The narrow 2-unit layer makes the net fragile to dying ReLUs: on
  seed 2 the He draw leaves both of its units dead (output 0 on every example), so no optimizer
  can train and all three stay at 50%; on seed 8 one of them is dead, the network is effectively
  ``[2, 5, 1, 1]``, and Adam (88.7%) only reaches a lower cost, not a better accuracy, than
  gradient descent (89.3%). Likewise on circles, seed 5, He (86.7%) is slowed by a dead unit in the
  second layer.
- The cost curves are the per-epoch average over the mini-batches (what :func:`nnkit.train.train`
  records), which smooths the oscillations the seed sees in the cost of single mini-batches.

Non-goals
---------
No new training code (everything goes through :func:`nnkit.train.train`), no hyperparameter
search, no tuning of seeds to hit the seed's numbers, no GPU, no saving of models or data.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from nnkit import optim
from nnkit._checks import check_int
from nnkit.data import make_circles, make_moons, make_overfit_set
from nnkit.metrics import accuracy
from nnkit.train import TrainResult, train

__all__ = [
    "DEFAULT_SEED",
    "ExperimentRow",
    "Experiment",
    "initialization_experiment",
    "regularization_experiment",
    "optimizer_experiment",
    "hidden_units_identical",
    "EXPERIMENTS",
    "run_all",
    "format_table",
    "format_checks",
    "format_spread",
    "save_plots",
    "main",
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


def _run_models(key, title, setup, specs, data, *, seed, train_seq, record_every, progress, fit):
    """Train every ``(name, kwargs, seed_train, seed_test, note)`` of ``specs`` with ``fit``."""
    X, Y, X_test, Y_test = data
    rows, results = [], {}
    start = time.perf_counter()
    bar = _bar(specs, f"{title.split(':')[0]} ({key})", progress)
    for name, kwargs, seed_train, seed_test, note in bar:
        if progress:
            bar.set_postfix_str(name)
        res = fit(rng=np.random.default_rng(train_seq), **kwargs)
        results[name] = res
        rows.append(ExperimentRow(name, _acc(res, X, Y), _acc(res, X_test, Y_test), seed_train, seed_test, note))
    return Experiment(key, title, setup, rows, results, data, record_every, seed=seed,
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
    specs = [
        ("zeros", dict(init="zeros"), 0.50, None,
         "fails to break symmetry: every hidden unit computes the same function"),
        ("large random", dict(init="random", init_scale=10.0), 0.83, None,
         "too large weights: the sigmoid saturates, training is slow"),
        ("He", dict(init="he"), 0.99, None, "N(0, 1) * sqrt(2 / n_prev): recommended for ReLU"),
    ]

    def fit(rng, **kw):
        return train(X, Y, dims, rng=rng, optimizer="sgd", learning_rate=0.01, num_epochs=num_iterations,
                     record_every=record_every, **kw)

    exp = _run_models(
        "initialization",
        "Table 1: initialization (circles)",
        f"circles 300 train / 100 test (noise 0.05, factor 0.8); {dims} ReLU + sigmoid; "
        f"full-batch GD, lr 0.01, {num_iterations} iterations",
        specs, (X, Y, X_test, Y_test), seed=seed, train_seq=train_seq, record_every=record_every,
        progress=progress, fit=fit,
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
    specs = [
        ("none", dict(), 0.95, 0.915, "fits the noise: the largest train-test gap"),
        ("L2", dict(lambd=0.7), 0.94, 0.93, "lambd = 0.7 (lambda / (2m)): smaller weights, smoother boundary"),
        ("dropout", dict(keep_prob=0.86), 0.93, 0.95, "keep_prob = 0.86 on both hidden layers, training only"),
    ]

    def fit(rng, **kw):
        return train(X, Y, dims, rng=rng, init="xavier", optimizer="sgd", learning_rate=0.3,
                     num_epochs=num_iterations, record_every=record_every, **kw)

    exp = _run_models(
        "regularization",
        "Table 2: regularization (noisy 2-D set)",
        f"make_overfit_set {X.shape[1]} train / {X_test.shape[1]} test; {dims} ReLU + sigmoid, Xavier init; "
        f"full-batch GD, lr 0.3, {num_iterations} iterations",
        specs, (X, Y, X_test, Y_test), seed=seed, train_seq=train_seq, record_every=record_every,
        progress=progress, fit=fit,
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
    specs = [
        ("gradient descent", dict(optimizer=optim.sgd(learning_rate=lr)), 0.797, None,
         "lr 0.0007 is too small: slow progress, a nearly linear boundary"),
        ("momentum", dict(optimizer=optim.momentum(learning_rate=lr, beta=0.9)), 0.797, None,
         "beta 0.9; with so small a rate it barely differs from GD"),
        ("Adam", dict(optimizer=optim.adam(learning_rate=lr, beta1=0.9, beta2=0.999, eps=1e-8)), 0.94, None,
         "per-parameter step sizes: converges much faster, smoother cost"),
    ]

    def fit(rng, **kw):
        return train(X, Y, dims, rng=rng, init="he", mini_batch_size=64, num_epochs=num_epochs,
                     record_every=record_every, **kw)

    exp = _run_models(
        "optimizers",
        "Table 3: optimizers (moons)",
        f"make_moons 300 (noise 0.2); {dims} ReLU + sigmoid, He init; mini-batches of 64, "
        f"{num_epochs} epochs, lr 0.0007",
        specs, (X, Y, None, None), seed=seed, train_seq=train_seq, record_every=record_every,
        progress=progress, fit=fit,
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


# --------------------------------------------------------------------------- formatting


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _seed_pct(value: float | None) -> str:
    """The seed's numbers as the notes quote them (79.7%, 91.5%, 94%)."""
    if value is None:
        return "-"
    return f"{100 * value:.1f}".rstrip("0").rstrip(".") + "%"


def format_table(rows: Sequence[ExperimentRow], *, title: str | None = None) -> str:
    """A Markdown table of ``rows``: our train/test accuracy beside the seed's, and the note.

    A number more than 5 points away from the seed's is marked ``*`` and explained in a footnote
    (the reasons are in this module's docstring).
    """
    rows = list(rows)
    if not rows:
        raise ValueError("format_table needs at least one ExperimentRow.")
    lines = []
    if title:
        lines += [f"### {title}", ""]
    lines += [
        "| model | train | test | seed's train | seed's test | note |",
        "|:--|--:|--:|--:|--:|:--|",
    ]
    flagged = False
    for r in rows:
        cells = []
        for ours, seed in ((r.train_accuracy, r.seed_train), (r.test_accuracy, r.seed_test)):
            mark = ""
            if ours is not None and seed is not None and abs(ours - seed) > FLAG_DIFFERENCE:
                mark, flagged = " *", True
            cells.append(_pct(ours) + mark)
        lines.append(f"| {r.name} | {cells[0]} | {cells[1]} | {_seed_pct(r.seed_train)} | "
                     f"{_seed_pct(r.seed_test)} | {r.note} |")
    if flagged:
        lines += ["", "\\* more than 5 points from the seed's number (generated data, not the course's "
                      "files: see `pydoc nnkit.experiments`)."]
    return "\n".join(lines)


def format_checks(exp: Experiment) -> str:
    """One line per check: ``[ok]`` or ``[FAIL]`` and what it checks."""
    return "\n".join(f"  [{'ok' if ok else 'FAIL'}] {name}" for name, ok in exp.checks.items())


def format_spread(runs: dict[int, list[Experiment]]) -> str:
    """Markdown summary of several seeds: per row the min-max train (test) accuracy, and per table
    on how many seeds every check held. ``runs`` maps seed -> the three Experiments of that seed."""
    seeds = sorted(runs)
    if not seeds:
        raise ValueError("format_spread needs at least one seed.")
    lines = [f"### Spread over seeds {', '.join(map(str, seeds))}", "",
             "| table | model | train min-max | test min-max | seed's train / test | train (test) by seed, % |",
             "|:--|:--|--:|--:|--:|:--|"]
    for i, first in enumerate(runs[seeds[0]]):
        for row in first.rows:
            train_vals = [runs[s][i].row(row.name).train_accuracy for s in seeds]
            test_vals = [runs[s][i].row(row.name).test_accuracy for s in seeds]
            test = "-" if test_vals[0] is None else f"{_pct(min(test_vals))} - {_pct(max(test_vals))}"
            by_seed = " ".join(f"{100 * a:.1f}" + ("" if b is None else f" ({100 * b:.1f})")
                               for a, b in zip(train_vals, test_vals))
            lines.append(f"| {first.key} | {row.name} | {_pct(min(train_vals))} - {_pct(max(train_vals))} | {test} | "
                         f"{_seed_pct(row.seed_train)} / {_seed_pct(row.seed_test)} | {by_seed} |")
    lines += ["", "| table | check | seeds where it holds |", "|:--|:--|:--|"]
    for i, first in enumerate(runs[seeds[0]]):
        for check in first.checks:
            held = [s for s in seeds if runs[s][i].checks[check]]
            lines.append(f"| {first.key} | {check} | {len(held)}/{len(seeds)} ({', '.join(map(str, held)) or 'none'}) |")
        every = [s for s in seeds if runs[s][i].all_checks_pass]
        lines.append(f"| {first.key} | **all of the above** | {len(every)}/{len(seeds)} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- plots


_PADDING = {"initialization": 0.3, "regularization": 0.1, "optimizers": 0.5}


def save_plots(exp: Experiment, out_dir) -> list[Path]:
    """Save ``<key>_boundaries.png`` (one panel per model, training points on top) and
    ``<key>_costs.png`` (the cost curves of the table's models) into ``out_dir``; return the paths.

    Needs a matplotlib backend that can draw off-screen (``main`` selects Agg).
    """
    import matplotlib.pyplot as plt

    from nnkit.plots import plot_costs, plot_decision_boundary

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    X, Y = exp.data[0], exp.data[1]
    n = len(exp.rows)
    fig, axes = plt.subplots(1, n, figsize=(4.6 * n, 4.4), squeeze=False)
    for ax, row in zip(axes[0], exp.rows):
        res = exp.results[row.name]
        test = "" if row.test_accuracy is None else f", test {_pct(row.test_accuracy)}"
        plot_decision_boundary(res.predict, X, Y, ax=ax, resolution=150, padding=_PADDING.get(exp.key, 0.5),
                               title=f"{row.name}: train {_pct(row.train_accuracy)}{test}")
    fig.suptitle(f"{exp.title}, seed {exp.seed}: decision boundaries (training points)")
    fig.tight_layout()
    boundaries = out_dir / f"{exp.key}_boundaries.png"
    fig.savefig(boundaries, dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    # the large random init starts with costs ~10^1 and ends near 10^-2: only a log axis shows both
    plot_costs(exp.costs, ax=ax, every=exp.record_every,
               xlabel="epoch" if exp.key == "optimizers" else "iteration",
               log_scale=exp.key == "initialization", title=f"{exp.title}, seed {exp.seed}: cost")
    fig.tight_layout()
    costs = out_dir / f"{exp.key}_costs.png"
    fig.savefig(costs, dpi=100)
    plt.close(fig)
    return [boundaries, costs]


# --------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m nnkit.experiments",
        description="Reproduce the course notes' three tables (initialization, regularization, optimizers) "
                    "with nnkit, print them beside the seed's numbers and save plots.",
    )
    p.add_argument("--out", required=True, help="directory for the PNG plots (created if missing)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of data and training (default {DEFAULT_SEED})")
    p.add_argument("--quick", action="store_true",
                   help="a few iterations per model: checks the plumbing, the numbers mean nothing")
    p.add_argument("--seeds", type=int, nargs="+", metavar="SEED",
                   help="also rerun everything for these seeds and print the spread (slow: ~30 s a seed)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nnkit.experiments --out DIR [--quick] [--seed N] [--seeds N ...]``: print the three
    tables with the seed's numbers and the checks, save the plots into DIR. Returns 0."""
    args = _parser().parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")  # files only, no window: must precede the first pyplot import

    progress = not args.no_progress
    out_dir = Path(args.out)

    def say(*parts):  # flushed, so the text and the progress bars (on stderr) come out in order
        print(*parts, flush=True)

    say(f"nnkit experiments: the course notes' three tables, reproduced (seed {args.seed}"
        f"{', QUICK run: a few iterations, numbers not meaningful' if args.quick else ''})")
    say("Accuracies are ours beside the seed's; our data sets are generated, so expect a few points of difference.")
    written: list[Path] = []
    experiments = []
    total = time.perf_counter()
    for key, fn in EXPERIMENTS.items():
        say("")
        exp = fn(args.seed, progress=progress, **(_QUICK[key] if args.quick else {}))
        sys.stderr.flush()  # the bar is complete before the table is printed
        experiments.append(exp)
        say(format_table(exp.rows, title=exp.title))
        say(f"\nSetup: {exp.setup}.")
        say(f"Checks ({exp.seconds:.1f} s of training):")
        say(format_checks(exp))
        written += save_plots(exp, out_dir)
    say("")
    failed = [f"{e.key}: {name}" for e in experiments for name, ok in e.checks.items() if not ok]
    if args.quick:
        say("Quick run: the checks above are not expected to hold after so few iterations.")
    elif failed:
        say(f"{len(failed)} check(s) failed: " + "; ".join(failed))
    else:
        say("All checks hold: every table teaches its lesson.")
    if args.seeds:
        runs = {args.seed: experiments}
        for s in args.seeds:
            if s not in runs:
                say(f"\nSeed {s}:")
                runs[s] = run_all(s, quick=args.quick, progress=progress)
        say("")
        say(format_spread({s: runs[s] for s in args.seeds}))
    say(f"\nPlots written to {out_dir.resolve()}:")
    for path in written:
        say(f"  {path.name}")
    say(f"Done in {time.perf_counter() - total:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
