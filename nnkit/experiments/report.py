"""The experiments' tables as Markdown, their checks, their spread over seeds, and their plots.

:func:`format_table` writes our accuracies beside the notes' (flagging those more than
:data:`~nnkit.experiments.tables.FLAG_DIFFERENCE` away), :func:`format_checks` the lesson's checks,
:func:`format_spread` a summary over several seeds, and :func:`save_plots` one PNG of decision
boundaries and one of cost curves per table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from nnkit.experiments.tables import FLAG_DIFFERENCE, Experiment, ExperimentRow

__all__ = ["format_table", "format_checks", "format_spread", "save_plots"]


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
    (the reasons are in the package's docstring, ``pydoc nnkit.experiments``).
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
