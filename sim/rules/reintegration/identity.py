"""Identity: prosocial ties from work and mentoring; engagement with the movement (behaviour) and
commitment (ideology) as separate states. Commitment is eroded by mentoring and ties and rebuilt only
through contact with active associates, which a reinforcing family and grievance met with rejection
make more persuasive; for general offenders the antisocial identity is pulled by all three directly."""

from __future__ import annotations

import numpy as np

from sim.arrays import clip_unit, move_towards


def active_associates(world, params) -> np.ndarray:
    """Old associates still in touch with each person in the community: licence conditions restrict contact while supervised.

    Worked out once a week (identity and offending both read it; associates turn over before either).
    """
    present = world.present
    if present.associates is None:
        restricted = 1 - params.reintegration.associate_restriction * params.supervision.strictness * present.on_licence
        present.associates = world.cohort.associates[present.people] * restricted
    return present.associates


def build_ties(world, params, stream, week: int) -> None:
    """Work and mentoring bring prosocial ties; local rejection erodes them."""
    cohort, here, weights = world.cohort, world.present.people, params.reintegration
    target = (
        weights.ties_base + weights.ties_work * cohort.employed[here]
        + weights.ties_mentoring * world.present.offered("mentoring") - weights.ties_stigma * world.present.local_stigma
    )
    move_towards(cohort.prosocial_ties, here, clip_unit(target, out=target), params.effects.bond_change)


def contact(active: np.ndarray) -> np.ndarray:
    """Contact available with active associates (0..1, saturating in their number)."""
    return active / (1 + active)


def sought_contact(params, commitment: np.ndarray, available: np.ndarray) -> np.ndarray:
    """Engagement a person moves towards: the committed seek out more of the contact available."""
    movement = params.movement
    seeking = movement.seek_base + movement.seek_commitment * commitment
    return available * clip_unit(seeking, out=seeking)


def engagement_at_release(world, params, people: np.ndarray) -> np.ndarray:
    """Engagement at the gate: the contact sought with active associates, lowered by disengagement programmes."""
    cohort = world.cohort
    sought = sought_contact(params, cohort.commitment[people], contact(cohort.associates[people]))
    return sought * (1 - params.movement.programme_engagement * params.policy.programme_reach)


def shift(world, params, stream, week: int) -> None:
    """Engagement follows the contact sought with active associates; commitment moves towards their pull and
    away from mentoring and ties.

    For violent-extremist people family and grievance pull only through engagement: without contact
    with active associates commitment cannot rise, so deradicalisation in custody leaves a lasting trace.
    """
    cohort, here, weights, rate = world.cohort, world.present.people, params.reintegration, params.movement.engagement_change
    commitment = cohort.commitment[here]
    available = contact(active_associates(world, params))
    engagement = cohort.engagement[here]
    engagement += rate * (sought_contact(params, commitment, available) - engagement)
    cohort.engagement[here] = clip_unit(engagement, out=engagement)
    reinforcing_family = world.families.reinforcing[here] * cohort.family_bond[here]
    persuasion = weights.family_pull * reinforcing_family + weights.grievance_pull * cohort.grievance[here] * cohort.experienced_stigma[here]
    pull = np.where(cohort.extremist[here], engagement * (1 + persuasion), available + persuasion)
    push = world.present.offered("mentoring") + cohort.prosocial_ties[here]
    commitment += params.effects.commitment_change * (pull * (1 - commitment) - push * commitment)
    cohort.commitment[here] = clip_unit(commitment, out=commitment)
