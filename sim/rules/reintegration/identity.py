"""Identity: prosocial ties from work and mentoring; engagement with the movement (behaviour) and
commitment (ideology) as separate states. Commitment is eroded by mentoring and ties and rebuilt only
through contact with active associates, which a reinforcing family and grievance met with rejection
make more persuasive; for general offenders the antisocial identity is pulled by all three directly."""

from __future__ import annotations

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


def shift(world, params, stream, week: int) -> None:
    """Engagement follows the contact sought with active associates; commitment moves towards their pull and
    away from mentoring and ties.

    For violent-extremist people family and grievance pull only through engagement: without contact
    with active associates commitment cannot rise, so deradicalisation in custody leaves a lasting trace.
    """
    cohort, present, weights, movement = world.cohort, world.present, params.reintegration, params.movement
    move_identity(
        present.people, active_associates(world, params), present.offered("mentoring"), cohort.extremist,
        world.families.reinforcing, cohort.family_bond, cohort.grievance, cohort.experienced_stigma, cohort.prosocial_ties,
        cohort.engagement, cohort.commitment, movement.seek_base, movement.seek_commitment, movement.engagement_change,
        weights.family_pull, weights.grievance_pull, params.effects.commitment_change,
    )


@kernel
def move_identity(people, active, mentoring, extremist, reinforcing, family_bond, grievance, experienced_stigma, prosocial_ties,
                  engagement, commitment, seek_base, seek_commitment, rate, family_pull, grievance_pull, commitment_change):
    """Engagement of the people present moves the share ``rate`` of the way to the contact they seek; commitment then
    moves towards the pull of engagement or contact, family and grievance, and away from mentoring and ties."""
    for row in range(people.size):
        person = np.uint64(people[row])
        committed = commitment[person]
        available = contact(active[row])
        sought = sought_contact(available, seek_base, seek_commitment, committed)
        engaged = engagement[person]
        engaged = engagement[person] = unit_clip(moved(engaged, sought, rate))
        reinforcing_family = (1.0 if reinforcing[person] else 0.0) * family_bond[person]
        persuasion = family_pull * reinforcing_family + grievance_pull * grievance[person] * experienced_stigma[person]
        pull = engaged * (1 + persuasion) if extremist[person] else available + persuasion
        push = mentoring[row] + prosocial_ties[person]
        committed += commitment_change * (pull * (1 - committed) - push * committed)
        commitment[person] = unit_clip(committed)
