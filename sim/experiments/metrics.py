"""The summary numbers of one run that a sweep keeps: first-event shares at standard horizons and final states.

A sweep of thousands of runs cannot keep every timeseries, so each run is reduced to one row:
``reoffended_52w`` is the cumulative share with a new offence 52 weeks after release (NaN when
nobody is followed that long), ``final_community_stigma`` the last week's value (``FINAL``). The horizons are
26 weeks and every whole year (52-week multiple) the run reaches. ``cost_total``, ``custody_weeks``
and ``released`` are the run's totals over its whole horizon (``sim.costs.run_totals``).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from sim.curves import CURVES, YEAR

if TYPE_CHECKING:
    import pandas as pd

HALF_YEAR = YEAR // 2
FINAL = (
    "community_stigma", "experienced_stigma", "employment_rate", "housing_rate", "trust_government", "trust_ngo",
    "ngo_enrolled", "ngo_waitlist", "ngo_willingness", "ngo_reputation", "in_custody", "offences_total",
    "terrorism_offences_total", "recalls_total",
)
"""The last week's values a sweep row keeps as ``final_<metric>``. ``terrorism_offences_total`` is kept so that
``sim robustness`` can price a terrorism offence averted as ``sim compare`` does; a sweep begun before it was kept
resumes without it (``sim.experiments.store.RunStore.prepare``: every part keeps the columns of the first)."""


TOTALS = ("cost_total", "custody_weeks", "released")


def horizons_within(weeks: int) -> tuple[int, ...]:
    """26 weeks and every 52-week multiple up to `weeks`."""
    return tuple(h for h in (HALF_YEAR, *range(YEAR, weeks + 1, YEAR)) if h <= weeks)


def since_horizons(weeks: int) -> tuple[int, ...]:
    """The weeks since release at which a comparison of runs of `weeks` weeks reads its shares (and its subgroups):
    26 and every whole year within the run, or the run's end when it is shorter than 26 weeks."""
    return horizons_within(weeks) or (weeks,)


def calendar_horizons(weeks: int) -> tuple[int, ...]:
    """The weeks of the run at which ``sim compare`` reads its calendar-clock rows (``clock = week``: the weekly
    series, the costs and the offences averted): the since-release horizons (``horizons_within``) and the run's last
    week, `weeks`, when it is not one of them. A run of 182 weeks is read at 26, 52, 104, 156 and 182: its costs over
    the whole run are those ``sim robustness`` and ``sim optimise`` give. The shares by weeks since release keep
    ``horizons_within`` (to 156 there: a release window of 26 weeks plus three years follows everyone 156 weeks)."""
    horizons = since_horizons(weeks)
    return horizons if weeks in horizons else (*horizons, weeks)


def metric_names(weeks: int) -> tuple[list[str], tuple[int, ...]]:
    """The metric columns of runs lasting up to `weeks`, and the horizons they are read at."""
    horizons = horizons_within(weeks)
    return [f"{curve}_{h}w" for curve in CURVES for h in horizons] + [f"final_{m}" for m in FINAL] + list(TOTALS), horizons


def summarised(column: str) -> str:
    """The metric a summary column summarises, by which its unit is known: ``reoffended_156w`` and
    ``final_community_stigma`` summarise ``reoffended`` and ``community_stigma``; a run's total is its own."""
    return re.sub(r"_\d+w$", "", column.removeprefix("final_"))


def value_range(column: str) -> dict[str, float]:
    """The range a summary metric's values can take, as ``sim.stats.interval`` and ``paired_difference`` take it
    (``floor``, ``ceiling``): 0 to 1 for a share or a 0-1 level, at least 0 for a count, person-weeks or money; read
    from the unit of the metric it summarises (``reoffended_156w``: ``reoffended``)."""
    from sim.units import UNITS, unit_ceiling

    ceiling = unit_ceiling(UNITS.get(summarised(column)))  # a name without a unit: a count, no ceiling
    return {"floor": 0.0, **({"ceiling": ceiling} if ceiling is not None else {})}


def default_outputs(horizons: tuple[int, ...]) -> list[str]:
    """What sensitivity analyses when the experiment names no outputs: the longest horizon's shares and stigma."""
    last = [f"{curve}_{horizons[-1]}w" for curve in ("reoffended", "recalled")] if horizons else []
    return [*last, "final_community_stigma"]


def run_metrics(curves: pd.DataFrame, timeseries: pd.DataFrame, horizons: tuple[int, ...]) -> dict[str, float]:
    """One run's summary row (see the module docstring)."""
    from sim.costs import run_totals  # with pandas, loaded by the runs: the command line sizes a sweep without it

    row: dict[str, float] = {}
    by_week = curves.set_index("weeks_since_release")
    for curve in CURVES:
        for h in horizons:
            row[f"{curve}_{h}w"] = float(by_week[curve].get(h, math.nan))
    last = timeseries.iloc[-1]
    for metric in FINAL:
        row[f"final_{metric}"] = float(last[metric]) if metric in last else math.nan
    row.update(run_totals(timeseries))
    return row
