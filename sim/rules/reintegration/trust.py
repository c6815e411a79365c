"""Trust follows experience: fair treatment, help received, and whether NGOs look like monitors (objective 9)."""

from __future__ import annotations

from sim.arrays import clip_unit, move_towards


def update(world, params, stream, week: int) -> None:
    """Trust moves at ``effects.trust_change`` a week towards what experience warrants: trust in government falls
    with grievance, strict supervision and experienced stigma; trust in NGOs rises with enrolment and independence
    and falls when NGOs look like monitors (objective 9). Trust in government protects from breaches; trust in
    NGOs decides self-referral and acceptance."""
    cohort, here, weights = world.cohort, world.present.people, params.reintegration
    government = (
        weights.government_trust_base - weights.government_trust_grievance * cohort.grievance[here]
        - weights.government_trust_strictness * params.supervision.strictness * world.present.on_licence
        - weights.government_trust_stigma * cohort.experienced_stigma[here]
    )
    ngo = (
        weights.ngo_trust_base + weights.ngo_trust_enrolled * world.present.enrolled - params.policy.monitor_perception
        + weights.ngo_trust_independence * world.ngos.independence_of(world.present.ngo)
    )
    rate = params.effects.trust_change
    move_towards(cohort.trust_government, here, clip_unit(government, out=government), rate)
    move_towards(cohort.trust_ngo, here, clip_unit(ngo, out=ngo), rate)
