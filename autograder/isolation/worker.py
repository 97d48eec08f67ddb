"""The worker: the first process inside a sandbox, a warm "zygote" that forks one process per job.

Started by :mod:`autograder.isolation.pool` as ``python -I -B -c BOOT CONFIG`` (inside bwrap, or
directly for the Landlock backend). Before it says it is ready, and before any student code
exists, it confines itself (see :func:`_confine`): non-dumpable, child subreaper, Landlock (read
the system, the Python installation and the kit's packages; write only its own area; no TCP;
signals and abstract sockets scoped) and the seccomp filter; a protection the grader asked for
that cannot be applied stops it with the reason (never silently weaker). Then it imports numpy,
every nnkit module and the references, so none of that is paid per submission.

Protocol (one JSON object per line): the grader writes ``{"job": PATH, "wall_s": S}``; the worker
forks the job's process (:mod:`autograder.isolation.jobproc`), waits for it (killing it and every
process it left behind after ``wall_s``), empties the sandbox's private temporary folders, and answers ``{"done": PATH, "status": "finished" |
"killed", "reason": ...}``. Jobs run one at a time; each starts from the same pristine worker, so
nothing of one job (memory, processes, files outside its folder) survives into the next. End of
input, or SIGTERM, ends the worker after killing what is left.
"""
from __future__ import annotations

import json
import os
import re
import select
import signal
import sys
import time

__all__ = ["BOOT", "boot", "main"]

#: What ``python -I -B -c`` runs: put the kit's packages first on sys.path, then start the worker
#: (:func:`boot`).
BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); del sys.argv[1]; "
        "from autograder.isolation.worker import boot; boot(sys.argv[1])")
_JOB_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,80}\Z")


class _Stop(BaseException):
    pass


def _on_term(signum, frame):
    raise _Stop()


def _say(msg: dict) -> None:
    data = (json.dumps(msg) + "\n").encode()
    while data:
        data = data[os.write(1, data):]


def _confine(cfg: dict) -> dict:
    """Apply the sandbox-wide protections; returns what the job processes need to know."""
    from autograder.isolation import landlock, layout, procs, seccomp

    procs.make_undumpable()
    procs.make_subreaper()
    view = cfg["view"]
    read = list(view["read"]) + ["/dev/urandom"]
    abi = int(cfg["landlock"])
    if abi:
        landlock.restrict(landlock.Rules(read=tuple(read + view["packages"] + [view["lib"], "/proc"]),
                                         write=(view["area"],), write_files=("/dev/null",)), abi=abi)
    if cfg["seccomp"]:
        seccomp.install(seccomp.base_program())
        seccomp.student_program(0)  # built once here: every function's process forks with it ready
    child_read, child_list = layout.carve(read, view["packages"])
    return {"landlock_abi": abi, "seccomp": bool(cfg["seccomp"]), "worker_pid": os.getpid(),
            "wipe": [str(f) for f in cfg.get("wipe") or ()],
            "read": read + view["packages"] + [view["lib"]],
            "child_read": child_read, "child_list_only": child_list}


def _preload(cfg: dict) -> None:
    import importlib
    import pkgutil

    from autograder.isolation import stubs

    stubs.install_stubs(cfg.get("stub_modules") or ())
    import numpy  # noqa: F401 (imported once here, for every job)

    import nnkit

    for info in pkgutil.walk_packages(nnkit.__path__, "nnkit."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    for module in cfg.get("preload") or ():
        importlib.import_module(module)
    from autograder.isolation import jobproc  # noqa: F401 (the job's harness: not part of the first job's time)
    import gc

    gc.collect()
    gc.freeze()  # what is imported stays: forked processes neither scan nor copy it when they collect


def _run_job(path: str, wall_s: float, ctx: dict) -> dict:
    from autograder.isolation import jobproc, procs

    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            jobproc.run(path, ctx)
        except BaseException as exc:
            os.write(2, f"harness: job process failed: {type(exc).__name__}: {exc}\n".encode())
        finally:
            os._exit(70)
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd, 0], [], [], max(0.0, wall_s))
        if pidfd in ready:
            _, status = os.waitpid(pid, 0)
            reply = {"status": "finished", "reason": None if status == 0 else f"job process ended with {status}"}
        else:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            os.waitpid(pid, 0)
            reply = {"status": "killed", "reason": f"wall-time limit of {wall_s:g} s exceeded", "timed_out": True}
            if 0 in ready:
                reply.update(reason="the grader closed the connection", timed_out=False)
    finally:
        os.close(pidfd)
        procs.sweep()
        _wipe(ctx["wipe"])
    return dict(reply, done=path, seconds=round(time.monotonic() - t0, 4))


def _wipe(folders) -> None:
    """Empty the sandbox's own temporary folders between jobs (bwrap's private /tmp and /dev/shm:
    where Landlock is missing, student code could write there, and the next job must not find it)."""
    from autograder.isolation import jobs

    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            try:
                jobs.remove_tree(os.path.join(folder, name))
            except OSError:
                pass


def main(config: str) -> int:
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a file over RLIMIT_FSIZE fails with EFBIG instead
    sys.dont_write_bytecode = True
    try:
        cfg = json.loads(config)
        ctx = _confine(cfg)
        _preload(cfg)
    except _Stop:
        return 0
    except BaseException as exc:
        _say({"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        return 3
    area = os.path.normpath(cfg["view"]["area"])
    _say({"ready": True, "pid": os.getpid(), "uid": os.getuid(), "landlock_abi": ctx["landlock_abi"],
          "seccomp": ctx["seccomp"]})
    buf = b""
    try:
        while True:
            while b"\n" not in buf:
                data = os.read(0, 65536)
                if not data:
                    return 0
                buf += data
            line, buf = buf.split(b"\n", 1)
            cmd = json.loads(line)
            path = os.path.normpath(str(cmd.get("job", "")))
            if os.path.dirname(path) != area or not _JOB_NAME.match(os.path.basename(path)):
                _say({"done": cmd.get("job"), "status": "refused", "reason": "not a job folder of this worker"})
                continue
            _say(_run_job(path, float(cmd.get("wall_s") or 30.0), ctx))
    except _Stop:
        return 0
    finally:
        from autograder.isolation import procs

        procs.sweep()


def boot(config: str) -> None:
    """:func:`main`, then the process ends at once (``os._exit``), whichever way main ended: what Python
    buffered is flushed first, and no process is left (main sweeps them), while the interpreter's
    orderly teardown of numpy and the references took ~25 ms of every ``autograder check``, spent
    waiting for its sandbox to end."""
    try:
        status = main(config)
    except BaseException:  # noqa: BLE001 (a bug of the harness: its traceback goes to the grader's stderr tail)
        import traceback

        traceback.print_exc()
        status = 70
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)
