"""Step 3: referrals to NGOs (officers, through the gate, self-referral), acceptance, FIFO waitlists.

Runs before supervision, as docs/ODD.md orders the week: people are referred on last week's
assessment and trust; those recalled later this week give their place up again.
"""

from __future__ import annotations

import numpy as np

from sim.agents.states import ENROLLED, NOT_ENROLLED, NOT_YET, ON_LICENCE, WAITING
from sim.arrays import indices_of
from sim.rules.supervision import officer_priority

# Uniforms drawn each week for every person in the cohort (one row each).
DRAWS = ("officer", "self", "ngo", "accept")


def refer(world, params, stream, week: int) -> None:
    """Programmes end, new referrals are accepted or refused, and free places go to those waiting longest."""
    cohort = world.cohort
    uniform = dict(zip(DRAWS, stream.random((len(DRAWS), cohort.size)), strict=True))
    end_programmes(world, params, week)
    wanting = referrals(world, params, uniform)
    accept(world, params, wanting, uniform, week)
    fill_places(world, week)


def end_programmes(world, params, week: int) -> None:
    """Programmes last ``ngo.programme_weeks``: those who finished leave the NGO, freeing their place for the
    queue this week, and may be referred again later."""
    cohort = world.cohort
    done = indices_of((cohort.ngo_status == ENROLLED) & (cohort.ngo_since <= week - params.ngo.programme_weeks))
    cohort.ngo_status[done] = NOT_ENROLLED
    cohort.ngo[done] = NOT_YET


def referrals(world, params, uniform: dict[str, np.ndarray]) -> np.ndarray:
    """Who is referred this week: through-the-gate at release (objective 8), by officers (higher assessed
    need first, more by trained officers, objective 4), and by themselves when they trust NGOs."""
    cohort, probation, officers, policy = world.cohort, world.probation, params.officers, params.policy
    officer_rate = policy.referral_rate * (1 + officers.trained_referral * probation.trained)  # per officer
    priority = officer_priority(params, cohort.assessed_priority)
    rate = officer_rate[probation.officer_of] * priority
    referred = (cohort.status == ON_LICENCE) & (uniform["officer"] < rate)
    referred |= cohort.in_community() & (uniform["self"] < params.ngo.self_referral * cohort.trust_ngo)
    referred &= cohort.ngo_status == NOT_ENROLLED  # only those free of any NGO
    gate = world.released_now  # each person's own uniform, drawn when the world is built: the same in any release week
    referred[gate[cohort.gate_referral_draw[gate] < policy.through_the_gate]] = True
    return indices_of(referred)


def accept(world, params, referred: np.ndarray, uniform: dict[str, np.ndarray], week: int) -> None:
    """Referred people accept or refuse, by trust and the NGO's perceived independence; the accepted wait."""
    cohort, ngos, effects = world.cohort, world.ngos, params.ngo_effects
    ngo = np.minimum((uniform["ngo"][referred] * ngos.size).astype(np.int64), ngos.size - 1)
    chance = cohort.trust_ngo[referred] * (effects.acceptance_floor + effects.acceptance_independence * ngos.independence[ngo])
    accepted = uniform["accept"][referred] < chance
    people = referred[accepted]
    cohort.ngo[people] = ngo[accepted]
    cohort.ngo_status[people] = WAITING
    cohort.ngo_since[people] = week


def fill_places(world, week: int) -> None:
    """Give free places to those waiting longest (first come, first served) at each NGO."""
    cohort, ngos = world.cohort, world.ngos
    enrolled = np.bincount(cohort.ngo[cohort.ngo_status == ENROLLED], minlength=ngos.size)
    free = np.maximum(ngos.places - enrolled, 0)
    if np.count_nonzero(free) == 0:  # ndarray.any, without its wrappers
        return
    waiting = indices_of(cohort.ngo_status == WAITING)
    if waiting.size == 0:
        return
    ngo = cohort.ngo[waiting]
    moving = indices_of(free[ngo] > 0)  # only queues with a free place move
    waiting, ngo = waiting[moving], ngo[moving]
    # by NGO, then week joined (0 to this week), as one key: a stable sort of it is the lexsort of the two, and
    # quicker; people who joined in the same week keep their order
    order = waiting[np.argsort(ngo * (week + 1) + cohort.ngo_since[waiting], kind="stable")]
    ngo = cohort.ngo[order]
    rank = np.arange(order.size) - np.searchsorted(ngo, np.arange(ngos.size))[ngo]  # position in own NGO's queue
    admitted = order[rank < free[ngo]]
    cohort.ngo_status[admitted] = ENROLLED
    cohort.ngo_since[admitted] = week
