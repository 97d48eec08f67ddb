"""Tests for autograder.transport: round trips, and hostile payloads on the trusted side."""
from __future__ import annotations

import io
import json
import math
import os
import pickle
import warnings
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.isolation import container, transport
from autograder.isolation.transport import PayloadLimits, TransportError, Unsupported


def roundtrip(value, tmp_path, name="p"):
    transport.write_payload(tmp_path, name, value)
    return transport.read_payload(tmp_path, name)


def same(a, b) -> bool:
    """Exact structural equality, including types and dtypes."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and (a == b or (a != a and b != b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


# --------------------------------------------------------------------------- round trips


def test_roundtrip_nested_values_keep_types(tmp_path):
    value = {
        "none": None, "t": True, "f": False, "i": -7, "big": 3**90, "neg_big": -(2**70),
        "x": 0.1, "nan": math.nan, "inf": math.inf, "-inf": -math.inf, "s": "héllo \ud800 ✓",
        "list": [1, [2.5, "a"], ()], "tuple": (1, (2, 3), [4]),
        "dict": {"__tuple__": 1, "__ndarray__": "a0", "": {}},  # tag-like keys are just keys
        "f64": np.float64(1.5), "f32": np.float32(-2.25), "i8": np.int8(-3), "u64": np.uint64(2**63 + 5),
        "b_": np.bool_(True), "c128": np.complex128(1 - 2j),
        "arr": np.arange(12, dtype=np.int32).reshape(3, 4),
        "farr": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        "strided": np.arange(20.0)[::3],
        "big_endian": np.arange(4, dtype=">f8"),
        "bools": np.array([[True, False]]), "f16": np.array([1.5, np.nan], dtype=np.float16),
        "complex": np.array([1 + 1j, np.nan]), "zero_d": np.array(3.5), "empty": np.zeros((0, 3)),
    }
    out = roundtrip(value, tmp_path)
    for k in value:
        if k == "big_endian":
            assert out[k].dtype == np.dtype("<f8") and np.array_equal(out[k], value[k])
            continue
        assert same(out[k], value[k]), k
    assert type(out["tuple"]) is tuple and type(out["tuple"][2]) is list
    assert type(out["f32"]) is np.float32 and type(out["zero_d"]) is np.ndarray
    assert out["arr"].flags.writeable and out["farr"].flags.writeable


def test_encoded_tree_is_plain_json_without_nan(tmp_path):
    tree, arrays = transport.encode([math.nan, np.arange(3), (1,)])
    text = json.dumps(tree, allow_nan=False)  # would raise on a bare NaN
    assert "NaN" not in text
    assert set(arrays) == {"a0"}


def test_encoded_arrays_are_copies():
    a = np.zeros(3)
    _, arrays = transport.encode(a)
    a[0] = 99
    assert arrays["a0"][0] == 0


@pytest.mark.parametrize(
    "value, type_name",
    [
        ((i for i in range(3)), "generator"),
        ({1, 2}, "set"),
        (1 + 2j, "complex"),
        (b"bytes", "bytes"),
        (np.array([1, "a"], dtype=object), "numpy.ndarray with dtype object"),
        (np.array(["ab"]), "numpy.ndarray with dtype <U2"),
        (np.zeros(2, dtype=[("a", "f8")]), "numpy.ndarray with dtype"),
        ("matrix", "numpy.matrix"),  # built lazily: np.matrix warns on creation
        ({1: "a"}, "dict with int keys"),
        (np.str_("x"), "numpy.str_"),
        (np.datetime64("2020-01-01"), "numpy.datetime64"),
    ],
)
def test_unsupported_values_are_described_not_sent(value, type_name, tmp_path):
    if isinstance(value, str) and value == "matrix":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            value = np.matrix([[1, 2]])
    out = roundtrip([value], tmp_path)[0]
    assert isinstance(out, Unsupported)
    assert out.type_name.startswith(type_name)
    assert len(out.repr) <= 200


def test_subclasses_are_unsupported(tmp_path):
    class MyList(list):
        pass

    class MyFloat(float):
        pass

    out = roundtrip([MyList([1]), MyFloat(1.0)], tmp_path)
    assert [type(v) for v in out] == [Unsupported, Unsupported]
    assert out[0].type_name.endswith("MyList")


def test_repr_failure_does_not_break_encoding(tmp_path):
    class Evil:
        def __repr__(self):
            raise RuntimeError("no")

    out = roundtrip(Evil(), tmp_path)
    assert isinstance(out, Unsupported) and out.repr == "<repr failed>"


def test_encoder_limits():
    cyclic: list = []
    cyclic.append(cyclic)
    with pytest.raises(TransportError, match="nesting"):
        transport.encode(cyclic)
    with pytest.raises(TransportError, match="bytes"):
        transport.encode(np.zeros(1000), PayloadLimits(max_array_bytes=100))
    with pytest.raises(TransportError, match="string"):
        transport.encode("x" * 101, PayloadLimits(max_str_len=100))
    with pytest.raises(TransportError, match="values"):
        transport.encode(list(range(100)), PayloadLimits(max_nodes=50))


json_leaf = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
np_leaf = st.builds(
    lambda xs, dt: np.array(xs).astype(dt),
    st.lists(st.floats(-1e6, 1e6), max_size=6),
    st.sampled_from(["f8", "f4", "i8", "u1", "bool", "c16"]),
)
values = st.recursive(
    json_leaf | np_leaf,
    lambda children: st.lists(children, max_size=4)
    | st.lists(children, max_size=4).map(tuple)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values)
def test_roundtrip_property(tmp_path, value):
    assert same(roundtrip(value, tmp_path), value)


# --------------------------------------------------------------------------- hostile payloads


def payload_file(document: bytes | str, arrays: dict[str, bytes] | None = None, count: int | None = None) -> bytes:
    """The bytes of a payload file, built by hand so that any part of it can lie."""
    document = document.encode() if isinstance(document, str) else document
    arrays = arrays or {}
    out = container.MAGIC + struct.pack("<II", len(document), len(arrays) if count is None else count) + document
    for key, raw in arrays.items():
        k = key.encode()
        out += struct.pack("<H", len(k)) + k + struct.pack("<Q", len(raw)) + raw
    return out


def write_raw(d, name, doc, arrays: dict[str, bytes] | None = None):
    text = doc if isinstance(doc, (str, bytes)) else json.dumps(doc)
    (d / f"{name}.pay").write_bytes(payload_file(text, arrays))


def doc(tree):
    return {"format": "autograder-payload", "version": 2, "tree": tree}


def npy_bytes(arr, allow_pickle=False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=allow_pickle)
    return buf.getvalue()


class Boom:
    marker = ""

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('pwned')",))


def test_pickle_in_an_array_is_rejected_and_never_unpickled(tmp_path):
    marker = tmp_path / "pwned"
    Boom.marker = str(marker)
    evil = npy_bytes(np.array([Boom()], dtype=object), allow_pickle=True)
    # sanity: numpy *would* execute it with allow_pickle=True
    np.load(io.BytesIO(evil), allow_pickle=True)
    assert marker.exists()
    marker.unlink()
    write_raw(tmp_path, "p", doc({"__ndarray__": "a0"}), {"a0": evil})
    with pytest.raises(TransportError, match="not allowed"):
        transport.read_payload(tmp_path, "p")
    assert not marker.exists()


@pytest.mark.parametrize(
    "tree, match",
    [
        ({"__tuple__": [1], "x": 2}, "unknown JSON object"),
        ({"__evil__": 1}, "unknown JSON object"),
        ({"__ndarray__": "a7"}, "missing"),
        ({"__ndarray__": "../etc"}, "invalid array reference"),
        ([{"__ndarray__": "a0"}, {"__ndarray__": "a0"}], "more than once"),
        ({"__float__": "1e5"}, "__float__"),
        ({"__int__": "12x"}, "__int__"),
        ({"__tuple__": "abc"}, "__tuple__"),
        ({"__dict__": [1]}, "__dict__"),
        ({"__npscalar__": "a0"}, "0-d"),
        (2**70, "int64"),
        ({"__unsupported__": 1, "repr": "x"}, "unsupported"),
    ],
)
def test_invalid_trees_are_rejected(tmp_path, tree, match):
    write_raw(tmp_path, "p", doc(tree), {"a0": npy_bytes(np.arange(3))})
    with pytest.raises(TransportError, match=match):
        transport.read_payload(tmp_path, "p")


def test_unreferenced_array_is_rejected(tmp_path):
    write_raw(tmp_path, "p", doc(1), {"a0": npy_bytes(np.arange(3))})
    with pytest.raises(TransportError, match="not referenced"):
        transport.read_payload(tmp_path, "p")


def test_deep_nesting_is_rejected(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    write_raw(tmp_path, "p", '{"format": "autograder-payload", "version": 2, "tree": ' + deep + "}")
    with pytest.raises(TransportError, match="deep"):
        transport.read_payload(tmp_path, "p")
    nested: list = []
    for _ in range(40):  # parses fine, but beyond max_depth
        nested = [nested]
    write_raw(tmp_path, "q", doc(nested))
    with pytest.raises(TransportError, match="nesting deeper"):
        transport.read_payload(tmp_path, "q")


def test_huge_json_is_rejected_before_parsing(tmp_path):
    write_raw(tmp_path, "p", json.dumps(doc("x" * 100)) + " " * (5 << 20))
    with pytest.raises(TransportError, match="larger than"):
        transport.read_payload(tmp_path, "p")


def test_nan_constants_and_bad_format_rejected(tmp_path):
    write_raw(tmp_path, "p", '{"format": "autograder-payload", "version": 2, "tree": NaN}')
    with pytest.raises(TransportError, match="NaN"):
        transport.read_payload(tmp_path, "p")
    write_raw(tmp_path, "q", {"format": "other", "version": 2, "tree": 1})
    with pytest.raises(TransportError, match="format"):
        transport.read_payload(tmp_path, "q")
    write_raw(tmp_path, "r", b"\xff\xfe garbage")
    with pytest.raises(TransportError, match="not valid JSON"):
        transport.read_payload(tmp_path, "r")
    (tmp_path / "s.pay").write_bytes(b"PK\x03\x04 an old zip, or anything else")
    with pytest.raises(TransportError, match="bad magic"):
        transport.read_payload(tmp_path, "s")


def test_array_header_lies_are_rejected_without_allocating(tmp_path):
    good = npy_bytes(np.arange(4, dtype=np.int64))
    header_end = good.index(b"\n") + 1
    header = good[:header_end].replace(b"(4,)", b"(10000000000000,)")
    header = header[:8] + len(header[10:]).to_bytes(2, "little") + header[10:]
    liar = header + good[header_end:]
    write_raw(tmp_path, "p", doc({"__ndarray__": "a0"}), {"a0": liar})
    with pytest.raises(TransportError, match="bytes in total"):
        transport.read_payload(tmp_path, "p")
    short = good[:-8]  # header says 4 elements, data has 3
    write_raw(tmp_path, "q", doc({"__ndarray__": "a0"}), {"a0": short})
    with pytest.raises(TransportError, match="does not match"):
        transport.read_payload(tmp_path, "q")


@pytest.mark.parametrize("arr", [np.zeros((3, 4)), np.arange(5), np.array(2.5), np.ones((2, 3), dtype=bool),
                                 np.zeros((0, 3)), np.asfortranarray(np.arange(6.0).reshape(2, 3)),
                                 np.zeros((1, 2, 3, 4), dtype=np.uint8), np.array([1 + 2j]),
                                 np.arange(7.0).astype(">f8"), np.zeros((2, 2), dtype=np.float32)])
def test_plain_headers_are_read_by_pattern_as_numpy_reads_them(arr):
    """The fast header reader agrees with numpy's on every header numpy writes, and the array comes back."""
    raw = npy_bytes(arr)
    f = io.BytesIO(raw)
    np.lib.format.read_magic(f)
    assert container._fast_header(raw) == (*np.lib.format.read_array_header_1_0(f), f.tell())
    back = container._parse_npy(raw, "a0", PayloadLimits(), 1 << 30)
    assert back.shape == arr.shape and np.array_equal(back, arr)


@pytest.mark.parametrize("header", [
    "{'descr': '|O', 'fortran_order': False, 'shape': (3,), }",           # pickles: never by pattern
    "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'x': 1, }",  # anything unexpected
    "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (3,), }",
    "{'descr': '<f8', 'fortran_order': 0, 'shape': (3,), }",
    "{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }",
])
def test_other_headers_go_to_numpys_reader_and_its_checks(header, tmp_path):
    data = header.encode() + b" " * (63 - (10 + len(header)) % 64) + b"\n"
    raw = b"\x93NUMPY\x01\x00" + len(data).to_bytes(2, "little") + data + bytes(24)
    assert container._fast_header(raw) is None
    write_raw(tmp_path, "p", doc({"__ndarray__": "a0"}), {"a0": raw})
    with pytest.raises(TransportError):
        transport.read_payload(tmp_path, "p")


def test_lengths_that_lie_are_rejected_before_reading_on(tmp_path):
    """Every declared length is checked against the caps and the rest of the file before use."""
    arr = npy_bytes(np.zeros(16, dtype=np.uint8))
    text = json.dumps(doc({"__ndarray__": "a0"})).encode()
    whole = payload_file(text, {"a0": arr})
    cases = {
        "truncated": whole[:-5],
        "unexpected bytes": whole + b"tail",
        "JSON is larger": container.MAGIC + struct.pack("<II", 1 << 30, 0),
        "more than 10 arrays": payload_file(text, {"a0": arr}, count=11),
        "bytes in total": (container.MAGIC + struct.pack("<II", len(text), 1) + text + struct.pack("<H", 2) + b"a0"
                           + struct.pack("<Q", 1 << 40)),
    }
    for i, (match, data) in enumerate(cases.items()):
        (tmp_path / f"p{i}.pay").write_bytes(data)
        with pytest.raises(TransportError, match=match):
            transport.read_payload(tmp_path, f"p{i}", PayloadLimits(max_arrays=10, max_array_bytes=1 << 20))


def test_too_many_arrays_and_bad_keys_are_rejected(tmp_path):
    write_raw(tmp_path, "q", doc(None), {"../x": npy_bytes(np.arange(2))})
    with pytest.raises(TransportError, match="invalid array key"):
        transport.read_payload(tmp_path, "q")
    (tmp_path / "r.pay").write_bytes(payload_file(json.dumps(doc(None)), {"a0": npy_bytes(np.arange(2))}) +
                                     struct.pack("<H", 2) + b"a0")
    with pytest.raises(TransportError):
        transport.read_payload(tmp_path, "r")
    dup = payload_file(json.dumps(doc([{"__ndarray__": "a0"}])), {"a0": npy_bytes(np.arange(2))}, count=2)
    dup += struct.pack("<H", 2) + b"a0" + struct.pack("<Q", len(npy_bytes(np.arange(2)))) + npy_bytes(np.arange(2))
    (tmp_path / "d.pay").write_bytes(dup)
    with pytest.raises(TransportError, match="duplicate array"):
        transport.read_payload(tmp_path, "d")


def test_symlinks_fifos_and_missing_files_are_rejected(tmp_path):
    secret = tmp_path / "secret.pay"
    secret.write_bytes(payload_file(json.dumps(doc("top secret"))))
    (tmp_path / "p.pay").symlink_to(secret)
    with pytest.raises(TransportError, match="cannot open"):
        transport.read_payload(tmp_path, "p")
    os.mkfifo(tmp_path / "q.pay")  # would block a naive reader forever
    with pytest.raises(TransportError, match="not a regular file"):
        transport.read_payload(tmp_path, "q")
    with pytest.raises(TransportError, match="missing"):
        transport.read_payload(tmp_path, "nothing")
    with pytest.raises(TransportError, match="invalid payload name"):
        transport.read_payload(tmp_path, "../etc/passwd")


def test_pickle_module_is_never_needed(tmp_path, monkeypatch):
    """Reading a payload must not touch pickle at all (defence in depth)."""
    def forbidden(*a, **k):
        raise AssertionError("pickle used")

    transport.write_payload(tmp_path, "p", {"a": np.arange(3), "b": (1.5, np.float32(2))})
    monkeypatch.setattr(pickle, "load", forbidden)
    monkeypatch.setattr(pickle, "loads", forbidden)
    monkeypatch.setattr(pickle, "Unpickler", forbidden)
    out = transport.read_payload(tmp_path, "p")
    assert np.array_equal(out["a"], np.arange(3))


_GOOD = {"w": np.arange(6.0).reshape(2, 3), "b": np.float32(1.5), "cost": [0.5, float("nan")], "n": 3}


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(noise=st.binary(min_size=1, max_size=64), at=st.integers(0, 10_000), cut=st.booleans())
def test_damaged_payload_files_only_ever_raise_transport_errors(tmp_path, noise, at, cut):
    """Bytes overwritten anywhere in a valid file (or the file cut there): a value or a TransportError."""
    transport.write_payload(tmp_path, "good", _GOOD)
    data = (tmp_path / "good.pay").read_bytes()
    at %= len(data)
    damaged = data[:at] if cut else data[:at] + noise + data[at + len(noise):]
    (tmp_path / "bad.pay").write_bytes(damaged)
    try:
        transport.read_payload(tmp_path, "bad", PayloadLimits(max_array_bytes=1 << 20, max_arrays=8))
    except TransportError:
        pass
