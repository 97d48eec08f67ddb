"""Realistic student variants of every graded function, graded as the notebook's checker grades them.

Each ``variants_<assignment>.py`` beside this file holds two lists of ``(function, what the student
did, source)``: ``CORRECT`` (correct code written differently: loops, other operation orders,
in-place operations on copies, ...) and ``BUGGY`` (the mistakes students really make). The source
defines the function (and any helper it needs); it runs with ``np`` imported and with the helpers
the notebook provides.

Asserted for every assignment: every correct variant gets full points, every buggy one loses
points, and at least ``NAMED_GOAL`` of the buggy ones get feedback that names the mistake (a
misconception or a relation, see :mod:`autograder.grading.diagnose`). Run with ``-s`` to see the
table of named fractions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from autograder.assignments import ASSIGNMENT_NAMES

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "benchmarks"))

from measure_variants import evaluate_variant as _evaluate, load_sets  # noqa: E402  (one loader and grader for both)

RECORDED = REPO / "benchmarks" / "results" / "variants.json"
#: the share of buggy variants whose feedback must name the mistake
NAMED_GOAL = 0.80


SETS = load_sets()
CORRECT = [(a, f, what, src) for a, m in SETS.items() for f, what, src in m.CORRECT]
BUGGY = [(a, f, what, src) for a, m in SETS.items() for f, what, src in m.BUGGY]


def named(result) -> bool:
    """Does the feedback name the mistake (more than the generic "failed ... off by ...")?"""
    return result.misconception is not None


@pytest.mark.parametrize("assignment,function,what,source", CORRECT,
                         ids=[f"{a}:{f}:{w}" for a, f, w, _ in CORRECT])
def test_correct_variant_gets_full_points(assignment, function, what, source):
    result = _evaluate(assignment, function, source)
    assert result.passed, result.feedback
    assert result.misconception is None


@pytest.mark.parametrize("assignment,function,what,source", BUGGY, ids=[f"{a}:{f}:{w}" for a, f, w, _ in BUGGY])
def test_buggy_variant_loses_points(assignment, function, what, source):
    result = _evaluate(assignment, function, source)
    assert not result.passed and result.points == 0.0, f"{what}: {result.feedback}"


@pytest.mark.parametrize("assignment", sorted(SETS))
def test_most_buggy_variants_are_named(assignment):
    rows = [(f, what, _evaluate(assignment, f, src)) for a, f, what, src in BUGGY if a == assignment]
    unnamed = [(f, what, r.feedback) for f, what, r in rows if not named(r)]
    fraction = 1 - len(unnamed) / len(rows)
    print(f"\n{assignment}: {len(rows) - len(unnamed)} of {len(rows)} buggy variants named ({fraction:.0%})")
    for f, what, feedback in unnamed:
        print(f"  not named: {f}: {what}\n      {feedback[:300]}")
    assert fraction >= NAMED_GOAL, f"{len(unnamed)} of {len(rows)} not named; first: {unnamed[:3]}"
    # the README's table is rendered from benchmarks/results/variants.json: it must say what the grader does
    recorded = json.loads(RECORDED.read_text())["variants"][assignment]
    assert (recorded["wrong"], recorded["named"]) == (len(rows), len(rows) - len(unnamed)), (
        "benchmarks/results/variants.json is stale: run `python benchmarks/measure_variants.py --json "
        "benchmarks/results/variants.json`, then `python benchmarks/readme_tables.py --write`")


def test_every_assignment_has_a_variant_set():
    assert set(SETS) == set(ASSIGNMENT_NAMES), f"missing variants_<name>.py for {set(ASSIGNMENT_NAMES) - set(SETS)}"
