"""Old associates turn over: active members leave the movement or are arrested; imprisoned ones come out."""

from __future__ import annotations

import numpy as np

from sim.agents.associates import ACTIVE, DESISTED, IMPRISONED


def turn_over(world, params, stream, week: int) -> None:
    """Weekly transitions of a violent-extremist person's associates; each person's active count follows.

    One uniform per associate: below ``desistance`` an active associate desists, below ``desistance +
    arrest`` they are imprisoned; an imprisoned associate is released (active again) below ``release``.
    Desistance is lasting. Ties of general offenders do not turn over (``Associates.turning_over``).
    """
    ties, movement = world.associates, params.movement
    turning = ties.turning
    if turning.size == 0:  # nobody's associates turn over (no violent-extremist people): nothing to draw
        return
    uniform = stream.random(ties.size)[turning]
    before = ties.state[turning]
    state = before.copy()
    active, imprisoned = before == ACTIVE, before == IMPRISONED
    state[active & (uniform < movement.desistance)] = DESISTED
    state[active & (uniform >= movement.desistance) & (uniform < movement.desistance + movement.arrest)] = IMPRISONED
    state[imprisoned & (uniform < movement.release)] = ACTIVE
    ties.state[turning] = state
    # each person's active count changes by those who came out less those who left (whole numbers: exact)
    now_active = state == ACTIVE
    of, people = ties.of[turning], world.cohort.size
    world.cohort.associates += np.bincount(of[now_active & ~active], minlength=people)
    world.cohort.associates -= np.bincount(of[active & ~now_active], minlength=people)
