"""One job inside the sandbox: the process the worker forks for it, which never runs student code.

It confines itself to its job's folder (a Landlock layer: other jobs of the same worker are out of
reach), adopts orphans (a child subreaper), reads the job (``job.json``, ``student.py``, the
``inputs`` payload, all written by the trusted side before the job started), imports the modules
the job needs, and sets the job's process budget. Then, for each graded function in turn, it forks
one process (:mod:`autograder.isolation.child`; ``parallel`` of them at once, default one), waits
for it under a deadline (the load time limit until the child says student.py is loaded, then the
sum of its calls' limits), keeps a bounded tail of what it writes to descriptors 1 and 2, kills it
if the deadline passes, and kills every process it left behind. A crash, ``os._exit`` or a timeout therefore costs that function
only. If student.py itself never finishes loading, the remaining functions are not started (they
would fail the same way).

It writes ``results.json`` (rewritten after each function)::

    {"version": 2, "done": bool, "in_progress": ["<function>", ...] | null, "load_failed": "<reason>" | null,
     "functions": [{"function", "dir", "loaded", "ended", "killed_for", "duration_s"}, ...],
     "output_tail": "<last bytes written to fd 1/2 by student code>"}

The calls' own results are in each function's folder (``f_<function>/entries.jsonl`` and payloads),
read by the trusted side directly.
"""
from __future__ import annotations

import importlib
import json
import os
import resource
import select
import signal
import time

from autograder.isolation import child, landlock, procs, transport

__all__ = ["run", "function_dir"]

_SLACK_S = 1.0


def function_dir(function: str) -> str:
    """The folder of one graded function's results (names are identifiers, so this is safe)."""
    return f"f_{function}"


class _Tail:
    def __init__(self, cap: int):
        self.cap, self.buf, self.total = max(int(cap), 0), bytearray(), 0

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


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return {signal.SIGXCPU: "CPU time limit exceeded (SIGXCPU)", signal.SIGXFSZ: "file size limit exceeded (SIGXFSZ)",
                signal.SIGSEGV: "crashed (segmentation fault)", signal.SIGABRT: "aborted (SIGABRT)",
                signal.SIGKILL: "killed by SIGKILL (CPU hard limit, memory, or a kill)"}.get(sig, f"killed by {name}")
    return f"exited with status {os.WEXITSTATUS(status)}"


def _drain(fd: int, tail: _Tail | None) -> bytes:
    """What is left to read on ``fd`` (its writer has ended); output goes to ``tail``."""
    got = b""
    try:
        while select.select([fd], [], [], 0)[0]:
            data = os.read(fd, 65536)
            if not data:
                break
            if tail is not None:
                tail.add(data)
            else:
                got += data[:16]
    except OSError:
        pass
    return got


class _Child:
    """One function's process while it runs: its descriptors, whether student.py loaded, its deadline."""

    def __init__(self, function: str, pid: int, out_r: int, prog_r: int, load_s: float, calls_s: float):
        self.function, self.pid, self.out_r, self.prog_r = function, pid, out_r, prog_r
        self.pidfd = os.pidfd_open(pid)
        self.t0 = time.monotonic()
        self.deadline = self.t0 + load_s + _SLACK_S
        self.calls_s = calls_s
        self.loaded, self.killed_for = False, None
        self.fds = [out_r, prog_r]

    def read(self, fd: int, tail: _Tail) -> None:
        data = os.read(fd, 65536)
        if not data:
            self.fds.remove(fd)
        elif fd == self.out_r:
            tail.add(data)
        elif not self.loaded and b"L" in data:
            self.loaded = True  # from now on, the calls' own time limits
            self.deadline = time.monotonic() + self.calls_s + _SLACK_S

    def stop(self) -> None:
        self.killed_for = "timeout" if self.loaded else "load-timeout"
        try:
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def finish(self, tail: _Tail) -> dict:
        _, status = os.waitpid(self.pid, 0)
        _drain(self.out_r, tail)  # what it wrote just before it ended
        if not self.loaded and b"L" in _drain(self.prog_r, None):
            self.loaded = True
        for fd in (self.out_r, self.prog_r, self.pidfd):
            os.close(fd)
        ended = "killed at its time limit" if self.killed_for else _describe_status(status)
        rec = {"function": self.function, "dir": function_dir(self.function), "loaded": self.loaded,
               "ended": ended, "killed_for": self.killed_for, "duration_s": round(time.monotonic() - self.t0, 4)}
        rec["load_timeout"] = bool(self.killed_for) or (os.WIFEXITED(status) and
                                                       os.WEXITSTATUS(status) == child.LOAD_TIMEOUT_EXIT)
        return rec


def _wait_any(running: dict[int, _Child], tail: _Tail) -> list[_Child]:
    """Wait until some function's process ended (or passed its deadline, then it is killed); returns those."""
    while True:
        now = time.monotonic()
        for c in running.values():
            if c.killed_for is None and now >= c.deadline:
                c.stop()
        fds = {fd: c for c in running.values() for fd in c.fds}
        pidfds = {c.pidfd: c for c in running.values()}
        wait = max(0.0, min(c.deadline for c in running.values() if c.killed_for is None) - now) \
            if any(c.killed_for is None for c in running.values()) else 1.0
        ready, _, _ = select.select(list(fds) + list(pidfds), [], [], wait)
        for fd in ready:
            if fd in fds:
                fds[fd].read(fd, tail)
        ended = [pidfds[fd] for fd in ready if fd in pidfds]
        if ended:
            return ended


class _Results:
    def __init__(self, jobdir: str):
        self.path = os.path.join(jobdir, "results.json")
        self.tmp = os.path.join(jobdir, ".results.json.tmp")
        self.doc = {"version": 2, "done": False, "in_progress": None, "load_failed": None, "functions": [],
                    "output_tail": ""}

    def flush(self) -> None:
        with open(self.tmp, "w", encoding="ascii") as f:
            f.write(json.dumps(self.doc, ensure_ascii=True))  # (json.dump would use the slow pure-Python encoder)
        os.replace(self.tmp, self.path)


def _prepare(jobdir: str, ctx: dict):
    spec = json.loads(transport.read_capped(os.path.join(jobdir, "job.json"), 16 << 20, "job.json"))
    source = transport.read_capped(os.path.join(jobdir, "student.py"), 16 << 20, "student.py")
    try:  # once, here: every function's process starts from the compiled code
        code = compile(source, child.STUDENT_FILE, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        code = exc  # raised where student.py would have run, and reported the same way
    inputs = transport.read_payload(jobdir, "inputs", transport.PayloadLimits(max_npz_bytes=1 << 30,
                                                                               max_array_bytes=1 << 30))
    for module in spec.get("preload") or ():
        try:
            importlib.import_module(module)
        except Exception:  # the student's own import will fail the same way, inside its process
            pass
    order: dict[str, list] = {}
    for call in spec["calls"]:
        order.setdefault(call["function"], []).append(call)
    return spec, code, inputs, order


def _start(jobdir: str, function: str, calls: list, code, inputs: dict, cctx: dict) -> _Child:
    """Fork the process of one graded function (see :mod:`autograder.isolation.child`)."""
    outdir = os.path.join(jobdir, function_dir(function))
    os.mkdir(outdir, 0o700)
    out_r, out_w = os.pipe()
    prog_r, prog_w = os.pipe()
    me = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            procs.die_with_parent(me)
            os.close(out_r)
            os.close(prog_r)
            forbidden = list(dict.fromkeys(p for c in calls for p in c.get("forbid") or ()))
            child.run(cctx, function, calls, code, inputs, forbidden, outdir, out_w, prog_w)
        finally:  # never back into the job's loop, whatever happened
            os._exit(71)
    os.close(out_w)
    os.close(prog_w)
    calls_s = sum(float(c.get("timeout_s") or 10.0) for c in calls)
    return _Child(function, pid, out_r, prog_r, cctx["load_timeout_s"], calls_s)


def run(jobdir: str, ctx: dict) -> None:
    """Run the job in ``jobdir`` (in the forked job process; never returns)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the worker's handler is not this process's
    devnull = os.open("/dev/null", os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # the worker's stdout is its channel to the grader: not for this process
    os.closerange(3, 1 << 16)
    procs.make_subreaper()
    procs.die_with_parent(ctx["worker_pid"])
    if ctx["landlock_abi"]:
        landlock.restrict(landlock.Rules(read=tuple(ctx["read"]) + ("/proc",), write=(jobdir,),
                                         write_files=("/dev/null",)), abi=ctx["landlock_abi"])
    results = _Results(jobdir)
    results.flush()
    spec, code, inputs, order = _prepare(jobdir, ctx)
    lim = spec["limits"]
    nproc = procs.count_uid_tasks() + int(lim["max_processes"])  # only this job's new processes count
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    cctx = dict(ctx, limits=lim, load_timeout_s=float(spec.get("load_timeout_s") or 10.0),
                capture_bytes=int(spec.get("capture_bytes") or 16384))
    tail = _Tail(int(lim["max_output_bytes"]))
    parallel = max(1, int(spec.get("parallel") or 1))
    pending, running = list(order.items()), {}
    while pending or running:
        while pending and len(running) < parallel and results.doc["load_failed"] is None:
            function, calls = pending.pop(0)
            running[function] = _start(jobdir, function, calls, code, inputs, cctx)
        if not running:
            break
        results.doc["in_progress"] = sorted(running)
        results.flush()
        for c in _wait_any(running, tail):
            del running[c.function]
            rec = c.finish(tail)
            procs.sweep(keep=tuple(r.pid for r in running.values()))  # what it left behind
            results.doc["functions"].append(rec)
            if not rec["loaded"] and results.doc["load_failed"] is None:  # the rest would fail the same way
                results.doc["load_failed"] = ("student.py did not finish loading within "
                                              f"{cctx['load_timeout_s']:g} s" if rec["load_timeout"] else rec["ended"])
        results.doc["in_progress"] = sorted(running) or None
        results.doc["output_tail"] = tail.text()
        results.flush()
    procs.sweep()
    results.doc["done"] = True
    results.flush()
    os._exit(0)
