"""Step 2: community attitudes move with contact, neighbours, NGO dialogue campaigns and backlash (in that order)."""

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
    meet_released_people(world, params)
    listen_to_neighbours(world, params)
    hear_dialogue_campaigns(world, params, reached)
    resent_visible_support(world, params)


def listen_to_neighbours(world, params) -> None:
    """DeGroot averaging with a pull back to one's own anchor (Friedkin-Johnsen), in place.

    The anchor is the member's prior, lowered by their contact experience (``contact_relief``).
    """
    community = world.community
    influence, anchoring = params.stigma.social_influence, params.stigma.anchoring
    # s <- (1 - anchoring) ((1 - influence) s + influence W s) + anchoring anchor
    heard = product_into(community.influence, community.stigma, community.heard)
    heard *= influence * (1 - anchoring)
    community.stigma *= (1 - influence) * (1 - anchoring)
    community.stigma += heard
    community.stigma += anchors(world, params, out=heard)


def anchors(world, params, out: np.ndarray) -> np.ndarray:
    """``anchoring x prior x (1 - contact relief)`` of every member, written into ``out``.

    Only members with a contact tie have any experience (``meet_released_people``), so only theirs
    is lowered: everyone else's relief is exactly 0.
    """
    community, members = world.community, world.neighbours_of_released.members
    if members is None:
        return anchored(community.contact, community.prior, params, out=out)
    np.multiply(community.prior, params.stigma.anchoring, out=out)
    out[members] = anchored(community.contact[members], community.prior[members], params)
    return out


def anchored(contact: np.ndarray, prior: np.ndarray, params, out: np.ndarray | None = None) -> np.ndarray:
    """``anchoring x prior x (1 - contact relief)`` of the members whose ``contact`` and ``prior`` are given."""
    kept = contact_relief(contact, params, out=out)
    np.subtract(1, kept, out=kept)
    kept *= prior
    kept *= params.stigma.anchoring
    return kept


def meet_released_people(world, params) -> None:
    """Contact builds experience with released acquaintances living in the community; without contact it fades.

    Experience is quality-weighted contact-weeks (better contact under campaigns), decaying at
    ``attitudes.contact_fade`` a week; only members with a contact tie gain any
    (``World.neighbours_of_released``), so only theirs is updated.
    """
    community, neighbours = world.community, world.neighbours_of_released
    rows = community.scratch[: neighbours.contact.shape[0]]
    met = product_into(neighbours.contact, world.cohort.in_community().astype(float), rows)
    met *= params.policy.contact_quality
    kept = 1 - params.attitudes.contact_fade
    if neighbours.members is None:
        community.contact *= kept
        community.contact += met
    else:
        experience = community.contact[neighbours.members]
        experience *= kept
        experience += met
        community.contact[neighbours.members] = experience


def contact_relief(contact: np.ndarray, params, out: np.ndarray | None = None) -> np.ndarray:
    """Relative fall of the anchor attitude that contact experience ``contact`` brings (Pettigrew & Tropp 2006).

    Saturating in experience (``e / (e + contact_saturation)``, twice the contact less than twice the
    effect) and at most ``stigma.contact_effect``, a floor below which contact alone never takes anyone.
    """
    out = np.add(contact, params.attitudes.contact_saturation, out=out)
    np.divide(contact, out, out=out)
    out *= params.stigma.contact_effect
    return out


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
    # stigma += magnitude x susceptibility x (1 - stigma), in the working arrays (no community-sized temporaries)
    rise = np.multiply(magnitude, community.susceptibility, out=community.scratch)
    rise *= np.subtract(1, community.stigma, out=community.heard)
    community.stigma += rise
    community.stigma[community.affine] *= params.attitudes.affinity_after_shock
