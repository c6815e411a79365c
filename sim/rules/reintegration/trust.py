"""Trust follows experience: fair treatment, help received, and whether NGOs look like monitors (objective 9)."""

from __future__ import annotations

from sim.agents.states import ENROLLED
from sim.arrays import clip


def update(world, params, stream, week: int) -> None:
    cohort, here, weights = world.cohort, world.present.people, params.reintegration
    government = (
        weights.government_trust_base - weights.government_trust_grievance * cohort.grievance[here]
        - weights.government_trust_strictness * params.supervision.strictness * world.present.on_licence
        - weights.government_trust_stigma * cohort.experienced_stigma[here]
    )
    enrolled = cohort.ngo_status[here] == ENROLLED
    ngo = (
        weights.ngo_trust_base + weights.ngo_trust_enrolled * enrolled - params.policy.monitor_perception
        + weights.ngo_trust_independence * world.ngos.independence_of(cohort.ngo[here])
    )
    rate = params.effects.trust_change
    cohort.trust_government[here] += rate * (clip(government, 0, 1) - cohort.trust_government[here])
    cohort.trust_ngo[here] += rate * (clip(ngo, 0, 1) - cohort.trust_ngo[here])
