"""How one sandbox is started, per backend: its command line, environment and pre-exec plan.

``bwrap``: see :mod:`autograder.isolation.bwrap`. ``landlock``: the worker runs directly, confining
itself with Landlock and seccomp before anything else (see :mod:`autograder.isolation.worker`); as
root it first drops to the sandbox's leased uid (see :mod:`autograder.isolation.privdrop`); as an
ordinary user it keeps the grader's uid but reads nothing of the grader's (Landlock), gets an
empty environment, cannot be ptraced and cannot signal the grader. ``unconfined`` (never chosen
without being asked for): the same process without Landlock, so files are protected only by their
permissions (as root: by the leased uid). Every backend starts with an empty environment but for
the few variables of :func:`environment`, never the grader's.
"""
from __future__ import annotations

import json
import os
import resource
import sys
from dataclasses import dataclass, field

from autograder.isolation import bwrap, jobs, layout, privdrop, worker

__all__ = ["Launch", "build", "environment", "python_exe"]

THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1"}


def environment(home: str) -> dict[str, str]:
    """The whole environment of a sandbox (nothing inherited from the grader)."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
           "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    env.update(THREAD_ENV)
    return env


def python_exe() -> str:
    """The interpreter, as an absolute path without ``..`` (a ``..`` made bwrap fail to exec it)."""
    return os.path.abspath(os.path.normpath(sys.executable))


@dataclass
class Launch:
    argv: list[str]
    env: dict[str, str]
    cwd: str | None
    plan: privdrop.Plan
    namespaces: tuple[str, ...] = ()
    network: str = ""
    processes: str = ""
    notes: list[str] = field(default_factory=list)


def build(backend: str, mode: str, area: str, uid: int | None, cgroup_procs: str | None, *, landlock_abi: int,
          seccomp_ok: bool, tmp_bytes: int, stub_modules=(), preload=()) -> Launch:
    """The launch of a worker for ``backend``/``mode`` whose area is ``area`` (a host folder).

    ``uid``: the leased uid (root grader) or None; ``cgroup_procs``: a pids cgroup to join.
    """
    root = os.geteuid() == 0
    python = python_exe()
    plan = privdrop.Plan(rlimits=((resource.RLIMIT_CORE, 0, 0),), cgroup_procs=cgroup_procs)
    seccomp_note = "seccomp: no socket but Unix sockets" if seccomp_ok else "no seccomp filter"
    procs = "a pids cgroup" if cgroup_procs else ""
    if backend == "bwrap":
        view = bwrap.sandbox_view()
        env = environment("/tmp")
        cfg = {"view": view.to_dict(), "landlock": landlock_abi, "seccomp": seccomp_ok,
               "stub_modules": list(stub_modules), "preload": list(preload),
               "wipe": ["/tmp", "/dev/shm"]}  # the sandbox's own tmpfs: emptied between jobs
        argv = bwrap.argv(mode, area, python, worker.BOOT, [view.lib, json.dumps(cfg)], tmp_bytes=tmp_bytes, env=env,
                          drop=(uid, uid) if mode == "rootdrop" else None)
        if mode == "setuid":
            ro = [p for k, p in layout.system_dirs() if k == "dir"] + list(layout.etc_files()) + \
                list(layout.python_paths()) + [src for _, src in layout.package_dirs()]
            plan.tmpfs_points, plan.exposures = privdrop.exposure(ro + [area], uid, uid)
            plan.drop = (uid, uid)
        namespaces = ("pid", "net", "mount", "ipc", "uts") + (() if mode == "rootdrop" else ("user",))
        count = "its own uid" if mode == "rootdrop" else "RLIMIT_NPROC inside its user namespace"
        return Launch(argv, env, None, plan, namespaces, "no network (a new network namespace); " + seccomp_note,
                      "pid namespace, " + (procs + ", " if procs else "") + count)
    if backend not in ("landlock", "unconfined"):
        raise ValueError(f"unknown backend {backend!r}")
    lib = jobs.lib_dir()
    view = layout.View(layout.host_read_paths(), [src for _, src in layout.package_dirs()], lib, area)
    cfg = {"view": view.to_dict(), "landlock": landlock_abi if backend == "landlock" else 0,
           "seccomp": seccomp_ok, "stub_modules": list(stub_modules), "preload": list(preload)}
    argv = [python, "-I", "-B", "-c", worker.BOOT, lib, json.dumps(cfg)]
    notes = []
    if root and uid is not None:
        needed = list(layout.python_paths()) + [src for _, src in layout.package_dirs()] + [lib, area]
        plan.tmpfs_points, plan.exposures = privdrop.exposure(needed, uid, uid)
        plan.drop = (uid, uid)
        count = "its own uid"
    else:
        count = "RLIMIT_NPROC over the user's current processes"
        notes.append("runs as the grader's uid: protected by Landlock, non-dumpable, signals scoped"
                     if backend == "landlock" else "WARNING: runs as the grader's own uid with no filesystem isolation")
    if backend == "unconfined":
        notes.append("files: protected only by their permissions (no Landlock)")
    network = ("Landlock TCP rules and " if backend == "landlock" and landlock_abi >= 4 else "") + seccomp_note
    if not seccomp_ok and not (backend == "landlock" and landlock_abi >= 4):
        network = "NOT isolated"
    return Launch(argv, environment(area), area, plan, (), network,
                  ", ".join(p for p in (procs, count, "subreaper sweep") if p), notes)
