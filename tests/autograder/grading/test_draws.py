"""`autograder.grading.draws`: the seed of a case, its streams, the numpy bound for a case (what each
way of drawing gives, and that numpy's real global state is never touched), and its binding."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from autograder.grading import draws
from autograder.grading.spec import Case
from autograder.isolation.forbid import resolve  # how the sandbox resolves a ``Case.bind`` factory


def test_a_case_seed_depends_on_the_values_only():
    X = np.arange(6.0).reshape(2, 3)
    seed = draws.case_seed(X, {"b": [1, 2], "a": 0.5}, 3)
    assert seed == draws.case_seed(X.copy(), {"a": 0.5, "b": [1, 2]}, 3)  # dict order does not count
    assert seed == draws.case_seed(np.arange(6).reshape(2, 3), {"a": 0.5, "b": [1, 2]}, 3)  # arrays as floats
    assert seed != draws.case_seed(X.T, {"a": 0.5, "b": [1, 2]}, 3)  # the shape counts
    assert seed != draws.case_seed(X, {"a": 0.5, "b": [1, 2]}, 4)
    assert 0 <= seed < 2**56 and isinstance(seed, int)


def test_each_stream_is_its_own_generator():
    first = [draws.case_generator(5, s).standard_normal(4) for s in draws.STREAMS]
    assert len({a.tobytes() for a in first}) == len(draws.STREAMS)
    np.testing.assert_array_equal(draws.case_generator(5).standard_normal(4), first[0])
    np.testing.assert_array_equal(np.random.Generator(draws.stream_bits(5, "global")).standard_normal(4), first[2])


def test_the_numpy_of_a_case_draws_from_its_streams_and_leaves_the_global_state_alone():
    state = np.random.get_state()[1].copy()
    npx = draws.numpy_for_case(7)
    r = npx.random
    rng = r.default_rng()
    assert r.default_rng(None) is rng and isinstance(rng, np.random.Generator)  # one per case: it continues
    np.testing.assert_array_equal(rng.standard_normal(3), draws.case_generator(7).standard_normal(3))
    mine = np.random.default_rng(1)
    assert r.default_rng(mine) is mine
    np.testing.assert_array_equal(r.default_rng(42).random(2), draws.case_generator(7, "fixed").random(2))
    g = draws.case_generator(7, "global")
    r.seed(0)  # does nothing
    np.testing.assert_array_equal(r.randn(2, 3), g.standard_normal((2, 3)))
    np.testing.assert_array_equal(r.rand(4), g.random((4,)))
    np.testing.assert_array_equal(r.random_sample(2), g.random(2))
    np.testing.assert_array_equal(r.randint(0, 9, 5), g.integers(0, 9, 5))
    np.testing.assert_array_equal(r.normal(0.0, 2.0, 3), g.normal(0.0, 2.0, 3))
    np.testing.assert_array_equal(r.permutation(6), g.permutation(6))
    np.testing.assert_array_equal(r.RandomState(123).rand(2), g.random(2))  # the global stream, whatever the seed
    assert r.Generator is np.random.Generator and r.PCG64 is np.random.PCG64
    with pytest.raises(AttributeError):
        r.integers  # noqa: B018 (a Generator method numpy.random does not have)
    assert npx.zeros(2).shape == (2,) and npx.float64 is np.float64 and repr(npx) == repr(np)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_a_subclass_changes_what_it_says_and_binds_its_own_factories():
    class Refusing(draws.RandomModule):
        def _not_a_draw(self, name):
            raise LookupError(name)

    assert isinstance(Refusing.numpy_for_case(3).random, Refusing)
    with pytest.raises(LookupError, match="get_state"):
        Refusing(3).get_state  # noqa: B018
    bind = draws.bind_for(np.int64(11))
    assert bind["np"] == ("autograder.grading.draws:RandomModule.numpy_for_case", (11,)) == bind["numpy"]
    assert type(bind["np"][1][0]) is int
    Case("a case that draws", (), bind=bind)
    np.testing.assert_array_equal(resolve(bind["default_rng"][0])(*bind["default_rng"][1])().random(3),
                                  draws.case_generator(11).random(3))


def test_the_sandbox_can_import_it_cheaply():
    code = "import sys, autograder.grading.draws; print(sorted(m for m in sys.modules if m.startswith('autograder')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "['autograder', 'autograder.grading', 'autograder.grading.draws']", out
