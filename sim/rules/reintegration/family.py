"""Family: bonds kept through custody by visits and NGO family support (Duwe & Clark 2013; objective 7),
then moving towards what the household can give."""

from __future__ import annotations

from typing import NamedTuple

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


class Households(NamedTuple):
    """The arrays ``household_support`` reads of the people present (rows) and of their households (by person;
    stigma exposure and resources lost are written)."""

    people: np.ndarray
    local_stigma: np.ndarray  # rows
    employed: np.ndarray
    stigma_exposure: np.ndarray
    resources_lost: np.ndarray
    visits: np.ndarray
    support_capacity: np.ndarray
    reinforcing: np.ndarray


class SupportCoefficients(NamedTuple):
    """The scenario's numbers ``household_support`` reads."""

    exposure: float  # the family's own plus the policy's visibility
    resource_recovery: float
    floor: float  # engagement of a family that never visited
    reference_visits: float
    resources_drag: float
    stigma_drag: float
    reinforcing_support: float


def support_inputs(world, params) -> tuple[Households, SupportCoefficients]:
    """What ``household_support`` reads: the people present, their households and the scenario's numbers."""
    families, policy, settings, present = world.families, params.policy, params.families, world.present
    households = Households(
        people=present.people, local_stigma=present.local_stigma, employed=world.cohort.employed,
        stigma_exposure=families.stigma_exposure, resources_lost=families.resources_lost, visits=families.visits,
        support_capacity=families.support_capacity, reinforcing=families.reinforcing,
    )
    coefficients = SupportCoefficients(
        exposure=settings.exposure + policy.family_visibility, resource_recovery=settings.resource_recovery,
        floor=settings.engagement_floor, reference_visits=settings.reference_visits,
        resources_drag=settings.resources_drag, stigma_drag=settings.stigma_drag,
        reinforcing_support=settings.reinforcing_support,
    )
    return households, coefficients


@kernel
def household_support(households, coefficients, support):
    """Each household's stigma exposure and resources lost this week, and the support it can give (into ``support``)."""
    floor = coefficients.floor
    stigma_exposure, resources_lost = households.stigma_exposure, households.resources_lost
    # families who kept visiting stay engaged after release (Duwe & Clark 2013); 1 at the reference visits
    reference = floor + (1 - floor) * coefficients.reference_visits
    for row in range(households.people.size):
        person = np.uint64(households.people[row])
        shared = stigma_exposure[person] = unit_clip(households.local_stigma[row] * coefficients.exposure)
        employed = 1.0 if households.employed[person] else 0.0
        lost = resources_lost[person] = unit_clip(resources_lost[person] - coefficients.resource_recovery * employed)
        engaged = (floor + (1 - floor) * households.visits[person]) / reference
        resources_left, stigma_left = 1 - coefficients.resources_drag * lost, 1 - coefficients.stigma_drag * shared
        given = households.support_capacity[person] * engaged * resources_left * stigma_left
        # engaged families (above 1 where visits exceed the reference) cannot give more than a full bond
        given = unit_clip(given)
        support[row] = coefficients.reinforcing_support * given if households.reinforcing[person] else given


def lean_on_family(world, params, stream, week: int) -> None:
    """Family bonds move towards what the household can give (objective 7 support, stigma exposure)."""
    lean(*support_inputs(world, params), world.cohort.family_bond, params.effects.bond_change)


@kernel
def lean(households, coefficients, family_bond, rate):
    """Family bonds of the people present move the share ``rate`` of the way to the support their household can give."""
    people = households.people
    support = np.empty(people.size)
    household_support(households, coefficients, support)
    for row in range(people.size):
        person = np.uint64(people[row])
        family_bond[person] = moved(family_bond[person], support[row], rate)
