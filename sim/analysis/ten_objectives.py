"""The brief's ten objectives in a notebook: the scenarios that set each lever off and on (``lever_scenarios``), each
lever's opportunity and challenge effect over paired replicates (``lever_effects``, ``lever_outcomes``), and the
figures of what each lever gains against what it costs."""

from __future__ import annotations

import numbers
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim import objectives
from sim.analysis.checks import names_of, require, require_numbers
from sim.analysis.plots import level_colours, slide_theme
from sim.analysis.summaries import cut_marks
from sim.curves import CURVES
from sim.errors import InputError
from sim.experiments.metrics import value_range
from sim.figures import label_points
from sim.stats import paired_difference

COHORT_STATES = ("in_prison", "on_licence", "licence_ended", "recalled_now", "returned_now")
"""The states whose final counts sum to the released cohort, which ``per_person`` divides by."""

OBJECTIVE_COLUMNS = ("number", "lever", "objective", "opportunity", "opportunity_metric", "opportunity_better",
                     "challenge", "challenge_metric", "challenge_better")
OBJECTIVES = pd.DataFrame([[getattr(objective, column) for column in OBJECTIVE_COLUMNS]
                           for objective in objectives.OBJECTIVES], columns=list(OBJECTIVE_COLUMNS))
"""The brief's ten objectives (``sim.objectives``) as a table, each with the opportunity and the challenge it names and
the model output that shows each one ("lower" or "higher" is the better direction)."""


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
    slide_theme()
    require(effects, EFFECT_COLUMNS, "the lever effects")
    colours = level_colours(OBJECTIVES, "lever", colours)
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
    slide_theme()
    require(effects, EFFECT_COLUMNS, "the lever effects")
    colours = level_colours(OBJECTIVES, "lever", colours)
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
