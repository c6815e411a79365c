"""Old associates of released people: each one a person with a state (active, desisted, imprisoned).

One row per tie: ``of`` is the released person it belongs to, ``node`` the community member it is
on the network. Only active associates pull a released person back (``sim.rules.associates``).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class AssociateState(IntEnum):
    """State of an old associate (stored as int8)."""

    ACTIVE = 0  # in the movement (or the criminal network), reachable
    DESISTED = 1  # has left it: no longer pulls
    IMPRISONED = 2  # in prison: out of reach until released


ACTIVE, DESISTED, IMPRISONED = (int(state) for state in AssociateState)  # as plain ints, for the weekly rule


class Associates:
    """The associates as arrays; ``turning_over`` marks the ties whose state changes (those of violent-extremist people)."""

    def __init__(self, of: np.ndarray, node: np.ndarray, state: np.ndarray, turning_over: np.ndarray, cohort_size: int) -> None:
        self.of = of
        self.node = node
        self.state = state.astype(np.int8)
        self.turning_over = turning_over
        self.turning = np.flatnonzero(turning_over)  # the rows whose state can change
        self.cohort_size = cohort_size
        self.size = of.size

    def active_counts(self) -> np.ndarray:
        """Active associates of each released person."""
        active = self.of[self.state == ACTIVE]
        return np.bincount(active, minlength=self.cohort_size).astype(float)
