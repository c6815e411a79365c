"""Numpy helpers for the weekly rules, which run dozens of operations a week on arrays of a few thousand
people: at that size the cost of each call, not the arithmetic, sets the speed.

Both give exactly what their numpy counterparts give.
"""

from __future__ import annotations

import numpy as np

try:  # the ufunc np.clip ends in, without its Python wrappers (numpy-internal: fall back if it moves)
    from numpy._core.umath import clip  # noqa: F401
except ImportError:  # pragma: no cover - other numpy layouts
    from numpy import clip  # noqa: F401


def mean_of(values: np.ndarray) -> np.floating:
    """``values.mean()`` of a 1-D float array (the same sum and division), without its Python wrappers."""
    return np.add.reduce(values) / values.size


def indices_of(mask: np.ndarray) -> np.ndarray:
    """``np.flatnonzero`` of a 1-D mask, without its ravel and wrappers."""
    return mask.nonzero()[0]
