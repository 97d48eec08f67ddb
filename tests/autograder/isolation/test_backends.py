"""Which backend grades, and refusing to degrade: a machine without bubblewrap grades with the Landlock
backend; bubblewrap installed but broken (AppArmor) makes ``auto`` refuse unless weaker isolation is
allowed; a backend without filesystem isolation is never chosen implicitly; ``autograder doctor``."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from dataclasses import replace

import pytest
from sandbox_helpers import USABLE, Call, run

from autograder.isolation import IsolationRefused, SandboxUnavailable, probe

TINY = "def f(x):\n    return [x, x]\n"


@pytest.fixture
def path_without_bwrap(monkeypatch, tmp_path):
    """PATH holding everything of the current PATH but bwrap (links to the other programs are not needed)."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert probe.facts().bwrap is None


@pytest.fixture
def broken_bwrap(monkeypatch, tmp_path):
    """A bwrap that fails as Ubuntu 24.04's does for an ordinary user under AppArmor's restriction."""
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ.get('PATH', '/usr/bin:/bin')}")
    assert probe.facts().bwrap == str(fake)
    return fake


@pytest.mark.skipif(not USABLE["landlock"], reason="the Landlock backend does not start here")
def test_without_bubblewrap_auto_grades_with_landlock(path_without_bwrap):
    assert probe.plan("auto") == [("landlock", "")]
    res = run(TINY, [Call("a", "f", (2,))])
    assert res.backend == "landlock" and res.results[0]["value"] == [2, 2]
    assert res.protections.landlock_abi >= 1 and res.protections.seccomp
    with pytest.raises(SandboxUnavailable, match="not installed"):
        probe.plan("bwrap")


@pytest.mark.skipif(not USABLE["landlock"], reason="the Landlock backend does not start here")
def test_broken_bubblewrap_refuses_unless_weaker_isolation_is_allowed(broken_bwrap):
    with pytest.raises(IsolationRefused) as err:
        run(TINY, [Call("a", "f", (1,))])
    text = str(err.value)
    assert "uid map: Permission denied" in text and "--allow-weak-isolation" in text
    assert "bubblewrap is installed" in text
    res = run(TINY, [Call("a", "f", (3,))], backend="auto+weak")
    assert res.backend == "landlock" and res.results[0]["value"] == [3, 3]
    res = run(TINY, [Call("a", "f", (4,))], backend="landlock")  # asking for it explicitly is allowed too
    assert res.results[0]["value"] == [4, 4]


def test_no_filesystem_isolation_is_never_chosen_implicitly(monkeypatch, path_without_bwrap):
    real = probe.facts()
    no_landlock = replace(real, landlock_abi=0, landlock_reason="this kernel has no Landlock")
    monkeypatch.setattr(probe, "facts", lambda: no_landlock)
    with pytest.raises(IsolationRefused, match="5.13"):
        probe.plan("auto")
    monkeypatch.setattr(probe, "facts", lambda: replace(no_landlock, root=False))
    with pytest.raises(IsolationRefused, match="--backend unconfined"):
        probe.plan("auto", allow_weak=True)  # an ordinary user: only by asking for it by name
    assert probe.plan("unconfined") == [("unconfined", "")]
    monkeypatch.setattr(probe, "facts", lambda: replace(no_landlock, root=True))
    assert probe.plan("auto", allow_weak=True) == [("unconfined", "")]  # root: each sandbox has its own uid


def test_backend_names_are_checked():
    with pytest.raises(ValueError, match="unknown sandbox backend"):
        probe.parse_backend("fallback")
    assert probe.parse_backend("bwrap+weak") == ("bwrap", True) and probe.parse_backend(None) == ("auto", False)


def _doctor(env=None):
    return subprocess.run([sys.executable, "-m", "autograder.frontends.doctor", "--summary"], capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.mark.skipif(not (USABLE["bwrap"] or USABLE["landlock"]), reason="no strong backend here")
def test_doctor_says_what_grades_here_and_why_not(broken_bwrap):
    good = _doctor(dict(os.environ, PATH=os.environ["PATH"].split(":", 1)[1]))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Isolation: grading" in good.stdout and ("bwrap (" in good.stdout or "landlock (" in good.stdout)
    bad = _doctor()  # the broken bwrap first on PATH
    assert bad.returncode == 1
    assert "REFUSES" in bad.stdout and "uid map: Permission denied" in bad.stdout


@pytest.mark.skipif(not USABLE["landlock"], reason="the Landlock backend does not start here")
def test_check_and_grade_refuse_with_the_reason_and_grade_when_allowed(broken_bwrap, tmp_path, monkeypatch, capsys):
    """The command line says why (exit 5) and grades nothing, unless --allow-weak-isolation."""
    import shutil
    from pathlib import Path

    from autograder.frontends import cli

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    repo = Path(__file__).resolve().parents[3]
    release = repo / "assignments" / "01_logistic_regression" / "logistic_regression.ipynb"
    flat = tmp_path / "01_logistic_regression"
    flat.mkdir()
    shutil.copy(release, flat / "ann.ipynb")
    out = tmp_path / "out"
    assert cli.main(["check", str(flat / "ann.ipynb"), "-a", "01_logistic_regression"]) == cli.EXIT_ISOLATION
    assert cli.main(["grade", str(flat), "--out", str(out), "-q", "--jobs", "2"]) == cli.EXIT_ISOLATION
    err = capsys.readouterr().err
    assert err.count("uid map: Permission denied") == 2 and "--allow-weak-isolation" in err
    assert not list((out / "results").glob("*.json")) if (out / "results").exists() else True
    assert cli.main(["grade", str(flat), "--out", str(out), "-q", "--allow-weak-isolation"]) == 0
    report = (out / "results" / "ann__01_logistic_regression.json").read_text()
    assert '"backend": "landlock (' in report
