"""The numbers behind the live curves, one row per week so far."""

from __future__ import annotations

import pandas as pd

from sim.curves import CURVES, curves_of
from sim.dashboard.session import TrainerModel

RECALLED_EVER = "ever recalled"  # the share recalled at least once so far, not those in custody on recall now (the
# network key's "recalled (in custody now)"): shown side by side, a bare "recalled" was read as either
# What each panel shows: (title, [(column, label)], scale, unit).
Panel = tuple[str, tuple[tuple[str, str], ...], float, str]
OFFENCES: Panel = ("Offences (% of released)", (("reoffended", "any"), ("terrorism_offence", "terrorism")), 100.0, "%")
CUSTODY: Panel = ("Custody (% of released)", (("recalled", RECALLED_EVER), ("returned", "any")), 100.0, "%")
WORK_HOME: Panel = ("Work, home (% in community)", (("employment_rate", "job"), ("housing_rate", "home")), 100.0, "%")
STIGMA: Panel = ("Stigma (1 = rejecting)", (("community_stigma", "community"), ("experienced_stigma", "felt")), 1.0, "0-1")
# Those on an NGO's waitlist were referred and accepted it, and no place of it is free for them: "waiting" raised
# "waiting for what?" where no NGO offers places (No NGOs), and they wait until they are back in custody.
WAITING = "no place"
NGO: Panel = ("NGO places (people)", (("ngo_waitlist", WAITING), ("ngo_enrolled", "enrolled")), 1.0, "people")
# The NGO places of a comparison of sides that release different numbers of people, as shares of each side's people
# released so far: as counts, General offenders' 1,000 set the axis to 1,000 and No NGOs' 400 filled at most 40% of it.
NGO_SHARES: Panel = ("NGO places (% of released)", (("ngo_waitlist_share", WAITING), ("ngo_enrolled_share", "enrolled")),
                     100.0, "%")
PANELS: tuple[Panel, ...] = (OFFENCES, CUSTODY, WORK_HOME, STIGMA, NGO)
# The panels shown at once, by the name of the button that shows them; the first is shown at the start. Five panels
# in one 456 px picture left each plot about 40 px high, unreadable from across a room: the three outcomes the tool
# compares (recidivism, recall, stigma) come first, work, home and the NGO places on their own.
PANEL_GROUPS: dict[str, tuple[Panel, ...]] = {
    "Offences, custody, stigma": (OFFENCES, CUSTODY, STIGMA),
    "Work, home, NGO": (WORK_HOME, NGO),
}
MAIN_PANELS = next(iter(PANEL_GROUPS.values()))


def curve_frame(model: TrainerModel) -> pd.DataFrame:
    """Week, cumulative reoffending/recall shares, work and housing, stigma and NGO numbers (and those as shares of
    the people released so far, ``NGO_SHARES``) for every week so far."""
    frame = pd.DataFrame(model.history[:])  # a snapshot: the play thread may be appending a week
    released = frame["released"].where(frame["released"] > 0)  # nobody released yet: no share, nothing drawn
    for (share, _), (count, _) in zip(NGO_SHARES[1], NGO[1], strict=True):
        frame[share] = frame[count] / released
    return frame


def no_places(row: dict) -> bool:
    """Whether the NGOs offer no places in the week of ``row`` (a row of ``TrainerModel.history``; one without
    the number, as places)."""
    return row.get("ngo_places", 1) == 0


def cohort_sizes(models: list[TrainerModel]) -> list[int]:
    """How many people each run releases in all."""
    return [model.settings.population.released for model in models]


def like_for_like(panels: tuple[Panel, ...], models: list[TrainerModel]) -> tuple[Panel, ...]:
    """``panels`` as the runs of ``models`` can be read on one axis: where they release different numbers of people,
    the NGO places as shares of each run's own (``NGO_SHARES``), as every other panel is, not counts."""
    if len(set(cohort_sizes(models))) < 2:
        return panels
    return tuple(NGO_SHARES if panel == NGO else panel for panel in panels)


def event_marks(model: TrainerModel) -> list[tuple[int, str]]:
    """Media shocks and policy changes so far, merged per week so labels do not pile up."""
    merged: dict[int, list[str]] = {}
    for week, label in model.event_log:
        if label not in merged.setdefault(week, []):
            merged[week].append(label)
    return [(week, "; ".join(labels)) for week, labels in sorted(merged.items())]


def overlaid_marks(models: list[TrainerModel]) -> list[tuple[int, str, int]]:
    """The event marks of runs drawn over each other (a comparison's two sides) as (week, text, index of its run), in
    the order the picture and the list under it number them: by week across the runs, the first run's first within a
    week. Numbered run by run, scenario B's marks came after all of A's, and along the week axis they read 1, 3, 2."""
    marks = [(week, text, run) for run, model in enumerate(models) for week, text in event_marks(model)]
    return sorted(marks, key=lambda mark: mark[0])


def read_panels(panels: tuple[Panel, ...], scenarios: list) -> tuple[Panel, ...]:
    """``panels`` with only the curves a comparison of ``scenarios`` reads (``sim.curves.curves_of``, as every table
    and report reads them): a general cohort's terrorism curve, 0 by construction, was drawn as if it were a finding.
    Series that are not first-event curves (work, stigma, NGO places) are always drawn."""
    read = curves_of(scenarios)
    return tuple((heading, tuple((column, label) for column, label in columns if column not in CURVES or column in read),
                  scale, unit) for heading, columns, scale, unit in panels)
