"""Step 2: community attitudes move with contact, neighbours, NGO dialogue campaigns and backlash (in that order).

A week is one kernel (``attitudes_week``) of three passes: the contact of the members with a contact tie;
what each member hears of their neighbours' attitudes of last week (the sparse product, as scipy adds it, two rows
at a time: ``sim.network.averages_into``);
then each member's listening, dialogue and resentment in the order of the rule, with the small kernels below.
(Measured at 100,000 members, this beats one pass that writes the new attitudes aside and copies them back,
and a last pass that picks out the members with a contact tie as it goes.)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.compiled import kernel
from sim.draws import uniforms
from sim.network import SparseRows, averages_into, row_product, rows_of
from sim.rules.standing import active_capacity

NOBODY = np.empty(0, dtype=np.int64)  # the members with a contact tie, when everyone is worked out


class Members(NamedTuple):
    """The community's arrays ``attitudes_week`` reads and writes, one entry per member."""

    stigma: np.ndarray
    prior: np.ndarray
    contact: np.ndarray  # contact experience
    heard: np.ndarray  # scratch: W s of last week's attitudes
    kept: np.ndarray  # scratch: the share of their prior a member's anchor keeps


class ContactTies(NamedTuple):
    """The members with a contact tie (``World.neighbours_of_released``): their rows of the contact-tie matrix,
    and which released people are in the community (1.0) to be met."""

    everyone: bool  # every member has a row (``members`` is then empty)
    members: np.ndarray  # the member of each row
    rows: SparseRows
    in_community: np.ndarray


class AttitudeCoefficients(NamedTuple):
    """The scenario's numbers ``attitudes_week`` reads (see ``meet_released_people``, ``contact_relief``,
    ``listen_to_neighbours``)."""

    fade_kept: float
    quality: float
    saturation: float
    effect: float
    anchoring: float
    own: float
    listened: float
    dialogue_kept: float  # of stigma, for a member a dialogue campaign reached
    dialogue_prior_kept: float  # of the prior


class ThisWeek(NamedTuple):
    """This week's uniforms (single precision), the share of members dialogue campaigns reach and the push of
    resentment of visible support (``hear_dialogue_campaigns``, ``resent_visible_support``)."""

    reached: np.ndarray
    dialogue: bool  # any member is reached
    reach: np.float32
    resenting: bool  # anyone sees support
    push: float


def update(world, params, stream, week: int) -> None:
    """One week of attitude change for every community member."""
    community, neighbours = world.community, world.neighbours_of_released
    # one uniform per member per week (single precision: reach is a share, and it halves the cost)
    reached = uniforms(stream, community.size, np.float32)
    stigma, attitudes = params.stigma, params.attitudes
    influence, anchoring = stigma.social_influence, stigma.anchoring
    reach = hear_dialogue_campaigns(world, params)
    push = resent_visible_support(world, params)
    members = Members(stigma=community.stigma, prior=community.prior, contact=community.contact, heard=community.heard,
                      kept=community.scratch)
    contact_ties = ContactTies(
        everyone=neighbours.members is None, members=NOBODY if neighbours.members is None else neighbours.members,
        rows=rows_of(neighbours.contact), in_community=world.cohort.in_community().astype(float),
    )
    coefficients = AttitudeCoefficients(
        fade_kept=1 - attitudes.contact_fade, quality=params.policy.contact_quality,
        saturation=attitudes.contact_saturation, effect=stigma.contact_effect, anchoring=anchoring,
        own=(1 - influence) * (1 - anchoring), listened=influence * (1 - anchoring),
        dialogue_kept=1 - attitudes.dialogue_effect, dialogue_prior_kept=1 - attitudes.dialogue_prior_effect,
    )
    this_week = ThisWeek(reached=reached, dialogue=reach > 0, reach=np.float32(reach), resenting=push is not None,
                         push=push or 0.0)
    attitudes_week(members, community.averaging, contact_ties, coefficients, this_week)


@kernel
def attitudes_week(members, influence, ties, coefficients, this_week):
    """Contact, listening with the pull to the anchor, dialogue and resentment of every member (``influence``: W, as
    ``sim.network.AveragingRows``)."""
    stigma, prior, contact, heard, kept = members.stigma, members.prior, members.contact, members.heard, members.kept
    kept[:] = 1  # the share of their prior a member's anchor keeps: all of it without a contact tie
    for row in range(stigma.size if ties.everyone else ties.members.size):  # the members with a contact tie
        member = row if ties.everyone else ties.members[row]
        met = row_product(ties.rows, ties.in_community, row)
        contact[member] = meet_released_people(contact[member], met, coefficients.fade_kept, coefficients.quality)
        kept[member] = 1 - contact_relief(contact[member], coefficients.saturation, coefficients.effect)
    averages_into(influence, stigma, heard)  # W s, of last week's attitudes
    for member in range(stigma.size):
        anchor = kept[member] * prior[member] * coefficients.anchoring
        attitude = listen_to_neighbours(stigma[member], heard[member], anchor, coefficients.own, coefficients.listened)
        belief = prior[member]
        if this_week.dialogue and this_week.reached[member] < this_week.reach:  # hear_dialogue_campaigns
            attitude *= coefficients.dialogue_kept
            belief *= coefficients.dialogue_prior_kept
        if this_week.resenting:  # resent_visible_support
            attitude = resent(attitude, this_week.push)
            belief = resent(belief, this_week.push)
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
