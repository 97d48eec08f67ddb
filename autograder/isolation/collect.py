"""Reading a job's results on the trusted side: every file is a claim, validated under caps.

Nothing a job wrote can raise an exception here: a bad file becomes an ``"error"`` entry for the
calls it concerns, with the reason. The job's folder is opened once without following symlinks and
every file is read relative to it (``O_NOFOLLOW``, regular files only, sizes checked before
reading), so a symlink or FIFO planted by student code reads nothing. Results are capped per
call (:class:`~autograder.isolation.transport.PayloadLimits`) *and* per submission
(``Limits.max_result_bytes`` over all its payload files). Calls a function's process never
reported are explained from what its job process saw: the first one crashed (with the reason) or
timed out, the rest were skipped; calls of functions that never started are ``unreported`` (for
the engine to run again).
"""
from __future__ import annotations

import math
import os
from typing import Any

from autograder.isolation import transport
from autograder.isolation.jobproc import function_dir

__all__ = ["collect", "STATUSES"]

STATUSES = ("ok", "error", "timeout", "missing", "skipped")
_ENTRY_BYTES = 256 << 10


def _clip(v: Any, n: int) -> str | None:
    return None if v is None else v[:n]


def validate_entry(e: Any, cid: str, need_result: bool = True) -> dict:
    """Copy the known fields of a reported entry, checking types. Raises ValueError."""
    if type(e) is not dict:
        raise ValueError("entry is not an object")

    def get(key, types, default=None):
        v = e.get(key, default)
        if v is not None and type(v) not in types:
            raise ValueError(f"field {key!r} has type {type(v).__name__}")
        return v

    status = get("status", (str,))
    if status not in STATUSES:
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
    return {"id": cid, "status": status, "error_type": _clip(get("error_type", (str,)), 200),
            "error_message": _clip(get("error_message", (str,)), 4000), "lineno": lineno,
            "stdout": _clip(get("stdout", (str,), ""), 65536), "stderr": _clip(get("stderr", (str,), ""), 65536),
            "stdout_truncated": bool(get("stdout_truncated", (bool,), False)), "duration_s": float(dur),
            "warnings": max(0, warn), "inputs_modified": bool(get("inputs_modified", (bool,), False)),
            "modified_inputs": [m[:200] for m in mods[:100]]}


def validate_info(e: Any) -> dict | None:
    """The load record (a call entry's fields without id, inputs or result), validated."""
    if e is None:
        return None
    try:
        out = validate_entry(e, "", need_result=False)
    except ValueError as exc:
        return {"status": "error", "error_type": "ProtocolError", "error_message": f"invalid load record: {exc}"}
    for k in ("id", "inputs_modified", "modified_inputs"):
        out.pop(k, None)
    return out


def error_entry(cid: str, status: str, etype: str | None, msg: str) -> dict:
    return {"id": cid, "status": status, "error_type": etype, "error_message": msg, "lineno": None, "stdout": "",
            "stderr": "", "stdout_truncated": False, "duration_s": 0.0, "warnings": 0, "inputs_modified": False,
            "modified_inputs": [], "value": None}


def _read_json(name: str, cap: int, dir_fd: int) -> Any:
    raw = transport.read_capped(name, cap, name, dir_fd)
    return transport.loads_json(raw, transport.PayloadLimits(max_json_bytes=cap), name)


def _open_dir(name: str, dir_fd: int | None) -> int | None:
    try:
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError:
        return None


class _Budget:
    """The bytes of result payloads one submission may still send (``Limits.max_result_bytes``)."""

    def __init__(self, total: int, per_result: transport.PayloadLimits):
        self.total, self.left, self.per_result = int(total), int(total), per_result

    def read(self, dir_fd: int, name: str) -> Any:
        try:
            size = os.stat(name + transport.SUFFIX, dir_fd=dir_fd, follow_symlinks=False).st_size
        except OSError:
            size = 0
        if size > self.left:
            raise transport.TransportError(f"the results of this submission exceed {self.total} bytes together")
        value = transport.read_payload(None, name, self.per_result, dir_fd=dir_fd)
        self.left -= size
        return value


def _read_entries(sub: int, n_calls: int) -> tuple[list, Any, list[str]]:
    """The records of ``entries.jsonl`` (a last line cut by a crash is dropped): the calls, the load
    record, and the notes of what student code was seen trying (at most 20 short texts)."""
    cap = _ENTRY_BYTES * (n_calls + 2)
    raw = transport.read_capped("entries.jsonl", cap, "entries.jsonl", sub)
    lines = raw.split(b"\n")
    records, load, notes = [], None, []
    limits = transport.PayloadLimits(max_json_bytes=cap)
    for i, line in enumerate(lines[: n_calls + 3]):
        if not line.strip():
            continue
        try:
            rec = transport.loads_json(line, limits, "entries.jsonl")
        except transport.TransportError:
            if i == len(lines) - 1:  # the line being written when the process ended
                break
            raise
        if type(rec) is not dict or len(rec) != 1:
            raise transport.TransportError("entries.jsonl holds a record of an unknown kind")
        if "load" in rec:
            load = rec["load"] if load is None else load
        elif "call" in rec:
            records.append(rec["call"])
        elif "tamper" in rec and type(rec["tamper"]) is list:
            notes = [n[:160] for n in rec["tamper"][:20] if type(n) is str]
    return records, load, notes


def _function_results(calls: list[str], record: dict, dir_fd: int, budget: _Budget
                      ) -> tuple[list, dict | None, list[str]]:
    """The entries of one function's calls (``calls``: ids in order), its load record and notes."""
    sub = _open_dir(function_dir(record["function"]), dir_fd)
    entries, load, problem, notes = {}, None, None, []
    try:
        if sub is None:
            problem = "its results folder is missing or not a folder"
        else:
            reported, load, notes = _read_entries(sub, len(calls))
            for raw in reported:
                cid = raw.get("id") if type(raw) is dict else None
                if type(cid) is not str or cid not in calls:
                    continue
                if cid in entries:
                    entries[cid] = error_entry(cid, "error", "ProtocolError", "this call was reported twice")
                    continue
                try:
                    entries[cid] = dict(validate_entry(raw, cid), value=None)
                except ValueError as exc:
                    entries[cid] = error_entry(cid, "error", "ProtocolError", f"invalid result entry: {exc}")
    except transport.TransportError as exc:
        problem = str(exc)
    out, first_missing = [], True
    for cid in calls:
        e = entries.get(cid)
        if e is None:
            if problem is not None and not record.get("killed_for") and record.get("ended") == "exited with status 0":
                e = error_entry(cid, "error", "ProtocolError", f"no valid results: {problem}")
            elif first_missing:
                if record.get("killed_for") == "timeout":
                    e = error_entry(cid, "timeout", "Timeout", "did not finish in time (its process was stopped)")
                else:
                    e = error_entry(cid, "crashed", None, f"the process running it {record.get('ended')}")
                first_missing = False
            else:
                e = error_entry(cid, "skipped", None, "not run: an earlier case of this function did not finish")
        elif e["status"] == "ok" and sub is not None:
            try:
                e["value"] = budget.read(sub, f"result_{cid}")
            except transport.TransportError as exc:
                e.update(status="error", error_type="InvalidResult", error_message=f"result rejected: {exc}")
        out.append(e)
    if sub is not None:
        os.close(sub)
    return out, load, notes


def collect(jobdir: str, calls: list[tuple[str, str]], max_result_bytes: int, worker_reply: dict | None,
            payload_limits: transport.PayloadLimits = transport.PayloadLimits()) -> dict:
    """Read a finished job. ``calls``: ``(id, function)`` in job order; ``worker_reply``: what the
    worker answered (None if it died). Returns the fields of a JobResult (see :mod:`autograder.isolation.pool`)."""
    from autograder.isolation.child import LOAD_MARKER

    out = {"results": [], "unreported": (), "in_progress": None, "load": None, "output_tail": "", "done": False,
           "tamper": []}
    dir_fd = _open_dir(jobdir, None)
    doc: Any = None
    if dir_fd is not None:
        try:
            doc = _read_json("results.json", 4 << 20, dir_fd)
            if type(doc) is not dict or type(doc.get("functions")) is not list:
                doc = None
        except transport.TransportError:
            doc = None
    doc = doc or {}
    records = {}
    for rec in doc.get("functions") or ():
        if type(rec) is dict and type(rec.get("function")) is str and rec["function"].isidentifier():
            records.setdefault(rec["function"], {k: rec.get(k) for k in ("function", "loaded", "ended", "killed_for")})
    tail = doc.get("output_tail")
    out["output_tail"] = tail[-(1 << 20):] if type(tail) is str else ""
    out["done"] = doc.get("done") is True
    load_failed = doc.get("load_failed") if type(doc.get("load_failed")) is str else None
    running = doc.get("in_progress")
    in_progress = {f for f in running if type(f) is str} if type(running) is list else set()
    budget = _Budget(max_result_bytes, payload_limits)
    by_function: dict[str, list[str]] = {}
    for cid, fn in calls:
        by_function.setdefault(fn, []).append(cid)
    unreported: list[str] = []
    killed = worker_reply is None or worker_reply.get("status") != "finished"
    for fn, ids in by_function.items():
        rec = records.get(fn)
        if rec is not None and rec.get("loaded") is not True:
            load_failed = load_failed or str(rec.get("ended"))[:500]
            rec = None
        if rec is not None and dir_fd is not None:
            entries, load, notes = _function_results(ids, rec, dir_fd, budget)
            out["results"].extend(entries)
            out["tamper"] += [n for n in notes if n not in out["tamper"]][:20]
            if out["load"] is None and load is not None:
                out["load"] = validate_info(load)
        elif load_failed:
            etype = "JobTimeout" if "did not finish loading" in load_failed else "SandboxDied"
            out["results"].extend(error_entry(cid, "error", etype, f"{load_failed} (while loading student.py)")
                                  for cid in ids)
            out["in_progress"] = out["in_progress"] or LOAD_MARKER
        elif killed and fn in in_progress:
            reason = (worker_reply or {}).get("reason") or "the sandbox died"
            first, *rest = ids
            out["results"].append(error_entry(first, "crashed", None, f"not finished: {reason}"))
            out["results"].extend(error_entry(c, "skipped", None, "not run: the job was stopped") for c in rest)
            out["in_progress"] = out["in_progress"] or first
        else:
            unreported.extend(ids)
    if dir_fd is not None:
        os.close(dir_fd)
    order = {cid: i for i, (cid, _) in enumerate(calls)}
    out["results"].sort(key=lambda e: order[e["id"]])
    out["unreported"] = tuple(unreported)
    return out
