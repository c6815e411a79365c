"""How a scenario parameter is declared: the strict section every block of the schema is, and the field helpers
that give each parameter the unit, source, ranges and conditions ``docs/PARAMETERS.md`` is generated from.

The sections themselves live beside this module (``settings``, ``profiles``, ``behaviour``, ``cost_parameters``,
``timed_events``); ``sim.scenarios.schema`` composes them into the :class:`Scenario`.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

ASSUMED = "assumed"
# where a parameter of one offender profile is read at all: a cohort holding people of that profile
WITH_EXTREMISTS = {"population.violent_extremist_share": {"above": 0}}
WITH_GENERAL = {"population.violent_extremist_share": {"below": 1}}
# where a parameter of old associates is read at all: a community with members who can be associates
WITH_AFFINITY = {"network.associate_share": {"above": 0}}
# where the media's response to a publicised terrorism offence is read at all: with that response switched on
WITH_MEDIA_SHOCK = {"media.publicised_reoffence_shock": (True,)}


def parameter(
    default: Any, *, unit: str, source: str, doc: str, ge=None, le=None, gt=None,
    plausible: tuple[float, float] | None = None, when: dict[str, Any] | None = None, name: str | None = None,
) -> Any:
    """A scenario field with the metadata the parameter table is generated from.

    ``name`` is what reports and figures call the parameter (``sim.scenarios.names.key_name``): a few plain words
    saying what the number is ('Weekly community reach of NGO dialogue campaigns'), for a parameter whose first
    sentence of ``doc`` is too long to be one; ``doc`` stays the whole explanation (docs/PARAMETERS.md).

    ``ge``/``le``/``gt`` are what a scenario file may say; ``plausible`` is the narrower range the
    evidence (or, for an assumption, judgement) supports: robustness analysis draws assumed
    parameters from it. ``when`` says where the model reads the field at all: a key and the values it
    must have (``{"network.kind": ("neighbourhoods",)}``) or a bound (``WITH_EXTREMISTS``), which may be another
    parameter's key (``{"above": "officers.caseload_capacity"}``); elsewhere it
    has no effect, so robustness analysis does not draw it (``sim.scenarios.fields.read_in``).
    """
    extra: dict[str, Any] = {"unit": unit, "source": source}
    if name is not None:
        extra["name"] = name
    if plausible is not None:
        extra["plausible"] = [plausible[0], plausible[1]]
    if when is not None:
        extra["when"] = {key: dict(values) if isinstance(values, dict) else list(values) for key, values in when.items()}
    return Field(default, ge=ge, le=le, gt=gt, description=doc, json_schema_extra=extra)


def share(
    default: float, *, source: str, doc: str, unit: str = "share (0-1)", plausible: tuple[float, float] | None = None,
    when: dict[str, Any] | None = None, name: str | None = None,
) -> Any:
    """A field bounded to [0, 1]."""
    return parameter(default, ge=0.0, le=1.0, unit=unit, source=source, doc=doc, plausible=plausible, when=when,
                     name=name)


class Section(BaseModel):
    """A block of the scenario: strict (unknown keys are errors), validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


def restated(model: type[BaseModel], name: str, *, source: str, plausible: tuple[float, float] | None = None) -> Any:
    """Field `name` of `model`, for a subclass that shares its meaning, unit, bounds and name but not its provenance:
    the same field with its own ``source`` and ``plausible`` range (none without one). The one way a section's
    fields say, per section, where their numbers come from (the offender profiles)."""
    info = copy.copy(model.model_fields[name])
    extra = {key: value for key, value in dict(info.json_schema_extra or {}).items() if key not in ("source", "plausible")}
    extra["source"] = source
    if plausible is not None:
        extra["plausible"] = [plausible[0], plausible[1]]
    info.json_schema_extra = extra
    return info


def coef(
    default: float, *, why: str, doc: str, plausible: tuple[float, float], unit: str = "coefficient",
    ge: float | None = 0.0, le: float | None = 1.0, gt: float | None = None, when: dict[str, Any] | None = None,
    name: str | None = None,
) -> Any:
    """An assumed coefficient of a weekly rule: ``why`` says what the assumption rests on."""
    return parameter(default, ge=ge, le=le, gt=gt, unit=unit, source=f"{ASSUMED}: {why}", doc=doc, plausible=plausible,
                     when=when, name=name)


def lever_on(lever: str) -> dict[str, dict[str, float]]:
    """``when`` of a lever's effect size: a lever at 0 multiplies it by 0 (``sim.levers.Policy``)."""
    return {f"cooperation.{lever}": {"above": 0}}


def lever_coef(lever: str, default: float, **kwargs: Any) -> Any:
    """The assumed size of one of ``lever``'s effects: read only with the lever above 0."""
    return coef(default, why=LEVER_WHY, when=lever_on(lever), **kwargs)


LEVER_WHY = "the policy brief names each lever's direction, not its size; chosen so a full lever moves its target moderately"
