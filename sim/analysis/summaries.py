"""Tables of a result folder, each value with its 95% interval as the reports give it: one row per run
(``run_table``), the headline shares, what differs between scenarios, a sweep's interaction of two factors; an
interval cut at what its quantity can be is marked (``cut_marks``)."""

from __future__ import annotations

import numbers
from typing import Any

import pandas as pd

from sim.analysis.checks import names_of, require, succeeded_runs
from sim.curves import CURVES
from sim.errors import InputError
from sim.experiments.comparison import CUT_MARK
from sim.experiments.metrics import value_range
from sim.folder_lock import settings_record
from sim.outcomes import NOBODY_AT_RISK, no_interval, summary_horizons
from sim.scenarios.fields import differing_keys
from sim.stats import cut_said, paired_difference, welch_difference, zero_width
from sim.units import percent, rounded


def run_table(curves: pd.DataFrame, timeseries: pd.DataFrame, weeks: tuple[int, ...] | None = None) -> pd.DataFrame:
    """One row per scenario and replicate: the curves at each horizon and every weekly metric's last value.

    Columns follow the sweep's runs table: ``reoffended_156w`` (share of cohort), ``final_community_stigma``.
    Horizons (default: every whole year the run reaches) past the run are read at its last week (and named by it).
    """
    keys = ["scenario", "replicate"]
    require(curves, [*keys, "seed", "weeks_since_release", *CURVES], "the curves")
    require(timeseries, [*keys, "week"], "the timeseries")
    if weeks is not None and (isinstance(weeks, str | numbers.Number) or not all(
            isinstance(w, numbers.Integral) and not isinstance(w, bool) and w >= 1 for w in weeks)):
        raise InputError(f"must be whole numbers of weeks since release, 1 or more (got {weeks!r})", key="weeks",
                         expected="a tuple such as (26, 52)")
    last = int(curves.dropna(subset=["reoffended"])["weeks_since_release"].max())
    horizons = sorted({min(w, last) for w in (summary_horizons(last) if weeks is None else weeks)})
    at = curves[curves["weeks_since_release"].isin(horizons)]
    wide = at.pivot_table(index=keys, columns="weeks_since_release", values=list(CURVES), sort=False)
    wide.columns = [f"{metric}_{week}w" for metric, week in wide.columns]
    final = timeseries.loc[timeseries.groupby(keys, sort=False)["week"].idxmax()].set_index(keys)
    final = final.drop(columns=["week", "seed"], errors="ignore").add_prefix("final_")
    seeds = curves.groupby(keys, sort=False)["seed"].first()
    return pd.concat([seeds, wide, final], axis=1).reset_index()


def headline(summary: pd.DataFrame, metrics=None, week: int | None = None) -> pd.DataFrame:
    """Scenario x metric table of 'mean (95% CI)' in percent at one horizon (default: the longest), of `metrics`
    (default: every first-event curve the summary holds, so a violent-extremist cohort's terrorism offence too); a mean
    without an interval says why, one cut at 0% or 100% is marked (``CUT_MARK``, as the reports mark it), and one that
    rests on fewer replicates than its scenario ran says on how many
    (at the longest weeks since release, some replicates may have followed nobody that long). A summary of an
    older version has no replicate counts: there a mean lacks an interval only when one replicate has a value."""
    require(summary, ("clock", "metric", "week", "mean", "ci_low", "ci_high"), "the summary")
    since = summary[summary["clock"] == "weeks_since_release"]
    known = list(dict.fromkeys(since["metric"]))
    metrics = [m for m in CURVES if m in known] if metrics is None else names_of(metrics)
    weekly = set(summary.loc[summary["clock"] != "weeks_since_release", "metric"])
    for metric in metrics:
        if metric in weekly and metric not in known:  # a calendar-week series, not a share with a first event
            raise InputError("is a week-by-week series of the summary, not a share with a first event by weeks since "
                             "release, which is what headline tables", key=str(metric),
                             expected=f"one of {', '.join(known)}; read {metric} from the summary itself, e.g. "
                             f"summary[summary['metric'] == '{metric}']")
        require(pd.DataFrame(columns=known), (metric,), "the summary", kind="metric")
    rows = since[since["metric"].isin(metrics)]
    weeks = sorted(int(w) for w in rows["week"].unique())
    if not weeks:
        raise InputError("holds no share by weeks since release: nobody in the run was followed a whole week after "
                         "release", key="summary", expected="the summary of a run of more weeks")
    if week is not None and (isinstance(week, bool) or not isinstance(week, numbers.Integral)):  # "52" is not 52
        raise InputError(f"must be a whole number of weeks since release (got {week!r})", key="week",
                         expected=f"one of {', '.join(map(str, weeks))}")
    week = weeks[-1] if week is None else int(week)
    if week not in weeks:
        raise InputError("is not a horizon of the summary", key=f"week={week}",
                         expected=f"one of {', '.join(map(str, weeks))} weeks since release")
    rows = rows[rows["week"] == week]
    if "replicates" in summary:
        ran = summary.groupby("scenario")["replicates"].max()  # every replicate has every calendar week's series
        counts, totals = rows["replicates"].astype(int), rows["scenario"].map(ran).astype(int)
    else:
        counts = totals = pd.Series(1, index=rows.index)
    text = rows.assign(value=[share_text(m, lo, hi, n, total) for m, lo, hi, n, total
                              in zip(rows["mean"], rows["ci_low"], rows["ci_high"], counts, totals, strict=True)])
    table = text.pivot(index="scenario", columns="metric", values="value")
    table = table.reindex(index=list(dict.fromkeys(rows["scenario"])), columns=[m for m in metrics if m in table])
    table.columns = [f"{m} at {week} weeks" for m in table.columns]
    return table


def share_text(mean: float, low: float, high: float, replicates: int, ran: int, ci: str = "") -> str:
    """A share at one horizon as ``headline`` and ``sim run`` print it: '13.2% (`ci`12.0-14.4)', its interval marked
    where cut at 0% or 100% (``CUT_MARK``), why it has none, n/a where nobody was left at risk, and on how many of the
    `ran` replicates it rests when fewer had people followed that long. The same share in every replicate has
    no interval (``zero_width``)."""
    if mean != mean:
        return f"n/a ({NOBODY_AT_RISK})"
    spread = (f"{ci}{rounded(100 * low, 1):.1f}-{rounded(100 * high, 1):.1f}{cut_said(mean, low, high, '; ', CUT_MARK)}"
              if low == low and not zero_width(low, high) else no_interval(replicates))
    return f"{percent(mean)} ({spread})" + (f" (from {replicates} of {ran} replicates)" if replicates < ran else "")


def scenario_differences(scenarios: list[Any], reference: Any = None) -> pd.DataFrame:
    """The keys on which scenarios differ from the reference (default: the first), one column per scenario.

    A scenario is a dict, as a result folder's manifest holds it, or a ``Scenario``, as ``sim.run`` returns it."""
    from sim.scenarios.schema import Scenario

    def as_dict(scenario: Any) -> dict[str, Any]:
        if isinstance(scenario, Scenario):
            return scenario.model_dump(mode="json")
        if not isinstance(scenario, dict):
            raise InputError(f"got {type(scenario).__name__} where a scenario is meant", key="scenarios",
                             expected="a list of scenarios: analysis.load(folder).scenarios, or sim.run(...).scenarios")
        return scenario

    if isinstance(scenarios, dict | Scenario) or not isinstance(scenarios, list | tuple):
        raise InputError(f"got {type(scenarios).__name__} instead of a list of scenarios", key="scenarios",
                         expected="a list of scenarios: analysis.load(folder).scenarios, or sim.run(...).scenarios")
    if not scenarios:
        return pd.DataFrame()
    scenarios = [as_dict(scenario) for scenario in scenarios]
    reference = scenarios[0] if reference is None else as_dict(reference)
    columns = {reference.get("name", "reference"): settings_record(reference)}
    for scenario in scenarios:
        name = scenario.get("name", f"scenario {len(columns)}")
        columns.setdefault(name if name not in columns or scenario is reference else f"{name} ({len(columns)})",
                           settings_record(scenario))
    table = pd.DataFrame(columns)
    first, *others = columns.values()
    differs = {key for record in others for key in differing_keys(first, record)}  # as comparison.md's What differs
    table = table[table.index.isin(differs)]
    table.index.name = "key"
    return table


def interaction(runs: pd.DataFrame, x: str, y: str, value: str) -> pd.DataFrame:
    """The x-by-y interaction on `value`: the effect of moving x from its lowest to highest level, at each y level.

    If the effects differ across y, the factors interact (the effect of one depends on the other). Each effect's
    interval (paired on common random numbers, else Welch's: ``_difference``) is kept within what `value` can be
    and, where that cut it, marked in ``ci_note`` (``cut_marks``); an effect the same in every replicate has none.
    """
    ok = succeeded_runs(runs, (x, y), value)
    lo, hi = ok[x].min(), ok[x].max()
    if not lo < hi:
        raise InputError(f"has {ok[x].nunique()} level in the runs that succeeded, so no effect of moving it",
                         key=x, expected="a factor with two levels or more (a stopped sweep may lack some)")
    rows = []
    for level, group in ok.groupby(y):
        mean, low, high = _difference(group[group[x] == hi], group[group[x] == lo], value, **value_range(value))
        rows.append({y: level, f"effect of {x} {lo} -> {hi}": mean, "ci_low": low, "ci_high": high})
    return cut_marks(pd.DataFrame(rows), f"effect of {x} {lo} -> {hi}", "ci_low", "ci_high", "ci_note")


def cut_marks(table: pd.DataFrame, value: str, low: str, high: str, note: str) -> pd.DataFrame:
    """`table` with a column `note` holding ``CUT_MARK`` where the interval `low`-`high` of `value` was cut at what the
    metric can be (``cut_short``), else nothing: a cut interval is marked as the reports mark it, and
    ``sim.experiments.comparison.CUT_NOTE`` says what the mark means, once above the tables."""
    marks = [cut_said(v, lo, hi, "", CUT_MARK) for v, lo, hi in zip(table[value], table[low], table[high], strict=True)]
    return table.assign(**{note: marks})


def _difference(a: pd.DataFrame, b: pd.DataFrame, value: str, *, floor: float | None = None,
                ceiling: float | None = None) -> tuple[float, float, float]:
    """Difference of the mean `value` of the runs `a` and of the runs `b` (a - b) with its 95% interval, cut where `a`
    would leave its range (`floor`, `ceiling`).

    Where the two share seeds (a sweep on ``common_random_numbers``: replicate r of every point runs on one seed) the
    runs are paired, as ``sim compare`` and ``lever_effects`` pair them: the difference is taken within each seed
    (its runs averaged, over the levels of the factors pooled) by ``paired_difference``. Otherwise the samples are
    independent and the interval is Welch's (``welch_difference``). Either gives no interval where the difference is
    the same in every replicate."""
    if "seed" in a and "seed" in b and not set(a["seed"]).isdisjoint(b["seed"]):
        mean, low, high, _ = paired_difference(b.groupby("seed")[value].mean(), a.groupby("seed")[value].mean(),
                                               floor=floor, ceiling=ceiling)
        return (mean, low, high)
    return welch_difference(a[value], b[value], floor=floor, ceiling=ceiling)
