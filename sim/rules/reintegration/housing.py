"""Housing: homes are lost at a weekly rate and found at a rate lowered by stigma, raised by NGO help (objective 8)."""

from __future__ import annotations

import numpy as np

from sim.rules.reintegration.jobs import barrier


def search(world, params, stream, week: int) -> None:
    """Homes are lost at ``effects.housing_loss`` a week and found at ``effects.housing_finding``, lowered by local
    stigma and raised by NGO housing help: being housed lowers the offence hazard (``effects.housing``) and, with
    work, protects from breaches, so the first weeks without a home are the riskiest."""
    cohort, effects = world.cohort, params.effects
    uniform = stream.random(cohort.size)
    here = world.present.people
    help_homes = 1 + effects.ngo_practical_help * params.policy.practical_help * world.present.offered("housing")
    find = effects.housing_finding * barrier(world, params) * help_homes
    draw = uniform[here]
    cohort.housed[here] = np.where(cohort.housed[here], draw >= effects.housing_loss, draw < find)
