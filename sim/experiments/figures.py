"""Figures of comparisons and sensitivity analyses, in the style of ``sim.figures``."""

from __future__ import annotations

import os
import textwrap
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.labels import value_label
from sim.figures import (
    FIRST_EVENT_PANELS,
    LABELS,
    ON_AXIS,
    caption,
    coincident_dashes,
    finish,
    panels,
    plain,
    save,
    scenario_colours,
    theme,
    titles,
)

KM_LINES = "lines: one 1 - Kaplan-Meier estimate from the people of all replicates pooled (not a mean across replicates)"
KM_BAND = "bands: its 95% confidence interval"


def draw_kaplan_meier(events: pd.DataFrame, scenarios: list, horizon: int, folder: Path) -> Path:
    """1 - Kaplan-Meier of the pooled first-event times per scenario (scipy.stats.ecdf), with 95% bands.

    ``scenarios`` are names, or Scenario objects / manifest dicts (then titles and cohort sizes show).
    """
    folder.mkdir(parents=True, exist_ok=True)
    return save(kaplan_meier_figure(events, scenarios, horizon), folder / "kaplan_meier.png")


KM_AXIS = "Estimated share (%)"
KM_TITLE = "Share with a first event by each week since release, people of all replicates pooled (1 - Kaplan-Meier)"


def kaplan_meier_figure(events: pd.DataFrame, scenarios: list, horizon: int):
    from sim.experiments.comparison import event_data

    settings = [s for s in scenarios if not isinstance(s, str)]
    order = [s if isinstance(s, str) else (s["name"] if isinstance(s, dict) else s.name) for s in scenarios]
    names, colours = titles(settings, order), scenario_colours(order)
    fig, axes = panels(len(FIRST_EVENT_PANELS))
    for ax, metric in zip(axes, FIRST_EVENT_PANELS, strict=True):
        estimates = {}
        for name in order:
            data = event_data(events[events["scenario"] == name], metric, horizon)
            if len(data) == 0:
                continue
            fit = stats.ecdf(data).sf
            with warnings.catch_warnings():  # once everyone has had the event the band is undefined (NaN): not drawn
                warnings.filterwarnings("ignore", "The confidence interval is undefined", RuntimeWarning)
                low, high = fit.confidence_interval(0.95)
            # from release (week 0, nobody has had the event yet): scipy's steps start at the first event time,
            # which would leave a scenario with no event, or a late first event, without a line before it
            times = np.r_[0, fit.quantiles]
            estimates[name] = (times, *(np.r_[0, 100 * (1 - s.probabilities)] for s in (fit, low, high)))
        styles = coincident_dashes({name: estimate[:2] for name, estimate in estimates.items()})
        for name, (times, line, top, bottom) in estimates.items():
            ax.step(times, line, where="post", color=colours[name], lw=2, ls=styles[name], label=plain(names[name]),
                    **ON_AXIS)
            ax.fill_between(times, bottom, top, step="post", color=colours[name], alpha=0.2, lw=0)
        ax.set(title=LABELS[metric], xlabel="Weeks since release", xlim=(0, horizon))
    # an estimate, not the share of the cohort, where a competing event is censored; in words a reader knows (the
    # title and caption name the estimator): '1 - Kaplan-Meier (%)' was jargon on the main job's figure
    axes[0].set_ylabel(KM_AXIS)
    note = caption(settings, events, band=KM_BAND, lines=KM_LINES) + "; recall: a return for a new offence first is censored"
    finish(fig, axes, KM_TITLE, note)
    return fig


def common_prefix(labels: list[str]) -> str:
    """The dotted section all factors share (``cooperation.``), said once in the title instead of on every label."""
    prefix = os.path.commonprefix(labels)
    return prefix[: prefix.rfind(".") + 1] if "." in prefix else ""


def bars(rows: pd.DataFrame, index: str, method: str) -> list[list[float]]:
    """Error bars of an index: its 95% interval within what the index can be (``index_interval``), as lengths below
    and above the estimate (none on the side an estimate outside that range lies beyond it)."""
    from sim.experiments.sensitivity_analysis import index_interval

    ends = [index_interval(v, c, method) for v, c in zip(rows[index], rows[f"{index}_conf"], strict=True)]
    return [[max(v - low, 0.0) for v, (low, _) in zip(rows[index], ends, strict=True)],
            [max(high - v, 0.0) for v, (_, high) in zip(rows[index], ends, strict=True)]]


def sensitivity_figure(table: pd.DataFrame, method: str):
    """One panel per output, factors on a shared axis; at most three panels a row so text stays readable."""
    outputs = list(dict.fromkeys(table["output"]))
    prefix = common_prefix(list(dict.fromkeys(table["factor"])))
    theme()
    columns = min(3, len(outputs))
    rows = -(-len(outputs) // columns)
    factors = len(set(table["factor"]))
    height = 0.45 * factors * rows + 2.2 if method == "sobol" else 3.8 * rows  # Morris: a scatter, not a bar a factor
    fig, axes = plt.subplots(rows, columns, figsize=(4.6 * columns, height), squeeze=False,
                             sharey=method == "sobol", layout="constrained")
    for ax, output in zip(axes.flat, outputs, strict=False):
        rows_of = table[table["output"] == output]
        labels = [plain(f.removeprefix(prefix).replace("_", " ")) for f in rows_of["factor"]]
        if method == "sobol":
            position = range(len(rows_of))
            ax.barh([p - 0.2 for p in position], rows_of["S1"], height=0.4, xerr=bars(rows_of, "S1", method),
                    label="first order (S1)")
            ax.barh([p + 0.2 for p in position], rows_of["ST"], height=0.4, xerr=bars(rows_of, "ST", method),
                    label="total (ST)")
            ax.set_yticks(list(position), labels)
            ax.set(xlabel="Share of output variance")
        else:
            from sim.experiments.sensitivity_analysis import effect_unit

            scale, unit = effect_unit(output)  # a share's effects in points: the panel's title says % of cohort
            rows_of = rows_of.assign(**{c: scale * rows_of[c] for c in ("mu_star", "mu_star_conf", "sigma")})
            ax.errorbar(rows_of["mu_star"], rows_of["sigma"], xerr=bars(rows_of, "mu_star", method), fmt="o")
            # from zero (both are non-negative) to the end of the longest interval: matplotlib leaves error bars
            # out of the data limits `finish` rescales to, which cut them off at the outermost point
            right = float((rows_of["mu_star"] + rows_of["mu_star_conf"]).max())
            ax.set_xlim(0, 1.05 * right if right > 0 else 1)
            ax.set_ylim(0, 1.25 * float(rows_of["sigma"].max()) or 1)
            for label, row in zip(labels, rows_of.itertuples(), strict=True):
                left = row.mu_star > ax.get_xlim()[1] / 2  # a label towards the panel's middle, not over the next one
                ax.annotate(label, (row.mu_star, row.sigma), fontsize="small", xytext=(-4 if left else 4, 4),
                            textcoords="offset points", ha="right" if left else "left")
            ax.set(xlabel="mu* (mean |effect|, points)" if unit else "mu* (mean |effect|)",
                   ylabel="sigma (spread, points)" if unit else "sigma (spread of effects)")
        ax.set_title(plain(textwrap.fill(value_label(output)[0], 30)), fontsize="medium")  # in words, as ranking.md
    for ax in list(axes.flat)[len(outputs):]:
        ax.set_axis_off()
    if method == "sobol":  # one scale for all panels: they all show shares of variance
        axes[0][0].invert_yaxis()
        # an estimate below 0 or above 1 (the estimator's sampling error) stays in view, with room to be seen ending
        low = min(0.0, 1.04 * float(table[["S1", "ST"]].min().min()))
        high = max(1.0, 1.04 * float(table[["S1", "ST"]].max().max()))
        for ax in list(axes.flat)[: len(outputs)]:
            ax.set_xlim(low, high)
    what = f" of {prefix.rstrip('.')} parameters" if prefix else ""
    title = (f"Sobol' sensitivity indices{what}" if method == "sobol" else f"Morris screening{what}")
    units = ("" if method == "sobol" else
             "; mu* and sigma in each output's own units per a factor's whole range, a share's in percentage points ('points')")
    finish(fig, list(axes.flat), title, f"error bars: 95% intervals (bootstrap over the design), cut at what an index "
                                        f"can be{units}")
    if method != "sobol":
        keep_labels_inside(fig)
    return fig


def keep_labels_inside(fig) -> None:
    """Move each point's label sideways until it lies within its panel, not over the next panel or off the figure
    (once the layout is done: a label's room is only known then)."""
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    for ax in fig.axes:
        box = ax.get_window_extent(renderer)
        for text in ax.texts:
            extent = text.get_window_extent(renderer)
            shift = max(box.x0 - extent.x0, 0) - max(extent.x1 - box.x1, 0)  # pixels; 0 when it fits
            if shift:
                x, y = text.xyann
                text.xyann = (x + shift * 72 / fig.dpi, y)


def draw_sensitivity(table: pd.DataFrame, method: str, path: Path) -> Path:
    """Sobol': S1 and ST bars with intervals per output; Morris: mu* against sigma per output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return save(sensitivity_figure(table, method), path, dpi=100)
