"""A pids cgroup per sandbox (root only): an exact process limit, and a way to kill every process.

``pids.max`` bounds the sandbox's processes without counting anyone else's (unlike
``RLIMIT_NPROC``, which counts every process of the uid), and ``cgroup.procs`` lists them all,
whatever they did to leave their process group or session. cgroup v1 (``/sys/fs/cgroup/pids``)
and v2 (a hierarchy with the ``pids`` controller) both work. Groups left behind by a grader that
was killed are emptied (their processes killed) and removed when the hierarchy is first probed.
"""
from __future__ import annotations

import functools
import itertools
import logging
import os
import re
import signal
import time

__all__ = ["PidsCgroup", "pids_hierarchy"]

log = logging.getLogger(__name__)
_counter = itertools.count()
_NAME = re.compile(r"autograder-(\d+)-\d+\Z")


@functools.lru_cache(maxsize=None)
def pids_hierarchy() -> tuple[int, str, str]:
    """``(version, directory, reason)``: a writable pids hierarchy, or ``(0, "", why not)``. Probed once."""
    if os.geteuid() != 0:
        return 0, "", "not root: a pids cgroup needs a root grader (or a delegated cgroup v2 subtree)"
    candidates = []
    if os.path.exists("/sys/fs/cgroup/pids/cgroup.procs"):
        candidates.append((1, "/sys/fs/cgroup/pids"))
    try:
        with open("/sys/fs/cgroup/cgroup.controllers") as f:
            if "pids" in f.read().split():
                candidates.append((2, "/sys/fs/cgroup"))
    except OSError:
        pass
    if not candidates:
        return 0, "", "no pids controller is mounted (neither cgroup v1 pids nor cgroup v2 with pids)"
    problems = []
    for version, base in candidates:
        _remove_stale(base)
        try:
            if version == 2:
                with open(os.path.join(base, "cgroup.subtree_control"), "w") as f:
                    f.write("+pids")
            probe = os.path.join(base, f"autograder-probe-{os.getpid()}")
            os.mkdir(probe)
            try:
                with open(os.path.join(probe, "pids.max"), "w") as f:
                    f.write("8")
            finally:
                os.rmdir(probe)
            return version, base, ""
        except OSError as exc:
            problems.append(f"cgroup v{version} at {base}: {exc.strerror or exc}")
    return 0, "", "; ".join(problems)


def _remove_stale(base: str) -> None:
    """Groups of graders that are gone: kill what still runs in them (a student's process that outlived
    a grader killed with SIGKILL), then remove them."""
    try:
        names = os.listdir(base)
    except OSError:
        return
    for name in names:
        m = _NAME.fullmatch(name)
        if m and not os.path.exists(f"/proc/{m.group(1)}"):
            stale = object.__new__(PidsCgroup)
            stale.path, stale.procs = os.path.join(base, name), os.path.join(base, name, "cgroup.procs")
            stale.kill_all(1.0)
            try:
                os.rmdir(stale.path)
            except OSError:
                pass


class PidsCgroup:
    """One sandbox's group, created with ``pids.max = max_pids``. Use :attr:`procs` as the file
    the sandbox's first process writes its pid to (see :class:`autograder.isolation.privdrop.Plan`)."""

    def __init__(self, max_pids: int):
        version, base, reason = pids_hierarchy()
        if not version:
            raise OSError(f"no pids cgroup: {reason}")
        self.version = version
        self.path = os.path.join(base, f"autograder-{os.getpid()}-{next(_counter)}")
        os.mkdir(self.path)
        with open(os.path.join(self.path, "pids.max"), "w") as f:
            f.write(str(int(max_pids)))
        self.procs = os.path.join(self.path, "cgroup.procs")

    def pids(self) -> list[int]:
        try:
            with open(self.procs) as f:
                return [int(x) for x in f.read().split()]
        except OSError:
            return []

    def kill_all(self, timeout: float = 3.0) -> bool:
        """SIGKILL every process in the group until none is left; False if some survived ``timeout``."""
        end = time.monotonic() + timeout
        while True:
            pids = self.pids()
            if not pids:
                return True
            if time.monotonic() > end:
                return False
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.005)

    def remove(self) -> None:
        for _ in range(100):
            try:
                os.rmdir(self.path)
                return
            except FileNotFoundError:
                return
            except OSError:
                self.kill_all(0.2)
                time.sleep(0.02)
        log.warning("could not remove cgroup %s", self.path)
