"""Step 2: community attitudes move with neighbours, contact, NGO dialogue campaigns and backlash."""

from __future__ import annotations

import numpy as np

from sim.arrays import indices_of
from sim.network import product_into
from sim.rules.standing import active_capacity


def update(world, params, stream, week: int) -> None:
    """One week of attitude change for every community member."""
    community = world.community
    # one uniform per member per week (single precision: reach is a share, and it halves the cost)
    reached = stream.random(community.size, dtype=np.float32)
    listen_to_neighbours(world, params)
    meet_released_people(world, params)
    hear_dialogue_campaigns(world, params, reached)
    resent_visible_support(world, params)


def listen_to_neighbours(world, params) -> None:
    """DeGroot averaging with a pull back to one's own prior (Friedkin-Johnsen), in place."""
    community = world.community
    influence, anchoring = params.stigma.social_influence, params.stigma.anchoring
    # s <- (1 - anchoring) ((1 - influence) s + influence W s) + anchoring prior
    heard = product_into(community.influence, community.stigma, community.heard)
    heard *= influence * (1 - anchoring)
    community.stigma *= (1 - influence) * (1 - anchoring)
    community.stigma += heard
    np.multiply(community.prior, anchoring, out=heard)
    community.stigma += heard


def meet_released_people(world, params) -> None:
    """Contact lowers prejudice durably (Pettigrew & Tropp 2006); better contact under campaigns.

    Only members with released neighbours change (``World.neighbours_of_released``).
    """
    community, neighbours = world.community, world.neighbours_of_released
    rows = community.scratch[: neighbours.contact.shape[0]]
    contact = product_into(neighbours.contact, world.cohort.in_community().astype(float), rows)
    effect = params.stigma.contact_effect * params.policy.contact_quality
    relief = np.minimum(contact, params.attitudes.contact_cap, out=contact)
    relief *= -effect
    relief += 1
    if neighbours.members is None:  # (nearly) everyone has a released neighbour: the others' relief is exactly 1
        community.stigma *= relief
        community.prior *= relief
    else:
        community.stigma[neighbours.members] *= relief
        community.prior[neighbours.members] *= relief


def hear_dialogue_campaigns(world, params, uniform: np.ndarray) -> None:
    """NGO dialogue campaigns reach a share of members each week, in proportion to NGO capacity."""
    reach = params.ngo.dialogue_reach * params.policy.dialogue * active_capacity(world, params)
    if reach <= 0:
        return
    community, attitudes = world.community, params.attitudes
    reached = indices_of(uniform < reach)
    community.stigma[reached] *= 1 - attitudes.dialogue_effect
    community.prior[reached] *= 1 - attitudes.dialogue_prior_effect


def resent_visible_support(world, params) -> None:
    """Prejudiced members resent support that released people get and others do not (objective 10)."""
    visible = params.policy.visible_support * world.cohort.supported_share()
    if visible <= 0:
        return
    push = params.attitudes.resentment_rate * params.stigma.resentment * visible
    community = world.community
    factor = community.scratch
    for attitude in (community.stigma, community.prior):  # attitude += push * attitude * (1 - attitude)
        np.multiply(attitude, -push, out=factor)
        factor += 1 + push
        attitude *= factor


def media_shock(world, params, magnitude: float) -> None:
    """An attack or scandal in the media raises stigma, most among susceptible members; anchoring decays it."""
    community = world.community
    community.stigma += magnitude * community.susceptibility * (1 - community.stigma)
    community.stigma[community.affinity] *= params.attitudes.affinity_after_shock
