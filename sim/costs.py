"""Costs: what a run records (custody, recalls, offences, contacts, NGO places, levers) priced with the scenario's unit costs.

Costs are read off the weekly timeseries, never computed inside the model, so pricing cannot change
behaviour and a scenario can be re-priced without re-running it. Week ``t``'s row prices that week's
state (people in custody, places offered, contacts, lever levels) and the recalls and offences that
happened during it; week 0 is the state before the first step and costs nothing.

In comparisons (``cost_rows``) each replicate of a scenario is paired with the reference's replicate of
the same seed: comparison.csv gets cost to date, cost per person released and custody-weeks with paired
differences. Cost per offence averted (``cost_effectiveness``) is the ratio of two paired mean differences
(extra cost over offences averted); its 95% interval is Fieller's, which exists only when the offences
averted are distinguishable from 0: otherwise the ratio is *not estimable* and neither it nor an interval
is given. The signs of the two differences put a scenario in a quadrant of the cost-effectiveness plane
(``quadrant``), and the words name it, so that a negative ratio is never read as a price.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.cost_columns import COMPONENTS, COST_COLUMNS
from sim.curves import commits_terrorism, terrorism_settings
from sim.money import figures_apart, money, pair_figures, readable, signed_money
from sim.scenarios.cost_parameters import Costs
from sim.scenarios.schema import Scenario
from sim.scenarios.settings import LEVERS
from sim.scenarios.timed_events import PolicyChange
from sim.stats import cut_said, fieller, interval, paired_difference

if TYPE_CHECKING:
    from sim.runner import RunResult

SHIPPED_CURRENCY = Costs.model_fields["currency"].default
"""The currency of the shipped prices and of their plausible ranges (GBP): scenarios in another keep their own prices."""
OFFENCES, TERRORISM = "offences", "terrorism_offences"
"""The outcomes a price is per (the ``outcome`` of cost_effectiveness.csv and of ``sim robustness``'s
acceptability.csv): every new offence, terrorism ones included, or terrorism offences alone. This module owns them and
their words (``ONE``, ``MANY``, ``COUNTED``), so that ``sim compare``, ``sim robustness`` and the report name one price
alike."""
OUTCOMES = (OFFENCES, TERRORISM)
TOTAL_OF = {OFFENCES: "offences_total", TERRORISM: "terrorism_offences_total"}
"""The weekly series' running count of each outcome (``sim.outcomes``), which a run's cost is set against."""
ONE = {OFFENCES: "new offence", TERRORISM: "terrorism offence"}
"""What a price is per, wherever one is given: 'GBP 52,000 per new offence averted', '... per terrorism offence
averted' (never a bare 'per offence', which would not say which of the two it is)."""
MANY = {outcome: f"{one}s" for outcome, one in ONE.items()}
"""Each outcome counted: 'averts 3.2 new offences'."""
COUNTED = {**MANY, OFFENCES: f"{MANY[OFFENCES]} of any kind"}
"""Each outcome where a table's column says what is counted: beside the row of terrorism offences alone, the new
offences' row says that it counts those too."""
WORDS = {
    "cost_total": "cost to date", "cost_per_released": "cost per person released", "custody_weeks": "custody-weeks",
    **MANY,
}


def lever_levels(settings: Scenario, weeks: Iterable[int]) -> pd.DataFrame:
    """The ten cooperation levers' levels in each week: the scenario's, changed by its policy_change events."""
    weeks = np.asarray(list(weeks))
    levels = pd.DataFrame({lever: float(getattr(settings.cooperation, lever)) for lever in LEVERS}, index=weeks)
    for event in sorted((e for e in settings.events if isinstance(e, PolicyChange)), key=lambda e: e.week):
        for key, value in event.set.items():
            section, _, lever = key.replace("__", ".").partition(".")
            if section == "cooperation" and lever in LEVERS:
                levels.loc[weeks >= event.week, lever] = float(value)
    return levels


def weekly_costs(timeseries: pd.DataFrame, settings: Scenario) -> pd.DataFrame:
    """Cost components per week of one run (whole currency units), their sum and its running total."""
    unit = settings.costs
    series = timeseries.sort_values("week")
    custody = series["in_prison"] + series["in_custody"]
    new_recalls = series["recalls_total"].diff().fillna(0)
    new_offences = series["offences_total"].diff().fillna(0)
    contacts = series["probation_contacts"] if "probation_contacts" in series else 0
    lever_rates = np.array([getattr(unit.levers, lever) for lever in LEVERS])
    lever_week = lever_levels(settings, series["week"]).to_numpy() @ lever_rates * settings.population.released
    started = (series["week"] > 0).to_numpy()
    parts = {
        "cost_custody": custody * unit.custody_week,
        "cost_recalls": new_recalls * unit.recall,
        "cost_courts": new_offences * unit.court_case,
        "cost_probation": contacts * unit.probation_contact,
        "cost_ngo": series["ngo_places"] * unit.ngo_place_week,
        "cost_levers": pd.Series(lever_week, index=series.index),
    }
    frame = pd.DataFrame({name: np.where(started, np.round(values), 0).astype(np.int64) for name, values in parts.items()},
                         index=series.index)
    frame["cost_week"] = frame[list(COMPONENTS)].sum(axis=1)
    frame["cost_cumulative"] = frame["cost_week"].cumsum()
    return frame.reindex(timeseries.index)


def with_costs(timeseries: pd.DataFrame, settings: Scenario) -> pd.DataFrame:
    """One run's timeseries with its cost columns (``COST_COLUMNS``) appended."""
    return pd.concat([timeseries.drop(columns=[c for c in COST_COLUMNS if c in timeseries]),
                      weekly_costs(timeseries, settings)], axis=1)


def run_totals(timeseries: pd.DataFrame) -> dict[str, float]:
    """One run's totals over its whole horizon: cost, custody-weeks and people released (what a sweep row keeps)."""
    started = timeseries[timeseries["week"] > 0]
    last = timeseries.loc[timeseries["week"].idxmax()]
    released = int(timeseries.loc[timeseries["week"].idxmin(), "in_prison"]) - int(last["in_prison"])
    return {"cost_total": float(started["cost_week"].sum()) if "cost_week" in started else float("nan"),
            "custody_weeks": float(custody_weeks(started)), "released": float(released)}


def custody_weeks(series: pd.DataFrame) -> int:
    """Person-weeks in prison or back in custody over the weeks of `series`."""
    return int((series["in_prison"] + series["in_custody"]).sum())


def per_replicate(result: RunResult, horizon: int) -> pd.DataFrame:
    """Per scenario and replicate, up to week `horizon`: total cost, people released, custody-weeks, offences."""
    series = result.timeseries[result.timeseries["week"] <= horizon]
    grouped = series.groupby(["scenario", "replicate"], sort=False)
    frame = pd.DataFrame({
        "cost_total": grouped["cost_week"].sum(),
        "custody_weeks": grouped.apply(lambda g: custody_weeks(g[g["week"] > 0]), include_groups=False),
        OFFENCES: grouped[TOTAL_OF[OFFENCES]].last(),
    })
    if TOTAL_OF[TERRORISM] in series:
        frame[TERRORISM] = grouped[TOTAL_OF[TERRORISM]].last()
    released = (result.events["release_week"] <= horizon).groupby([result.events["scenario"], result.events["replicate"]]).sum()
    frame["released"] = released.reindex(frame.index)
    frame["cost_per_released"] = cost_per_released(frame)
    return frame


def cost_per_released(rows: pd.DataFrame) -> pd.Series:
    """Each row's cost (``cost_total``) per person released in it (``released``), none where nobody was: the one
    reading of the cost per person that a comparison, a robustness draw and an optimisation's budget share."""
    return rows["cost_total"] / rows["released"].where(rows["released"] > 0)


def cost_rows(result: RunResult, horizons: Iterable[int], names: list[str], reference: str) -> list[tuple]:
    """Rows in the layout of comparison.csv: cost to date, cost per person released and custody-weeks, with paired differences."""
    if "cost_week" not in result.timeseries:
        return []
    rows = []
    for horizon in horizons:
        table = per_replicate(result, horizon)
        base = table.loc[reference]
        for name in names:
            own = table.loc[name]
            for metric in ("cost_total", "cost_per_released", "custody_weeks"):
                diff = ((0.0, 0.0, 0.0, np.nan) if name == reference else
                        paired_difference(base[metric], own[metric], floor=0.0))
                rows.append((name, reference, metric, "week", horizon, int(own[metric].notna().sum()),
                             *interval(own[metric], floor=0.0), *diff))
    return rows


AVERTED_COUNTS = ("Offences averted count every offence the cohort commits from the start of the run to that week "
                  "of the run, repeat offences included, not the share with a first offence within so many weeks of "
                  "release that the headline gives: the two answer different questions and can differ, even in sign.")
"""What an offence averted is, said beside every price per offence averted (comparison.md, the report)."""
PRICES_APART = (f"The price per {ONE[OFFENCES]} and the price per {ONE[TERRORISM]} each set the whole extra cost against "
                "one kind of offence: the same money averts both, so they are not to be added.")
"""Why the two prices of one comparison are not summed, said beside them (comparison.md, the report)."""

COST_COUNTS = ("A cost is what is spent on the cohort within the run: custody before release and after it, recalls, a "
               "court case for each new offence, probation contacts, NGO places (funded, filled or not) and the levers' "
               "running costs. It leaves out what offences cost their victims and the community, and anything spent "
               "after the run ends: weigh a price per offence averted against what an offence averted is worth to you, "
               "the harm it spares included.")
"""What a cost sums and what it leaves out, said in comparison.md's Costs section: 'costs GBP 9,500 more' could be
read as the whole cost of a policy to society, harm to victims included, which no run records."""
RATIO_COLUMNS = ["scenario", "reference", "outcome", "week", "replicates", "extra_cost", "averted", "averted_low",
                 "averted_high", "cost_per_averted", "ci_low", "ci_high", "estimable", "quadrant"]
# The quadrants of the cost-effectiveness plane, by the signs of the paired mean extra cost and offences averted.
COSTS_MORE_AVERTS, DOMINANT, DOMINATED, SAVES_CAUSES_MORE = "costs_more_averts", "dominant", "dominated", "saves_causes_more"
SAME_OFFENCES = "same_offences"  # as many offences on average as the reference: no quadrant


def quadrant(extra_cost: float, averted: float) -> str:
    """Where a scenario sits against the reference on the cost-effectiveness plane (point estimates): it costs
    more and averts offences, saves and averts (dominant), costs more and causes more (dominated), or saves and
    causes more. The ratio alone cannot tell dominant from dominated: both are negative. Empty if either is unknown."""
    if extra_cost != extra_cost or averted != averted:
        return ""
    if averted > 0:
        return COSTS_MORE_AVERTS if extra_cost > 0 else DOMINANT
    if averted < 0:
        return SAVES_CAUSES_MORE if extra_cost < 0 else DOMINATED
    return SAME_OFFENCES


def outcomes_to_price(scenarios: Iterable[Scenario]) -> list[str]:
    """What a price is set per: new offences, and terrorism offences where a compared cohort can commit them
    (``sim.curves.commits_terrorism``: violent-extremist people, or general offenders whose profile gives terrorism a
    chance). Else there are none, and the price per terrorism offence averted was 'not estimable (... one replicate,
    or the same number in every replicate)', a reason more replicates would seem to cure; ``sim robustness`` draws its
    curve per terrorism offence averted by the same rule, applied to its nominal scenarios."""
    possible = commits_terrorism(terrorism_settings(scenario) for scenario in scenarios)
    return [OFFENCES, TERRORISM] if possible else [OFFENCES]


def cost_effectiveness(result: RunResult, horizons: Iterable[int], names: list[str], reference: str) -> pd.DataFrame:
    """``cost_effectiveness.csv``: per scenario and horizon, extra cost over offences averted against the reference
    (per outcome of ``outcomes_to_price``).

    ``averted`` is the paired mean of reference offences minus the scenario's (with its t interval);
    ``cost_per_averted`` the ratio of the paired means with Fieller's interval (``price_per_offence_averted``),
    blank where not estimable; ``quadrant`` says how to read its sign (``quadrant``).
    """
    rows = []
    if "cost_week" in result.timeseries:
        for horizon in horizons:
            table = per_replicate(result, horizon)
            base = table.loc[reference].add_suffix("_ref")
            outcomes = [o for o in outcomes_to_price(result.scenarios) if o in table]
            for name in (n for n in names if n != reference):
                pairs = table.loc[name].join(base, how="inner")
                extra_cost = pairs["cost_total"] - pairs["cost_total_ref"]
                rows += [ratio_row(name, reference, outcome, horizon, extra_cost, pairs[outcome], pairs[f"{outcome}_ref"])
                         for outcome in outcomes]
    return pd.DataFrame(rows, columns=RATIO_COLUMNS)


def ratio_row(name: str, reference: str, outcome: str, horizon: int, extra_cost: pd.Series, offences: pd.Series,
              reference_offences: pd.Series) -> tuple:
    """One row of ``cost_effectiveness.csv`` (``RATIO_COLUMNS``) from paired replicates of one scenario and horizon."""
    price = price_per_offence_averted(extra_cost, offences, reference_offences)
    mean_cost = float(extra_cost.mean())
    return (name, reference, outcome, horizon, len(extra_cost), mean_cost, *price, quadrant(mean_cost, price[0]))


def price_per_offence_averted(extra_cost: pd.Series, offences: pd.Series, reference_offences: pd.Series
                              ) -> tuple[float, float, float, float, float, float, bool]:
    """Offences averted (mean, 95% interval) and the extra cost per offence averted (ratio, Fieller's interval,
    estimable), from paired replicates.

    Not estimable (no ratio and no interval: a ratio over a count not shown to differ from 0 is no price) when
    the offences averted have no interval that excludes 0: it includes 0 (no offence is shown to be averted), or
    there is none, because fewer than two replicates pair up or the same
    number is averted in every one (``paired_difference`` gives such a count no interval, and a price per
    offence should not claim a certainty the count does not have).
    """
    averted, low, high, _ = paired_difference(offences, reference_offences, floor=0.0)  # the reference's count >= 0
    ratio, r_low, r_high, estimable = fieller(extra_cost.to_numpy(dtype=float),
                                              (reference_offences - offences).to_numpy(dtype=float))
    if np.isnan(low) or not estimable:
        ratio, r_low, r_high, estimable = np.nan, np.nan, np.nan, False
    return averted, low, high, ratio, r_low, r_high, estimable


UNIT_COSTS = {"custody_week": "custody", "recall": "recall", "probation_contact": "probation contact",
              "ngo_place_week": "NGO place", "court_case": "court case"}
PLACEHOLDERS = ("Assumed figures are placeholders of the right order, not estimates: replace them with your programme's "
                "costs before quoting a result.")


def unit_cost_origin(info, value, currency: str, *, full: bool = False) -> str:
    """Where a unit cost (a ``costs.*`` field, ``info``) priced at ``value`` in ``currency`` comes from: set for the
    scenario when it differs from the shipped value (with that value and whether it is assumed), the shipped value
    left unconverted in another currency, "assumed", or its published source (``full``: the whole source text, for a
    table; else its first clause, for a sentence)."""
    from sim.scenarios.fields import is_assumed, metadata

    extra = metadata(info)
    source = " ".join(str(extra.get("source", "")).split())
    if value != info.default:
        return (f"set for this run; shipped {SHIPPED_CURRENCY} {readable(info.default)}, "
                f"{'assumed' if is_assumed(info) else 'published'}")
    if currency != SHIPPED_CURRENCY:
        return f"the {SHIPPED_CURRENCY} default, not converted"
    if full:
        return source
    return "assumed" if is_assumed(info) else source.split(":")[0]


def unit_costs_text(costs) -> str:
    """The unit costs a result is priced with, each with where it comes from (``unit_cost_origin``): currency and year
    alone do not tell a reader that most prices are placeholders."""
    said = []
    for name, words in UNIT_COSTS.items():
        info, value = type(costs).model_fields[name], getattr(costs, name)
        unit = str(info.json_schema_extra["unit"]).split(" ", 1)[1]  # 'GBP per recall': the currency is the scenario's
        said.append(f"{words} {money(value, costs.currency, exact=True)} {unit} "  # as set: a price, not an estimate
                    f"({unit_cost_origin(info, value, costs.currency)})")
    levers = costs.levers
    own = [name for name, info in type(levers).model_fields.items() if getattr(levers, name) != info.default]
    rates = [getattr(levers, name) for name in LEVERS]
    said.append(f"the cooperation levers {costs.currency} {min(rates):g} to {max(rates):g} per released person a "
                "week at full level (" + (f"{', '.join(own)} set for this run, the others " if own else "")
                + (f"the {SHIPPED_CURRENCY} defaults, not converted" if costs.currency != SHIPPED_CURRENCY else "assumed")
                + ")")
    return "; ".join(said)


def run_parts(week: int, end: int | None, *, moment: bool = False) -> tuple[str, str]:
    """A week of the run in words, and what a bracket after them adds ('' for nothing), so that a sentence with a
    bracket of its own can put it there: the weeks a cost or a count of offences covers from the start of the run,
    ('over the run', '182 weeks') when `week` is the run's last (`end`, None when not known), else ('to week 156', '');
    with `moment`, the week a level (community stigma) is read at, ('at the end of the run', 'week 182'), else
    ('at week 156', ''). comparison.md's cost sentences (``cost_lines``), its In short and its stigma line all say it
    here, so that a figure for the whole run is said one way, and only when it is the whole run."""
    if week != end:
        return (f"at week {week}" if moment else f"to week {week}"), ""
    return ("at the end of the run", f"week {week}") if moment else ("over the run", f"{week} weeks")


def run_words(week: int, end: int | None, *, moment: bool = False) -> str:
    """``run_parts`` as one phrase: 'over the run (182 weeks)', 'to week 156'; with `moment`, 'at the end of the run
    (week 182)', 'at week 156'."""
    when, which = run_parts(week, end, moment=moment)
    return f"{when} ({which})" if which else when


def cost_lines(table: pd.DataFrame, ratios: pd.DataFrame, reference: str, currency: str = "GBP",
               cohorts: dict[str, int] | None = None, titles: dict[str, str] | None = None,
               end: int | None = None) -> list[str]:
    """Sentences for comparison.md at the cost rows' last week (the run's end, as ``sim compare`` reads them: the whole
    run's cost, as ``sim robustness`` gives it): cost per person released, custody-weeks, and for each kind of
    offence the cost and offences against the reference with the price in their quadrant's terms (``ratio_text``).
    That week is said 'over the run (N weeks)' when it is the run's last week (`end`), else 'to week N'.

    The extra cost and offences averted are totals of one run, so each sentence names the run's cohort (`cohorts`:
    people per scenario, ``population.released``): without it a reader takes them for a whole programme's totals.
    Scenarios are named by their `titles` (name -> title, as ``sim.figures.titles`` gives them), with the name at
    first mention.
    """
    from sim.figures import titled

    titles = titles or {}
    rows = table[table["metric"].isin(("cost_total", "cost_per_released", "custody_weeks"))]
    if rows.empty:
        return []
    last = rows[rows["week"] == rows["week"].max()]
    lines = []
    for name, own in last[last["scenario"] != reference].groupby("scenario", sort=False):
        row = own.set_index("metric")
        ref = last[last["scenario"] == reference].set_index("metric")
        week = int(own["week"].iloc[0])
        title, base = titled(titles, name), titles.get(reference, reference)
        when = run_words(week, end)
        pair = pair_figures(row.at['cost_per_released', 'mean'], ref.at['cost_per_released', 'mean'],
                            row.at['cost_per_released', 'difference'], _figures(row, 'cost_per_released'))
        lines.append(
            f"{title}: cost per person released {when} {money(row.at['cost_per_released', 'mean'], currency, figures=pair)}"
            f" vs {money(ref.at['cost_per_released', 'mean'], currency, figures=pair)} in {base} "
            f"({signed_money(row.at['cost_per_released', 'difference'], currency, _figures(row, 'cost_per_released'))}"
            f"{_range(row, 'cost_per_released', currency)}); "
            f"custody-weeks {row.at['custody_weeks', 'mean']:,.0f} vs {ref.at['custody_weeks', 'mean']:,.0f} "
            f"({row.at['custody_weeks', 'difference']:+,.0f}{_range(row, 'custody_weeks')})."
        )
        own_ratios = ratios[(ratios["scenario"] == name) & (ratios["week"] == week)]
        for ratio in own_ratios.itertuples():
            lines.append(f"{title} against {base} {when}{_cohort(cohorts, name, reference, titles)}: "
                         f"{ratio_text(ratio, currency)}.")
    return lines


def ratio_text(row, currency: str = "GBP") -> str:
    """A cost-effectiveness row in words, by its quadrant: what the scenario costs or saves, the offences it averts
    or causes, then the price in that quadrant's terms (never a negative number standing for a saving or a harm)
    with Fieller's interval, or why it is not estimable."""
    spent, offences, price = ratio_parts(row, currency)
    return f"{spent} and {offences}; {price}"


def ratio_parts(row, currency: str = "GBP") -> tuple[str, str, str]:
    """``ratio_text`` in its three parts (what the scenario costs or saves, the offences it averts or causes, the price
    or why there is none), so that a table can give each its column and say what the sentence says."""
    what = WORDS[row.outcome]
    spent = f"costs {money(row.extra_cost, currency)} more" if row.extra_cost >= 0 else f"saves {money(-row.extra_cost, currency)}"
    known = row.averted_low == row.averted_low
    cut = cut_said(row.averted, row.averted_low, row.averted_high)  # not "; ", which would part the sentence
    if row.averted >= 0:
        offences = f"averts {row.averted:.1f} {what}" + (f" (95% CI {row.averted_low:.1f} to {row.averted_high:.1f}{cut})" if known else "")
    else:
        offences = f"causes {-row.averted:.1f} more {what}" + (
            f" (95% CI {-row.averted_high:.1f} to {-row.averted_low:.1f}{cut})" if known else "")
    if not row.estimable:
        why = f"the interval of the {what} averted includes 0" if known \
            else f"the {what} averted have no interval: one replicate, or the same number in every replicate"
        return spent, offences, f"price per {ONE[row.outcome]} averted not estimable ({why})"
    ratio, low, high = row.cost_per_averted, row.ci_low, row.ci_high
    if row.quadrant in (DOMINANT, DOMINATED):  # a negative ratio: turn it round so that the words carry the sign
        ratio, low, high = -ratio, -high, -low
    interval = f" (95% Fieller interval {_amount(low, currency)} to {_amount(high, currency)})"
    one = ONE[row.outcome]  # a price per terrorism offence is not one per offence of any kind
    price = {COSTS_MORE_AVERTS: f"{money(ratio, currency)} per {one} averted",
             DOMINANT: f"fewer offences for less: saves {money(ratio, currency)} per {one} averted",
             DOMINATED: f"more offences for more money: {money(ratio, currency)} more per extra {one}",
             SAVES_CAUSES_MORE: f"saves {money(ratio, currency)} per extra {one}"}[row.quadrant]
    return spent, offences, f"{price}{interval}"


def _cohort(cohorts: dict[str, int] | None, name: str, reference: str, titles: dict[str, str]) -> str:
    """', for one run's cohort of N people' (both sizes when the two scenarios' cohorts differ); '' if unknown."""
    if not cohorts or name not in cohorts or reference not in cohorts:
        return ""
    if cohorts[name] == cohorts[reference]:
        return f", for one run's cohort of {cohorts[name]:,} people"
    return (f", for one run's cohorts of {cohorts[name]:,} people ({titles.get(name, name)}) and {cohorts[reference]:,} "
            f"({titles.get(reference, reference)})")


def _amount(value: float, currency: str) -> str:
    """An interval end of a price: below 0 when the cost difference is not clear of 0 (it may go the other way)."""
    return f"-{money(-value, currency)}" if value < 0 else money(value, currency)


def _figures(row: pd.DataFrame, metric: str) -> int:
    """The significant figures a money difference and its interval are written to (``sim.money.figures_apart``)."""
    return figures_apart(row.at[metric, "diff_low"], row.at[metric, "diff_high"])


def _range(row: pd.DataFrame, metric: str, currency: str | None = None) -> str:
    low, high = row.at[metric, "diff_low"], row.at[metric, "diff_high"]
    if low != low:
        return ""
    form = (lambda v: signed_money(v, currency, _figures(row, metric))) if currency else (lambda v: f"{v:+,.0f}")
    cut = cut_said(row.at[metric, "difference"], low, high, "; ")
    return f", 95% CI {form(low)} to {form(high)}{cut}"
