"""``python -m nnkit.experiments --out DIR [--json PATH]``: run the three tables, print them, save their
plots (and, with ``--json``, the rows as data: the README's table is rendered from that file by
``benchmarks/readme_tables.py``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

from nnkit.experiments.report import format_checks, format_spread, format_table, save_plots
from nnkit.experiments.tables import _QUICK, DEFAULT_SEED, EXPERIMENTS, run_all

__all__ = ["main"]


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
    p.add_argument("--json", metavar="PATH", help="also write the tables (every row, and the checks) as JSON")
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
    if args.json:
        import json
        from dataclasses import asdict

        doc = {"seed": args.seed, "quick": args.quick,
               "experiments": [{"key": e.key, "title": e.title, "setup": e.setup, "checks": dict(e.checks),
                                "rows": [asdict(r) for r in e.rows]} for e in experiments]}
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        say(f"Wrote {args.json}")
    say(f"\nPlots written to {out_dir.resolve()}:")
    for path in written:
        say(f"  {path.name}")
    say(f"Done in {time.perf_counter() - total:.0f} s.")
    return 0
