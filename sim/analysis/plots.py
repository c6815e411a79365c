"""The standard plots of a result folder. They reuse :mod:`sim.figures`: one colour per scenario in the order
scenarios were given, 95% bands across replicates, axes in units (weeks since release, share of cohort), sized to be
read on a slide (``slide_theme``). Every plot returns its Figure."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import Colormap

from sim.analysis.checks import names_of, require, require_numbers, succeeded_runs
from sim.analysis.labels import value_label
from sim.errors import InputError
from sim.experiments.metrics import value_range
from sim.figures import LABELS, draw_bands, palette, scenario_colours, titles
from sim.stats import interval

X_RELEASE = "Weeks since release"
X_WEEK = "Week of simulation"
Y_SHARE = "Share of cohort (%)"
Y_STIGMA = "Stigma (0 accepting - 1 rejecting)"


def slide_theme() -> None:
    """The look of every analysis figure: seaborn's whitegrid, lettered to be read on a slide."""
    sns.set_theme(context="talk", style="whitegrid")


def level_colours(frame: pd.DataFrame, hue: str, colours: dict | None, *, scenarios: bool = False) -> dict:
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
    slide_theme()
    require(curves, [hue], "the curves")
    frame = curves.rename(columns={hue: "scenario"}) if hue != "scenario" else curves
    metrics = some_metrics(metrics)
    require(curves, [hue, "weeks_since_release", *metrics], "the curves")
    require_numbers(curves, metrics, "the curves", "reoffended")
    frame = frame.assign(scenario=frame["scenario"].astype(str))
    colours = level_colours(frame, "scenario", colours, scenarios=hue == "scenario")
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
    slide_theme()
    metrics = some_metrics(metrics)
    require(timeseries, ["scenario", "week", *metrics], "the timeseries")
    require_numbers(timeseries, metrics, "the timeseries", "community_stigma")
    if not all(isinstance(event, tuple | list) and len(event) == 2 for event in events or []):
        raise InputError("are not (week, label) pairs", key="events",
                         expected="a list such as [(52, 'attack in the media')], e.g. results.events")
    colours = level_colours(timeseries, "scenario", colours, scenarios=True)
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
    125), wherever matplotlib's "best" put it. Lays the figure out with room for it, then counts the legend in the
    figure's tight bounding box again: Jupyter shows a figure cut to that box (``bbox_inches="tight"``, as a saved
    figure may be), and every notebook's curves and weekly figures showed their lines without the legend naming them."""
    figure = ax.figure
    handles, labels = ax.get_legend_handles_labels()
    rows = -(-len(labels) // 4) + (title is not None)
    legend = ax.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.01), bbox_transform=figure.transFigure,
                       ncol=min(4, max(1, len(labels))), fontsize="small", title=title, frameon=False)
    legend.set_in_layout(False)
    figure.tight_layout(rect=(0, min(0.4, 0.05 + 0.05 * rows), 1, 1))
    legend.set_in_layout(True)


def plot_heatmap(runs: pd.DataFrame, x: str, y: str, value: str, *, facet: str | None = None, cmap: str = "rocket_r"):
    """Mean of `value` over replicates on an x-by-y grid, one panel per level of `facet`, one shared colour scale."""
    slide_theme()
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


def plot_interaction(runs: pd.DataFrame, x: str, hue: str, value: str, *, facet: str | None = None,
                     palette_name: str = "flare"):
    """Mean of `value` at each level of `x`, one line per level of `hue`, one panel per level of `facet`: lines that
    are not parallel show an interaction. Bars are 95% t intervals across replicates (as every interval of the
    model's outputs), kept within what `value` can be (``value_range``, as the reports' figures keep them): a cell
    of 2 replicates shows how little 2 runs tell."""
    slide_theme()
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
