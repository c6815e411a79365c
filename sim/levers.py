"""The ten cooperation objectives of the brief, turned into the quantities the weekly rules use.

Each lever (0 absent, 1 full) drives at least one *opportunity* and one *challenge* named in the
brief. They are all computed here, from the scenario, so that one file answers "what does lever N
do?"; ``docs/OBJECTIVES.md`` maps each line to the rule that consumes it. The sizes are assumed
(the brief gives directions, not magnitudes) and are stated in the comments.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.scenarios.schema import Scenario

# Share of probation staff who stay sceptical of civil-society training (objective 4's challenge).
STAFF_SCEPTICISM = 0.3


@dataclass(frozen=True)
class Policy:
    """Everything the weekly rules need from the scenario's policy settings, levers applied."""

    # prison (objectives 1, 2, 6, 7)
    harshness: float
    visits: float
    grievance_relief: float
    programme_reach: float
    trust_in_ngo_at_release: float
    manipulation: float
    family_support: float
    family_visibility: float
    # supervision (objectives 4, 5, 9)
    conditions: float
    contacts: float
    recall_discretion: float
    compliance_boost: float
    assessment_accuracy: float
    service_match: float
    referral_rate: float
    through_the_gate: float
    practical_help: float
    # NGOs (objectives 2-10)
    places_multiplier: float
    independence: float
    monitor_perception: float
    willingness_erosion: float
    campaign_reputation_cost: float
    mobilisation_reputation_risk: float
    scapegoating: float
    dialogue: float
    contact_quality: float
    stigma_buffer: float
    visible_support: float

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Policy:
        lever = scenario.cooperation
        strictness = scenario.supervision.strictness
        trained = lever.staff_training * (1 - STAFF_SCEPTICISM)
        extremist_share = scenario.population.violent_extremist_share
        return cls(
            # 1 policy input -> proportionate regimes and visits kept (opportunity)
            harshness=scenario.prison.harshness * (1 - 0.5 * lever.policy_input),
            visits=scenario.prison.visits + (1 - scenario.prison.visits) * 0.4 * lever.policy_input,
            # 2 prison monitoring -> less ill-treatment, so less grievance and distrust (opportunity)
            grievance_relief=0.5 * lever.prison_monitoring,
            # 6 custodial interventions -> lower needs and commitment at release (opportunity) ...
            programme_reach=min(1.0, scenario.prison.programmes + 0.6 * lever.custodial_interventions),
            # ... and independent providers trusted more after release (opportunity)
            trust_in_ngo_at_release=0.25 * lever.custodial_interventions,
            # 6 challenge: manipulation of providers -> committed people look safer than they are
            manipulation=0.3 * lever.custodial_interventions,
            # 7 community interventions -> family support during custody (opportunity) ...
            family_support=0.5 * lever.community_interventions,
            # ... but families become visible and share the stigma (challenge)
            family_visibility=0.5 * lever.community_interventions,
            # supervision strictness: more conditions and contacts
            conditions=2 + 8 * strictness,
            contacts=0.5 + 1.0 * strictness,
            # 9 supervision partnership -> proportionate sanctions (opportunity); 4 training too
            recall_discretion=(0.3 + 0.7 * strictness) * (1 - 0.4 * lever.supervision_partnership) * (1 - 0.3 * trained),
            # 9 -> more compliance with licence conditions (opportunity)
            compliance_boost=0.35 * lever.supervision_partnership,
            # 5 informing assessment -> more accurate risk and needs assessment (opportunity)
            assessment_accuracy=0.3 + 0.6 * lever.assessment,
            # 5 -> needs assessed well: services matched to needs work better (responsivity)
            service_match=0.4 + 0.6 * lever.assessment,
            # 4 training -> more programme uptake: referrals (opportunity)
            referral_rate=scenario.supervision.referral_rate * (1 + 1.5 * trained + lever.reintegration_support),
            # 8 facilitating reintegration -> continuity of support across release (opportunity)
            through_the_gate=0.7 * lever.reintegration_support,
            # 3 mobilising support brings resources (opportunity); 2, 4 and 6 spend them (challenges)
            places_multiplier=max(
                0.0,
                (1 + 0.3 * lever.community_mobilization)
                * (1 - 0.15 * lever.prison_monitoring - 0.1 * lever.staff_training - 0.15 * lever.custodial_interventions),
            ),
            # 1 and 9 challenge: instrumentalised NGOs look less independent
            independence=scenario.ngo.independence * (1 - 0.2 * lever.policy_input) * (1 - 0.5 * lever.supervision_partnership),
            # 9 challenge: NGOs seen as monitors -> released people's trust in NGOs falls
            monitor_perception=0.3 * lever.supervision_partnership,
            # weekly erosion of NGO willingness: 1 accountability shifted, 2 tokenism, 5 publication
            # conflicts, 7 threats to staff (violent-extremist clients), 9 monitoring role
            willingness_erosion=0.001 * (
                lever.policy_input + lever.prison_monitoring + 2.5 * lever.assessment
                + lever.community_interventions * (0.5 + 1.5 * extremist_share) + 1.5 * lever.supervision_partnership
            ),
            # 10 challenge: public campaigning costs NGO reputation
            campaign_reputation_cost=0.002 * lever.stigma_reduction,
            # 3 challenge: reputational damage when community stigma is high
            mobilisation_reputation_risk=0.006 * lever.community_mobilization,
            # 8 challenge: NGOs scapegoated after failures
            scapegoating=1 + 1.5 * lever.reintegration_support,
            # 3 and 10 -> dialogue campaigns lower community stigma (opportunity)
            dialogue=min(1.0, 0.6 * lever.community_mobilization + 0.6 * lever.stigma_reduction),
            contact_quality=0.5 + 0.5 * max(lever.community_mobilization, lever.stigma_reduction),
            # 8 -> continuity: NGOs line up jobs before release and make practical help count
            practical_help=1 + lever.reintegration_support,
            # 10 -> media help and peer support buffer experienced stigma (opportunity)
            stigma_buffer=0.5 * lever.stigma_reduction,
            # 10 and 8 challenge: resentment of support others do not get
            visible_support=0.5 * lever.stigma_reduction + 0.5 * lever.reintegration_support,
        )
