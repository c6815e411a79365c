"""Identity: prosocial ties from work and mentoring; commitment eroded by them, rebuilt by old associates,
a reinforcing family, and grievance met with rejection."""

from __future__ import annotations

import numpy as np

from sim.arrays import clip


def active_associates(world, params) -> np.ndarray:
    """Old associates still in touch with each person in the community: licence conditions restrict contact while supervised."""
    present = world.present
    restricted = 1 - params.reintegration.associate_restriction * params.supervision.strictness * present.on_licence
    return world.cohort.associates[present.people] * restricted


def build_ties(world, params, stream, week: int) -> None:
    """Work and mentoring bring prosocial ties; local rejection erodes them."""
    cohort, here, weights = world.cohort, world.present.people, params.reintegration
    target = (
        weights.ties_base + weights.ties_work * cohort.employed[here]
        + weights.ties_mentoring * world.present.offered("mentoring") - weights.ties_stigma * cohort.local_stigma[here]
    )
    cohort.prosocial_ties[here] += params.effects.bond_change * (clip(target, 0, 1) - cohort.prosocial_ties[here])


def shift(world, params, stream, week: int) -> None:
    """Commitment moves towards the pull of associates, family and grievance, away from mentoring and ties."""
    cohort, here, weights = world.cohort, world.present.people, params.reintegration
    commitment = cohort.commitment[here]
    associates = active_associates(world, params)
    reinforcing_family = world.families.reinforcing[here] * cohort.family_bond[here]
    pull = (
        associates / (1 + associates) + weights.family_pull * reinforcing_family
        + weights.grievance_pull * cohort.grievance[here] * cohort.experienced_stigma[here]
    )
    push = world.present.offered("mentoring") + cohort.prosocial_ties[here]
    commitment += params.effects.commitment_change * (pull * (1 - commitment) - push * commitment)
    cohort.commitment[here] = clip(commitment, 0, 1)
