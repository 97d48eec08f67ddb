"""Harness that runs INSIDE the sandbox: load student.py, call its functions, write plain data.

Usage: ``python -I -m autograder.isolation.harness JOBDIR`` (or ``python -I path/to/harness.py JOBDIR``;
it only needs numpy and the ``autograder`` package, found next to this file).

JOBDIR holds ``student.py``, ``job.json`` and the input payloads (see :mod:`autograder.isolation.transport`)::

    {"calls": [{"id": "c1", "function": "sigmoid", "args": "args_c1", "kwargs": "kwargs_c1",
                "timeout_s": 2.0,
                "replace": {"relu": "nnkit.activations:relu"},    # optional, see below
                "forbid": ["nnkit.activations:sigmoid"]}, ...],   # optional, see below
     "setup": "setup.py",          # optional: trusted helper code, see below
     "load_timeout_s": 10.0,        # optional: limit for executing student.py
     "capture_bytes": 16384}        # optional: stdout/stderr kept per call

``args`` names a payload holding a list/tuple, ``kwargs`` (optional/null) one holding a dict.

Setup semantics: ``setup.py`` is executed first, in its own namespace; then ``student.py`` runs
in a fresh module namespace (``student``); then the setup's globals (its ``__all__`` if defined,
else every name not starting with ``__``) are copied into the student namespace, *overriding*
student definitions of the same name.  So a student function that calls ``sigmoid`` gets the
reference ``sigmoid``, and reference functions keep calling the setup's own helpers.

Per call, ``replace`` binds names of the student namespace to reference objects for that call
only (``"module:qualname"``, imported in the sandbox, or ``{"factory": "module:qualname", "args":
[...]}`` bound to ``factory(*args)``), so a bug in one graded function does not cost the points of
another.  ``forbid`` lists functions that are unavailable during the call: their code is swapped
for code raising ``ReferenceUnavailable`` (so every alias, registry entry and closure of the same
function object raises), then restored.  The exception crosses back like any error; a student who
fakes it only loses points, so nothing about it needs to be trusted.

For each call: the function is looked up (``missing`` if absent or not callable), the inputs are
decoded (one pristine copy + one deep copy for the call), the call runs under a per-call timer
(``ITIMER_REAL`` raising a private BaseException, re-fired every 50 ms if the student swallows
it), with stdout/stderr captured (bounded) and warnings counted but never raised (filters are
reset to "always" + a counting ``showwarning`` for each call).  The result is written as payload
``result_<id>``, then ``results.json`` is rewritten atomically, so a crash loses only the call
in progress (named in ``"in_progress"``).  The entry is::

    {"id", "status": "ok"|"error"|"timeout"|"missing", "error_type", "error_message",
     "lineno", "stdout", "stderr", "stdout_truncated", "duration_s", "warnings",
     "inputs_modified", "modified_inputs": ["args[0]", "kwargs['x']"], "result"}

Threat model: everything in this process (including this module) is under the student's control
once student.py runs; it may monkeypatch the harness or write the result files itself.  The
output is therefore a *claim*; the trusted side validates the files strictly and compares
values itself.  The harness only has to be correct for honest-but-buggy code: infinite loops,
exceptions (even ``SystemExit``/``BaseException``), input mutation, huge output, warnings.
"""
from __future__ import annotations

import copy
import importlib
import io
import json
import os
import signal
import sys
import time
import types
import warnings

if __package__ in (None, ""):  # run by file path: make the package importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    from autograder.isolation import transport  # noqa: E402
else:
    from . import transport

import numpy as np

RESULTS = "results.json"
LOAD_MARKER = "<load student.py>"  # "in_progress" while student.py runs (see sandbox)
_DEFAULT_CAPTURE = 16 * 1024
_MSG_CHARS = 4000


class _CallTimeout(BaseException):
    """Raised by the SIGALRM handler; private so that student code cannot name it easily."""


_ARMED = [False]


def _on_alarm(signum, frame):
    if _ARMED[0]:
        raise _CallTimeout()


def _arm(seconds: float) -> None:
    signal.signal(signal.SIGALRM, _on_alarm)
    _ARMED[0] = True
    # fire again every 50 ms in case the student swallows the first exception
    signal.setitimer(signal.ITIMER_REAL, max(float(seconds), 0.001), 0.05)


def _disarm() -> None:
    _ARMED[0] = False
    signal.setitimer(signal.ITIMER_REAL, 0)


def _guarded(fn, seconds: float, default):
    """Run ``fn()`` (which may call student code, e.g. ``str(exc)``) under a short timer."""
    try:
        try:
            _arm(seconds)
            return fn()
        finally:
            _disarm()
    except BaseException:
        _disarm()
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


def _innermost_student_line(tb, filename: str):
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(exc: BaseException, filename: str) -> dict:
    etype = type(exc)
    name = etype.__name__ if type(etype.__name__) is str else "<exception>"
    msg = _guarded(lambda: str(exc), 1.0, "<str() of the exception failed>")
    if type(msg) is not str:
        msg = "<str() of the exception failed>"
    lineno = _innermost_student_line(exc.__traceback__, filename)
    if lineno is None and isinstance(exc, SyntaxError) and exc.filename == filename:
        lineno = exc.lineno if type(exc.lineno) is int else None
    return {"error_type": name[:200], "error_message": msg[:_MSG_CHARS], "lineno": lineno}


def _run_student_code(fn, timeout_s, capture_bytes, filename):
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
                        _arm(timeout_s)
                    value = fn()
                finally:
                    _disarm()
            finally:
                sys.stdout, sys.stderr = saved
    except _CallTimeout as exc:
        _disarm()
        status = "timeout"
        info = {
            "error_type": "Timeout",
            "error_message": f"did not finish within {timeout_s:g} s",
            "lineno": _innermost_student_line(exc.__traceback__, filename),
        }
    except BaseException as exc:  # SystemExit, KeyboardInterrupt, anything the student raises
        _disarm()
        status = "error"
        info = _describe(exc, filename)
    finally:
        _disarm()
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
    if t in (type(None), bool, int, str, transport.Unsupported):
        return a == b
    return False


def _modified_inputs(pristine_args, pristine_kwargs, args, kwargs) -> list[str]:
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


_MISSING = object()


def _resolve(path: str):
    """The object at ``"package.module:qualname"`` (imported inside the sandbox)."""
    if type(path) is not str or path.count(":") != 1:
        raise ValueError(f"invalid reference path {str(path)[:80]!r}")
    module, qual = path.split(":")
    obj = importlib.import_module(module)
    for part in qual.split("."):
        obj = getattr(obj, part)
    return obj


class ReferenceUnavailable(Exception):
    """Raised by a forbidden function (see ``forbid``): the graded function must compute itself."""


def _bound(value):
    """A ``replace`` entry: ``"module:qualname"`` or ``{"factory": path, "args": [...]}``."""
    if type(value) is dict:
        factory, args = value.get("factory"), value.get("args") or []
        if type(args) is not list:
            raise ValueError("factory args must be a list")
        return _resolve(factory)(*args)
    return _resolve(value)


def _raising_code(func, message: str):
    """A code object with ``func``'s free variables whose body raises ReferenceUnavailable."""
    names = func.__code__.co_freevars
    lines = ["def _outer():"] + [f"    {v} = None" for v in names] + [
        "    def _inner(*args, **kwargs):"] + ([f"        ({', '.join(names)},)"] if names else []) + [
        "        raise ('EXC')('MSG')", "    return _inner"]
    outer = compile("\n".join(lines), "<unavailable>", "exec").co_consts
    outer_code = next(c for c in outer if isinstance(c, types.CodeType))
    inner = next(c for c in outer_code.co_consts if isinstance(c, types.CodeType))
    consts = tuple(ReferenceUnavailable if c == "EXC" else message if c == "MSG" else c for c in inner.co_consts)
    return inner.replace(co_consts=consts, co_name=func.__code__.co_name)


class _Forbidden:
    """Makes functions unavailable for the duration of a ``with`` block, then restores them."""

    def __init__(self, paths):
        self.swaps = []
        for path in paths or ():
            func = _resolve(path)
            func = getattr(func, "__func__", func)
            if not isinstance(func, types.FunctionType):
                raise ValueError(f"forbid: {path!r} is not a Python function")
            msg = f"{path.replace(':', '.')} is not available while this function is graded"
            self.swaps.append((func, func.__code__, _raising_code(func, msg)))

    def __enter__(self):
        for func, _, blocked in self.swaps:
            func.__code__ = blocked
        return self

    def __exit__(self, *exc):
        for func, original, _ in self.swaps:
            func.__code__ = original
        return False


class _Job:
    def __init__(self, jobdir: str):
        self.jobdir = os.path.abspath(jobdir)
        self.student_file = os.path.join(self.jobdir, "student.py")
        self.doc = {"version": 1, "done": False, "in_progress": None, "setup": None,
                    "load": None, "calls": []}

    def flush(self) -> None:
        path = os.path.join(self.jobdir, RESULTS)
        tmp = os.path.join(self.jobdir, "." + RESULTS + ".tmp")
        data = json.dumps(self.doc, allow_nan=False, ensure_ascii=True).encode("ascii")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)


def _exec_file(path: str, module: types.ModuleType, timeout_s, capture, report_name: str):
    def load():
        with open(path, "rb") as f:
            source = f.read()
        code = compile(source, path, "exec", dont_inherit=True)
        exec(code, module.__dict__)

    status, _, info = _run_student_code(load, timeout_s, capture, path)
    info["status"] = status
    info["file"] = report_name
    return info


def _run_call(call: dict, student: types.ModuleType, inputs, capture: int, job: "_Job", limits) -> dict:
    cid = call["id"]
    entry = {"id": cid, "status": "error", "error_type": None, "error_message": None,
             "lineno": None, "stdout": "", "stderr": "", "stdout_truncated": False,
             "duration_s": 0.0, "warnings": 0, "inputs_modified": False,
             "modified_inputs": [], "result": None}
    fname = call["function"]
    fn = student.__dict__.get(fname)
    if fn is None or not callable(fn):
        entry["status"] = "missing"
        entry["error_type"] = "Missing"
        entry["error_message"] = (
            f"function {fname!r} is not defined" if fn is None
            else f"{fname!r} is not callable (it is a {transport._type_name(fn)})")
        return entry
    try:
        p_args = inputs(call.get("args"), "args")
        p_kwargs = inputs(call.get("kwargs"), "kwargs")
        args = copy.deepcopy(list(p_args))
        kwargs = copy.deepcopy(p_kwargs)
    except Exception as exc:
        entry["error_type"] = "InputError"
        entry["error_message"] = f"could not load inputs: {exc}"[:_MSG_CHARS]
        return entry

    saved: dict[str, object] = {}
    try:
        try:  # the other graded functions are their references, for this call only
            for name, value in (call.get("replace") or {}).items():
                ref = _bound(value)
                saved[name] = student.__dict__.get(name, _MISSING)
                student.__dict__[name] = ref
            forbidden = _Forbidden(call.get("forbid"))
        except Exception as exc:
            entry["error_type"] = "HarnessError"
            entry["error_message"] = f"cannot set up references: {exc}"[:_MSG_CHARS]
            return entry
        with forbidden:
            status, value, info = _run_student_code(
                lambda: fn(*args, **kwargs), call.get("timeout_s"), capture, job.student_file)
    finally:
        for name, old in saved.items():
            if old is _MISSING:
                student.__dict__.pop(name, None)
            else:
                student.__dict__[name] = old

    entry.update(info)
    entry["status"] = status
    changed = _modified_inputs(p_args, p_kwargs, args, kwargs)
    entry["inputs_modified"] = bool(changed)
    entry["modified_inputs"] = changed
    if status == "ok":
        name = f"result_{cid}"
        try:
            _arm(5.0)  # repr() of an unsupported object runs student code
            try:
                transport.write_payload(job.jobdir, name, value, limits)
            finally:
                _disarm()
            entry["result"] = name
        except _CallTimeout:
            _disarm()
            entry.update(status="error", error_type="ResultEncodingError",
                         error_message="encoding the result timed out")
        except BaseException as exc:
            _disarm()
            entry.update(status="error", error_type="ResultEncodingError",
                         error_message=f"cannot send the result back: "
                         f"{type(exc).__name__}: {exc}"[:_MSG_CHARS])
    return entry


class _Stub(types.ModuleType):
    """Stands in for a plotting/UI module: every attribute is this object, and calling it returns it.

    Graded functions compute values; a plot or widget call inside them must not cost seconds of
    imports (matplotlib alone takes ~0.5 s, with a fresh font cache in every sandbox) or fail.
    """

    __path__: list = []  # a package, so ``import matplotlib.pyplot`` works too

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __iter__(self):
        return iter(())


class _StubFinder:
    """A meta-path finder that serves :class:`_Stub` modules for the listed packages (dotted names:
    ``autograder.frontends`` stubs the front ends while the references under ``autograder.assignments``
    stay importable)."""

    def __init__(self, roots):
        self.roots = tuple(roots)

    def find_spec(self, fullname, path=None, target=None):
        import importlib.machinery

        if any(fullname == r or fullname.startswith(r + ".") for r in self.roots):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        return _Stub(spec.name)

    def exec_module(self, module):
        pass


def _install_stubs(roots) -> None:
    roots = [r for r in roots if isinstance(r, str) and all(p.isidentifier() for p in r.split("."))]
    if roots:
        sys.meta_path.insert(0, _StubFinder(roots))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if len(argv) != 1:
        print("usage: python -I -m autograder.isolation.harness JOBDIR", file=sys.stderr)
        return 2
    sys.dont_write_bytecode = True
    try:  # a result file over RLIMIT_FSIZE must fail with EFBIG, not kill us
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    except (AttributeError, ValueError, OSError):
        pass
    job = _Job(argv[0])
    os.chdir(job.jobdir)
    with open(os.path.join(job.jobdir, "job.json"), "rb") as f:
        spec = json.loads(f.read().decode("utf-8"))
    calls = spec["calls"]
    capture = int(spec.get("capture_bytes") or _DEFAULT_CAPTURE)
    load_timeout = spec.get("load_timeout_s")
    limits = transport.PayloadLimits()
    job.flush()

    student = types.ModuleType("student")
    student.__file__ = job.student_file
    sys.modules["student"] = student
    _install_stubs(spec.get("stub_modules") or ())

    setup_globals = None
    setup_name = spec.get("setup")
    if setup_name:
        if "/" in setup_name or setup_name.startswith("."):
            raise SystemExit("job.json: invalid setup file name")
        setup_mod = types.ModuleType("_autograder_setup")
        setup_path = os.path.join(job.jobdir, setup_name)
        setup_mod.__file__ = setup_path
        job.doc["setup"] = _exec_file(setup_path, setup_mod, None, capture, setup_name)
        setup_globals = setup_mod.__dict__

    job.doc["in_progress"] = LOAD_MARKER
    job.flush()
    job.doc["load"] = _exec_file(job.student_file, student, load_timeout, capture, "student.py")
    if setup_globals is not None:
        names = setup_globals.get("__all__")
        if not isinstance(names, (list, tuple)):
            names = [n for n in setup_globals if not n.startswith("__")]
        for n in names:
            if n in setup_globals:
                student.__dict__[n] = setup_globals[n]
    job.doc["in_progress"] = None
    job.flush()

    decoded: dict[str, object] = {}

    def inputs(name, kind):
        if name is None:
            return () if kind == "args" else {}
        if name not in decoded:
            decoded[name] = transport.read_payload(job.jobdir, name, limits)
        value = decoded[name]
        if kind == "args" and type(value) not in (list, tuple):
            raise transport.TransportError(f"{name}: args payload is not a list/tuple")
        if kind == "kwargs" and type(value) is not dict:
            raise transport.TransportError(f"{name}: kwargs payload is not a dict")
        return value

    timed_out: set[str] = set()
    for call in calls:
        job.doc["in_progress"] = call["id"]
        job.flush()
        if call.get("function") in timed_out:
            # One infinite loop is enough to know: don't spend a timeout on every case.
            entry = {"id": call["id"], "status": "skipped", "error_type": None,
                     "error_message": "not run: an earlier case of this function timed out"}
        else:
            entry = _run_call(call, student, inputs, capture, job, limits)
            if entry.get("status") == "timeout":
                timed_out.add(call.get("function"))
        job.doc["calls"].append(entry)
        job.doc["in_progress"] = None
        job.flush()

    job.doc["done"] = True
    job.flush()
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
