"""Tests for nnkit.experiments: the three tables teach their lessons with the default seed.

The slow tests train the nine models of the notes' tables once (module-scoped fixtures, about
30 s in all on a 2-core machine) and check the orderings, not exact numbers. The fast tests check
the Markdown table and the command line (``--quick``: a few iterations, plumbing only).
"""

from pathlib import Path

import numpy as np
import pytest

from nnkit import experiments as ex


# ----------------------------------------------------------------------------- slow: the tables


@pytest.fixture(scope="module")
def init_exp():
    return ex.initialization_experiment()


@pytest.fixture(scope="module")
def reg_exp():
    return ex.regularization_experiment()


@pytest.fixture(scope="module")
def opt_exp():
    return ex.optimizer_experiment()


def _train(exp, name):
    return exp.row(name).train_accuracy


def _test(exp, name):
    return exp.row(name).test_accuracy


@pytest.mark.slow
def test_initialization_he_beats_large_random_beats_zeros(init_exp):
    zeros, large, he = (_train(init_exp, n) for n in ("zeros", "large random", "He"))
    assert he > large > zeros, (zeros, large, he)
    assert zeros <= 0.55
    assert he >= 0.95
    assert init_exp.all_checks_pass, init_exp.checks


@pytest.mark.slow
def test_zero_initialization_never_breaks_symmetry(init_exp):
    params = init_exp.results["zeros"].params
    for l in (1, 2):  # the hidden layers: every unit (row) has the same incoming weights and bias
        W, b = params[f"W{l}"], params[f"b{l}"]
        assert np.array_equal(W, np.repeat(W[:1], W.shape[0], axis=0)), f"W{l} rows differ"
        assert np.array_equal(b, np.repeat(b[:1], b.shape[0], axis=0)), f"b{l} entries differ"
    assert ex.hidden_units_identical(params)
    assert not ex.hidden_units_identical(init_exp.results["He"].params)


@pytest.mark.slow
def test_regularization_generalizes_better(reg_exp):
    none_test = _test(reg_exp, "none")
    assert _test(reg_exp, "L2") > none_test
    assert _test(reg_exp, "dropout") > none_test
    assert _train(reg_exp, "none") >= none_test

    def gap(name):
        return _train(reg_exp, name) - _test(reg_exp, name)

    assert gap("none") >= max(gap("L2"), gap("dropout"))
    assert reg_exp.all_checks_pass, reg_exp.checks


@pytest.mark.slow
def test_adam_is_well_above_gradient_descent_and_momentum(opt_exp):
    gd, mom, adam = (_train(opt_exp, n) for n in ("gradient descent", "momentum", "Adam"))
    assert adam >= 0.90
    assert adam - max(gd, mom) >= 0.05, (gd, mom, adam)
    assert opt_exp.all_checks_pass, opt_exp.checks


@pytest.mark.slow
def test_experiments_keep_cost_histories_and_seed_numbers(init_exp, reg_exp, opt_exp):
    for exp in (init_exp, reg_exp, opt_exp):
        assert [r.name for r in exp.rows] == list(exp.results)
        for name, costs in exp.costs.items():
            assert len(costs) >= 2 and np.all(np.isfinite(costs)), name
        assert all(r.seed_train is not None for r in exp.rows)
    # zero init: the output stays 0.5 for every example, so the cost stays log(2); He learns
    assert init_exp.costs["zeros"][-1] == pytest.approx(np.log(2))
    assert init_exp.costs["He"][-1] < 0.5 * init_exp.costs["He"][0]


# ----------------------------------------------------------------------------- fast


def test_format_table_is_markdown_with_the_seed_numbers_and_flags():
    rows = [
        ex.ExperimentRow("zeros", 0.5, 0.5, 0.5, None, "symmetric"),
        ex.ExperimentRow("He", 0.9, None, 0.99, None, "recommended"),
    ]
    text = ex.format_table(rows, title="Table 1")
    lines = text.splitlines()
    assert lines[0] == "### Table 1"
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + len(rows)
    assert all(line.count("|") == table[0].count("|") for line in table)
    assert "| zeros | 50.0% | 50.0% | 50% | - | symmetric |" in table
    assert "| He | 90.0% * | - | 99% | - | recommended |" in table  # 9 points off: flagged
    assert "more than 5 points" in text
    assert "*" not in ex.format_table(rows[:1])  # nothing to flag, no footnote
    assert ex.format_table([ex.ExperimentRow("GD", 0.797, None, 0.797, None)]).count("79.7%") == 2
    with pytest.raises(ValueError):
        ex.format_table([])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="seed"):
        ex.initialization_experiment(-1)
    with pytest.raises(ValueError, match="num_epochs"):
        ex.optimizer_experiment(num_epochs=0)


def test_main_quick_writes_pngs_and_prints_the_tables(tmp_path, capsys):
    out = tmp_path / "demo"
    assert ex.main(["--out", str(out), "--quick", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert pngs == sorted(f"{key}_{kind}.png" for key in ex.EXPERIMENTS for kind in ("boundaries", "costs"))
    for name in pngs:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert name in printed
    for title in ("Table 1", "Table 2", "Table 3", "seed's train", "79.7%", "91.5%"):
        assert title in printed
    assert str(Path(out).resolve()) in printed


def test_python_dash_m_runs_the_command_line(tmp_path):
    """``python -m nnkit.experiments`` (the README's command) reaches the same main."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "nnkit.experiments", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "usage: python -m nnkit.experiments" in proc.stdout and "--out" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "nnkit.experiments"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--out" in proc.stderr  # --out is required


def test_the_experiments_use_one_config_per_table():
    exp = ex.optimizer_experiment(num_epochs=2, record_every=1)
    configs = {name: res.config for name, res in exp.results.items()}
    assert [c.optimizer.name for c in configs.values()] == ["sgd", "momentum", "adam"]
    assert {(c.mini_batch_size, c.num_epochs, c.init) for c in configs.values()} == {(64, 2, "he")}
