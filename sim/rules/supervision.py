"""Step 4: probation contacts and drug tests detect last week's breaches; officers warn or recall.

Officers' contact time is shared among their caseload: above ``officers.caseload_capacity`` each
supervisee is seen less often, so fewer breaches are detected.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.agents.released import mark_first
from sim.agents.states import ON_LICENCE
from sim.arrays import clip
from sim.compiled import kernel
from sim.draws import uniforms
from sim.rules.custody import CustodyRecords, RecallTerms, recall
from sim.streams import UNIFORM_MEAN

# Uniforms drawn each week for every person in the cohort (one row each).
DRAWS = ("detect", "recall", "term", "job", "home", "charge")
DETECT_ROW, RECALL_ROW, CHARGE_ROW = (DRAWS.index(draw) for draw in ("detect", "recall", "charge"))
RECALL_DRAWS = ("term", "job", "home")  # the rows custody.recall reads
TERM_ROW, JOB_ROW, HOME_ROW = (DRAWS.index(draw) for draw in RECALL_DRAWS)


def train(world, params) -> None:
    """Civil-society training reaches some officers (``Policy.training_reach``); sceptics stay as they were
    (objective 4)."""
    probation, officers = world.probation, params.officers
    probation.trained = probation.training_draw < params.policy.training_reach
    # orientation spreads evenly around strictness; training lowers it
    control = params.supervision.strictness + officers.orientation_spread * (probation.orientation_draw - UNIFORM_MEAN)
    probation.control_orientation = clip(control - officers.training_orientation * probation.trained, 0, 1)


@kernel
def attention(contact_floor, contact_priority, assessed):
    """Officers' attention to a person, from their assessed priority (0-1): a floor for everyone plus more for
    those assessed as higher risk. Sets both contact rates and how often officers refer to NGOs (a person's or,
    given arrays, everyone's)."""
    return contact_floor + contact_priority * assessed


@kernel
def share_of_time(caseload_capacity, caseload):
    """An officer's share of time per supervisee: whole up to ``officers.caseload_capacity`` supervisees, thinned
    beyond it (an officer's caseload, or every officer's)."""
    return np.minimum(1.0, caseload_capacity / np.maximum(caseload, 1))


@kernel
def seen(contacts, detection, testing_detection, detectable):
    """Chance that a breach is seen at ``contacts`` a week: contacts and drug tests (``testing_detection``, testing
    times its detection) are independent channels, and both saturate at the share of breaches supervision can see
    at all (several times the contacts raised technical violations less than twofold in the ISP experiment)."""
    return detectable * -np.expm1(-(contacts * detection + testing_detection))


class ContactRates(NamedTuple):
    """The numbers of a supervisee's weekly contacts (``weekly_contacts``)."""

    contacts: float  # policy contacts times the multiplier
    contact_floor: float
    contact_priority: float
    caseload_capacity: float


@kernel
def weekly_contacts(rates, assessed, caseload):
    """Contacts a week of a supervisee assessed at ``assessed`` whose officer has ``caseload`` supervisees: strictness
    (times the intensive multiplier), shifted towards those assessed as higher risk, thinned by caseload. ``rates``:
    ``ContactRates``, or any group of numbers with its names (``SupervisionCoefficients``)."""
    return (rates.contacts * attention(rates.contact_floor, rates.contact_priority, assessed)
            * share_of_time(rates.caseload_capacity, caseload))


def contact_intensity(world, params, people: np.ndarray) -> np.ndarray:
    """Contacts per week of each of ``people`` (``weekly_contacts``), at their officers' caseloads."""
    officers = params.officers
    rates = ContactRates(contacts=float(params.policy.contacts * params.supervision.contacts_multiplier),
                         contact_floor=float(officers.contact_floor), contact_priority=float(officers.contact_priority),
                         caseload_capacity=float(officers.caseload_capacity))
    return contacts_of(people, world.cohort.assessed_priority, world.probation.officer_of, world.probation.caseload, rates)


@kernel
def contacts_of(people, assessed_priority, officer_of, caseload, rates):
    """``weekly_contacts`` of each of ``people``."""
    weekly = np.empty(people.size)
    for row in range(people.size):
        person = people[row]
        weekly[row] = weekly_contacts(rates, assessed_priority[person], caseload[officer_of[person]])
    return weekly


class Caseloads(NamedTuple):
    """The officers' arrays ``judge_supervisees`` reads: each officer's caseload (counted afresh, written), each
    person's officer, and each officer's control orientation."""

    caseload: np.ndarray
    officer_of: np.ndarray
    control_orientation: np.ndarray


class Supervisees(NamedTuple):
    """What ``judge_supervisees`` reads and writes of each person besides their custody records."""

    offences: np.ndarray
    offences_known: np.ndarray  # written: the offences the officer has heard of
    assessed_priority: np.ndarray
    first_violation: np.ndarray  # written


class SupervisionCoefficients(NamedTuple):
    """The scenario's numbers ``judge_supervisees`` reads: those of the chance of detection, then the officers'
    response."""

    caseload_capacity: float
    contact_floor: float
    contact_priority: float
    contacts: float  # policy contacts times the multiplier
    detection: float
    testing_detection: float  # testing times its detection
    detectable: float
    offence_recall: float
    warnings_allowed: int
    serious_share: float
    recall_discretion: float
    discretion_floor: float
    discretion_orientation: float


def supervise(world, params, stream, week: int) -> None:
    """Detected breaches lead to a warning or, once warnings are used up (or at once for a serious breach),
    to recall at the officer's discretion; a new offence on licence (the police tell the officer) can lead
    to recall as well, before any sentence."""
    cohort, probation = world.cohort, world.probation
    supervision, officers, policy = params.supervision, params.officers, params.policy
    reintegration = params.reintegration
    uniform = uniforms(stream, (len(DRAWS), cohort.size))
    probation.caseload = np.zeros(probation.size, dtype=np.int64)
    caseloads = Caseloads(caseload=probation.caseload, officer_of=probation.officer_of,
                          control_orientation=probation.control_orientation)
    supervisees = Supervisees(offences=cohort.offences, offences_known=cohort.offences_known,
                              assessed_priority=cohort.assessed_priority, first_violation=cohort.first_violation)
    records = CustodyRecords(
        status=cohort.status, recalls=cohort.recalls, release_week=cohort.release_week,
        first_recall=cohort.first_recall, first_return=cohort.first_return, custody_until=cohort.custody_until,
        employed=cohort.employed, housed=cohort.housed, warnings=cohort.warnings, breaching=cohort.breaching,
        ngo_status=cohort.ngo_status, ngo=cohort.ngo,
    )
    coefficients = SupervisionCoefficients(
        caseload_capacity=float(officers.caseload_capacity), contact_floor=float(officers.contact_floor),
        contact_priority=float(officers.contact_priority),
        contacts=float(policy.contacts * supervision.contacts_multiplier), detection=float(supervision.detection),
        testing_detection=float(supervision.testing * supervision.test_detection),
        detectable=float(supervision.detectable), offence_recall=float(supervision.offence_recall),
        warnings_allowed=supervision.warnings, serious_share=float(supervision.serious_share),
        recall_discretion=float(policy.recall_discretion), discretion_floor=float(officers.discretion_floor),
        discretion_orientation=float(officers.discretion_orientation),
    )
    terms = RecallTerms(term_mean=float(params.release.recall_term_weeks),
                        job_loss=float(reintegration.recall_job_loss),
                        housing_loss=float(reintegration.recall_housing_loss))
    judge_supervisees(week, uniform, caseloads, supervisees, records, coefficients, terms)


@kernel
def judge_supervisees(week, uniform, caseloads, supervisees, records, coefficients, terms):
    """The passes over people of ``supervise``: caseloads, then each supervisee's new charge or breach judged.

    A detected breach brings a warning or, at the officer's discretion, recall; it is a technical violation,
    whatever the response: the first is recorded (``first_violation``). The chance of detection is ``seen`` at
    the person's contacts (``weekly_contacts``, as ``contact_intensity`` gives the outputs); the recalled go to
    ``custody.recall``."""
    status, breaching, warnings = records.status, records.breaching, records.warnings
    caseload, officer_of = caseloads.caseload, caseloads.officer_of
    offences, offences_known = supervisees.offences, supervisees.offences_known
    # who is on licence follows no pattern once licences start to end: it is counted and combined (``&``) without a
    # branch the processor would often guess wrong
    for person in range(status.size):
        caseload[officer_of[person]] += status[person] == ON_LICENCE
    for person in range(status.size):
        supervised = status[person] == ON_LICENCE
        charged = supervised & (offences[person] > offences_known[person])
        offences_known[person] = offences[person]
        if charged:
            breaching[person] = False  # a breach is not judged when a new charge is
            if uniform[CHARGE_ROW, person] < coefficients.offence_recall:
                recall_person(person, week, False, uniform, terms, records)
            continue
        if not (supervised & breaching[person]):
            continue
        # this week's breaches are judged now and none carries over
        breaching[person] = False
        officer = officer_of[person]
        weekly = weekly_contacts(coefficients, supervisees.assessed_priority[person], caseload[officer])
        if not uniform[DETECT_ROW, person] < seen(weekly, coefficients.detection, coefficients.testing_detection,
                                                  coefficients.detectable):
            continue
        mark_first(supervisees.first_violation, person, records.release_week, week)
        orientation = caseloads.control_orientation[officer]
        discretion = coefficients.recall_discretion * (
            coefficients.discretion_floor + coefficients.discretion_orientation * orientation)
        # before the warnings are used up, only breaches serious enough are met with recall
        if warnings[person] < coefficients.warnings_allowed:
            discretion *= coefficients.serious_share
        if uniform[RECALL_ROW, person] < discretion:
            recall_person(person, week, True, uniform, terms, records)
        else:
            warnings[person] += 1


@kernel
def recall_person(person, week, technical, uniform, terms, records):
    """``custody.recall`` of one person with their recall draws (rows ``RECALL_DRAWS`` of the week's uniforms)."""
    recall(person, week, technical, uniform[TERM_ROW, person], uniform[JOB_ROW, person], uniform[HOME_ROW, person],
           terms, records)
