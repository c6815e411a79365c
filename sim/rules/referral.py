"""Step 3: referrals to NGOs (officers, through the gate, self-referral), acceptance, FIFO waitlists.

Runs before supervision, as docs/ODD.md orders the week: people are referred on last week's
assessment and trust; those recalled later this week give their place up again.
"""

from __future__ import annotations

import numpy as np

from sim.agents.released import lives_in_community
from sim.agents.states import ENROLLED, NOT_ENROLLED, NOT_YET, ON_LICENCE, WAITING
from sim.arrays import indices_of
from sim.compiled import kernel
from sim.rules.supervision import attention

# Uniforms drawn each week for every person in the cohort (one row each).
DRAWS = ("officer", "self", "ngo", "accept")
OFFICER_ROW, SELF_ROW, NGO_ROW, ACCEPT_ROW = range(len(DRAWS))


def refer(world, params, stream, week: int) -> None:
    """Programmes end, new referrals are accepted or refused, and free places go to those waiting longest."""
    cohort, ngos = world.cohort, world.ngos
    uniform = stream.random((len(DRAWS), cohort.size))
    effects = params.ngo_effects
    refer_and_admit(
        week, uniform, world.released_now, cohort.gate_referral_draw, float(params.policy.through_the_gate),
        params.ngo.programme_weeks, *referral_rates(params),
        float(effects.acceptance_floor), float(effects.acceptance_independence), ngos.independence, ngos.places,
        world.probation.officer_of, world.probation.trained, cohort.status, cohort.assessed_priority, cohort.trust_ngo,
        cohort.ngo, cohort.ngo_status, cohort.ngo_since,
    )


def referral_rates(params) -> tuple[float, float, float, float, float]:
    """The numbers ``who_is_referred`` reads: the officers' referral rate, its rise for trained officers, the floor
    and the rise with assessed priority of officers' attention (``supervision.attention``), and the rate
    of self-referral per unit of trust in NGOs."""
    officers = params.officers
    return (float(params.policy.referral_rate), float(officers.trained_referral), float(officers.contact_floor),
            float(officers.contact_priority), float(params.ngo.self_referral))


@kernel
def through_the_gate(released_now, gate_referral_draw, share, size):
    """Who of those released this week is referred at the gate (objective 8), as a mask of everyone: each
    person's own uniform, drawn when the world is built, so the same in any release week."""
    at_gate = np.zeros(size, dtype=np.bool_)
    for person in released_now:
        if gate_referral_draw[person] < share:
            at_gate[person] = True
    return at_gate


def referrals(world, params, uniform: dict[str, np.ndarray]) -> np.ndarray:
    """Who is referred this week: through-the-gate at release (objective 8), by officers (higher assessed
    need first, more by trained officers, objective 4), and by themselves when they trust NGOs
    (``refer``'s choice of them, on the draws ``uniform["officer"]`` and ``uniform["self"]``)."""
    cohort, probation = world.cohort, world.probation
    return indices_of(who_is_referred(
        uniform["officer"], uniform["self"],
        through_the_gate(world.released_now, cohort.gate_referral_draw, float(params.policy.through_the_gate),
                         cohort.size),
        *referral_rates(params),
        probation.officer_of, probation.trained, cohort.status, cohort.assessed_priority, cohort.trust_ngo,
        cohort.ngo_status,
    ))


@kernel
def who_is_referred(officer_draws, self_draws, at_gate, referral_rate, trained_referral, contact_floor,
                    contact_priority, self_referral, officer_of, trained, status, assessed_priority, trust_ngo,
                    ngo_status):
    """Who is referred, as a mask: by their officer (if on licence), by themselves (if in the community), either
    only if free of any NGO; or at the gate (``at_gate``)."""
    referred = at_gate.copy()
    for person in range(status.size):
        state = status[person]
        if referred[person] or ngo_status[person] != NOT_ENROLLED:  # only those free of any NGO
            continue
        if state == ON_LICENCE:
            officer_rate = referral_rate * (1 + trained_referral * (1.0 if trained[officer_of[person]] else 0.0))
            if officer_draws[person] < officer_rate * attention(contact_floor, contact_priority, assessed_priority[person]):
                referred[person] = True
                continue
        if lives_in_community(state) and self_draws[person] < self_referral * trust_ngo[person]:
            referred[person] = True
    return referred


@kernel
def refer_and_admit(week, uniform, released_now, gate_referral_draw, gate_share, programme_weeks, referral_rate,
                    trained_referral, contact_floor, contact_priority, self_referral, acceptance_floor,
                    acceptance_independence, independence, places, officer_of, trained, status, assessed_priority,
                    trust_ngo, ngo, ngo_status, ngo_since):
    """The passes over people of ``refer``: ``end_programmes``, then referrals accepted or refused, then
    ``fill_places``."""
    ngos = independence.size
    at_gate = through_the_gate(released_now, gate_referral_draw, gate_share, status.size)
    end_programmes(week, programme_weeks, ngo, ngo_status, ngo_since)
    referred = who_is_referred(uniform[OFFICER_ROW], uniform[SELF_ROW], at_gate, referral_rate, trained_referral,
                               contact_floor, contact_priority, self_referral, officer_of, trained, status,
                               assessed_priority, trust_ngo, ngo_status)
    enrolled = np.zeros(ngos, dtype=np.int64)
    for person in range(status.size):
        if referred[person]:
            # the referred accept or refuse, by trust and the NGO's perceived independence; the accepted wait
            chosen = min(int(uniform[NGO_ROW, person] * ngos), ngos - 1)
            chance = trust_ngo[person] * (acceptance_floor + acceptance_independence * independence[chosen])
            if uniform[ACCEPT_ROW, person] < chance:
                ngo[person] = chosen
                ngo_status[person] = WAITING
                ngo_since[person] = week
        if ngo_status[person] == ENROLLED:
            enrolled[ngo[person]] += 1
    fill_places(week, np.maximum(places - enrolled, 0), ngo, ngo_status, ngo_since)


@kernel
def end_programmes(week, programme_weeks, ngo, ngo_status, ngo_since):
    """Programmes last ``ngo.programme_weeks``: those who finished leave the NGO, freeing their place for the
    queue this week, and may be referred again later."""
    for person in range(ngo.size):
        if ngo_status[person] == ENROLLED and ngo_since[person] <= week - programme_weeks:
            ngo_status[person] = NOT_ENROLLED
            ngo[person] = NOT_YET


@kernel
def fill_places(week, free, ngo, ngo_status, ngo_since):
    """Give free places to those waiting longest (first come, first served) at each NGO."""
    if not free.any():
        return
    # the queues with a free place, in order of NGO, then week joined (0 to this week), then person: a counting
    # sort of one key, which orders people who joined in the same week as they stand (as a stable sort would)
    weeks = week + 1
    starts = np.zeros(free.size * weeks + 1, dtype=np.int64)
    for person in range(ngo.size):
        if ngo_status[person] == WAITING and free[ngo[person]] > 0:  # only queues with a free place move
            starts[ngo[person] * weeks + ngo_since[person] + 1] += 1
    for key in range(1, starts.size):
        starts[key] += starts[key - 1]
    queue = np.empty(starts[-1], dtype=np.int64)
    for person in range(ngo.size):
        if ngo_status[person] == WAITING and free[ngo[person]] > 0:
            key = ngo[person] * weeks + ngo_since[person]
            queue[starts[key]] = person
            starts[key] += 1
    taken = np.zeros(free.size, dtype=np.int64)
    for person in queue:
        if taken[ngo[person]] < free[ngo[person]]:
            taken[ngo[person]] += 1
            ngo_status[person] = ENROLLED
            ngo_since[person] = week
