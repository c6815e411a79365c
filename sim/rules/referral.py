"""Step 3: referrals to NGOs (officers, through the gate, self-referral), acceptance, FIFO waitlists.

Runs before supervision, as docs/ODD.md orders the week: people are referred on last week's
assessment and trust; those recalled later this week give their place up again.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.agents.released import lives_in_community
from sim.agents.states import ENROLLED, NO_NGO, NOT_ENROLLED, ON_LICENCE, WAITING
from sim.compiled import kernel
from sim.draws import uniforms
from sim.rules.supervision import attention

# Uniforms drawn each week for every person in the cohort (one row each).
DRAWS = ("officer", "self", "ngo", "accept")
OFFICER_ROW, SELF_ROW, NGO_ROW, ACCEPT_ROW = range(len(DRAWS))


class Candidates(NamedTuple):
    """What the referral kernels read and write of each person of the cohort."""

    status: np.ndarray
    assessed_priority: np.ndarray
    trust_ngo: np.ndarray
    gate_referral_draw: np.ndarray  # each person's own uniform at the gate, drawn when the world is built
    ngo: np.ndarray  # written, as the next two: the NGO a person waits for or is enrolled with
    ngo_status: np.ndarray
    ngo_since: np.ndarray


class Officers(NamedTuple):
    """Each person's officer, and which officers are trained."""

    officer_of: np.ndarray
    trained: np.ndarray


class ReferralRates(NamedTuple):
    """The numbers ``who_is_referred`` reads: the officers' referral rate, its rise for trained officers, the floor
    and the rise with assessed priority of officers' attention (``supervision.attention``), and the rate of
    self-referral per unit of trust in NGOs."""

    referral_rate: float
    trained_referral: float
    contact_floor: float
    contact_priority: float
    self_referral: float


class Admission(NamedTuple):
    """The numbers ``refer_and_admit`` reads besides the referral rates."""

    gate_share: float  # of those released referred through the gate
    programme_weeks: int
    acceptance_floor: float
    acceptance_independence: float


def refer(world, params, stream, week: int) -> None:
    """Programmes end, new referrals are accepted or refused, and free places go to those waiting longest."""
    ngos = world.ngos
    uniform = uniforms(stream, (len(DRAWS), world.cohort.size))
    effects = params.ngo_effects
    admission = Admission(gate_share=float(params.policy.through_the_gate), programme_weeks=params.ngo.programme_weeks,
                          acceptance_floor=float(effects.acceptance_floor),
                          acceptance_independence=float(effects.acceptance_independence))
    refer_and_admit(week, uniform, world.released_now, referral_candidates(world), referring_officers(world),
                    ngos.independence, ngos.places, referral_rates(params), admission)


def referral_candidates(world) -> Candidates:
    """The cohort's arrays the referral kernels read and write."""
    cohort = world.cohort
    return Candidates(status=cohort.status, assessed_priority=cohort.assessed_priority, trust_ngo=cohort.trust_ngo,
                      gate_referral_draw=cohort.gate_referral_draw, ngo=cohort.ngo, ngo_status=cohort.ngo_status,
                      ngo_since=cohort.ngo_since)


def referring_officers(world) -> Officers:
    """The officers' arrays the referral kernels read."""
    return Officers(officer_of=world.probation.officer_of, trained=world.probation.trained)


def referral_rates(params) -> ReferralRates:
    """The scenario's ``ReferralRates``."""
    officers = params.officers
    return ReferralRates(
        referral_rate=float(params.policy.referral_rate), trained_referral=float(officers.trained_referral),
        contact_floor=float(officers.contact_floor), contact_priority=float(officers.contact_priority),
        self_referral=float(params.ngo.self_referral),
    )


@kernel
def through_the_gate(released_now, gate_referral_draw, share, size):
    """Who of those released this week is referred at the gate (objective 8), as a mask of everyone: each
    person's own uniform, drawn when the world is built, so the same in any release week."""
    at_gate = np.zeros(size, dtype=np.bool_)
    for person in released_now:
        if gate_referral_draw[person] < share:
            at_gate[person] = True
    return at_gate


@kernel
def who_is_referred(officer_draws, self_draws, at_gate, candidates, officers, rates):
    """Who is referred, as a mask: by their officer (if on licence; more often at a higher assessed priority, and by
    a trained officer, objective 4), by themselves (if in the community, by their trust in NGOs), either only if
    free of any NGO; or at the gate (``at_gate``, objective 8)."""
    status, ngo_status = candidates.status, candidates.ngo_status
    referred = at_gate.copy()
    # each person's chances are worked out and combined without branches (``&``, ``|``): who is on licence, in the
    # community or free of any NGO follows no pattern the processor could guess
    for person in range(status.size):
        state = status[person]
        trained = 1.0 if officers.trained[officers.officer_of[person]] else 0.0
        officer_rate = rates.referral_rate * (1 + rates.trained_referral * trained)
        chance = officer_rate * attention(rates.contact_floor, rates.contact_priority,
                                          candidates.assessed_priority[person])
        by_officer = (state == ON_LICENCE) & (officer_draws[person] < chance)
        by_self = lives_in_community(state) & (self_draws[person] < rates.self_referral * candidates.trust_ngo[person])
        referred[person] |= (ngo_status[person] == NOT_ENROLLED) & (by_officer | by_self)
    return referred


@kernel
def refer_and_admit(week, uniform, released_now, candidates, officers, independence, places, rates, admission):
    """The passes over people of ``refer``: ``end_programmes``, then referrals accepted or refused, then
    ``fill_places`` (``independence`` and ``places`` are each NGO's)."""
    ngo, ngo_status, ngo_since = candidates.ngo, candidates.ngo_status, candidates.ngo_since
    ngos = independence.size
    at_gate = through_the_gate(released_now, candidates.gate_referral_draw, admission.gate_share,
                               candidates.status.size)
    end_programmes(week, admission.programme_weeks, ngo, ngo_status, ngo_since)
    referred = who_is_referred(uniform[OFFICER_ROW], uniform[SELF_ROW], at_gate, candidates, officers, rates)
    enrolled = np.zeros(ngos, dtype=np.int64)
    for person in range(candidates.status.size):
        if referred[person]:
            # the referred accept or refuse, by trust and the NGO's perceived independence; the accepted wait
            chosen = min(int(uniform[NGO_ROW, person] * ngos), ngos - 1)
            chance = candidates.trust_ngo[person] * (
                admission.acceptance_floor + admission.acceptance_independence * independence[chosen])
            if uniform[ACCEPT_ROW, person] < chance:
                ngo[person] = chosen
                ngo_status[person] = WAITING
                ngo_since[person] = week
        enrolled[max(ngo[person], 0)] += ngo_status[person] == ENROLLED  # without a branch, as in ``fill_places``
    fill_places(week, np.maximum(places - enrolled, 0), ngo, ngo_status, ngo_since)


@kernel
def end_programmes(week, programme_weeks, ngo, ngo_status, ngo_since):
    """Programmes last ``ngo.programme_weeks``: those who finished leave the NGO, freeing their place for the
    queue this week, and may be referred again later."""
    for person in range(ngo.size):
        if (ngo_status[person] == ENROLLED) & (ngo_since[person] <= week - programme_weeks):
            ngo_status[person] = NOT_ENROLLED
            ngo[person] = NO_NGO


@kernel
def fill_places(week, free, ngo, ngo_status, ngo_since):
    """Give free places to those waiting longest (first come, first served) at each NGO.

    Who waits follows no pattern the processor could guess: each person's test is worked out whole, without branches
    (a person free of any NGO reads NGO 0 and week 0, and counts for nothing)."""
    if not free.any():
        return
    last, left = last_week_placed(week, free, ngo, ngo_status, ngo_since)
    # in the order people stand, which orders those who joined in the same week
    for person in range(ngo.size):
        one, since = max(ngo[person], 0), max(ngo_since[person], 0)
        in_last_week = moving(free, ngo, ngo_status, person) & (since == last[one])
        placed = moving(free, ngo, ngo_status, person) & ((since < last[one]) | (in_last_week & (left[one] > 0)))
        left[one] -= placed & in_last_week
        ngo_status[person] = ENROLLED if placed else ngo_status[person]
        ngo_since[person] = week if placed else ngo_since[person]


@kernel
def moving(free, ngo, ngo_status, person):
    """Whether ``person`` waits in a queue with a free place (only those queues move)."""
    return (ngo_status[person] == WAITING) & (free[max(ngo[person], 0)] > 0)


@kernel
def last_week_placed(week, free, ngo, ngo_status, ngo_since):
    """Of each NGO's queue, the last week joined (0 to this week) that gets a place, and the places left for those who
    joined in it once everyone who joined before has one (the week after this one if all who wait get one): those
    waiting counted by NGO and week joined."""
    weeks = week + 1
    joined = np.zeros((free.size, weeks), dtype=np.int64)
    for person in range(ngo.size):
        joined[max(ngo[person], 0), max(ngo_since[person], 0)] += moving(free, ngo, ngo_status, person)
    last = np.full(free.size, weeks, dtype=np.int64)
    left = np.zeros(free.size, dtype=np.int64)
    for one in range(free.size):
        places = free[one]
        for joined_week in range(weeks):
            if joined[one, joined_week] >= places:
                last[one], left[one] = joined_week, places
                break
            places -= joined[one, joined_week]
    return last, left
