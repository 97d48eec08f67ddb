"""Processes inside the sandbox: adopt orphans, kill every descendant, count a uid's processes.

The harness processes that never run student code (the worker and each job's process) are
*child subreapers*: a process that leaves its parent (``setsid`` and a double fork) is adopted by
the nearest subreaper instead of init, so :func:`sweep` finds it among the subreaper's children and
kills it. Kills go through a pidfd opened on a process that is verified to still be our child, so a
recycled pid is never hit.
"""
from __future__ import annotations

import ctypes
import functools
import os
import signal
import time

__all__ = ["children", "count_uid_tasks", "die_with_parent", "make_subreaper", "make_undumpable", "reap", "sweep"]

_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_SET_CHILD_SUBREAPER = 1, 4, 36


@functools.lru_cache(maxsize=None)
def _libc():
    return ctypes.CDLL(None, use_errno=True)  # loaded once: forks inherit it


def _prctl(option: int, value: int) -> None:
    libc = _libc()
    if libc.prctl(option, value, 0, 0, 0) != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"prctl({option}): {os.strerror(e)}")


def make_subreaper() -> None:
    """Orphaned descendants of this process are re-parented to it (not to init)."""
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when its parent ends (and now, if ``parent`` already ended)."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)


def make_undumpable() -> None:
    """No core dumps, and ``/proc/<pid>`` (memory, environment, file descriptors) of this process is
    closed to other processes of the same uid, which also cannot ptrace it."""
    _prctl(_PR_SET_DUMPABLE, 0)


def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return int(f.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def children() -> list[int]:
    """The pids whose parent is this process (zombies included), from ``/proc/self/task/*/children``
    (a full scan of ``/proc`` where the kernel lacks that file)."""
    out: set[int] = set()
    try:
        for tid in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{tid}/children", "rb") as f:
                out.update(int(x) for x in f.read().split())
        return sorted(out)
    except FileNotFoundError:  # CONFIG_PROC_CHILDREN is off
        me = os.getpid()
        return [int(n) for n in os.listdir("/proc") if n.isdigit() and _ppid(int(n)) == me]


def _kill_child(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)
    except OSError:
        return
    try:
        if _ppid(pid) == os.getpid():  # still ours after the pidfd pinned it
            signal.pidfd_send_signal(fd, signal.SIGKILL)
    except OSError:
        pass
    finally:
        os.close(fd)


def reap() -> int:
    """Collect every exited child without blocking; returns how many were collected."""
    n = 0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return n
        if pid == 0:
            return n
        n += 1


def sweep(keep: tuple[int, ...] = (), timeout: float = 5.0) -> bool:
    """SIGKILL every child of this process except ``keep`` (orphans adopted as a subreaper too)
    and reap them, until none is left. False if some were still there after ``timeout``."""
    end = time.monotonic() + timeout
    while True:
        victims = [pid for pid in children() if pid not in keep]
        if not victims:
            return True
        for pid in victims:
            _kill_child(pid)
        if not keep:
            reap()
        else:
            for pid in victims:
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
        if time.monotonic() > end:
            return False
        time.sleep(0.001)


def count_uid_tasks(uid: int | None = None) -> int:
    """How many tasks (processes and their threads: what ``RLIMIT_NPROC`` counts) of ``uid`` (default:
    ours) this ``/proc`` shows."""
    uid = os.getuid() if uid is None else uid
    n = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    n += len(os.listdir(f"/proc/{name}/task"))
            except OSError:
                pass
    return n
