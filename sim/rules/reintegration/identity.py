"""Identity: prosocial ties from work and mentoring; engagement with the movement (behaviour) and
commitment (ideology) as separate states. Commitment is eroded by mentoring and ties and rebuilt only
through contact with active associates, which a reinforcing family and grievance met with rejection
make more persuasive; for general offenders the antisocial identity is pulled by all three directly."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.arrays import moved, unit_clip
from sim.compiled import kernel


def active_associates(world, params) -> np.ndarray:
    """Old associates still in touch with each person in the community: licence conditions restrict contact while supervised.

    Worked out once a week (identity and offending both read it; associates turn over before either).
    """
    present = world.present
    if present.associates is None:
        present.associates = associates_in_touch(present.people, present.on_licence, world.cohort.associates,
                                                 params.reintegration.associate_restriction * params.supervision.strictness)
    return present.associates


@kernel
def associates_in_touch(people, on_licence, associates, restriction):
    """Active associates of the people present, fewer in touch while on licence (``active_associates``)."""
    active = np.empty(people.size)
    for row in range(people.size):
        active[row] = associates[np.uint64(people[row])] * (1 - restriction * (1.0 if on_licence[row] else 0.0))
    return active


def build_ties(world, params, stream, week: int) -> None:
    """Work and mentoring bring prosocial ties; local rejection erodes them."""
    cohort, present, weights = world.cohort, world.present, params.reintegration
    tie(present.people, cohort.employed, present.offered("mentoring"), present.local_stigma, cohort.prosocial_ties,
        weights.ties_base, weights.ties_work, weights.ties_mentoring, weights.ties_stigma, params.effects.bond_change)


@kernel
def tie(people, employed, mentoring, local_stigma, prosocial_ties, base, work, mentored, stigma, rate):
    """Prosocial ties of the people present move the share ``rate`` of the way to what work, mentoring and stigma make them."""
    for row in range(people.size):
        person = np.uint64(people[row])
        target = unit_clip(base + work * (1.0 if employed[person] else 0.0) + mentored * mentoring[row] - stigma * local_stigma[row])
        prosocial_ties[person] = moved(prosocial_ties[person], target, rate)


@kernel
def contact(active):
    """Contact available with active associates (0..1, saturating in their number)."""
    return active / (1 + active)


@kernel
def sought_contact(available, seek_base, seek_commitment, commitment):
    """Engagement a person moves towards: the committed seek out more of the contact ``available``."""
    return available * unit_clip(seek_base + seek_commitment * commitment)


def engagement_at_release(world, params, people: np.ndarray) -> np.ndarray:
    """Engagement at the gate: the contact sought with active associates, lowered by disengagement programmes."""
    movement = params.movement
    return engaged_at_release(people, world.cohort.commitment, world.cohort.associates, movement.seek_base,
                              movement.seek_commitment, 1 - movement.programme_engagement * params.policy.programme_reach)


@kernel
def engaged_at_release(people, commitment, associates, seek_base, seek_commitment, kept):
    """``engagement_at_release`` of each of ``people``: the contact they seek, the share ``kept`` after programmes."""
    engaged = np.empty(people.size)
    for row in range(people.size):
        person = people[row]
        engaged[row] = sought_contact(contact(associates[person]), seek_base, seek_commitment, commitment[person]) * kept
    return engaged


class Identities(NamedTuple):
    """The arrays ``move_identity`` reads of the people present (rows) and of the cohort (by person; engagement and
    commitment are written)."""

    people: np.ndarray
    active: np.ndarray  # rows: active associates in touch
    mentoring: np.ndarray  # rows
    extremist: np.ndarray
    reinforcing: np.ndarray  # the family reinforces the movement's identity
    family_bond: np.ndarray
    grievance: np.ndarray
    experienced_stigma: np.ndarray
    prosocial_ties: np.ndarray
    engagement: np.ndarray
    commitment: np.ndarray


class IdentityCoefficients(NamedTuple):
    """The scenario's numbers ``move_identity`` reads."""

    seek_base: float
    seek_commitment: float
    rate: float  # of engagement
    family_pull: float
    grievance_pull: float
    commitment_change: float


def shift(world, params, stream, week: int) -> None:
    """Engagement follows the contact sought with active associates; commitment moves towards their pull and
    away from mentoring and ties.

    For violent-extremist people family and grievance pull only through engagement: without contact
    with active associates commitment cannot rise, so deradicalisation in custody leaves a lasting trace.
    """
    cohort, present, weights, movement = world.cohort, world.present, params.reintegration, params.movement
    people = Identities(
        people=present.people, active=active_associates(world, params), mentoring=present.offered("mentoring"),
        extremist=cohort.extremist, reinforcing=world.families.reinforcing, family_bond=cohort.family_bond,
        grievance=cohort.grievance, experienced_stigma=cohort.experienced_stigma, prosocial_ties=cohort.prosocial_ties,
        engagement=cohort.engagement, commitment=cohort.commitment,
    )
    coefficients = IdentityCoefficients(
        seek_base=movement.seek_base, seek_commitment=movement.seek_commitment, rate=movement.engagement_change,
        family_pull=weights.family_pull, grievance_pull=weights.grievance_pull,
        commitment_change=params.effects.commitment_change,
    )
    move_identity(people, coefficients)


@kernel
def move_identity(cohort, coefficients):
    """Engagement of the people present moves the share ``rate`` of the way to the contact they seek; commitment then
    moves towards the pull of engagement or contact, family and grievance, and away from mentoring and ties."""
    engagement, commitment = cohort.engagement, cohort.commitment
    for row in range(cohort.people.size):
        person = np.uint64(cohort.people[row])
        committed = commitment[person]
        available = contact(cohort.active[row])
        sought = sought_contact(available, coefficients.seek_base, coefficients.seek_commitment, committed)
        engaged = engagement[person]
        engaged = engagement[person] = unit_clip(moved(engaged, sought, coefficients.rate))
        reinforcing_family = (1.0 if cohort.reinforcing[person] else 0.0) * cohort.family_bond[person]
        persuasion = (coefficients.family_pull * reinforcing_family
                      + coefficients.grievance_pull * cohort.grievance[person] * cohort.experienced_stigma[person])
        pull = engaged * (1 + persuasion) if cohort.extremist[person] else available + persuasion
        push = cohort.mentoring[row] + cohort.prosocial_ties[person]
        committed += coefficients.commitment_change * (pull * (1 - committed) - push * committed)
        commitment[person] = unit_clip(committed)
