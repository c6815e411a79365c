"""The weekly metrics' compiled means add as numpy's ``np.add.reduce`` adds (pairwise), so they are numpy's to the last bit;
the attitudes rule's averaging product adds as scipy's ``@`` adds."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sparse

from sim.network import alone_hear_themselves, averages_into, averaging_rows, row_normalised
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


@pytest.mark.parametrize("size", [1, 2, 7, 64, 1001])
def test_the_averaging_product_is_scipys_to_the_last_bit(size):
    """Rows of every length (members without a tie too, before and after they hear themselves), odd and even counts."""
    rng = np.random.default_rng(size)
    ties = rng.integers(0, size, (2, size * 3))
    matrix = row_normalised(ties[0], ties[1], (size, size))
    for influence in (matrix, alone_hear_themselves(matrix)):
        x = rng.random(size) - rng.random(size)
        heard = np.empty(size)
        averages_into(averaging_rows(influence), x, heard)
        assert heard.tobytes() == (influence @ x).tobytes()


def test_a_matrix_whose_ties_weigh_differently_in_a_row_is_refused():
    with pytest.raises(ValueError, match="weigh the same"):
        averaging_rows(sparse.csr_matrix(np.array([[0.25, 0.75], [0.5, 0.5]])))
