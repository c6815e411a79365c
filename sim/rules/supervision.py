"""Step 4: probation contacts and drug tests detect last week's breaches; officers warn or recall.

Officers' contact time is shared among their caseload: above ``officers.caseload_capacity`` each
supervisee is seen less often, so fewer breaches are detected.
"""

from __future__ import annotations

import numpy as np

from sim.agents.released import mark_first
from sim.agents.states import ON_LICENCE
from sim.arrays import clip
from sim.compiled import kernel
from sim.rules.custody import recall
from sim.streams import UNIFORM_MEAN

# Uniforms drawn each week for every person in the cohort (one row each).
DRAWS = ("detect", "recall", "term", "job", "home", "charge")
DETECT_ROW, RECALL_ROW, CHARGE_ROW = (DRAWS.index(draw) for draw in ("detect", "recall", "charge"))
RECALL_DRAWS = ("term", "job", "home")  # the rows custody.recall reads
TERM_ROW, JOB_ROW, HOME_ROW = (DRAWS.index(draw) for draw in RECALL_DRAWS)


def train(world, params) -> None:
    """Civil-society training reaches some officers; sceptics stay as they were (objective 4)."""
    probation, officers = world.probation, params.officers
    probation.trained = probation.training_draw < params.cooperation.staff_training * (1 - officers.staff_scepticism)
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


def officer_priority(params, assessed: np.ndarray) -> np.ndarray:
    """``attention`` of people assessed at ``assessed``, with the officers' parameters."""
    return attention(float(params.officers.contact_floor), float(params.officers.contact_priority), assessed)


def contact_intensity(world, params, people: np.ndarray) -> np.ndarray:
    """Contacts per week: set by strictness (times the intensive multiplier), shifted towards those assessed as
    higher risk, thinned by caseload."""
    cohort, probation = world.cohort, world.probation
    # each officer's share of time per supervisee, then each person's officer's
    share = share_of_time(float(params.officers.caseload_capacity), probation.caseload)[probation.officer_of[people]]
    priority = officer_priority(params, cohort.assessed_priority[people])
    return params.policy.contacts * params.supervision.contacts_multiplier * priority * share


def detection_chance(world, params, people: np.ndarray) -> np.ndarray:
    """Chance that this week's breach is seen (``seen``) for each of ``people``."""
    supervision = params.supervision
    return seen(contact_intensity(world, params, people), float(supervision.detection),
                float(supervision.testing * supervision.test_detection), float(supervision.detectable))


def supervise(world, params, stream, week: int) -> None:
    """Detected breaches lead to a warning or, once warnings are used up (or at once for a serious breach),
    to recall at the officer's discretion; a new offence on licence (the police tell the officer) can lead
    to recall as well, before any sentence."""
    cohort, probation = world.cohort, world.probation
    supervision, officers, policy = params.supervision, params.officers, params.policy
    reintegration = params.reintegration
    uniform = stream.random((len(DRAWS), cohort.size))
    probation.caseload = np.zeros(probation.size, dtype=np.int64)
    judge_supervisees(
        week, uniform, probation.caseload, probation.officer_of, probation.control_orientation,
        float(officers.caseload_capacity), float(officers.contact_floor), float(officers.contact_priority),
        float(policy.contacts * supervision.contacts_multiplier), float(supervision.detection),
        float(supervision.testing * supervision.test_detection), float(supervision.detectable),
        float(supervision.offence_recall), supervision.warnings, float(supervision.serious_share),
        float(policy.recall_discretion), float(officers.discretion_floor), float(officers.discretion_orientation),
        float(params.release.recall_term_weeks), float(reintegration.recall_job_loss), float(reintegration.recall_housing_loss),
        cohort.status, cohort.offences, cohort.offences_known, cohort.breaching, cohort.warnings,
        cohort.assessed_priority, cohort.release_week, cohort.first_violation, cohort.first_recall, cohort.first_return,
        cohort.recalls, cohort.custody_until, cohort.employed, cohort.housed, cohort.ngo_status, cohort.ngo,
    )


@kernel
def judge_supervisees(week, uniform, caseload, officer_of, control_orientation,
                      caseload_capacity, contact_floor, contact_priority, contacts, detection, testing_detection,
                      detectable, offence_recall, warnings_allowed, serious_share, recall_discretion, discretion_floor,
                      discretion_orientation, term_mean, job_loss, housing_loss,
                      status, offences, offences_known, breaching, warnings, assessed_priority, release_week,
                      first_violation, first_recall, first_return, recalls, custody_until, employed, housed,
                      ngo_status, ngo):
    """The passes over people of ``supervise``: caseloads, then each supervisee's new charge or breach judged.

    A detected breach brings a warning or, at the officer's discretion, recall; it is a technical violation,
    whatever the response: the first is recorded (``first_violation``). The chance of detection is
    ``detection_chance``'s, to the bit (``contacts`` is policy contacts times the multiplier, ``testing_detection``
    testing times its detection); the recalled go to ``custody.recall``."""
    for person in range(status.size):
        if status[person] == ON_LICENCE:
            caseload[officer_of[person]] += 1
    for person in range(status.size):
        supervised = status[person] == ON_LICENCE
        charged = supervised and offences[person] > offences_known[person]
        offences_known[person] = offences[person]
        if charged:
            breaching[person] = False  # a breach is not judged when a new charge is
            if uniform[CHARGE_ROW, person] < offence_recall:
                recall_person(person, week, False, uniform, term_mean, job_loss, housing_loss, status, recalls,
                              release_week, first_recall, first_return, custody_until, employed, housed, warnings,
                              breaching, ngo_status, ngo)
            continue
        if not (supervised and breaching[person]):
            continue
        # this week's breaches are judged now and none carries over
        breaching[person] = False
        officer = officer_of[person]
        priority = attention(contact_floor, contact_priority, assessed_priority[person])
        weekly = contacts * priority * share_of_time(caseload_capacity, caseload[officer])
        if not uniform[DETECT_ROW, person] < seen(weekly, detection, testing_detection, detectable):
            continue
        mark_first(first_violation, person, release_week, week)
        discretion = recall_discretion * (discretion_floor + discretion_orientation * control_orientation[officer])
        # before the warnings are used up, only breaches serious enough are met with recall
        if warnings[person] < warnings_allowed:
            discretion *= serious_share
        if uniform[RECALL_ROW, person] < discretion:
            recall_person(person, week, True, uniform, term_mean, job_loss, housing_loss, status, recalls,
                          release_week, first_recall, first_return, custody_until, employed, housed, warnings,
                          breaching, ngo_status, ngo)
        else:
            warnings[person] += 1


@kernel
def recall_person(person, week, technical, uniform, term_mean, job_loss, housing_loss, status, recalls, release_week,
                  first_recall, first_return, custody_until, employed, housed, warnings, breaching, ngo_status, ngo):
    """``custody.recall`` of one person with their recall draws (rows ``RECALL_DRAWS`` of the week's uniforms)."""
    recall(person, week, technical, uniform[TERM_ROW, person], uniform[JOB_ROW, person], uniform[HOME_ROW, person],
           term_mean, job_loss, housing_loss, status, recalls, release_week, first_recall, first_return,
           custody_until, employed, housed, warnings, breaching, ngo_status, ngo)
