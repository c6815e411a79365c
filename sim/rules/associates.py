"""Old associates turn over: active members leave the movement or are arrested; imprisoned ones come out."""

from __future__ import annotations

from sim.agents.associates import ACTIVE, DESISTED, IMPRISONED, count_active
from sim.compiled import kernel
from sim.streams import leading


def turn_over(world, params, stream, week: int) -> None:
    """Weekly transitions of the associates of violent-extremist people; each person's active count follows.

    One uniform per member with affinity, associate or not (at ``Associates.draw``, from a block of one per community
    member, so its shape never depends on the scenario: ``sim.streams.leading``): below ``desistance`` an active
    associate desists, below ``desistance + arrest`` they are imprisoned; an imprisoned associate is released (active
    again) below ``release``.
    Desistance is lasting. An associate has one state for everyone they are an associate of; those only of
    general offenders do not turn over (``Associates.turning_over``).
    """
    associates, movement = world.associates, params.movement
    turning = associates.turning
    if turning.size == 0:  # nobody's associates turn over (no violent-extremist people): nothing to draw
        return
    uniform = leading(stream, associates.possible, associates.block)  # one per member with affinity
    turn(associates.state, turning, associates.draw, uniform,
         movement.desistance, movement.desistance + movement.arrest, movement.release)
    count_active(world.cohort.associates, associates.of, associates.member, associates.state)


@kernel
def turn(state, turning, draw, uniform, desistance, desistance_or_arrest, release):
    """Each turning-over associate's state after this week's uniform (the one at their ``draw``)."""
    for associate in turning:
        chance = uniform[draw[associate]]
        if state[associate] == ACTIVE:
            if chance < desistance:
                state[associate] = DESISTED
            elif chance < desistance_or_arrest:
                state[associate] = IMPRISONED
        elif state[associate] == IMPRISONED and chance < release:
            state[associate] = ACTIVE
