"""What runs between ``fork`` and ``exec`` of a sandbox: limits, its cgroup, and (as root) the uid drop.

A root grader hands student code to an unprivileged uid, but the interpreter often lives where that
uid cannot go (here ``/root/.pyenv``: ``/root`` is 0700), and bwrap resolves its bind sources with
the caller's permissions. So, as root, the child first enters a private mount namespace, opens
``O_PATH`` handles on the paths the sandbox needs, mounts a small empty tmpfs over each ancestor
the uid cannot traverse (hiding the rest of ``/root``) and binds the needed paths back into it
through ``/proc/self/fd``; only then does it drop to the uid for good. The host's mounts are
unchanged. :func:`preexec` runs in the forked child; everything is computed beforehand.
"""
from __future__ import annotations

import ctypes
import os
import resource
import signal
import stat
from dataclasses import dataclass

__all__ = ["Plan", "exposure", "preexec"]

_CLONE_NEWNS = 0x00020000
_MS_NOSUID, _MS_NODEV, _MS_BIND, _MS_REC, _MS_PRIVATE = 2, 4, 4096, 16384, 1 << 18
_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36


@dataclass
class Plan:
    """``rlimits``: ``(resource, soft, hard)``; ``cgroup_procs``: a ``cgroup.procs`` file to join;
    ``tmpfs_points`` / ``exposures``: see the module docstring; ``drop``: ``(uid, gid)``;
    ``pdeathsig``: die with the parent; ``subreaper``: adopt orphaned descendants."""

    rlimits: tuple = ()
    cgroup_procs: str | None = None
    tmpfs_points: tuple = ()
    exposures: tuple = ()  # (path, is_dir)
    drop: tuple | None = None
    pdeathsig: bool = True
    subreaper: bool = False


def _check(rc: int, what: str) -> None:
    if rc != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"{what}: {os.strerror(e)}")


def preexec(plan: Plan) -> None:
    """Apply ``plan`` in the forked child (root-only steps only when the plan has them)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for res, soft, hard in plan.rlimits:
        resource.setrlimit(res, (soft, hard))
    if plan.cgroup_procs:
        fd = os.open(plan.cgroup_procs, os.O_WRONLY)
        try:
            os.write(fd, str(os.getpid()).encode())
        finally:
            os.close(fd)
    if plan.exposures:
        _check(libc.unshare(_CLONE_NEWNS), "unshare(CLONE_NEWNS)")
        _check(libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None), "mount --make-rprivate /")
        # the O_PATH handles must be opened in the new namespace: a bind source from another
        # mount namespace is rejected (EINVAL)
        fds = [os.open(path, os.O_PATH | os.O_CLOEXEC) for path, _ in plan.exposures]
        for point in plan.tmpfs_points:
            _check(libc.mount(b"tmpfs", point.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, b"mode=0755,size=1m"),
                   f"tmpfs on {point}")
        for (path, is_dir), fd in zip(plan.exposures, fds):
            if is_dir:
                os.makedirs(path, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
            _check(libc.mount(f"/proc/self/fd/{fd}".encode(), path.encode(), None, _MS_BIND | _MS_REC, None),
                   f"bind {path}")
            os.close(fd)
    if plan.drop:
        uid, gid = plan.drop
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    if plan.pdeathsig:  # after the uid change, which clears it
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if plan.subreaper:
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _can_traverse(st: os.stat_result, uid: int, gid: int) -> bool:
    if st.st_uid == uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid == gid:
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)


def _blocking_ancestor(path: str, uid: int, gid: int) -> str | None:
    """Topmost proper ancestor of ``path`` that ``uid``/``gid`` cannot traverse, if any."""
    cur = ""
    for comp in path.strip("/").split("/")[:-1]:
        cur += "/" + comp
        try:
            st = os.stat(cur)
        except OSError:
            return None
        if not _can_traverse(st, uid, gid):
            return cur
    return None


def exposure(paths, uid: int, gid: int) -> tuple[tuple[str, ...], tuple[tuple[str, bool], ...]]:
    """Plan making ``paths`` reachable for ``uid`` (see the module docstring).

    Returns ``(tmpfs_points, ((path, is_dir), ...))``, both empty when nothing is blocked.
    """
    paths = list(paths)
    blocked = {p: a for p in paths if (a := _blocking_ancestor(p, uid, gid)) is not None}
    if not blocked:
        return (), ()
    points = sorted(set(blocked.values()))
    points = [a for a in points if not any(a != b and a.startswith(b + "/") for b in points)]
    needed = {p for p in paths if any(p.startswith(a + "/") for a in points)}  # everything under a point
    ordered = sorted(needed, key=lambda p: (p.count("/"), p))  # parents before children
    return tuple(points), tuple((p, os.path.isdir(p)) for p in ordered)
