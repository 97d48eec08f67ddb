"""The plain-data tree format that crosses the sandbox boundary: encoding and strict decoding.

A value becomes ``(tree, arrays)``: a JSON-serialisable tree and ``{"a0": ndarray, ...}`` (written
into one payload file by :mod:`autograder.isolation.transport`). Encoding runs inside the sandbox (and on
the trusted side for inputs) and uses exact type checks only (``type(x) is list``), so no student
method is called except ``repr()`` of an unsupported object (the harness runs that under a timer).
Decoding runs on the trusted side on hostile input: the schema is strict (each JSON object is
exactly one of the tags below, every array is referenced exactly once, unknown keys are errors),
and every cap of :class:`PayloadLimits` (nodes, depth, string length, integer digits, arrays)
is checked; any violation raises :class:`TransportError` with a readable reason.

Tree format::

    null / true / false / JSON int / finite JSON float / JSON string / [T, ...]   (list)
    {"__tuple__": [T, ...]}          {"__dict__": {"key": T, ...}}
    {"__float__": "nan" | "inf" | "-inf"}        {"__int__": "<decimal digits>"}  (|x| >= 2**63)
    {"__ndarray__": "a0"}            {"__npscalar__": "a1"}  (a 0-d array)
    {"__unsupported__": "<type name>", "repr": "<short repr>"}   -> decoded as Unsupported
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["PayloadLimits", "TransportError", "Unsupported", "array_ok", "decode", "encode", "type_name"]

ALLOWED_KINDS = frozenset("biufc")
ARRAY_KEY = re.compile(r"a[0-9]{1,9}\Z")
_INT_RE = re.compile(r"-?[0-9]{1,4000}\Z")
_REPR_CHARS = 200
_TYPE_CHARS = 200


class TransportError(ValueError):
    """A value cannot be encoded, or a payload failed validation (the message says why)."""


@dataclass(frozen=True)
class PayloadLimits:
    """Caps applied when encoding and (above all) when decoding untrusted payloads."""

    max_json_bytes: int = 4 << 20
    max_npz_bytes: int = 80 << 20  # the arrays' part of a payload file
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


def type_name(obj: Any) -> str:
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


def array_ok(dtype: np.dtype) -> bool:
    return (
        dtype.kind in ALLOWED_KINDS
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
                    "__unsupported__": f"dict with {type_name(bad)} keys",
                    "repr": _short_repr(x),
                }
            out = {}
            for k, v in x.items():
                if len(k) > self.limits.max_str_len:
                    raise TransportError("dict key too long")
                out[k] = self.enc(v, depth + 1)
            return {"__dict__": out}
        if t is np.ndarray:
            if not array_ok(x.dtype):
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
            if dt is not None and dt.type is t and array_ok(dt):
                return {"__npscalar__": self._add_array(np.asarray(x))}
        return {"__unsupported__": type_name(x), "repr": _short_repr(x)}


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
        if type(key) is not str or not ARRAY_KEY.match(key):
            raise TransportError(f"invalid array reference {str(key)[:40]!r}")
        if key not in self.arrays:
            raise TransportError(f"array {key!r} is referenced but missing from the payload")
        if key in self.used:
            raise TransportError(f"array {key!r} is referenced more than once")
        self.used.add(key)
        arr = self.arrays[key]
        if type(arr) is not np.ndarray or not array_ok(arr.dtype):
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
        raise TransportError(f"{len(unused)} array(s) in the payload are not referenced by the tree")
    return value


