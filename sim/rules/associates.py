"""Old associates turn over: active members leave the movement or are arrested; imprisoned ones come out."""

from __future__ import annotations

from sim.agents.associates import ACTIVE, DESISTED, IMPRISONED


def turn_over(world, params, stream, week: int) -> None:
    """Weekly transitions of the associates of violent-extremist people; each person's active count follows.

    One uniform per member with affinity, associate or not (``Associates.draw``): below ``desistance`` an active associate desists, below ``desistance +
    arrest`` they are imprisoned; an imprisoned associate is released (active again) below ``release``.
    Desistance is lasting. An associate has one state for everyone they are an associate of; those only of
    general offenders do not turn over (``Associates.turning_over``).
    """
    associates, movement = world.associates, params.movement
    turning = associates.turning
    if turning.size == 0:  # nobody's associates turn over (no violent-extremist people): nothing to draw
        return
    uniform = stream.random(associates.possible)[associates.draw[turning]]  # one per member with affinity
    before = associates.state[turning]
    state = before.copy()
    active, imprisoned = before == ACTIVE, before == IMPRISONED
    state[active & (uniform < movement.desistance)] = DESISTED
    state[active & (uniform >= movement.desistance) & (uniform < movement.desistance + movement.arrest)] = IMPRISONED
    state[imprisoned & (uniform < movement.release)] = ACTIVE
    associates.state[turning] = state
    world.cohort.associates[:] = associates.active_counts()
