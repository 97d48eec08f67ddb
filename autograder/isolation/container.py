"""The payload file: one plain-data tree and its arrays, parsed without pickle and under caps.

Layout of ``<name>.pay`` (little-endian)::

    b"AGPAY02\n"                 magic and format version (8 bytes)
    u32 J, u32 K                  the JSON document's length, the number of arrays
    J bytes                       {"format": "autograder-payload", "version": 2, "tree": T} (see codec)
    K times: u16 n, n bytes key   "a0", "a1", ...
             u64 L, L bytes       one .npy record (magic, header, data)
    nothing after the last record

One file, written once and renamed into place, read in one ``read``: simpler than a zip (nothing
like a central directory whose declared sizes can lie) and faster. Reading checks, *before*
allocating or parsing anything, that every declared length fits the caps of
:class:`~autograder.isolation.codec.PayloadLimits` and what is left of the file; keys must be
``a<digits>`` and unique; each .npy header is read with a strict pattern of what numpy writes
(anything else with numpy's ``literal_eval``-based reader) and only bool/int/uint/float/complex
dtypes without fields are accepted (object arrays, the pickle carrier, are rejected); an array's
size is checked from its declared shape before its data is taken, and the data length must match
exactly.
"""
from __future__ import annotations

import io
import re
import struct

import numpy as np

from autograder.isolation.codec import ARRAY_KEY, PayloadLimits, TransportError, array_ok

__all__ = ["MAGIC", "pack", "unpack"]

MAGIC = b"AGPAY02\n"
_HEAD = struct.Struct("<8sII")
_KEY = struct.Struct("<H")
_LEN = struct.Struct("<Q")
_HLEN = struct.Struct("<H")


def pack(document: bytes, arrays: dict[str, np.ndarray]) -> bytes:
    """The bytes of a payload file holding the JSON ``document`` and ``arrays`` (already checked)."""
    parts = [_HEAD.pack(MAGIC, len(document), len(arrays)), document]
    for key, arr in arrays.items():
        buf = io.BytesIO()
        np.lib.format.write_array(buf, arr, allow_pickle=False)
        raw, k = buf.getvalue(), key.encode("ascii")
        parts += [_KEY.pack(len(k)), k, _LEN.pack(len(raw)), raw]
    return b"".join(parts)


#: The header numpy's writer gives a plain array (version 1.0): read with a pattern, without
#: ``literal_eval`` (which compiles every header: a third of the cost of reading a job's inputs).
_PLAIN_HEADER = re.compile(rb"\{'descr': '([<>|=][a-z]\d{1,2})', 'fortran_order': (True|False), "
                           rb"'shape': \((\d{1,18}(?:, \d{1,18}){0,31},?)?\), \} *\n")


def _fast_header(raw: bytes):
    """``(shape, fortran, dtype, data offset)`` of a version 1.0 header as numpy writes it, else None."""
    if len(raw) < 10 or raw[:8] != b"\x93NUMPY\x01\x00":
        return None
    (hlen,) = _HLEN.unpack_from(raw, 8)
    m = _PLAIN_HEADER.fullmatch(raw, 10, 10 + hlen)
    if m is None:
        return None
    try:
        dtype = np.dtype(m.group(1).decode("ascii"))
    except TypeError:
        return None
    shape = tuple(int(n) for n in m.group(3).split(b",") if n.strip()) if m.group(3) else ()
    return shape, m.group(2) == b"True", dtype, 10 + hlen


def _parse_npy(raw: bytes, name: str, limits: PayloadLimits, budget: int) -> np.ndarray:
    fast = _fast_header(raw)
    if fast is not None:
        shape, fortran, dtype, offset = fast
    else:
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
        offset = f.tell()
    if not isinstance(dtype, np.dtype) or not array_ok(dtype):
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
    data = raw[offset:]
    if len(data) != nbytes:
        raise TransportError(f"{name}: data length does not match its header")
    arr = np.frombuffer(data, dtype=dtype, count=count)
    if fortran:
        arr = arr.reshape(shape[::-1]).transpose()
    else:
        arr = arr.reshape(shape)
    return np.array(arr, dtype=dtype.newbyteorder("="), copy=True, order="C")


def unpack(data: bytes, limits: PayloadLimits, what: str) -> tuple[bytes, dict[str, np.ndarray]]:
    """``(json document bytes, {key: array})`` from a payload file's bytes; raises TransportError."""
    if len(data) < _HEAD.size or data[:8] != MAGIC:
        raise TransportError(f"{what} is not a payload file (bad magic)")
    _, jlen, count = _HEAD.unpack_from(data)
    if jlen > limits.max_json_bytes:
        raise TransportError(f"{what}: its JSON is larger than {limits.max_json_bytes} bytes")
    if count > limits.max_arrays:
        raise TransportError(f"{what} holds more than {limits.max_arrays} arrays")
    pos = _HEAD.size + jlen
    if pos > len(data):
        raise TransportError(f"{what} is truncated")
    document = data[_HEAD.size:pos]
    arrays: dict[str, np.ndarray] = {}
    budget = limits.max_array_bytes
    for _ in range(count):
        if pos + _KEY.size > len(data):
            raise TransportError(f"{what} is truncated")
        (klen,) = _KEY.unpack_from(data, pos)
        pos += _KEY.size
        key = data[pos:pos + klen].decode("ascii", "replace")
        pos += klen
        if klen > 16 or not ARRAY_KEY.match(key):
            raise TransportError(f"{what}: invalid array key {key[:20]!r}")
        if key in arrays:
            raise TransportError(f"{what}: duplicate array {key!r}")
        if pos + _LEN.size > len(data):
            raise TransportError(f"{what} is truncated")
        (length,) = _LEN.unpack_from(data, pos)
        pos += _LEN.size
        if length > budget + 65536:  # header + data
            raise TransportError(f"{what}: arrays exceed {limits.max_array_bytes} bytes in total")
        if pos + length > len(data):
            raise TransportError(f"{what} is truncated")
        arr = _parse_npy(data[pos:pos + length], key, limits, budget)
        pos += length
        budget -= arr.nbytes
        arrays[key] = arr
    if pos != len(data):
        raise TransportError(f"{what} has {len(data) - pos} unexpected bytes after its last array")
    return document, arrays
