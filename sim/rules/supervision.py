"""Step 4: probation contacts and drug tests detect last week's breaches; officers warn or recall.

Officers' contact time is shared among their caseload: above ``officers.caseload_capacity`` each
supervisee is seen less often, so fewer breaches are detected.
"""

from __future__ import annotations

import numpy as np

from sim.agents.states import ON_LICENCE
from sim.arrays import clip, indices_of
from sim.rules.custody import recall
from sim.streams import UNIFORM_MEAN

# Uniforms drawn each week for every person in the cohort (one row each).
DRAWS = ("detect", "recall", "term", "job", "home", "charge")
DETECT_ROW, RECALL_ROW, CHARGE_ROW = (DRAWS.index(draw) for draw in ("detect", "recall", "charge"))
RECALL_DRAWS = ("term", "job", "home")  # the rows custody.recall reads


def train(world, params) -> None:
    """Civil-society training reaches some officers; sceptics stay as they were (objective 4)."""
    probation, officers = world.probation, params.officers
    probation.trained = probation.training_draw < params.cooperation.staff_training * (1 - officers.staff_scepticism)
    # orientation spreads evenly around strictness; training lowers it
    control = params.supervision.strictness + officers.orientation_spread * (probation.orientation_draw - UNIFORM_MEAN)
    probation.control_orientation = clip(control - officers.training_orientation * probation.trained, 0, 1)


def officer_priority(params, assessed: np.ndarray) -> np.ndarray:
    """Officers' attention to a person, from their assessed priority (0-1): a floor for everyone plus more for
    those assessed as higher risk. Sets both contact rates and how often officers refer to NGOs."""
    officers = params.officers
    return officers.contact_floor + officers.contact_priority * assessed


def contact_intensity(world, params, people: np.ndarray) -> np.ndarray:
    """Contacts per week: set by strictness (times the intensive multiplier), shifted towards those assessed as
    higher risk, thinned by caseload."""
    cohort, probation, officers = world.cohort, world.probation, params.officers
    # each officer's share of time per supervisee, then each person's officer's
    share_of_time = np.minimum(1.0, officers.caseload_capacity / np.maximum(probation.caseload, 1))[probation.officer_of[people]]
    priority = officer_priority(params, cohort.assessed_priority[people])
    return params.policy.contacts * params.supervision.contacts_multiplier * priority * share_of_time


def detection_chance(world, params, people: np.ndarray) -> np.ndarray:
    """Chance that this week's breach is seen: contacts and drug tests are independent channels, and both
    saturate at the share of breaches supervision can see at all (several times the contacts raised
    technical violations less than twofold in the ISP experiment)."""
    supervision = params.supervision
    exposure = contact_intensity(world, params, people) * supervision.detection + supervision.testing * supervision.test_detection
    return supervision.detectable * -np.expm1(-exposure)


def supervise(world, params, stream, week: int) -> None:
    """Detected breaches lead to a warning or, once warnings are used up (or at once for a serious breach),
    to recall at the officer's discretion; a new offence on licence (the police tell the officer) can lead
    to recall as well, before any sentence."""
    cohort, probation = world.cohort, world.probation
    uniform = stream.random((len(DRAWS), cohort.size))
    supervised = cohort.status == ON_LICENCE
    probation.caseload = np.bincount(probation.officer_of[supervised], minlength=probation.size)
    charged = indices_of(supervised & (cohort.offences > cohort.offences_known))
    cohort.offences_known[:] = cohort.offences
    cohort.breaching[charged] = False  # a breach is not judged when a new charge is
    # this week's breaches are judged now and none carries over (few people breach: clear theirs alone)
    breaching = indices_of(supervised & cohort.breaching)
    cohort.breaching[breaching] = False
    revoked = charged[uniform[CHARGE_ROW][charged] < params.supervision.offence_recall]
    # the two groups are apart, so one recall serves both
    people = np.concatenate((revoked, respond_to_breaches(world, params, breaching, uniform, week)))
    if people.size:
        draws = {draw: uniform[DRAWS.index(draw)][people] for draw in RECALL_DRAWS}
        # those after the revoked were recalled for a breach, not for a new charge (a slice: no mask to build)
        recall(world, params, people, week, draws, technical=slice(revoked.size, None))


def respond_to_breaches(world, params, breaching: np.ndarray, uniform: np.ndarray, week: int) -> np.ndarray:
    """Officers' response to this week's breaches: detected ones bring a warning or, at the officer's
    discretion, recall; returns who is recalled (``uniform``: the week's draws, rows ``DRAWS``). A detected
    breach is a technical violation, whatever the response: the first is recorded (``first_violation``)."""
    if breaching.size == 0:
        return breaching
    cohort, probation, officers = world.cohort, world.probation, params.officers
    detected = uniform[DETECT_ROW][breaching] < detection_chance(world, params, breaching)
    cohort.mark_first(cohort.first_violation, breaching[detected], week)
    officer = probation.officer_of[breaching]
    warned_enough = cohort.warnings[breaching] >= params.supervision.warnings
    discretion = params.policy.recall_discretion * (
        officers.discretion_floor + officers.discretion_orientation * probation.control_orientation[officer]
    )
    # before the warnings are used up, only breaches serious enough are met with recall
    discretion *= np.where(warned_enough, 1.0, params.supervision.serious_share)
    recalled = detected & (uniform[RECALL_ROW][breaching] < discretion)
    cohort.warnings[breaching[detected & ~recalled]] += 1
    return breaching[recalled]
