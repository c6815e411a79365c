"""The ten cooperation objectives of the brief, turned into the quantities the weekly rules use.

Each lever (0 absent, 1 full) drives at least one *opportunity* and one *challenge* named in the
brief. They are all computed here, from the scenario, so that one file answers "what does lever N
do?"; ``docs/OBJECTIVES.md`` maps each line to the rule that consumes it. The sizes are scenario
parameters (``lever_effects.*``, assumed: the brief gives directions, not magnitudes).
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.scenarios.schema import Scenario


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
    training_reach: float
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
        lever, size = scenario.cooperation, scenario.lever_effects
        strictness = scenario.supervision.strictness
        officers = scenario.officers
        extremist_share = scenario.population.violent_extremist_share
        campaigns = max(lever.community_mobilization, lever.stigma_reduction)
        return cls(
            # 1 policy input -> proportionate regimes and visits kept (opportunity)
            harshness=scenario.prison.harshness * (1 - size.policy_input_harshness * lever.policy_input),
            visits=scenario.prison.visits + (1 - scenario.prison.visits) * size.policy_input_visits * lever.policy_input,
            # 2 prison monitoring -> less ill-treatment, so less grievance and distrust (opportunity)
            grievance_relief=size.monitoring_grievance * lever.prison_monitoring,
            # 6 custodial interventions -> lower needs and commitment at release (opportunity) ...
            programme_reach=min(1.0, scenario.prison.programmes + size.interventions_programme_reach * lever.custodial_interventions),
            # ... and independent providers trusted more after release (opportunity)
            trust_in_ngo_at_release=size.interventions_trust_ngo * lever.custodial_interventions,
            # 6 challenge: manipulation of providers -> committed people look safer than they are
            manipulation=size.interventions_manipulation * lever.custodial_interventions,
            # 7 community interventions -> family support during custody (opportunity) ...
            family_support=size.community_family_support * lever.community_interventions,
            # ... but families become visible and share the stigma (challenge)
            family_visibility=size.community_family_visibility * lever.community_interventions,
            # supervision strictness: more conditions and contacts
            conditions=scenario.compliance.conditions_base + scenario.compliance.conditions_strictness * strictness,
            contacts=officers.contacts_base + officers.contacts_strictness * strictness,
            # 9 supervision partnership -> proportionate sanctions (opportunity); 4 training acts per officer
            # (sim.rules.supervision.train: trained officers are less control-oriented, so recall less)
            recall_discretion=(officers.recall_base + officers.recall_strictness * strictness)
            * (1 - size.partnership_discretion * lever.supervision_partnership),
            # 4 staff training -> the share of officers it reaches (opportunity); sceptics do not take it up
            # (challenge). sim.rules.supervision.train compares each officer's own draw with it, when the model
            # is built and after each policy change (as this Policy is rebuilt then)
            training_reach=lever.staff_training * (1 - officers.staff_scepticism),
            # 9 -> more compliance with licence conditions (opportunity)
            compliance_boost=size.partnership_compliance * lever.supervision_partnership,
            # 5 informing assessment -> more accurate risk and needs assessment (opportunity)
            assessment_accuracy=min(1.0, size.assessment_accuracy_base + size.assessment_accuracy * lever.assessment),
            # 5 -> needs assessed well: services matched to needs work better (responsivity)
            service_match=min(1.0, size.service_match_base + size.service_match * lever.assessment),
            # 8 facilitating reintegration -> more referrals (opportunity); 4 training acts per officer
            # (sim.rules.referral.who_is_referred: trained officers refer more)
            referral_rate=scenario.supervision.referral_rate * (1 + size.reintegration_referral * lever.reintegration_support),
            # 8 facilitating reintegration -> continuity of support across release (opportunity)
            through_the_gate=size.reintegration_through_the_gate * lever.reintegration_support,
            # 3 mobilising support brings resources (opportunity); 2, 4 and 6 spend them (challenges)
            places_multiplier=max(
                0.0,
                (1 + size.mobilisation_places * lever.community_mobilization)
                * (1 - size.monitoring_places * lever.prison_monitoring - size.training_places * lever.staff_training
                   - size.interventions_places * lever.custodial_interventions),
            ),
            # 1 and 9 challenge: instrumentalised NGOs look less independent
            independence=scenario.ngo.independence * (1 - size.policy_input_independence * lever.policy_input)
            * (1 - size.partnership_independence * lever.supervision_partnership),
            # 9 challenge: NGOs seen as monitors -> released people's trust in NGOs falls
            monitor_perception=size.partnership_monitor_perception * lever.supervision_partnership,
            # weekly erosion of NGO willingness: 1 accountability shifted, 2 tokenism, 5 publication
            # conflicts, 7 threats to staff (violent-extremist clients), 9 monitoring role
            willingness_erosion=size.erosion_rate * (
                lever.policy_input + lever.prison_monitoring + size.erosion_assessment * lever.assessment
                + lever.community_interventions * (size.erosion_community + size.erosion_community_extremist * extremist_share)
                + size.erosion_partnership * lever.supervision_partnership
            ),
            # 10 challenge: public campaigning costs NGO reputation
            campaign_reputation_cost=size.campaign_reputation_cost * lever.stigma_reduction,
            # 3 challenge: reputational damage when community stigma is high
            mobilisation_reputation_risk=size.mobilisation_reputation_risk * lever.community_mobilization,
            # 8 challenge: NGOs scapegoated after failures
            scapegoating=1 + size.reintegration_scapegoating * lever.reintegration_support,
            # 3 and 10 -> dialogue campaigns lower community stigma (opportunity)
            dialogue=min(1.0, size.mobilisation_dialogue * lever.community_mobilization + size.stigma_reduction_dialogue * lever.stigma_reduction),
            contact_quality=size.contact_quality_base + size.contact_quality * campaigns,
            # 8 -> continuity: NGOs line up jobs before release and make practical help count
            practical_help=1 + size.reintegration_practical_help * lever.reintegration_support,
            # 10 -> media help and peer support buffer experienced stigma (opportunity)
            stigma_buffer=size.stigma_reduction_buffer * lever.stigma_reduction,
            # 10 and 8 challenge: resentment of support others do not get
            visible_support=size.stigma_reduction_visibility * lever.stigma_reduction
            + size.reintegration_visibility * lever.reintegration_support,
        )
