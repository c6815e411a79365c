"""Numpy helpers for the weekly rules, which run dozens of operations a week on arrays of a few thousand
people: at that size the cost of each call, not the arithmetic, sets the speed.

``mean_of``, ``indices_of`` and ``clip_unit`` give exactly what their numpy counterparts give; inside the rules'
kernels ``unit_clip`` clips one number as ``clip_unit`` does, and ``moved`` is the partial adjustment several weekly
rules make.
"""

from __future__ import annotations

import numpy as np

from sim.compiled import kernel

try:  # the ufunc np.clip ends in, without its Python wrappers (numpy-internal: fall back if it moves)
    from numpy._core.umath import clip  # noqa: F401
except ImportError:  # pragma: no cover - other numpy layouts
    from numpy import clip  # noqa: F401


# the bounds of a level or a share as float arrays: numpy converts Python-number bounds on every call of the
# ufunc, which at a few thousand elements costs more than the clip itself
_LOWEST, _HIGHEST = np.array(0.0), np.array(1.0)
_LOWEST.flags.writeable = _HIGHEST.flags.writeable = False


def clip_unit(values: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``clip(values, 0, 1)`` of a float array (levels and shares stay within 0..1), at less than half the cost."""
    return clip(values, _LOWEST, _HIGHEST, out=out)


@kernel
def unit_clip(value):
    """``clip_unit`` of one number, inside a kernel: below 0 is 0, above 1 is 1, anything else (-0.0 and nan too) is
    kept, as numpy's clip keeps it."""
    if value < 0:
        return 0.0
    if value > 1:
        return 1.0
    return value


def mean_of(values: np.ndarray) -> np.floating:
    """``values.mean()`` of a 1-D float array (the same sum and division), without its Python wrappers."""
    return np.add.reduce(values) / values.size


def indices_of(mask: np.ndarray) -> np.ndarray:
    """``np.flatnonzero`` of a 1-D mask, without its ravel and wrappers."""
    return mask.nonzero()[0]


@kernel
def moved(value, target, rate):
    """Partial adjustment of one number, inside a kernel: ``value`` moved the share ``rate`` of the way to ``target``."""
    return value + rate * (target - value)
