"""How the grader's feedback does on the realistic student variants of every assignment.

For each ``tests/autograder/assignments/variants_<assignment>.py`` (correct variants, and the
mistakes students really make), grade every variant on the hidden run, as the notebook's checker
does, and count: correct variants given full points, wrong variants that lose points, and wrong
variants whose feedback names the mistake (a known misconception or a relation). Deterministic: no
timing, no randomness beyond the cases' own seeds.

    python benchmarks/measure_variants.py --json benchmarks/results/variants.json

The README's table of named fractions is rendered from that file (``benchmarks/readme_tables.py``),
and ``tests/autograder/assignments/test_variants.py`` checks that the file still matches the grader.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import textwrap
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
VARIANTS = REPO / "tests" / "autograder" / "assignments"

__all__ = ["load_sets", "evaluate_variant", "measure", "main"]


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_sets() -> dict:
    """``{assignment: module}`` of every ``variants_<assignment>.py`` (its ``CORRECT`` and ``BUGGY`` lists)."""
    return {m.ASSIGNMENT: m for m in (_load(p) for p in sorted(VARIANTS.glob("variants_*.py")))}


def evaluate_variant(assignment: str, function: str, source: str):
    """The :class:`ExerciseResult` of one variant (its source defines ``function``), on the hidden run, as
    the notebook's checker grades it."""
    from autograder.assignments import get_assignment
    from autograder.frontends.notebook import evaluate

    ns = {"np": np, "__name__": "student"}
    exec(compile(textwrap.dedent(source), f"<variant of {function}>", "exec"), ns)
    return evaluate(get_assignment(assignment), function, ns[function], run="hidden", key="variants")


def measure() -> dict:
    """``{assignment: {"correct", "correct_full", "wrong", "wrong_lose", "named"}}`` over every variant set."""
    out = {}
    for name, module in load_sets().items():
        row = {"correct": 0, "correct_full": 0, "wrong": 0, "wrong_lose": 0, "named": 0}
        for function, _what, source in module.CORRECT:
            result = evaluate_variant(name, function, source)
            row["correct"] += 1
            row["correct_full"] += int(result.passed and result.misconception is None)
        for function, _what, source in module.BUGGY:
            result = evaluate_variant(name, function, source)
            row["wrong"] += 1
            row["wrong_lose"] += int(not result.passed and result.points == 0.0)
            row["named"] += int(result.misconception is not None)
        out[name] = row
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="PATH", help="write the counts as JSON")
    args = parser.parse_args(argv)
    counts = measure()
    for name, r in counts.items():
        print(f"{name}: correct {r['correct_full']}/{r['correct']} full points, wrong {r['wrong_lose']}/{r['wrong']} "
              f"lose points, named {r['named']}/{r['wrong']} ({100 * r['named'] / max(r['wrong'], 1):.0f}%)")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"variants": counts}, indent=2) + "\n", encoding="utf-8")
        print(f"Wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
