"""The keys people move most, named in words: the dashboard's sliders and the decision reports' levers.

One table, so a lever a trainer moves on screen and the lever a report recommends funding carry the same name.
"""

from __future__ import annotations

from sim.scenarios.fields import words_of

KEY_NAMES: dict[str, str] = {
    "stigma.baseline": "Community stigma at the start",
    "supervision.strictness": "Supervision strictness",
    "ngo.capacity": "NGO places per released person",
    "cooperation.policy_input": "1. NGOs help shape prison policy",
    "cooperation.prison_monitoring": "2. NGOs monitor prison conditions",
    "cooperation.community_mobilization": "3. NGOs mobilise community support",
    "cooperation.staff_training": "4. NGOs help recruit and train staff",
    "cooperation.assessment": "5. NGOs inform risk and needs assessment",
    "cooperation.custodial_interventions": "6. NGOs work with prisoners inside",
    "cooperation.community_interventions": "7. NGOs support families during custody",
    "cooperation.reintegration_support": "8. NGOs carry support across release",
    "cooperation.supervision_partnership": "9. NGOs take part in supervision",
    "cooperation.stigma_reduction": "10. NGOs campaign against stigma",
}


def key_name(key: str) -> str:
    """A key in words: its name here ('Supervision strictness'), else the first sentence of the schema's words
    (``words_of``), '' for a key the schema does not know."""
    return KEY_NAMES.get(key) or words_of(key)
