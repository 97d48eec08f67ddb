"""Plain-data transport across the sandbox boundary (JSON tree + ``.npz`` arrays, never pickle).

Threat model
------------
Values cross between the trusted grader and the sandboxed student process in both directions:
inputs go in (written by the trusted side) and results come out (written *inside* the sandbox,
i.e. by code the student controls).  The student can therefore write arbitrary bytes into the
result files, so :func:`read_payload` / :func:`decode` treat their input as hostile:

* no pickle anywhere: ``.npy`` members are parsed here (magic, header via numpy's
  ``literal_eval``-based reader, then ``np.frombuffer``); only bool/int/uint/float/complex
  dtypes without fields are accepted, so object arrays (the pickle carrier) are rejected;
* files are opened with ``O_NOFOLLOW | O_NONBLOCK`` and must be regular files (no symlink
  to ``/etc/shadow``, no FIFO that blocks the grader), and are read with a byte cap;
* hard caps (:class:`PayloadLimits`) on JSON bytes, ``.npz`` bytes, zip central directory
  size, number of arrays, total array bytes (checked from the declared shape *before*
  allocating, and the data length must match exactly), ``ndim``, nesting depth, number of
  nodes, string length and integer digits;
* the tree schema is strict: JSON objects must be exactly one of the tags below, every array
  must be referenced exactly once, unknown keys are errors.  Any violation raises
  :class:`TransportError` with a readable reason; nothing else escapes ``read_payload``.

Encoding happens inside the sandbox and only uses exact type checks (``type(x) is list``), so
no student method is called except ``repr()`` for an unsupported object (the harness runs that
under a timer).  Decoded values are plain Python / numpy objects the trusted side can compare
without calling untrusted code.  What is *not* protected: the student decides what values the
files contain; results are claims, to be checked by comparison on the trusted side.

Tree format (``name.json`` = ``{"format": "autograder-payload", "version": 1, "tree": T}``)::

    null / true / false / JSON int / finite JSON float / JSON string / [T, ...]   (list)
    {"__tuple__": [T, ...]}          {"__dict__": {"key": T, ...}}
    {"__float__": "nan" | "inf" | "-inf"}        {"__int__": "<decimal digits>"}  (|x| >= 2**63)
    {"__ndarray__": "a0"}            {"__npscalar__": "a1"}  (0-d array in the npz)
    {"__unsupported__": "<type name>", "repr": "<short repr>"}   -> decoded as Unsupported
"""
from __future__ import annotations

import io
import json
import math
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "PayloadLimits",
    "TransportError",
    "Unsupported",
    "decode",
    "encode",
    "read_payload",
    "write_payload",
]

FORMAT = "autograder-payload"
VERSION = 1
_ALLOWED_KINDS = frozenset("biufc")
_ARRAY_KEY = re.compile(r"a[0-9]{1,9}\Z")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}\Z")
_INT_RE = re.compile(r"-?[0-9]{1,4000}\Z")
_REPR_CHARS = 200
_TYPE_CHARS = 200


class TransportError(ValueError):
    """A value cannot be encoded, or a payload failed validation (the message says why)."""


@dataclass(frozen=True)
class PayloadLimits:
    """Caps applied when encoding and (above all) when decoding untrusted payloads."""

    max_json_bytes: int = 4 << 20
    max_npz_bytes: int = 80 << 20
    max_array_bytes: int = 64 << 20  # total over all arrays of one payload
    max_arrays: int = 4096
    max_ndim: int = 32
    max_depth: int = 32
    max_nodes: int = 200_000  # JSON values in the tree (containers + leaves)
    max_str_len: int = 1 << 20  # characters per string (dict keys included)


@dataclass(frozen=True)
class Unsupported:
    """Stand-in for a value of a type that cannot cross the boundary (e.g. a generator)."""

    type_name: str
    repr: str


# --------------------------------------------------------------------------------------------
# encoding (runs inside the sandbox, and on the trusted side for inputs)


def _type_name(obj: Any) -> str:
    try:
        t = type(obj)
        mod = type.__getattribute__(t, "__module__")
        qual = type.__getattribute__(t, "__qualname__")
        if type(mod) is not str or type(qual) is not str:
            return "<unknown type>"
        name = qual if mod == "builtins" else f"{mod}.{qual}"
    except Exception:
        return "<unknown type>"
    return name[:_TYPE_CHARS]


def _short_repr(obj: Any) -> str:
    try:
        r = repr(obj)
        if type(r) is not str:
            return "<repr failed>"
    except Exception:
        return "<repr failed>"
    return r if len(r) <= _REPR_CHARS else r[: _REPR_CHARS - 3] + "..."


def _array_ok(dtype: np.dtype) -> bool:
    return (
        dtype.kind in _ALLOWED_KINDS
        and dtype.fields is None
        and dtype.subdtype is None
        and not dtype.hasobject
    )


class _Encoder:
    def __init__(self, limits: PayloadLimits):
        self.limits = limits
        self.arrays: dict[str, np.ndarray] = {}
        self.array_bytes = 0
        self.nodes = 0

    def _add_array(self, arr: np.ndarray) -> str:
        if len(self.arrays) >= self.limits.max_arrays:
            raise TransportError(f"more than {self.limits.max_arrays} arrays")
        if arr.ndim > self.limits.max_ndim:
            raise TransportError(f"array with {arr.ndim} dimensions (max {self.limits.max_ndim})")
        self.array_bytes += int(arr.nbytes)
        if self.array_bytes > self.limits.max_array_bytes:
            raise TransportError(
                f"arrays total more than {self.limits.max_array_bytes} bytes"
            )
        key = f"a{len(self.arrays)}"
        # a private, native-byte-order copy: later mutation cannot change what was encoded
        self.arrays[key] = np.array(arr, dtype=arr.dtype.newbyteorder("="), copy=True, order="C")
        return key

    def enc(self, x: Any, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise TransportError(f"more than {self.limits.max_nodes} values")
        if depth > self.limits.max_depth:
            raise TransportError(f"nesting deeper than {self.limits.max_depth} levels")
        t = type(x)
        if x is None or t is bool:
            return x
        if t is int:
            if -(2**63) <= x < 2**63:
                return x
            if x.bit_length() > 13000:  # ~3900 decimal digits
                raise TransportError("integer too large")
            return {"__int__": str(x)}
        if t is float:
            if math.isfinite(x):
                return x
            return {"__float__": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}
        if t is str:
            if len(x) > self.limits.max_str_len:
                raise TransportError(f"string longer than {self.limits.max_str_len} characters")
            return x
        if t is list or t is tuple:
            items = [self.enc(v, depth + 1) for v in x]
            return items if t is list else {"__tuple__": items}
        if t is dict:
            if not all(type(k) is str for k in x):
                bad = next(k for k in x if type(k) is not str)
                return {
                    "__unsupported__": f"dict with {_type_name(bad)} keys",
                    "repr": _short_repr(x),
                }
            out = {}
            for k, v in x.items():
                if len(k) > self.limits.max_str_len:
                    raise TransportError("dict key too long")
                out[k] = self.enc(v, depth + 1)
            return {"__dict__": out}
        if t is np.ndarray:
            if not _array_ok(x.dtype):
                return {
                    "__unsupported__": f"numpy.ndarray with dtype {str(x.dtype)[:80]}",
                    "repr": _short_repr(x),
                }
            return {"__ndarray__": self._add_array(x)}
        if isinstance(x, np.generic):
            try:
                dt = np.dtype(t)
            except Exception:
                dt = None
            if dt is not None and dt.type is t and _array_ok(dt):
                return {"__npscalar__": self._add_array(np.asarray(x))}
        return {"__unsupported__": _type_name(x), "repr": _short_repr(x)}


def encode(value: Any, limits: PayloadLimits | None = None) -> tuple[Any, dict[str, np.ndarray]]:
    """Return ``(tree, arrays)``: a JSON-serialisable tree and ``{"a0": ndarray, ...}``.

    Raises :class:`TransportError` if the value exceeds ``limits`` (too deep, too big...).
    Unsupported types do not raise; they become ``{"__unsupported__": ..., "repr": ...}``.
    """
    e = _Encoder(limits or PayloadLimits())
    tree = e.enc(value, 0)
    return tree, e.arrays


# --------------------------------------------------------------------------------------------
# decoding (trusted side: input is hostile)


class _Decoder:
    def __init__(self, arrays: dict[str, np.ndarray], limits: PayloadLimits):
        self.arrays = arrays
        self.used: set[str] = set()
        self.limits = limits
        self.nodes = 0

    def _str(self, s: str, what: str) -> str:
        if len(s) > self.limits.max_str_len:
            raise TransportError(f"{what} longer than {self.limits.max_str_len} characters")
        return s

    def _array(self, key: Any, scalar: bool) -> Any:
        if type(key) is not str or not _ARRAY_KEY.match(key):
            raise TransportError(f"invalid array reference {str(key)[:40]!r}")
        if key not in self.arrays:
            raise TransportError(f"array {key!r} is referenced but missing from the npz")
        if key in self.used:
            raise TransportError(f"array {key!r} is referenced more than once")
        self.used.add(key)
        arr = self.arrays[key]
        if type(arr) is not np.ndarray or not _array_ok(arr.dtype):
            raise TransportError(f"array {key!r} has a forbidden type or dtype")
        if scalar:
            if arr.ndim != 0:
                raise TransportError(f"numpy scalar {key!r} is not a 0-d array")
            return arr[()]
        return arr

    def dec(self, t: Any, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise TransportError(f"more than {self.limits.max_nodes} values")
        if depth > self.limits.max_depth:
            raise TransportError(f"nesting deeper than {self.limits.max_depth} levels")
        tt = type(t)
        if t is None or tt is bool:
            return t
        if tt is int:
            if not -(2**63) <= t < 2**63:
                raise TransportError("plain JSON integer out of the int64 range")
            return t
        if tt is float:
            if not math.isfinite(t):
                raise TransportError("non-finite JSON number")
            return t
        if tt is str:
            return self._str(t, "string")
        if tt is list:
            return [self.dec(v, depth + 1) for v in t]
        if tt is not dict:
            raise TransportError(f"unexpected JSON value of type {tt.__name__}")
        keys = set(t)
        if keys == {"__tuple__"}:
            items = t["__tuple__"]
            if type(items) is not list:
                raise TransportError("__tuple__ must hold a JSON array")
            return tuple(self.dec(v, depth + 1) for v in items)
        if keys == {"__dict__"}:
            d = t["__dict__"]
            if type(d) is not dict:
                raise TransportError("__dict__ must hold a JSON object")
            return {self._str(k, "dict key"): self.dec(v, depth + 1) for k, v in d.items()}
        if keys == {"__ndarray__"}:
            return self._array(t["__ndarray__"], scalar=False)
        if keys == {"__npscalar__"}:
            return self._array(t["__npscalar__"], scalar=True)
        if keys == {"__float__"}:
            v = t["__float__"]
            if v == "nan":
                return math.nan
            if v == "inf":
                return math.inf
            if v == "-inf":
                return -math.inf
            raise TransportError("invalid __float__ value")
        if keys == {"__int__"}:
            v = t["__int__"]
            if type(v) is not str or not _INT_RE.match(v):
                raise TransportError("invalid __int__ value")
            return int(v)
        if keys == {"__unsupported__", "repr"}:
            name, rep = t["__unsupported__"], t["repr"]
            if type(name) is not str or type(rep) is not str:
                raise TransportError("invalid __unsupported__ record")
            return Unsupported(name[:_TYPE_CHARS], rep[:_REPR_CHARS])
        shown = sorted(str(k)[:30] for k in keys)[:5]
        raise TransportError(f"unknown JSON object with keys {shown}")


def decode(tree: Any, arrays: dict[str, np.ndarray], limits: PayloadLimits | None = None) -> Any:
    """Rebuild a value from ``(tree, arrays)``, validating the tree strictly.

    Arrays must each be referenced exactly once.  Raises :class:`TransportError`.
    """
    limits = limits or PayloadLimits()
    if type(arrays) is not dict:
        raise TransportError("arrays must be a dict")
    d = _Decoder(arrays, limits)
    try:
        value = d.dec(tree, 0)
    except RecursionError:
        raise TransportError("nesting too deep") from None
    unused = set(arrays) - d.used
    if unused:
        raise TransportError(f"{len(unused)} array(s) in the npz are not referenced by the tree")
    return value


# --------------------------------------------------------------------------------------------
# .npy / .npz parsing without pickle


def _parse_npy(raw: bytes, name: str, limits: PayloadLimits, budget: int) -> np.ndarray:
    f = io.BytesIO(raw)
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise TransportError(f"{name}: unsupported .npy version {version}")
    except TransportError:
        raise
    except Exception as exc:  # numpy raises ValueError/SyntaxError etc. on bad headers
        raise TransportError(f"{name}: invalid .npy header ({type(exc).__name__})") from None
    if not isinstance(dtype, np.dtype) or not _array_ok(dtype):
        raise TransportError(f"{name}: dtype {str(dtype)[:60]} is not allowed (numeric/bool only)")
    if type(shape) is not tuple or len(shape) > limits.max_ndim:
        raise TransportError(f"{name}: invalid shape")
    count = 1
    for n in shape:
        if type(n) is not int or n < 0:
            raise TransportError(f"{name}: invalid shape")
        count *= n
    nbytes = count * dtype.itemsize
    if nbytes > budget:
        raise TransportError(f"{name}: arrays exceed {limits.max_array_bytes} bytes in total")
    data = raw[f.tell():]
    if len(data) != nbytes:
        raise TransportError(f"{name}: data length does not match its header")
    arr = np.frombuffer(data, dtype=dtype, count=count)
    if fortran:
        arr = arr.reshape(shape[::-1]).transpose()
    else:
        arr = arr.reshape(shape)
    return np.array(arr, dtype=dtype.newbyteorder("="), copy=True, order="C")


def _load_npz_bytes(data: bytes, limits: PayloadLimits) -> dict[str, np.ndarray]:
    if len(data) > limits.max_npz_bytes:
        raise TransportError(f"npz larger than {limits.max_npz_bytes} bytes")
    bio = io.BytesIO(data)
    # Check the end-of-central-directory record before zipfile parses the directory, so a
    # tiny file cannot declare a million members.
    endrec = getattr(zipfile, "_EndRecData", None)
    if endrec is not None:
        try:
            rec = endrec(bio)
        except Exception:
            rec = None
        if not rec:
            raise TransportError("npz is not a valid zip file")
        if rec[zipfile._ECD_ENTRIES_TOTAL] > limits.max_arrays or rec[zipfile._ECD_SIZE] > (
            limits.max_arrays * 512 + 1024
        ):
            raise TransportError(f"npz holds more than {limits.max_arrays} members")
        bio.seek(0)
    try:
        zf = zipfile.ZipFile(bio)
        infos = zf.infolist()
    except Exception as exc:
        raise TransportError(f"npz is not a valid zip file ({type(exc).__name__})") from None
    if len(infos) > limits.max_arrays:
        raise TransportError(f"npz holds more than {limits.max_arrays} members")
    out: dict[str, np.ndarray] = {}
    budget = limits.max_array_bytes
    for info in infos:
        fname = info.filename
        if not fname.endswith(".npy") or not _ARRAY_KEY.match(fname[:-4]):
            raise TransportError(f"unexpected npz member {fname[:60]!r}")
        key = fname[:-4]
        if key in out:
            raise TransportError(f"duplicate npz member {key!r}")
        cap = budget + 65536  # header + data
        if info.file_size > cap:
            raise TransportError(f"arrays exceed {limits.max_array_bytes} bytes in total")
        try:
            with zf.open(info) as member:
                raw = member.read(cap + 1)  # bounded even if the declared size lies
        except Exception as exc:
            raise TransportError(f"cannot read npz member {key!r} ({type(exc).__name__})") from None
        if len(raw) > cap:
            raise TransportError(f"arrays exceed {limits.max_array_bytes} bytes in total")
        arr = _parse_npy(raw, key, limits, budget)
        budget -= arr.nbytes
        out[key] = arr
    return out


# --------------------------------------------------------------------------------------------
# files


def _check_name(name: str) -> None:
    if type(name) is not str or not _NAME.match(name) or ".." in name:
        raise TransportError(f"invalid payload name {str(name)[:60]!r}")


def _read_capped(path: str, cap: int, what: str) -> bytes:
    """Read a regular file without following symlinks, refusing files larger than ``cap``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
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


def write_payload(
    path_dir: str | os.PathLike, name: str, value: Any, limits: PayloadLimits | None = None
) -> None:
    """Write ``value`` as ``<path_dir>/<name>.json`` + ``<name>.npz`` (atomically replaced)."""
    _check_name(name)
    limits = limits or PayloadLimits()
    tree, arrays = encode(value, limits)
    text = json.dumps(
        {"format": FORMAT, "version": VERSION, "tree": tree}, allow_nan=False, separators=(",", ":")
    ).encode("ascii")
    if len(text) > limits.max_json_bytes:
        raise TransportError(f"encoded JSON is larger than {limits.max_json_bytes} bytes")
    d = os.fspath(path_dir)
    for suffix, writer in (
        (".npz", lambda f: np.savez(f, **arrays)),
        (".json", lambda f: f.write(text)),
    ):
        final = os.path.join(d, name + suffix)
        tmp = os.path.join(d, f".{name}{suffix}.tmp")
        with open(tmp, "wb") as f:
            writer(f)
        os.replace(tmp, final)


def read_payload(
    path_dir: str | os.PathLike, name: str, limits: PayloadLimits | None = None
) -> Any:
    """Read and strictly validate a payload written by :func:`write_payload` (maybe hostile).

    Raises :class:`TransportError` (never anything else) with a human-readable reason.
    """
    limits = limits or PayloadLimits()
    try:
        _check_name(name)
        d = os.fspath(path_dir)
        doc = loads_json(
            _read_capped(os.path.join(d, name + ".json"), limits.max_json_bytes, f"{name}.json"),
            limits,
            f"{name}.json",
        )
        if (
            type(doc) is not dict
            or set(doc) != {"format", "version", "tree"}
            or doc["format"] != FORMAT
            or doc["version"] != VERSION
        ):
            raise TransportError(f"{name}.json does not have the payload format")
        raw = _read_capped(os.path.join(d, name + ".npz"), limits.max_npz_bytes, f"{name}.npz")
        arrays = _load_npz_bytes(raw, limits)
        return decode(doc["tree"], arrays, limits)
    except TransportError:
        raise
    except MemoryError:
        raise TransportError(f"payload {name!r} is too large to load") from None
    except RecursionError:
        raise TransportError(f"payload {name!r}: nesting too deep") from None
    except Exception as exc:  # defensive: nothing else may escape on the trusted side
        raise TransportError(
            f"payload {name!r} could not be read ({type(exc).__name__}: {str(exc)[:120]})"
        ) from None
