"""Step 1 of the week: releases, with the state prison leaves people in (objectives 1, 2, 5, 6, 7, 8), and the
backlash against last week's publicised terrorism offences (``backlash``).

Media shocks and policy changes are fired by the model (``ReintegrationModel.fire_events``) because
a policy change replaces the parameters every later rule reads; so is ``backlash``, which comes with a media shock.
"""

from __future__ import annotations

import math
from typing import NamedTuple

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


class GateDraws(NamedTuple):
    """What each person brings to the gate, drawn when the world is built: their profile, their own uniforms, and
    their risk score and assessment noise."""

    extremist: np.ndarray
    commitment_draw: np.ndarray
    needs_draw: np.ndarray
    grievance_draw: np.ndarray
    housed_draw: np.ndarray
    employed_draw: np.ndarray
    risk_score: np.ndarray
    assessment_noise: np.ndarray


class GateState(NamedTuple):
    """The state ``at_the_gate`` sets for each person released (written)."""

    commitment: np.ndarray
    needs: np.ndarray
    grievance: np.ndarray
    trust_government: np.ndarray
    trust_ngo: np.ndarray
    prosocial_ties: np.ndarray
    housed: np.ndarray
    employed: np.ndarray
    assessed_priority: np.ndarray


class GateCoefficients(NamedTuple):
    """The scenario's numbers of the state at the gate (``prepare_for_release`` works them out)."""

    general_commitment: float
    extremist_commitment: float
    general_needs: float
    extremist_needs: float
    commitment_treated: float  # one less the programmes' reach times their effect
    needs_treated: float
    grievance_spread: float  # the spread over the uniform's mean
    grievance_level: float  # harshness less its relief
    trust_government_level: float
    grievance_distrust_government: float
    trust_ngo_level: float
    grievance_distrust_ngo: float
    prosocial_ties_level: float
    housed_chance: float
    employed_chance: float


class Assessment(NamedTuple):
    """The numbers of ``assess``: the assessment's accuracy, the square root of one less the accuracy squared, and
    the manipulation bias times the manipulation."""

    accuracy: float
    noise_weight: float
    manipulation_weight: float


def prepare_for_release(world, params, people: np.ndarray) -> None:
    """State at the prison gate: shaped by the regime, programmes, visits and family (objectives 1, 2, 6, 7)."""
    cohort, policy, state = world.cohort, params.policy, params.release_state
    offending = params.offending
    accuracy = policy.assessment_accuracy
    draws = GateDraws(
        extremist=cohort.extremist, commitment_draw=cohort.commitment_draw, needs_draw=cohort.needs_draw,
        grievance_draw=cohort.grievance_draw, housed_draw=cohort.housed_draw, employed_draw=cohort.employed_draw,
        risk_score=cohort.risk_score, assessment_noise=cohort.assessment_noise,
    )
    coefficients = GateCoefficients(
        general_commitment=float(offending.general.commitment),
        extremist_commitment=float(offending.violent_extremist.commitment),
        general_needs=float(offending.general.needs), extremist_needs=float(offending.violent_extremist.needs),
        # uniform between 0 and twice the mean, lowered by custodial programmes
        commitment_treated=float(1 - state.programme_commitment * policy.programme_reach),
        needs_treated=float(1 - state.programme_needs * policy.programme_reach),
        grievance_spread=float(state.grievance_spread / UNIFORM_MEAN),
        grievance_level=float(policy.harshness * (1 - policy.grievance_relief)),
        trust_government_level=float(state.trust_government),
        grievance_distrust_government=float(state.grievance_distrust_government),
        trust_ngo_level=float(state.trust_ngo + policy.trust_in_ngo_at_release),
        grievance_distrust_ngo=float(state.grievance_distrust_ngo), prosocial_ties_level=float(state.prosocial_ties),
        housed_chance=float(state.housed + state.housed_through_the_gate * policy.through_the_gate),
        employed_chance=float(state.employed_through_the_gate * policy.through_the_gate),
    )
    assessment = Assessment(accuracy=float(accuracy), noise_weight=float(np.sqrt(1 - accuracy * accuracy)),
                            manipulation_weight=float(state.manipulation_bias * policy.manipulation))
    released = GateState(
        commitment=cohort.commitment, needs=cohort.needs, grievance=cohort.grievance,
        trust_government=cohort.trust_government, trust_ngo=cohort.trust_ngo, prosocial_ties=cohort.prosocial_ties,
        housed=cohort.housed, employed=cohort.employed, assessed_priority=cohort.assessed_priority,
    )
    at_the_gate(people, draws, coefficients, assessment, released)
    cohort.engagement[people] = engagement_at_release(world, params, people)
    cohort.family_bond[people] = bond_at_release(world, params, people)
    # release is when a record is most visible: people meet their neighbours' attitudes at once
    cohort.local_stigma[people] = stigma_around(world, params, people)
    cohort.experienced_stigma[people] = cohort.local_stigma[people]


@kernel
def at_the_gate(people, draws, coefficients, assessment, state):
    """The arithmetic of ``prepare_for_release`` for each person released: commitment and needs, grievance, trust,
    ties, a home and a job; then ``assess``."""
    grievance = state.grievance
    for person in people:
        extremist = draws.extremist[person]
        mean_commitment = coefficients.extremist_commitment if extremist else coefficients.general_commitment
        mean_needs = coefficients.extremist_needs if extremist else coefficients.general_needs
        state.commitment[person] = unit_clip(
            mean_commitment * draws.commitment_draw[person] / UNIFORM_MEAN * coefficients.commitment_treated)
        state.needs[person] = unit_clip(
            mean_needs * draws.needs_draw[person] / UNIFORM_MEAN * coefficients.needs_treated)
        spread = 1 + coefficients.grievance_spread * (draws.grievance_draw[person] - UNIFORM_MEAN)
        grievance[person] = unit_clip(coefficients.grievance_level * spread)
        state.trust_government[person] = unit_clip(
            coefficients.trust_government_level - coefficients.grievance_distrust_government * grievance[person])
        state.trust_ngo[person] = unit_clip(
            coefficients.trust_ngo_level - coefficients.grievance_distrust_ngo * grievance[person])
        state.prosocial_ties[person] = coefficients.prosocial_ties_level
        state.housed[person] = draws.housed_draw[person] < coefficients.housed_chance
        state.employed[person] = draws.employed_draw[person] < coefficients.employed_chance
    assess(people, assessment, draws, state)


@kernel
def assess(people, assessment, draws, state):
    """Risk and needs assessment: accurate when informed (objective 5), fooled by manipulation (objective 6)."""
    for person in people:
        signal = (assessment.accuracy * draws.risk_score[person]
                  + assessment.noise_weight * draws.assessment_noise[person])
        signal -= assessment.manipulation_weight * state.commitment[person]
        # priority in (0, 1): the person's place in the risk ranking the officer sees
        state.assessed_priority[person] = 1 / (1 + math.exp(-signal))


def backlash(world, params, stream, week: int) -> None:
    """The movement's answer to a released person's terrorism offence in the news: the grievance of violent-extremist
    people in the community rises by ``media.backlash_grievance`` of its distance to 1.

    Fired by the model (``ReintegrationModel.publicised_reoffence``) with the media shock, once a week however many
    offences were publicised; the stricter licences that may come with it are a policy change. Draws nothing."""
    cohort = world.cohort
    movement = np.flatnonzero(cohort.extremist & cohort.in_community())
    cohort.grievance[movement] += params.media.backlash_grievance * (1 - cohort.grievance[movement])
