"""A job as the trusted side writes it: the student's definitions, the calls, the inputs, the limits.

``<job>/student.py`` (the extracted definitions), ``<job>/inputs.pay`` (one
payload ``{call id: (args, kwargs)}``) and ``<job>/job.json``::

    {"calls": [{"id", "function", "timeout_s", "replace": {name: ref}, "forbid": [ref, ...]}, ...],
     "limits": {...}, "load_timeout_s": S, "capture_bytes": N, "preload": [module, ...]}

``preload`` names the modules the job's process imports before any student code runs (and before
the Landlock layer that hides the kit's sources from student code): those of the references and
every ``nnkit``/``autograder`` module the student's code imports.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from autograder.isolation import transport
from autograder.isolation.limits import Limits

__all__ = ["Call", "Job", "write_job"]

_ID_RE = re.compile(r"[A-Za-z0-9_.\-]{1,64}\Z")
_INPUT_LIMITS = transport.PayloadLimits(max_json_bytes=1 << 28, max_npz_bytes=1 << 31, max_array_bytes=1 << 31,
                                        max_arrays=1 << 20, max_nodes=10**8)
_KIT = ("nnkit", "autograder")


@dataclass(frozen=True)
class Call:
    """One call of a student function: ``replace`` binds names of the student's namespace to
    references (``"module:qualname"`` or ``{"factory": path, "args": [...]}``) for this call;
    ``forbid`` lists references that are unavailable while this function is graded."""

    id: str
    function: str
    args: Sequence[Any] = ()
    kwargs: dict = field(default_factory=dict)
    timeout_s: float = 10.0
    replace: dict = field(default_factory=dict)
    forbid: tuple = ()


@dataclass(frozen=True)
class Job:
    """One submission's work for a sandbox: ``source`` (the definitions) and its ``calls``; ``parallel``:
    how many graded functions may run at once (each in its own process, see :mod:`autograder.isolation.jobproc`)."""

    source: str
    calls: tuple[Call, ...]
    load_timeout_s: float | None = None
    capture_bytes: int = 16 * 1024
    #: graded functions run at once (each still in its own process): more than 1 only when cores are idle
    parallel: int = 1


_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w., \t]+))", re.MULTILINE)


def _kit_imports(source: str) -> list[str]:
    """The nnkit/autograder modules the source imports (and their parent packages), from its import
    lines (a missed one only fails the student's own import, inside the sandbox)."""
    names = []
    for frm, plain in _IMPORT.findall(source):
        names += [frm] if frm else [part.split()[0] for part in plain.split(",") if part.split()]
    out = []
    for n in names:
        parts = n.split(".")
        if parts[0] in _KIT and all(p.isidentifier() for p in parts):
            out += [".".join(parts[: i + 1]) for i in range(len(parts))]
    return out


def _ref_module(ref: Any) -> str | None:
    path = ref.get("factory") if isinstance(ref, dict) else ref
    return path.split(":")[0] if isinstance(path, str) and ":" in path else None


def write_job(folder: str, job: Job, limits: Limits, owner: int | None = None) -> list[tuple[str, str]]:
    """Write ``job`` into the new folder ``folder``; returns ``[(call id, function)]`` in order.

    ``owner``: the uid (and gid) that must own the folder (a root grader's sandbox uid).
    """
    seen = set()
    for c in job.calls:
        if type(c.id) is not str or not _ID_RE.match(c.id) or c.id in seen:
            raise ValueError(f"invalid or duplicate call id {c.id!r}")
        if type(c.function) is not str or not c.function.isidentifier():
            raise ValueError(f"invalid function name {c.function!r}")
        seen.add(c.id)
    os.mkdir(folder, 0o700)
    with open(os.path.join(folder, "student.py"), "w", encoding="utf-8") as f:
        f.write(job.source)
    transport.write_payload(folder, "inputs", {c.id: (tuple(c.args), dict(c.kwargs)) for c in job.calls},
                            _INPUT_LIMITS)
    preload = []
    for c in job.calls:
        preload += [m for m in map(_ref_module, list(c.replace.values()) + list(c.forbid)) if m]
    preload += _kit_imports(job.source)
    spec = {"calls": [{"id": c.id, "function": c.function, "timeout_s": float(c.timeout_s),
                       "replace": dict(c.replace), "forbid": list(c.forbid)} for c in job.calls],
            "limits": dataclasses.asdict(limits), "load_timeout_s": job.load_timeout_s,
            "capture_bytes": int(job.capture_bytes), "preload": list(dict.fromkeys(preload)),
            "parallel": max(1, int(job.parallel))}
    with open(os.path.join(folder, "job.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(spec))  # (json.dump would use the slow pure-Python encoder)
    if owner is not None:
        for name in [".", *os.listdir(folder)]:
            os.lchown(os.path.join(folder, name), owner, owner)
    return [(c.id, c.function) for c in job.calls]
