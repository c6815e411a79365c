"""The compiled uniforms (float64 and float32) are numpy's to the last bit and leave the stream where numpy leaves it."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.draws import COMPILED_FROM, compiled, uniforms
from sim.streams import Streams


@pytest.mark.parametrize("sizes", [(100_000, 100_000), (7, 13, 1, 0, 8, 9), (1, 1, 1), (4_001, 3_999, 2),
                                   (COMPILED_FROM + 1, 1, COMPILED_FROM, COMPILED_FROM + 3, 9, 100_001)])
def test_float32_uniforms_are_numpys_and_leave_the_stream_where_numpy_does(sizes):
    ours, numpys = Streams(np.random.SeedSequence(11))["attitudes.update"], Streams(np.random.SeedSequence(11))["attitudes.update"]
    for size in sizes:  # odd sizes keep half an output for the next draw, as numpy does
        drawn, expected = uniforms(ours, size, np.float32), numpys.random(size, dtype=np.float32)
        assert drawn.dtype == expected.dtype and drawn.shape == expected.shape
        np.testing.assert_array_equal(drawn, expected)
        assert ours.bit_generator.state == numpys.bit_generator.state
    np.testing.assert_array_equal(ours.random(5), numpys.random(5))  # and float64 draws after them


def test_a_stream_of_another_bit_generator_draws_through_numpy():
    ours, numpys = np.random.Generator(np.random.MT19937(3)), np.random.Generator(np.random.MT19937(3))
    np.testing.assert_array_equal(uniforms(ours, COMPILED_FROM, np.float32), numpys.random(COMPILED_FROM, dtype=np.float32))


@pytest.mark.parametrize("sizes", [(7, 13, 1, 0, 8, 9), (1, 1, 1), (4_001, 3_999, 2)])
def test_the_compiled_uniforms_are_numpys_at_any_size(sizes):
    """``compiled`` itself, below the size ``uniforms`` hands it (odd sizes keep half an output)."""
    ours, numpys = np.random.Generator(np.random.PCG64(8)), np.random.Generator(np.random.PCG64(8))
    for size in sizes:
        np.testing.assert_array_equal(compiled(ours, np.empty(size, dtype=np.float32)), numpys.random(size, dtype=np.float32))
        assert ours.bit_generator.state == numpys.bit_generator.state


@pytest.mark.parametrize("shapes", [((6, 5_000), (4, 5_000), 7, (4, 5_001)), (COMPILED_FROM, 1, (2, COMPILED_FROM + 3))])
def test_uniforms_are_numpys_and_leave_the_stream_where_numpy_does(shapes):
    ours, numpys = Streams(np.random.SeedSequence(12))["supervision.supervise"], Streams(np.random.SeedSequence(12))[
        "supervision.supervise"]
    for shape in shapes:
        drawn, expected = uniforms(ours, shape), numpys.random(shape)
        assert drawn.dtype == expected.dtype and drawn.shape == expected.shape
        np.testing.assert_array_equal(drawn, expected)
        assert ours.bit_generator.state == numpys.bit_generator.state
    # a float32 draw in between keeps half an output, which float64 draws leave as numpy leaves it
    np.testing.assert_array_equal(uniforms(ours, COMPILED_FROM + 1, np.float32),
                                  numpys.random(COMPILED_FROM + 1, dtype=np.float32))
    np.testing.assert_array_equal(uniforms(ours, (3, 5_000)), numpys.random((3, 5_000)))
    assert ours.bit_generator.state == numpys.bit_generator.state


@pytest.mark.parametrize("sizes", [(7, 13, 1, 0, 8, 9), (4_001, 3_999, 2)])
def test_the_compiled_doubles_are_numpys_at_any_size(sizes):
    ours, numpys = np.random.Generator(np.random.PCG64(9)), np.random.Generator(np.random.PCG64(9))
    for size in sizes:
        np.testing.assert_array_equal(compiled(ours, np.empty(size)), numpys.random(size))
        assert ours.bit_generator.state == numpys.bit_generator.state


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**63), draws=st.lists(st.tuples(st.booleans(), st.integers(0, 3 * COMPILED_FROM)),
                                                  min_size=1, max_size=6))
def test_any_mix_of_draws_is_numpys_from_any_seed(seed, draws):
    """Whatever the seed and whatever mix of float32 and float64 blocks of whatever sizes, compiled or not: numpy's
    numbers, and the stream where numpy leaves it (a float32 draw of odd size keeps half an output for the next)."""
    ours, numpys = np.random.Generator(np.random.PCG64(seed)), np.random.Generator(np.random.PCG64(seed))
    for single, size in draws:
        if single:
            np.testing.assert_array_equal(uniforms(ours, size, np.float32), numpys.random(size, dtype=np.float32))
        else:
            np.testing.assert_array_equal(uniforms(ours, size), numpys.random(size))
        assert ours.bit_generator.state == numpys.bit_generator.state


def test_a_dtype_numpy_does_not_make_is_refused_as_numpy_refuses_it():
    ours, numpys = np.random.Generator(np.random.PCG64(4)), np.random.Generator(np.random.PCG64(4))
    with pytest.raises(TypeError) as theirs:
        numpys.random(COMPILED_FROM, dtype=np.float16)
    with pytest.raises(TypeError, match=re.escape(str(theirs.value))):
        uniforms(ours, COMPILED_FROM, np.float16)
