"""Comparing scenarios against a reference: means with intervals, paired differences with t intervals and p.

Replicate r of every scenario shares a seed (common random numbers, see ``sim.runner.run``), so each
replicate gives one paired difference from the reference; the replicate is the unit of the
statistics. The difference's 95% interval and ``paired_p`` come from a paired t-test over those
replicate differences (people within a run are not independent draws: they share one community,
one NGO sector and one history, so pooling them would overstate the evidence). Under an exact null the
interval excludes 0 in about 5% of comparisons (``tests/test_statistics.py``). One replicate gives a
difference and no interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.costs import (
    AVERTED_COUNTS,
    COST_COUNTS,
    PLACEHOLDERS,
    PRICES_APART,
    TERRORISM,
    cost_effectiveness,
    cost_lines,
    cost_rows,
    outcomes_to_price,
    run_parts,
    run_words,
    unit_costs_text,
)
from sim.curves import COMPETING, CURVE_WORDS, CURVES, FIRST_EVENT, curves_of
from sim.errors import InputError
from sim.experiments.metrics import calendar_horizons, since_horizons
from sim.experiments.subgroups import GROUPS_ALIKE, check_subgroup, subgroup_lines, subgroup_table, subgroup_words
from sim.money import agrees, amount, figures_apart, money_change
from sim.outcomes import NOBODY_AT_RISK, SAME_IN_EVERY, followed_note, followed_share, no_interval, time_at_risk
from sim.runner import RunResult, as_list, require_distinct_names, run
from sim.scenarios import load_scenario
from sim.stats import (
    CUT,
    IDENTICAL_PAIRS,
    clear_of_zero,
    cut_said,
    interval,
    paired_difference,
    too_few_alike,
    zero_width,
)
from sim.streams import check_seed
from sim.units import COHORT_SHARE, ceiling_of, percent, rounded

SINCE_RELEASE, CALENDAR = "weeks_since_release", "week"  # comparison.csv's two clocks
SERIES = ("community_stigma", "experienced_stigma", "employment_rate", "trust_ngo", "ngo_enrolled", "in_custody")
COLUMNS = ["scenario", "reference", "metric", "clock", "week", "replicates", "mean", "ci_low", "ci_high",
           "difference", "diff_low", "diff_high", "paired_p"]


def event_data(events: pd.DataFrame, metric: str, horizon: int) -> stats.CensoredData:
    """Pooled time to the first `metric` event, right-censored at the horizon and the end of follow-up (Kaplan-Meier figure)."""
    people = events[events["followup"] > 0]
    follow = np.minimum(people["followup"].to_numpy(), horizon)
    competing = people[COMPETING[metric]].to_numpy() if metric in COMPETING else np.full(len(people), -1)
    stop, observed, _ = time_at_risk(people[FIRST_EVENT[metric]].to_numpy(), competing, follow)  # a competitor censors
    at = stop.astype(float)
    return stats.CensoredData(uncensored=at[observed], right=at[~observed])


PLURAL = {"reoffended": "new offences", "recalled": "recalls for breach", "returned": "returns to custody",
          "terrorism_offence": "terrorism offences"}


def too_few_said(pairs: int, unit: str = "replicates", between: str = "in") -> str:
    """Why a difference ``too_few_alike`` is not clear, in words: 'the same difference in each of the 3 replicates:
    too few to tell it from chance, as 6 or more would'; `unit` and `between` say 'on each of the 2 fresh seeds'."""
    return (f"the same difference {between} each of the {int(pairs)} {unit}: too few to tell it from chance, "
            f"as {IDENTICAL_PAIRS} or more would")


IN_POINTS = ("In points: percentage points of the released cohort, scenario minus reference, with the 95% interval of "
             "the difference over paired replicates. 'Fewer' and 'more' only where that interval excludes 0, or where "
             "there is none because the difference is the same non-zero number in each of "
             f"{IDENTICAL_PAIRS} or more replicates (fewer could share one sign by chance): the rule of every verdict "
             "here, in the groups and on the cost too.")
"""Under comparison.md's In short: when 'fewer' and 'more' are said (``clear_of_zero``). It said 'only where that
interval excludes 0' beside 'fewer new offences (-2.0 points: the same difference in every replicate, so no
interval)'."""
REPLICATE_MEANS = ("A replicate is one run of the model with random draws of its own: another synthetic cohort, "
                   "community and history under the same settings. Intervals across replicates measure that chance "
                   "variation only, not how wrong the model's assumed sizes and prices may be: `sim robustness` tests "
                   "those.")
"""Under comparison.md's How to read this: what a replicate is, and that a narrow interval is not certainty about the
assumptions ('95% CI +8,200 to +11,000' read as the range a programme's cost would fall in)."""
CUT_MARK = CUT.partition(",")[0]
"""A cut interval's mark where the words do not fit (a table cell): a note above the table says it (``cut_note``)."""


def cut_note(what: str, bounds: str, few: str) -> str:
    """What the mark ``CUT_MARK`` means, said once above a table whose intervals may carry it: that an interval ran
    past what `what` can be (`bounds`) and was cut there, `few` (replicates, samples) being too few to say much."""
    return (f"an interval marked '{CUT_MARK}' ran past what {what} can be ({bounds}) and is cut there: too few {few} "
            "for it to say much")


CUT_NOTE = cut_note("the value", "a share below 0% or above 100%, a count below 0", "replicates")
"""The note above a table of means or differences across replicates whose intervals may carry ``CUT_MARK`` (the
reports' tables; ``sim.analysis``'s, as a notebook shows them)."""


def longest(table: pd.DataFrame, clock: str, metrics: Iterable[str] | None = None) -> int | None:
    """The longest horizon of `table`'s rows on `clock` (of `metrics` alone, if given), None without any. Each clock
    has its own: a run of 182 weeks reads its shares to 156 weeks since release and its calendar rows (weekly series,
    costs) to week 182 (``calendar_horizons``), so the longest week over all rows is no share's horizon."""
    rows = table[table["clock"] == clock]
    if metrics is not None:
        rows = rows[rows["metric"].isin(list(metrics))]
    return int(rows["week"].max()) if len(rows) else None


def comparison_table(result: RunResult) -> pd.DataFrame:
    """The rows of ``comparison.csv`` (see the module docstring); the reference's own rows have difference 0.

    The shares by weeks since release are read at ``since_horizons``; the weekly series and the costs (calendar week
    of the run) at ``calendar_horizons``, which add the run's last week: the cost of the whole run is the one
    ``sim robustness`` and ``sim optimise`` give."""
    names = [s.name for s in result.scenarios]
    reference = names[0]
    weeks = min(s.weeks for s in result.scenarios)
    since, calendar = since_horizons(weeks), calendar_horizons(weeks)
    curves, series = result.curves, result.timeseries
    read = curves_of(result.scenarios)  # no terrorism curve for general cohorts: 0 by construction
    rows = []
    for horizon in sorted({*since, *calendar}):
        at_curves = curves[curves["weeks_since_release"] == horizon].set_index(["scenario", "replicate"])
        at_series = series[series["week"] == horizon].set_index(["scenario", "replicate"])
        for metric, clock, frame in [*((m, SINCE_RELEASE, at_curves) for m in read if horizon in since),
                                     *((m, CALENDAR, at_series) for m in SERIES
                                       if m in at_series.columns and horizon in calendar)]:
            base = frame.loc[reference, metric]
            ceiling = ceiling_of(frame[metric])
            for name in names:
                values = frame.loc[name, metric]
                diff = ((0.0, 0.0, 0.0, np.nan) if name == reference else
                        paired_difference(base, values, floor=0.0, ceiling=ceiling))
                rows.append((name, reference, metric, clock, horizon, int(values.notna().sum()),
                             *interval(values, floor=0.0, ceiling=ceiling), *diff))
    rows += cost_rows(result, calendar, names, reference)
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = {m: i for i, m in enumerate((*CURVES, *SERIES))}
    return table.sort_values(["metric", "week"], key=lambda c: c.map(order) if c.name == "metric" else c,
                             kind="stable").reset_index(drop=True)


FEW_FOLLOWED = 0.5  # below this share of the released followed to its horizon, "In short" says so beside it


class Comparison:
    """Scenarios run side by side: ``.table`` (comparison.csv), ``.runs`` (the RunResult), ``.save(dir)``."""

    def __init__(self, runs: RunResult, seed: int, by: str | None = None) -> None:
        self.runs, self.seed = runs, seed
        self.table = comparison_table(runs)
        names = [s.name for s in runs.scenarios]
        weeks = min(s.weeks for s in runs.scenarios)
        self.cost_effectiveness = cost_effectiveness(runs, calendar_horizons(weeks), names, names[0])
        self.subgroups = (subgroup_table(runs.events, by, names, since_horizons(weeks), curves_of(runs.scenarios))
                          if by else None)

    @property
    def reference(self) -> str:
        return self.runs.scenarios[0].name

    @property
    def end(self) -> int | None:
        """The run's last week when every scenario runs to it (the calendar rows' last horizon is then the whole
        run), else None: a scenario running longer is read at the shortest run's end, which is not the end of its own."""
        weeks = {s.weeks for s in self.runs.scenarios}
        return weeks.pop() if len(weeks) == 1 else None

    @property
    def titles(self) -> dict[str, str]:
        """Scenario name -> its title, as every sentence names a scenario (``sim.figures.titles``)."""
        from sim.figures import titles

        return titles(self.runs.scenarios)

    def named(self, name: str) -> str:
        """A scenario's first mention in a sentence: its title with its name, the id that reruns it."""
        from sim.figures import titled

        return titled(self.titles, name)

    @property
    def replicates(self) -> int:
        """Replicates per scenario in the run (a value at a long horizon may rest on fewer)."""
        return len(next(iter(self.runs.seeds.values())))

    def headlines(self) -> list[str]:
        """One sentence per scenario and time-to-event outcome at the longest horizon since release, with intervals
        and p, and how many replicates it rests on when that is fewer than the run's."""
        t = self.table
        last = t[(t["clock"] == SINCE_RELEASE) & (t["week"] == longest(t, SINCE_RELEASE))]
        lines, titles = [], self.titles
        others = last[last["scenario"] != self.reference]
        references = last[last["scenario"] == self.reference].set_index("metric")
        # one precision per outcome, so that the reference's share reads the same in each scenario's line, and each
        # scenario's two shares agree with the difference after them
        places = {metric: shared_decimals([(row.mean, references.loc[metric, "mean"], row.difference)
                                           for row in group.itertuples()])
                  for metric, group in others.groupby("metric", sort=False)}
        for row in others.itertuples():
            ref = references.loc[row.metric]
            fewer = fewer_replicates({titles[row.scenario]: row.replicates, titles[self.reference]: ref["replicates"]},
                                     self.replicates)
            why = no_interval(min(row.replicates, int(ref["replicates"])), difference=True)
            pct = lambda v, places=places[row.metric]: percent(v, places)  # noqa: E731
            lines.append(
                f"{self.named(row.scenario)}: {CURVE_WORDS[row.metric]} within {row.week} weeks of release {pct(row.mean)}"
                f"{_ci(row.mean, row.ci_low, row.ci_high, pct)} vs {pct(ref['mean'])} in {titles[self.reference]}: "
                f"{points_text(row.difference)}{_ci(row.difference, row.diff_low, row.diff_high, lambda v: points_text(v, sign=False), ' to ', why)}"
                f"{_p(row.paired_p)}{f' ({fewer})' if fewer else ''}."
            )
        return lines

    def in_short(self) -> list[str]:
        """One plain sentence per scenario at the longest horizon since release: more, fewer or no clear difference in
        each first event (by its 95% interval, never by the point estimate alone), and the cost per person released
        over the run (the calendar clock's last week, as ``sim robustness`` gives it)."""
        t = self.table
        last = t[(t["clock"] == SINCE_RELEASE) & (t["week"] == longest(t, SINCE_RELEASE))]
        cost_week = longest(t, CALENDAR, ["cost_per_released"])
        titles = self.titles
        costs = self.runs.scenarios[0].costs
        lines = []
        for name in [s.name for s in self.runs.scenarios[1:]]:
            own = last[last["scenario"] == name].set_index("metric")
            said, told_fewer, unfollowed = [], 0, []
            for metric in CURVES:
                if metric not in own.index:
                    continue
                row = own.loc[metric]
                words = PLURAL[metric]
                if row["diff_low"] != row["diff_low"]:
                    pairs = self.pairs(name, metric, int(row["week"]))
                    told_fewer += pairs < min(2, self.replicates)  # its reason says how many replicates
                    if pairs >= 2 and row["difference"] == 0:  # as many events, or none, in every replicate
                        said.append(f"no difference in {words} in any replicate (so no interval)")
                    elif pairs:
                        said.append(self.no_interval(words, row["difference"], pairs, int(row["week"])))
                    else:
                        unfollowed.append(words)
                elif row["diff_low"] == row["diff_high"] == row["difference"] == 0:  # a table written before 0 had none
                    said.append(f"no difference in {words} in any replicate (so no interval)")
                else:  # the answer with its uncertainty: the 95% interval the words are judged by
                    shown = (f"{points_text(row['difference'])}, 95% CI {points_text(row['diff_low'], sign=False)} to "
                             f"{points_text(row['diff_high'], sign=False)}"
                             + cut_said(row["difference"], row["diff_low"], row["diff_high"]))
                    said.append(f"more {words} ({shown})" if row["diff_low"] > 0 else
                                f"fewer {words} ({shown})" if row["diff_high"] < 0 else
                                f"no clear difference in {words} ({shown}: within noise)")
            if unfollowed:  # said once for every outcome it holds for
                outcomes = " or ".join(filter(None, (", ".join(unfollowed[:-1]), unfollowed[-1])))
                said.insert(0, f"no difference to give in {outcomes} (no replicate has people followed "
                               f"{int(last['week'].max())} weeks after release in both scenarios)")
            base = last[last["scenario"] == self.reference].set_index("metric")["replicates"]
            fewer = fewer_replicates({titles[name]: int(own["replicates"].min()), titles[self.reference]: int(base.min())},
                                     self.replicates) if len(own) and len(base) else ""
            if fewer and said and told_fewer < len(said):  # it qualifies the outcomes, not the cost (every replicate
                # has every week's cost), unless each outcome has said already how many replicates it rests on
                said[-1] += f" ({fewer})"
            cost = t[(t["metric"] == "cost_per_released") & (t["scenario"] == name) & (t["week"] == cost_week)]
            if not cost.empty and cost["difference"].iloc[0] == cost["difference"].iloc[0]:
                c = cost.iloc[0]
                clear = clear_of_zero(c["difference"], c["diff_low"], c["diff_high"], c["replicates"])
                alone = c["diff_low"] != c["diff_low"] and c["replicates"] < 2  # one replicate: no telling
                figures = figures_apart(c["diff_low"], c["diff_high"])  # its ends told apart
                interval = ("" if c["diff_low"] != c["diff_low"] else
                            f"95% CI {amount(c['diff_low'], signed=True, figures=figures)} to "
                            f"{amount(c['diff_high'], signed=True, figures=figures)}; ")
                # over the whole run, as sim robustness and sim optimise price it, its length in the bracket
                over, length = run_parts(int(c["week"]), self.end)
                if c["difference"] == 0 and c["diff_low"] != c["diff_low"] and c["replicates"] >= 2:
                    # the same cost in every replicate, said as the outcomes say it: it read 'may cost GBP 0 more ...,
                    # within noise', where there is no noise
                    said.append(f"no difference in cost per person released {over}"
                                f"{f' ({length})' if length else ''} in any replicate (so no interval)")
                else:
                    said.append(f"{'costs' if clear else 'may cost'} "
                                f"{money_change(c['difference'], costs.currency, f' per person released {over}', figures)} "
                                f"({f'{length}; ' if length else ''}{interval}{costs.price_year} prices)"
                                + ("" if clear else ", one replicate: no interval, so no telling whether it is more "
                                   "than chance" if alone else
                                   f", {too_few_said(c['replicates'])}"
                                   if too_few_alike(c["difference"], c["diff_low"], c["replicates"]) else
                                   ", within noise"))
            week = int(own["week"].iloc[0]) if len(own) else longest(t, SINCE_RELEASE) or 0
            lines.append(f"**{titles[name]}** ({name}) against {titles[self.reference]}, within {week} weeks of release: "
                         + "; ".join(said) + ".")
        return lines

    def pairs(self, name: str, metric: str, week: int) -> int:
        """The replicates with a value of `metric` at `week` since release in both `name` and the reference: those a
        paired difference rests on (a replicate has none when nobody in it was followed that long)."""
        curves = self.runs.curves
        at = curves[curves["weeks_since_release"] == week].set_index(["scenario", "replicate"])[metric]
        return len(pd.concat([at.loc[self.reference], at.loc[name]], axis=1).dropna())

    def no_interval(self, words: str, difference: float, pairs: int, week: int) -> str:
        """An outcome with a difference and no interval in "In short", with the reason it has none: a run of one
        replicate, only one replicate with people followed to `week` since release, or the same difference in every
        replicate (``paired_difference``): that one is clear over ``IDENTICAL_PAIRS`` or more (``clear_of_zero``, as
        the cost sentence and ``sim robustness`` read it) and too few to tell from chance over fewer; the others
        tell nothing."""
        if clear_of_zero(difference, np.nan, np.nan, pairs):
            return (f"{'more' if difference > 0 else 'fewer'} {words} ({points_text(difference)}: the same difference "
                    "in every replicate, so no interval)")
        if too_few_alike(difference, np.nan, pairs):
            return f"no clear difference in {words} ({points_text(difference)}: {too_few_said(pairs)})"
        why = ("one replicate" if self.replicates == 1 else
               f"only 1 of {self.replicates} replicates has people followed {week} weeks after release in both "
               "scenarios")
        return f"{words} {points_text(difference)} (no interval: {why}, so no telling whether it is more than chance)"

    def few_followed(self) -> list[str]:
        """A caveat under "In short" when fewer than half the people released were followed to its horizon: releases
        spread over weeks, so the last weeks of a share at the run's last whole year rest on those released first."""
        t = self.table
        week = longest(t, SINCE_RELEASE) or 0
        followed = followed_share(self.runs.events["followup"], week) if week and len(self.runs.events) else 1.0
        if followed >= FEW_FOLLOWED:
            return []
        return ["", f"Only {percent(followed, 1)} of the people released were followed {week} weeks (the others were "
                "released later in the run), so the last weeks of these shares rest on them and their intervals are "
                f"wide; a run of {week} weeks plus the release window (`release.window_weeks`) follows everyone that "
                "long."]

    def changes(self, scenario: Any) -> list[str]:
        """The settings on which `scenario` differs from the reference, each in words with its key, from and to (its
        scheduled events as one)."""
        from sim.folder_lock import settings_record
        from sim.scenarios.fields import differing_keys
        from sim.scenarios.names import name_in_text

        def fired(one: Any) -> list[Any]:  # a run shortened by --weeks may end before events that differ
            return [event for event in one.events if event.week <= one.weeks]

        first = self.runs.scenarios[0]
        theirs, ours = (settings_record(s.model_dump(mode="json")) for s in (first, scenario))
        keys = differing_keys(theirs, ours, ignore=("seed",))  # the seed is the comparison's, shared by all
        said = [f"{name_in_text(key) or key} (`{key}`) {theirs.get(key)} → {ours.get(key)}" for key in keys
                if key != "events"]
        if "events" in keys:
            said.append("its scheduled events" if fired(scenario) != fired(first) else
                        f"its scheduled events, though those that differ fall after the run's last week "
                        f"({scenario.weeks}) and never fire")
        return said

    def what_differs(self) -> list[str]:
        """comparison.md's list of the settings on which each scenario differs from the reference: a scenario that
        moves three levers at once has an effect of all three together, which its title may not say."""
        lines = ["## What differs", ""]
        for scenario in self.runs.scenarios[1:]:
            said = self.changes(scenario)
            lines.append(f"- {self.named(scenario.name)}: " + ("; ".join(said) if said else "nothing but its name")
                         + (". Its effects below are those of all of these together." if len(said) > 1 else "."))
        return [*lines, ""]

    def markdown(self) -> str:
        """``comparison.md``: the answer in plain words, the headline differences with their intervals, then how to
        read them."""
        t = self.table
        names = [s.name for s in self.runs.scenarios]
        replicates, titles, reference = self.replicates, self.titles, self.titles[self.reference]
        text = [f"# Comparison against {reference}", "",
                f"Scenarios: {', '.join(map(self.named, names))}; {replicates} "
                f"{'replicate' if replicates == 1 else 'replicates'} each (replicate r of every scenario shares its seed). "
                f"Reference: **{reference}**.", "", *self.what_differs(), "## In short", "",
                *(f"- {line}" for line in self.in_short()), *self.few_followed(),
                "", IN_POINTS,
                "", "## Headline differences", ""]
        since = longest(t, SINCE_RELEASE)
        followed = followed_note(self.runs.events["followup"], since) if since else ""
        text += [followed, ""] if followed else []
        text += [f"- {line}" for line in self.headlines()]
        stigma = t[(t["metric"] == "community_stigma") & (t["week"] == longest(t, CALENDAR, ["community_stigma"]))]
        for row in stigma[stigma["scenario"] != self.reference].itertuples():
            when = run_words(row.week, self.end, moment=True)  # a level at a week, not the weeks a cost covers
            text.append(f"- {self.named(row.scenario)}: mean community stigma {when} {row.mean:.3f}"
                        f"{_ci(row.mean, row.ci_low, row.ci_high, '{:.3f}'.format)}, {row.difference:+.3f} against {reference}"
                        f"{_ci(row.difference, row.diff_low, row.diff_high, '{:+.3f}'.format, ' to ')}.")
        if self.subgroups is not None:
            text += ["", f"## By {subgroup_words(self.subgroups['by'].iloc[0]) if len(self.subgroups) else 'subgroup'}", "",
                     *(f"- {line}" for line in subgroup_lines(self.subgroups, CURVE_WORDS, replicates, titles)),
                     "", GROUPS_ALIKE]
        costs = cost_lines(t, self.cost_effectiveness, self.reference, self.runs.scenarios[0].costs.currency,
                           {s.name: s.population.released for s in self.runs.scenarios}, titles, end=self.end)
        if costs:
            priced = self.runs.scenarios[0].costs
            own = [s for s in self.runs.scenarios[1:] if s.costs != priced]
            text += ["", "## Costs", "", f"In {priced.currency} at {priced.price_year} prices (every scenario prices its "
                     f"costs in them). {COST_COUNTS} Custody-weeks are the weeks the whole simulated cohort of one run "
                     f"spends in prison before release or back in custody after it. {AVERTED_COUNTS}", "",
                     f"Unit costs{f' of {reference}' if own else ''}: {unit_costs_text(priced)}."
                     + "".join(f" {self.named(s.name)} prices with its own: {unit_costs_text(s.costs)}." for s in own)
                     + f" {PLACEHOLDERS}", "", *(f"- {line}" for line in costs)]
        text += ["", "## Questions this comparison leaves open", "", *(f"- {line}" for line in self.open_questions())]
        two_prices = TERRORISM in outcomes_to_price(self.runs.scenarios)
        text += ["", "## How to read this", "",
                 f"- {REPLICATE_MEANS}",
                 "- Shares are cumulative: the share of the released cohort with a first event within that many weeks "
                 "of release. Means and 95% intervals are across replicates.",
                 f"- Differences are scenario minus {reference} in percentage points, averaged over paired replicates "
                 "(replicate r of each scenario shares its seed). The 95% interval and p come from a paired t-test on the "
                 "replicate differences: the replicate, not the person, is the unit, so an interval that excludes 0 is a "
                 "difference the replicates support, and under no true difference that happens in about 1 comparison in 20. "
                 "With one replicate there is no interval, nor when only one replicate has people followed that long "
                 "after release, nor when a difference or a share is the same number in every replicate, 0 included (a "
                 "handful of events, or none: the t-test has nothing to stand on).",
                 "- Costs use each scenario's `costs:` unit costs (currency and price year there). The extra cost and "
                 "the offences averted are totals of one run (the simulated cohort), not of a programme: scale them by "
                 "the number of people a programme would release; offences averted are counted as the Costs section "
                 f"says. The paired mean extra "
                 f"cost and offences averted against {reference} place a scenario in one of four quadrants: it costs "
                 "more and averts offences (a price per offence averted), saves and averts (fewer offences for less, which "
                 "health economists call dominant: a saving per offence averted), costs more and causes more (more offences "
                 "for more money, dominated: an extra cost per extra offence), or saves and causes "
                 "more (a saving per extra offence). The price is the ratio of the two paired means, written in its "
                 "quadrant's terms so that it is never a negative number, with Fieller's 95% interval; an interval end "
                 "below 0 means the cost difference is not clear of 0 (it may go the other way). The price is not "
                 "estimable when the offences averted are not distinguishable from 0 (cost_effectiveness.csv: "
                 "`quadrant` for every row, `cost_per_averted` blank where not estimable)."
                 + (f" {PRICES_APART}" if two_prices else ""),  # one price, none to add
                 "- The full table is comparison.csv; the figures are in figures/ (kaplan_meier.png pools the people of all "
                 "replicates).", ""]
        return "\n".join(text)

    def open_questions(self) -> list[str]:
        """What a policy reader asks next that these figures cannot answer and another command can, with the command:
        for whom (``--by``, unless this comparison was split), which change does the work where a scenario makes
        several (``changes``), and whether the answer would change if the model's assumed sizes and prices were wrong (``sim robustness``, with its acceptability curve where there are costs).
        The report said nothing of either, though the tool answers both."""
        from sim.scenarios.loader import shipped_names

        names = [s.name for s in self.runs.scenarios]
        shipped = set(names) <= set(shipped_names())
        given = " ".join(names) if shipped else "SCENARIO..."
        same = ("" if shipped else " (the scenario files this comparison was given)") + \
            ", adding any `--seed`, `--set` or `--weeks` this comparison was run with"
        lines = []
        if self.subgroups is None:
            shares = {s.population.violent_extremist_share for s in self.runs.scenarios}
            mixed = any(0 < share < 1 for share in shares)
            lines.append("**For whom?** Every difference above is an average over the whole released cohort, and can "
                         "hide opposite effects in different groups of people. "
                         f"`sim compare {given} --replicates {self.replicates} --by risk_tier`{same}, gives each "
                         "difference within each quarter of assessed risk at release (`--by supervision_level`: within "
                         "thirds of supervision intensity"
                         + ("; `--by offence_type`: violent-extremist and general offenders apart" if mixed else "")
                         + "). Groups are smaller than the cohort, so their intervals are wider.")
        bundles = [s for s in self.runs.scenarios[1:] if len(self.changes(s)) > 1]
        if bundles:
            its = "its" if len(bundles) == 1 else "their"
            lines.append("**Which change does the work?** " + ", ".join(
                f"{self.named(s.name)} changes {len(self.changes(s))} settings at once" for s in bundles)
                + f" (What differs, above), so {its} effects are those of all of them together, and this comparison "
                "cannot say what any one of them buys. To fund one alone, compare the reference with a scenario file "
                f"that `extends: {self.reference}` and sets only that one (`sim compare {self.reference} FILE.yaml`), "
                "or vary them as the factors of an experiment file (`sim sweep`).")
        priced = not self.cost_effectiveness.empty
        lines.append("**What if the model's assumptions are wrong?** Most sizes of the model's effects"
                     + (" and most unit costs" if priced else "") + " are assumed, not measured. "
                     f"`sim robustness {given}`{same}, redraws them over their plausible ranges and says in what share "
                     "of the draws each conclusion above keeps its sign and under which assumptions it flips"
                     + ("; and, at each price a new offence averted may be worth to you, in what share of the draws "
                        "each scenario is worth its extra cost" if priced else "") + ".")
        return lines

    def save(self, directory: str | Path, *, figures: bool = True, replace: bool = False) -> Path:
        """The files of ``sim run`` plus comparison.csv, comparison.md and a Kaplan-Meier figure, atomically
        (``replace``: as ``RunResult.save``)."""
        from sim.output import out_folder, write_run

        def extra(staging: Path) -> None:
            self.table.to_csv(staging / "comparison.csv", index=False)
            self.cost_effectiveness.to_csv(staging / "cost_effectiveness.csv", index=False)
            if self.subgroups is not None:
                self.subgroups.to_csv(staging / "subgroups.csv", index=False)
            (staging / "comparison.md").write_text(self.markdown())
            if figures:
                from sim.experiments.figures import draw_kaplan_meier

                draw_kaplan_meier(self.runs.events, self.runs.scenarios,
                                  min(s.weeks for s in self.runs.scenarios), staging / "figures")

        return write_run(self.runs, out_folder(directory, "directory"), figures=figures, extra=extra, replace=replace)


def fewer_replicates(counts: Mapping[str, int], replicates: int) -> str:
    """How many of the run's `replicates` a sentence's values rest on, per arm (`counts`), when some rest on
    fewer; '' when every replicate counts.

    A replicate has no value at a horizon when it has nobody left at risk that long after release (people
    released late in the window are followed for less long): the mean is then over the others only.
    """
    if all(count >= replicates for count in counts.values()):
        return ""
    why = "the others have nobody left at risk this long after release"
    shared = set(counts.values())
    if shared == {0}:
        return NOBODY_AT_RISK
    if len(shared) == 1:
        return f"from {shared.pop()} of {replicates} replicates: {why}"
    (name, count), *rest = counts.items()
    each = [f"{count} of {replicates} replicates in {name}", *(f"{c} of {replicates} in {n}" for n, c in rest)]
    return f"from {' and '.join(each)}: {why}"


def pair_decimals(value: float, reference: float, difference: float, most: int = 3) -> int:
    """The decimals (of a percent) a share and the reference's share are written to when their `difference` follows
    them in points (``points_text``): one, or more until what a reader subtracts from the two as written agrees with
    the difference as written (``sim.money.agrees``), up to `most`. '6.3% vs 4.8% ...: +1.4 points' (6.28% and 4.84%)
    read 1.5 apart; at two decimals it reads '6.28% vs 4.84%'."""
    return shared_decimals([(value, reference, difference)], most)


def shared_decimals(pairs: list[tuple[float, float, float]], most: int = 3) -> int:
    """``pair_decimals`` of several (share, reference's share, difference) at once: the fewest decimals at which each
    pair agrees with its difference, so that lines setting several scenarios beside one reference write it alike
    (Baseline's recall read '15.75%' in one line and '15.8%' in the next)."""
    checks = []  # each pair's shares, and its difference as written with half its last decimal
    for value, reference, difference in pairs:
        if value == value and reference == reference and difference == difference:
            shown = points_text(difference, sign=False)
            checks.append((value, reference, float(shown.replace(",", "")), 0.5 * 10.0 ** -len(shown.partition(".")[2])))
    return next((decimals for decimals in range(1, most + 1)
                 if all(agrees(rounded(100 * v, decimals) - rounded(100 * r, decimals), shown, half)
                        for v, r, shown, half in checks)), most)


def points_text(value: float, sign: bool = True) -> str:
    """A difference of shares in percentage points ('+1.2 points'; without `sign`, '+1.2' alone, as an interval's end),
    written as its unit writes it (``Unit.text``): one that is 0 as written, such as -1e-19 from rounding in the mean,
    reads '0.0 points' without a sign. Every difference in points the product writes goes through here."""
    if value != value:
        return "n/a"
    shown = COHORT_SHARE.text(value, signed=True)
    return f"{shown} points" if sign else shown


def _ci(value: float, low: float, high: float, form, between: str = "-", why: str = "") -> str:
    """' (95% CI low-high)', or when there is none (one replicate, the same difference in every replicate) ' (`why`)',
    nothing without a `why`; a mean the same in every replicate (``zero_width``) says so rather than show '0.0%-0.0%';
    an interval cut at what is possible (``cut_short``) says so."""
    if low != low or high != high:
        return f" ({why})" if why and value == value else ""
    if zero_width(low, high):
        return f" ({SAME_IN_EVERY})"
    return f" (95% CI {form(low)}{between}{form(high)}{cut_said(value, low, high, '; ')})"


def _p(value: float) -> str:
    if value != value:
        return ""
    return ", paired t p < 0.001" if value < 0.001 else f", paired t p = {value:.3f}"


def require_reference_and_others(sources: list[Any]) -> None:
    """A comparison (or its robustness analysis) needs a reference and at least one scenario to set against it."""
    if len(sources) < 2:
        raise InputError("needs at least two scenarios: the reference first, then those compared with it",
                         key="scenarios")


def require_one_currency(settings: list[Any], sources: list[Any]) -> None:
    """Costs are compared by subtraction: every scenario must price them in the reference's currency and price year
    (otherwise a EUR total minus a GBP total would be written as GBP)."""
    reference = settings[0].costs
    for scenario, source in zip(settings[1:], sources[1:], strict=True):
        own = scenario.costs
        if (own.currency, own.price_year) != (reference.currency, reference.price_year):
            raise InputError(
                f"{scenario.name} prices its costs in {own.currency} at {own.price_year} prices, the reference "
                f"{settings[0].name} in {reference.currency} at {reference.price_year} prices: their difference "
                "would mix the two",
                file=source if isinstance(source, str | Path) and Path(str(source)).suffix else None,
                key="costs.currency", expected=f"{reference.currency} at {reference.price_year} prices, as in the "
                "reference: convert the unit costs and set costs.currency and costs.price_year alike")


def compare(
    scenarios: Iterable[Any],
    *,
    replicates: int,
    seed: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    weeks: int | None = None,
    progress: bool = False,
    by: str | None = None,
    out: Path | None = None,
) -> Comparison:
    """Run `scenarios` (the first is the reference) with paired replicates and compare them (also by subgroup `by`);
    `out`: where the comparison will be written, whose disk must hold it (``sim.runner.run``)."""
    if by is not None:
        check_subgroup(by)
    sources = as_list(scenarios)
    require_reference_and_others(sources)
    settings = [load_scenario(source, overrides, weeks=weeks) for source in sources]  # as `sim run`: one set of checks
    require_distinct_names(settings, sources)  # named as given: run() sees them loaded
    require_one_currency(settings, sources)
    # every scenario on the reference's root seed (unless --seed): replicate r of each then shares its seed, as the
    # paired differences assume, even when a scenario's file sets a seed of its own. The root goes in as each
    # scenario's own seed, as `sim run` takes a file's: run(seed=...) is --seed, whose range is narrower
    # (sim.streams.MAX_SEED), and would refuse a valid file seed under an option never given
    check_seed(seed)
    root = settings[0].seed if seed is None else seed
    shared = [scenario.model_copy(update={"seed": root}) for scenario in settings]
    result = run(shared, replicates=replicates, progress=progress, out=out)
    return Comparison(result, root, by=by)
