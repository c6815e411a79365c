"""The weekly metrics' compiled means add as numpy's ``np.add.reduce`` adds (pairwise), so they are numpy's to the last bit."""

from __future__ import annotations

import numpy as np
import pytest

from sim.outcomes import mean_of_all, pairwise_sum

SIZES = [*range(0, 300), 1000, 4095, 4096, 5000, 8191, 8192, 8193, 16385, 100_001, 250_000]


@pytest.mark.parametrize("scale", [1.0, 1e-8, 1e8])
def test_pairwise_sum_is_numpys_sum_to_the_last_bit(scale):
    rng = np.random.default_rng(7)
    for size in SIZES:
        values = rng.random(size) * scale - rng.random(size)
        assert np.float64(0.0 + pairwise_sum(values)).tobytes() == np.add.reduce(values).tobytes(), size
        with np.errstate(invalid="ignore"):
            assert np.float64(mean_of_all(values)).tobytes() == (np.add.reduce(values) / size).tobytes(), size


def test_pairwise_sum_of_negative_zeros_and_nan_is_numpys():
    for values in ([-0.0], [-0.0] * 9, [-0.0] * 200, [np.nan, 1.0]):
        values = np.array(values)
        assert np.float64(mean_of_all(values)).tobytes() == (np.add.reduce(values) / values.size).tobytes()
