"""Every attack as a scenario with its expected outcome, on both backends, as root and as an ordinary user.

What is checked (see :mod:`attack_jobs`): student code cannot read the solutions, the gradebook,
another student's files, the grader's $HOME, environment or /proc, cannot write the course, the
gradebook or the kit; no TCP, UDP or abstract-socket connection reaches a listener the grader
started on 127.0.0.1; no process outlives its job (setsid + double fork); nothing written to /tmp,
/dev/shm or /var/tmp survives, and nothing of one job (files, module state, environment) reaches
the next job of the same warm sandbox; a concurrent job cannot see another's folder; a fork bomb is
bounded; a 1500-deep directory chain does not defeat the cleanup; student code cannot signal or
ptrace the grader, create namespaces or mount; and ten ways of calling the reference (unwrapping,
copying its code at import, reloading, re-importing, exec'ing its file or its .pyc, scanning gc,
the reference module, an exit handler forging the result) all score 0.

As root the grader runs in this process's children; as an ordinary user, a throwaway uid runs the
grader (``setpriv``) after 40 idle processes of that uid were started (RLIMIT_NPROC used to count
them and make bubblewrap fail).
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
from pathlib import Path

import pytest
from attack_jobs import failures
from attack_users import USER_UID, IdleProcesses, can_act_as_user, python, run_as_user

from autograder.isolation import probe

HERE = Path(__file__).resolve().parent
CAN_SWITCH, WHY_NOT = can_act_as_user()


def _course(base: Path, token: str, owner: int) -> tuple[Path, Path]:
    """A course folder and a $HOME, owned by ``owner``, with secrets where a grader keeps them."""
    course, home = base / "course", base / "home"
    for d in (course / "solutions", course / "submitted" / "other", home):
        d.mkdir(parents=True)
    (course / "solutions" / "solution.py").write_text(f"ANSWER = 'SOLUTION-{token}'\n")
    (course / "gradebook.db").write_text(f"GRADEBOOK-{token}\n")
    (course / "submitted" / "other" / "notebook.py").write_text(f"OTHER-{token}\n")
    (home / "secret.txt").write_text(f"HOME-{token}\n")
    for p in [base, *base.rglob("*")]:
        os.chown(p, owner, owner)
        p.chmod(0o700 if p.is_dir() else 0o644)
    (home / "secret.txt").chmod(0o600)
    return course, home


def _run(backend: str, as_user: bool, tmp_path: Path) -> tuple[dict, dict]:
    token = secrets.token_hex(6)
    owner = USER_UID if as_user else os.geteuid()
    base = tmp_path / "grader"
    base.mkdir()
    if as_user:
        tmp_path.chmod(0o755)
    course, home = _course(base, token, owner)
    cfg = {"backend": backend, "course": str(course), "home_secret": str(home / "secret.txt"), "token": token}
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "AUTOGRADER_TEST_SECRET": f"ENV-{token}"}
    argv = [python(), "-I", str(HERE / "attack_runner.py"), json.dumps(cfg)]
    if as_user:
        with IdleProcesses(40):
            p = run_as_user(argv, env, extra_paths=[HERE, base])
    else:
        p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-4000:]
    report = json.loads(p.stdout.strip().splitlines()[-1])
    if "unavailable" in report:
        pytest.skip(f"{backend} does not start here" + (" for an ordinary user" if as_user else "") +
                    f": {report['unavailable'][:300]}")
    return report, dict(report["env"], token=token, root=not as_user)


USERS = [pytest.param(False, id="root" if os.geteuid() == 0 else "user"),
         pytest.param(True, id="ordinary-user", marks=pytest.mark.skipif(not CAN_SWITCH, reason=WHY_NOT))]


@pytest.mark.parametrize("as_user", USERS)
@pytest.mark.parametrize("backend", ["bwrap", "landlock"])
def test_attacks_are_contained(backend, as_user, tmp_path):
    if not as_user and not probe.usable(backend):
        pytest.skip(f"{backend} does not start here")
    report, env = _run(backend, as_user, tmp_path)
    assert report["protections"]["backend"] == backend
    assert report["protections"]["distinct_uid"] == (os.geteuid() == 0 and not as_user)
    assert failures(report, env) == [], json.dumps(report["results"], indent=1)[:6000]


@pytest.mark.skipif(not CAN_SWITCH, reason=WHY_NOT)
def test_the_suite_sees_what_no_filesystem_isolation_lets_through(tmp_path):
    """The control: ``--backend unconfined`` as an ordinary user (never chosen implicitly) keeps seccomp
    and the process sweep but lets student code read the grader's files and the kit's sources, and
    the suite says so. Without Landlock, reloading or exec'ing nnkit's source brings the reference back."""
    report, env = _run("unconfined", True, tmp_path)
    bad = failures(report, env)
    assert any(b.startswith(f"SOLUTION-{env['token']} was read") for b in bad), bad
    assert any(b.startswith(f"HOME-{env['token']} was read") for b in bad), bad
    assert report["protections"]["landlock_abi"] == 0
    assert report["bypasses"]["exec-file"]["points"] > 0, report["bypasses"]  # why NEED_LANDLOCK is exempted
    assert not any(b.startswith(("tcp", "udp", "survivors")) for b in bad), bad
