"""Step 1 of the week: releases, with the state prison leaves people in (objectives 1, 2, 5, 6, 7, 8).

Media shocks and policy changes are fired by the model (``ReintegrationModel.fire_events``) because
a policy change replaces the parameters every later rule reads.
"""

from __future__ import annotations

import math

import numpy as np

from sim.agents.states import IN_PRISON, LICENCE_ENDED, ON_LICENCE
from sim.arrays import unit_clip
from sim.compiled import kernel
from sim.rules.reintegration.family import bond_at_release
from sim.rules.reintegration.identity import engagement_at_release
from sim.rules.reintegration.stigma import stigma_around
from sim.streams import UNIFORM_MEAN


def release(world, params, stream, week: int) -> None:
    """Release those whose date has come; ``world.released_now`` holds them for through-the-gate referrals.

    Draws nothing: the chances at the gate use each person's own uniforms, drawn when the world is built
    (``Cohort.housed_draw``, ``employed_draw``), so a person meets the same ones in any week they are released."""
    cohort = world.cohort
    if week > cohort.release_week.max():  # everyone is out: one reduction, quicker than a pass over people
        world.released_now = np.empty(0, dtype=np.int64)
        return
    due = world.released_now = due_for_release(week, cohort.release_week, cohort.status)
    if due.size:
        prepare_for_release(world, params, due)
        cohort.status[due] = np.where(cohort.licence_weeks[due] > 0, ON_LICENCE, LICENCE_ENDED)


@kernel
def due_for_release(week, release_week, status):
    """Those whose release date is this week and who are still in prison."""
    count = 0
    for person in range(status.size):
        if release_week[person] == week and status[person] == IN_PRISON:
            count += 1
    due = np.empty(count, dtype=np.int64)
    count = 0
    for person in range(status.size):
        if release_week[person] == week and status[person] == IN_PRISON:
            due[count] = person
            count += 1
    return due


def prepare_for_release(world, params, people: np.ndarray) -> None:
    """State at the prison gate: shaped by the regime, programmes, visits and family (objectives 1, 2, 6, 7)."""
    cohort, policy, state = world.cohort, params.policy, params.release_state
    offending = params.offending
    accuracy = policy.assessment_accuracy
    at_the_gate(
        people,
        float(offending.general.commitment), float(offending.violent_extremist.commitment),
        float(offending.general.needs), float(offending.violent_extremist.needs),
        # uniform between 0 and twice the mean, lowered by custodial programmes
        float(1 - state.programme_commitment * policy.programme_reach),
        float(1 - state.programme_needs * policy.programme_reach),
        float(state.grievance_spread / UNIFORM_MEAN), float(policy.harshness * (1 - policy.grievance_relief)),
        float(state.trust_government), float(state.grievance_distrust_government),
        float(state.trust_ngo + policy.trust_in_ngo_at_release), float(state.grievance_distrust_ngo),
        float(state.prosocial_ties),
        float(state.housed + state.housed_through_the_gate * policy.through_the_gate),
        float(state.employed_through_the_gate * policy.through_the_gate),
        float(accuracy), float(np.sqrt(1 - accuracy * accuracy)), float(state.manipulation_bias * policy.manipulation),
        cohort.extremist, cohort.commitment_draw, cohort.needs_draw, cohort.grievance_draw, cohort.housed_draw,
        cohort.employed_draw, cohort.risk_score, cohort.assessment_noise,
        cohort.commitment, cohort.needs, cohort.grievance, cohort.trust_government, cohort.trust_ngo,
        cohort.prosocial_ties, cohort.housed, cohort.employed, cohort.assessed_priority,
    )
    cohort.engagement[people] = engagement_at_release(world, params, people)
    cohort.family_bond[people] = bond_at_release(world, params, people)
    # release is when a record is most visible: people meet their neighbours' attitudes at once
    cohort.local_stigma[people] = stigma_around(world, params, people)
    cohort.experienced_stigma[people] = cohort.local_stigma[people]


@kernel
def at_the_gate(people, general_commitment, extremist_commitment, general_needs, extremist_needs,
                commitment_treated, needs_treated, grievance_spread, grievance_level, trust_government_level,
                grievance_distrust_government, trust_ngo_level, grievance_distrust_ngo, prosocial_ties_level,
                housed_chance, employed_chance, accuracy, noise_weight, manipulation_weight,
                extremist, commitment_draw, needs_draw, grievance_draw, housed_draw, employed_draw, risk_score,
                assessment_noise, commitment, needs, grievance, trust_government, trust_ngo, prosocial_ties, housed,
                employed, assessed_priority):
    """The arithmetic of ``prepare_for_release`` for each person released: commitment and needs (``*_treated``:
    one less the programmes' reach), grievance (``grievance_spread`` is its spread over the uniform's mean,
    ``grievance_level`` harshness less its relief), trust, ties, a home and a job; then ``assess``."""
    for person in people:
        mean_commitment = extremist_commitment if extremist[person] else general_commitment
        mean_needs = extremist_needs if extremist[person] else general_needs
        commitment[person] = unit_clip(mean_commitment * commitment_draw[person] / UNIFORM_MEAN * commitment_treated)
        needs[person] = unit_clip(mean_needs * needs_draw[person] / UNIFORM_MEAN * needs_treated)
        spread = 1 + grievance_spread * (grievance_draw[person] - UNIFORM_MEAN)
        grievance[person] = unit_clip(grievance_level * spread)
        trust_government[person] = unit_clip(trust_government_level - grievance_distrust_government * grievance[person])
        trust_ngo[person] = unit_clip(trust_ngo_level - grievance_distrust_ngo * grievance[person])
        prosocial_ties[person] = prosocial_ties_level
        housed[person] = housed_draw[person] < housed_chance
        employed[person] = employed_draw[person] < employed_chance
    assess(people, accuracy, noise_weight, manipulation_weight, risk_score, assessment_noise, commitment,
           assessed_priority)


@kernel
def assess(people, accuracy, noise_weight, manipulation_weight, risk_score, assessment_noise, commitment,
           assessed_priority):
    """Risk and needs assessment: accurate when informed (objective 5), fooled by manipulation (objective 6).

    ``noise_weight`` is the square root of one less the accuracy squared; ``manipulation_weight`` the manipulation
    bias times the manipulation."""
    for person in people:
        signal = accuracy * risk_score[person] + noise_weight * assessment_noise[person]
        signal -= manipulation_weight * commitment[person]
        # priority in (0, 1): the person's place in the risk ranking the officer sees
        assessed_priority[person] = 1 / (1 + math.exp(-signal))
