"""The dashboard's sliders: which scenario keys a trainer can move, in plain language.

Labels and help text speak to a room of probation staff, NGO workers and policy makers; the help text
of each cooperation lever is its opportunity, then its challenge, from the objectives table (``sim.objectives``);
current values are read from the running scenario.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sim.objectives import BY_LEVER
from sim.scenarios.loader import fixed_during_run
from sim.scenarios.names import KEY_NAMES
from sim.scenarios.schema import Scenario
from sim.scenarios.settings import LEVERS, Supervision


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
    *(SliderSpec(f"cooperation.{lever}", KEY_NAMES[f"cooperation.{lever}"], BY_LEVER[lever].help) for lever in LEVERS),
)
