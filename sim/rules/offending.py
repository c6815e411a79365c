"""Licence breaches and new offences of people in the community; offences may lead back to prison."""

from __future__ import annotations

import numpy as np

from sim.agents.states import NOT_YET
from sim.arrays import clip, indices_of
from sim.rules.reintegration.identity import active_associates
from sim.rules.standing import hear_of_offences
from sim.streams import geometric

# What protects from breaching licence conditions (see breach).
SUPPORTS = ("work or a home", "family bond", "trust in government")
# Uniforms drawn each week for every person in the cohort (one row each).
OFFENCE_DRAWS = ("offence", "prison", "delay", "publicity")


def breach(world, params, stream, week: int) -> None:
    """Breaches of licence conditions: more conditions, more breaches; stability and trust mean fewer."""
    cohort, policy, compliance = world.cohort, params.policy, params.compliance
    uniform = stream.random(cohort.size)
    present = world.present
    on_licence = indices_of(present.on_licence)  # rows of present.people: by index, as two gathers read them
    supervised = present.people[on_licence]
    if supervised.size == 0:
        return
    family_bond = cohort.family_bond[supervised]
    # the mean of three supports: work or a home (either settles a person), family bond, trust in government
    settled = cohort.employed[supervised] | cohort.housed[supervised]
    protective = (settled + family_bond + cohort.trust_government[supervised]) / len(SUPPORTS)
    propensity = (1 - params.effects.compliance_support * protective) * (1 - policy.compliance_boost)
    propensity *= (
        compliance.propensity_base + compliance.propensity_needs * cohort.needs[supervised]
        + compliance.propensity_commitment * cohort.commitment[supervised]
    )
    # accountability: families who kept in touch, and mentors (circles of support), hold people to their conditions
    mentored = present.offered("mentoring")[on_licence] * policy.service_match
    propensity *= compliance.accountability_base - compliance.family_accountability * family_bond
    propensity *= 1 - params.ngo_effects.accountability * mentored
    per_condition = clip(params.supervision.breach_rate * propensity, 0, 1)
    chance = 1 - (1 - per_condition) ** policy.conditions
    cohort.breaching[supervised[uniform[supervised] < chance]] = True


def offence_hazard(world, params, here: np.ndarray) -> np.ndarray:
    """Weekly hazard of a new offence: static risk times the hazard ratios of each dynamic factor."""
    cohort, effects = world.cohort, params.effects
    # the leading terms are summed over the whole cohort and gathered once (cheaper than a gather each);
    # the sum keeps its order, so the hazard is the same to the last bit
    log_hazard = (
        cohort.log_static_hazard
        + np.log(effects.employment) * cohort.employed
        + np.log(effects.housing) * cohort.housed
        + np.log(effects.family_bond) * cohort.family_bond
        + np.log(effects.prosocial_ties) * cohort.prosocial_ties
    )[here]
    log_hazard += np.log(effects.associates) * active_associates(world, params)
    log_hazard += np.log(effects.commitment) * cohort.commitment[here]
    log_hazard += np.log(effects.experienced_stigma) * cohort.experienced_stigma[here]
    log_hazard += np.log(effects.needs) * cohort.needs[here]
    return np.exp(log_hazard, out=log_hazard)


def offend(world, params, stream, week: int) -> None:
    """New offences are recorded; a share leads to a return to prison after a geometric court delay."""
    cohort, release = world.cohort, params.release
    uniform = dict(zip(OFFENCE_DRAWS, stream.random((len(OFFENCE_DRAWS), cohort.size)), strict=True))
    here = world.present.people
    chance = -np.expm1(-offence_hazard(world, params, here))
    draw = uniform["offence"][here]
    offended = indices_of(draw < chance)  # rows of here: gathering by index is cheaper than by mask
    offenders = here[offended]
    if offenders.size == 0:
        return
    cohort.offences[offenders] += 1
    cohort.mark_first(cohort.first_offence, offenders, week)
    # below its chance the offence draw is again uniform: rescaled, it decides the kind of offence without a
    # draw of its own, so the general cohort meets the same numbers as before terrorism offences were told apart
    kind = draw[offended] / chance[offended]
    extremist, publicity = cohort.extremist[offenders], uniform["publicity"][offenders]
    record_terrorism(world, params, offenders, extremist, kind, publicity, week)
    sentenced = offenders[(uniform["prison"][offenders] < release.imprisonment_share) & (cohort.court_week[offenders] == NOT_YET)]
    if sentenced.size:
        delay = geometric(uniform["delay"][sentenced], release.court_delay_weeks + 1) - 1
        cohort.court_week[sentenced] = week + delay
    hear_of_offences(world, params, offenders, extremist, publicity)


def terrorism_share(params, extremist: np.ndarray, commitment: np.ndarray, engagement: np.ndarray) -> np.ndarray:
    """Chance that a new offence is a terrorism offence: higher with commitment (ideology) and engagement (behaviour).

    ``extremist`` says whose offence it is (True: a violent-extremist profile, else a general one)."""
    profiles = (params.offending.general, params.offending.violent_extremist)
    # each person's row of their profile's coefficients: (share, commitment, engagement)
    table = np.array([(profile.terrorism_share, profile.terrorism_commitment, profile.terrorism_engagement) for profile in profiles])
    share, by_commitment, by_engagement = table.take(extremist, axis=0).T
    return clip(share + by_commitment * commitment + by_engagement * engagement, 0, 1)


def record_terrorism(world, params, offenders: np.ndarray, extremist: np.ndarray, uniform: np.ndarray, media: np.ndarray,
                     week: int) -> None:
    """Which new offences are terrorism offences, and how many are publicised (the model fires their media shock).

    ``extremist`` is each offender's profile; ``media`` is the offence's publicity draw, the one NGOs hear of
    offences by: an offence in the news is in the news.
    """
    cohort = world.cohort
    terrorism = uniform < terrorism_share(params, extremist, cohort.commitment[offenders], cohort.engagement[offenders])
    terrorists = offenders[terrorism]
    if terrorists.size == 0:
        return
    cohort.terrorism_offences[terrorists] += 1
    cohort.mark_first(cohort.first_terrorism_offence, terrorists, week)
    world.publicised_terrorism += int(np.count_nonzero(media[terrorism] < params.media.publicity))
