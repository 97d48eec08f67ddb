"""Tests for autograder.transport: round trips, and hostile payloads on the trusted side."""
from __future__ import annotations

import io
import json
import math
import os
import pickle
import warnings
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.isolation import transport
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


def write_raw(d, name, doc, npz: bytes | None = None):
    (d / f"{name}.json").write_text(doc if isinstance(doc, str) else json.dumps(doc))
    if npz is None:
        buf = io.BytesIO()
        np.savez(buf)
        npz = buf.getvalue()
    (d / f"{name}.npz").write_bytes(npz)


def doc(tree):
    return {"format": "autograder-payload", "version": 1, "tree": tree}


def npz_of(**members: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


def npy_bytes(arr, allow_pickle=False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=allow_pickle)
    return buf.getvalue()


class Boom:
    marker = ""

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('pwned')",))


def test_pickle_in_npz_is_rejected_and_never_unpickled(tmp_path):
    marker = tmp_path / "pwned"
    Boom.marker = str(marker)
    evil = npy_bytes(np.array([Boom()], dtype=object), allow_pickle=True)
    # sanity: numpy *would* execute it with allow_pickle=True
    np.load(io.BytesIO(evil), allow_pickle=True)
    assert marker.exists()
    marker.unlink()
    write_raw(tmp_path, "p", doc({"__ndarray__": "a0"}), npz_of(**{"a0.npy": evil}))
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
    npz = npz_of(**{"a0.npy": npy_bytes(np.arange(3))})
    write_raw(tmp_path, "p", doc(tree), npz)
    with pytest.raises(TransportError, match=match):
        transport.read_payload(tmp_path, "p")


def test_unreferenced_array_is_rejected(tmp_path):
    write_raw(tmp_path, "p", doc(1), npz_of(**{"a0.npy": npy_bytes(np.arange(3))}))
    with pytest.raises(TransportError, match="not referenced"):
        transport.read_payload(tmp_path, "p")


def test_deep_nesting_is_rejected(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    write_raw(tmp_path, "p", '{"format": "autograder-payload", "version": 1, "tree": ' + deep + "}")
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
    write_raw(tmp_path, "p", '{"format": "autograder-payload", "version": 1, "tree": NaN}')
    with pytest.raises(TransportError, match="NaN"):
        transport.read_payload(tmp_path, "p")
    write_raw(tmp_path, "q", {"format": "other", "version": 1, "tree": 1})
    with pytest.raises(TransportError, match="format"):
        transport.read_payload(tmp_path, "q")
    (tmp_path / "r.json").write_bytes(b"\xff\xfe garbage")
    (tmp_path / "r.npz").write_bytes(b"")
    with pytest.raises(TransportError, match="not valid JSON"):
        transport.read_payload(tmp_path, "r")


def test_array_header_lies_are_rejected_without_allocating(tmp_path):
    good = npy_bytes(np.arange(4, dtype=np.int64))
    header_end = good.index(b"\n") + 1
    header = good[:header_end].replace(b"(4,)", b"(10000000000000,)")
    header = header[:8] + len(header[10:]).to_bytes(2, "little") + header[10:]
    liar = header + good[header_end:]
    write_raw(tmp_path, "p", doc({"__ndarray__": "a0"}), npz_of(**{"a0.npy": liar}))
    with pytest.raises(TransportError, match="bytes in total"):
        transport.read_payload(tmp_path, "p")
    short = good[:-8]  # header says 4 elements, data has 3
    write_raw(tmp_path, "q", doc({"__ndarray__": "a0"}), npz_of(**{"a0.npy": short}))
    with pytest.raises(TransportError, match="does not match"):
        transport.read_payload(tmp_path, "q")


def test_zip_bomb_member_is_rejected(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a0.npy", npy_bytes(np.zeros(20 << 20, dtype=np.uint8)))  # 20 MB -> ~20 kB
    write_raw(tmp_path, "p", doc({"__ndarray__": "a0"}), buf.getvalue())
    limits = PayloadLimits(max_array_bytes=1 << 20)
    with pytest.raises(TransportError, match="bytes in total"):
        transport.read_payload(tmp_path, "p", limits)


def test_too_many_members_and_bad_names_are_rejected(tmp_path):
    many = npz_of(**{f"a{i}.npy": b"" for i in range(50)})
    write_raw(tmp_path, "p", doc(None), many)
    with pytest.raises(TransportError, match="more than 10 members"):
        transport.read_payload(tmp_path, "p", PayloadLimits(max_arrays=10))
    write_raw(tmp_path, "q", doc(None), npz_of(**{"../x.npy": npy_bytes(np.arange(2))}))
    with pytest.raises(TransportError, match="unexpected npz member"):
        transport.read_payload(tmp_path, "q")
    write_raw(tmp_path, "r", doc(None), b"PK not really a zip")
    with pytest.raises(TransportError, match="zip"):
        transport.read_payload(tmp_path, "r")


def test_symlinks_fifos_and_missing_files_are_rejected(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps(doc("top secret")))
    write_raw(tmp_path, "p", doc(1))
    (tmp_path / "p.json").unlink()
    (tmp_path / "p.json").symlink_to(secret)
    with pytest.raises(TransportError, match="cannot open"):
        transport.read_payload(tmp_path, "p")
    write_raw(tmp_path, "q", doc(1))
    (tmp_path / "q.npz").unlink()
    os.mkfifo(tmp_path / "q.npz")  # would block a naive reader forever
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
