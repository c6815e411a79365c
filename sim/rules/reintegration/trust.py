"""Trust follows experience: fair treatment, help received, and whether NGOs look like monitors (objective 9)."""

from __future__ import annotations

import numpy as np

from sim.arrays import mean_of, moved, unit_clip
from sim.compiled import kernel


def update(world, params, stream, week: int) -> None:
    """Trust moves at ``effects.trust_change`` a week towards what experience warrants: trust in government falls
    with grievance, strict supervision and experienced stigma; trust in NGOs rises with enrolment and independence
    and falls when NGOs look like monitors (objective 9). Trust in government protects from breaches; trust in
    NGOs decides self-referral and acceptance."""
    cohort, present, weights, ngos = world.cohort, world.present, params.reintegration, world.ngos
    move_trust(
        present.people, cohort.grievance, present.on_licence, cohort.experienced_stigma, present.enrolled, present.ngo,
        # people with no NGO (-1) judge NGOs by the sector's mean independence
        ngos.independence, float(mean_of(ngos.independence)), cohort.trust_government, cohort.trust_ngo,
        weights.government_trust_base, weights.government_trust_grievance,
        weights.government_trust_strictness * params.supervision.strictness, weights.government_trust_stigma,
        weights.ngo_trust_base, weights.ngo_trust_enrolled, params.policy.monitor_perception,
        weights.ngo_trust_independence, params.effects.trust_change,
    )


@kernel
def move_trust(people, grievance, on_licence, experienced_stigma, enrolled, ngo, independence, sector_independence,
               trust_government, trust_ngo, government_base, government_grievance, government_strictness, government_stigma,
               ngo_base, ngo_enrolled, monitor_perception, ngo_independence, rate):
    """Trust in government and in NGOs of the people present move the share ``rate`` of the way to what experience warrants."""
    for row in range(people.size):
        person = np.uint64(people[row])
        government = unit_clip(
            government_base - government_grievance * grievance[person]
            - government_strictness * (1.0 if on_licence[row] else 0.0) - government_stigma * experienced_stigma[person]
        )
        judged = independence[np.uint64(ngo[row])] if ngo[row] >= 0 else sector_independence
        in_ngo = unit_clip(
            ngo_base + ngo_enrolled * (1.0 if enrolled[row] else 0.0) - monitor_perception + ngo_independence * judged
        )
        trust_government[person] = moved(trust_government[person], government, rate)
        trust_ngo[person] = moved(trust_ngo[person], in_ngo, rate)
