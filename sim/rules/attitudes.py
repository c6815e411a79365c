"""Step 2: community attitudes move with contact, neighbours, NGO dialogue campaigns and backlash (in that order).

A week is one kernel (``attitudes_week``) of three passes: the contact of the members with a contact tie;
what each member hears of their neighbours' attitudes of last week (the sparse product, as scipy adds it);
then each member's listening, dialogue and resentment in the order of the rule, with the small kernels below.
(Measured at 100,000 members, this beats one pass that writes the new attitudes aside and copies them back,
and a last pass that picks out the members with a contact tie as it goes.)
"""

from __future__ import annotations

import numpy as np

from sim.compiled import kernel
from sim.network import row_product
from sim.rules.standing import active_capacity

NOBODY = np.empty(0, dtype=np.int64)  # the members with a contact tie, when everyone is worked out


def update(world, params, stream, week: int) -> None:
    """One week of attitude change for every community member."""
    community, neighbours = world.community, world.neighbours_of_released
    # one uniform per member per week (single precision: reach is a share, and it halves the cost)
    reached = stream.random(community.size, dtype=np.float32)
    stigma, attitudes = params.stigma, params.attitudes
    influence, anchoring = stigma.social_influence, stigma.anchoring
    weights, ties = community.influence, neighbours.contact
    reach = hear_dialogue_campaigns(world, params)
    push = resent_visible_support(world, params)
    attitudes_week(
        community.stigma, community.prior, community.contact, community.heard, community.scratch,
        weights.indptr, weights.indices, weights.data,
        neighbours.members is None, NOBODY if neighbours.members is None else neighbours.members,
        ties.indptr, ties.indices, ties.data, world.cohort.in_community().astype(float),
        1 - attitudes.contact_fade, params.policy.contact_quality, attitudes.contact_saturation, stigma.contact_effect,
        anchoring, (1 - influence) * (1 - anchoring), influence * (1 - anchoring),
        reached, reach > 0, np.float32(reach), 1 - attitudes.dialogue_effect, 1 - attitudes.dialogue_prior_effect,
        push is not None, push or 0.0,
    )


@kernel
def attitudes_week(stigma, prior, contact, heard, kept, indptr, indices, weights, everyone, members, tie_indptr,
                   tie_indices, tie_weights, in_community, fade_kept, quality, saturation, effect, anchoring, own,
                   listened, reached, dialogue, reach, dialogue_kept, dialogue_prior_kept, resenting, push):
    """Contact, listening with the pull to the anchor, dialogue and resentment of every member."""
    kept[:] = 1  # the share of their prior a member's anchor keeps: all of it without a contact tie
    for row in range(stigma.size if everyone else members.size):  # the members with a contact tie
        member = row if everyone else members[row]
        met = row_product(tie_indptr, tie_indices, tie_weights, in_community, row)
        contact[member] = meet_released_people(contact[member], met, fade_kept, quality)
        kept[member] = 1 - contact_relief(contact[member], saturation, effect)
    for member in range(stigma.size):  # W s, of last week's attitudes
        heard[member] = row_product(indptr, indices, weights, stigma, member)
    for member in range(stigma.size):
        anchor = kept[member] * prior[member] * anchoring
        attitude = listen_to_neighbours(stigma[member], heard[member], anchor, own, listened)
        belief = prior[member]
        if dialogue and reached[member] < reach:  # hear_dialogue_campaigns
            attitude *= dialogue_kept
            belief *= dialogue_prior_kept
        if resenting:  # resent_visible_support
            attitude = resent(attitude, push)
            belief = resent(belief, push)
        stigma[member] = attitude
        prior[member] = belief


@kernel
def listen_to_neighbours(attitude, heard, anchor, own, listened):
    """DeGroot averaging with a pull back to one's own anchor (Friedkin-Johnsen), of one member.

    ``s <- (1 - anchoring) ((1 - influence) s + influence W s) + anchoring anchor``, with ``heard`` = W s,
    ``own`` = (1 - influence)(1 - anchoring), ``listened`` = influence (1 - anchoring), and ``anchor`` =
    anchoring x prior x (1 - contact relief): the prior lowered by the member's contact experience.
    """
    return attitude * own + heard * listened + anchor


@kernel
def meet_released_people(experience, met, fade_kept, quality):
    """Contact builds experience with released acquaintances living in the community; without contact it fades.

    Experience is quality-weighted contact-weeks (better contact under campaigns), decaying at
    ``attitudes.contact_fade`` a week (``fade_kept`` = 1 - fade); ``met`` is the member's released
    acquaintances in the community this week. Only members with a contact tie (``World.neighbours_of_released``)
    gain any, so only theirs is updated.
    """
    return experience * fade_kept + met * quality


@kernel
def contact_relief(contact, saturation, effect):
    """Relative fall of the anchor attitude that contact experience ``contact`` brings (Pettigrew & Tropp 2006).

    Saturating in experience (``e / (e + contact_saturation)``, twice the contact less than twice the
    effect) and at most ``stigma.contact_effect``, a floor below which contact alone never takes anyone.
    """
    return contact / (contact + saturation) * effect


def hear_dialogue_campaigns(world, params) -> float:
    """NGO dialogue campaigns reach a share of members each week, in proportion to NGO capacity: that share.

    A reached member's stigma and prior fall by ``attitudes.dialogue_effect`` and ``dialogue_prior_effect``
    (in ``attitudes_week``); members are reached where their uniform is below the share, in single precision.
    """
    return params.ngo.dialogue_reach * params.policy.dialogue * active_capacity(world, params)


def resent_visible_support(world, params) -> float | None:
    """Prejudiced members resent support that released people get and others do not (objective 10): the push.

    ``attitude += push x attitude x (1 - attitude)`` for stigma and prior (``resent``); None when nobody
    sees any support, and then nothing changes.
    """
    visible = params.policy.visible_support * world.cohort.supported_share()
    if visible <= 0:
        return None
    return params.attitudes.resentment_rate * params.stigma.resentment * visible


@kernel
def resent(attitude, push):
    """``attitude + push x attitude x (1 - attitude)``, as ``attitude x (1 + push - push x attitude)``."""
    return attitude * (attitude * -push + (1 + push))


def media_shock(world, params, magnitude: float) -> None:
    """An attack or scandal in the media raises stigma, most among susceptible members; anchoring decays it."""
    community = world.community
    shock(community.stigma, community.susceptibility, community.affine, float(magnitude),
          params.attitudes.affinity_after_shock)


@kernel
def shock(stigma, susceptibility, affine, magnitude, affinity_after_shock):
    """``stigma += magnitude x susceptibility x (1 - stigma)``; then members with affinity keep a share of theirs."""
    for member in range(stigma.size):
        stigma[member] += magnitude * susceptibility[member] * (1 - stigma[member])
    for member in affine:
        stigma[member] *= affinity_after_shock
