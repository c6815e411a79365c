"""Family: bonds kept through custody by visits and NGO family support (Duwe & Clark 2013; objective 7),
then moving towards what the household can give."""

from __future__ import annotations

import numpy as np

from sim.arrays import clip_unit, move_towards


def bond_at_release(world, params, people: np.ndarray) -> np.ndarray:
    """Visits during custody and NGO family support keep bonds; returns the bond at release.

    A family visits (at all) with chance ``policy.visits``: the exposure Duwe & Clark (2013) compare,
    any visit against none (61% of their Minnesota releases were visited).
    """
    families, policy, settings = world.families, params.policy, params.families
    families.visits[people] = families.visit_draw[people] < policy.visits
    families.resources_lost[people] *= 1 - policy.family_support
    kept = settings.bond_kept + settings.bond_visits * families.visits[people] + settings.bond_family_support * policy.family_support
    return clip_unit(families.support_capacity[people] * kept)


def support_available(world, params) -> np.ndarray:
    """Support the household of each person in the community (``world.present.people``) can give this week:
    less when it lost resources or shares the stigma."""
    families, policy, settings = world.families, params.policy, params.families
    people = world.present.people
    exposure = families.stigma_exposure[people] = clip_unit(world.present.local_stigma * (settings.exposure + policy.family_visibility))
    employed = world.cohort.employed[people]
    lost = families.resources_lost[people] = clip_unit(families.resources_lost[people] - settings.resource_recovery * employed)
    # families who kept visiting stay engaged after release (Duwe & Clark 2013); 1 at the reference visits
    floor = settings.engagement_floor
    engaged = (floor + (1 - floor) * families.visits[people]) / (floor + (1 - floor) * settings.reference_visits)
    support = (
        families.support_capacity[people] * engaged
        * (1 - settings.resources_drag * lost)
        * (1 - settings.stigma_drag * exposure)
    )
    # engaged families (above 1 where visits exceed the reference) cannot give more than a full bond
    support = clip_unit(support, out=support)
    return np.where(families.reinforcing[people], settings.reinforcing_support * support, support)


def lean_on_family(world, params, stream, week: int) -> None:
    """Family bonds move towards what the household can give (objective 7 support, stigma exposure)."""
    cohort, here = world.cohort, world.present.people
    move_towards(cohort.family_bond, here, support_available(world, params), params.effects.bond_change)
