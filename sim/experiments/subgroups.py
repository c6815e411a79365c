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

import math

import numpy as np
import pandas as pd

from sim.curves import CURVES
from sim.errors import InputError
from sim.outcomes import ENROLMENT, RISK_TIERS, SUPERVISION_LEVELS, run_curves
from sim.stats import clear_of_zero, cut_said, interval, paired_difference, too_few_alike
from sim.units import percent

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


SUBGROUP_WORDS: dict[str, str] = {"offence_type": "offence type", "risk_tier": "risk tier", "ngo_enrolled": "NGO enrolment",
                                  "supervision_level": "supervision level"}
"""Each column a comparison is split by in words, for headings ("By risk tier", not "By risk_tier")."""


def subgroup_words(by: str) -> str:
    """The column `by` in words; one without words with its underscores as spaces."""
    return SUBGROUP_WORDS.get(by, by.replace("_", " "))


def group_words(by: str, group: str) -> str:
    """'Q1 (lowest quarter of assessed risk at release)'; a group without words is named as it is."""
    words = GROUP_WORDS.get(by, {}).get(str(group))
    return f"{group} ({words})" if words else f"{group} ({by})"


def check_subgroup(by: str) -> None:
    if not isinstance(by, str) or by not in SUBGROUPS:  # a list is unhashable: one column, named
        raise InputError(f"unknown subgroup {by!r} (expected one of: {', '.join(SUBGROUPS)})", key="--by",
                         expected=f"one of: {', '.join(SUBGROUPS)}")


def subgroup_curves(events: pd.DataFrame, by: str, horizons: tuple[int, ...],
                    curves: tuple[str, ...] = CURVES) -> pd.DataFrame:
    """Per scenario, replicate and group: each of `curves`' values at each horizon (weeks since release)."""
    rows = []
    last = max(horizons)
    for (scenario, replicate, group), people in events.groupby(["scenario", "replicate", by], sort=False):
        if not (people["followup"] > 0).any():  # nobody released: no curve to read
            continue
        read = run_curves(people, last).set_index("weeks_since_release")
        for horizon in horizons:
            rows += [(scenario, replicate, group, metric, horizon, float(read.at[horizon, metric])) for metric in curves]
    return pd.DataFrame(rows, columns=["scenario", "replicate", "subgroup", "metric", "week", "value"])


SMALL_GROUP = 30
"""Below this many people per replicate a group's share moves by more than 3 points with each person: comparison.md
says so, so that a few people's outcomes are not read as a rate."""


def group_sizes(events: pd.DataFrame, by: str) -> pd.Series:
    """People per replicate in each scenario's groups (released in the run; a replicate without any counts as 0), so a
    reader can tell a group of 100 from a group of 3, and see when a group holds more people in one scenario."""
    released = events[events["followup"] > 0]
    replicates = events.groupby("scenario")["replicate"].nunique()
    counts = released.groupby(["scenario", by]).size()
    return counts / counts.index.get_level_values("scenario").map(replicates).to_numpy()


def same_people(events: pd.DataFrame, by: str, reference: str) -> pd.Series:
    """Per scenario and group, the share of its people (released, all replicates) whom the reference's same replicate
    puts in the same group: 1 where a group is fixed before the policy (offence type), less where the policy moves
    people between groups (assessment changes who is ranked in which risk tier). Only where both scenarios released
    the same people (the same person numbers in each replicate); otherwise a person number may be someone else."""
    released = events[events["followup"] > 0].set_index(["replicate", "person"])
    base = released.loc[released["scenario"] == reference, by]
    shares = {}
    for name, own in released.groupby("scenario", sort=False):
        if not own.index.sort_values().equals(base.index.sort_values()):
            continue
        same = own[by] == base.reindex(own.index)
        for group, flags in same.groupby(own[by]):
            shares[(name, group)] = float(flags.mean())
    return pd.Series(shares, dtype=float)


def subgroup_table(events: pd.DataFrame, by: str, names: list[str], horizons: tuple[int, ...],
                   curves: tuple[str, ...] = CURVES) -> pd.DataFrame:
    """``subgroups.csv``: per group, scenario, curve and horizon: mean and interval, paired difference from the
    reference, ``people``, the group's size per replicate (``group_sizes``), and ``same_people``, the share of them
    in the same group in the reference (``same_people``); of `curves` (``sim.curves.curves_of``)."""
    check_subgroup(by)
    sizes, same = group_sizes(events, by), same_people(events, by, names[0])
    long = subgroup_curves(events, by, horizons, curves)
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
            diff = (0.0, 0.0, 0.0, np.nan) if name == reference else paired_difference(base, own, floor=0.0, ceiling=1.0)
            rows.append((by, group, name, reference, metric, "weeks_since_release", week, int(own.notna().sum()),
                         float(sizes.get((name, group), 0.0)), float(same.get((name, group), np.nan)),
                         *interval(own, floor=0.0, ceiling=1.0), *diff))
    return pd.DataFrame(rows, columns=["by", "subgroup", "scenario", "reference", "metric", "clock", "week", "replicates",
                                       "people", "same_people", "mean", "ci_low", "ci_high", "difference", "diff_low", "diff_high",
                                       "paired_p"])


def size_line(group: pd.DataFrame, week: int, titles: dict[str, str] | None = None,
              names: list[str] | None = None) -> str:
    """A group's size per replicate in each scenario (the reference first; each by its title in `titles`; every one of
    `names`, a scenario with nobody in the group at 0), a warning when it is small, and why it has no figure when
    nobody in it was followed to `week` in any replicate, or nothing to compare when only one scenario has people in
    it (cohorts of other offence types: `general_offenders` against `baseline` by `offence_type`)."""
    titles = titles or {}
    people = group.drop_duplicates("scenario").set_index("scenario")["people"]
    reference = group["reference"].iloc[0]
    scenarios = [reference, *(n for n in [*(names or []), *people.index] if n != reference)]
    people = people.reindex(list(dict.fromkeys(scenarios))).fillna(0.0)
    counts = [f"{count:,.1f}".removesuffix(".0") for count in people]
    said = (f"{counts[0]} people per replicate in every scenario" if len(set(counts)) == 1 else
            f"{counts[0]} people per replicate in {titles.get(reference, reference)}, "
            + ", ".join(f"{c} in {titles.get(n, n)}" for c, n in zip(counts[1:], people.index[1:], strict=True)))
    shares = group.drop_duplicates("scenario").set_index("scenario")["same_people"].drop(reference, errors="ignore")
    moved = shares[shares.round(2) < 1]
    if len(moved):
        said += (f"; of the people in it in {' and '.join(titles.get(n, n) for n in moved.index)}, "
                 + " and ".join(percent(share, 0) for share in moved)
                 + f" are in it in {titles.get(reference, reference)} too")
    if len(moved) or (len(set(counts)) > 1 and not shares.empty and shares.notna().all()):  # unknown: other cohorts
        said += ": the policy moves people between groups, so a difference here is partly one of who is in the group"
    line = f"{group_words(group['by'].iloc[0], group['subgroup'].iloc[0])}: {said}"
    smallest = people[people > 0].min()
    if smallest < SMALL_GROUP:
        line += (f"; a small group: one person is {100 / smallest:.0f} points of its share or more, so its figures are "
                 "a few people's outcomes, not a rate")
    if (people > 0).sum() < 2:  # in one scenario's cohort only: no difference to give, whoever was followed how long
        line += "; only one scenario has anybody in it, so there is nothing to compare it with"
    elif group.loc[group["scenario"] != reference, "mean"].isna().all():
        line += f"; nobody in it was followed {week} weeks after release, so it has no figure at {week} weeks " \
                "(subgroups.csv has the shorter horizons)"
    return line + "."


def subgroup_lines(table: pd.DataFrame, words: dict[str, str], replicates: int,
                   titles: dict[str, str] | None = None) -> list[str]:
    """Per group, its size (``size_line``), then one sentence per scenario and curve at the longest horizon, for
    comparison.md, each scenario by its title in `titles` (with its name at first mention): lower, higher or no clear
    difference by the 95% interval of the paired difference (``clear_of_zero``: the same non-zero difference in each
    of ``IDENTICAL_PAIRS`` or more replicates is lower or higher, in fewer no clear difference, too few to tell from
    chance), or without one no difference in any replicate, or 'cannot tell without an interval' (one replicate); a
    group's value resting on fewer of the run's `replicates` (in the scenario or
    the reference) says how many."""
    from sim.experiments.comparison import fewer_replicates, points_text, shared_decimals, too_few_said
    from sim.figures import titled
    from sim.outcomes import no_interval
    from sim.units import percent

    titles = titles or {}

    if table.empty:
        return []
    week = int(table["week"].max())
    at = table[table["week"] == week]
    counts = at.set_index(["subgroup", "metric", "scenario"])["replicates"]
    means = at.set_index(["subgroup", "metric", "scenario"])["mean"]
    lines = []
    names = list(dict.fromkeys(table["scenario"]))  # every scenario compared, whether or not a group has people in it
    for _, group in at.groupby("subgroup", sort=False):
        lines.append(size_line(group, week, titles, names))
        in_reference = group.loc[group["scenario"] == group["reference"], "people"]
        if not (in_reference > 0).any():  # nobody in the reference's group: nothing to set a share against ('nan% →')
            continue
        others = group[(group["scenario"] != group["reference"]) & group["mean"].notna()]
        # one precision per curve in the group: the reference's share reads alike in each scenario's line
        places = {metric: shared_decimals([(row.mean, means.get((row.subgroup, metric, row.reference), math.nan),
                                            row.difference) for row in rows.itertuples()])
                  for metric, rows in others.groupby("metric", sort=False)}
        for row in others.itertuples():
            scenario, reference = titles.get(row.scenario, row.scenario), titles.get(row.reference, row.reference)
            fewer = fewer_replicates({scenario: row.replicates,
                                      reference: int(counts.get((row.subgroup, row.metric, row.reference), 0))},
                                     replicates)
            pairs = min(row.replicates, int(counts.get((row.subgroup, row.metric, row.reference), 0)))
            alike = too_few_alike(row.difference, row.diff_low, pairs)  # no interval, and too few to be clear
            notes = [f"no interval: {too_few_said(pairs)}" if alike else
                     no_interval(pairs, difference=True) if row.diff_low != row.diff_low else
                     f"95% CI {points_text(row.diff_low, sign=False)} to {points_text(row.diff_high, sign=False)}"
                     + cut_said(row.difference, row.diff_low, row.diff_high)]
            notes += [fewer] if fewer else []
            before = means.get((row.subgroup, row.metric, row.reference), math.nan)
            # without an interval, labels that say why, as "In short" does (a bare "no telling" was in no list of
            # labels a reader was given): none in any replicate, or no telling whether it is more than chance
            # clear or not by the one rule of In short and the cost (``clear_of_zero``): the same non-zero difference
            # in each of enough replicates is clear, in a group as in the whole cohort
            verdict = (("lower" if row.difference < 0 else "higher")
                       if clear_of_zero(row.difference, row.diff_low, row.diff_high, pairs) else
                       "no clear difference" if row.diff_low == row.diff_low or alike else "no difference in any replicate"
                       if pairs >= 2 and row.difference == 0 else "cannot tell without an interval")
            shown = places[row.metric]  # the two agree with the difference after them
            lines.append(f"{group_words(row.by, row.subgroup)}, {titled(titles, row.scenario)}: {words[row.metric]} within "
                         f"{row.week} weeks {percent(before, shown)} → {percent(row.mean, shown)}, {verdict}: "
                         f"{points_text(row.difference)} against {reference}"
                         + (f" ({'; '.join(notes)})" if notes else "") + ".")
    return lines


GROUPS_ALIKE = ("Each group is compared with the reference within the group; whether an effect differs between groups is "
                "not tested here: groups whose intervals overlap are not shown to differ, so a clear difference in one "
                "group and none in another is no evidence that it works better there. Each verdict is a test of its "
                "own, and where the policy changes nothing about 1 in 20 of them still falls clear of 0 by chance.")
"""Said under comparison.md's groups: 'for whom does it work' is read off them, and a larger fall in one group with
an interval overlapping another's is not a finding that it works better there."""
