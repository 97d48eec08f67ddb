""".npy / .npz parsing without pickle, for payloads written by code the student controls.

Only bool/int/uint/float/complex dtypes without fields are accepted (object arrays, the pickle
carrier, are rejected); the zip's end-of-central-directory record is checked before the directory
is parsed (a tiny file cannot declare a million members); every member is read with a byte cap
even if its declared size lies; an array's size is checked from its declared shape *before*
anything is allocated, and the data length must match exactly.
"""
from __future__ import annotations

import io
import zipfile

import numpy as np

from autograder.isolation.codec import ARRAY_KEY, PayloadLimits, TransportError, array_ok

__all__ = ["load_npz_bytes"]


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
    data = raw[f.tell():]
    if len(data) != nbytes:
        raise TransportError(f"{name}: data length does not match its header")
    arr = np.frombuffer(data, dtype=dtype, count=count)
    if fortran:
        arr = arr.reshape(shape[::-1]).transpose()
    else:
        arr = arr.reshape(shape)
    return np.array(arr, dtype=dtype.newbyteorder("="), copy=True, order="C")


def load_npz_bytes(data: bytes, limits: PayloadLimits) -> dict[str, np.ndarray]:
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
        if not fname.endswith(".npy") or not ARRAY_KEY.match(fname[:-4]):
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


