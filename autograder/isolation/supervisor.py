"""The trusted side's handle on one running sandbox: start it, talk to it, run a job, end it.

A :class:`Worker` is one sandbox (see :mod:`autograder.isolation.worker` for what runs inside): its
own private area, and as root its own leased uid and pids cgroup. It serves jobs one at a time:
each job gets a fresh folder in the area (written here, removed here after its results are read,
see :mod:`autograder.isolation.collect`). A job that exceeds its wall time is killed by the worker;
a worker that does not answer in time (wall time plus a margin) is killed whole: SIGTERM first (it
kills what it started), then SIGKILL of its process group, its pids cgroup and, for bwrap, its pid
namespace. :mod:`autograder.isolation.pool` keeps several warm and lends them out.
"""
from __future__ import annotations

import itertools
import json
import os
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Callable

from autograder.isolation import cgroup, jobs, launch, layout, probe, uids
from autograder.isolation.limits import Limits, Protections

if TYPE_CHECKING:  # (jobs are written and read with numpy: a sandbox starts without importing it)
    from autograder.isolation.jobfiles import Job

__all__ = ["JobResult", "Worker", "WorkerFailed"]

_READY_TIMEOUT_S = 60.0
_MARGIN_S = 5.0
_swept = threading.Event()


class WorkerFailed(RuntimeError):
    """A sandbox could not start (the message holds what it said); ``transient``: it did not answer in
    time, which says nothing about what this machine can do."""

    def __init__(self, message: str, transient: bool = False):
        super().__init__(message)
        self.transient = transient




@dataclass
class JobResult:
    """What came back from one job.

    ``results``: one dict per call in job order (validated fields, ``value`` = the decoded result
    when ``status == "ok"``); ``timed_out``: the job passed its wall time (``killed_reason`` says why it
    was stopped); ``unreported``: calls of functions that never started (the worker was
    killed), for the caller to run again; ``in_progress``: the call (or ``LOAD_MARKER``) that was
    running when the job was stopped; ``load``: the record of executing student.py;
    ``protections``: what isolated the job; ``stdout_tail``: what student code wrote straight to
    descriptors 1 and 2; ``stderr_tail``: the worker's own diagnostics; ``tamper``: what student
    code was seen trying (:mod:`autograder.isolation.watch`: claims, for the instructor only).
    """

    timed_out: bool
    killed_reason: str | None
    wall_s: float
    stdout_tail: str
    stderr_tail: str
    results: list[dict]
    backend: str
    protections: Protections | None = None
    load: dict | None = None
    in_progress: str | None = None
    unreported: tuple[str, ...] = ()
    tamper: tuple[str, ...] = ()

    @property
    def load_error(self) -> dict | None:
        """``{"error_type", "error_message", "lineno"}`` if student.py did not load cleanly, else None."""
        if self.load is not None and self.load.get("status") != "ok":
            return {k: self.load.get(k) for k in ("error_type", "error_message", "lineno")}
        return None


class _Tail:
    def __init__(self, cap: int = 65536):
        self.cap, self.buf = cap, bytearray()

    def add(self, data: bytes) -> None:
        self.buf += data
        del self.buf[: max(0, len(self.buf) - self.cap)]

    def text(self) -> str:
        return self.buf.decode("utf-8", "replace")


class Worker:
    """One running sandbox of ``backend``/``mode`` (see the module docstring)."""

    _names = itertools.count()

    def __init__(self, backend: str, mode: str, limits: Limits, stub_modules=(), preload=()):
        f = probe.facts()
        self.backend, self.mode = backend, mode
        self.lease, self.cgroup, self.area = None, None, None
        self.stderr = _Tail()
        self._buf = b""
        self._close_lock, self._closed = threading.Lock(), False
        self.ready: dict | None = None
        try:
            self.lease = uids.lease_uid(os.path.join(jobs.jobs_root(), "uids")) if f.root else None
            uid = self.lease.uid if self.lease else None
            if f.root and f.cgroup_version:
                self.cgroup = cgroup.PidsCgroup(limits.max_processes + 16)
            if not _swept.is_set():
                _swept.set()
                jobs.sweep_stale()
            self.area = jobs.new_area(owner=uid)
            layout.compile_packages()  # (once per process) the sandbox boots from bytecode
            self.launch = launch.build(backend, mode, self.area, uid, self.cgroup.procs if self.cgroup else None,
                                       landlock_abi=f.landlock_abi if backend != "unconfined" else 0,
                                       seccomp_ok=f.seccomp, tmp_bytes=limits.tmp_bytes, stub_modules=stub_modules,
                                       preload=preload)
            self.proc = subprocess.Popen(self.launch.argv, env=self.launch.env, cwd=self.launch.cwd,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         start_new_session=True, close_fds=True,
                                         preexec_fn=partial(_preexec, self.launch.plan))
        except BaseException:  # nothing of a sandbox that did not start stays behind
            self._release()
            raise
        for fd in (self.proc.stdout.fileno(), self.proc.stderr.fileno()):
            os.set_blocking(fd, False)

    # -------------------------------------------------------------- the line protocol
    def _read_line(self, deadline: float) -> dict | None:
        """The worker's next message, or None when it ended or the deadline passed."""
        out, err = self.proc.stdout.fileno(), self.proc.stderr.fileno()
        fds = [out, err]
        while b"\n" not in self._buf:
            wait = deadline - time.monotonic()
            if wait <= 0 or out not in fds:
                return None
            for fd in select.select(fds, [], [], wait)[0]:
                try:
                    data = os.read(fd, 65536)
                except BlockingIOError:
                    continue
                if not data:
                    fds.remove(fd)
                elif fd == out:
                    self._buf += data
                    if len(self._buf) > 1 << 20:
                        return None
                else:
                    self.stderr.add(data)
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            msg = json.loads(line)
        except ValueError:
            return None
        return msg if isinstance(msg, dict) else None

    def wait_ready(self, timeout: float = _READY_TIMEOUT_S) -> dict:
        if self.ready is None:
            deadline = time.monotonic() + timeout
            msg = self._read_line(deadline)
            if not msg or msg.get("ready") is not True:
                try:  # its output ended before the deadline: it is exiting, wait for its status
                    status = self.proc.wait(timeout=2.0) if time.monotonic() < deadline else self.proc.poll()
                except subprocess.TimeoutExpired:
                    status = None
                detail = (msg or {}).get("error") or self.stderr.text().strip()[-2000:] or \
                    f"no answer (exit status {status})"
                self.close()
                # still running at the deadline: a loaded machine, not a property of this machine
                raise WorkerFailed(detail, transient=status is None and msg is None)
            self.ready = msg
        return self.ready

    @property
    def protections(self) -> Protections:
        r = self.ready or {}
        ln = self.launch
        # the real uid (outside any user namespace): the lease as root, else the grader's own
        return Protections(self.backend, self.lease.uid if self.lease else os.getuid(),
                           self.lease is not None, ln.namespaces, int(r.get("landlock_abi") or 0),
                           bool(r.get("seccomp")), self.cgroup is not None, ln.processes, ln.network, tuple(ln.notes))

    def run(self, job: Job, limits: Limits, meanwhile: Callable[[], None] | None = None) -> JobResult:
        """Run one job; the worker is dead afterwards if ``alive`` is False. ``meanwhile`` is called once
        the job is sent, before its answer is awaited (an exception from it leaves the job running:
        the caller ends the worker)."""
        from autograder.isolation import collect
        from autograder.isolation.jobfiles import write_job

        self.wait_ready()
        t0 = time.monotonic()
        name = f"j{next(self._names)}"
        host = os.path.join(self.area, name)
        calls = write_job(host, job, limits, owner=self.lease.uid if self.lease else None)
        inside = f"/jobs/{name}" if self.backend == "bwrap" else host
        deadline = time.monotonic() + float(limits.wall_s) + _MARGIN_S
        try:
            self.proc.stdin.write((json.dumps({"job": inside, "wall_s": float(limits.wall_s)}) + "\n").encode())
            self.proc.stdin.flush()
            sent = True
        except OSError:
            sent = False
        if sent and meanwhile is not None:
            meanwhile()
        try:
            reply = self._read_line(deadline) if sent else None
        except OSError:
            reply = None
        if reply is None or reply.get("done") != inside:
            self.kill()
            reply = None
        got = collect.collect(host, calls, limits.max_result_bytes, reply)
        jobs.remove_tree(host)
        killed = reply is None or reply.get("status") != "finished"
        reason = None
        if killed:
            reason = (reply or {}).get("reason") or f"the sandbox died or stopped answering ({self.stderr.text()[-300:]})"
        return JobResult(bool(reply and reply.get("timed_out")), reason, time.monotonic() - t0, got["output_tail"],
                         self.stderr.text(), got["results"], self.backend, self.protections, got["load"],
                         got["in_progress"], got["unreported"], tuple(got.get("tamper") or ()))

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    # -------------------------------------------------------------- ending
    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)  # the worker kills what it started
                self.proc.wait(timeout=1.0)
            except (OSError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        if self.cgroup is not None:
            self.cgroup.kill_all()
        self.proc.wait()

    def close(self, now: bool = False) -> None:
        """End the sandbox and remove its area (idempotent; safe while another thread waits on it).
        ``now``: kill it at once instead of letting it finish its job and exit."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        if not now:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=2.0)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
        self._release()

    def _release(self) -> None:
        if self.cgroup is not None:
            self.cgroup.remove()
        if self.area is not None:
            jobs.remove_tree(self.area)
        if self.lease is not None:
            self.lease.release()


def _preexec(plan) -> None:
    from autograder.isolation.privdrop import preexec

    preexec(plan)
