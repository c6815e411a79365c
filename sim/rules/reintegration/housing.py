"""Housing: homes are lost at a weekly rate and found at a rate lowered by stigma, raised by NGO help (objective 8)."""

from __future__ import annotations

import numpy as np

from sim.compiled import kernel
from sim.rules.reintegration.jobs import barrier


def search(world, params, stream, week: int) -> None:
    """Homes are lost at ``effects.housing_loss`` a week and found at ``effects.housing_finding``, lowered by local
    stigma and raised by NGO housing help: being housed lowers the offence hazard (``effects.housing``) and, with
    work, protects from breaches, so the first weeks without a home are the riskiest."""
    cohort, effects, present = world.cohort, params.effects, world.present
    uniform = stream.random(cohort.size)
    look_for_homes(present.people, uniform, cohort.housed, barrier(world, params), present.offered("housing"),
                   effects.ngo_practical_help * params.policy.practical_help, effects.housing_finding, effects.housing_loss)


@kernel
def look_for_homes(people, uniform, housed, barrier, housing_help, practical_help, housing_finding, housing_loss):
    """Homes lost and found for the people present."""
    for row in range(people.size):
        person = np.uint64(people[row])
        find = housing_finding * barrier[row] * (1 + practical_help * housing_help[row])
        draw = uniform[person]
        housed[person] = draw >= housing_loss if housed[person] else draw < find
