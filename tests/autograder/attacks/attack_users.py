"""Acting as an ordinary user from tests that run as root (as CI does).

The grader runs as a throwaway uid (no passwd entry, never used by anything else) through
``setpriv --reuid=U --regid=U --clear-groups``. The interpreter and the checkout may live where
that uid cannot go (``/root`` is 0700 here), so the command starts in a private mount namespace where
those paths are reachable (the same mechanism a root grader uses for its sandboxes, see
:mod:`autograder.isolation.privdrop`); nothing else of the host changes.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

from autograder.isolation import layout, privdrop

#: The ordinary user of these tests: unused by anything else, outside the sandboxes' uid range.
USER_UID = 62750
REPO = Path(__file__).resolve().parents[3]


def can_act_as_user() -> tuple[bool, str]:
    """Whether this test run can act as the ordinary user (root, setpriv, a private mount namespace)."""
    if os.geteuid() != 0:
        return False, "the test runs as an ordinary user already (no other uid to switch to)"
    if not shutil.which("setpriv"):
        return False, "setpriv (util-linux) is not installed"
    try:
        p = run_as_user([python(), "-I", "-c", "import autograder, numpy"], {"PATH": "/usr/bin:/bin"}, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:  # e.g. no CAP_SYS_ADMIN for a mount namespace
        return False, f"cannot start a process as uid {USER_UID} here: {exc}"
    if p.returncode != 0:
        return False, f"uid {USER_UID} cannot run the kit here: {p.stderr.strip()[-300:]}"
    return True, ""


def run_as_user(argv: list[str], env: dict[str, str], timeout: float = 300, uid: int = USER_UID,
                extra_paths=()) -> subprocess.CompletedProcess:
    """Run ``argv`` as ``uid`` with the interpreter, the checkout and ``extra_paths`` reachable."""
    needed = list(layout.python_paths()) + [str(REPO)] + [str(p) for p in extra_paths]
    points, exposures = privdrop.exposure(needed, uid, uid)
    plan = privdrop.Plan(tmpfs_points=points, exposures=exposures, pdeathsig=False)
    cmd = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", *argv]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=partial(privdrop.preexec, plan), cwd="/")


class IdleProcesses:
    """``n`` sleeping processes owned by ``uid`` (a desktop session owns dozens), ended by pid on exit."""

    def __init__(self, n: int, uid: int = USER_UID):
        self.procs = [subprocess.Popen(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                                        "sleep", "300"], stdin=subprocess.DEVNULL) for _ in range(n)]
        time.sleep(0.2)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.kill()
        for p in self.procs:
            p.wait()


def python() -> str:
    return os.path.abspath(sys.executable)
