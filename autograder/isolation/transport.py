"""Payload files across the sandbox boundary: ``<name>.pay``, one plain-data tree and its arrays.

Values cross between the trusted grader and the sandboxed student process in both directions:
inputs go in (written by the trusted side) and results come out (written *inside* the sandbox,
i.e. by code the student controls). :func:`read_payload` therefore treats its files as hostile:
they are opened with ``O_NOFOLLOW | O_NONBLOCK`` and must be regular files (no symlink to
``/etc/shadow``, no FIFO that blocks the grader), read with a byte cap (checked with ``fstat``
before reading), parsed without pickle (:mod:`autograder.isolation.container`) and decoded strictly
(:mod:`autograder.isolation.codec`). Any violation raises :class:`TransportError` with a readable
reason; nothing else escapes ``read_payload``. What is *not* protected: the student decides what
values the result files contain; results are claims, checked by comparison on the trusted side.

A directory may be given as a path or as an open directory descriptor (``dir_fd``), so that the
trusted side can read a job's files without following a symlink planted in place of a folder.
"""
from __future__ import annotations

import json
import os
import re
import stat
from typing import Any

from autograder.isolation import container
from autograder.isolation.codec import PayloadLimits, TransportError, Unsupported, decode, encode, type_name

__all__ = ["PayloadLimits", "TransportError", "Unsupported", "decode", "encode", "loads_json", "read_capped",
           "read_payload", "type_name", "write_payload"]

FORMAT = "autograder-payload"
VERSION = 2
SUFFIX = ".pay"
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}\Z")


def _check_name(name: str) -> None:
    if type(name) is not str or not _NAME.match(name) or ".." in name:
        raise TransportError(f"invalid payload name {str(name)[:60]!r}")


def read_capped(path: str, cap: int, what: str, dir_fd: int | None = None) -> bytes:
    """Read a regular file without following symlinks, refusing files larger than ``cap`` bytes.

    ``path`` is relative to ``dir_fd`` when one is given. Raises :class:`TransportError`.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except FileNotFoundError:
        raise TransportError(f"{what} is missing") from None
    except OSError as exc:
        raise TransportError(f"cannot open {what}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise TransportError(f"{what} is not a regular file")
        if st.st_size > cap:
            raise TransportError(f"{what} is larger than {cap} bytes ({st.st_size})")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > cap:
                raise TransportError(f"{what} is larger than {cap} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _reject_constant(token: str) -> Any:
    raise TransportError(f"JSON constant {token} is not allowed")


def loads_json(data: bytes, limits: PayloadLimits, what: str = "JSON") -> Any:
    """Parse untrusted JSON bytes under ``limits.max_json_bytes``; raises TransportError."""
    if len(data) > limits.max_json_bytes:
        raise TransportError(f"{what} is larger than {limits.max_json_bytes} bytes")
    try:
        text = data.decode("utf-8")
        return json.loads(text, parse_constant=_reject_constant)
    except TransportError:
        raise
    except RecursionError:
        raise TransportError(f"{what}: nesting too deep") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise TransportError(f"{what} is not valid JSON ({str(exc)[:120]})") from None


def write_payload(path_dir: str | os.PathLike, name: str, value: Any, limits: PayloadLimits | None = None) -> int:
    """Write ``value`` as ``<path_dir>/<name>.pay`` (atomically replaced); returns its size in bytes.

    Raises :class:`TransportError` when the value exceeds ``limits``.
    """
    _check_name(name)
    limits = limits or PayloadLimits()
    tree, arrays = encode(value, limits)
    text = json.dumps({"format": FORMAT, "version": VERSION, "tree": tree}, allow_nan=False,
                      separators=(",", ":")).encode("ascii")
    if len(text) > limits.max_json_bytes:
        raise TransportError(f"encoded JSON is larger than {limits.max_json_bytes} bytes")
    data = container.pack(text, arrays)
    d = os.fspath(path_dir)
    final, tmp = os.path.join(d, name + SUFFIX), os.path.join(d, f".{name}{SUFFIX}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, final)
    return len(data)


def read_payload(path_dir: str | os.PathLike | None, name: str, limits: PayloadLimits | None = None,
                 dir_fd: int | None = None) -> Any:
    """Read and strictly validate a payload written by :func:`write_payload` (maybe hostile).

    The file is looked up in ``path_dir``, or in the open directory ``dir_fd`` (``path_dir`` None).
    Raises :class:`TransportError` (never anything else) with a human-readable reason.
    """
    limits = limits or PayloadLimits()
    what = f"{name}{SUFFIX}"
    try:
        _check_name(name)
        d = "" if path_dir is None else os.fspath(path_dir)
        raw = read_capped(os.path.join(d, what), limits.max_json_bytes + limits.max_npz_bytes, what, dir_fd)
        text, arrays = container.unpack(raw, limits, what)
        doc = loads_json(text, limits, what)
        if (type(doc) is not dict or set(doc) != {"format", "version", "tree"} or doc["format"] != FORMAT
                or doc["version"] != VERSION):
            raise TransportError(f"{what} does not have the payload format")
        return decode(doc["tree"], arrays, limits)
    except TransportError:
        raise
    except MemoryError:
        raise TransportError(f"payload {name!r} is too large to load") from None
    except RecursionError:
        raise TransportError(f"payload {name!r}: nesting too deep") from None
    except Exception as exc:  # defensive: nothing else may escape on the trusted side
        raise TransportError(f"payload {name!r} could not be read ({type(exc).__name__}: {str(exc)[:120]})") from None
