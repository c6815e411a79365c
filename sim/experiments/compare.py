"""Comparing scenarios against a reference: means with intervals, differences with bootstrap intervals, log-rank tests.

Replicate r of every scenario shares a seed (common random numbers, see ``sim.runner.run``), so the
difference from the reference is bootstrapped over *paired* replicates. The log-rank p-values pool the
individual event times of all replicates and censor them at the horizon (and at each person's end of
follow-up); for recall, a return to custody for a new offence before any recall is censoring
(a cause-specific test). Pooling treats people in different replicates as independent, so with many
replicates small differences get small p-values: read them with the size of the difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.errors import InputError
from sim.experiments.metrics import horizons_within
from sim.outcomes import CURVES, interval
from sim.runner import RunResult, as_list, run
from sim.scenarios import load_scenario

SERIES = ("community_stigma", "experienced_stigma", "employment_rate", "trust_ngo", "ngo_enrolled", "in_custody")
COLUMNS = ["scenario", "reference", "metric", "clock", "week", "replicates", "mean", "ci_low", "ci_high",
           "difference", "diff_low", "diff_high", "logrank_p"]
BOOTSTRAP = 2000
WORDS = {"reoffended": "new offence", "recalled": "recall for breach", "returned": "return to custody"}


def event_data(events: pd.DataFrame, metric: str, horizon: int) -> stats.CensoredData:
    """Pooled time to the first `metric` event, right-censored at the horizon and the end of follow-up."""
    people = events[events["followup"] > 0]
    follow = np.minimum(people["followup"].to_numpy(), horizon)
    column = {"reoffended": "first_offence", "recalled": "first_recall", "returned": "first_return"}[metric]
    times = people[column].to_numpy()
    observed = (times >= 1) & (times <= follow)
    censor = follow
    if metric == "recalled":  # a return before any recall ends the time at risk of a first recall
        competing = np.where(people["first_recall"].to_numpy() < 0, people["first_return"].to_numpy(), -1)
        stopped = (competing >= 1) & (competing <= follow)
        censor = np.where(stopped, competing, follow)
    at = np.where(observed, times, censor).astype(float)
    return stats.CensoredData(uncensored=at[observed], right=at[~observed])


def logrank_p(reference: stats.CensoredData, other: stats.CensoredData) -> float:
    if reference.num_censored() == len(reference) and other.num_censored() == len(other):
        return float("nan")  # no events in either group: nothing to test
    p = float(stats.logrank(other, reference).pvalue)
    return min(max(p, 0.0), 1.0) if p == p else p


def paired_difference(reference: pd.Series, other: pd.Series, rng: np.random.Generator) -> tuple[float, float, float]:
    """Mean difference (other - reference) over replicates present in both, with a 95% percentile bootstrap interval."""
    pairs = pd.concat([reference.rename("a"), other.rename("b")], axis=1).dropna()
    if pairs.empty:
        return (np.nan, np.nan, np.nan)
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    diff = float(b.mean() - a.mean())
    if len(pairs) == 1:
        return (diff, diff, diff)
    picks = rng.integers(0, len(pairs), size=(BOOTSTRAP, len(pairs)))
    draws = b[picks].mean(axis=1) - a[picks].mean(axis=1)
    low, high = np.percentile(draws, [2.5, 97.5])
    return (diff, float(low), float(high))


def comparison_table(result: RunResult, seed: int) -> pd.DataFrame:
    """The rows of ``comparison.csv`` (see the module docstring); the reference's own rows have difference 0."""
    names = [s.name for s in result.scenarios]
    reference = names[0]
    weeks = min(s.weeks for s in result.scenarios)
    horizons = horizons_within(weeks) or (weeks,)
    rng = np.random.default_rng(seed)
    curves, series, events = result.curves, result.timeseries, result.events
    rows = []
    for horizon in horizons:
        at_curves = curves[curves["weeks_since_release"] == horizon].set_index(["scenario", "replicate"])
        at_series = series[series["week"] == horizon].set_index(["scenario", "replicate"])
        pooled = {name: {m: event_data(events[events["scenario"] == name], m, horizon) for m in CURVES} for name in names}
        for metric, clock, frame in [*((m, "weeks_since_release", at_curves) for m in CURVES),
                                     *((m, "week", at_series) for m in SERIES if m in at_series.columns)]:
            base = frame.loc[reference, metric]
            for name in names:
                values = frame.loc[name, metric]
                diff = (0.0, 0.0, 0.0) if name == reference else paired_difference(base, values, rng)
                p = np.nan if name == reference or clock == "week" else logrank_p(pooled[reference][metric], pooled[name][metric])
                rows.append((name, reference, metric, clock, horizon, int(values.notna().sum()), *interval(values), *diff, p))
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = {m: i for i, m in enumerate((*CURVES, *SERIES))}
    return table.sort_values(["metric", "week"], key=lambda c: c.map(order) if c.name == "metric" else c,
                             kind="stable").reset_index(drop=True)


class Comparison:
    """Scenarios run side by side: ``.table`` (comparison.csv), ``.runs`` (the RunResult), ``.save(dir)``."""

    def __init__(self, runs: RunResult, seed: int) -> None:
        self.runs, self.seed = runs, seed
        self.table = comparison_table(runs, seed)

    @property
    def reference(self) -> str:
        return self.runs.scenarios[0].name

    def headlines(self) -> list[str]:
        """One sentence per scenario and time-to-event outcome at the longest horizon, with intervals and p."""
        last = self.table[(self.table["clock"] == "weeks_since_release") & (self.table["week"] == self.table["week"].max())]
        lines = []
        for row in last[last["scenario"] != self.reference].itertuples():
            ref = last[(last["scenario"] == self.reference) & (last["metric"] == row.metric)].iloc[0]
            lines.append(
                f"{row.scenario}: {WORDS[row.metric]} within {row.week} weeks of release {_pct(row.mean)} "
                f"(95% CI {_pct(row.ci_low)}-{_pct(row.ci_high)}) vs {_pct(ref['mean'])} in {self.reference}: "
                f"{_points(row.difference)} (95% CI {_points(row.diff_low, sign=False)} to {_points(row.diff_high, sign=False)}), "
                f"log-rank {_p(row.logrank_p)}."
            )
        return lines

    def markdown(self) -> str:
        """``comparison.md``: the headline differences in words, then how to read them."""
        t = self.table
        names = [s.name for s in self.runs.scenarios]
        replicates = len(next(iter(self.runs.seeds.values())))
        text = [f"# Comparison against {self.reference}", "",
                f"Scenarios: {', '.join(names)}; {replicates} replicates each (replicate r of every scenario shares "
                f"its seed). Reference: **{self.reference}**.", "", "## Headline differences", ""]
        text += [f"- {line}" for line in self.headlines()]
        stigma = t[(t["metric"] == "community_stigma") & (t["week"] == t[t["metric"] == "community_stigma"]["week"].max())]
        for row in stigma[stigma["scenario"] != self.reference].itertuples():
            text.append(f"- {row.scenario}: mean community stigma at week {row.week} {row.mean:.3f} "
                        f"(95% CI {row.ci_low:.3f}-{row.ci_high:.3f}), {row.difference:+.3f} against {self.reference} "
                        f"(95% CI {row.diff_low:+.3f} to {row.diff_high:+.3f}).")
        text += ["", "## How to read this", "",
                 "- Shares are cumulative: the share of the released cohort with a first event within that many weeks "
                 "of release. Means and 95% intervals are across replicates.",
                 f"- Differences are scenario minus {self.reference} in percentage points, with a 95% bootstrap interval "
                 f"over paired replicates ({BOOTSTRAP} resamples, seed {self.seed}). An interval that excludes 0 is a "
                 "difference the replicates support.",
                 "- The log-rank p-value compares the pooled individual times to the first event (censored at the horizon "
                 "and at the end of follow-up; for recall, a return for a new offence first is censoring). It treats people "
                 "in different replicates as independent, so judge a small p together with the size of the difference.",
                 "- The full table is comparison.csv; the figures are in figures/ (kaplan_meier.png pools the people of all "
                 "replicates).", ""]
        return "\n".join(text)

    def save(self, directory: str | Path, *, figures: bool = True) -> Path:
        """The files of ``sim run`` plus comparison.csv, comparison.md and a Kaplan-Meier figure, atomically."""
        from sim.output import write_run

        def extra(staging: Path) -> None:
            self.table.to_csv(staging / "comparison.csv", index=False)
            (staging / "comparison.md").write_text(self.markdown())
            if figures:
                from sim.experiments.figures import draw_kaplan_meier

                draw_kaplan_meier(self.runs.events, self.runs.scenarios,
                                  min(s.weeks for s in self.runs.scenarios), staging / "figures")

        return write_run(self.runs, Path(directory), figures=figures, extra=extra)


def _pct(value: float) -> str:
    return "n/a" if value != value else f"{100 * value:.1f}%"


def _points(value: float, sign: bool = True) -> str:
    if value != value:
        return "n/a"
    return f"{100 * value:+.1f} points" if sign else f"{100 * value:+.1f}"


def _p(value: float) -> str:
    if value != value:
        return "p n/a (no events)"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def compare(
    scenarios: Iterable[Any],
    *,
    replicates: int,
    seed: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    weeks: int | None = None,
    progress: bool = False,
) -> Comparison:
    """Run `scenarios` (the first is the reference) with paired replicates and compare them."""
    sources = as_list(scenarios)
    if len(sources) < 2:
        raise InputError("needs at least two scenarios: the reference first, then those compared with it",
                         key="scenarios", expected="two or more scenarios")
    settings = [load_scenario(source, overrides) for source in sources]
    result = run(settings, replicates=replicates, seed=seed, weeks=weeks, progress=progress)
    return Comparison(result, result.scenarios[0].seed if seed is None else seed)
