"""Differences by subgroup: the first-event curves of each group of people, paired by replicate like the whole cohort.

A subgroup is a categorical column of the events table (one row per person): ``offence_type``,
``risk_tier`` (quartile of assessed risk at release), ``ngo_enrolled`` (ever enrolled with an NGO) or
``supervision_level`` (third of contacts per week at release; ``none`` without licence); see
``sim.outcomes.subgroup_columns``. People not released by the horizon are in no group.
Each replicate's curves are recomputed on the people of each group (same conventions as the whole
cohort, ``sim.outcomes.run_curves``), then compared with the reference's same group in the same
replicate: paired t intervals over replicates, as in ``sim.experiments.compare``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.curves import CURVES
from sim.errors import InputError
from sim.outcomes import ENROLMENT, RISK_TIERS, SUPERVISION_LEVELS, interval, run_curves

SUBGROUPS: dict[str, tuple[str, ...]] = {
    "offence_type": ("violent_extremist", "general"),
    "risk_tier": RISK_TIERS,
    "ngo_enrolled": ENROLMENT,
    "supervision_level": SUPERVISION_LEVELS,
}
"""Columns of the events table a comparison can be split by, with the order their groups are reported in."""


GROUP_WORDS: dict[str, dict[str, str]] = {
    "risk_tier": {"Q1": "lowest quarter of assessed risk at release", "Q2": "second quarter of assessed risk at release",
                  "Q3": "third quarter of assessed risk at release", "Q4": "highest quarter of assessed risk at release"},
    "supervision_level": {"none": "released without licence supervision",
                          "low": "lightest third of supervision contacts at release",
                          "medium": "middle third of supervision contacts at release",
                          "high": "heaviest third of supervision contacts at release"},
    "ngo_enrolled": {"enrolled": "ever enrolled with an NGO", "never enrolled": "never enrolled with an NGO"},
    "offence_type": {"violent_extremist": "violent-extremist offenders", "general": "general offenders"},
}
"""Each group in words, so that a reader of comparison.md need not know what Q1 or 'low' stands for."""


def group_words(by: str, group: str) -> str:
    """'Q1 (lowest quarter of assessed risk at release)'; a group without words is named as it is."""
    words = GROUP_WORDS.get(by, {}).get(str(group))
    return f"{group} ({words})" if words else f"{group} ({by})"


def check_subgroup(by: str) -> None:
    if by not in SUBGROUPS:
        raise InputError(f"unknown subgroup '{by}' (expected one of: {', '.join(SUBGROUPS)})", key="--by",
                         expected=f"one of: {', '.join(SUBGROUPS)}")


def subgroup_curves(events: pd.DataFrame, by: str, horizons: tuple[int, ...]) -> pd.DataFrame:
    """Per scenario, replicate and group: each curve's value at each horizon (weeks since release)."""
    rows = []
    last = max(horizons)
    for (scenario, replicate, group), people in events.groupby(["scenario", "replicate", by], sort=False):
        if not (people["followup"] > 0).any():  # nobody released: no curve to read
            continue
        curves = run_curves(people, last).set_index("weeks_since_release")
        for horizon in horizons:
            rows += [(scenario, replicate, group, metric, horizon, float(curves.at[horizon, metric])) for metric in CURVES]
    return pd.DataFrame(rows, columns=["scenario", "replicate", "subgroup", "metric", "week", "value"])


def subgroup_table(events: pd.DataFrame, by: str, names: list[str], horizons: tuple[int, ...]) -> pd.DataFrame:
    """``subgroups.csv``: per group, scenario, curve and horizon: mean and interval, paired difference from the reference."""
    from sim.experiments.comparison import paired_difference

    check_subgroup(by)
    long = subgroup_curves(events, by, horizons)
    order = {group: i for i, group in enumerate(SUBGROUPS[by])}
    long = long.sort_values("subgroup", key=lambda groups: groups.map(order), kind="stable")
    reference = names[0]
    rows = []
    for (group, metric, week), cell in long.groupby(["subgroup", "metric", "week"], sort=False):
        values = cell.set_index(["scenario", "replicate"])["value"]
        base = values.loc[reference] if reference in values.index.get_level_values(0) else pd.Series(dtype=float)
        for name in names:
            if name not in values.index.get_level_values(0):
                continue
            own = values.loc[name]
            diff = (0.0, 0.0, 0.0, np.nan) if name == reference else paired_difference(base, own)
            rows.append((by, group, name, reference, metric, "weeks_since_release", week, int(own.notna().sum()),
                         *interval(own, floor=0.0, ceiling=1.0), *diff))
    return pd.DataFrame(rows, columns=["by", "subgroup", "scenario", "reference", "metric", "clock", "week", "replicates",
                                       "mean", "ci_low", "ci_high", "difference", "diff_low", "diff_high", "paired_p"])


def subgroup_lines(table: pd.DataFrame, words: dict[str, str], replicates: int) -> list[str]:
    """One sentence per group, scenario and curve at the longest horizon, for comparison.md; a group's value
    resting on fewer of the run's `replicates` (in the scenario or the reference) says how many."""
    from sim.experiments.comparison import fewer_replicates

    if table.empty:
        return []
    at = table[table["week"] == table["week"].max()]
    counts = at.set_index(["subgroup", "metric", "scenario"])["replicates"]
    lines = []
    for row in at[(at["scenario"] != at["reference"]) & at["mean"].notna()].itertuples():
        fewer = fewer_replicates({row.scenario: row.replicates,
                                  row.reference: int(counts.get((row.subgroup, row.metric, row.reference), 0))}, replicates)
        notes = [] if row.diff_low != row.diff_low else [f"95% CI {100 * row.diff_low:+.1f} to {100 * row.diff_high:+.1f}"]
        notes += [fewer] if fewer else []
        lines.append(f"{group_words(row.by, row.subgroup)}, {row.scenario}: {words[row.metric]} within {row.week} weeks "
                     f"{100 * row.mean:.1f}%, {100 * row.difference:+.1f} points against {row.reference}"
                     + (f" ({'; '.join(notes)})" if notes else "") + ".")
    return lines
