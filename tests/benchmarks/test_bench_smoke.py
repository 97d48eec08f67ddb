"""Smoke test of ``benchmarks/bench_nnkit.py``: it runs, writes its JSON, and its numpy floor is
the same computation as nnkit. Correctness only: timings are never asserted (they depend on the
machine and on whatever else runs on it)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_nnkit.py"
NETWORKS = ["planar", "moons", "digits"]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--json", str(out)],
        capture_output=True, text=True, timeout=120, cwd=BENCH.parents[1],
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(out.read_text()), proc.stdout


def _positive(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x) and x > 0


def test_json_has_one_entry_per_network(quick_run):
    data, _ = quick_run
    assert [net["name"] for net in data["networks"]] == NETWORKS
    env = data["environment"]
    for key in ("python", "numpy", "torch", "cpu_count"):
        assert key in env
    assert env["cpu_count"] >= 1


def test_each_network_reports_medians_ratios_and_targets(quick_run):
    data, _ = quick_run
    torch_installed = data["environment"]["torch"] is not None
    for net in data["networks"]:
        assert isinstance(net["description"], str) and net["description"]
        median = net["median_us"]
        assert _positive(median["nnkit"]) and _positive(median["numpy"])
        assert _positive(net["ratio_vs_numpy"])
        assert net["target_vs_numpy"] == 1.15
        assert isinstance(net["meets_targets"], bool)
        if torch_installed:
            assert _positive(median["torch"]) and _positive(net["ratio_vs_torch"])
        else:
            assert median["torch"] is None and net["ratio_vs_torch"] is None


def test_numpy_floor_reaches_the_same_parameters_as_nnkit(quick_run):
    data, _ = quick_run
    for net in data["networks"]:
        check = net["checks"]["numpy"]
        assert check["params_match"], f"{net['name']}: the numpy floor differs from nnkit by {check['max_rel_diff']}"
        assert check["max_rel_diff"] <= 1e-9
        if "torch" in net["checks"]:  # the float64 PyTorch network is the same computation too
            assert net["checks"]["torch"]["params_match"], net["checks"]["torch"]


def test_missing_torch_is_reported_not_fatal(quick_run):
    data, stdout = quick_run
    if data["environment"]["torch"] is None:
        assert "PyTorch is not installed" in stdout
    assert "nnkit/numpy" in stdout  # the readable table is printed too


def test_runs_without_torch(tmp_path):
    """Without PyTorch (``import torch`` fails) the torch columns are skipped with a message."""
    out = tmp_path / "no_torch.json"
    code = ("import runpy, sys\n"
            "class NoTorch:  # an import hook under which `import torch` raises ImportError\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] == 'torch':\n"
            "            raise ImportError(name)\n"
            "sys.meta_path.insert(0, NoTorch())\n"
            f"sys.argv = [{str(BENCH)!r}, '--quick', '--networks', 'planar', '--json', {str(out)!r}]\n"
            f"runpy.run_path({str(BENCH)!r}, run_name='__main__')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=BENCH.parents[1])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PyTorch is not installed" in proc.stdout
    data = json.loads(out.read_text())
    assert data["environment"]["torch"] is None
    (net,) = data["networks"]
    assert net["median_us"]["torch"] is None and net["ratio_vs_torch"] is None
    assert net["checks"]["numpy"]["params_match"]
