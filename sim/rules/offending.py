"""Licence breaches and new offences of people in the community; offences may lead back to prison."""

from __future__ import annotations

import numpy as np

from sim.agents.states import NOT_YET
from sim.arrays import clip
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
    here = world.present.people
    supervised = here[world.present.on_licence]
    if supervised.size == 0:
        return
    # the mean of three supports: work or a home (either settles a person), family bond, trust in government
    settled = cohort.employed[supervised] | cohort.housed[supervised]
    protective = (settled + cohort.family_bond[supervised] + cohort.trust_government[supervised]) / len(SUPPORTS)
    propensity = (1 - params.effects.compliance_support * protective) * (1 - policy.compliance_boost)
    propensity *= (
        compliance.propensity_base + compliance.propensity_needs * cohort.needs[supervised]
        + compliance.propensity_commitment * cohort.commitment[supervised]
    )
    # accountability: families who kept in touch, and mentors (circles of support), hold people to their conditions
    mentored = world.present.offered("mentoring")[world.present.on_licence] * policy.service_match
    propensity *= compliance.accountability_base - compliance.family_accountability * cohort.family_bond[supervised]
    propensity *= 1 - params.ngo_effects.accountability * mentored
    per_condition = clip(params.supervision.breach_rate * propensity, 0, 1)
    chance = 1 - (1 - per_condition) ** policy.conditions
    cohort.breaching[supervised] |= uniform[supervised] < chance


def offence_hazard(world, params, here: np.ndarray) -> np.ndarray:
    """Weekly hazard of a new offence: static risk times the hazard ratios of each dynamic factor."""
    cohort, effects = world.cohort, params.effects
    log_hazard = (
        cohort.log_static_hazard[here]
        + np.log(effects.employment) * cohort.employed[here]
        + np.log(effects.housing) * cohort.housed[here]
        + np.log(effects.family_bond) * cohort.family_bond[here]
        + np.log(effects.prosocial_ties) * cohort.prosocial_ties[here]
        + np.log(effects.associates) * active_associates(world, params)
        + np.log(effects.commitment) * cohort.commitment[here]
        + np.log(effects.experienced_stigma) * cohort.experienced_stigma[here]
        + np.log(effects.needs) * cohort.needs[here]
    )
    return np.exp(log_hazard)


def offend(world, params, stream, week: int) -> None:
    """New offences are recorded; a share leads to a return to prison after a geometric court delay."""
    cohort, release = world.cohort, params.release
    uniform = dict(zip(OFFENCE_DRAWS, stream.random((len(OFFENCE_DRAWS), cohort.size)), strict=True))
    here = world.present.people
    chance = -np.expm1(-offence_hazard(world, params, here))
    offended = uniform["offence"][here] < chance
    offenders = here[offended]
    if offenders.size == 0:
        return
    cohort.offences[offenders] += 1
    cohort.mark_first(cohort.first_offence, offenders, week)
    # below its chance the offence draw is again uniform: rescaled, it decides the kind of offence without a
    # draw of its own, so the general cohort meets the same numbers as before terrorism offences were told apart
    kind = uniform["offence"][offenders] / chance[offended]
    record_terrorism(world, params, offenders, kind, uniform["publicity"][offenders], week)
    sentenced = offenders[(uniform["prison"][offenders] < release.imprisonment_share) & (cohort.court_week[offenders] == NOT_YET)]
    delay = geometric(uniform["delay"][sentenced], release.court_delay_weeks + 1) - 1
    cohort.court_week[sentenced] = week + delay
    hear_of_offences(world, params, offenders, uniform["publicity"][offenders])


def terrorism_share(world, params, people: np.ndarray) -> np.ndarray:
    """Chance that a new offence is a terrorism offence: higher with commitment (ideology) and engagement (behaviour)."""
    cohort = world.cohort
    general, extremist = params.offending.general, params.offending.violent_extremist
    profile = cohort.extremist[people]

    def of_profile(name: str) -> np.ndarray:
        return np.where(profile, getattr(extremist, name), getattr(general, name))

    share = (of_profile("terrorism_share") + of_profile("terrorism_commitment") * cohort.commitment[people]
             + of_profile("terrorism_engagement") * cohort.engagement[people])
    return clip(share, 0, 1)


def record_terrorism(world, params, offenders: np.ndarray, uniform: np.ndarray, media: np.ndarray, week: int) -> None:
    """Which new offences are terrorism offences, and how many are publicised (the model fires their media shock).

    ``media`` is the offence's publicity draw, the one NGOs hear of offences by: an offence in the news is in the news.
    """
    cohort = world.cohort
    terrorism = uniform < terrorism_share(world, params, offenders)
    terrorists = offenders[terrorism]
    if terrorists.size == 0:
        return
    cohort.terrorism_offences[terrorists] += 1
    cohort.mark_first(cohort.first_terrorism_offence, terrorists, week)
    world.publicised_terrorism += int(np.count_nonzero(media[terrorism] < params.media.publicity))
