"""The process that runs student code: one per graded function of a job, forked by the job's process.

Before student.py runs, in this order (see :func:`run`): descriptors 0-2 go to ``/dev/null`` and
to a pipe the job's process reads (everything else is closed); the per-process limits (CPU time,
address space, file size, no core) are set; the function's forbidden references are made
unavailable for good (:mod:`autograder.isolation.forbid`); a Landlock layer allows reading only the
Python installation and the system libraries (not the ``nnkit``/``autograder`` sources, not
``/proc``) and writing only this function's folder (with its own ``TMPDIR``), with signals and
abstract sockets scoped to this process; a seccomp filter lets it signal only itself and open no
socket. Then
student.py runs in a fresh module ``student`` and the calls follow, each with the other graded
functions bound to their references. Results are written in the function's folder as plain data
(``entries.jsonl`` + one payload per call, and what :mod:`autograder.isolation.watch` saw student code
try); all of it is a claim the trusted side checks.
"""
from __future__ import annotations

import copy
import json
import os
import resource
import sys
import tempfile
import types

from autograder.isolation import capture, codec, forbid, landlock, seccomp, transport, watch

__all__ = ["LOAD_MARKER", "LOAD_TIMEOUT_EXIT", "run"]

LOAD_MARKER = "<load student.py>"
#: The file name student code is compiled under (tracebacks point at its lines).
STUDENT_FILE = "student.py"
#: The exit status of a process whose student.py did not finish loading in time.
LOAD_TIMEOUT_EXIT = 75


class _Entries:
    """``entries.jsonl`` of this function's folder: one line per record (the load, then each call),
    appended in one write each, so a crash loses at most the line being written (the reader drops it)."""

    def __init__(self, outdir: str):
        self.fd = os.open(os.path.join(outdir, "entries.jsonl"), os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC,
                          0o600)

    def add(self, kind: str, record: dict) -> None:
        data = (json.dumps({kind: record}, allow_nan=False, ensure_ascii=True) + "\n").encode("ascii")
        while data:
            data = data[os.write(self.fd, data):]


def _lock_down(ctx: dict, outdir: str, out_fd: int, progress_fd: int) -> int:
    """Descriptors, limits, environment; returns the progress descriptor's new number (3)."""
    devnull = os.open("/dev/null", os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    os.dup2(progress_fd, 3)
    os.closerange(4, 1 << 16)
    lim = ctx["limits"]
    cpu = max(1, int(-(-float(lim["cpu_s"]) // 1)))
    for res, value in ((resource.RLIMIT_CORE, 0), (resource.RLIMIT_AS, int(lim["memory_bytes"])),
                       (resource.RLIMIT_FSIZE, int(lim["max_file_bytes"]))):
        resource.setrlimit(res, (value, value))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    tmp = os.path.join(outdir, "tmp")
    os.makedirs(tmp, exist_ok=True)
    os.environ.update(TMPDIR=tmp, HOME=tmp)
    tempfile.tempdir = None
    os.chdir(outdir)
    return 3


def _confine(ctx: dict, outdir: str) -> None:
    """The Landlock layer and the signal filter of student code (see the module docstring)."""
    if ctx["landlock_abi"]:
        landlock.restrict(landlock.Rules(read=tuple(ctx["child_read"]), read_dir_only=tuple(ctx["child_list_only"]),
                                         write=(outdir,), write_files=("/dev/null",)), abi=ctx["landlock_abi"])
    if ctx["seccomp"]:
        seccomp.install(seccomp.student_program(os.getpid()))


def _run_call(call: dict, student: types.ModuleType, inputs: dict, capture_bytes: int, outdir: str,
              filename: str, load_note: str = "") -> dict:
    cid = call["id"]
    entry = {"id": cid, "status": "error", "error_type": None, "error_message": None, "lineno": None,
             "stdout": "", "stderr": "", "stdout_truncated": False, "duration_s": 0.0, "warnings": 0,
             "inputs_modified": False, "modified_inputs": [], "result": None}
    name = call["function"]
    fn = student.__dict__.get(name)
    if fn is None or not callable(fn):
        entry.update(status="missing", error_type="Missing", error_message=(
            f"function {name!r} is not defined{load_note}" if fn is None
            else f"{name!r} is not callable (it is a {codec.type_name(fn)})"))
        return entry
    try:
        p_args, p_kwargs = inputs[cid]
        args, kwargs = copy.deepcopy(list(p_args)), copy.deepcopy(p_kwargs)
    except Exception as exc:
        entry.update(error_type="InputError", error_message=f"could not load inputs: {exc}"[:capture.MSG_CHARS])
        return entry
    saved: dict = {}
    missing = object()
    try:
        try:  # the other graded functions are their references, for this call only
            for other, value in (call.get("replace") or {}).items():
                ref = forbid.bound(value)
                saved[other] = student.__dict__.get(other, missing)
                student.__dict__[other] = ref
        except Exception as exc:
            entry.update(error_type="HarnessError", error_message=f"cannot set up references: {exc}"[:capture.MSG_CHARS])
            return entry
        status, value, info = capture.run_student_code(lambda: fn(*args, **kwargs), call.get("timeout_s"),
                                                       capture_bytes, filename)
    finally:
        for other, old in saved.items():
            if old is missing:
                student.__dict__.pop(other, None)
            else:
                student.__dict__[other] = old
    entry.update(info, status=status)
    changed = capture.modified_inputs(p_args, p_kwargs, args, kwargs)
    entry.update(inputs_modified=bool(changed), modified_inputs=changed)
    if status == "ok":
        try:
            capture.arm(5.0)  # repr() of an unsupported object runs student code
            try:
                transport.write_payload(outdir, f"result_{cid}", value)
            finally:
                capture.disarm()
            entry["result"] = f"result_{cid}"
        except capture.CallTimeout:
            capture.disarm()
            entry.update(status="error", error_type="ResultEncodingError", error_message="encoding the result timed out")
        except BaseException as exc:
            capture.disarm()
            entry.update(status="error", error_type="ResultEncodingError",
                         error_message=f"cannot send the result back: {type(exc).__name__}: {exc}"[:capture.MSG_CHARS])
    return entry


def run(ctx: dict, function: str, calls: list[dict], code, inputs: dict, forbidden: list[str],
        outdir: str, out_fd: int, progress_fd: int) -> None:
    """Run ``calls`` of ``function`` on the student's compiled ``code`` (in the forked process; never returns)."""
    try:
        progress = _lock_down(ctx, outdir, out_fd, progress_fd)
        forbid.make_unavailable(forbidden)
        _confine(ctx, outdir)
    except BaseException as exc:  # the harness could not confine itself: student code must not run
        os.write(2, f"harness: cannot confine the process of {function}: {type(exc).__name__}: {exc}\n".encode())
        os._exit(70)
    entries = _Entries(outdir)
    # what student code is seen trying, for the instructor (autograder.isolation.watch)
    watch.start(outdir, tuple(ctx.get("child_read") or ()))
    filename = STUDENT_FILE
    student = types.ModuleType("student")
    student.__file__ = filename
    sys.modules["student"] = student
    def load():
        if isinstance(code, BaseException):  # it did not compile
            raise code
        exec(code, student.__dict__)

    status, _, info = capture.run_student_code(load, ctx["load_timeout_s"], ctx["capture_bytes"], filename)
    if status == "timeout":  # every function would wait the same way: the job stops here (see jobproc)
        os._exit(LOAD_TIMEOUT_EXIT)
    entries.add("load", dict(info, status=status, file="student.py"))
    load_note = "" if status == "ok" else (f" (running the notebook's definitions stopped at line {info['lineno']}: "
                                           f"{info['error_type']}: {info['error_message']})")[:capture.MSG_CHARS]
    try:
        os.write(progress, b"L")  # student.py is loaded: from now on the calls' time limits apply
    except OSError:
        pass
    timed_out = False
    for call in calls:
        if timed_out:  # one infinite loop is enough to know: don't spend a timeout on every case
            entry = {"id": call["id"], "status": "skipped", "error_type": None,
                     "error_message": "not run: an earlier case of this function timed out"}
        else:
            entry = _run_call(call, student, inputs, ctx["capture_bytes"], outdir, filename, load_note)
            timed_out = entry["status"] == "timeout"
        entries.add("call", entry)
    notes = watch.report()
    if notes:
        entries.add("tamper", notes)
    try:
        sys.stdout.flush()
    except BaseException:
        pass
    os._exit(0)
