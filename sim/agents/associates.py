"""Old associates of released people: each one a community member with one state (active, desisted, imprisoned).

One row per tie (``of``: the released person it belongs to, ``member``: which associate, ``node``: the
community member on the network) and one state per associate: associates are drawn with replacement from
the few members with affinity, so one member is often the old associate of several people, and when they
desist or are arrested they do so for all of them (``sim.rules.associates`` turns them over). Only active associates
pull a released person back: they are counted into ``Cohort.associates``, which engagement and commitment
(``sim.rules.reintegration.identity``) and the offence hazard (``sim.rules.offending``) read.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from sim.compiled import kernel


class AssociateState(IntEnum):
    """State of an old associate (stored as int8)."""

    ACTIVE = 0  # in the movement (or the criminal network), reachable
    DESISTED = 1  # has left it: no longer pulls
    IMPRISONED = 2  # in prison: out of reach until released


ACTIVE, DESISTED, IMPRISONED = (int(state) for state in AssociateState)  # as plain ints, for the weekly rule


class Associates:
    """The associates as arrays; ``turning_over`` marks the associates whose state changes (those of at least one
    violent-extremist person). The weekly turnover's block holds one uniform per community member (``block``), of
    which only the first ``possible`` are drawn, one per member with affinity, whoever is an associate: an
    associate's is at ``draw``, their place in the order of affinity (``sim.world.old_associates``), so scenarios
    with more or fewer associates, or more or fewer members with affinity, share them."""

    def __init__(self, of: np.ndarray, node: np.ndarray, member: np.ndarray, state: np.ndarray,
                 turning_over: np.ndarray, cohort_size: int, draw: np.ndarray, possible: int, block: int) -> None:
        self.of = of  # per tie
        self.node = node  # per tie
        self.member = member  # per tie: its associate's row in ``state``
        self.state = state.astype(np.int8)  # per associate
        self.turning_over = turning_over  # per associate
        self.turning = np.flatnonzero(turning_over)  # the associates whose state can change
        self.cohort_size = cohort_size
        self.size = state.size  # associates, not ties
        self.draw = draw  # per associate: its place in the weekly block (its rank among the members with affinity)
        self.possible = possible  # members with affinity: the weekly uniforms drawn
        self.block = block  # community members: the weekly block's fixed shape

    def active_counts(self) -> np.ndarray:
        """Active associates of each released person (whole numbers, as floats)."""
        counts = np.zeros(self.cohort_size)
        count_active(counts, self.of, self.member, self.state)
        return counts


@kernel
def count_active(counts, of, member, state):
    """Active associates of each released person, written into ``counts`` (``Associates.active_counts``; the weekly
    turnover recounts into the cohort's own array). Each tie adds its 1 or 0 without a branch: whether an associate is
    active follows no pattern the processor could guess, and a wrong guess per tie cost most of the loop."""
    counts[:] = 0
    for tie in range(of.size):
        counts[of[tie]] += state[member[tie]] == ACTIVE
