"""Run :mod:`autograder.isolation.harness` on a JOBDIR in an isolated, resource-limited process.

Threat model (see ``autograder.isolation.harness``): student code is hostile.  It may try to read the
solutions / hidden tests / other submissions, write the gradebook, use the network, read the
grader's environment (secrets), exhaust CPU, memory, processes, disk or the grader's memory via
output, or fake its results.  Results come back only as plain data (``transport``: JSON + npz,
never pickle), are validated here under size caps and are *claims* to be compared on the
trusted side.  Nothing the child writes can raise an exception in :func:`run_job`: a bad file
becomes a per-call ``"error"`` entry with the reason; calls the child never reported (it died
or was killed) are listed in ``JobResult.unreported`` with ``in_progress``/``killed_reason``,
so the caller can re-run the rest without the culprit.

Backends
--------
``bwrap`` (bubblewrap; chosen when ``bwrap`` exists and a probe sandbox actually runs):

* a new, empty root (read-only) with read-only binds of ONLY: ``/usr``, ``/lib*``, ``/bin``,
  ``/sbin`` (or their merged-usr symlinks), a few ``/etc`` files the loader needs, the Python
  prefix / base prefix / venv, the ``autograder`` and ``nnkit`` package directories (bound at
  ``/opt/autograder-lib``; the repository itself - solutions/, gradebook, tests - is never
  bound), plus ``extra_ro_paths``; JOBDIR read-write at ``/job``; ``/tmp`` a size-capped tmpfs;
  fresh ``/proc`` and ``/dev``;
* all namespaces unshared (no network: only a down loopback in a new net namespace; own pid
  namespace, so killing bwrap kills every process of the job), ``--die-with-parent``,
  ``--new-session``, ``--disable-userns`` when supported, empty environment except PATH,
  HOME=/tmp, LANG, thread-count and MPLBACKEND variables.

``fallback`` (no bwrap): same rlimits, scrubbed environment, ``cwd = JOBDIR``, ``python -I``.
It does NOT hide files: everything world-readable (``solutions/``, other submissions, the
repository) stays readable, and there is NO network isolation and no pid namespace (a process
that leaves the process group with ``setsid`` can outlive the job unless a pids cgroup is
used; RLIMIT_CPU still bounds its CPU time).  Use it only where bwrap is unavailable.

Unprivileged uid and the process limit (what was found on the development VM, root,
kernel 6.18, bubblewrap 0.8.0, unprivileged user namespaces enabled, cgroup v1 ``pids``
writable):

* ``RLIMIT_NPROC`` is not enforced for real uid 0.  ``bwrap --unshare-user --uid 65534``
  started *by root* maps the sandbox user to kuid 0 outside (``uid_map`` = ``65534 0 1``), so
  a fork bomb is not contained by the rlimit and root-owned files in the binds are the
  student's own.  This configuration is therefore not used.
* Dropping to uid/gid 65534 in ``preexec_fn`` and then running bwrap unprivileged works
  (mode ``"setuid"``): the sandbox runs as real kuid 65534, so NPROC is enforced and root-only
  files stay unreadable.  One obstacle: the interpreter may live under a directory uid 65534
  cannot traverse (here ``/root/.pyenv``, ``/root`` is 0700), and bwrap resolves bind sources
  with the caller's permissions (``--ro-bind-fd`` does not help: bwrap ``realpath()``s it).
  So, as root, ``preexec_fn`` first enters a private mount namespace, opens O_PATH handles on
  the needed paths, mounts a small tmpfs over each blocking ancestor (``/root``) and
  bind-mounts the paths back into it through ``/proc/self/fd``; only then does it drop
  privileges.  This affects only the child's private mount namespace (the host is unchanged).
* If that fails (e.g. unprivileged user namespaces disabled, or no CAP_SYS_ADMIN for the
  mount namespace), mode ``"rootdrop"``: bwrap runs as root *without* a user namespace,
  keeping only CAP_SETUID/CAP_SETGID for the child, whose first (trusted) statement drops to
  uid/gid 65534 for good before the harness is imported (permitted/effective capabilities
  are then empty) and NO_NEW_PRIVS is set by bwrap (checked in /proc/self/status).  Same
  real-uid guarantees, but bwrap itself runs with full privileges and ``--disable-userns``
  is not available.  Both modes are probed once per process; tests force each.
* The same exposure trick lets the fallback drop to 65534 as well (the rest of ``/root`` is
  then hidden from it too).  If it cannot (no CAP_SYS_ADMIN, e.g. a default Docker
  container, and an interpreter 65534 cannot reach), the fallback runs as root and says so in
  ``JobResult.isolation`` and in a logged warning.
* A pids cgroup (v1 ``/sys/fs/cgroup/pids`` or v2 with the pids controller) is used when the
  grader is root and the hierarchy is writable (``pids_cgroup=None`` = auto).  It limits the
  job's processes exactly (NPROC counts *all* processes of the uid, so parallel jobs sharing
  uid 65534 share that budget: give parallel workers different ``uid`` values, or rely on the
  cgroup) and lets the grader kill every process of the job.
* As a non-root grader, bwrap and the fallback run as the grader's own uid: NPROC is enforced
  but counts the grader's own processes too; root-only files are protected by the kernel.
* NPROC also counts zombies: processes killed at the end of a job are reaped by init, which
  took ~1.5 s here, so a job following a fork bomb waits (bounded, 3 s) for the uid to have
  room again instead of failing with EAGAIN.
* Always: the wall-time limit kills the whole process group (and the cgroup) with SIGKILL;
  with bwrap the pid namespace dies with it.

Measured here (2 cores): a job with one trivial call takes ~0.2 s with either backend
(interpreter + numpy start-up dominate; bwrap adds ~10 ms); each further call ~10 ms.
``preexec_fn`` is used, so start jobs from one thread per process (use a process pool for
parallel grading), and with distinct ``uid`` values per worker when no cgroup is available.

Not protected by any backend: disk usage in JOBDIR beyond ``max_file_bytes`` per file
(put JOBDIR on a quota'd or size-limited filesystem if that matters), total memory of many
processes (RLIMIT_AS is per process), covert timing channels, kernel exploits (no seccomp
filter is installed; bwrap narrows the attack surface, a VM/container per job is stronger).
"""
from __future__ import annotations

import ctypes
import dataclasses
import functools
import itertools
import json
import logging
import math
import os
import re
import resource
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from . import transport

__all__ = ["Call", "JobResult", "Limits", "SandboxUnavailable", "bwrap_available",
           "prepare_job", "replace_limits", "run_job", "write_job"]

log = logging.getLogger(__name__)

LOAD_MARKER = "<load student.py>"  # results.json "in_progress" while student.py runs
SANDBOX_JOBDIR = "/job"
SANDBOX_LIB = "/opt/autograder-lib"
NOBODY = 65534
_ID_RE = re.compile(r"[A-Za-z0-9_.\-]{1,64}\Z")
_STATUSES = ("ok", "error", "timeout", "missing", "skipped")
# Code run by ``python -I -c`` in the child.  _DROP (bwrap "rootdrop" mode only) runs first,
# as root inside the sandbox with only CAP_SETUID/CAP_SETGID, and drops to uid/gid for good.
_DROP = (
    "import os, sys; u, g = int(sys.argv[1]), int(sys.argv[2]); del sys.argv[1:3]; "
    "os.setgroups([]); os.setresgid(g, g, g); os.setresuid(u, u, u); "
    "ok = os.getresuid() == (u, u, u) and os.getresgid() == (g, g, g) and not os.getgroups(); "
    "ok or os._exit(111); "
)
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); del sys.argv[1]; "
    "from autograder.isolation.harness import main; raise SystemExit(main(sys.argv[1:]))"
)
_PROBE = "import sys; sys.stdout.write('ok')"
_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "NUMEXPR_NUM_THREADS": "1"}


class SandboxUnavailable(RuntimeError):
    """The requested backend cannot run on this machine."""


@dataclass(frozen=True)
class Limits:
    """Per-job limits.  ``cpu_s``, ``memory_bytes`` (RLIMIT_AS) and ``max_file_bytes`` are per
    process; ``max_processes`` is per job with a pids cgroup, else per uid (RLIMIT_NPROC);
    ``max_output_bytes`` caps what is kept of the child's stdout and stderr (each)."""

    wall_s: float = 30
    cpu_s: float = 30
    memory_bytes: int = 1 << 30
    max_processes: int = 32
    max_file_bytes: int = 64 << 20
    max_output_bytes: int = 1 << 20


@dataclass
class JobResult:
    """Outcome of :func:`run_job`.

    ``results``: one validated dict per call the harness reported, in job order (fields: see
    :mod:`autograder.isolation.harness`, plus ``value``, the decoded result when ``status == "ok"``); a
    reported entry that fails validation becomes ``status "error"`` with the reason.  Calls
    the sandbox never reported (it died or was killed) are listed in ``unreported``;
    ``in_progress`` names the one that was running (or ``LOAD_MARKER`` while student.py was
    executing), and ``killed_reason`` says why (wall/CPU limit, signal, exit status).  If the
    process ended normally but its results.json is unusable, every call gets an ``"error"``
    entry with the reason instead.  ``load`` / ``setup`` describe executing student.py /
    setup.py; ``isolation`` lists in words what was enforced (backend, mode, uid, limits)."""

    returncode: int | None
    timed_out: bool
    killed_reason: str | None
    wall_s: float
    stdout_tail: str
    stderr_tail: str
    results: list[dict]
    backend: str
    load: dict | None = None
    setup: dict | None = None
    isolation: tuple[str, ...] = ()
    in_progress: str | None = None
    unreported: tuple[str, ...] = ()

    @property
    def load_error(self) -> dict | None:
        """``{"error_type", "error_message", "lineno"}`` if student.py did not load cleanly
        (an exception, or the sandbox died/timed out while executing it), else None."""
        if self.load is not None and self.load.get("status") != "ok":
            return {k: self.load.get(k) for k in ("error_type", "error_message", "lineno")}
        if self.load is None and self.in_progress == LOAD_MARKER:
            etype = "JobTimeout" if self.timed_out else "SandboxDied"
            return {"error_type": etype, "lineno": None,
                    "error_message": f"{self.killed_reason} (while loading student.py)"}
        return None


@dataclass(frozen=True)
class Call:
    id: str
    function: str
    args: Sequence[Any] = ()
    kwargs: dict = field(default_factory=dict)
    timeout_s: float = 10.0
    #: names of the student namespace bound to ``"module:attr"`` references for this call only
    replace: dict = field(default_factory=dict)
    #: ``"module:qualname"`` of functions unavailable during this call (they raise ReferenceUnavailable)
    forbid: tuple = ()


# ----------------------------------------------------------------------------------------------
# job preparation (trusted side)


def replace_limits(limits: Limits, **changes: Any) -> Limits:
    """A copy of ``limits`` with some fields changed."""
    return dataclasses.replace(limits, **changes)


def write_job(
    jobdir: str | os.PathLike,
    calls: Iterable[dict],
    *,
    setup: str | None = None,
    load_timeout_s: float | None = None,
    capture_bytes: int = 16 * 1024,
    stub_modules: Iterable[str] = (),
) -> None:
    """Write ``job.json`` for call dicts ``{"id", "function", "args", "kwargs", "timeout_s",
    "replace", "forbid"}`` (payload names; see :mod:`autograder.isolation.harness`). ``stub_modules``
    names top-level packages the harness replaces with inert stubs (plotting, widgets)."""
    spec: dict[str, Any] = {"calls": [], "capture_bytes": int(capture_bytes),
                            "stub_modules": list(stub_modules)}
    if setup is not None:
        spec["setup"] = setup
    if load_timeout_s is not None:
        spec["load_timeout_s"] = float(load_timeout_s)
    seen = set()
    for c in calls:
        cid, fn = c["id"], c["function"]
        if type(cid) is not str or not _ID_RE.match(cid) or cid in seen:
            raise ValueError(f"invalid or duplicate call id {cid!r}")
        if type(fn) is not str or not fn.isidentifier():
            raise ValueError(f"invalid function name {fn!r}")
        unknown = set(c) - {"id", "function", "args", "kwargs", "timeout_s", "replace",
                            "forbid"}
        if unknown:
            raise ValueError(f"unknown call fields {sorted(unknown)}")
        seen.add(cid)
        spec["calls"].append(dict(c))
    (Path(jobdir) / "job.json").write_text(json.dumps(spec), encoding="utf-8")


def prepare_job(
    jobdir: str | os.PathLike,
    student_source: str,
    calls: Iterable[Call],
    *,
    setup_source: str | None = None,
    load_timeout_s: float | None = None,
    capture_bytes: int = 16 * 1024,
    stub_modules: Iterable[str] = (),
) -> Path:
    """Write ``student.py``, optional ``setup.py``, input payloads and ``job.json`` into JOBDIR."""
    d = Path(jobdir)
    d.mkdir(parents=True, exist_ok=True)
    (d / "student.py").write_text(student_source, encoding="utf-8")
    if setup_source is not None:
        (d / "setup.py").write_text(setup_source, encoding="utf-8")
    job_calls = []
    for c in calls:
        if not _ID_RE.match(c.id):
            raise ValueError(f"invalid call id {c.id!r}")
        transport.write_payload(d, f"args_{c.id}", tuple(c.args))
        transport.write_payload(d, f"kwargs_{c.id}", dict(c.kwargs))
        entry = {"id": c.id, "function": c.function, "args": f"args_{c.id}",
                 "kwargs": f"kwargs_{c.id}", "timeout_s": float(c.timeout_s)}
        if c.replace:
            entry["replace"] = dict(c.replace)
        if c.forbid:
            entry["forbid"] = list(c.forbid)
        job_calls.append(entry)
    write_job(d, job_calls, setup="setup.py" if setup_source is not None else None,
              load_timeout_s=load_timeout_s, capture_bytes=capture_bytes, stub_modules=stub_modules)
    return d


# ----------------------------------------------------------------------------------------------
# low-level helpers used in preexec_fn (everything is prepared in the parent)

_CLONE_NEWNS = 0x00020000
_MS_NOSUID, _MS_NODEV, _MS_BIND, _MS_REC, _MS_PRIVATE = 2, 4, 4096, 16384, 1 << 18
_PR_SET_PDEATHSIG = 1


@functools.lru_cache(maxsize=None)
def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(rc: int, what: str) -> None:
    if rc != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"{what}: {os.strerror(e)}")


@dataclass
class _Plan:
    rlimits: tuple = ()
    cgroup_procs: str | None = None
    tmpfs_points: tuple = ()
    exposures: tuple = ()  # (path, is_dir): re-bound under the tmpfs points
    drop: tuple | None = None  # (uid, gid)
    chdir: str | None = None
    pdeathsig: bool = False


def _preexec(plan: _Plan) -> None:  # runs in the forked child, before exec
    for res, soft, hard in plan.rlimits:
        resource.setrlimit(res, (soft, hard))
    if plan.cgroup_procs:
        fd = os.open(plan.cgroup_procs, os.O_WRONLY)
        try:
            os.write(fd, str(os.getpid()).encode())
        finally:
            os.close(fd)
    if plan.exposures:
        libc = _libc()
        _check(libc.unshare(_CLONE_NEWNS), "unshare(CLONE_NEWNS)")
        _check(libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None), "mount private")
        # O_PATH handles must be opened in the new namespace: a bind source from another
        # mount namespace is rejected (EINVAL)
        fds = [os.open(path, os.O_PATH | os.O_CLOEXEC) for path, _ in plan.exposures]
        for point in plan.tmpfs_points:
            _check(libc.mount(b"tmpfs", point.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV,
                              b"mode=0755,size=1m"), f"tmpfs on {point}")
        for (path, is_dir), fd in zip(plan.exposures, fds):
            if is_dir:
                os.makedirs(path, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
            _check(libc.mount(f"/proc/self/fd/{fd}".encode(), path.encode(), None,
                              _MS_BIND | _MS_REC, None), f"bind {path}")
            os.close(fd)
    if plan.drop:
        uid, gid = plan.drop
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    if plan.pdeathsig:  # after setuid: a credential change clears it
        _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if plan.chdir:
        os.chdir(plan.chdir)


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


def _exposure(paths: Iterable[str], uid: int, gid: int):
    """Plan making ``paths`` reachable for ``uid`` in a private mount namespace.

    Returns ``(tmpfs_points, [(path, is_dir)])``; empty lists when nothing is blocked.
    """
    blocked: dict[str, str] = {}
    for p in paths:
        a = _blocking_ancestor(p, uid, gid)
        if a is not None:
            blocked[p] = a
    if not blocked:
        return (), []
    points = sorted(set(blocked.values()))
    points = [a for a in points if not any(a != b and a.startswith(b + "/") for b in points)]
    # any needed path under a tmpfs point must be re-bound, blocked or not
    needed = {p for p in paths if any(p.startswith(a + "/") for a in points)}
    ordered = sorted(needed, key=lambda p: (p.count("/"), p))  # parents before children
    return tuple(points), [(p, os.path.isdir(p)) for p in ordered]


# ----------------------------------------------------------------------------------------------
# paths visible in the sandbox


def _ancestors(path: str) -> list[str]:
    """Proper ancestors of an absolute path, without '/': /a/b/c -> [/a, /a/b]."""
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def _dedupe_nested(paths: Iterable[str]) -> list[str]:
    ps = sorted({os.path.realpath(p) for p in paths if p and os.path.exists(p)})
    out: list[str] = []
    for p in ps:
        if p == "/":
            raise SandboxUnavailable("refusing to bind '/' into the sandbox")
        if not any(p == q or p.startswith(q + "/") for q in out):
            out.append(p)
    return out


@functools.lru_cache(maxsize=None)
def _python_paths() -> tuple[str, ...]:
    exe = os.path.realpath(sys.executable)
    cands = [sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.dirname(exe))]
    return tuple(_dedupe_nested(cands))


@functools.lru_cache(maxsize=None)
def _system_binds() -> tuple[tuple[str, str, str], ...]:
    """(kind, src, dest) for /usr, /lib*, /bin, /sbin and minimal /etc."""
    out = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            out.append(("symlink", os.readlink(top), top))
        elif os.path.isdir(top):
            out.append(("ro", top, top))
    for f in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
              "/etc/alternatives", "/etc/fonts"):
        if os.path.exists(f):
            out.append(("ro", os.path.realpath(f) if f == "/etc/localtime" else f, f))
    return tuple(out)


@functools.lru_cache(maxsize=None)
def _package_dirs() -> tuple[tuple[str, str], ...]:
    """(name, directory) of the packages the harness and student code may import."""
    import autograder

    dirs = [("autograder", os.path.dirname(os.path.realpath(autograder.__file__)))]
    try:
        import nnkit

        dirs.append(("nnkit", os.path.dirname(os.path.realpath(nnkit.__file__))))
    except Exception:  # pragma: no cover - nnkit is part of the kit
        pass
    return tuple(dirs)


@functools.lru_cache(maxsize=None)
def _fallback_libdir() -> str:
    """A root-owned directory holding only symlinks to the packages (not the whole repo)."""
    d = tempfile.mkdtemp(prefix="autograder-lib-")
    os.chmod(d, 0o755)
    for name, src in _package_dirs():
        os.symlink(src, os.path.join(d, name))
    import atexit

    atexit.register(shutil.rmtree, d, True)
    return d


@functools.lru_cache(maxsize=None)
def _bwrap_help() -> str:
    exe = shutil.which("bwrap")
    if not exe:
        return ""
    try:
        p = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=10)
        return p.stdout + p.stderr
    except Exception:
        return ""


def _env(home: str) -> dict[str, str]:
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "TMPDIR": home,
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    env.update(_THREAD_ENV)
    return env


# ----------------------------------------------------------------------------------------------
# pids cgroup (optional, root only)

_cg_counter = itertools.count()


@functools.lru_cache(maxsize=None)
def _pids_cgroup_base() -> tuple[int, str] | None:
    """(version, parent dir) of a writable pids hierarchy, or None.  Probed once per process."""
    if os.geteuid() != 0:
        return None
    cands = []
    if os.path.exists("/sys/fs/cgroup/pids/cgroup.procs"):
        cands.append((1, "/sys/fs/cgroup/pids"))
    try:
        with open("/sys/fs/cgroup/cgroup.controllers") as f:
            if "pids" in f.read().split():
                cands.append((2, "/sys/fs/cgroup"))
    except OSError:
        pass
    for version, base in cands:
        _remove_stale_cgroups(base)
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
            return version, base
        except OSError:
            continue
    return None


def _remove_stale_cgroups(base: str) -> None:
    """Remove empty job cgroups left behind by a grader process that was killed."""
    try:
        names = os.listdir(base)
    except OSError:
        return
    for name in names:
        m = re.fullmatch(r"autograder-(\d+)-\d+", name)
        if m and not os.path.exists(f"/proc/{m.group(1)}"):
            try:
                os.rmdir(os.path.join(base, name))
            except OSError:
                pass


class _PidsCgroup:
    def __init__(self, max_pids: int):
        version, base = _pids_cgroup_base()  # type: ignore[misc]
        self.path = os.path.join(base, f"autograder-{os.getpid()}-{next(_cg_counter)}")
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

    def kill_all(self, timeout: float = 3.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.01)

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


# ----------------------------------------------------------------------------------------------
# launch plans


@dataclass
class _Launch:
    argv: list[str]
    env: dict[str, str]
    cwd: str | None
    plan: _Plan
    notes: list[str]
    run_uid: int  # the real uid the student code runs as (outside any user namespace)


def _rlimits(limits: Limits, nproc: int) -> tuple:
    cpu = max(1, math.ceil(limits.cpu_s))
    mem = int(limits.memory_bytes)
    fsz = int(limits.max_file_bytes)
    return (
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_AS, mem, mem),
        (resource.RLIMIT_FSIZE, fsz, fsz),
        (resource.RLIMIT_NPROC, nproc, nproc),
    )




def _build_launch(backend: str, mode: str, jobdir: str, limits: Limits, extra_ro: list[str],
                  uid: int, gid: int, cgroup: _PidsCgroup | None, probe: bool = False) -> _Launch:
    """Command line + preexec plan.  ``probe=True`` runs a trivial program instead of the harness."""
    nproc = int(limits.max_processes)
    if cgroup is not None:
        # the cgroup enforces the per-job limit exactly; the per-uid rlimit becomes a
        # backstop so that parallel jobs sharing a uid do not starve each other
        nproc = nproc * 8 + 64
    plan = _Plan(rlimits=_rlimits(limits, nproc),
                 cgroup_procs=cgroup.procs if cgroup else None)
    notes: list[str] = [f"backend={backend}", f"mode={mode}"]
    python = sys.executable
    root = os.geteuid() == 0
    run_uid = os.getuid()
    boot = _PROBE if probe else _BOOT

    if backend == "fallback":
        argv = [python, "-I", "-B", "-c", boot, _fallback_libdir(), jobdir]
        env = _env(jobdir)
        plan.pdeathsig = True
        plan.chdir = jobdir
        if mode == "setuid":
            needed = list(_python_paths()) + [src for _, src in _package_dirs()] + \
                [jobdir] + extra_ro
            points, exposures = _exposure(needed, uid, gid)
            plan.tmpfs_points, plan.exposures = points, tuple(exposures)
            plan.drop = (uid, gid)
            run_uid = uid
            notes.append(f"runs as uid {uid}/gid {gid}")
            if points:
                notes.append("private mount namespace hides " + ", ".join(points))
        elif root:
            notes.append("WARNING: student code runs as root (could not drop privileges)")
        notes.append("files: everything world-readable is visible (no filesystem isolation)")
        notes.append("network: NOT isolated")
        return _Launch(argv, env, jobdir, plan, notes, run_uid)

    # ---- bwrap
    bwrap = shutil.which("bwrap")
    if not bwrap:
        raise SandboxUnavailable("bwrap not found")
    helptext = _bwrap_help()
    if mode == "rootdrop":
        # bwrap runs as root without a user namespace (works where unprivileged user
        # namespaces are disabled); the child keeps only CAP_SETUID/SETGID, and _DROP
        # switches to uid/gid before anything else runs.  NO_NEW_PRIVS is set by bwrap.
        argv = [bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--cap-drop", "ALL", "--cap-add", "CAP_SETUID",
                "--cap-add", "CAP_SETGID"]
    else:
        argv = [bwrap, "--unshare-all", "--unshare-user", "--uid", str(NOBODY),
                "--gid", str(NOBODY)]
        if "--disable-userns" in helptext:
            argv.append("--disable-userns")
    argv += ["--die-with-parent", "--new-session", "--hostname", "sandbox", "--clearenv"]
    for k, v in _env("/tmp").items():
        argv += ["--setenv", k, v]
    ro_sources: list[str] = []
    dests = [d for _, _, d in _system_binds()] + list(_python_paths()) + list(extra_ro) + \
        [f"{SANDBOX_LIB}/{name}" for name, _ in _package_dirs()] + [SANDBOX_JOBDIR]
    parents = sorted({a for d in dests for a in _ancestors(d)}, key=lambda a: a.count("/"))
    perms = "--perms" in helptext
    # The size-capped /tmp comes first: mounted after the binds it would hide any of them that
    # live under /tmp (a checkout or virtual environment in /tmp, as CI clones often are).
    if "--size" in helptext:
        argv += ["--size", str(int(limits.max_file_bytes))]
    if perms:
        argv += ["--perms", "1777"]
    argv += ["--tmpfs", "/tmp"]
    for a in parents:  # bwrap would create them 0700: the dropped uid could not traverse
        argv += (["--perms", "0755"] if perms else []) + ["--dir", a]
    for kind, src, dest in _system_binds():
        if kind == "symlink":
            argv += ["--symlink", src, dest]
        else:
            argv += ["--ro-bind", src, dest]
            ro_sources.append(src)
    for p in _python_paths():
        argv += ["--ro-bind", p, p]
        ro_sources.append(p)
    for name, src in _package_dirs():
        argv += ["--ro-bind", src, f"{SANDBOX_LIB}/{name}"]
        ro_sources.append(src)
    for p in extra_ro:
        argv += ["--ro-bind", p, p]
        ro_sources.append(p)
    argv += ["--bind", jobdir, SANDBOX_JOBDIR, "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/"]
    if mode != "rootdrop":  # (without CAP_DAC_OVERRIDE, root cannot enter the 0700 JOBDIR;
        argv += ["--chdir", SANDBOX_JOBDIR]  # the harness chdirs itself after the drop)
    argv += [python, "-I", "-B"]
    if mode == "rootdrop":
        argv += ["-c", _DROP + boot, str(uid), str(gid), SANDBOX_LIB, SANDBOX_JOBDIR]
        run_uid = uid
        notes.append(f"runs as real uid {uid} (bwrap as root, privileges dropped inside)")
    else:
        argv += ["-c", boot, SANDBOX_LIB, SANDBOX_JOBDIR]
    if mode == "setuid":
        points, exposures = _exposure(ro_sources + [jobdir], uid, gid)
        plan.tmpfs_points, plan.exposures = points, tuple(exposures)
        plan.drop = (uid, gid)
        run_uid = uid
        notes.append(f"runs as real uid {uid} (unprivileged user namespace)")
    elif mode == "user":
        notes.append(f"runs as the grader's uid {run_uid}")
    notes.append("files: only the Python runtime, /usr, packages and JOBDIR are visible")
    notes.append("network: isolated (new network namespace)")
    return _Launch(argv, _env("/tmp"), None, plan, notes, run_uid)


# ----------------------------------------------------------------------------------------------
# probes (cached per process)


def _probe(backend: str, mode: str, uid: int, gid: int) -> bool:
    """Run a trivial interpreter in the given configuration; retried once (transient EAGAIN)."""
    for attempt in range(2):
        if os.geteuid() == 0 and mode in ("setuid", "rootdrop"):
            _wait_for_uid_slots(uid, Limits().max_processes)
        if _probe_once(backend, mode, uid, gid):
            return True
        time.sleep(0.2)
    return False


def _probe_once(backend: str, mode: str, uid: int, gid: int) -> bool:
    d = tempfile.mkdtemp(prefix="autograder-probe-")
    try:
        if os.geteuid() == 0 and mode in ("setuid", "rootdrop"):
            os.chown(d, uid, gid)
        launch = _build_launch(backend, mode, d, Limits(), [], uid, gid, None, probe=True)
    except Exception as exc:
        shutil.rmtree(d, ignore_errors=True)
        log.debug("probe %s/%s: cannot build: %s", backend, mode, exc)
        return False
    try:
        p = subprocess.run(launch.argv, env=launch.env, cwd=launch.cwd, capture_output=True,
                           timeout=20, preexec_fn=functools.partial(_preexec, launch.plan),
                           start_new_session=True, stdin=subprocess.DEVNULL)
        ok = p.returncode == 0 and p.stdout == b"ok"
        if not ok:
            log.debug("probe %s/%s failed: rc=%s %s", backend, mode, p.returncode,
                      p.stderr[-500:])
        return ok
    except Exception as exc:
        log.debug("probe %s/%s failed: %s", backend, mode, exc)
        return False
    finally:
        shutil.rmtree(d, ignore_errors=True)


@functools.lru_cache(maxsize=None)
def _bwrap_mode(uid: int, gid: int) -> str | None:
    """Which bwrap mode works here: 'setuid' or 'rootdrop' (root grader), 'user' (non-root
    grader), or None.  Probed once per process by running a trivial sandbox."""
    if not shutil.which("bwrap"):
        return None
    modes = ("setuid", "rootdrop") if os.geteuid() == 0 else ("user",)
    for mode in modes:
        if _probe("bwrap", mode, uid, gid):
            return mode
    return None


@functools.lru_cache(maxsize=None)
def _fallback_mode(uid: int, gid: int) -> str:
    if os.geteuid() == 0:
        if _probe("fallback", "setuid", uid, gid):
            return "setuid"
        log.warning("autograder fallback sandbox cannot drop root privileges on this machine")
        return "root"
    return "user"


def bwrap_available() -> bool:
    """True if the bwrap backend works on this machine (probed once per process)."""
    return _bwrap_mode(NOBODY, NOBODY) is not None


# ----------------------------------------------------------------------------------------------
# supervision


class _Tail:
    def __init__(self, cap: int):
        self.cap = max(int(cap), 0)
        self.buf = bytearray()
        self.total = 0

    def add(self, data: bytes) -> None:
        self.total += len(data)
        self.buf += data
        if len(self.buf) > 2 * self.cap + 65536:
            del self.buf[: len(self.buf) - self.cap]

    def text(self) -> str:
        data = bytes(self.buf[-self.cap:]) if self.cap else b""
        dropped = self.total - len(data)
        s = data.decode("utf-8", "replace")
        return f"[... {dropped} bytes omitted ...]\n{s}" if dropped else s


def _supervise(proc: subprocess.Popen, deadline: float, cap: int, kill) -> tuple[bool, str, str]:
    tails = {proc.stdout.fileno(): _Tail(cap), proc.stderr.fileno(): _Tail(cap)}
    sel = selectors.DefaultSelector()
    for fd in tails:
        os.set_blocking(fd, False)
        sel.register(fd, selectors.EVENT_READ)
    timed_out = False
    stop_at: float | None = None  # after exit/kill: drain briefly, stragglers may hold pipes
    try:
        while sel.get_map():
            now = time.monotonic()
            if stop_at is None:
                if proc.poll() is not None:
                    kill()  # stragglers left in the process group / cgroup
                    stop_at = now + 1.0
                elif now >= deadline:
                    timed_out = True
                    kill()
                    stop_at = now + 2.0
            elif now >= stop_at:
                break
            wait = (stop_at if stop_at is not None else deadline) - now
            for key, _ in sel.select(max(0.0, min(wait, 0.25))):
                try:
                    data = os.read(key.fd, 1 << 16)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if data:
                    tails[key.fd].add(data)
                else:
                    sel.unregister(key.fd)
    finally:
        sel.close()
    try:  # the pipes may close early (the child closed fd 1 and 2) while it keeps running
        proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        timed_out = True
        kill()
        proc.wait()
    return timed_out, tails[proc.stdout.fileno()].text(), tails[proc.stderr.fileno()].text()


_SIGNAMES = {signal.SIGXCPU: "CPU time limit exceeded (SIGXCPU)",
             signal.SIGXFSZ: "file size limit exceeded (SIGXFSZ)",
             signal.SIGKILL: "killed by SIGKILL (CPU hard limit, memory, or an external kill)",
             signal.SIGSEGV: "crashed (segmentation fault)",
             signal.SIGABRT: "aborted (SIGABRT)"}


def _reason(rc: int | None, timed_out: bool, limits: Limits, backend: str) -> str | None:
    if timed_out:
        return f"wall-time limit of {limits.wall_s:g} s exceeded; the sandbox was killed"
    if rc is None or rc == 0:
        return None
    sig = -rc if rc < 0 else (rc - 128 if backend == "bwrap" and 128 < rc < 128 + 65 else None)
    if sig:
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        text = _SIGNAMES.get(sig, f"killed by {name}")
        if sig == signal.SIGXCPU:
            text = f"CPU time limit of {limits.cpu_s:g} s exceeded (SIGXCPU)"
        return text
    return f"sandbox exited with status {rc}"


# ----------------------------------------------------------------------------------------------
# reading results back


def _clip(v: Any, n: int) -> str | None:
    return None if v is None else v[:n]


def _validate_entry(e: Any, cid: str, need_result: bool = True) -> dict:
    """Copy the known fields of a results.json entry, checking types.  Raises ValueError."""
    if type(e) is not dict:
        raise ValueError("entry is not an object")

    def get(key, types, default=None):
        v = e.get(key, default)
        if v is not None and type(v) not in types:
            raise ValueError(f"field {key!r} has type {type(v).__name__}")
        return v

    status = get("status", (str,))
    if status not in _STATUSES:
        raise ValueError(f"invalid status {str(status)[:30]!r}")
    lineno = get("lineno", (int,))
    if lineno is not None and not 0 <= lineno < 10**8:
        raise ValueError("invalid lineno")
    dur = get("duration_s", (float, int), 0.0)
    if not (math.isfinite(dur) and dur >= 0):
        raise ValueError("invalid duration_s")
    warn = get("warnings", (int,), 0)
    mods = get("modified_inputs", (list,), [])
    if len(mods) > 1000 or any(type(m) is not str for m in mods):
        raise ValueError("invalid modified_inputs")
    res = get("result", (str,))
    if need_result and status == "ok" and res != f"result_{cid}":
        raise ValueError("status ok without its result payload")
    return {
        "id": cid,
        "status": status,
        "error_type": _clip(get("error_type", (str,)), 200),
        "error_message": _clip(get("error_message", (str,)), 4000),
        "lineno": lineno,
        "stdout": _clip(get("stdout", (str,), ""), 65536),
        "stderr": _clip(get("stderr", (str,), ""), 65536),
        "stdout_truncated": bool(get("stdout_truncated", (bool,), False)),
        "duration_s": float(dur),
        "warnings": max(0, warn),
        "inputs_modified": bool(get("inputs_modified", (bool,), False)),
        "modified_inputs": [m[:200] for m in mods[:100]],
    }


def _validate_info(e: Any) -> dict | None:
    """The 'load' / 'setup' records (same shape as a call entry minus id/result)."""
    if e is None:
        return None
    try:
        out = _validate_entry(e, "", need_result=False)
    except ValueError as exc:
        return {"status": "error", "error_type": "ProtocolError",
                "error_message": f"invalid record in results.json: {exc}"}
    for k in ("id", "inputs_modified", "modified_inputs"):
        out.pop(k, None)
    return out


def _error_entry(cid: str, status: str, etype: str, msg: str) -> dict:
    return {"id": cid, "status": status, "error_type": etype, "error_message": msg,
            "lineno": None, "stdout": "", "stderr": "", "stdout_truncated": False,
            "duration_s": 0.0, "warnings": 0, "inputs_modified": False, "modified_inputs": []}


def _collect(jobdir: str, call_ids: list[str], payload_limits: transport.PayloadLimits,
             rc: int | None, timed_out: bool):
    json_cap = max(payload_limits.max_json_bytes, 200_000 * (len(call_ids) + 2))
    doc: Any = None
    problem = None
    try:
        raw = transport._read_capped(os.path.join(jobdir, "results.json"), json_cap,
                                     "results.json")
        doc = transport.loads_json(
            raw, transport.PayloadLimits(max_json_bytes=json_cap), "results.json")
        if type(doc) is not dict or type(doc.get("calls")) is not list:
            raise transport.TransportError("results.json does not have the expected structure")
    except transport.TransportError as exc:
        problem = str(exc)
        doc = None

    entries: dict[str, dict] = {}
    done = False
    in_progress = None
    load = setup = None
    if doc is not None:
        done = doc.get("done") is True
        ip = doc.get("in_progress")
        in_progress = ip if type(ip) is str else None
        load = _validate_info(doc.get("load"))
        setup = _validate_info(doc.get("setup"))
        for raw_entry in doc["calls"][: len(call_ids) + 1]:
            cid = raw_entry.get("id") if type(raw_entry) is dict else None
            if type(cid) is not str or cid not in call_ids:
                continue
            if cid in entries:
                entries[cid] = _error_entry(cid, "error", "ProtocolError",
                                            "results.json reports this call twice")
                continue
            try:
                entries[cid] = _validate_entry(raw_entry, cid)
            except ValueError as exc:
                entries[cid] = _error_entry(cid, "error", "ProtocolError",
                                            f"invalid entry in results.json: {exc}")

    results, unreported = [], []
    for cid in call_ids:
        e = entries.get(cid)
        if e is None:
            if doc is None and rc == 0 and not timed_out:
                e = _error_entry(cid, "error", "ProtocolError", f"no valid results: {problem}")
            elif done:
                e = _error_entry(cid, "error", "ProtocolError",
                                 "the harness reported no result for this call")
            else:  # the sandbox died before reporting it: for the caller to decide
                unreported.append(cid)
                continue
        e["value"] = None
        if e["status"] == "ok":
            try:
                e["value"] = transport.read_payload(jobdir, f"result_{cid}", payload_limits)
            except transport.TransportError as exc:
                e.update(status="error", error_type="InvalidResult",
                         error_message=f"result rejected: {exc}")
        results.append(e)
    if in_progress not in call_ids and in_progress != LOAD_MARKER:
        in_progress = None
    return results, load, setup, in_progress if unreported else None, tuple(unreported), done


# ----------------------------------------------------------------------------------------------
# entry point


def _clean_outputs(jobdir: str) -> None:
    """Remove results of an earlier run so that they cannot be mistaken for this run's."""
    for entry in os.scandir(jobdir):
        n = entry.name
        if n in ("results.json", ".results.json.tmp") or (
            n.startswith(("result_", ".result_")) and n.endswith((".json", ".npz", ".tmp"))
        ):
            if not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)


def _count_uid_processes(uid: int) -> int:
    n = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    n += 1
            except OSError:
                pass
    return n


def _wait_for_uid_slots(uid: int, nproc: int, timeout: float = 3.0) -> None:
    """RLIMIT_NPROC counts every process of the uid, zombies included: after a fork bomb the
    killed processes are reaped by init a few ms later.  Wait (bounded) until the uid has room
    for a new job, otherwise exec would fail with EAGAIN."""
    end = time.monotonic() + timeout
    while _count_uid_processes(uid) + 8 > nproc and time.monotonic() < end:
        time.sleep(0.02)


def run_job(
    jobdir: str | os.PathLike,
    *,
    limits: Limits = Limits(),
    extra_ro_paths: Sequence[str | os.PathLike] = (),
    backend: str = "auto",
    uid: int = NOBODY,
    gid: int = NOBODY,
    pids_cgroup: bool | None = None,
    payload_limits: transport.PayloadLimits = transport.PayloadLimits(),
    _mode: str | None = None,
) -> JobResult:
    """Run the harness on ``jobdir`` (prepared with :func:`prepare_job`) and collect results.

    ``backend``: ``"auto"`` (bwrap if it works here, else fallback), ``"bwrap"`` (raise
    :class:`SandboxUnavailable` if it does not work) or ``"fallback"``.  ``uid``/``gid``: the
    unprivileged identity used when the grader is root.  ``pids_cgroup``: None = use a pids
    cgroup when root and available, False = never, True = require one.
    The returned ``results`` has one dict per call of job.json, in order (see the harness
    docs for the fields, plus ``value``: the decoded return value when ``status == "ok"``).
    """
    jobdir = os.path.realpath(os.fspath(jobdir))
    with open(os.path.join(jobdir, "job.json"), "rb") as f:  # trusted, read before the child runs
        spec = json.loads(f.read())
    call_ids = [c["id"] for c in spec["calls"]]
    extra = _dedupe_nested(os.fspath(p) for p in extra_ro_paths)
    root = os.geteuid() == 0

    if backend == "auto":
        backend = "bwrap" if _bwrap_mode(uid, gid) else "fallback"
    if backend == "bwrap":
        mode = _mode or _bwrap_mode(uid, gid)
        if mode is None:
            raise SandboxUnavailable("bubblewrap is not installed or does not work here")
    elif backend == "fallback":
        mode = _mode or _fallback_mode(uid, gid)
    else:
        raise ValueError(f"unknown backend {backend!r}")

    cgroup = None
    if pids_cgroup is not False and _pids_cgroup_base() is not None:
        cgroup = _PidsCgroup(limits.max_processes)
    elif pids_cgroup:
        raise SandboxUnavailable("no writable pids cgroup hierarchy")

    _clean_outputs(jobdir)
    t0 = time.monotonic()
    try:
        launch = _build_launch(backend, mode, jobdir, limits, extra, uid, gid, cgroup)
        if root:  # the child must be able to write JOBDIR (and read its inputs)
            owner = (uid, gid) if launch.run_uid == uid else (0, 0)
            os.chown(jobdir, *owner)
            os.chmod(jobdir, 0o700)
            for entry in os.scandir(jobdir):
                if entry.is_file(follow_symlinks=False):
                    os.lchown(entry.path, *owner)
        notes = list(launch.notes)
        if cgroup is not None:
            notes.append(f"processes: pids cgroup max={limits.max_processes}")
        elif launch.run_uid != 0:
            notes.append(f"processes: RLIMIT_NPROC={limits.max_processes} for uid "
                         f"{launch.run_uid} (shared by all its processes)")
        else:
            notes.append("processes: NOT limited (root, no pids cgroup); wall-time kill only")

        if root and cgroup is None and launch.run_uid == uid != 0:
            _wait_for_uid_slots(uid, limits.max_processes)
        try:
            proc = subprocess.Popen(
                launch.argv, env=launch.env, cwd=launch.cwd, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                close_fds=True, preexec_fn=functools.partial(_preexec, launch.plan))
        except (OSError, subprocess.SubprocessError) as exc:
            msg = f"sandbox failed to start: {exc}"
            return JobResult(None, False, msg, time.monotonic() - t0, "", "", [], backend,
                             isolation=tuple(notes), unreported=tuple(call_ids))

        def kill():
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            if cgroup is not None:
                cgroup.kill_all()

        timed_out, out, err = _supervise(proc, t0 + float(limits.wall_s),
                                         limits.max_output_bytes, kill)
        wall = time.monotonic() - t0
        rc = proc.returncode
    finally:
        if cgroup is not None:
            cgroup.kill_all()
            cgroup.remove()

    reason = _reason(rc, timed_out, limits, backend)
    results, load, setup, in_progress, unreported, done = _collect(
        jobdir, call_ids, payload_limits, rc, timed_out)
    if reason is None and unreported:
        reason = "the sandbox exited (status 0) before reporting every call"
    return JobResult(rc, timed_out, reason, wall, out, err, results, backend, load, setup,
                     tuple(notes), in_progress, unreported)
