"""Extraction in a bounded child process: a crafted notebook costs the grader bounded CPU time,
memory and wall time, never a hang or a crash.

Reading a notebook (JSON parsing, IPython's translation of magics, ``ast``) can be driven into
minutes of CPU or gigabytes of memory by a small file: measured in the grader before this module,
a 3.2 MiB notebook holding one literal list of 1.7 million zeros took 23 s and 1.6 GiB, and one
cell of 400 ``%time`` lines took 16 s (IPython re-tokenizes the whole cell after each magic).
Here that work runs in a child forked from the grader:

- the child inherits the notebook (bytes or an already parsed dict) and IPython, imported once in
  the grader before the first fork, so a notebook costs one ``fork``, not a new interpreter;
- in the child: ``RLIMIT_CPU`` (:attr:`ExtractionLimits.cpu_s`), ``RLIMIT_AS`` (the address space
  the grader already maps plus :attr:`ExtractionLimits.memory_mib`), no core dumps, stdio on
  ``/dev/null``, every other inherited descriptor closed, default signal handlers;
- the parent keeps a wall-clock deadline (:attr:`ExtractionLimits.wall_s`) and kills the child
  past it, and reads at most a bounded amount of output;
- the child answers with plain JSON lines: ``P cell 3`` before each cell (so a child killed by a
  limit is reported with the cell it was reading), then ``R {StudentCode fields}`` or
  ``E "message"``. Nothing is unpickled.

Exceeding a limit is a :class:`~autograder.grading.extract.SubmissionError` for that submission,
naming the cell: "cell 3 is too large or too complex to read (...)". Where ``os.fork`` does not
exist (Windows), extraction runs in the grader, unbounded.

The grader may have other threads (class grading uses a thread pool): the child only parses with
modules imported before the fork and takes no lock another thread could hold, and a child stuck
anyway is killed at the wall deadline.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import select
import signal
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from autograder.grading.extract import (StudentCode, SubmissionError, check_notebook, decode_notebook, extract_code,
                                        read_submission, too_complex)

__all__ = ["ExtractionLimits", "LIMITS", "Reading", "extract_file", "start_file", "extract_bytes", "extract_parsed",
           "run_bounded"]

#: Longest progress line kept (a stage is "file" or "cell N").
_MAX_STAGE = 40


@dataclass(frozen=True)
class ExtractionLimits:
    """Bounds of reading one notebook. ``memory_mib`` is added to what the grader already maps."""

    cpu_s: int = 5
    memory_mib: int = 512
    wall_s: float = 60.0
    #: the extracted definitions, as JSON, may not exceed this (the sandbox compiles them)
    max_code_bytes: int = 4 << 20

    def __post_init__(self):
        if self.cpu_s < 1 or self.memory_mib < 16 or self.wall_s <= 0 or self.max_code_bytes < 1024:
            raise ValueError(f"ExtractionLimits out of range: {self} (cpu_s >= 1, memory_mib >= 16, wall_s > 0, "
                             "max_code_bytes >= 1024)")


LIMITS = ExtractionLimits()


# ----------------------------------------------------------------------------- public entry points
def extract_file(path: str | Path, *, within: str | Path | None = None, limits: ExtractionLimits = LIMITS
                 ) -> StudentCode:
    """Read ``path`` safely (no links below ``within``, size checked first) and extract it, bounded."""
    return start_file(path, within=within, limits=limits).result()


def start_file(path: str | Path, *, within: str | Path | None = None, limits: ExtractionLimits = LIMITS) -> Reading:
    """:func:`extract_file` started: the bounded child reads the notebook while the caller goes on (``autograder
    check`` imports numpy meanwhile); :meth:`Reading.result` gives the code, or raises what
    :func:`extract_file` would have raised."""
    try:
        raw = read_submission(path, within=within)
    except SubmissionError as exc:
        return Reading(Path(path).name, error=exc)
    return Reading(Path(path).name, _bytes_task(raw, Path(path).name), limits)


def extract_bytes(raw: bytes, name: str = "notebook", limits: ExtractionLimits = LIMITS) -> StudentCode:
    """Decode, parse and extract notebook bytes in a bounded child."""
    return run_bounded(_bytes_task(raw, name), limits)


def _bytes_task(raw: bytes, name: str):
    def task(progress):
        progress("file")
        nb = decode_notebook(raw, name)
        return extract_code(nb, progress)
    return task


def extract_parsed(nb: dict, name: str = "notebook", limits: ExtractionLimits = LIMITS) -> StudentCode:
    """Extract an already parsed notebook (nbgrader's) in a bounded child; ``nb`` is not modified."""
    def task(progress):
        progress("file")
        return extract_code(check_notebook(nb, name), progress)
    return run_bounded(task, limits)


def run_bounded(task: Callable[[Callable[[str], None]], StudentCode], limits: ExtractionLimits = LIMITS
                ) -> StudentCode:
    """Run ``task(progress)`` in a forked child under ``limits``; its StudentCode comes back as JSON.

    Raises :class:`SubmissionError` for what the task raises as such, and for a limit exceeded.
    """
    return Reading("notebook", task, limits).result()


class Reading:
    """A notebook being read: ``task(progress)`` runs in a bounded child from construction on (or, given
    ``error``, the reading already failed); :meth:`result` waits for it, once."""

    def __init__(self, name: str, task: Callable[[Callable[[str], None]], StudentCode] | None = None,
                 limits: ExtractionLimits = LIMITS, error: SubmissionError | None = None):
        self.name, self.limits, self._error, self._code = name, limits, error, None
        self._pid = self._r = None
        if error is not None:
            return
        if not hasattr(os, "fork"):  # (Windows: in this process, unbounded)
            try:
                self._code = task(lambda stage: None)
            except SubmissionError as exc:
                self._error = exc
            return
        _prepare()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover (runs in the child, which always leaves through os._exit)
            _child(task, limits, r, w)
        os.close(w)
        self._pid, self._r, self._started = pid, r, time.monotonic()

    def result(self) -> StudentCode:
        """The student's code; raises :class:`SubmissionError` for what the reading raised as such, and
        for a limit exceeded."""
        if self._pid is not None:
            pid, r, self._pid = self._pid, self._r, None
            try:
                lines, killed = _collect(r, pid, self.limits, self._started)
            finally:
                os.close(r)
            status = _reap(pid, self.limits, force=killed is not None)
            try:
                self._code = _decode(lines, status, killed, self.limits)
            except SubmissionError as exc:
                self._error = exc
        if self._error is not None:
            raise self._error
        if self._code is None:
            raise RuntimeError("this notebook reading already failed")
        return self._code


# ----------------------------------------------------------------------------- the child
@functools.cache
def _prepare() -> None:
    """Warm up the extraction in the grader, once, so that no child compiles the same patterns again."""
    _warm("import math\n%time x = 1\n!true\nN = (1, 'a')\ndef f(y):\n    return math.sqrt(y)\n")


@functools.cache
def warm_translator() -> None:
    """Import (and warm up) IPython's translator here, once: worth it before reading many notebooks,
    so that no reader child of a cell with IPython-only syntax (``x = !ls``, ``f?``) imports it
    (0.15 s each). A single notebook is read without it, unless it needs it."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager  # noqa: F401
    except ImportError:  # without IPython, cells with magics are reported as unreadable
        return
    _warm("x = 1\nx?\n")


def _warm(source: str) -> None:
    cell = {"cell_type": "code", "metadata": {}, "source": source}
    try:
        extract_code(check_notebook({"nbformat": 4, "cells": [cell]}))
    except SubmissionError:  # pragma: no cover (a fixed, valid notebook)
        pass


def _vm_size() -> int | None:
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _confine(limits: ExtractionLimits, keep: int) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGXCPU, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    top = soft if 0 < soft < (1 << 20) else 65536
    os.closerange(3, keep)  # nothing the grader holds (other jobs' pipes, the gradebook) stays open
    os.closerange(keep + 1, top)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))
    vm = _vm_size()
    if vm is not None:
        cap = vm + (limits.memory_mib << 20)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    warnings.simplefilter("ignore")  # e.g. SyntaxWarning from ast.parse: nobody reads the child's stderr


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 1 << 20 else f"{n / 1024:.0f} KiB"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _child(task, limits: ExtractionLimits, r: int, w: int) -> None:  # pragma: no cover (child process)
    code = 70
    try:
        os.close(r)
        _confine(limits, keep=w)

        def progress(stage: str) -> None:
            _write_all(w, b"P " + stage[:_MAX_STAGE].encode() + b"\n")

        try:
            student = task(progress)
            payload = json.dumps({"source": student.source, "defined": student.defined, "problems": student.problems,
                                  "where": student.where, "line_map": student.line_map},
                                  ensure_ascii=False).encode("utf-8")
            if len(payload) > limits.max_code_bytes:
                raise SubmissionError(
                    f"The definitions in your notebook are {_size(len(payload))} of code, above the "
                    f"{_size(limits.max_code_bytes)} limit: remove large data written into cells (a "
                    "literal of thousands of values), save and submit again.")
            _write_all(w, b"R " + payload + b"\n")
        except SubmissionError as exc:
            _write_all(w, b"E " + json.dumps(str(exc)).encode() + b"\n")
        code = 0
    except MemoryError:
        code = 3
    except BaseException:  # noqa: BLE001 (reported by the parent from the exit status)
        code = 71
    finally:
        os._exit(code)


# ----------------------------------------------------------------------------- the parent
def _collect(r: int, pid: int, limits: ExtractionLimits, started: float) -> tuple[list[bytes], str | None]:
    """Read the child's lines until its final line, EOF, the deadline (``limits.wall_s`` after ``started``, a
    ``time.monotonic()``) or too much output."""
    deadline = started + limits.wall_s
    cap = limits.max_code_bytes + (1 << 20)
    buf = bytearray()
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([r], [], [], max(left, 0.0))
        if not ready:  # (past the deadline, what the child wrote in time is still read: a reading
            if left <= 0:  # started early may be collected late)
                return buf.split(b"\n"), "wall"
            continue
        chunk = os.read(r, 1 << 16)
        if not chunk:
            return buf.split(b"\n"), None
        buf += chunk
        if len(buf) > cap:
            return buf.split(b"\n"), "output"
        if buf.endswith(b"\n") and buf[buf.rfind(b"\n", 0, len(buf) - 1) + 1:][:2] in (b"R ", b"E "):
            return buf.split(b"\n"), None


def _reap(pid: int, limits: ExtractionLimits, force: bool) -> int:
    """Wait for the child (killing it if asked, or if it does not exit promptly); its wait status."""
    if force:
        _kill(pid)
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:  # (no pidfd before Linux 5.3: poll)
        pidfd = None
    deadline = time.monotonic() + (2.0 if not force else 10.0)
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            left = deadline - time.monotonic()
            if left <= 0:
                _kill(pid)
                return os.waitpid(pid, 0)[1]
            if pidfd is None:
                time.sleep(0.002)
            else:
                select.select([pidfd], [], [], left)  # readable when the child has ended
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _decode(lines: list[bytes], status: int, killed: str | None, limits: ExtractionLimits) -> StudentCode:
    stage = "file"
    for line in lines:
        if line.startswith(b"P "):
            stage = line[2:2 + _MAX_STAGE].decode("ascii", "replace")
        elif line.startswith(b"E "):
            raise SubmissionError(json.loads(line[2:]))
        elif line.startswith(b"R "):
            return _student_code(json.loads(line[2:]))
    if killed == "wall":
        raise too_complex(stage, f"reading it did not finish within {limits.wall_s:g} s")
    if killed == "output":
        raise too_complex(stage, f"its definitions are above {_size(limits.max_code_bytes)}")
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if sig in (signal.SIGXCPU, signal.SIGKILL):
        raise too_complex(stage, f"reading it needs more than {limits.cpu_s} s of CPU time")
    if sig is not None:  # e.g. the C stack overflowing on a deeply nested construct
        raise too_complex(stage, f"reading it crashed the reader with signal {sig}")
    if os.WEXITSTATUS(status) == 3:
        raise too_complex(stage, f"reading it needs more than {limits.memory_mib} MiB of memory")
    raise RuntimeError(f"the notebook reader stopped at {stage} without an answer (exit status "
                       f"{os.WEXITSTATUS(status)})")


def _student_code(d) -> StudentCode:
    """Check the child's JSON field by field (it is our own output, but typed across the boundary)."""
    ok = (isinstance(d, dict) and isinstance(d.get("source"), str)
          and all(isinstance(d.get(k), list) and all(isinstance(x, str) for x in d[k]) for k in ("defined", "problems"))
          and isinstance(d.get("where"), dict) and all(isinstance(v, str) for v in d["where"].values())
          and isinstance(d.get("line_map"), list)
          and all(isinstance(p, list) and len(p) == 2 and all(type(x) is int for x in p) for p in d["line_map"]))
    if not ok:
        raise RuntimeError("the notebook reader answered with malformed data")
    return StudentCode(d["source"], d["defined"], d["problems"], dict(d["where"]),
                       [(a, b) for a, b in d["line_map"]])
