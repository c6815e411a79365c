"""Family: bonds kept through custody by visits and NGO family support (Duwe & Clark 2013; objective 7),
then moving towards what the household can give."""

from __future__ import annotations

import numpy as np

from sim.arrays import clip_unit, moved, unit_clip
from sim.compiled import kernel


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
    support = np.empty(world.present.people.size)
    household_support(*support_inputs(world, params), support)
    return support


def support_inputs(world, params) -> tuple:
    """What ``household_support`` reads: the people present, their households and the scenario's numbers."""
    families, policy, settings, present = world.families, params.policy, params.families, world.present
    return (
        present.people, present.local_stigma, world.cohort.employed, families.stigma_exposure, families.resources_lost,
        families.visits, families.support_capacity, families.reinforcing, settings.exposure + policy.family_visibility,
        settings.resource_recovery, settings.engagement_floor, settings.reference_visits, settings.resources_drag,
        settings.stigma_drag, settings.reinforcing_support,
    )


@kernel
def household_support(people, local_stigma, employed, stigma_exposure, resources_lost, visits, support_capacity, reinforcing,
                      exposure, resource_recovery, floor, reference_visits, resources_drag, stigma_drag, reinforcing_support,
                      support):
    """Each household's stigma exposure and resources lost this week, and the support it can give (into ``support``)."""
    # families who kept visiting stay engaged after release (Duwe & Clark 2013); 1 at the reference visits
    reference = floor + (1 - floor) * reference_visits
    for row in range(people.size):
        person = np.uint64(people[row])
        shared = stigma_exposure[person] = unit_clip(local_stigma[row] * exposure)
        lost = resources_lost[person] = unit_clip(resources_lost[person] - resource_recovery * (1.0 if employed[person] else 0.0))
        engaged = (floor + (1 - floor) * visits[person]) / reference
        given = support_capacity[person] * engaged * (1 - resources_drag * lost) * (1 - stigma_drag * shared)
        # engaged families (above 1 where visits exceed the reference) cannot give more than a full bond
        given = unit_clip(given)
        support[row] = reinforcing_support * given if reinforcing[person] else given


def lean_on_family(world, params, stream, week: int) -> None:
    """Family bonds move towards what the household can give (objective 7 support, stigma exposure)."""
    lean(*support_inputs(world, params), world.cohort.family_bond, params.effects.bond_change)


@kernel
def lean(people, local_stigma, employed, stigma_exposure, resources_lost, visits, support_capacity, reinforcing, exposure,
         resource_recovery, floor, reference_visits, resources_drag, stigma_drag, reinforcing_support, family_bond, rate):
    """Family bonds of the people present move the share ``rate`` of the way to the support their household can give."""
    support = np.empty(people.size)
    household_support(people, local_stigma, employed, stigma_exposure, resources_lost, visits, support_capacity, reinforcing,
                      exposure, resource_recovery, floor, reference_visits, resources_drag, stigma_drag, reinforcing_support,
                      support)
    for row in range(people.size):
        person = np.uint64(people[row])
        family_bond[person] = moved(family_bond[person], support[row], rate)
