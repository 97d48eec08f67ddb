"""The bubblewrap command line of a sandbox, in each of its modes.

The sandbox is a new, empty root: read-only binds of ``/usr``, ``/lib*``, ``/bin``, ``/sbin`` (or
their merged-usr symlinks), the loader's few ``/etc`` files and the Python installation; the kit's
two packages at ``/opt/autograder-lib``; the sandbox's own area read-write at ``/jobs``; a private,
size-capped tmpfs on ``/tmp`` (mounted before the binds, so a checkout or venv under ``/tmp`` stays
visible) and on ``/dev/shm`` (bwrap's ``--dev``); a fresh ``/proc``. Namespaces: pid (every process
dies with the sandbox), net (only a down loopback), mount, ipc, uts, and user where bwrap runs
unprivileged; ``--die-with-parent``, ``--new-session``; an empty environment but for a few variables.

Modes: ``user`` (an ordinary user's grader: bwrap in a user namespace, as that user), ``setuid``
(a root grader: the child drops to the sandbox's leased uid first, then bwrap runs unprivileged in
a user namespace) and ``rootdrop`` (a root grader where unprivileged user namespaces are unavailable:
bwrap runs as root without a user namespace, keeps only CAP_SETUID/CAP_SETGID for the child, whose
first statement drops to the leased uid for good). The process limit is never ``RLIMIT_NPROC`` set
before bwrap: inside a user namespace that limit counts the namespace's processes only when it is
set *inside*, which the job's process does (see :mod:`autograder.isolation.jobproc`).
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess

from autograder.isolation import layout

__all__ = ["AREA", "MODES", "argv", "binary", "help_text"]

AREA = "/jobs"
MODES = ("user", "setuid", "rootdrop")
# rootdrop only: runs first, as root inside the sandbox with CAP_SETUID/CAP_SETGID only
_DROP = ("import os, sys; u, g = int(sys.argv[1]), int(sys.argv[2]); del sys.argv[1:3]; "
         "os.setgroups([]); os.setresgid(g, g, g); os.setresuid(u, u, u); "
         "ok = os.getresuid() == (u, u, u) and os.getresgid() == (g, g, g) and not os.getgroups(); "
         "ok or os._exit(111); os.chdir('/jobs'); ")


def binary() -> str | None:
    """The ``bwrap`` found on PATH, or None."""
    return shutil.which("bwrap")


@functools.lru_cache(maxsize=None)
def help_text(exe: str) -> str:
    try:
        p = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=10)
        return p.stdout + p.stderr
    except (OSError, subprocess.SubprocessError):
        return ""


def _ancestors(path: str) -> list[str]:
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def sandbox_view() -> layout.View:
    """The paths as the worker inside bwrap sees them."""
    read = [p for _, p in layout.system_dirs()] + list(layout.etc_files()) + list(layout.python_paths())
    packages = [f"{layout.SANDBOX_LIB}/{name}" for name, _ in layout.package_dirs()]
    return layout.View(read, packages, layout.SANDBOX_LIB, AREA)


def argv(mode: str, area: str, python: str, code: str, args: list[str], *, tmp_bytes: int, env: dict[str, str],
         drop: tuple[int, int] | None = None) -> list[str]:
    """The command line running ``python -I -B -c code *args`` in a sandbox of ``mode`` whose area
    is the host folder ``area``. ``drop``: the uid/gid of ``rootdrop`` mode."""
    exe = binary()
    if exe is None:
        raise FileNotFoundError("bwrap is not installed")
    helptext = help_text(exe)
    if mode == "rootdrop":
        out = [exe, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
               "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    elif mode in ("user", "setuid"):
        out = [exe, "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534"]
        if "--disable-userns" in helptext:
            out.append("--disable-userns")
    else:
        raise ValueError(f"unknown bwrap mode {mode!r}; one of {', '.join(MODES)}")
    out += ["--die-with-parent", "--new-session", "--hostname", "sandbox", "--clearenv"]
    for k, v in env.items():
        out += ["--setenv", k, v]
    perms = "--perms" in helptext
    if "--size" in helptext:
        out += ["--size", str(int(tmp_bytes))]
    out += (["--perms", "1777"] if perms else []) + ["--tmpfs", "/tmp"]
    dests = [p for _, p in layout.system_dirs()] + list(layout.etc_files()) + list(layout.python_paths()) + \
        [f"{layout.SANDBOX_LIB}/{name}" for name, _ in layout.package_dirs()] + [AREA]
    for a in sorted({a for d in dests for a in _ancestors(d)}, key=lambda a: a.count("/")):
        out += (["--perms", "0755"] if perms else []) + ["--dir", a]  # 0700 would stop the dropped uid
    for kind, path in layout.system_dirs():
        out += ["--symlink", os.readlink(path), path] if kind == "symlink" else ["--ro-bind", path, path]
    for f in layout.etc_files():
        out += ["--ro-bind", os.path.realpath(f) if f == "/etc/localtime" else f, f]
    for p in layout.python_paths():
        out += ["--ro-bind", p, p]
    for name, src in layout.package_dirs():
        out += ["--ro-bind", src, f"{layout.SANDBOX_LIB}/{name}"]
    out += ["--bind", area, AREA, "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/"]
    if mode == "rootdrop":  # root without CAP_DAC_OVERRIDE cannot enter the 0700 area: _DROP chdirs
        if drop is None:
            raise ValueError("rootdrop mode needs the uid/gid to drop to")
        return out + [python, "-I", "-B", "-c", _DROP + code, str(drop[0]), str(drop[1]), *args]
    return out + ["--chdir", AREA, python, "-I", "-B", "-c", code, *args]
