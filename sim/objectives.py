"""What the cooperation levers are for: which way each output is better, and the brief's ten objectives.

One table, read by every part that speaks of a lever's gain and cost: the analysts' lever tables
(``sim.analysis.OBJECTIVES``), the dashboard's slider help, the words beside an objective or an optimised
metric (``BETTER``), and ``tests/test_directions.py``, which checks that the model moves each lever's two outputs
the way this table says. ``docs/OBJECTIVES.md`` names the rules behind each row; ``tests/test_objectives.py``
keeps its checked outputs in step with this table. How a lever acts is ``sim.levers``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Better = Literal["lower", "higher"]

BETTER: dict[str, Better] = {
    **dict.fromkeys(("reoffended", "terrorism_offence", "recalled", "returned", "community_stigma", "experienced_stigma",
                     "family_stigma", "needs", "commitment", "ngo_waitlist", "in_custody", "offences_total",
                     "terrorism_offences_total", "recalls_total", "cost_total", "cost_per_released", "custody_weeks"),
                    "lower"),
    **dict.fromkeys(("employment_rate", "housing_rate", "family_bond", "trust_government", "trust_ngo", "ngo_willingness",
                     "ngo_reputation", "ngo_enrolled", "ngo_places_per_person"), "higher"),
}
"""Which way each metric is better for the people released, the public and the purse: the direction a reader is told
beside an objective (``sim.analysis.metric_words``), the one ``sim optimise`` searches in, and the one each lever's
opportunity moves its metric (its challenge moves its metric the other way)."""


@dataclass(frozen=True)
class Objective:
    """One objective of the brief as a lever: the opportunity and the challenge the brief names, each with the model
    output that shows it, and the slider help that tells a room of practitioners the same."""

    number: int
    lever: str  # cooperation.<lever> in a scenario
    objective: str  # the brief's words
    opportunity: str
    opportunity_metric: str
    challenge: str
    challenge_metric: str
    help: str  # the dashboard's slider help: its opportunity, then its challenge

    @property
    def opportunity_better(self) -> Better:
        return BETTER[self.opportunity_metric]

    @property
    def challenge_better(self) -> Better:
        return BETTER[self.challenge_metric]

    def moves(self, side: str) -> Better:
        """Which way the lever moves the metric of its `side` ('opportunity' or 'challenge'): an opportunity the
        better way, a challenge the worse way."""
        better = BETTER[getattr(self, f"{side}_metric")]
        return better if side == "opportunity" else "lower" if better == "higher" else "higher"


OBJECTIVES: tuple[Objective, ...] = (
    Objective(
        1, "policy_input", "informing prison policies",
        "proportionate regimes, fewer grievances at release", "trust_government",
        "civil society instrumentalised, accountability shifted: willingness erodes", "ngo_willingness",
        "More proportionate regimes and visits kept, so fewer grievances at release. "
        "Risk: civil society used as a fig leaf, accountability shifted onto NGOs.",
    ),
    Objective(
        2, "prison_monitoring", "monitoring prison conditions",
        "less ill-treatment, so less distrust at release", "trust_government",
        "NGO resources spent; tokenism erodes willingness", "ngo_willingness",
        "Less ill-treatment, so less grievance and distrust of government at release. "
        "Costs NGO resources; token monitoring wears down their willingness.",
    ),
    Objective(
        3, "community_mobilization", "mobilising community support",
        "lower community stigma", "community_stigma",
        "NGO reputational damage when stigma is high", "ngo_reputation",
        "Lowers community stigma and builds support for programmes. "
        "NGOs' reputation suffers when stigma is high.",
    ),
    Objective(
        4, "staff_training", "recruiting and training staff",
        "trained officers less control-oriented: fewer recalls", "recalled",
        "training cost: fewer NGO places", "ngo_places_per_person",
        "Probation officers it reaches are less quick to recall and refer more people to NGOs. "
        "Training costs NGO time; some staff stay sceptical.",
    ),
    Objective(
        5, "assessment", "informing assessment",
        "right intensity for the right people, services matched: lower needs", "needs",
        "publication conflicts: NGO reluctance", "ngo_willingness",
        "More accurate assessment, so supervision intensity fits the person (risk-need-responsivity). "
        "NGOs may be reluctant to share what clients tell them.",
    ),
    Objective(
        6, "custodial_interventions", "custodial interventions",
        "lower ideological commitment at release", "commitment",
        "vetting and safety: NGO places spent", "ngo_places_per_person",
        "Lower needs and ideological commitment at release; independent providers are trusted more. "
        "Vetting and safety concerns, risk of manipulation.",
    ),
    Objective(
        7, "community_interventions", "community interventions",
        "family support during custody: stronger bonds", "family_bond",
        "families become visible and share the stigma", "family_stigma",
        "NGO family support during custody keeps bonds strong for release day. "
        "NGO staff can face threats; families can be stigmatised.",
    ),
    Objective(
        8, "reintegration_support", "facilitating reintegration",
        "continuity of support: jobs", "employment_rate",
        "NGO scapegoated after failures", "ngo_reputation",
        "Continuity: jobs, housing and mentoring from the prison gate on. "
        "NGOs get scapegoated after a failure, and visible support can feed resentment.",
    ),
    Objective(
        9, "supervision_partnership", "supervising reintegration",
        "proportionate sanctions: fewer recalls", "recalled",
        "NGOs seen as monitors: trust in NGOs falls", "trust_ngo",
        "More compliance, proportionate sanctions, fewer needless recalls. "
        "Seen as monitors, NGOs lose the trust of the people they help.",
    ),
    Objective(
        10, "stigma_reduction", "reducing stigmatisation",
        "lower experienced stigma", "experienced_stigma",
        "campaigning costs NGO reputation", "ngo_reputation",
        "Lower community stigma and less stigma felt by released people. "
        "Public campaigning costs NGO reputation and can provoke resentment.",
    ),
)
"""The brief's ten objectives in its order (docs/OBJECTIVES.md), one per lever of ``sim.scenarios.settings.LEVERS``."""

BY_LEVER: dict[str, Objective] = {objective.lever: objective for objective in OBJECTIVES}
