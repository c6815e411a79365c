"""The sections of a ``sim sweep`` or ``sim sensitivity`` folder: the runs and their design, then each outcome against
each factor, or a sensitivity analysis's indices first; and how far a stopped sweep got, which ``sim.analysis.load``
warns of too."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd

from sim.analysis.labels import value_label
from sim.analysis.results import RUN_LABELS, Results, recorded
from sim.checked_read import read_csv, require_columns
from sim.experiments.comparison import CUT_MARK, CUT_NOTE
from sim.experiments.store import is_lost
from sim.figures import finish, palette, panels, plain
from sim.outcomes import SAME_IN_EVERY
from sim.report.blocks import figure_html, table_html
from sim.report.markdown import markdown_html
from sim.scenarios.fields import unit_of, words_of
from sim.stats import cut_said, cut_short, interval, zero_width


def outcomes_of(runs: pd.DataFrame, factors: list[str]) -> list[str]:
    """The outcomes a sweep report plots: reoffending and recall at the longest horizon, final community stigma."""
    numeric = [c for c in runs.columns if c not in factors and c not in RUN_LABELS
               and pd.api.types.is_numeric_dtype(runs[c])]
    chosen = []
    for metric in ("reoffended", "recalled"):
        found = sorted((c for c in numeric if re.fullmatch(rf"{metric}_\d+w", c)), key=lambda c: int(c[len(metric) + 1:-1]))
        chosen += found[-1:]
    return chosen + [c for c in ("final_community_stigma",) if c in numeric]


def factor_figure(runs: pd.DataFrame, factors: list[str], outcome: str):
    """An outcome against each factor: every run as a dot, the mean per level (or per tenth of the range)
    with its 95% t interval across the runs there (``sim.stats.interval``, within what the outcome can be) as a
    line; each factor by its key and unit; panels share the y-axis."""
    from sim.experiments.metrics import value_range

    title, scale, _ = value_label(outcome)
    bounds = {k: scale * v for k, v in value_range(outcome).items()}  # a share stays within 0-100%
    fig, axes = panels(len(factors), width=4.2, height=4.0)
    colour = palette(["x"])["x"]
    for ax, factor in zip(axes, factors, strict=True):
        x, y = runs[factor], runs[outcome].astype(float) * scale
        if not pd.api.types.is_numeric_dtype(x):  # a text factor (network.kind): its levels at 0, 1, ... by name
            levels = sorted(x.astype(str).unique())
            x = x.astype(str).map({level: i for i, level in enumerate(levels)}).astype(float)
            ax.set_xticks(range(len(levels)), [plain(level) for level in levels], rotation=20)
        x = x.astype(float)
        ax.scatter(x, y, s=6, alpha=0.25, color="#888888", lw=0)
        bins = x if x.nunique() <= 12 else pd.cut(x, 10).map(lambda b: b.mid).astype(float)
        cells = {at: interval(values, **bounds) for at, values in y.groupby(bins)}
        at = np.array(list(cells), dtype=float)
        mean, low, high = (np.array(column, dtype=float) for column in zip(*cells.values(), strict=True))
        ax.errorbar(at, mean, yerr=[np.nan_to_num(mean - low), np.nan_to_num(high - mean)], color=colour, lw=2,
                    marker="o", ms=4, capsize=3)
        unit = unit_of(factor)
        ax.set_xlabel(plain(f"{factor}\n{unit}" if unit else factor))  # on two lines: panels sit close
    axes[0].set_ylabel("% of cohort" if scale == 100 else "")
    finish(fig, axes, title, f"{len(runs):,} runs; dots: runs; line: mean per level with its 95% t interval across "
                             "the runs there")
    return fig


def mixed_code_html(runs: pd.DataFrame) -> list[str]:
    """A warning when the runs were made by more than one version of the code (their ``code`` column): the same seed
    may give other numbers under each, so points run by different versions differ by more than their factors."""
    counts = runs["code"].dropna().value_counts() if "code" in runs else pd.Series(dtype=int)
    if len(counts) < 2:
        return []
    each = ", ".join(f"<code>{html.escape(str(code))}</code> {count:,}" for code, count in counts.items())
    return [f'<p class="warning"><b>These runs were made by {len(counts)} versions of the code</b> (runs by the '
            f"<code>code</code> column: {each}; the manifest gives the versions behind each). The same seed may give "
            "other numbers under each, so two points may differ by more than their factors: sweep into a new folder "
            "with one version installed everywhere to compare like with like.</p>"]


def sweep_sections(results: Results, planned: int | None = None) -> list[str]:
    """A sweep's runs, factors and outcomes (a sensitivity analysis's indices first); ``planned`` is the runs a
    stopped sweep's design plans (``unfinished``), for the warning that it is incomplete."""
    from sim.experiments.sensitivity_analysis import TABLE as SENSITIVITY_TABLE

    runs, factors = results.runs, results.factors
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    incomplete = planned is not None
    parts = ["<h2>Runs</h2>", f"<p>{len(runs):,} runs" + (f" of the {planned:,} the design plans" if incomplete else "")
             + f", {len(ok):,} succeeded; factors: {html.escape(', '.join(factors) or 'none found')}.</p>"]
    if incomplete:
        parts.insert(0, f'<p class="warning"><b>Incomplete sweep: {len(runs):,} of {planned:,} planned runs done.</b> '
                        "It was stopped before the end; everything below shows only the runs done. Rerun the same "
                        f"<code>{resuming_command(results.manifest)}</code> into this folder to finish it.</p>")
    parts += mixed_code_html(runs)
    declared = recorded(results.manifest, "experiment", "spec", "design", "factors")
    if isinstance(declared, dict) and declared:
        levels = pd.DataFrame({"factor": list(declared), "unit": [unit_of(str(key)) for key in declared],
                               "what it is": [words_of(str(key)) for key in declared], "values": [
            f"{v['low']} to {v['high']}" if isinstance(v, dict) and {"low", "high"} <= set(v) else json.dumps(v)
            for v in declared.values()]})
        parts += ["<h3>Design</h3>", table_html(levels, index=False)]
    failed = runs.drop(ok.index)
    if not failed.empty:
        parts += ["<h3>Failed runs</h3>",
                  table_html(failed[[c for c in ("point", "replicate", "seed", "status", "error") if c in failed]],
                             index=False)]
        if lost := int(is_lost(failed).sum()):
            parts.append(f"<p>{lost:,} of them were lost to the infrastructure (status <code>lost</code>: a worker died "
                         f"or could not start them), not failed in the model: rerun the same "
                         f"<code>{resuming_command(results.manifest)}</code> into "
                         "this folder to run them again.</p>")
    if (results.directory / SENSITIVITY_TABLE).exists():  # the answer first, then what it was computed from
        warning = 1 if incomplete else 0  # an incomplete sweep says so before anything else
        return parts[:warning] + sensitivity_sections(results) + parts[warning:]
    outcomes = outcomes_of(ok, factors)
    if factors and outcomes:
        parts.append("<h2>Each outcome against each factor</h2>")
        for outcome in outcomes:
            parts.append(figure_html(factor_figure(ok, factors, outcome),
                                     f"{value_label(outcome)[0]} against each factor."))
        if len(ok) and ok.groupby(factors).ngroups <= 500:
            from sim.experiments.metrics import value_range

            grouped = ok.groupby(factors)
            shown = pd.DataFrame({"runs": grouped.size()})
            cut = False
            for outcome in outcomes:  # each in its unit: shares of the cohort in percent, not 0.77
                title, scale, form = value_label(outcome)
                cells = grouped[outcome].apply(lambda v, outcome=outcome: interval(v, **value_range(outcome)))
                shown[title] = [point_cell(cell, scale, form) for cell in cells]
                cut = cut or any(cut_short(*cell) for cell in cells)
            shown.index = shown.index.set_names([f"{f}, {unit_of(f)}" if unit_of(f) else f for f in factors])
            parts += ["<h3>Mean of each outcome at each point</h3>",
                      '<p class="note">Mean over the runs at each point (its replicates), with its 95% t interval across '
                      "them in brackets (none with one run, nor when every run gave the same value); shares of the cohort in percent"
                      + (f"; {CUT_NOTE}" if cut else "") + ".</p>", table_html(shown.reset_index(), index=False)]
    return parts


def point_cell(cell: tuple[float, float, float], scale: float, form: str) -> str:
    """A sweep point's mean (``interval``) in its unit with its interval, marked when cut at the possible range;
    none with one run, and none said when every run gave the same value (``zero_width``)."""
    mean, low, high = cell
    if mean != mean:
        return ""
    if low != low:
        return f"{scale * mean:{form}}"
    if zero_width(low, high):
        return f"{scale * mean:{form}} ({SAME_IN_EVERY})"
    return (f"{scale * mean:{form}} ({scale * low:{form}} to {scale * high:{form}}"
            + cut_said(mean, low, high, "; ", CUT_MARK) + ")")


def unfinished(results: Results) -> int | None:
    """The runs a stopped sweep's design plans, when it holds fewer; None for a finished one (or unknown)."""
    planned = planned_runs(results.manifest)
    return planned if planned is not None and len(results.runs) < planned else None


def planned_runs(manifest: dict) -> int | None:
    """The runs a sweep's design plans (points x replicates), as its manifest records them; None if it does not."""
    experiment = manifest.get("experiment")
    if not isinstance(experiment, dict):
        return None
    runs = experiment.get("runs")
    if isinstance(runs, int) and not isinstance(runs, bool):
        return runs
    design, replicates = manifest.get("design"), experiment.get("replicates")
    if isinstance(design, list) and isinstance(replicates, int) and not isinstance(replicates, bool):
        return len(design) * replicates
    return None


def resuming_command(manifest: dict) -> str:
    """The command that finishes a stopped sweep folder, as its last session ran it: ``sim sensitivity`` or ``sim
    sweep`` (a sweep started from Python, whose command line is the notebook's)."""
    sessions = manifest.get("sessions")
    command = sessions[-1].get("command") if isinstance(sessions, list) and sessions and isinstance(sessions[-1], dict) else None
    word = command[1] if isinstance(command, list) and len(command) > 1 else None
    return f"sim {word}" if word in ("sweep", "sensitivity") else "sim sweep"


def sensitivity_sections(results: Results) -> list[str]:
    """The answer of a sensitivity analysis: its indices with intervals, as a figure and a table."""
    from sim.experiments.figures import sensitivity_figure
    from sim.experiments.sensitivity_analysis import INDICES, TABLE, effect_columns, index_text, output_heading, ranking

    path = results.directory / TABLE
    table = read_csv(path, ["output", "factor"], rows=True)
    method = "sobol" if "S1" in table.columns else "morris"
    table = require_columns(table, path, INDICES[method])
    # the verdict first, as ranking.md words it, built from the table so that the two cannot disagree: whether the
    # sample separates the leading factors, or their order is noise and no factor may be called the most important
    samples = recorded(results.manifest, "experiment", "spec", "design", "samples")  # as ranking.md had them
    samples = samples if isinstance(samples, int) and not isinstance(samples, bool) else None
    parts = ["<h2>Which factors matter most</h2>", markdown_html(ranking(table, method, samples=samples)),
             "<h2>Sensitivity indices</h2>",
             '<p class="note">' + ("Sobol' indices: the share of each output's variance due to a factor alone (S1) "
                                   "and with its interactions (ST); 95% intervals in brackets."
                                   if method == "sobol" else
                                   "Morris screening: mu* (mean absolute elementary effect, 95% interval), sigma "
                                   "(interactions and non-linearity) and the direction of the effect (from mu, the "
                                   "mean signed effect), a share's in percentage points.") + "</p>",
             figure_html(sensitivity_figure(table, method), "Sensitivity indices with 95% intervals.")]
    pairs = [("S1", "S1_conf"), ("ST", "ST_conf")] if method == "sobol" else [("mu_star", "mu_star_conf")]
    shown = pd.DataFrame({"output": table["output"], "factor": table["factor"]})
    for value, conf in pairs:
        shown[f"{value} (95% interval)"] = [index_text(v, c, method) if v == v else
                                            "undefined (the output is constant across the runs)"
                                            for v, c in zip(table[value], table[conf], strict=True)]
    shown.insert(2, "what it is", shown["factor"].map(lambda key: words_of(str(key))))
    for output, rows in shown.groupby("output", sort=False):
        if method == "morris":  # in the unit its heading names: a share's effects in points, not as 0-1 under '%'
            rows = pd.concat([rows[["output", "factor", "what it is"]], effect_columns(table.loc[rows.index])], axis=1)
        parts += [f"<h3>{html.escape(output_heading(str(output)))}</h3>", table_html(rows.drop(columns="output"),
                                                                                    index=False)]
    return parts
