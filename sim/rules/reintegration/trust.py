"""Trust follows experience: fair treatment, help received, and whether NGOs look like monitors (objective 9)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.agents.states import NO_NGO
from sim.arrays import mean_of, moved, unit_clip
from sim.compiled import kernel


class Trusting(NamedTuple):
    """The arrays ``move_trust`` reads of the people present (rows) and of the cohort (by person; trust is written)."""

    people: np.ndarray
    grievance: np.ndarray
    on_licence: np.ndarray  # rows, as the next two
    experienced_stigma: np.ndarray
    enrolled: np.ndarray
    ngo: np.ndarray  # rows: each person's NGO (``NO_NGO``: none)
    trust_government: np.ndarray
    trust_ngo: np.ndarray


class TrustCoefficients(NamedTuple):
    """The scenario's numbers ``move_trust`` reads: the trust experience warrants, and the share ``rate`` of the way
    to it trust moves in a week."""

    government_base: float
    government_grievance: float
    government_strictness: float  # times supervision's strictness
    government_stigma: float
    ngo_base: float
    ngo_enrolled: float
    monitor_perception: float
    ngo_independence: float
    rate: float


def update(world, params, stream, week: int) -> None:
    """Trust moves at ``effects.trust_change`` a week towards what experience warrants: trust in government falls
    with grievance, strict supervision and experienced stigma; trust in NGOs rises with enrolment and independence
    and falls when NGOs look like monitors (objective 9). Trust in government protects from breaches; trust in
    NGOs decides self-referral and acceptance."""
    cohort, present, weights, ngos = world.cohort, world.present, params.reintegration, world.ngos
    people = Trusting(
        people=present.people, grievance=cohort.grievance, on_licence=present.on_licence,
        experienced_stigma=cohort.experienced_stigma, enrolled=present.enrolled, ngo=present.ngo,
        trust_government=cohort.trust_government, trust_ngo=cohort.trust_ngo,
    )
    coefficients = TrustCoefficients(
        government_base=weights.government_trust_base, government_grievance=weights.government_trust_grievance,
        government_strictness=weights.government_trust_strictness * params.supervision.strictness,
        government_stigma=weights.government_trust_stigma, ngo_base=weights.ngo_trust_base,
        ngo_enrolled=weights.ngo_trust_enrolled, monitor_perception=params.policy.monitor_perception,
        ngo_independence=weights.ngo_trust_independence, rate=params.effects.trust_change,
    )
    # people with no NGO (-1) judge NGOs by the sector's mean independence
    move_trust(people, ngos.independence, float(mean_of(ngos.independence)), coefficients)


@kernel
def move_trust(cohort, independence, sector_independence, coefficients):
    """Trust in government and in NGOs of the people present move the share ``rate`` of the way to what experience
    warrants (``independence``: each NGO's, ``sector_independence`` their mean)."""
    rate = coefficients.rate
    for row in range(cohort.people.size):
        person = np.uint64(cohort.people[row])
        government = unit_clip(
            coefficients.government_base - coefficients.government_grievance * cohort.grievance[person]
            - coefficients.government_strictness * (1.0 if cohort.on_licence[row] else 0.0)
            - coefficients.government_stigma * cohort.experienced_stigma[person]
        )
        ngo = cohort.ngo[row]
        judged = independence[np.uint64(ngo)] if ngo != NO_NGO else sector_independence
        in_ngo = unit_clip(
            coefficients.ngo_base + coefficients.ngo_enrolled * (1.0 if cohort.enrolled[row] else 0.0)
            - coefficients.monitor_perception + coefficients.ngo_independence * judged
        )
        cohort.trust_government[person] = moved(cohort.trust_government[person], government, rate)
        cohort.trust_ngo[person] = moved(cohort.trust_ngo[person], in_ngo, rate)
