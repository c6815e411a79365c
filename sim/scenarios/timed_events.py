"""Scheduled events a scenario lists under ``events``: a media shock and a policy change, told apart by ``kind``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from sim.scenarios.parameter_fields import ASSUMED, Section


def _event_meta(unit: str, source: str = "set by the scenario author") -> dict[str, str]:
    return {"unit": unit, "source": source}


class MediaShock(Section):
    kind: Literal["media_shock"] = Field(description="Event type.", json_schema_extra=_event_meta("event type"))
    week: int = Field(ge=1, description="Week the event fires (1 is the first step).", json_schema_extra=_event_meta("week"))
    magnitude: float = Field(
        0.3, ge=0, le=1, description="Rise in stigma of a fully susceptible member, as a share of the distance to 1.",
        json_schema_extra=_event_meta("share of the distance to 1", f"{ASSUMED}: a marked but not total surge in hostility"),
    )
    label: str = Field(
        "attack reported in the media", description="Shown on figures and in the dashboard.", json_schema_extra=_event_meta("text"),
    )


class PolicyChange(Section):
    kind: Literal["policy_change"] = Field(description="Event type.", json_schema_extra=_event_meta("event type"))
    week: int = Field(ge=1, description="Week the change takes effect (1 is the first step).", json_schema_extra=_event_meta("week"))
    set: dict[str, Any] = Field(
        description="Dotted scenario keys and their new values, e.g. {supervision.strictness: 0.9}.",
        json_schema_extra=_event_meta("parameter: value"),
    )
    label: str = Field("policy change", description="Shown on figures and in the dashboard.", json_schema_extra=_event_meta("text"))


Event = Annotated[MediaShock | PolicyChange, Field(discriminator="kind")]
