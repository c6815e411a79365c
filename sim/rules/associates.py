"""Old associates turn over: active members leave the movement or are arrested; imprisoned ones come out."""

from __future__ import annotations

from sim.agents.associates import AssociateState


def turn_over(world, params, stream, week: int) -> None:
    """Weekly transitions of a violent-extremist person's associates; each person's active count follows.

    One uniform per associate: below ``desistance`` an active associate desists, below ``desistance +
    arrest`` they are imprisoned; an imprisoned associate is released (active again) below ``release``.
    Desistance is lasting. Ties of general offenders do not turn over (``Associates.turning_over``).
    """
    ties, movement = world.associates, params.movement
    uniform = stream.random(ties.size)
    state = ties.state
    active = ties.turning_over & (state == AssociateState.ACTIVE)
    imprisoned = ties.turning_over & (state == AssociateState.IMPRISONED)
    state[active & (uniform < movement.desistance)] = AssociateState.DESISTED
    state[active & (uniform >= movement.desistance) & (uniform < movement.desistance + movement.arrest)] = AssociateState.IMPRISONED
    state[imprisoned & (uniform < movement.release)] = AssociateState.ACTIVE
    world.cohort.associates = ties.active_counts()
