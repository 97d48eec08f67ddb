"""`autograder.grading.compare.compare`, branch by branch: what is accepted, what is rejected with which
kind, and what the message tells the student (never the expected values of an array)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograder.grading.compare import Mismatch, Tolerance, TypeRules, compare, describe
from autograder.isolation.transport import Unsupported


def mismatch(expected, got, **kw) -> Mismatch:
    mm = compare(expected, got, **kw)
    assert mm is not None, f"{got!r} was accepted for {expected!r}"
    return mm


# ----------------------------------------------------------------------------- arrays
def test_equal_arrays_and_int_vs_float_dtypes_are_accepted():
    e = np.arange(6, dtype=float).reshape(2, 3)
    assert compare(e, e.copy()) is None
    lenient = TypeRules(int_for_float=True)  # what an exercise whose spec calls int arrays harmless states
    assert compare(e, np.arange(6).reshape(2, 3), rules=lenient) is None  # int array with the right values
    assert compare(np.array([[1.0, 0.0]]), np.array([[True, False]]), rules=lenient) is None  # bool is 0/1


@pytest.mark.parametrize("got, what", [(np.arange(6).reshape(2, 3), "integers"),
                                       (np.arange(6).reshape(2, 3) > 2, "bools")])
def test_int_array_for_a_float_array_is_a_dtype_mismatch_by_default(got, what):
    mm = mismatch(np.arange(6, dtype=float).reshape(2, 3), got)
    assert mm.kind == "dtype"
    assert f"should be a float array, got an array of {what}" in mm.message and "dtype=int" in mm.message


def test_numpy_scalars_and_huge_integers():
    assert compare(0.5, np.float64(0.5)) is None
    assert compare(0.5, np.float32(0.5)) is None
    assert compare(0.5, np.array(0.5)) is None  # np.squeeze of a (1, 1) array
    strict = TypeRules(numpy_scalar_for_float=False)
    assert compare(0.5, np.float64(0.5), rules=strict) is None  # np.float64 is a Python float
    mm = mismatch(0.5, np.float32(0.5), rules=strict)
    assert mm.kind == "type" and "plain Python number" in mm.message
    mm = mismatch(0.5, 10 ** 3800)  # a returned integer of 3,801 digits: a failed case, not a crash
    assert mm.kind == "nonfinite"


@pytest.mark.parametrize("got, hint", [
    ([[0.0, 1.0, 2.0]], "You returned a Python list; return a numpy array instead."),
    (((0.0, 1.0, 2.0),), "You returned a Python list; return a numpy array instead."),
    (3.0, "Return a numpy array"),
    (None, "Return a numpy array"),
])
def test_array_expected_but_not_an_array(got, hint):
    mm = mismatch(np.array([[0.0, 1.0, 2.0]]), got)
    assert mm.kind == "type" and mm.path == "result"
    assert "should be an array of shape (1, 3)" in mm.message
    assert hint in mm.message


@pytest.mark.parametrize("expected_shape, got_shape, hint", [
    ((3, 5), (5, 3), "It looks transposed"),
    ((1, 4), (4,), "keep it 2-D, e.g. .reshape(1, -1)"),
    ((4, 1), (4,), "keep it a column, e.g. .reshape(-1, 1)"),
    ((6, 2), (3, 4), "right number of entries in the wrong arrangement: check your reshape"),
    ((6, 2), (2, 3, 2), "right number of entries in the wrong arrangement"),
])
def test_shape_mismatch_hints(expected_shape, got_shape, hint):
    mm = mismatch(np.zeros(expected_shape), np.zeros(got_shape))
    assert mm.kind == "shape"
    assert f"should have shape {expected_shape}, got {got_shape}." in mm.message
    assert hint in mm.message


def test_shape_mismatch_without_a_hint():
    mm = mismatch(np.zeros((3, 5)), np.zeros((3, 4)))
    assert mm.kind == "shape"
    assert mm.message == "result should have shape (3, 5), got (3, 4)."


def test_square_matrix_is_not_called_transposed_when_only_values_differ():
    e = np.arange(4.0).reshape(2, 2)
    mm = mismatch(e, e.T)
    assert mm.kind == "value"  # same shape: a value difference, no shape hint


@pytest.mark.parametrize("got", [
    np.array([["a", "b"]]),
    np.array([[object(), object()]], dtype=object),
    np.array([[1.0, 2.0]], dtype=object),  # numbers, but an object array all the same
    np.array([[1 + 0j, 2 + 0j]]),
])
def test_non_real_dtypes_are_rejected(got):
    mm = mismatch(np.array([[1.0, 2.0]]), got)
    assert mm.kind == "dtype"
    assert "should hold real numbers, got dtype" in mm.message


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite_where_finite_expected(bad):
    e = np.ones((2, 3))
    g = e.copy()
    g[1, 2] = bad
    mm = mismatch(e, g)
    assert mm.kind == "nonfinite"
    assert "first at index (1, 2)" in mm.message and "log(0)" in mm.message


def test_nan_where_nan_expected_and_inf_where_inf_expected_are_accepted():
    e = np.array([1.0, np.nan, np.inf, -np.inf])
    assert compare(e, e.copy()) is None


def test_value_mismatch_reports_largest_error_and_index_but_not_the_expected_array():
    rng = np.random.default_rng(0)
    e = rng.uniform(1.0, 9.0, size=(3, 4))  # distinctive values
    g = e.copy()
    g[0, 1] += 0.5
    g[2, 3] -= 2.0  # the largest error
    mm = mismatch(e, g)
    assert mm.kind == "value"
    assert "2 of 12 values are wrong" in mm.message
    assert "the largest error is 2 at index (2, 3)" in mm.message
    assert "right shape (3, 4)" in mm.message
    # no value of the expected array (at any precision a student could use) appears in the message
    for v in e.ravel():
        for text in (repr(float(v)), f"{v:.4g}", f"{v:.6g}"):
            assert text not in mm.message, text
    assert "array(" not in mm.message and "[" not in mm.message


def test_value_mismatch_message_for_1d_and_scalar_like_arrays():
    mm = mismatch(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    assert "at index (2,)" in mm.message and "1 of 3 values are wrong" in mm.message
    mm = mismatch(np.array(2.0), np.array(3.0))  # 0-d arrays compared as arrays
    assert mm.kind == "value" and "at index ()" in mm.message


# ----------------------------------------------------------------------------- numbers
@pytest.mark.parametrize("got", [0.5, np.float64(0.5), np.float32(0.5), np.array(0.5), np.array(0.5, np.float32)])
def test_numbers_numpy_scalars_and_0d_arrays_are_accepted_as_numbers(got):
    assert compare(0.5, got) is None


def test_int_expected_accepts_equal_int_or_float():
    assert compare(3, 3) is None and compare(3, 3.0) is None and compare(3, np.int64(3)) is None
    assert compare(3, np.array(3)) is None


@pytest.mark.parametrize("got", [np.array([0.5]), np.array([[0.5]])])
def test_one_element_array_for_a_number_gets_the_squeeze_hint(got):
    mm = mismatch(0.5, got)
    assert mm.kind == "type"
    assert "should be a number" in mm.message and "np.squeeze" in mm.message


@pytest.mark.parametrize("got, shown", [
    (np.array([0.5, 0.5]), "an array of shape (2,)"),
    ("0.5", "a str"),
    (None, "None"),
    ([0.5], "a list of length 1"),
    (True, "a bool"),  # a bool is not a number here
])
def test_number_expected_other_types(got, shown):
    mm = mismatch(0.5, got)
    assert mm.kind == "type" and shown in mm.message
    assert "np.squeeze" not in mm.message


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), np.array(-np.inf)])
def test_nonfinite_number(bad):
    mm = mismatch(0.25, bad)
    assert mm.kind == "nonfinite" and "where a finite number was expected" in mm.message


def test_nan_number_expected_accepts_nan():
    assert compare(float("nan"), float("nan")) is None
    assert compare(float("nan"), 1.0).kind == "value"


def test_wrong_number():
    mm = mismatch(0.25, 0.75)
    assert mm.kind == "value" and "result is 0.75" in mm.message and "off by 0.5" in mm.message


# ----------------------------------------------------------------------------- bool / None / str
def test_bool_none_str():
    assert compare(True, True) is None
    assert compare(True, np.True_) is None  # numpy's bool (np.all, comparisons) is a bool
    assert compare(np.False_, False) is None
    mm = mismatch(True, False)
    assert mm.kind == "value" and mm.message == "result should be True, got False."
    assert mismatch(True, np.False_).message == "result should be True, got False."
    assert "a number (int)" in mismatch(True, 1).message  # 1 is not True here
    assert "a number (float)" in mismatch(False, 0.0).message
    assert compare(None, None) is None
    assert mismatch(None, 0).message == "result should be None, got a number (int)."
    assert mismatch(None, np.zeros(2)).kind == "value"
    assert compare("relu", "relu") is None
    assert mismatch("relu", "tanh").message == "result should be 'relu', got a str."
    assert mismatch("relu", None).kind == "value"


# ----------------------------------------------------------------------------- dicts
def test_dict_keys_missing_and_extra():
    e = {"dw": np.zeros((2, 1)), "db": 0.0}
    mm = mismatch(e, {"dw": np.zeros((2, 1))})
    assert mm.kind == "keys" and "missing ['db']" in mm.message and "unexpected" not in mm.message
    mm = mismatch(e, {"dw": np.zeros((2, 1)), "db": 0.0, "dW": 1})
    assert mm.kind == "keys" and "unexpected ['dW']" in mm.message and "missing" not in mm.message
    mm = mismatch(e, {"DW": np.zeros((2, 1)), "db": 0.0})
    assert "missing ['dw']" in mm.message and "unexpected ['DW']" in mm.message
    assert "should have the keys ['dw', 'db']" in mm.message


def test_dict_expected_but_other_type():
    mm = mismatch({"a": 1.0}, [1.0])
    assert mm.kind == "type" and "should be a dict with keys ['a']" in mm.message


def test_dict_key_order_does_not_matter_and_values_are_compared():
    e = {"dw": np.ones((2, 1)), "db": 0.5}
    assert compare(e, {"db": 0.5, "dw": np.ones((2, 1))}) is None
    mm = mismatch(e, {"dw": np.ones((2, 1)), "db": 0.6})
    assert mm.path == "result['db']" and mm.message.startswith("result['db'] is 0.6")


# ----------------------------------------------------------------------------- tuples / lists
def test_tuple_and_list_length_and_type():
    mm = mismatch((1.0, 2.0), (1.0,))
    assert mm.kind == "length" and mm.message == "result should have 2 items, got 1."
    mm = mismatch([1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0])
    assert mm.kind == "length"
    mm = mismatch((1.0, 2.0), np.array([1.0, 2.0]))
    assert mm.kind == "type" and "should be a tuple of length 2" in mm.message
    mm = mismatch([1.0], {"a": 1.0})
    assert mm.kind == "type" and "should be a list of length 1" in mm.message
    # a list where a tuple is expected (or the reverse) is fine: only the items matter
    assert compare((1.0, 2.0), [1.0, 2.0]) is None
    assert compare([1.0, 2.0], (1.0, 2.0)) is None


def test_item_paths_without_names():
    mm = mismatch((1.0, [2.0, 3.0]), (1.0, [2.0, 4.0]))
    assert mm.path == "result[1][1]"


def test_nested_paths_use_names():
    expected = ({"dw": np.zeros((3, 1)), "db": 0.0}, 0.7)
    got = ({"dw": np.zeros((1, 3)), "db": 0.0}, 0.7)
    mm = compare(expected, got, names=("grads", "cost"))
    assert mm.path == "grads['dw']" and mm.kind == "shape"
    assert mm.message.startswith("grads['dw'] should have shape (3, 1), got (1, 3).")
    assert "transposed" in mm.message
    mm = compare(expected, (expected[0], 0.9), names=("grads", "cost"))
    assert mm.path == "cost" and mm.message.startswith("cost is 0.9")


def test_names_of_the_wrong_length_are_ignored():
    mm = compare((1.0, 2.0), (1.0, 3.0), names=("only-one",))
    assert mm.path == "result[1]"


def test_first_mismatch_in_depth_first_order():
    expected = {"a": (1.0, np.zeros(2)), "b": 2.0}
    mm = compare(expected, {"a": (1.0, np.ones(2)), "b": 3.0})
    assert mm.path == "result['a'][1]"


# ----------------------------------------------------------------------------- Unsupported
@pytest.mark.parametrize("expected", [np.zeros(2), 1.0, {"a": 1}, (1, 2), True, None])
def test_unsupported_values_are_rejected(expected):
    got = Unsupported("pandas.DataFrame", "<DataFrame 2x2>")
    mm = mismatch(expected, got)
    assert mm.kind == "type" and "got an object of type pandas.DataFrame" in mm.message
    assert "<DataFrame" not in mm.message  # the student's repr is not echoed


def test_unsupported_nested_in_a_dict():
    mm = mismatch({"w": np.zeros((2, 1))}, {"w": Unsupported("torch.Tensor", "tensor(...)")})
    assert mm.path == "result['w']" and "torch.Tensor" in mm.message


def test_unsupported_reference_type_is_a_spec_error():
    with pytest.raises(TypeError, match="the reference returned an unsupported type set"):
        compare({1, 2}, {1, 2})


def test_describe_never_shows_values():
    arr = np.array([[123.456]])
    assert "123" not in describe(arr)
    assert describe(arr) == "an array of shape (1, 1) (dtype float64)"
    assert describe({"b": 1, "a": 2}) == "a dict with keys ['a', 'b']"


# ----------------------------------------------------------------------------- tolerance
def test_default_tolerance():
    t = Tolerance()
    assert (t.rtol, t.atol) == (1e-6, 1e-9)
    assert compare(1.0, 1.0 + 0.9e-6) is None
    assert compare(1.0, 1.0 + 1.1e-6) is not None
    assert compare(0.0, 0.9e-9) is None
    assert compare(0.0, 1.1e-9) is not None


@pytest.mark.parametrize("kind", ["number", "array"])
def test_tolerance_boundary_relative(kind):
    tol = Tolerance(rtol=1e-3, atol=0.0)
    wrap = (lambda x: x) if kind == "number" else (lambda x: np.array([[x, 1.0]]))
    assert compare(wrap(2.0), wrap(2.0 + 0.999 * 2e-3), tol) is None
    assert compare(wrap(2.0), wrap(2.0 - 0.999 * 2e-3), tol) is None
    assert compare(wrap(2.0), wrap(2.0 + 1.001 * 2e-3), tol) is not None
    assert compare(wrap(2.0), wrap(2.0 - 1.001 * 2e-3), tol) is not None


@pytest.mark.parametrize("kind", ["number", "array"])
def test_tolerance_boundary_absolute_near_zero(kind):
    tol = Tolerance(rtol=1e-6, atol=1e-4)
    wrap = (lambda x: x) if kind == "number" else (lambda x: np.array([x]))
    assert compare(wrap(0.0), wrap(0.99e-4), tol) is None
    assert compare(wrap(0.0), wrap(-0.99e-4), tol) is None
    assert compare(wrap(0.0), wrap(1.01e-4), tol) is not None


def test_tolerance_is_relative_to_the_expected_value():
    tol = Tolerance(rtol=0.5, atol=0.0)
    # |1 - 1.9| = 0.9: within 0.5 * 1.9 when 1.9 is expected, not within 0.5 * 1 when 1 is
    assert compare(1.9, 1.0, tol) is None
    assert compare(1.0, 1.9, tol) is not None
    assert compare(np.array([1.9]), np.array([1.0]), tol) is None
    assert compare(np.array([1.0]), np.array([1.9]), tol) is not None


def test_tolerance_reaches_nested_values():
    tol = Tolerance(rtol=0.0, atol=0.1)
    assert compare(({"dw": np.zeros(2)}, 1.0), ({"dw": np.full(2, 0.09)}, 1.09), tol) is None
    assert compare(({"dw": np.zeros(2)}, 1.0), ({"dw": np.full(2, 0.11)}, 1.0), tol).path == "result[0]['dw']"


def test_message_numbers_are_readable():
    mm = mismatch(np.zeros((2, 2)), np.full((2, 2), 1.23456789))
    assert re.search(r"largest error is 1\.23 at index \(0, 0\)", mm.message)
