"""The dashboard's sliders: which scenario keys a trainer can move, in plain language.

Labels and help text speak to a room of probation staff, NGO workers and policy makers; the help text
of each cooperation lever follows the opportunity/challenge table in docs/OBJECTIVES.md;
current values are read from the running scenario.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sim.scenarios.loader import fixed_during_run
from sim.scenarios.names import KEY_NAMES
from sim.scenarios.schema import LEVERS, Scenario, Supervision


@dataclass(frozen=True)
class SliderSpec:
    key: str  # dotted scenario key
    label: str
    help: str
    maximum: float = 1.0
    step: float = 0.05

    @property
    def live(self) -> bool:
        """Whether a move applies at once; not for a key that only shapes the world when it is built (the loader's
        ``fixed_during_run``, which also refuses a policy change to it), which applies on Reset."""
        return not fixed_during_run(tuple(self.key.split(".")))

    def value(self, settings: Scenario) -> float:
        section, name = self.key.split(".")
        return float(getattr(getattr(settings, section), name))

    def mark(self, value: float) -> str:
        """How a value of this slider is named in the list of marks below the curves. A lever's own number is said
        as 'lever 1': its label's '1. NGOs help shape ...' after a mark's bold number ('1 week 21: ...; 1. NGOs ...')
        read as a second mark 1."""
        label = re.sub(r"^(\d+)\. (.*)$", r"\2 (lever \1)", self.label)
        return f"{label}: {value:.2f}"


LEVER_HELP: dict[str, str] = {  # the slider help of each cooperation lever: its opportunity, then its challenge
    "policy_input": (
        "More proportionate regimes and visits kept, so fewer grievances at release. "
        "Risk: civil society used as a fig leaf, accountability shifted onto NGOs."
    ),
    "prison_monitoring": (
        "Less ill-treatment, so less grievance and distrust of government at release. "
        "Costs NGO resources; token monitoring wears down their willingness."
    ),
    "community_mobilization": (
        "Lowers community stigma and builds support for programmes. "
        "NGOs' reputation suffers when stigma is high."
    ),
    "staff_training": (
        "Better relations between staff and prisoners, more programme uptake. "
        "Training costs NGO time; some staff stay sceptical."
    ),
    "assessment": (
        "More accurate assessment, so supervision intensity fits the person (risk-need-responsivity). "
        "NGOs may be reluctant to share what clients tell them."
    ),
    "custodial_interventions": (
        "Lower needs and ideological commitment at release; independent providers are trusted more. "
        "Vetting and safety concerns, risk of manipulation."
    ),
    "community_interventions": (
        "Family support and visits keep bonds strong for release day. "
        "NGO staff can face threats; families can be stigmatised."
    ),
    "reintegration_support": (
        "Continuity: jobs, housing and mentoring from the prison gate on. "
        "Roles blur, and NGOs get scapegoated after a failure."
    ),
    "supervision_partnership": (
        "More compliance, proportionate sanctions, fewer needless recalls. "
        "Seen as monitors, NGOs lose the trust of the people they help."
    ),
    "stigma_reduction": (
        "Lower community stigma and less stigma felt by released people. "
        "Public campaigning costs NGO reputation and can provoke resentment."
    ),
}

SLIDERS: tuple[SliderSpec, ...] = (
    SliderSpec(
        "stigma.baseline", KEY_NAMES["stigma.baseline"],
        "How hostile the community is towards released people before the run begins (0 accepting, 1 rejecting). "
        "It sets people's starting attitudes, so it takes effect when you press Reset.",
    ),
    SliderSpec(
        "supervision.strictness", KEY_NAMES["supervision.strictness"],
        str(Supervision.model_fields["strictness"].description),  # the schema's words, which already speak plainly
    ),
    SliderSpec(
        "ngo.capacity", KEY_NAMES["ngo.capacity"],
        "Places funded for NGOs, as a share of the cohort (1 = a place funded for everyone). NGOs offer fewer "
        "when their willingness falls or cooperation costs them resources; when places run out, people wait on "
        "the NGO waitlist.",
        maximum=2.0,
    ),
    *(SliderSpec(f"cooperation.{lever}", KEY_NAMES[f"cooperation.{lever}"], LEVER_HELP[lever]) for lever in LEVERS),
)
