"""What analysts repeat in notebooks: load a result folder as tidy frames, tabulate it, draw the standard plots.

``load(folder)`` reads the output of ``sim run``, ``sim compare`` or ``sim sweep`` (told apart by the
files present) so that a notebook never parses files itself. The plots reuse :mod:`sim.figures`: one
colour per scenario in the order scenarios were given, 95% bands across replicates, axes in units
(weeks since release, share of cohort), sized to be read on a slide. Every plot returns its Figure.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import Colormap

from sim import objectives
from sim.calibration.objective import model_percent
from sim.calibration.target import BJS_CURVES, read_target
from sim.checked_read import Grid, read_csv, read_json, read_parquet
from sim.curves import CURVES
from sim.data import BJS_2005, shipped
from sim.errors import InputError, closest, path_argument
from sim.experiments.comparison import CUT_MARK
from sim.experiments.metrics import summarised, value_range
from sim.experiments.store import read_dataset
from sim.figures import LABELS, draw_bands, label_points, palette, scenario_colours, titles
from sim.folder_lock import settings_record
from sim.objectives import BETTER
from sim.outcomes import NOBODY_AT_RISK, no_interval, summary_horizons
from sim.report_folders import check_whole_run, kind_of, unreadable
from sim.scenarios.fields import differing_keys
from sim.stats import cut_said, interval, paired_difference, welch_difference, zero_width
from sim.units import percent, rounded

X_RELEASE = "Weeks since release"
X_WEEK = "Week of simulation"
Y_SHARE = "Share of cohort (%)"
Y_STIGMA = "Stigma (0 accepting - 1 rejecting)"
COHORT_STATES = ("in_prison", "on_licence", "licence_ended", "recalled_now", "returned_now")
RUN_LABELS = ("point", "scenario", "replicate", "seed", "status", "error", "seconds", "code", "worker")
# The columns every reader of a result folder relies on (checked when it is loaded).
RUN_CURVE_COLUMNS = ("scenario", "replicate", "seed", "weeks_since_release", *CURVES)
RUN_SERIES_COLUMNS = ("scenario", "replicate", "week")
SUMMARY_COLUMNS = ("scenario", "metric", "week", "mean", "ci_low", "ci_high")
SUMMARY_NUMBERS = ("week", "mean", "ci_low", "ci_high", "replicates")
SUMMARY_KEYS = ("scenario", "metric", "clock", "week", "replicates")  # never empty in a summary.csv sim wrote
COMPARISON_KEYS = ("scenario", "reference", "metric", "clock", "week", "replicates")  # nor in a comparison.csv
SWEEP_RUN_COLUMNS = ("point", "replicate", "seed", "status")
SWEEP_CURVE_COLUMNS = ("point", "replicate", "weeks_since_release", *CURVES)

OBJECTIVE_COLUMNS = ("number", "lever", "objective", "opportunity", "opportunity_metric", "opportunity_better",
                     "challenge", "challenge_metric", "challenge_better")
OBJECTIVES = pd.DataFrame([[getattr(objective, column) for column in OBJECTIVE_COLUMNS]
                           for objective in objectives.OBJECTIVES], columns=list(OBJECTIVE_COLUMNS))
"""The brief's ten objectives (``sim.objectives``) as a table, each with the opportunity and the challenge it names and
the model output that shows each one ("lower" or "higher" is the better direction)."""


class IncompleteWarning(UserWarning):
    """A sweep folder loaded before its sweep finished: its tables hold only the runs done."""


@dataclass
class Results:
    """A result folder as tidy frames. Frames a kind of folder does not hold are None."""

    kind: str  # "run", "compare" or "sweep"
    directory: Path
    manifest: dict[str, Any]
    curves: pd.DataFrame | None = None
    timeseries: pd.DataFrame | None = None
    summary: pd.DataFrame | None = None
    runs: pd.DataFrame | None = None
    comparison: pd.DataFrame | None = None
    planned: int | None = None  # a sweep: the runs its design plans (points x replicates), if its manifest says

    @property
    def scenarios(self) -> list[dict[str, Any]]:
        """The full settings of each scenario run, as recorded in the manifest (a sweep: its base scenario): plain
        dicts, which every function here takes as it takes `sim.run`'s Scenario objects; `sim.load_scenario(d)` makes one
        a Scenario again."""
        base = recorded(self.manifest, "experiment", "base_scenario")
        scenarios = [base] if isinstance(base, dict) else recorded(self.manifest, "scenarios")
        return [s for s in scenarios if isinstance(s, dict)] if isinstance(scenarios, list) else []

    @property
    def events(self) -> pd.DataFrame | None:
        """One row per person and replicate (read on demand: the largest file of a run)."""
        return self.read_events()

    def read_events(self, columns: list[str] | None = None) -> pd.DataFrame | None:
        """The events table, or only its `columns` (a report needing one reads one); None when the run wrote none."""
        path = self.directory / "events.parquet"
        return read_parquet(path, columns or (), columns=columns) if path.exists() else None

    @property
    def factors(self) -> list[str]:
        """The swept parameters (dotted keys) of a sweep's runs table, in the experiment's order."""
        if self.runs is None or self.kind != "sweep":
            return []
        declared = recorded(self.manifest, "experiment", "spec", "design", "factors")
        found = [name for name in declared if name in self.runs.columns] if isinstance(declared, dict) else []
        return found or [c for c in self.runs.columns if "." in c and c not in RUN_LABELS]


TABLES = {"the summary": "summary", "the curves": "curves", "the timeseries": "timeseries", "the runs": "runs",
          "the runs table": "runs"}
"""What a ``Results`` calls each table ``require`` is given, for its message."""


def names_of(names) -> list:
    """Names given as a list, or one name alone: a string, which iterated would be its letters."""
    return [names] if isinstance(names, str) else list(names)


def require(frame: pd.DataFrame | None, names, what: str, kind: str = "column") -> None:
    """Refuse, in one line, a table that is not there or a name that is not one of its columns: the name, the table
    and the column meant (or the columns there are), instead of pandas' KeyError. A dotted name (a design factor) on a
    table without any is told that only a sweep's runs have them."""
    if frame is None:
        raise InputError(f"got None instead of {what}: the result folder holds none",
                         expected=f"{what} as a DataFrame, as analysis.load(folder) or sim.run gives")
    if not isinstance(frame, pd.DataFrame):  # the Results itself, a folder's path...: not an AttributeError
        table = TABLES.get(what)
        raise InputError(f"got {type(frame).__name__} instead of {what}", expected=f"{what} as a DataFrame"
                         + (f", e.g. analysis.load(folder).{table}" if table else ""))
    columns = [str(c) for c in frame.columns]
    for name in names_of(names):
        if name is None or name in frame.columns:
            continue
        if close := closest(str(name), columns):
            hint = f"did you mean '{close}'?"
        elif "." in str(name) and not any("." in c for c in columns):
            hint = "expected a design factor, which only a sweep's runs have: analysis.load a sim sweep folder"
        else:
            hint = f"expected one of: {', '.join(columns)}"
        raise InputError(f"is not a {kind} of {what} ({hint})", key=str(name))


def recorded(manifest: dict[str, Any], *keys: str) -> Any:
    """The value a manifest records under `keys`, or None where a level is missing or not an object: a manifest
    edited by hand is shown as far as it can be read, not failed on."""
    value: Any = manifest
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


LOADS = ("run", "compare", "sweep")
"""The commands whose folders ``load`` reads."""


def load(folder: str | Path) -> Results:
    """Read a ``sim run``, ``sim compare`` or ``sim sweep`` output folder."""
    folder = path_argument(folder, "folder", "the path of a folder written by sim run, compare or sweep")
    kind = kind_of(folder) if folder.is_dir() else None
    if kind is None:
        raise unreadable(folder, LOADS)
    manifest = read_json(folder / "manifest.json", f"manifest.json as written by sim {kind}")
    result = Results(kind, folder, manifest)
    if kind == "sweep":
        result.runs = read_dataset(folder / "runs", required=SWEEP_RUN_COLUMNS)  # sorted, as sim.experiments.Sweep
        if result.runs is None:
            raise InputError("holds no runs yet", file=str(folder / "runs"),
                             expected="a sweep that has recorded runs (rerun `sim sweep` into it)")
        if (folder / "curves").exists():
            result.curves = read_dataset(folder / "curves", required=SWEEP_CURVE_COLUMNS)
        _warn_if_unfinished(result)
    else:
        check_whole_run(folder, manifest, LOADS)
        result.curves = read_parquet(folder / "curves.parquet", RUN_CURVE_COLUMNS)
        if (folder / "timeseries.parquet").exists():
            result.timeseries = read_parquet(folder / "timeseries.parquet", RUN_SERIES_COLUMNS)
        names = {"scenario": [s["name"] for s in result.scenarios if isinstance(s.get("name"), str)]}
        if (folder / "summary.csv").exists():  # each scenario's metrics at its own horizons (its weeks may differ)
            result.summary = read_csv(folder / "summary.csv", SUMMARY_COLUMNS, rows=True, numeric=SUMMARY_NUMBERS,
                                      filled=SUMMARY_KEYS, grids=[Grid(("scenario",), known=names),
                                                                  Grid(("scenario", "metric"), ("clock",)),
                                                                  Grid(("metric", "week"), ("scenario", "clock"))])
        if result.timeseries is not None:
            result.runs = run_table(result.curves, result.timeseries)
        if kind == "compare":  # every scenario at every metric's horizons (those of the shortest run)
            result.comparison = read_csv(folder / "comparison.csv", rows=True, filled=COMPARISON_KEYS,
                                         grids=[Grid(("metric", "week", "scenario"), ("clock",), known=names)])
    return result


def _warn_if_unfinished(result: Results) -> None:
    """Say when a sweep's runs are not all there: another command is still writing the folder, or the sweep was
    stopped before the end (what ``sim report`` heads its report with). Every table and figure then shows fewer runs."""
    from sim.folder_lock import holder
    from sim.report.sweeps import planned_runs, resuming_command

    result.planned = planned_runs(result.manifest)
    done, who = len(result.runs), holder(result.directory)
    of = f" of the {result.planned:,} its design plans" if result.planned is not None else ""
    if who is not None:
        warnings.warn(f"{result.directory}: another command ({who}) is still writing this sweep: it holds {done:,} "
                      f"runs{of} so far; load it again when that command has finished", IncompleteWarning, stacklevel=3)
    elif result.planned is not None and done < result.planned:
        warnings.warn(f"{result.directory}: incomplete sweep: it holds {done:,} runs{of}, stopped before the end, and "
                      f"its tables and figures show only those (rerun the same {resuming_command(result.manifest)} "
                      "into this folder to finish it)",
                      IncompleteWarning, stacklevel=3)


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


# ----------------------------------------------------------------------------------------- plots


def _theme() -> None:
    sns.set_theme(context="talk", style="whitegrid")


def _colours(frame: pd.DataFrame, hue: str, colours: dict | None, *, scenarios: bool = False) -> dict:
    """A colour per level of `hue`: those `colours` gives, for the rest each scenario's own (``scenario_colours``,
    as in every figure and report) when the levels are scenarios, else the shared palette's by their order."""
    if colours is not None and not isinstance(colours, dict):
        raise InputError(f"got {type(colours).__name__} instead of a mapping", key="colours",
                         expected="a dict of scenario name to colour, e.g. {'baseline': 'black'}")
    levels = list(dict.fromkeys(frame[hue]))
    return {**(scenario_colours(levels) if scenarios else palette(levels)), **(colours or {})}


def some_metrics(metrics) -> list:
    """`metrics` as a list (one alone as a string), refusing none: a figure needs a panel."""
    metrics = names_of(metrics)
    if not metrics:
        raise InputError("names no metric", key="metrics", expected="one metric or more, e.g. ['reoffended']")
    return metrics


def succeeded_runs(runs: pd.DataFrame, factors: tuple, value: str) -> pd.DataFrame:
    """The runs that succeeded, for a sweep figure or table of `value` over `factors` (None: a facet not asked for):
    distinct columns, a number to average, and at least one run, or one clear message (rather than pandas')."""
    named = [f for f in factors if f is not None]
    for name in (*named, value):
        if not isinstance(name, str):
            raise InputError(f"got {type(name).__name__} where a column is named", key="runs",
                             expected="a column's name as a string, e.g. 'stigma.baseline'")
    require(runs, (*named, value), "the runs table")
    if len(set(named)) < len(named):
        raise InputError(f"names one column twice ({', '.join(named)})", key="runs",
                         expected="a different design factor in each place")
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    if ok.empty:
        raise InputError("holds no run that succeeded", key="runs", expected="a sweep with successful runs")
    require_numbers(ok, value, "the runs table", "reoffended_52w")
    return ok


def require_numbers(frame: pd.DataFrame, names, what: str, example: str) -> None:
    """Refuse a column a figure or table would average that holds no numbers (a scenario's name, a status), in one
    line rather than pandas' TypeError from deep inside the mean."""
    for name in names_of(names):
        if not pd.api.types.is_numeric_dtype(frame[name]):
            raise InputError(f"is not a number in {what} (it holds {frame[name].dtype} values)", key=str(name),
                             expected=f"a column of numbers such as {example}")


def colour_scale(name: Any, key: str, count: int | None = None) -> Any:
    """A named palette (`count` colours) or colour map (``count=None``) as seaborn takes it, or one message naming
    the argument (`key`) for a name neither seaborn nor matplotlib knows, instead of their KeyError or ValueError."""
    if count is None and isinstance(name, Colormap):
        return name
    try:
        return sns.color_palette(name, count) if count is not None else sns.color_palette(name, as_cmap=True)
    except (KeyError, TypeError, ValueError):
        raise InputError(f"is not a colour palette seaborn or matplotlib knows: {name!r}", key=key,
                         expected="a name such as 'flare', 'rocket_r', 'viridis' or 'colorblind', or a list of colours"
                         ) from None


def _legend_names(scenarios) -> dict[str, str] | None:
    """Scenario name -> title for a legend (``sim.figures.titles``), or None to keep the names the table holds."""
    return titles(scenarios) if scenarios is not None else None


def plot_curves(curves: pd.DataFrame, metrics=("reoffended", "recalled", "returned"), *, hue: str = "scenario",
                colours: dict | None = None, title: str | None = None, scenarios=None):
    """First-event curves, one panel per metric: cumulative share of the cohort, mean and 95% band.

    Given the run's `scenarios` (``result.scenarios``, settings or dicts), the legend names each by its title, as the
    saved figures and reports do; without them, by the name in the table."""
    _theme()
    require(curves, [hue], "the curves")
    frame = curves.rename(columns={hue: "scenario"}) if hue != "scenario" else curves
    metrics = some_metrics(metrics)
    require(curves, [hue, "weeks_since_release", *metrics], "the curves")
    require_numbers(curves, metrics, "the curves", "reoffended")
    frame = frame.assign(scenario=frame["scenario"].astype(str))
    colours = _colours(frame, "scenario", colours, scenarios=hue == "scenario")
    fig, axes = plt.subplots(1, len(metrics), figsize=(6 * len(metrics), 5.5), squeeze=False)
    for ax, metric in zip(axes[0], metrics, strict=True):
        draw_bands(ax, frame, "weeks_since_release", metric, colours, scale=100, names=_legend_names(scenarios))
        ax.set(title=LABELS.get(metric, metric), xlabel=X_RELEASE, ylabel=Y_SHARE)
        ax.set_ylim(bottom=0)
    fig.suptitle(title or "Cumulative share of the released cohort (mean, 95% band)")
    below(axes[0][0], title=None if hue == "scenario" else hue)
    return fig


def plot_stigma(timeseries: pd.DataFrame, metrics=("community_stigma", "experienced_stigma"), *,
                colours: dict | None = None, events: list[tuple[int, str]] | None = None, title: str | None = None,
                scenarios=None):
    """Community and experienced stigma (or other weekly `metrics`) by week, mean and 95% band; optional (week, label)
    event markers; each scenario by its title given the run's `scenarios` (as ``plot_curves``)."""
    _theme()
    metrics = some_metrics(metrics)
    require(timeseries, ["scenario", "week", *metrics], "the timeseries")
    require_numbers(timeseries, metrics, "the timeseries", "community_stigma")
    if not all(isinstance(event, tuple | list) and len(event) == 2 for event in events or []):
        raise InputError("are not (week, label) pairs", key="events",
                         expected="a list such as [(52, 'attack in the media')], e.g. results.events")
    colours = _colours(timeseries, "scenario", colours, scenarios=True)
    fig, axes = plt.subplots(1, len(metrics), figsize=(7 * len(metrics), 5.5), squeeze=False)
    for ax, metric in zip(axes[0], metrics, strict=True):
        draw_bands(ax, timeseries, "week", metric, colours, names=_legend_names(scenarios))
        ylabel = Y_STIGMA if "stigma" in metric else LABELS.get(metric, metric)
        ax.set(title=LABELS.get(metric, metric), xlabel=X_WEEK, ylabel=ylabel)
        for week, label in events or []:
            ax.axvline(week, color="grey", ls="--", lw=1)
            ax.annotate(label, (week, 1), xycoords=("data", "axes fraction"), fontsize="x-small",
                        rotation=90, va="top", ha="right")
    stigma_only = all("stigma" in metric for metric in metrics)
    fig.suptitle(title or ("Stigmatisation: community attitudes and what released people experience (mean, 95% band)"
                           if stigma_only else "Week by week (mean, 95% band)"))
    below(axes[0][0])
    return fig


def below(ax, title: str | None = None) -> None:
    """The scenarios' legend at the foot of the figure, under every panel, in rows of up to four (the first panel's
    legend, placed on the figure): inside a panel it hid curves and bands (an NGO surge's enrolment from week 50 to
    125), wherever matplotlib's "best" put it. Lays the figure out with room for it."""
    figure = ax.figure
    handles, labels = ax.get_legend_handles_labels()
    rows = -(-len(labels) // 4) + (title is not None)
    legend = ax.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.01), bbox_transform=figure.transFigure,
                       ncol=min(4, max(1, len(labels))), fontsize="small", title=title, frameon=False)
    legend.set_in_layout(False)
    figure.tight_layout(rect=(0, min(0.4, 0.05 + 0.05 * rows), 1, 1))


def value_label(value: str) -> tuple[str, float, str]:
    """Title, scale and number format of a runs-table metric (shares shown in percent)."""
    if value in LABELS:  # a run's total (cost_total, custody_weeks): the name is the metric, no horizon in it
        return LABELS[value], 1.0, ".2f"
    if value.startswith("final_"):
        base, when = value.removeprefix("final_"), "at the last week"
    else:
        base, _, suffix = value.rpartition("_")
        when = f"at {suffix[:-1]} weeks since release" if suffix.endswith("w") and suffix[:-1].isdigit() else ""
    if base in CURVES:
        return f"{LABELS[base]} {when} (% of cohort)", 100.0, ".1f"
    return f"{LABELS.get(base, base.replace('_', ' '))} {when}".strip(), 1.0, ".2f"


def metric_words(value: str, currency: str | None = None) -> str:
    """A runs-table metric as a reader is told it beside an objective or an output: what it counts with its unit
    (``value_label``, from ``sim.figures.LABELS``; money in `currency` when given) and which way is better
    (``sim.objectives.BETTER``), e.g. 'Custody-weeks (...): lower is better'."""
    from sim.units import UNITS

    title = value_label(value)[0]
    base = summarised(value)
    unit = UNITS.get(base)
    if currency and unit is not None and unit.money:
        title += f", in {currency}"
    better = BETTER.get(base)
    return f"{title}: {better} is better" if better else title


def plot_heatmap(runs: pd.DataFrame, x: str, y: str, value: str, *, facet: str | None = None, cmap: str = "rocket_r"):
    """Mean of `value` over replicates on an x-by-y grid, one panel per level of `facet`, one shared colour scale."""
    _theme()
    ok = succeeded_runs(runs, (x, y, facet), value)
    cmap = colour_scale(cmap, "cmap")
    title, scale, fmt = value_label(value)
    unit = title.split(" at ")[0] + (" (% of cohort)" if scale == 100 else "")
    levels = sorted(ok[facet].unique()) if facet else [None]
    means = ok.groupby([c for c in (facet, y, x) if c])[value].mean() * scale
    vmin, vmax = float(means.min()), float(means.max())
    fig, axes = plt.subplots(1, len(levels), figsize=(6 * len(levels) + 1.5, 5.5), squeeze=False)
    for i, (ax, level) in enumerate(zip(axes[0], levels, strict=True)):
        grid = (means.xs(level, level=facet) if facet else means).unstack(x).sort_index(ascending=False)
        sns.heatmap(grid, ax=ax, annot=True, fmt=fmt, cmap=cmap, vmin=vmin, vmax=vmax,
                    cbar=i == len(levels) - 1, cbar_kws={"label": unit} if i == len(levels) - 1 else None,
                    annot_kws={"fontsize": "small"})
        ax.set(xlabel=x, ylabel=y if i == 0 else "", title=f"{facet} = {level}" if facet else "")
    fig.suptitle(f"{title}: mean over replicates")
    fig.tight_layout()
    return fig


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


def plot_interaction(runs: pd.DataFrame, x: str, hue: str, value: str, *, facet: str | None = None,
                     palette_name: str = "flare"):
    """Mean of `value` at each level of `x`, one line per level of `hue`, one panel per level of `facet`: lines that
    are not parallel show an interaction. Bars are 95% t intervals across replicates (as every interval of the
    model's outputs), kept within what `value` can be (``value_range``, as the reports' figures keep them): a cell
    of 2 replicates shows how little 2 runs tell."""
    _theme()
    ok = succeeded_runs(runs, (x, hue, facet), value)
    title, scale, _ = value_label(value)
    bounds = {k: scale * v for k, v in value_range(value).items()}  # a share within 0-100%, a level within 0-1
    levels, hues = sorted(ok[x].unique()), sorted(ok[hue].unique())
    panels = sorted(ok[facet].unique()) if facet else [None]
    colours = dict(zip(hues, colour_scale(palette_name, "palette_name", len(hues)), strict=True))
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels) + 2, 5), squeeze=False, sharey=True)
    dodge = np.linspace(-0.1, 0.1, len(hues)) if len(hues) > 1 else np.zeros(1)
    for ax, panel in zip(axes[0], panels, strict=True):
        part = ok if facet is None else ok[ok[facet] == panel]
        for shift, level in zip(dodge, hues, strict=True):
            cells = [interval(scale * part.loc[(part[hue] == level) & (part[x] == at), value], **bounds) for at in levels]
            mean, low, high = (np.array(column, dtype=float) for column in zip(*cells, strict=True))
            ax.errorbar(np.arange(len(levels)) + shift, mean, yerr=[mean - low, high - mean], color=colours[level],
                        marker="o", ms=7, lw=2, capsize=4, label=f"{level:g}" if isinstance(level, float) else str(level))
        ax.set_xticks(np.arange(len(levels)), [f"{v:g}" if isinstance(v, float) else str(v) for v in levels])
        ax.set(xlabel=x, title=f"{facet} = {panel}" if facet else "")
    axes[0][0].set_ylabel(Y_SHARE if scale == 100 else title.split(" at ")[0])
    axes[0][-1].legend(title=hue, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small")
    fig.suptitle(f"{title}: mean over replicates, 95% t interval")
    fig.tight_layout()
    return fig


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


# ------------------------------------------------------------------------------- lever effects


def lever_scenario(lever: str, level: float) -> str:
    """The name ``lever_scenarios`` gives the scenario of `lever` at `level` ('assessment=1'), by which the lever
    tables find its runs."""
    return f"{lever}={level:g}"


def lever_arms(table: pd.DataFrame, lever: str, levels) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs of `lever` at ``levels[0]`` and at ``levels[1]`` (off, on), by replicate, to take differences within."""
    return tuple(table[table["scenario"] == lever_scenario(lever, level)].set_index("replicate") for level in levels[:2])


def lever_scenarios(reference: str = "baseline", overrides: dict[str, Any] | None = None, levels=(0.0, 1.0)):
    """Two scenarios per objective: the reference with that one lever set to each level (named 'lever=level')."""
    from sim.scenarios import load_scenario

    scenarios = []
    for lever in OBJECTIVES["lever"]:
        for level in levels:
            settings = load_scenario(reference, {**(overrides or {}), f"cooperation.{lever}": level})
            scenarios.append(settings.model_copy(update={"name": lever_scenario(lever, level)}))
    return scenarios


def lever_effects(table: pd.DataFrame, levels=(0.0, 1.0)) -> pd.DataFrame:
    """Each objective's opportunity and challenge effect: lever at `levels[1]` minus `levels[0]`.

    `table` is :func:`run_table` of :func:`lever_scenarios` run with common random numbers, so the
    difference is taken within replicate (``paired_difference``, as comparison.md takes it: kept within what the
    metric can be and marked in ``ci_note`` where that cut it, no interval when it is the same in every replicate).
    ``effect`` is in the metric's own unit (shares and
    0-1 indices; NGO places and enrolment per released person); ``benefit`` is the same in points on a
    0-100 scale, signed so that positive is better.
    """
    horizon = _lever_horizon(table, levels)
    table = per_person(table)
    rows = []
    for objective in OBJECTIVES.itertuples():
        off, on = lever_arms(table, objective.lever, levels)
        for role in ("opportunity", "challenge"):
            metric = getattr(objective, f"{role}_metric")
            better = getattr(objective, f"{role}_better")
            column = f"{metric}_{horizon}w" if metric in CURVES else f"final_{metric}"
            mean, low, high, _ = paired_difference(off[column], on[column], **value_range(column))
            sign = 100 if better == "higher" else -100
            benefit = sorted(sign * v for v in (low, high))
            rows.append({
                "number": objective.number, "objective": objective.objective, "lever": objective.lever, "role": role,
                "mechanism": getattr(objective, role), "metric": column, "better": better,
                "off": float(off[column].mean()), "on": float(on[column].mean()),
                "effect": mean, "ci_low": low, "ci_high": high,
                "benefit": sign * mean, "benefit_low": benefit[0], "benefit_high": benefit[1],
            })
    return cut_marks(pd.DataFrame(rows), "effect", "ci_low", "ci_high", "ci_note")


def _lever_horizon(table: pd.DataFrame, levels) -> int:
    """The longest weeks since release of the runs of ``lever_scenarios`` (`table`, their ``run_table``) at `levels`,
    refusing a table that is not theirs."""
    require(table, ("scenario", "replicate", *(f"final_{s}" for s in COHORT_STATES)), "the lever runs table")
    if (isinstance(levels, str) or not isinstance(levels, tuple | list) or len(levels) != 2
            or not all(isinstance(level, numbers.Real) and not isinstance(level, bool) for level in levels)):
        raise InputError(f"must be two lever levels, off then on (got {levels!r})", key="levels",
                         expected="the levels lever_scenarios was given, e.g. (0.0, 1.0)")
    wanted = [lever_scenario(lever, level) for lever in OBJECTIVES["lever"] for level in levels[:2]]
    missing = [name for name in wanted if name not in set(table["scenario"])]
    if missing:
        raise InputError(f"the runs table holds no runs of {len(missing)} of the {len(wanted)} lever scenarios "
                         f"(such as '{missing[0]}')", expected="analysis.run_table of the runs of analysis.lever_scenarios(...)")
    horizons = [c for c in table.columns if c.startswith("reoffended_") and c.endswith("w")]
    if not horizons:
        raise InputError("the runs table has no reoffended_<weeks>w column", expected="analysis.run_table's columns")
    return max(int(c.rsplit("_", 1)[1][:-1]) for c in horizons)


def lever_outcomes(table: pd.DataFrame, outcomes=None, levels=(0.0, 1.0)) -> pd.DataFrame:
    """Each lever's effect on `outcomes` (default: new offence and recall at the longest horizon, community and
    experienced stigma at the end), lever at `levels[1]` minus `levels[0]`, taken as ``lever_effects`` takes it: within
    replicate, kept within what the output can be and marked in ``ci_note`` where that cut it, no interval when the
    same in every replicate. ``effect`` is in the output's own unit (a share, a 0-1 index)."""
    horizon = _lever_horizon(table, levels)
    outcomes = names_of(outcomes) if outcomes is not None else [
        f"reoffended_{horizon}w", f"recalled_{horizon}w", "final_community_stigma", "final_experienced_stigma"]
    require(table, outcomes, "the lever runs table")
    require_numbers(table, outcomes, "the lever runs table", f"recalled_{horizon}w")
    rows = []
    for lever in OBJECTIVES["lever"]:
        off, on = lever_arms(table, lever, levels)
        for outcome in outcomes:
            mean, low, high, _ = paired_difference(off[outcome], on[outcome], **value_range(outcome))
            rows.append({"lever": lever, "outcome": outcome, "effect": mean, "ci_low": low, "ci_high": high})
    return cut_marks(pd.DataFrame(rows), "effect", "ci_low", "ci_high", "ci_note")


PER_PERSON = {"ngo_enrolled_share": "ngo_enrolled", "ngo_places_per_person": "ngo_places"}
"""Outputs read per person of the released cohort from a run's final count (``per_person``), so that scenarios whose
cohorts differ in size compare; each has its unit in ``sim.outcomes.UNITS`` (a share: 0-100% of the cohort)."""


def per_person(table: pd.DataFrame) -> pd.DataFrame:
    """A runs table with ``PER_PERSON``'s outputs: each final count over the released cohort (``COHORT_STATES``)."""
    require(table, [*(f"final_{s}" for s in (*COHORT_STATES, *PER_PERSON.values()))], "the runs table of a run")
    cohort = table[[f"final_{s}" for s in COHORT_STATES]].sum(axis=1)
    return table.assign(**{f"final_{name}": table[f"final_{count}"] / cohort for name, count in PER_PERSON.items()})


EFFECT_COLUMNS = ("number", "objective", "lever", "role", "metric", "benefit", "benefit_low", "benefit_high")
"""What the lever figures read of ``lever_effects``' table."""


def plot_lever_effects(effects: pd.DataFrame, colours: dict | None = None):
    """Opportunity and challenge of each objective side by side, as % change for the better (95% interval)."""
    _theme()
    require(effects, EFFECT_COLUMNS, "the lever effects")
    colours = _colours(OBJECTIVES, "lever", colours)
    labels = [f"{n}. {o}" for n, o in zip(effects["number"], effects["objective"], strict=True)]
    effects = effects.assign(label=labels)
    order = list(dict.fromkeys(labels))
    fig, axes = plt.subplots(1, 2, figsize=(16, 0.55 * len(order) + 2.5), sharey=True)
    for ax, role in zip(axes, ("opportunity", "challenge"), strict=True):
        part = effects[effects["role"] == role].set_index("label").reindex(order)
        ypos = np.arange(len(order))
        for yi, row in zip(ypos, part.itertuples(), strict=True):
            colour = colours[row.lever]
            ax.errorbar(row.benefit, yi, xerr=[[row.benefit - row.benefit_low], [row.benefit_high - row.benefit]],
                        fmt="o", color=colour, ms=9, capsize=4, lw=2)
            at = row.benefit if np.isnan(row.benefit_high) else row.benefit_high  # one replicate: no interval
            ax.annotate(row.metric.removeprefix("final_"), (at, yi), xytext=(6, 0),
                        textcoords="offset points", va="center", fontsize="x-small", color="dimgrey")
        ax.axvline(0, color="black", lw=1)
        ax.set_yticks(ypos, order)
        ax.invert_yaxis()
        ax.set_title(f"{role.capitalize()} (lever 0 -> 1)")
    fig.supxlabel("Change for the better (points on a 0-100 scale: % of cohort, or index x 100)", fontsize="medium")
    bands = "mean; no interval: one replicate" if effects["benefit_low"].isna().all() else "mean, 95% interval"
    fig.suptitle(f"The ten objectives: what each lever gains and what it costs ({bands})")
    fig.tight_layout()
    return fig


def plot_tradeoffs(effects: pd.DataFrame, colours: dict | None = None):
    """Opportunity against challenge: one point per objective. Right of 0 the lever gains, above 0 it costs: bottom
    right gains at no cost, top left costs without gain."""
    _theme()
    require(effects, EFFECT_COLUMNS, "the lever effects")
    colours = _colours(OBJECTIVES, "lever", colours)
    wide = effects.pivot(index=["number", "lever", "objective"], columns="role",
                         values=["benefit", "benefit_low", "benefit_high"]).reset_index()
    fig, ax = plt.subplots(figsize=(11, 8))
    points, numbers = [], []
    for row in wide.itertuples(index=False):
        (number, lever, objective, *values) = row
        b = dict(zip(wide.columns[3:], values, strict=True))
        x, y = b[("benefit", "opportunity")], -b[("benefit", "challenge")]
        ax.errorbar(x, y,
                    xerr=[[x - b[("benefit_low", "opportunity")]], [b[("benefit_high", "opportunity")] - x]],
                    yerr=[[y + b[("benefit_high", "challenge")]], [-b[("benefit_low", "challenge")] - y]],
                    fmt="o", color=colours[lever], ms=10, capsize=3, lw=1.5, label=f"{number}. {objective}")
        points.append((x, y))
        numbers.append(str(number))
    ax.axvline(0, color="black", lw=1)
    ax.axhline(0, color="black", lw=1)
    ax.set(xlabel="Opportunity: change for the better (points)", ylabel="Challenge: change for the worse (points)",
           title="Opportunity against challenge of each objective (lever 0 -> 1)")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="x-small")
    fig.tight_layout()
    label_points(ax, points, numbers, fontsize="small")
    return fig


# ----------------------------------------------------------------------------------- calibration

FIT_COLUMNS = ["target", "metric", "month", "weeks_since_release", "observed", "model", "model_low", "model_high",
               "model_note", "error_points"]


def bjs_target() -> pd.DataFrame:
    """The BJS 2005 30-state cohort (sim/data/README.md): cumulative shares (0-1) by month after release, with the
    week since release each month falls at (month x 52/12, read as ``sim calibrate`` and ``sim patterns`` read it)."""
    target = read_target(shipped(BJS_2005))
    wide = target.points.pivot(index=["time", "week"], columns="column", values="percent")[target.columns] / 100
    wide = wide.reset_index().rename(columns={"time": "month", "week": "weeks_since_release"})
    wide["month"] = wide["month"].astype(int)
    return wide.rename_axis(columns=None)


def fit_table(curves: pd.DataFrame, target: pd.DataFrame | None = None, mapping: dict[str, str] | None = None) -> pd.DataFrame:
    """Model against target at each month the run covers: mean and 95% band across replicates (kept within what
    the metric can be, ``value_range``: a share's within 0-100%; ``model_note`` marks a band cut there), error in points.

    Each replicate's weekly curve is read at the month's week by linear interpolation, as ``sim calibrate``
    scores a fit (month 2 is week 8.67), so this table and a calibration's errors agree.
    """
    target = bjs_target() if target is None else target
    if mapping is not None and not isinstance(mapping, dict):
        raise InputError(f"got {type(mapping).__name__} instead of a mapping", key="mapping",
                         expected="a dict of the target's column to a curve, e.g. {'arrest': 'reoffended'}")
    mapping = mapping or BJS_CURVES
    require(curves, ["weeks_since_release", *mapping.values()], "the curves")
    require(target, ["month", "weeks_since_release", *mapping], "the target")
    for column in ("scenario", "point"):  # one band over several scenarios or design points would mean nothing
        if column in curves and curves[column].nunique() > 1:
            first = curves[column].tolist()[0]  # a Python value, shown as one would type it
            raise InputError(f"holds {curves[column].nunique()} {column}s: fit_table fits one", key="curves",
                             expected=f"the curves of one {column}, e.g. curves[curves['{column}'] == {first!r}]")
    keys = [c for c in ("scenario", "replicate") if c in curves]  # one run's curves (``simulate``) have neither
    runs = [run for _, run in curves.groupby(keys, sort=False)] if keys else [curves]
    rows = []
    for column, metric in mapping.items():
        observed = target.dropna(subset=[column])
        points = pd.DataFrame({"week": observed["weeks_since_release"].to_numpy(dtype=float), "output": metric})
        model = model_percent(runs, points) / 100  # replicates x months; NaN past a run's last week
        for point, (month, week, share) in enumerate(zip(observed["month"], observed["weeks_since_release"],
                                                         observed[column], strict=True)):
            values = pd.Series(model[:, point]).dropna()
            if values.empty:  # past the run's horizon
                continue
            mean, low, high = interval(values, **value_range(metric))
            rows.append({"target": column, "metric": metric, "month": int(month), "weeks_since_release": float(week),
                         "observed": float(share), "model": mean, "model_low": low, "model_high": high,
                         "error_points": 100 * (mean - float(share))})
    return cut_marks(pd.DataFrame(rows, columns=FIT_COLUMNS), "model", "model_low", "model_high", "model_note")


def plot_fit(fit: pd.DataFrame, *, title: str | None = None):
    """Model curves (mean, 95% band) against the target points, and the error at each month; months a calibration
    held out of its fit (a ``held_out`` column, as ``calibration_fit`` gives) are shaded, its out-of-sample check."""
    _theme()
    require(fit, ("target", "metric", "month", "observed", "model", "model_low", "model_high", "error_points"),
            "the fit table")
    if fit.empty:
        raise InputError("the fit table is empty: the run ends before the target's first month",
                         expected="a run followed at least to the first month of the target")
    targets = list(dict.fromkeys(fit["target"]))
    fig, axes = plt.subplots(2, len(targets), figsize=(7.5 * len(targets), 9), squeeze=False, sharex=True,
                             gridspec_kw={"height_ratios": [2, 1]})
    for i, name in enumerate(targets):
        part = fit[fit["target"] == name]
        top, bottom = axes[0][i], axes[1][i]
        top.fill_between(part["month"], 100 * part["model_low"], 100 * part["model_high"], alpha=0.25, lw=0,
                         label="model, 95% band")
        top.plot(part["month"], 100 * part["model"], lw=2, label=f"model: {part['metric'].iloc[0]}")
        top.plot(part["month"], 100 * part["observed"], "o", color="black", ms=4, label=f"BJS 2005: {name}")
        top.set(title=f"{name.replace('_', ' ')} (cumulative)", ylabel=Y_SHARE)
        top.set_ylim(bottom=0)
        top.legend(loc="lower right", fontsize="small")
        bottom.bar(part["month"], part["error_points"], color="grey")
        bottom.axhline(0, color="black", lw=1)
        bottom.set(xlabel="Months since release", ylabel="Model - BJS (points)")
        held = part["month"][part["held_out"].astype(bool)] if "held_out" in part else part["month"].iloc[:0]
        if len(held):
            for ax in (top, bottom):
                ax.axvspan(held.min() - 0.5, held.max() + 0.5, color="gold", alpha=0.15, lw=0,
                           label="held out of the fit" if ax is top else None)
            top.legend(loc="lower right", fontsize="small")
    fig.suptitle(title or "Fit against the BJS 2005 30-state release cohort")
    fig.tight_layout()
    return fig


def require_calibration(calibration, *attributes: str) -> None:
    """Refuse what lacks the `attributes` of what ``sim.calibrate`` returns (``load`` does not read a calibration's
    folder): a table, a folder's path or None, rather than an AttributeError."""
    missing = [name for name in attributes if not hasattr(calibration, name)]
    if missing:
        raise InputError(f"got {type(calibration).__name__} instead of a calibration (it has no {missing[0]})",
                         key="calibration", expected="the result sim.calibrate(...) returns")


def calibration_fit(calibration) -> pd.DataFrame:
    """A ``sim.calibration`` result's check runs in :func:`fit_table`'s layout, to draw with :func:`plot_fit`, with
    ``held_out`` marking the months held out of the fit."""
    require_calibration(calibration, "errors")
    errors = calibration.errors()
    return cut_marks(pd.DataFrame({
        "target": errors["column"], "metric": errors["output"], "month": errors["month"],
        "observed": errors["target"] / 100, "model": errors["model_mean"] / 100,
        "model_low": errors["model_low"] / 100, "model_high": errors["model_high"] / 100, "error_points": errors["error"],
        "held_out": errors["held_out"] if "held_out" in errors else False,
    }), "model", "model_low", "model_high", "model_note")


def plot_candidates(calibration):
    """The candidates a ``sim.calibration`` search evaluated, coloured by score (its largest error against the target,
    in points), those marked whose score stays under the limit replicate noise alone reaches at the best fit (its
    97.5th percentile, ``best_score + threshold``: the values the parameters' intervals hold). Two or more
    free parameters: the first two against each other; one: the parameter against the score. A parameter searched
    on a log scale is drawn on one."""
    _theme()
    require_calibration(calibration, "candidates", "parameters", "best_score", "threshold")
    candidates, parameters = calibration.candidates, list(calibration.parameters)
    near = candidates["score"] <= calibration.best_score + calibration.threshold
    score = "Score: largest error against the target (points)"
    x = parameters[0]
    y = parameters[1].key if len(parameters) > 1 else "score"
    fig, ax = plt.subplots(figsize=(11, 6.5))
    norm = plt.Normalize(float(candidates["score"].min()), float(candidates["score"].max()))
    for inside, marker, label in ((False, "o", "other candidates"),
                                  (True, "X", "within replicate noise of the best (score under its 97.5th percentile)")):
        part = candidates[near == inside]
        if len(part):
            ax.scatter(part[x.key], part[y], c=part["score"], cmap="viridis_r", norm=norm, marker=marker,
                       s=120, label=label, edgecolors="black" if inside else "none", linewidths=0.5)
    fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap="viridis_r"), ax=ax, label="Score (points)")
    for axis, parameter in ((ax.xaxis, x), (ax.yaxis, parameters[1] if len(parameters) > 1 else None)):
        if parameter is not None and parameter.log:
            (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
            axis.set_major_locator(mticker.LogLocator(subs=(1, 2, 5)))
            axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_minor_formatter(mticker.NullFormatter())
    ax.set(xlabel=x.key, ylabel=y if len(parameters) > 1 else score)
    hidden = len(parameters) - 2
    ax.set_title(f"Candidates searched ({len(candidates)}; score: largest error against the target, points)"
                 + (f"; {hidden} further free parameter{'s' * (hidden > 1)} not shown" if hidden > 0 else ""))
    ax.legend(loc="best", fontsize="x-small", framealpha=0.9)
    fig.tight_layout()
    return fig
