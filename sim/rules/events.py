"""Step 1 of the week: releases, with the state prison leaves people in (objectives 1, 2, 5, 6, 7, 8).

Media shocks and policy changes are fired by the model (``ReintegrationModel.fire_events``) because
a policy change replaces the parameters every later rule reads.
"""

from __future__ import annotations

import numpy as np

from sim.agents.states import IN_PRISON, LICENCE_ENDED, ON_LICENCE
from sim.arrays import clip_unit, indices_of
from sim.rules.reintegration.family import bond_at_release
from sim.rules.reintegration.identity import engagement_at_release
from sim.rules.reintegration.stigma import stigma_around
from sim.streams import UNIFORM_MEAN


def release(world, params, stream, week: int) -> None:
    """Release those whose date has come; ``world.released_now`` holds them for through-the-gate referrals.

    Draws nothing: the chances at the gate use each person's own uniforms, drawn when the world is built
    (``Cohort.housed_draw``, ``employed_draw``), so a person meets the same ones in any week they are released."""
    cohort = world.cohort
    if week > cohort.release_week.max():  # everyone is out
        world.released_now = np.empty(0, dtype=np.int64)
        return
    due = indices_of((cohort.release_week == week) & (cohort.status == IN_PRISON))
    world.released_now = due
    if due.size:
        prepare_for_release(world, params, due)
        cohort.status[due] = np.where(cohort.licence_weeks[due] > 0, ON_LICENCE, LICENCE_ENDED)


def prepare_for_release(world, params, people: np.ndarray) -> None:
    """State at the prison gate: shaped by the regime, programmes, visits and family (objectives 1, 2, 6, 7)."""
    cohort, policy, state = world.cohort, params.policy, params.release_state
    offending = params.offending
    extremist = cohort.extremist[people]
    mean_commitment = np.where(extremist, offending.violent_extremist.commitment, offending.general.commitment)
    mean_needs = np.where(extremist, offending.violent_extremist.needs, offending.general.needs)
    # uniform between 0 and twice the mean, lowered by custodial programmes
    treated = 1 - state.programme_commitment * policy.programme_reach
    cohort.commitment[people] = clip_unit(mean_commitment * cohort.commitment_draw[people] / UNIFORM_MEAN * treated)
    treated = 1 - state.programme_needs * policy.programme_reach
    cohort.needs[people] = clip_unit(mean_needs * cohort.needs_draw[people] / UNIFORM_MEAN * treated)
    cohort.engagement[people] = engagement_at_release(world, params, people)
    spread = 1 + state.grievance_spread / UNIFORM_MEAN * (cohort.grievance_draw[people] - UNIFORM_MEAN)
    grievance = policy.harshness * (1 - policy.grievance_relief) * spread
    cohort.grievance[people] = clip_unit(grievance)
    cohort.trust_government[people] = clip_unit(state.trust_government - state.grievance_distrust_government * cohort.grievance[people])
    cohort.trust_ngo[people] = clip_unit(
        state.trust_ngo + policy.trust_in_ngo_at_release - state.grievance_distrust_ngo * cohort.grievance[people],
    )
    cohort.family_bond[people] = bond_at_release(world, params, people)
    # release is when a record is most visible: people meet their neighbours' attitudes at once
    cohort.local_stigma[people] = stigma_around(world, params, people)
    cohort.experienced_stigma[people] = cohort.local_stigma[people]
    cohort.prosocial_ties[people] = state.prosocial_ties
    cohort.housed[people] = cohort.housed_draw[people] < state.housed + state.housed_through_the_gate * policy.through_the_gate
    cohort.employed[people] = cohort.employed_draw[people] < state.employed_through_the_gate * policy.through_the_gate
    assess(world, params, people)


def assess(world, params, people: np.ndarray) -> None:
    """Risk and needs assessment: accurate when informed (objective 5), fooled by manipulation (objective 6)."""
    cohort, policy = world.cohort, params.policy
    accuracy = policy.assessment_accuracy
    signal = accuracy * cohort.risk_score[people] + np.sqrt(1 - accuracy * accuracy) * cohort.assessment_noise[people]
    signal -= params.release_state.manipulation_bias * policy.manipulation * cohort.commitment[people]
    # priority in (0, 1): the person's place in the risk ranking the officer sees
    cohort.assessed_priority[people] = 1 / (1 + np.exp(-signal))
