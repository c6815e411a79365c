"""Licence breaches and new offences of people in the community; offences may lead back to prison.

Each rule draws its uniforms in Python and hands the arithmetic over people to a compiled kernel (``sim.compiled``):
one pass over the people in the community, in the expressions and order of the numpy rules they replace.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from sim.agents.released import mark_first
from sim.agents.states import NOT_YET
from sim.arrays import unit_clip
from sim.compiled import kernel
from sim.draws import uniforms
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
# A bound on the hazard below 1 without its exp (see hazard_bound): the first terms of the series of exp(-x), and room
# for rounding twice ROUNDING_ROOM, so that a draw above the bound is above the hazard the rule compares it with.
SERIES_TERMS = (1.0, 1.0, 1 / 2, 1 / 6)
BOUND_ROOM = 2 * ROUNDING_ROOM


class BreachPeople(NamedTuple):
    """The arrays ``breach_people`` reads of the people in the community (rows) and of the cohort (by person)."""

    people: np.ndarray  # of the community's rows
    on_licence: np.ndarray  # rows
    mentoring: np.ndarray  # rows: 1.0 where mentoring is received
    breaching: np.ndarray  # written: True where a condition is breached this week
    employed: np.ndarray
    housed: np.ndarray
    family_bond: np.ndarray
    trust: np.ndarray  # in government
    needs: np.ndarray
    commitment: np.ndarray


class BreachCoefficients(NamedTuple):
    """The scenario's numbers ``breach_people`` reads."""

    compliance_support: float
    compliance_boost: float
    propensity_base: float
    propensity_needs: float
    propensity_commitment: float
    accountability_base: float
    family_accountability: float
    ngo_accountability: float
    service_match: float
    breach_rate: float
    conditions: float


def breach(world, params, stream, week: int) -> None:
    """Breaches of licence conditions: more conditions, more breaches; stability and trust mean fewer."""
    breach_people(*breach_arguments(world, params, stream.random(world.cohort.size)))


def breach_arguments(world, params, uniform: np.ndarray) -> tuple[BreachPeople, np.ndarray, BreachCoefficients]:
    """What ``breach`` hands its kernel (``breach_people``) with the week's uniforms: the arrays and the numbers."""
    cohort, policy, compliance, present = world.cohort, params.policy, params.compliance, world.present
    people = BreachPeople(
        people=present.people, on_licence=present.on_licence, mentoring=present.offered("mentoring"),
        breaching=cohort.breaching, employed=cohort.employed, housed=cohort.housed, family_bond=cohort.family_bond,
        trust=cohort.trust_government, needs=cohort.needs, commitment=cohort.commitment,
    )
    coefficients = BreachCoefficients(
        compliance_support=float(params.effects.compliance_support), compliance_boost=float(policy.compliance_boost),
        propensity_base=float(compliance.propensity_base), propensity_needs=float(compliance.propensity_needs),
        propensity_commitment=float(compliance.propensity_commitment),
        accountability_base=float(compliance.accountability_base),
        family_accountability=float(compliance.family_accountability),
        ngo_accountability=float(params.ngo_effects.accountability), service_match=float(policy.service_match),
        breach_rate=float(params.supervision.breach_rate), conditions=float(policy.conditions),
    )
    return people, uniform, coefficients


@kernel
def breach_people(cohort, uniform, coefficients):
    """``breach`` for each person on licence (rows of ``cohort.people``): the chance of breaching any of the
    conditions."""
    conditions = coefficients.conditions
    # the chance of breaching any of the conditions is at most their number (at least 1) times the chance of breaching
    # one (Bernoulli's inequality): a draw above that is no breach, without the power that is most of the kernel's work
    at_least_one_condition = max(conditions, 1.0)
    for row in range(cohort.people.size):
        if not cohort.on_licence[row]:
            continue
        person = cohort.people[row]
        bond = cohort.family_bond[person]
        # the mean of three supports: work or a home (either settles a person), family bond, trust in government
        settled = cohort.employed[person] | cohort.housed[person]
        protective = (settled + bond + cohort.trust[person]) / SUPPORT_COUNT
        propensity = (1 - coefficients.compliance_support * protective) * (1 - coefficients.compliance_boost)
        propensity *= (coefficients.propensity_base + coefficients.propensity_needs * cohort.needs[person]
                       + coefficients.propensity_commitment * cohort.commitment[person])
        # accountability: families who kept in touch, and mentors (circles of support), hold people to their conditions
        mentored = cohort.mentoring[row] * coefficients.service_match
        propensity *= coefficients.accountability_base - coefficients.family_accountability * bond
        propensity *= 1 - coefficients.ngo_accountability * mentored
        per_condition = unit_clip(coefficients.breach_rate * propensity)
        if uniform[person] >= at_least_one_condition * per_condition + ROUNDING_ROOM:
            continue
        if uniform[person] < 1 - power(1 - per_condition, conditions):
            cohort.breaching[person] = True


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


class Offenders(NamedTuple):
    """Who ``offend_people`` passes over (the people in the community, ``here``), what else it reads of them, and the
    count of offences made public to each NGO (``world.ngos.publicised``, written)."""

    here: np.ndarray
    associates: np.ndarray  # active associates in touch, of the rows of ``here``
    engagement: np.ndarray
    extremist: np.ndarray
    ngo: np.ndarray
    ngo_status: np.ndarray
    publicised: np.ndarray  # of each NGO


class RiskFactors(NamedTuple):
    """Each person's static risk and dynamic factors, which ``offence_log_hazard`` weighs by their hazard ratios."""

    log_static_hazard: np.ndarray
    employed: np.ndarray
    housed: np.ndarray
    family_bond: np.ndarray
    prosocial_ties: np.ndarray
    commitment: np.ndarray
    experienced_stigma: np.ndarray
    needs: np.ndarray


class HazardRatios(NamedTuple):
    """The log of each dynamic factor's hazard ratio (``effects``), in the order ``offence_log_hazard`` adds them."""

    log_employment: float
    log_housing: float
    log_family_bond: float
    log_prosocial_ties: float
    log_associates: float
    log_commitment: float
    log_experienced_stigma: float
    log_needs: float


class OffenceRecords(NamedTuple):
    """What ``offend_people`` records of each person (all written but ``release_week``)."""

    release_week: np.ndarray
    offences: np.ndarray
    first_offence: np.ndarray
    terrorism_offences: np.ndarray
    first_terrorism_offence: np.ndarray
    court_week: np.ndarray


class OffenceDraws(NamedTuple):
    """The week's uniforms of ``offend``, one of each for every person in the cohort."""

    offence: np.ndarray
    prison: np.ndarray
    delay: np.ndarray
    publicity: np.ndarray


class OffenceCoefficients(NamedTuple):
    """The scenario's numbers ``offend_people`` reads besides the hazard ratios."""

    general_share: float  # terrorism_share's coefficients of the general profile
    general_commitment: float
    general_engagement: float
    extremist_share: float  # and of the violent-extremist profile
    extremist_commitment: float
    extremist_engagement: float
    media_publicity: float
    imprisonment_share: float
    court_delay_mean: float
    general_ngo_publicity: float
    extremist_ngo_publicity: float


def offend(world, params, stream, week: int) -> None:
    """New offences are recorded; a share leads to a return to prison after a geometric court delay."""
    cohort, effects, offending, release = world.cohort, params.effects, params.offending, params.release
    offence, prison, delay, publicity = uniforms(stream, (len(OFFENCE_DRAWS), cohort.size))
    general, extremist = offending.general, offending.violent_extremist
    people = Offenders(
        here=world.present.people, associates=active_associates(world, params), engagement=cohort.engagement,
        extremist=cohort.extremist, ngo=cohort.ngo, ngo_status=cohort.ngo_status, publicised=world.ngos.publicised,
    )
    factors = RiskFactors(
        log_static_hazard=cohort.log_static_hazard, employed=cohort.employed, housed=cohort.housed,
        family_bond=cohort.family_bond, prosocial_ties=cohort.prosocial_ties, commitment=cohort.commitment,
        experienced_stigma=cohort.experienced_stigma, needs=cohort.needs,
    )
    records = OffenceRecords(
        release_week=cohort.release_week, offences=cohort.offences, first_offence=cohort.first_offence,
        terrorism_offences=cohort.terrorism_offences, first_terrorism_offence=cohort.first_terrorism_offence,
        court_week=cohort.court_week,
    )
    ratios = HazardRatios(
        log_employment=np.log(effects.employment), log_housing=np.log(effects.housing),
        log_family_bond=np.log(effects.family_bond), log_prosocial_ties=np.log(effects.prosocial_ties),
        log_associates=np.log(effects.associates), log_commitment=np.log(effects.commitment),
        log_experienced_stigma=np.log(effects.experienced_stigma), log_needs=np.log(effects.needs),
    )
    coefficients = OffenceCoefficients(
        general_share=float(general.terrorism_share), general_commitment=float(general.terrorism_commitment),
        general_engagement=float(general.terrorism_engagement), extremist_share=float(extremist.terrorism_share),
        extremist_commitment=float(extremist.terrorism_commitment),
        extremist_engagement=float(extremist.terrorism_engagement), media_publicity=float(params.media.publicity),
        imprisonment_share=float(release.imprisonment_share), court_delay_mean=float(release.court_delay_weeks + 1),
        general_ngo_publicity=float(params.ngo.publicity),
        extremist_ngo_publicity=float(params.ngo.extremist_publicity),
    )
    draws = OffenceDraws(offence=offence, prison=prison, delay=delay, publicity=publicity)
    world.publicised_terrorism += offend_people(people, factors, records, draws, ratios, coefficients, week)


@kernel
def offend_people(people, factors, records, draws, ratios, coefficients, week):
    """``offend`` for each person in the community (``people.here``): returns how many terrorism offences were
    publicised."""
    extremist, engagement, commitment = people.extremist, people.engagement, factors.commitment
    publicity = draws.publicity
    publicised_terrorism = 0
    for row in range(people.here.size):
        person = people.here[row]
        log_hazard = offence_log_hazard(factors, person, people.associates[row], ratios)
        draw = draws.offence[person]
        # most draws are far above the hazard: above its bound they are no offence, without the exp
        if draw >= hazard_bound(log_hazard):
            continue
        hazard = math.exp(log_hazard)
        # the weekly chance 1 - exp(-hazard) is below the hazard: a draw above it is no offence, without the expm1
        # that would be most of the kernel's work
        if draw >= hazard * (1 + ROUNDING_ROOM):
            continue
        chance = -math.expm1(-hazard)
        if not draw < chance:
            continue
        records.offences[person] += 1
        mark_first(records.first_offence, person, records.release_week, week)
        # below its chance the offence draw is again uniform: rescaled, it decides the kind of offence without a
        # draw of its own, so the general cohort meets the same numbers as before terrorism offences were told apart
        kind = draw / chance
        if extremist[person]:
            share = terrorism_share(coefficients.extremist_share, coefficients.extremist_commitment,
                                    coefficients.extremist_engagement, commitment[person], engagement[person])
        else:
            share = terrorism_share(coefficients.general_share, coefficients.general_commitment,
                                    coefficients.general_engagement, commitment[person], engagement[person])
        if record_terrorism(kind < share, person, records.terrorism_offences, records.first_terrorism_offence,
                            records.release_week, week):
            # an offence in the news is in the news: NGOs hear of offences by the same draw
            publicised_terrorism += publicity[person] < coefficients.media_publicity
        if draws.prison[person] < coefficients.imprisonment_share and records.court_week[person] == NOT_YET:
            records.court_week[person] = week + geometric(draws.delay[person], coefficients.court_delay_mean) - 1
        if extremist[person]:
            ngo_publicity = coefficients.extremist_ngo_publicity
        else:
            ngo_publicity = coefficients.general_ngo_publicity
        hear_of_offences(people.publicised, people.ngo[person], people.ngo_status[person], publicity[person],
                         ngo_publicity)
    return publicised_terrorism


@kernel
def hazard_bound(log_hazard):
    """A number at least the hazard ``exp(log_hazard)`` times ``1 + ROUNDING_ROOM`` as ``offend_people`` rounds it, without
    the exp (inf when the hazard is 1 or more, or nan): for x = -log_hazard >= 0, exp(x) is at least the sum of the first
    terms of its series, all positive, so exp(-x) is at most one over that sum; ``BOUND_ROOM``, far above any rounding,
    keeps the computed bound above the computed hazard."""
    if not log_hazard < 0:
        return math.inf
    x = -log_hazard
    constant, linear, square, cube = SERIES_TERMS
    series = constant + x * (linear + x * (square + x * cube))
    return (1 + BOUND_ROOM) / series


@kernel
def offence_log_hazard(factors, person, associates, ratios):
    """The log of the weekly hazard of a new offence of ``person``, with ``associates`` active associates in touch:
    static risk times the hazard ratios of each dynamic factor, summed in the order the rule always summed it, so the
    hazard (its exp) is the same to the last bit."""
    log_hazard = (
        factors.log_static_hazard[person] + ratios.log_employment * factors.employed[person]
        + ratios.log_housing * factors.housed[person] + ratios.log_family_bond * factors.family_bond[person]
        + ratios.log_prosocial_ties * factors.prosocial_ties[person]
    )
    log_hazard += ratios.log_associates * associates
    log_hazard += ratios.log_commitment * factors.commitment[person]
    log_hazard += ratios.log_experienced_stigma * factors.experienced_stigma[person]
    log_hazard += ratios.log_needs * factors.needs[person]
    return log_hazard


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

