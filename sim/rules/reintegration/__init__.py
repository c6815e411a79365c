"""Step 5: reintegration of released people in the community — stigma, jobs, housing, family, identity, trust."""

from __future__ import annotations

from sim.agents.states import ENROLLED, ON_LICENCE
from sim.arrays import indices_of
from sim.world import Present


def present(world, params, stream, week: int) -> None:
    """Who is in the community this week and which NGO services each receives (read by the reintegration rules)."""
    cohort = world.cohort
    people = indices_of(cohort.in_community())
    ngo, enrolled = cohort.ngo[people], cohort.ngo_status[people] == ENROLLED
    offers = world.ngos.services_for(ngo, enrolled)
    world.present = Present(people, ngo, enrolled, offers, cohort.status[people] == ON_LICENCE)
