"""Running student code inside the sandbox: a per-call timer, bounded output capture, warnings
counted (never raised), exceptions described without trusting them, and inputs checked for
in-place changes.

Everything here runs in the process that runs student code, so none of it is trusted: it only has
to be correct for honest-but-buggy code (infinite loops, exceptions even ``SystemExit``, input
mutation, huge output, warnings). The timer is ``ITIMER_REAL`` raising a private BaseException,
re-fired every 50 ms in case the student swallows it; the job's process kills the whole function's
process when even that does not stop it.
"""
from __future__ import annotations

import io
import signal
import sys
import time
import warnings

import numpy as np

from autograder.isolation import codec

__all__ = ["CallTimeout", "arm", "disarm", "guarded", "modified_inputs", "run_student_code"]

MSG_CHARS = 4000


class CallTimeout(BaseException):
    """Raised by the SIGALRM handler; private so that student code cannot name it easily."""


_ARMED = [False]


def _on_alarm(signum, frame):
    if _ARMED[0]:
        raise CallTimeout()


def arm(seconds: float) -> None:
    signal.signal(signal.SIGALRM, _on_alarm)
    _ARMED[0] = True
    # fire again every 50 ms in case the student swallows the first exception
    signal.setitimer(signal.ITIMER_REAL, max(float(seconds), 0.001), 0.05)


def disarm() -> None:
    _ARMED[0] = False
    signal.setitimer(signal.ITIMER_REAL, 0)


def guarded(fn, seconds: float, default):
    """Run ``fn()`` (which may call student code, e.g. ``str(exc)``) under a short timer."""
    try:
        try:
            arm(seconds)
            return fn()
        finally:
            disarm()
    except BaseException:
        disarm()
        return default


class _Capture(io.TextIOBase):
    """A bounded text sink used as sys.stdout / sys.stderr during student code."""

    def __init__(self, cap: int):
        self._cap = cap
        self._parts: list[str] = []
        self._n = 0
        self.truncated = False

    def write(self, s):
        if type(s) is not str:
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        room = self._cap - self._n
        if room > 0:
            part = s[:room]
            self._parts.append(part)
            self._n += len(part)
        if len(s) > max(room, 0):
            self.truncated = True
        return len(s)

    def writable(self):
        return True

    def isatty(self):
        return False

    def flush(self):
        pass

    @property
    def encoding(self):
        return "utf-8"

    def getvalue(self) -> str:
        return "".join(self._parts)


class _Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, *args, **kwargs):
        self.n += 1


def innermost_student_line(tb, filename: str):
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(exc: BaseException, filename: str) -> dict:
    etype = type(exc)
    name = etype.__name__ if type(etype.__name__) is str else "<exception>"
    msg = guarded(lambda: str(exc), 1.0, "<str() of the exception failed>")
    if type(msg) is not str:
        msg = "<str() of the exception failed>"
    lineno = innermost_student_line(exc.__traceback__, filename)
    if lineno is None and isinstance(exc, SyntaxError) and exc.filename == filename:
        lineno = exc.lineno if type(exc.lineno) is int else None
    return {"error_type": name[:200], "error_message": msg[:MSG_CHARS], "lineno": lineno}


def run_student_code(fn, timeout_s, capture_bytes, filename):
    """Run ``fn()`` with timer, output capture and warning counting. Returns (status, value, info)."""
    out, err, counter = _Capture(capture_bytes), _Capture(capture_bytes), _Counter()
    info: dict = {"error_type": None, "error_message": None, "lineno": None}
    status, value = "ok", None
    saved = sys.stdout, sys.stderr
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.resetwarnings()
            warnings.simplefilter("always")
            warnings.showwarning = counter
            sys.stdout, sys.stderr = out, err
            try:
                try:
                    if timeout_s is not None:
                        arm(timeout_s)
                    value = fn()
                finally:
                    disarm()
            finally:
                sys.stdout, sys.stderr = saved
    except CallTimeout as exc:
        disarm()
        status = "timeout"
        info = {
            "error_type": "Timeout",
            "error_message": f"did not finish within {timeout_s:g} s",
            "lineno": innermost_student_line(exc.__traceback__, filename),
        }
    except BaseException as exc:  # SystemExit, KeyboardInterrupt, anything the student raises
        disarm()
        status = "error"
        info = _describe(exc, filename)
    finally:
        disarm()
        sys.stdout, sys.stderr = saved
    info.update(
        duration_s=time.perf_counter() - t0,
        stdout=out.getvalue(),
        stderr=err.getvalue(),
        stdout_truncated=out.truncated or err.truncated,
        warnings=counter.n,
    )
    return status, value, info


def _same(a, b) -> bool:
    """Structural equality of plain data without calling methods of foreign objects."""
    if type(a) is not type(b):
        return False
    t = type(a)
    if t is np.ndarray:
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.dtype.kind in "fc":
            return bool(np.array_equal(a, b, equal_nan=True))
        return bool(np.array_equal(a, b))
    if t is list or t is tuple:
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if t is dict:
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if t is float:
        return a == b or (a != a and b != b)
    if isinstance(a, np.generic):
        return _same(np.asarray(a), np.asarray(b))
    if t in (type(None), bool, int, str, codec.Unsupported):
        return a == b
    return False


def modified_inputs(pristine_args, pristine_kwargs, args, kwargs) -> list[str]:
    changed = []
    try:
        for i, (p, a) in enumerate(zip(pristine_args, args)):
            if not _same(p, a):
                changed.append(f"args[{i}]")
        for k in pristine_kwargs:
            if not _same(pristine_kwargs[k], kwargs.get(k)):
                changed.append(f"kwargs[{k!r}]")
    except BaseException:
        changed.append("<comparison failed>")
    return changed
