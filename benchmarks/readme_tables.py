"""The README's tables of measured numbers, rendered from the results the measuring scripts wrote.

Each table of the README sits between ``<!-- table: NAME -->`` and ``<!-- /table -->`` and is
rendered here from ``benchmarks/results/<file>.json``, which the script that measures it writes:

| table | results file | written by |
|---|---|---|
| ``experiments`` | ``experiments.json`` | ``python -m nnkit.experiments --out DIR --json benchmarks/results/experiments.json`` |
| ``variants`` | ``variants.json`` | ``python benchmarks/measure_variants.py --json benchmarks/results/variants.json`` |
| ``nnkit_speed`` | ``bench_nnkit.json`` | ``make bench`` (``benchmarks/bench_nnkit.py --json ...``) |
| ``grading`` | ``bench_grading.json`` | ``python benchmarks/bench_grading.py --class-size 1000 --json ...`` |
| ``autograde`` | ``bench_autograde.json`` | ``python benchmarks/bench_autograde.py --class-size 50 --json ...`` |

``python benchmarks/readme_tables.py --write`` rewrites the README's tables from the results;
``--check`` exits 1 when one is stale (``tests/benchmarks/test_readme_tables.py`` runs it), so a
table never says something its results file does not.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
README = REPO / "README.md"

__all__ = ["render", "rewrite", "TABLES"]


def _pct(x) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


def _seed_pct(x) -> str:
    return "" if x is None else f"{100 * x:g}%"


def experiments(doc: dict) -> str:
    lines = ["| table | model | train | test | notes' train | notes' test |", "|---|---|--:|--:|--:|--:|"]
    for exp in doc["experiments"]:
        for i, r in enumerate(exp["rows"]):
            lines.append(f"| {exp['title'] if i == 0 else ''} | {r['name']} | {_pct(r['train_accuracy'])} | "
                         f"{_pct(r['test_accuracy'])} | {_seed_pct(r['seed_train'])} | {_seed_pct(r['seed_test'])} |")
    checks = [f"{e['key']}: {name}" for e in doc["experiments"] for name, ok in e["checks"].items() if not ok]
    lines += ["", f"Seed {doc['seed']}; " + ("every check of the tables' lessons holds." if not checks else
                                             "checks that FAIL: " + "; ".join(checks))]
    return "\n".join(lines)


def variants(doc: dict) -> str:
    lines = ["| assignment | correct variants given full points | wrong variants that lose points | wrong variants named |",
             "|---|--:|--:|--:|"]
    for name, r in doc["variants"].items():
        lines.append(f"| {name} | {r['correct_full']} of {r['correct']} | {r['wrong_lose']} of {r['wrong']} | "
                     f"{r['named']} of {r['wrong']} ({100 * r['named'] / max(r['wrong'], 1):.0f}%) |")
    return "\n".join(lines)


def nnkit_speed(doc: dict) -> str:
    def us(x):
        return "–" if x is None else f"{x:.1f}"

    def ratio(r, key):
        value, iqr = r.get(key), r.get(key + "_iqr")
        if value is None:
            return "–"
        return f"{value:.2f}" + (f" [{iqr[0]:.2f}–{iqr[1]:.2f}]" if iqr else "")

    lines = ["| network | nnkit µs | numpy floor µs | PyTorch f64 µs | nnkit / floor [IQR] | nnkit / PyTorch | targets |",
             "|---|--:|--:|--:|--:|--:|---|"]
    for r in doc["networks"]:
        m = r["median_us"]
        lines.append(f"| {r['name']}: {r['description']} | {us(m['nnkit'])} | {us(m['numpy'])} | {us(m.get('torch'))} | "
                     f"{ratio(r, 'ratio_vs_numpy')} | {ratio(r, 'ratio_vs_torch')} | "
                     f"{'met' if r['meets_targets'] else 'missed'} |")
    env = doc.get("environment", {})
    lines += ["", f"Median µs per training step, {doc['settings']['repeats']} interleaved repeats, one thread, "
                  f"{env.get('cpu_count')} CPUs, Python {env.get('python')}, numpy {env.get('numpy')}, "
                  f"torch {env.get('torch')}."]
    return "\n".join(lines)


def grading(doc: dict) -> str:
    s, k, f, t = doc["single"], doc["class"], doc["floor"], doc["targets"]
    n = doc["class_size"]
    met = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    rows = [
        ("one submission, trusted engine (median)", f"{s['engine_median_s']:.2f} s",
         f"< {t['single_submission_s']:g} s: {met(t['single_met'])}"),
        ("one submission, `autograder check` (a new process)", f"{s['cli_check_s']:.2f} s",
         f"< {t['check_s']:g} s: {met(t['check_met'])}"),
        (f"class of {n}, `autograder grade --jobs 1`", f"{k['jobs1_s']:.1f} s", ""),
        (f"class of {n}, `autograder grade --jobs 2`", f"{k['jobs2_s']:.1f} s",
         f"speed-up {k['speedup']:.2f}×, ≥ {t['speedup']:g}×: {met(t['speedup_met'])}"),
        ("a class of 1000 with `--jobs 2`", f"{t['class_1000_jobs2_projected_s']:.0f} s",
         f"< {t['class_1000_jobs2_s']:g} s: {met(t['class_1000_met'])}"),
        ("floor: the graded functions and the trusted work, no sandbox", f"{1000 * f['per_submission_s']:.0f} ms / submission",
         ""),
        ("CPU per submission, every process (`--jobs 2`)", f"{1000 * k['jobs2_cpu_s'] / n:.0f} ms",
         f"floor {1000 * f['cpu_per_submission_s']:.0f} ms"),
    ]
    if k.get("dask2_s"):
        rows.append((f"class of {n}, `--executor dask --jobs 2` (local cluster, start-up included)",
                     f"{k['dask2_s']:.1f} s", ""))
    if doc.get("stock"):
        r = doc["ratios"]
        rows.append((f"class of {n}, stock `nbgrader autograde` (a kernel per notebook)", f"{doc['stock']['seconds']:.1f} s",
                     f"stock / ours {r['stock_over_jobs2']:.1f}× (≥ {t['class_ratio']:g}×: {met(t['class_met'])})"))
    m = doc["machine"]
    lines = ["| measurement | result | target |", "|---|--:|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines += ["", f"{m['cpus']} CPUs, Python {m['python']}, numpy {m['numpy']}; load average {m['load_before']:.1f} "
                  f"before, {m['load_after']:.1f} after."]
    return "\n".join(lines)


def autograde(doc: dict) -> str:
    one, two = list(doc["seconds"])
    lines = ["| class of {n} assignment-1 submissions | seconds |".format(n=doc["class_size"]), "|---|--:|",
             f"| `{one}` (the kit's trusted engine, one process) | {doc['seconds'][one]:.1f} |",
             f"| `{two}` | {doc['seconds'][two]:.1f} |",
             "", f"Speed-up {doc['speedup']:.2f}× on {doc['cpus']} CPUs; identical gradebooks: "
                 f"{'yes' if doc['identical_gradebooks'] else '**no**'}; load average {doc['load_before']:.1f} before, "
                 f"{doc['load_after']:.1f} after."]
    return "\n".join(lines)


#: table name -> (results file, renderer)
TABLES: dict[str, tuple[str, Callable[[dict], str]]] = {
    "experiments": ("experiments.json", experiments),
    "variants": ("variants.json", variants),
    "nnkit_speed": ("bench_nnkit.json", nnkit_speed),
    "grading": ("bench_grading.json", grading),
    "autograde": ("bench_autograde.json", autograde),
}

_BLOCK = re.compile(r"(<!-- table: (\w+) -->\n)(.*?)(<!-- /table -->)", re.S)


def render(name: str, results: Path = RESULTS) -> str:
    file, fn = TABLES[name]
    return fn(json.loads((results / file).read_text(encoding="utf-8")))


def rewrite(text: str, results: Path = RESULTS) -> str:
    """``text`` with every table block rendered anew from the results."""
    def one(m: re.Match) -> str:
        return m.group(1) + render(m.group(2), results).rstrip() + "\n" + m.group(4)

    return _BLOCK.sub(one, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="rewrite README.md's tables from benchmarks/results/")
    group.add_argument("--check", action="store_true", help="exit 1 if a table of README.md is stale")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    new = rewrite(text)
    names = [m.group(2) for m in _BLOCK.finditer(text)]
    if args.write:
        README.write_text(new, encoding="utf-8")
        print(f"rewrote {len(names)} table(s): {', '.join(names)}")
        return 0
    if new != text:
        print("README.md's tables are stale: run `python benchmarks/readme_tables.py --write`", file=sys.stderr)
        return 1
    print(f"{len(names)} table(s) current: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
