"""Licence breaches and new offences of people in the community; offences may lead back to prison.

Each rule draws its uniforms in Python and hands the arithmetic over people to a compiled kernel (``sim.compiled``):
one pass over the people in the community, in the expressions and order of the numpy rules they replace.
"""

from __future__ import annotations

import math

import numpy as np

from sim.agents.released import mark_first
from sim.agents.states import NOT_YET
from sim.arrays import unit_clip
from sim.compiled import kernel
from sim.rules.custody import geometric
from sim.rules.reintegration.identity import active_associates
from sim.rules.standing import hear_of_offences

# What protects from breaching licence conditions (see breach).
SUPPORTS = ("work or a home", "family bond", "trust in government")
SUPPORT_COUNT = len(SUPPORTS)
# Uniforms drawn each week for every person in the cohort (one row each).
OFFENCE_DRAWS = ("offence", "prison", "delay", "publicity")
# Exponents numpy raises an array to by a cheaper operation than ``pow`` (see ``power``).
SQUARE = 2.0
SQUARE_ROOT = 0.5
RECIPROCAL = -1.0
# Room for rounding when a draw is compared with a bound on a chance instead of the chance itself (see breach_people
# and offend_people): far above the few units in the last place (2**-53 each) by which the chance can exceed its bound.
ROUNDING_ROOM = 1e-9


def breach(world, params, stream, week: int) -> None:
    """Breaches of licence conditions: more conditions, more breaches; stability and trust mean fewer."""
    breach_people(*breach_arguments(world, params, stream.random(world.cohort.size)))


def breach_arguments(world, params, uniform: np.ndarray) -> tuple:
    """What ``breach`` hands its kernel (``breach_people``) with the week's uniforms: the arrays and the numbers."""
    cohort, policy, compliance, present = world.cohort, params.policy, params.compliance, world.present
    return (
        present.people, present.on_licence, present.offered("mentoring"), uniform, cohort.breaching,
        cohort.employed, cohort.housed, cohort.family_bond, cohort.trust_government, cohort.needs, cohort.commitment,
        float(params.effects.compliance_support), float(policy.compliance_boost), float(compliance.propensity_base),
        float(compliance.propensity_needs), float(compliance.propensity_commitment),
        float(compliance.accountability_base), float(compliance.family_accountability),
        float(params.ngo_effects.accountability), float(policy.service_match), float(params.supervision.breach_rate),
        float(policy.conditions),
    )


@kernel
def breach_people(people, on_licence, mentoring, uniform, breaching, employed, housed, family_bond, trust, needs,
                  commitment, compliance_support, compliance_boost, propensity_base, propensity_needs,
                  propensity_commitment, accountability_base, family_accountability, ngo_accountability, service_match,
                  breach_rate, conditions):
    """``breach`` for each person on licence (rows of ``people``): the chance of breaching any of the conditions."""
    # the chance of breaching any of the conditions is at most their number (at least 1) times the chance of breaching
    # one (Bernoulli's inequality): a draw above that is no breach, without the power that is most of the kernel's work
    at_least_one_condition = max(conditions, 1.0)
    for row in range(people.size):
        if not on_licence[row]:
            continue
        person = people[row]
        bond = family_bond[person]
        # the mean of three supports: work or a home (either settles a person), family bond, trust in government
        settled = employed[person] | housed[person]
        protective = (settled + bond + trust[person]) / SUPPORT_COUNT
        propensity = (1 - compliance_support * protective) * (1 - compliance_boost)
        propensity *= propensity_base + propensity_needs * needs[person] + propensity_commitment * commitment[person]
        # accountability: families who kept in touch, and mentors (circles of support), hold people to their conditions
        mentored = mentoring[row] * service_match
        propensity *= accountability_base - family_accountability * bond
        propensity *= 1 - ngo_accountability * mentored
        per_condition = unit_clip(breach_rate * propensity)
        if uniform[person] >= at_least_one_condition * per_condition + ROUNDING_ROOM:
            continue
        if uniform[person] < 1 - power(1 - per_condition, conditions):
            breaching[person] = True


@kernel
def power(base, exponent):
    """``base ** exponent`` as numpy raises an array to a number: squares, square roots and reciprocals without ``pow``."""
    if exponent == SQUARE:
        return base * base
    if exponent == SQUARE_ROOT:
        return math.sqrt(base)
    if exponent == RECIPROCAL:
        return 1 / base
    return base ** exponent


def offend(world, params, stream, week: int) -> None:
    """New offences are recorded; a share leads to a return to prison after a geometric court delay."""
    cohort, effects, offending, release = world.cohort, params.effects, params.offending, params.release
    offence, prison, delay, publicity = stream.random((len(OFFENCE_DRAWS), cohort.size))
    general, extremist = offending.general, offending.violent_extremist
    world.publicised_terrorism += offend_people(
        world.present.people, active_associates(world, params), offence, prison, delay, publicity,
        cohort.log_static_hazard, cohort.employed, cohort.housed, cohort.family_bond, cohort.prosocial_ties,
        cohort.commitment, cohort.experienced_stigma, cohort.needs, cohort.engagement, cohort.extremist,
        cohort.release_week, cohort.offences, cohort.first_offence, cohort.terrorism_offences,
        cohort.first_terrorism_offence, cohort.court_week, cohort.ngo_status, cohort.ngo, world.ngos.publicised,
        np.log(effects.employment), np.log(effects.housing), np.log(effects.family_bond), np.log(effects.prosocial_ties),
        np.log(effects.associates), np.log(effects.commitment), np.log(effects.experienced_stigma), np.log(effects.needs),
        float(general.terrorism_share), float(general.terrorism_commitment), float(general.terrorism_engagement),
        float(extremist.terrorism_share), float(extremist.terrorism_commitment), float(extremist.terrorism_engagement),
        float(params.media.publicity), float(release.imprisonment_share), float(release.court_delay_weeks + 1),
        float(params.ngo.publicity), float(params.ngo.publicity * params.ngo_effects.extremist_publicity), week,
    )


@kernel
def offend_people(here, associates, offence, prison, delay, publicity, log_static_hazard, employed, housed, family_bond,
                  prosocial_ties, commitment, experienced_stigma, needs, engagement, extremist, release_week, offences,
                  first_offence, terrorism_offences, first_terrorism_offence, court_week, ngo_status, ngo, publicised,
                  log_employment, log_housing, log_family_bond, log_prosocial_ties, log_associates, log_commitment,
                  log_experienced_stigma, log_needs, general_share, general_commitment, general_engagement,
                  extremist_share, extremist_commitment, extremist_engagement, media_publicity, imprisonment_share,
                  court_delay_mean, general_ngo_publicity, extremist_ngo_publicity, week):
    """``offend`` for each person in the community (``here``, with their ``associates`` in touch): returns how many
    terrorism offences were publicised."""
    publicised_terrorism = 0
    for row in range(here.size):
        person = here[row]
        hazard = offence_hazard(
            log_static_hazard[person], employed[person], housed[person], family_bond[person], prosocial_ties[person],
            associates[row], commitment[person], experienced_stigma[person], needs[person], log_employment,
            log_housing, log_family_bond, log_prosocial_ties, log_associates, log_commitment, log_experienced_stigma,
            log_needs)
        draw = offence[person]
        # the weekly chance 1 - exp(-hazard) is below the hazard: a draw above it is no offence, without the expm1
        # that would be most of the kernel's work
        if draw >= hazard * (1 + ROUNDING_ROOM):
            continue
        chance = -math.expm1(-hazard)
        if not draw < chance:
            continue
        offences[person] += 1
        mark_first(first_offence, person, release_week, week)
        # below its chance the offence draw is again uniform: rescaled, it decides the kind of offence without a
        # draw of its own, so the general cohort meets the same numbers as before terrorism offences were told apart
        kind = draw / chance
        if extremist[person]:
            share = terrorism_share(extremist_share, extremist_commitment, extremist_engagement, commitment[person],
                                    engagement[person])
        else:
            share = terrorism_share(general_share, general_commitment, general_engagement, commitment[person],
                                    engagement[person])
        if record_terrorism(kind < share, person, terrorism_offences, first_terrorism_offence, release_week, week):
            # an offence in the news is in the news: NGOs hear of offences by the same draw
            publicised_terrorism += publicity[person] < media_publicity
        if prison[person] < imprisonment_share and court_week[person] == NOT_YET:
            court_week[person] = week + geometric(delay[person], court_delay_mean) - 1
        ngo_publicity = extremist_ngo_publicity if extremist[person] else general_ngo_publicity
        hear_of_offences(publicised, ngo[person], ngo_status[person], publicity[person], ngo_publicity)
    return publicised_terrorism


@kernel
def offence_hazard(log_static_hazard, employed, housed, family_bond, prosocial_ties, associates, commitment,
                   experienced_stigma, needs, log_employment, log_housing, log_family_bond, log_prosocial_ties,
                   log_associates, log_commitment, log_experienced_stigma, log_needs):
    """Weekly hazard of a new offence of one person: static risk times the hazard ratios of each dynamic factor
    (each ``log_*`` is the log of a factor's hazard ratio); the log-hazard is summed in the order the rule always
    summed it, so the hazard is the same to the last bit."""
    log_hazard = (
        log_static_hazard + log_employment * employed + log_housing * housed + log_family_bond * family_bond
        + log_prosocial_ties * prosocial_ties
    )
    log_hazard += log_associates * associates
    log_hazard += log_commitment * commitment
    log_hazard += log_experienced_stigma * experienced_stigma
    log_hazard += log_needs * needs
    return math.exp(log_hazard)


@kernel
def terrorism_share(share, by_commitment, by_engagement, commitment, engagement):
    """Chance that a new offence is a terrorism offence: higher with commitment (ideology) and engagement (behaviour).

    ``share``, ``by_commitment`` and ``by_engagement`` are the coefficients of the offender's profile (general or
    violent-extremist)."""
    return unit_clip(share + by_commitment * commitment + by_engagement * engagement)


@kernel
def record_terrorism(terrorism, person, terrorism_offences, first_terrorism_offence, release_week, week):
    """Record a new offence of ``person`` as a terrorism offence if it is one (``terrorism``); says whether it was.

    The model fires the media shock of those publicised (``world.publicised_terrorism``)."""
    if terrorism:
        terrorism_offences[person] += 1
        mark_first(first_terrorism_offence, person, release_week, week)
    return terrorism

