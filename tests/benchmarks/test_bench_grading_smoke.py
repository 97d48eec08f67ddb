"""Smoke test of ``benchmarks/bench_grading.py``: a class of 6, without the stock nbgrader run (which
executes every notebook in a kernel, about 10 s each, too slow for the test suite). Structure and
correctness only: timings are never asserted (they depend on the machine and its load)."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "benchmarks" / "bench_grading.py"

pytestmark = pytest.mark.skipif(not (REPO / "solutions" / "01_logistic_regression").exists(),
                                reason="the solution of assignment 1 is missing")


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench_grading", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "bench_grading.json"
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--skip-stock", "--json", str(out)],
                          capture_output=True, text=True, timeout=180, cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(out.read_text()), proc.stdout


def _positive(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x) and x > 0


def test_json_structure(quick_run):
    data, _ = quick_run
    assert data["class_size"] == 6 and sum(data["mix"].values()) == 6
    single = data["single"]
    for key in ("engine_median_s", "engine_first_call_s", "cli_check_s"):
        assert _positive(single[key])
    assert single["score"] == single["max_score"] == 11 and single["cli_check_exit"] == 0
    for jobs in (1, 2):
        assert _positive(data["class"][f"jobs{jobs}_s"])
        check = data["class"][f"jobs{jobs}_check"]
        assert check["graded"] == check["submissions"] == 6
        assert check["unexpected_scores"] == []
    assert data["stock"] is None and data["ratios"] == {}
    assert data["targets"]["class_met"] is None and isinstance(data["targets"]["single_met"], bool)


def test_prints_timings(quick_run):
    _, stdout = quick_run
    assert "autograder grade --jobs 1" in stdout and "autograder grade --jobs 2" in stdout
    assert "stock nbgrader: skipped" in stdout


def test_stock_course_keeps_nbgraders_default_pipeline(tmp_path):
    bench = _load_bench()
    stock = bench.make_course(tmp_path / "stock", trusted=False).joinpath("nbgrader_config.py").read_text()
    ours = bench.make_course(tmp_path / "ours", trusted=True).joinpath("nbgrader_config.py").read_text()
    assert "configure" not in stock and "autograde_preprocessors =" not in stock
    assert "ClearSolutions.code_stub" in stock and "source_directory = 'solutions'" in stock
    assert "configure(c" in ours
    mix = bench.class_mix(50)
    assert len(mix) == 50 and list(mix.values()).count("correct") == 38
    assert "infinite-loop" not in mix.values()
