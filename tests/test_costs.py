"""Costs: unit costs price what a run records; comparisons give cost per person released and per offence averted."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from sim.costs import RATIO_COLUMNS, cost_lines, ratio_row, ratio_text, run_parts, run_words, weekly_costs
from sim.experiments.comparison import compare
from sim.runner import run
from sim.scenarios import load_scenario
from sim.stats import fieller

SMALL = {"population.released": 60, "population.community": 300}


@pytest.fixture(scope="module")
def baseline_run():
    return run("baseline", replicates=1, overrides=SMALL, weeks=30)


@pytest.fixture(scope="module")
def offending_run():
    """General offenders: new offences (so court cases) within 30 weeks, which the baseline cohort has none of."""
    return run("general_offenders", replicates=1, overrides=SMALL, weeks=30)


def test_timeseries_carries_weekly_costs_that_add_up(baseline_run):
    series = baseline_run.timeseries
    parts = ["cost_custody", "cost_recalls", "cost_courts", "cost_probation", "cost_ngo", "cost_levers"]
    assert (series[parts].sum(axis=1) == series["cost_week"]).all()
    assert (series["cost_week"].cumsum() == series["cost_cumulative"]).all()
    assert series.loc[series["week"] == 0, "cost_week"].item() == 0
    assert (series.loc[series["week"] > 0, "cost_custody"] > 0).any()


@pytest.mark.parametrize(("key", "column"), [("custody_week", "cost_custody"), ("ngo_place_week", "cost_ngo"),
                                             ("probation_contact", "cost_probation"), ("court_case", "cost_courts")])
def test_doubling_a_unit_cost_doubles_its_component_only(offending_run, key, column):
    offending = offending_run
    settings = offending.scenarios[0]
    unit = getattr(settings.costs, key)
    doubled = load_scenario(settings, {f"costs.{key}": 2 * unit})
    once = weekly_costs(offending.timeseries, settings)
    twice = weekly_costs(offending.timeseries, doubled)
    assert (once[column] > 0).any(), f"{column} is 0 every week: doubling it shows nothing"
    assert (twice[column] == 2 * once[column]).all()
    others = [c for c in once.columns if c.startswith("cost_") and c not in (column, "cost_week", "cost_cumulative")]
    assert (twice[others] == once[others]).all().all()


def test_lever_costs_follow_policy_changes(baseline_run):
    settings = load_scenario(baseline_run.scenarios[0], {
        "events": [{"kind": "policy_change", "week": 10, "set": {"cooperation.reintegration_support": 1.0}}]})
    costs = weekly_costs(baseline_run.timeseries, settings)
    weeks = baseline_run.timeseries["week"]
    assert costs.loc[weeks == 12, "cost_levers"].item() > costs.loc[weeks == 5, "cost_levers"].item()


def test_a_scenario_with_more_custody_costs_more():
    comparison = compare(["baseline", "strict_supervision"], replicates=2, overrides={
        **SMALL, "release.recall_term_weeks": 52}, weeks=52)
    table = comparison.table.set_index(["scenario", "metric", "week"])
    strict = table.loc[("strict_supervision", "custody_weeks", 52)]
    assert strict["difference"] > 0
    assert table.loc[("strict_supervision", "cost_per_released", 52), "difference"] > 0


def test_cost_per_offence_averted_not_estimable_when_the_offences_averted_interval_spans_zero():
    rng = np.random.default_rng(1)
    extra_cost = rng.normal(1e5, 1e4, 10)
    spans_zero = rng.normal(0.0, 3.0, 10)
    ratio, low, high, estimable = fieller(extra_cost, spans_zero)
    assert not estimable and np.isnan(low) and np.isnan(high)
    clear = rng.normal(10.0, 1.0, 10)
    ratio, low, high, estimable = fieller(extra_cost, clear)
    assert estimable and low < ratio < high
    assert low < 1e4 < high


def test_a_price_per_offence_averted_claims_no_more_certainty_than_the_offences_averted():
    """The same offence averted in every replicate has no interval (paired_difference), so neither has its price."""
    from sim.costs import price_per_offence_averted

    cost = pd.Series([1000.0, 1200.0, 900.0, 1100.0])
    reference = pd.Series([5.0, 7.0, 6.0, 4.0])
    averted, low, high, ratio, r_low, r_high, estimable = price_per_offence_averted(cost, reference - 1, reference)
    assert averted == 1 and np.isnan(low) and np.isnan(high)
    assert not estimable and np.isnan(ratio) and np.isnan(r_low) and np.isnan(r_high)  # no price, not even a point
    varied = reference - pd.Series([3.0, 4.0, 3.0, 5.0])  # averted 3, 4, 3, 5: an interval clear of 0
    averted, low, high, ratio, r_low, r_high, estimable = price_per_offence_averted(cost, varied, reference)
    assert 0 < low < averted == 3.75 < high and estimable and r_low < ratio == 1050 / 3.75 < r_high


def test_comparison_says_not_estimable_in_words():
    table = pd.DataFrame([
        ("b", "a", "cost_per_released", "week", 52, 3, 100.0, 90, 110, 10.0, 5.0, 15.0, 0.01),
        ("a", "a", "cost_per_released", "week", 52, 3, 90.0, 80, 100, 0.0, 0.0, 0.0, np.nan),
        ("b", "a", "custody_weeks", "week", 52, 3, 10.0, 9, 11, 1.0, 0.5, 1.5, 0.01),
        ("a", "a", "custody_weeks", "week", 52, 3, 9.0, 8, 10, 0.0, 0.0, 0.0, np.nan),
    ], columns=["scenario", "reference", "metric", "clock", "week", "replicates", "mean", "ci_low", "ci_high",
                "difference", "diff_low", "diff_high", "paired_p"])
    ratios = pd.DataFrame([("b", "a", "offences", 52, 3, 1e5, 1.0, -2.0, 4.0, np.nan, np.nan, np.nan, False,
                            "costs_more_averts")], columns=RATIO_COLUMNS)
    text = " ".join(cost_lines(table, ratios, "a", cohorts={"a": 150, "b": 150}))
    assert "cost per person released to week 52 GBP 100 vs GBP 90" in text
    # the extra cost and offences are one run's totals: the sentence names the cohort they are for
    assert "b against a to week 52, for one run's cohort of 150 people: costs GBP 100,000 more and averts 1.0" in text
    assert "price per new offence averted not estimable (the interval of the new offences averted includes 0)" in text


def test_a_terrorism_price_not_estimable_names_the_terrorism_offences_never_a_bare_offence():
    """'price per offence not estimable' beside the terrorism offences averted read as if the price per new offence of
    any kind, given in the sentence before, were not estimable either (``sim.costs.ONE``: never a bare 'per offence')."""
    row = pd.DataFrame([("b", "a", "terrorism_offences", 52, 3, 1e5, 1.0, -2.0, 4.0, np.nan, np.nan, np.nan, False,
                         "costs_more_averts")], columns=RATIO_COLUMNS).iloc[0]
    assert ratio_text(row) == ("costs GBP 100,000 more and averts 1.0 terrorism offences (95% CI -2.0 to 4.0); price per "
                               "terrorism offence averted not estimable (the interval of the terrorism offences averted "
                               "includes 0)")


@pytest.mark.parametrize(("week", "moment", "parts"), [
    (182, False, ("over the run", "182 weeks")), (156, False, ("to week 156", "")),
    (182, True, ("at the end of the run", "week 182")), (156, True, ("at week 156", ""))])
def test_where_in_the_run_a_figure_stands_is_said_one_way_with_the_whole_run_s_length_beside_it(week, moment, parts):
    """A cost's weeks and a level's week, in one phrase (comparison.md's cost sentences, its stigma line) or in two
    parts (In short puts the length in a bracket of its own): 'over the run' only when it is the whole run, never
    when the run's end is not known (None: scenarios of different lengths)."""
    assert run_parts(week, 182, moment=moment) == parts
    assert run_words(week, 182, moment=moment) == (f"{parts[0]} ({parts[1]})" if parts[1] else parts[0])
    assert run_parts(182, None, moment=moment)[1] == ""


def test_a_price_without_an_interval_of_offences_averted_says_why():
    """One replicate (or the same count in every one) gives the offences averted no interval: the words say so."""
    row = pd.DataFrame([ratio_row("b", "a", "offences", 52, pd.Series([1e5]), pd.Series([4.0]), pd.Series([5.0]))],
                       columns=RATIO_COLUMNS).iloc[0]
    text = ratio_text(row)
    assert text.startswith("costs GBP 100,000 more and averts 1.0 new offences; price per new offence averted not "
                           "estimable (the new offences averted have no interval")
    assert "includes 0" not in text


REFERENCE_OFFENCES = pd.Series([10.0, 12.0, 11.0, 9.0])
COSTS = pd.Series([1000.0, 1200.0, 900.0, 1100.0])
FEWER = REFERENCE_OFFENCES - pd.Series([3.0, 4.0, 3.0, 5.0])  # 3.75 averted on average, an interval clear of 0
MORE = REFERENCE_OFFENCES + pd.Series([3.0, 4.0, 3.0, 5.0])


@pytest.mark.parametrize(("cost", "offences", "says", "quadrant"), [
    (COSTS, FEWER, "costs GBP 1,000 more and averts 3.8 new offences (95% CI 2.2 to 5.3); GBP 280 per new offence averted",
     "costs_more_averts"),
    (-COSTS, FEWER, "saves GBP 1,000 and averts 3.8 new offences (95% CI 2.2 to 5.3); fewer offences for less: saves "
     "GBP 280 per new offence averted", "dominant"),
    (COSTS, MORE, "costs GBP 1,000 more and causes 3.8 more new offences (95% CI 2.2 to 5.3); more offences for more "
     "money: GBP 280 more per extra new offence", "dominated"),
    (-COSTS, MORE, "saves GBP 1,000 and causes 3.8 more new offences (95% CI 2.2 to 5.3); saves GBP 280 per extra new offence",
     "saves_causes_more"),
])
def test_the_words_name_the_quadrant_and_never_give_a_negative_price(cost, offences, says, quadrant):
    """A scenario that costs more and causes more offences is dominated, not 'GBP -280 each' (nor is one that saves and
    averts): the words carry the sign, the price and its Fieller interval are positive amounts in their quadrant's terms."""
    row = pd.DataFrame([ratio_row("b", "a", "offences", 156, cost, offences, REFERENCE_OFFENCES)],
                       columns=RATIO_COLUMNS).iloc[0]
    assert row["quadrant"] == quadrant and row["estimable"]
    text = ratio_text(row)
    assert text.startswith(says)
    low, high = (float(v.replace(",", "")) for v in re.findall(r"Fieller interval GBP ([\d,]+) to GBP ([\d,]+)\)$", text)[0])
    assert 0 < low < 280 < high
    assert "-" not in text.split("Fieller")[1] and "GBP -" not in text


def test_a_price_per_terrorism_offence_averted_says_so():
    """The same extra cost set against terrorism offences alone is a price per terrorism offence averted: written as
    'per offence averted' it reads as the price of any offence averted."""
    row = pd.DataFrame([ratio_row("b", "a", "terrorism_offences", 156, COSTS, FEWER, REFERENCE_OFFENCES)],
                       columns=RATIO_COLUMNS).iloc[0]
    text = ratio_text(row)
    assert "averts 3.8 terrorism offences" in text and "; GBP 280 per terrorism offence averted (95% Fieller" in text
    worse = pd.DataFrame([ratio_row("b", "a", "terrorism_offences", 156, COSTS, MORE, REFERENCE_OFFENCES)],
                         columns=RATIO_COLUMNS).iloc[0]
    assert "more offences for more money: GBP 280 more per extra terrorism offence (" in ratio_text(worse)


def test_comparison_writes_cost_rows_and_cost_effectiveness(tmp_path):
    comparison = compare(["baseline", "ngo_surge"], replicates=3, overrides=SMALL, weeks=52)
    rows = comparison.table[comparison.table["scenario"] == "ngo_surge"].set_index(["metric", "week"])
    surge = rows.loc[("cost_total", 52)]
    assert surge["difference"] > 0 and surge["diff_low"] <= surge["difference"] <= surge["diff_high"]
    ratios = comparison.cost_effectiveness
    # any offence and, for a violent-extremist cohort, terrorism offences: a cost per offence averted of each
    assert list(ratios["week"]) == [26, 26, 52, 52] and list(ratios["outcome"]) == ["offences", "terrorism_offences"] * 2
    assert "## Costs" in comparison.markdown()
    comparison.save(tmp_path / "out", figures=False)
    written = pd.read_csv(tmp_path / "out" / "cost_effectiveness.csv")
    assert list(written.columns) == RATIO_COLUMNS and len(written) == 4
    # how to read the ratio's sign, on every row; no ratio where it is not estimable
    assert set(written["quadrant"]) <= {"costs_more_averts", "dominant", "dominated", "saves_causes_more", "same_offences"}
    assert written.loc[~written["estimable"], "cost_per_averted"].isna().all()
    written_md = (tmp_path / "out" / "comparison.md").read_text()
    assert "four quadrants" in written_md
    # a run of 52 weeks: its last cost rows are the whole run's
    assert ("NGO places for everyone (ngo_surge) against Baseline over the run (52 weeks), for one run's cohort of 60 "
            "people: ") in written_md


def figures_of(shown: str) -> int:
    """How many significant figures an amount as written has ('3,900,000' 2, '+8,908' 4, '0.4' 1)."""
    digits = shown.lstrip("+-").replace(",", "")
    whole, _, decimals = digits.partition(".")
    return len((whole + decimals).strip("0")) if decimals else len(whole.lstrip("0").rstrip("0"))


def test_comparison_md_rounds_money_it_estimates_and_keeps_its_tables_and_the_prices_given_exact(tmp_path):
    """comparison.md gave its totals to the pound ('costs GBP 3,940,112 more', '95% CI +8,908 to +10,792'): a precision a
    mean of a few stochastic replicates does not have. Every amount it estimates is given to ``MONEY_FIGURES``
    significant figures ('GBP 3,900,000'), as robustness.md gives its prices; a unit cost, which the reader set, is
    given as set; comparison.csv and cost_effectiveness.csv keep every amount exact, for machines."""
    figures = 2  # sim.money.MONEY_FIGURES, as robustness.md's 'about GBP 910,000'

    overrides = {**SMALL, "costs.recall": 1234}  # a price the reader sets, not a round one
    comparison = compare(["baseline", "ngo_surge"], replicates=2, seed=1, overrides=overrides, weeks=52)
    folder = comparison.save(tmp_path / "out", figures=False)
    text = (folder / "comparison.md").read_text()
    costs = text.split("## Costs")[1].split("\n## ")[0]
    short = text.split("## In short")[1].split("\n## ")[0]
    assert "recall GBP 1,234 per recall" in costs
    estimates = costs.split("\n- ", 1)[1] + short  # the bullets, after the unit costs
    # a cost set beside the reference's and their difference takes the figures that make the three agree
    # (sim.money.pair_figures): those two are checked by test_two_costs_beside_their_difference_read_apart_...
    estimates = re.sub(r"(released over the run \(\d+ weeks\)) GBP [\d,.]+ vs GBP [\d,.]+", r"\1", estimates)
    shown = [*re.findall(r"GBP ([\d,.]+)", estimates),
             *re.findall(r"95% CI ([+-][\d,]+) to ([+-][\d,]+); \d{4} prices", short)[0]]
    assert len(shown) >= 6 and all(figures_of(amount) <= figures for amount in shown), shown
    table = pd.read_csv(folder / "comparison.csv")
    money = table[table["metric"].isin(["cost_total", "cost_per_released"])]
    assert any(v != float(f"{v:.{figures}g}") for v in money["mean"]), "comparison.csv rounded"
    ratios = pd.read_csv(folder / "cost_effectiveness.csv")
    assert any(v != float(f"{v:.{figures}g}") for v in ratios["extra_cost"]), "cost_effectiveness.csv rounded"


def test_a_run_past_its_last_whole_year_is_costed_to_its_end_and_its_shares_stay_at_that_year():
    """A run of 60 weeks: its shares by weeks since release (and its subgroups) are read at 26 and 52, its weekly
    series, costs and offences averted (calendar weeks) also at its end, 60. comparison.md gives the cost over the whole
    run, as sim robustness does (each run's cost over the people released in it, ``run_totals``), where it gave the cost
    to the last whole year, and the headline and In short keep the longest horizon since release."""
    from sim.costs import run_totals
    from sim.money import money, pair_figures, signed_money

    comparison = compare(["baseline", "ngo_surge"], replicates=2, seed=1, overrides=SMALL, weeks=60, by="risk_tier")
    t = comparison.table
    assert sorted(set(t.loc[t["clock"] == "weeks_since_release", "week"])) == [26, 52]
    for metric in ("community_stigma", "cost_total", "cost_per_released", "custody_weeks"):
        assert sorted(set(t.loc[t["metric"] == metric, "week"])) == [26, 52, 60], metric
    assert sorted(set(comparison.cost_effectiveness["week"])) == [26, 52, 60]
    assert sorted(set(comparison.subgroups["week"])) == [26, 52]  # groups are shares since release: no week 60

    # the whole run's cost per person released, as robustness takes it from a sweep's rows
    series = comparison.runs.timeseries
    whole = {key: run_totals(run) for key, run in series.groupby(["scenario", "replicate"])}
    per_person = pd.Series({key: v["cost_total"] / v["released"] for key, v in whole.items()})
    difference = (per_person["ngo_surge"] - per_person["baseline"]).mean()
    cost = t[(t["metric"] == "cost_per_released") & (t["week"] == 60)].set_index("scenario")
    assert cost.at["ngo_surge", "difference"] == pytest.approx(difference)
    assert cost.at["ngo_surge", "mean"] == pytest.approx(per_person["ngo_surge"].mean())

    text = comparison.markdown()
    costs = text.split("## Costs")[1].split("\n## ")[0]
    pair = pair_figures(cost.at["ngo_surge", "mean"], cost.at["baseline", "mean"], cost.at["ngo_surge", "difference"])
    assert (f"cost per person released over the run (60 weeks) {money(cost.at['ngo_surge', 'mean'], 'GBP', figures=pair)}"
            f" vs {money(cost.at['baseline', 'mean'], 'GBP', figures=pair)} in Baseline "
            f"({signed_money(cost.at['ngo_surge', 'difference'], 'GBP')}") in costs
    assert "against Baseline over the run (60 weeks), for one run's cohort of 60 people" in costs
    assert "week 52" not in costs and "to week" not in costs
    (short,) = [line for line in text.splitlines() if line.startswith("- **NGO places for everyone**")]
    assert short.startswith("- **NGO places for everyone** (ngo_surge) against Baseline, within 52 weeks of release: ")
    amount = money(abs(cost.at['ngo_surge', 'difference']), "GBP")
    assert f"{amount} more per person released over the run (60 weeks; 95% CI " in short, short
    headlines = [line for line in text.split("## Headline differences")[1].split("\n## ")[0].splitlines()
                 if line.startswith("- ")]
    shares = [line for line in headlines if "community stigma" not in line]
    assert shares and all("within 52 weeks of release" in line for line in shares)
    assert any("community stigma at the end of the run (week 60)" in line for line in headlines)
    groups = text.split("## By risk tier")[1].split("\n## ")[0]
    assert "52 weeks" in groups and "60 weeks" not in groups and "week 60" not in groups


def test_fieller_is_the_textbook_interval_and_leaves_out_missing_pairs():
    from scipy import stats

    rng = np.random.default_rng(4)
    x, y = rng.normal(1e5, 2e4, 8), rng.normal(6.0, 2.0, 8)
    # Fieller by hand: the ratios R with (mean x - R mean y)^2 <= t^2 var(mean x - R mean y), the roots of a quadratic
    n, t2 = len(x), stats.t.ppf(0.975, 7) ** 2
    vxx, vyy, vxy = x.var(ddof=1) / n, y.var(ddof=1) / n, np.cov(x, y)[0, 1] / n
    roots = np.sort(np.roots([y.mean() ** 2 - t2 * vyy, -2 * (x.mean() * y.mean() - t2 * vxy), x.mean() ** 2 - t2 * vxx]))
    ratio, low, high, estimable = fieller(x, y)
    assert estimable and ratio == pytest.approx(x.mean() / y.mean())
    assert (low, high) == pytest.approx(tuple(roots))
    # a missing value drops its pair (not the whole interval); all missing is not estimable
    assert fieller(np.append(x, np.nan), np.append(y, 3.0)) == pytest.approx((ratio, low, high, True))
    nothing = fieller(np.full(3, np.nan), np.full(3, np.nan))
    assert not nothing[3] and np.isnan(nothing[:3]).all()
    # a denominator of exactly 0 on average: no ratio and no interval
    assert not fieller(np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.0, 1.0]))[3]


def test_compare_refuses_scenarios_priced_in_different_currencies(tmp_path, capsys):
    """A EUR total minus a GBP total is no difference: the comparison stops before running (exit 2, nothing written)."""
    from sim.cli import main

    euro = tmp_path / "surge_eur.yaml"
    euro.write_text("name: surge_eur\nextends: ngo_surge\ncosts: {currency: EUR, custody_week: 1150}\n")
    out = tmp_path / "out"
    assert main(["compare", "baseline", str(euro), "-r", "2", "--no-figures", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {euro}: costs.currency: surge_eur prices its costs in EUR") and "GBP" in err
    assert "Traceback" not in err and not out.exists()


def test_comparison_and_optimise_name_each_unit_cost_and_where_it_comes_from(tmp_path):
    """Currency and year alone hide that most prices are placeholders: comparison.md names every unit cost with its
    source (published, assumed, or set in a scenario), and a scenario priced with its own unit costs is named apart."""
    from sim.costs import unit_costs_text

    dear = tmp_path / "dear_recalls.yaml"
    dear.write_text("name: dear_recalls\nextends: ngo_surge\ncosts: {recall: 2000}\n")
    text = compare(["baseline", str(dear)], replicates=2, overrides=SMALL, weeks=26).markdown()
    costs = text.split("## Costs")[1].split("##")[0]
    assert ("Unit costs of Baseline: custody GBP 1,000 per prisoner-week (Ministry of Justice, 'Costs per place and costs "
            "per prisoner'") in costs
    assert "recall GBP 1,500 per recall (assumed); probation contact GBP 150 per contact (assumed)" in costs
    assert "dear recalls (dear_recalls) prices with its own: " in costs and "recall GBP 2,000 per recall (set for this run; shipped GBP 1,500, assumed)" in costs
    assert "Assumed figures are placeholders of the right order, not estimates" in costs
    euro = load_scenario("baseline", overrides={"costs.currency": "EUR", "costs.levers.assessment": 4})
    said = unit_costs_text(euro.costs)
    assert "custody EUR 1,000 per prisoner-week (the GBP default, not converted)" in said
    assert "the cooperation levers EUR 0.5 to 10 per released person a week at full level (assessment set for this " \
           "run, the others the GBP defaults, not converted)" in said


def test_a_general_cohort_is_given_no_price_per_terrorism_offence_averted(tmp_path):
    """A general cohort commits no terrorism offence, so comparison.md priced none with 'averts 0.0 terrorism offences;
    price per terrorism offence averted not estimable (the terrorism offences averted have no interval: one replicate,
    or the same number in every replicate)': a reason more replicates would seem to cure. It is priced per new offence
    alone, as sim robustness draws no curve per terrorism offence averted for it (``outcomes_to_price``)."""
    more = tmp_path / "more_ngo.yaml"
    more.write_text("name: more_ngo\nextends: general_offenders\nngo:\n  capacity: 1.0\n")
    comparison = compare(["general_offenders", str(more)], replicates=2, overrides=SMALL, weeks=26)
    assert set(comparison.cost_effectiveness["outcome"]) == {"offences"}
    assert "terrorism offence averted" not in comparison.markdown().split("## Costs")[1].split("## How")[0]
    mixed = compare(["general_offenders", str(more)], replicates=2, weeks=26,
                    overrides={**SMALL, "population.violent_extremist_share": 0.5})
    assert set(mixed.cost_effectiveness["outcome"]) == {"offences", "terrorism_offences"}


def test_a_general_cohort_s_comparison_reads_no_terrorism_curve(tmp_path):
    """A general cohort has no violent-extremist people, so its terrorism curve is 0 by construction: comparison.md's
    headline, In short and groups said '0.0% vs 0.0%' and 'no difference in terrorism offences in any replicate' as if
    that were a finding, and the report's headline table gave it a column. A cohort holding such people keeps it."""
    from sim.report.comparison import headline

    more = tmp_path / "more_ngo.yaml"
    more.write_text("name: more_ngo\nextends: general_offenders\nngo:\n  capacity: 1.0\n")
    general = compare(["general_offenders", str(more)], replicates=2, overrides=SMALL, weeks=26,
                      by="supervision_level")
    assert "terrorism" not in general.markdown().lower()
    assert "terrorism_offence" not in set(general.table["metric"]) | set(general.subgroups["metric"])
    records = [{"population": {"violent_extremist_share": 0.0}}] * 2
    summary = general.runs.summary
    assert not any(column.startswith("Terrorism") for column in headline(summary, records).columns)
    mixed = compare(["general_offenders", str(more)], replicates=2, weeks=26, by="supervision_level",
                    overrides={**SMALL, "population.violent_extremist_share": 0.5})
    assert "terrorism_offence" in set(mixed.table["metric"]) & set(mixed.subgroups["metric"])
    assert "terrorism offences" in mixed.markdown()
    records = [{"population": {"violent_extremist_share": 0.5}}] * 2
    assert any(column.startswith("Terrorism") for column in headline(mixed.runs.summary, records).columns)


def test_a_general_cohort_whose_profile_gives_terrorism_a_chance_keeps_its_terrorism_curve_and_price(tmp_path):
    """`offending.general.terrorism_*` may be set above 0 (sim robustness draws them up to 0.01-0.02): general
    offenders can then commit terrorism offences, and the curve, its price and the report's column were dropped as '0
    by construction' while the runs counted some (``sim.curves.commits_terrorism``)."""
    from sim.curves import commits_terrorism
    from sim.report.comparison import headline

    more = tmp_path / "more_ngo.yaml"
    more.write_text("name: more_ngo\nextends: general_offenders\nngo:\n  capacity: 1.0\n")
    chance = {**SMALL, "offending.general.terrorism_share": 0.01}
    general = compare(["general_offenders", str(more)], replicates=2, overrides=chance, weeks=26)
    assert "terrorism_offence" in set(general.table["metric"])
    assert set(general.cost_effectiveness["outcome"]) == {"offences", "terrorism_offences"}
    records = [{"population": {"violent_extremist_share": 0.0},
                "offending": {"general": {"terrorism_share": 0.01}}}] * 2
    assert any(column.startswith("Terrorism") for column in headline(general.runs.summary, records).columns)
    assert commits_terrorism([{"population.violent_extremist_share": 0, "offending.general.terrorism_engagement": 0.02}])
    assert not commits_terrorism([{"population.violent_extremist_share": 0, "offending.general.terrorism_share": 0}])
    assert not commits_terrorism([{"population.violent_extremist_share": "?", "offending.general.terrorism_share": None}])


def test_two_costs_beside_their_difference_read_apart_by_that_difference():
    """'GBP 39,000 vs GBP 39,000 in Baseline (+GBP 390, ...)' (sim compare baseline high_stigma ngo_surge -r 8): the
    two costs read equal beside a difference, and 'GBP 48,000 vs GBP 39,000 (+GBP 9,600)' read 9,000 apart. The pair
    is written to as many figures as make what a reader subtracts agree with the difference written after it."""
    table = pd.DataFrame([
        ("b", "a", "cost_per_released", "week", 182, 8, 38906.2, 37836.7, 39975.7, 387.140625, 206.140625, 568.140625, 0.001),
        ("c", "a", "cost_per_released", "week", 182, 8, 48153.434375, 47360.4, 48946.4, 9634.375, 9153.375, 10115.375, 0.001),
        ("a", "a", "cost_per_released", "week", 182, 8, 38519.059375, 37410.6, 39627.5, 0.0, 0.0, 0.0, np.nan),
        ("b", "a", "custody_weeks", "week", 182, 8, 7090.0, 7000, 7180, 147.0, 74.0, 220.0, 0.01),
        ("c", "a", "custody_weeks", "week", 182, 8, 6433.0, 6300, 6560, -510.0, -683.0, -337.0, 0.01),
        ("a", "a", "custody_weeks", "week", 182, 8, 6943.0, 6850, 7030, 0.0, 0.0, 0.0, np.nan),
    ], columns=["scenario", "reference", "metric", "clock", "week", "replicates", "mean", "ci_low", "ci_high",
                "difference", "diff_low", "diff_high", "paired_p"])
    ratios = pd.DataFrame(columns=RATIO_COLUMNS)
    text = " ".join(cost_lines(table, ratios, "a", end=182))
    assert "GBP 39,000 vs GBP 39,000" not in text
    assert "cost per person released over the run (182 weeks) GBP 38,910 vs GBP 38,520 in a (+GBP 390" in text
    assert "cost per person released over the run (182 weeks) GBP 48,150 vs GBP 38,520 in a (+GBP 9,600" in text


def test_pair_figures_stops_at_the_fewest_figures_that_agree():
    from sim.money import MONEY_FIGURES, pair_figures

    assert pair_figures(48153.4, 38519.1, 9634.4) == 4
    assert pair_figures(60000.0, 40000.0, 20000.0) == MONEY_FIGURES  # already agrees: no more figures
    assert pair_figures(float("nan"), 1.0, 1.0) == MONEY_FIGURES


def test_a_money_difference_that_is_zero_as_written_has_no_sign_and_others_keep_theirs():
    from sim.money import signed_money

    assert signed_money(0.0, "GBP") == "GBP 0"
    assert signed_money(1e-6, "GBP") == "GBP 0"  # rounding noise
    assert signed_money(-1e-6, "GBP") == "GBP 0"
    assert signed_money(9_870.0, "GBP") == "+GBP 9,900"
    assert signed_money(-0.4, "GBP") == "-GBP 0.4"
    from sim.money import amount
    from sim.units import MONEY

    # the same rule in every signed amount: interval ends, table cells and the unit of a cost metric
    assert [amount(v, signed=True) for v in (0.0, 1e-6)] == ["0", "0"] and amount(0.3, signed=True, exact=True) == "0"
    assert MONEY.text(0.0, signed=True) == "0" and MONEY.text(1_200.0, signed=True) == "+1,200"
