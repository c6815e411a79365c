"""The scenario schema: every model parameter with its meaning, unit, range, default and provenance.

A scenario file is validated against :class:`Scenario`. Unknown keys are rejected (``extra="forbid"``)
so that a misspelt key is an error rather than a silently ignored value. The defaults describe the
``baseline`` scenario: a violent-extremist cohort released into a typical European setting.

Every field carries ``unit`` and ``source`` in its JSON-schema extras; ``docs/PARAMETERS.md`` is
generated from them (``python -m sim.scenarios.docs``). ``source`` says where the default comes from:
a publication, ``calibrated`` (to which data), or ``assumed`` with the reason.

The sections live beside this module, one kind to a module: the setting and policy (``settings``), the offender
profiles (``profiles``), the behavioural coefficients (``behaviour``), the unit costs (``cost_parameters``) and the
scheduled events (``timed_events``), all declared with ``parameter_fields``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, PrivateAttr

from sim.scenarios.behaviour import (
    Attitudes,
    Compliance,
    Effects,
    Families,
    LeverEffects,
    Media,
    Movement,
    NgoEffects,
    Officers,
    Reintegration,
    ReleaseState,
)
from sim.scenarios.cost_parameters import Costs
from sim.scenarios.parameter_fields import ASSUMED, Section, parameter
from sim.scenarios.profiles import Offending
from sim.scenarios.scenario_name import NAME_LENGTH, within_name_bytes
from sim.scenarios.settings import Cooperation, Network, Ngo, Population, Prison, Release, Stigma, Supervision
from sim.scenarios.timed_events import Event
from sim.streams import MAX_FILE_SEED


class Scenario(Section):
    """A whole scenario: what a scenario YAML file holds once its parents are merged."""

    name: Annotated[str, AfterValidator(within_name_bytes)] = Field("baseline", min_length=1, max_length=NAME_LENGTH, pattern=r"^[^/\\.\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*$",
                      description="Shown in listings, figures and the dashboard, and names the scenario's folders "
                                  f"(so no slash, no dot first, no control characters and at most {NAME_LENGTH} "
                                  "bytes: as many plain letters, fewer accented or non-Latin ones).")
    title: str | None = Field(None, description="A title in words for figures and the dashboard (default: the name).")
    description: str = Field("", description="A paragraph a trainer could read out.")
    extends: str | None = Field(None, description="Parent scenario: a shipped name or a path relative to this file.")
    seed: int = parameter(20_261_127, ge=0, le=MAX_FILE_SEED, unit="integer", source="any fixed value", doc="Root seed of the run.")
    weeks: int = parameter(
        182, ge=1, le=1_040, unit="weeks",
        source=f"{ASSUMED}: the release window (26 weeks) plus three years, the usual follow-up of recidivism studies, "
               "so that everyone released is followed three years",
        doc="Horizon of the simulation. A share at a time since release rests on those released early enough to be "
            "followed that long: with releases over ``release.window_weeks``, set it to the window plus the follow-up "
            "wanted.",
    )
    population: Population = Field(default_factory=Population)
    release: Release = Field(default_factory=Release)
    network: Network = Field(default_factory=Network)
    stigma: Stigma = Field(default_factory=Stigma)
    supervision: Supervision = Field(default_factory=Supervision)
    ngo: Ngo = Field(default_factory=Ngo)
    prison: Prison = Field(default_factory=Prison)
    cooperation: Cooperation = Field(default_factory=Cooperation)
    offending: Offending = Field(default_factory=Offending)
    effects: Effects = Field(default_factory=Effects)
    release_state: ReleaseState = Field(default_factory=ReleaseState)
    attitudes: Attitudes = Field(default_factory=Attitudes)
    families: Families = Field(default_factory=Families)
    reintegration: Reintegration = Field(default_factory=Reintegration)
    compliance: Compliance = Field(default_factory=Compliance)
    movement: Movement = Field(default_factory=Movement)
    media: Media = Field(default_factory=Media)
    officers: Officers = Field(default_factory=Officers)
    ngo_effects: NgoEffects = Field(default_factory=NgoEffects)
    lever_effects: LeverEffects = Field(default_factory=LeverEffects)
    events: list[Event] = Field(default_factory=list, description="Scheduled events: media shocks and policy changes.")
    costs: Costs = Field(default_factory=Costs)
    fitted: dict[str, Annotated[str, Field(min_length=1)]] = Field(
        default_factory=dict, exclude=True,
        description="The values this file sets that were fitted (calibrated) to data: each parameter's dotted key "
                    "with the data or calibration it was fitted to. `sim robustness` holds them at the fit rather than "
                    "drawing them. Inherited through `extends` unless the child sets the value again; not a value of "
                    "the run (a result's record leaves it out).")
    _fitted_in: dict[str, str | None] = PrivateAttr(default_factory=dict)  # key -> the file that marks it (the loader's)

    def fit_of(self, key: str) -> str | None:
        """Where a value the scenario marks fitted comes from ('fitted in general_offenders.yaml to the BJS 2005
        curves'), None for a value not marked fitted (``fitted``)."""
        if key not in self.fitted:
            return None
        file = self._fitted_in.get(key)
        return f"fitted in {file or 'the scenario'} to {' '.join(self.fitted[key].split())}"
