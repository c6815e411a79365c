"""Is a scenario worth its cost? The cost-effectiveness acceptability curve of a robustness analysis.

``sim robustness`` runs every scenario under each draw of the assumptions (``sim.experiments.robustness``). Each
draw's extra cost over the run against the reference and the offences it averts (every offence over the run, repeats
included, as ``sim compare``'s price per new offence averted counts them: ``sim.costs.AVERTED_COUNTS``), both means
over the draw's paired replicates, give its answer at each willingness to pay per new offence averted: worth funding
when the offences averted are worth more than the extra cost (``worth_funding``). The share of draws worth funding at
each price from 0 up is health economics' cost-effectiveness acceptability curve (``acceptability_curve``), with its 95%
Wilson interval and the nominal answer; the words (``acceptability_lines``, ``acceptability_short``) say from what
price half the draws, and nine in ten, find it worth funding, and the figure draws it (``acceptability_figure``).

Where a compared cohort can commit terrorism offences (``sim.curves.commits_terrorism``: violent-extremist people, or
general offenders whose profile gives terrorism a chance), the same draws give a second curve, per terrorism offence
averted (the question of a ministry funding their reintegration; ``sim compare`` prices it too). Both are one code path
parameterised by the *outcome*, as ``sim.costs`` names it and words it (``OFFENCES``, ``TERRORISM``; ``ONE``,
``MANY``): each its own grid, rows of acceptability.csv, words and panel of the figure. The words name a price as
``sim compare`` does ('per new offence averted'): one price, one name.

The words and the figure read a robustness result (``Robustness``: its ``draws``, ``acceptability``, ``currency``,
``price_year`` and scenario titles); nothing here runs a model.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.costs import (
    AVERTED_COUNTS,
    COST_COUNTS,
    COSTS_MORE_AVERTS,
    DOMINANT,
    DOMINATED,
    MANY,
    OFFENCES,
    ONE,
    PLACEHOLDERS,
    SAME_OFFENCES,
    SAVES_CAUSES_MORE,
    SHIPPED_CURRENCY,
    TERRORISM,
    TOTAL_OF,
    quadrant,
    ratio_parts,
)
from sim.money import money, short_amount, short_key, significant
from sim.stats import wilson
from sim.units import percent, share_interval

if TYPE_CHECKING:
    from sim.experiments.robustness_results import Robustness

ACCEPTABILITY = "acceptability.csv"
RUN_COST = "cost_total"
RUN_COUNTS = {outcome: f"final_{total}" for outcome, total in TOTAL_OF.items()}
"""A run's whole cost and its count of each outcome over its whole horizon (every one, repeats included), kept in a
sweep's rows as ``final_<metric>`` (``sim.experiments.metrics``): what the acceptability curve sets against each other,
as ``sim compare``'s price per new offence averted does (``sim.costs.per_replicate``) over the run."""
EXTRA_COST = "extra_cost"  # a draw's, in draws.csv as "<scenario>:extra_cost", beside "<scenario>:<outcome>_averted"


def averted_column(outcome: str) -> str:
    """draws.csv's name (after '<scenario>:') for a draw's `outcome` averted: 'offences_averted'."""
    return f"{outcome}_averted"


NOMINAL_PRICE_COLUMNS = ["nominal_pairs", "nominal_averted_low", "nominal_averted_high", "nominal_price_low",
                         "nominal_price_high"]
"""The nominal count averted's paired replicates, its 95% interval and Fieller's interval of its price, as ``sim
compare`` gives them for the same runs (``sim.costs.price_per_offence_averted``; the price's NaN where compare calls it
not estimable). 0 pairs, or a folder written before them, is not knowing them: the words then quote the nominal price
as they did before."""
ACCEPTABILITY_COLUMNS = ["scenario", "reference", "outcome", "willingness_to_pay", "draws", "worth_funding", "low",
                         "high", "nominal_worth_funding", "nominal_extra_cost", "nominal_offences_averted",
                         *NOMINAL_PRICE_COLUMNS]
"""acceptability.csv: per scenario, outcome (``OFFENCES`` or ``TERRORISM``) and willingness to pay (currency per one of
that outcome averted), the draws with a cost and a count in both scenarios, the share of them worth funding with its
95% Wilson interval, the nominal answer (blank where ``sim compare`` gives the nominal runs no price, ``unpriced``:
not known), and the nominal extra cost and count of that outcome averted it rests on, with
compare's intervals (``NOMINAL_PRICE_COLUMNS``; the same every row of a scenario and outcome). A folder written before
the terrorism curve has no ``outcome``: its rows are the offences curve."""
ACCEPTABILITY_SECTION = "Is it worth its cost?"
WTP_POINTS = 101
"""Prices on the acceptability curve's grid: 0 and 100 equal steps up to its maximum (``wtp_maximum``), each 1% of
the range. 64 draws move the share in steps of 1/64, and the draws' prices per offence averted spread over the whole
range, so a coarser grid would round away where the curve rises."""
WTP_PERCENTILE = 95
"""The grid reaches the first round amount above this percentile of the draws' switch prices (``switch_prices``), not
the highest: a draw averting a fraction of an offence has a price far beyond the others', which would squeeze the rest
of the curve into the axis's first few steps. The draws beyond it are still counted in every share."""
FLAT_WTP = 100_000
"""The grid's maximum when no draw and no nominal answer changes with the price (each is worth funding at every price
or at none): the curve is flat, and any range shows it."""
LEVELS = (0.5, 0.9)  # the shares of draws the words give the price for: half of them, and nine in ten


def worth_funding(extra_cost, averted, willingness_to_pay) -> np.ndarray:
    """Whether each draw (rows) is worth funding at each willingness to pay (columns, currency per offence averted):
    its net benefit, willingness to pay x offences averted - extra cost, is above 0. At 0 that is a draw that saves
    money; as the price rises, one that averts offences (or, averting none, saves)."""
    extra_cost, averted = (np.asarray(v, dtype=float).reshape(-1, 1) for v in (extra_cost, averted))
    return averted * np.asarray(willingness_to_pay, dtype=float).reshape(1, -1) - extra_cost > 0


def switch_prices(extra_cost, averted) -> np.ndarray:
    """The willingness to pay at which each draw's answer changes, where it does at a price above 0: its extra cost per
    offence averted, when it costs more and averts offences (worth funding above it) or saves money and causes more
    (worth funding below it: its saving per extra offence). A draw that saves and averts is worth funding at every
    price, one that costs more and causes more at none."""
    extra_cost, averted = np.asarray(extra_cost, dtype=float), np.asarray(averted, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = extra_cost / averted
    return ratio[(averted != 0) & (ratio > 0)]


def round_up(value: float) -> float:
    """The first amount of one significant figure at or above `value` (23,400 -> 30,000): a grid's maximum to read."""
    step = 10.0 ** math.floor(math.log10(value))
    return math.ceil(value / step - 1e-9) * step  # 30,000 / 10,000 computed as 3.0000000000000004 stays 30,000


def wtp_maximum(values: list[tuple[np.ndarray, np.ndarray]], nominal: list[float]) -> float:
    """The acceptability curve's highest willingness to pay: the first round amount (``round_up``) above each
    scenario's ``WTP_PERCENTILE``th switch price (its draws' extra cost and count averted, `values`), so that the
    curve's changes show, and above every price the words name, so that the curve and the figure reach what they say:
    the nominal one and those from which half the draws and nine in ten are worth funding (``price_reaching`` at
    ``LEVELS``; with few draws the second is the highest switch price, beyond the percentile). ``FLAT_WTP`` when there
    are none. Above, not at: an answer changes only above its price (a net benefit of 0 is not above 0)."""
    switches = [switch_prices(*own) for own in values]
    tops = [float(np.percentile(own, WTP_PERCENTILE)) for own in switches if len(own)]
    tops += [price for own in values if len(own[0]) for price in (price_reaching(*own, level) for level in LEVELS)
             if price]  # None where no price makes that many worth funding, 0 where none need be paid
    tops += [price for price in nominal if price > 0]
    return round_up(max(tops) * (1 + 1e-6)) if tops else FLAT_WTP


def priced_outcomes(values: list[pd.DataFrame], prices_terrorism: bool) -> list[str]:
    """The outcomes a curve is drawn per, from the runs' `values`: offences where every run kept its cost and offences
    (a real analysis's do); terrorism offences too where a cohort can commit them (`prices_terrorism`, ``sim.curves.commits_terrorism``: a
    general cohort commits none) and every run kept them, as ``sim compare`` prices one where its runs count them. A
    sweep begun before runs kept them resumes without them, and then has no such curve."""
    wanted = [OFFENCES, TERRORISM] if prices_terrorism else [OFFENCES]
    kept = [outcome for outcome in wanted if all({RUN_COST, RUN_COUNTS[outcome]} <= set(own.columns) for own in values)]
    return kept if OFFENCES in kept else []


def acceptability_curve(draws: pd.DataFrame, reference: str, nominal: dict[str, tuple[float, ...]],
                        outcome: str = OFFENCES) -> pd.DataFrame:
    """The cost-effectiveness acceptability curve per `outcome` averted of each scenario against `reference`
    (``ACCEPTABILITY_COLUMNS``): at each willingness to pay on one grid for all its scenarios (0 to ``wtp_maximum`` of
    this outcome's draws in ``WTP_POINTS`` prices), the share of the draws with values (`draws`'
    ``<scenario>:extra_cost`` and ``<scenario>:<outcome>_averted``) that are worth funding (``worth_funding``), its 95%
    Wilson interval, and the nominal answer from `nominal` (scenario -> extra cost and `outcome` averted at the
    scenarios' own values, then ``NOMINAL_PRICE_COLUMNS``: 0 pairs where only the two are given)."""
    values = {name: draws[[f"{name}:{EXTRA_COST}", f"{name}:{averted_column(outcome)}"]].dropna().to_numpy().T
              for name in nominal}
    nominal = {name: terms if len(terms) > 2 else (*terms, 0, *[math.nan] * (len(NOMINAL_PRICE_COLUMNS) - 1))
               for name, terms in nominal.items()}  # the extra cost and count alone: their replicates not known
    prices = [extra / averted if averted else math.nan for extra, averted, *_ in nominal.values()]
    grid = np.linspace(0, wtp_maximum(list(values.values()), prices), WTP_POINTS)
    rows = []
    for name, (extra, averted) in values.items():
        worth = worth_funding(extra, averted, grid).sum(axis=0)
        terms = nominal[name]
        nominal_worth = worth_funding([terms[0]], [terms[1]], grid)[0]
        known = not unpriced(*terms[:2], compared_of(*terms[2:]))  # blank where compare gives no price: not known
        for price, kept, at_nominal in zip(grid, worth, nominal_worth, strict=True):
            low, high = wilson(kept, len(extra))
            rows.append((name, reference, outcome, float(price), len(extra),
                         kept / len(extra) if len(extra) else math.nan, low, high, bool(at_nominal) if known else None,
                         *terms))
    return pd.DataFrame(rows, columns=ACCEPTABILITY_COLUMNS)


def price_steps(extra_cost, averted) -> tuple[np.ndarray, np.ndarray]:
    """The acceptability curve exactly, not on a grid: the share of draws worth funding at a willingness to pay of 0,
    then on each stretch of prices from 0 or a draw's switch price (``switch_prices``) up to the next, where it cannot
    change. Returns each stretch's lowest price (0 twice: at 0, then just above) and its share."""
    edges = np.concatenate([[0.0], np.unique(switch_prices(extra_cost, averted))])
    within = np.concatenate([[0.0], (edges[:-1] + edges[1:]) / 2, [2 * edges[-1] + 1]])  # a price inside each stretch
    return np.concatenate([[0.0], edges]), worth_funding(extra_cost, averted, within).mean(axis=0)


def price_reaching(extra_cost, averted, level: float) -> float | None:
    """The lowest willingness to pay from which at least `level` of the draws are worth funding (0: from a willingness
    to pay of 0, as the draws that save money are), or None if no price makes that many worth funding."""
    prices, shares = price_steps(extra_cost, averted)
    reached = np.flatnonzero(shares >= level)
    return float(prices[reached[0]]) if len(reached) else None


def curve_outcomes(found: Robustness) -> list[str]:
    """The outcomes `found`'s acceptability curve is drawn per, offences first."""
    return list(dict.fromkeys(found.acceptability["outcome"])) if found.acceptability is not None else []


def curve_of(found: Robustness, outcome: str) -> pd.DataFrame:
    """acceptability.csv's rows of one outcome."""
    return found.acceptability[found.acceptability["outcome"] == outcome]


def acceptability_draws(found: Robustness, scenario: str, outcome: str = OFFENCES) -> tuple[np.ndarray, np.ndarray]:
    """A scenario's extra cost and `outcome` averted in each draw that has both (draws.csv)."""
    both = found.draws[[f"{scenario}:{EXTRA_COST}", f"{scenario}:{averted_column(outcome)}"]].dropna()
    return both.iloc[:, 0].to_numpy(), both.iloc[:, 1].to_numpy()


def an(noun: str) -> str:
    """'an offence', 'a terrorism offence'."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def whatever_worth(one: str) -> str:
    """How every sentence says that no price changes an answer: 'whatever a new offence averted is worth to you'. Never
    'at no price' or 'at any price': policy readers took 'worth funding at no price' for 'worth funding even for free',
    and 'at any price' reads as 'whatever it costs'."""
    return f"whatever {an(one)} averted is worth to you"


def nominal_price(extra: float, averted: float, currency: str, outcome: str = OFFENCES,
                  compared: tuple[float, float, float, float] | None = None) -> tuple[str, float, str]:
    """The nominal comparison's answer per `outcome` averted in words by its quadrant of the cost-effectiveness plane
    (``sim.costs.quadrant``), the price at which that answer changes (NaN where it never does, or where no price can
    be given) and that price as a figure labels it. With `compared` (``NOMINAL_PRICE_COLUMNS``) the words are those of
    ``sim compare`` on the same runs: the price with Fieller's interval, or, where compare finds it not estimable (the
    count averted is not told from 0), no price at all (``unpriced_words``): a ministry reading both must not be given
    a price by one that the other says the runs cannot give."""
    one, many, whatever = ONE[outcome], MANY[outcome], whatever_worth(ONE[outcome])
    where, price = quadrant(extra, averted), extra / averted if averted else math.nan
    if unpriced(extra, averted, compared):
        return unpriced_words(extra, averted, compared, outcome, currency), math.nan, ""
    per = {COSTS_MORE_AVERTS: f"{money(price, currency)} per {one} averted",
           SAVES_CAUSES_MORE: f"saves {money(price, currency)} per extra {one}"}.get(where, "")
    priced = per and compared is not None and compare_words(extra, averted, compared, outcome, currency)[2]
    said = {
        COSTS_MORE_AVERTS: f"costs more and averts {many}, {priced or per}: worth funding if {an(one)} averted is worth "
                           "more than that to you",
        DOMINANT: f"saves money and averts {many}: worth funding, {whatever}",
        DOMINATED: f"costs more and causes more {many}: not worth funding, {whatever}",
        SAVES_CAUSES_MORE: f"causes more {many} but {priced or per}: worth funding only if {an(one)} averted is worth "
                           "less than that to you",
        SAME_OFFENCES: f"averts no {one} on average and " + ("saves money: worth funding" if extra < 0 else
                                                             "costs more: not worth funding" if extra > 0 else
                                                             "costs the same: not worth funding") + f", {whatever}",
    }.get(where, f"has no cost or {many} (no pair of nominal runs finished)")
    return said, price if per else math.nan, per


def unpriced(extra: float, averted: float, compared: tuple[float, float, float, float] | None) -> bool:
    """Whether ``sim compare`` gives the nominal runs no price where their quadrant would have one: Fieller's interval
    (``compared``'s third and fourth) is missing, as it is when the count averted is not told from 0."""
    return compared is not None and quadrant(extra, averted) != SAME_OFFENCES and compared[2] != compared[2]


def compared_terms(row: pd.Series) -> tuple[float, float, float, float] | None:
    """A curve row's ``NOMINAL_PRICE_COLUMNS`` after its pairs, for ``nominal_price``; None where they are not known
    (no pairs, or a folder written before them)."""
    if not set(NOMINAL_PRICE_COLUMNS) <= set(row.index):
        return None
    return compared_of(*(row[column] for column in NOMINAL_PRICE_COLUMNS))


def compared_of(pairs: int, *compared: float) -> tuple[float, float, float, float] | None:
    """``NOMINAL_PRICE_COLUMNS``' values after the pairs, for ``nominal_price``; None with no pairs (not known)."""
    return tuple(compared) if pairs else None


def compare_words(extra: float, averted: float, compared: tuple[float, float, float, float], outcome: str,
                  currency: str) -> tuple[str, str, str]:
    """``sim.costs.ratio_parts`` of the nominal runs: what ``sim compare`` says of the same runs, in its words."""
    from types import SimpleNamespace

    low, high, price_low, price_high = compared
    return ratio_parts(SimpleNamespace(
        outcome=outcome, extra_cost=extra, averted=averted, averted_low=low, averted_high=high,
        estimable=price_low == price_low, cost_per_averted=extra / averted if averted else math.nan,
        ci_low=price_low, ci_high=price_high, quadrant=quadrant(extra, averted)), currency)


def unpriced_words(extra: float, averted: float, compared: tuple[float, float, float, float], outcome: str,
                   currency: str) -> str:
    """The nominal answer where ``sim compare`` gives no price for the same runs: which way it leans on average, then
    compare's count averted with its interval and why the price is not estimable, so no price at which it is worth
    funding is named. It names `sim compare`, not comparison.md: ``sim report`` drops a sentence naming a file its
    reader does not have (``sim.report.markdown.without_file_pointers``), and this one is the nominal answer."""
    _, count, no_price = compare_words(extra, averted, compared, outcome, currency)
    leans = ("costs more" if extra >= 0 else "saves money") + (f" and averts {MANY[outcome]}" if averted > 0 else
                                                                f" and causes more {MANY[outcome]}")
    return (f"{leans} on average, but not clearly: over the run it {count}; {no_price}, as `sim compare` says of the "
            "same runs, so the nominal runs name no price from which it is worth funding")


def about_money(price: float, currency: str) -> str:
    """A price found at one draw's switch price, rounded as every estimated amount is (``sim.money.money``): 'about
    GBP 810,000' (no 'about' when it is that round already)."""
    return f"{'about ' if significant(price) != price else ''}{money(price, currency)}"


def quoted_price(found: Robustness, nominal_price: float, outcome: str = OFFENCES) -> float:
    """The willingness to pay a scenario's sentence quotes: its nominal price per `outcome` averted rounded to one
    significant figure (about the price the comparison gives), else the middle of that curve's range."""
    if nominal_price == nominal_price:
        return significant(nominal_price, 1)
    return float(curve_of(found, outcome)["willingness_to_pay"].max()) / 2


def moves_with_price(extra_cost: np.ndarray, averted: np.ndarray) -> bool:
    """Whether what one averted is worth changes the answer in some draw, so that there is a curve to draw: a draw
    averts some, or saves money but causes more (worth funding below its saving per extra one). Otherwise the answer is
    the same at every price, and words say it (``averts_none_words``)."""
    return bool((averted > 0).any() or ((extra_cost < 0) & (averted < 0)).any())


def averts_none_words(found: Robustness, extra: np.ndarray, averted: np.ndarray, outcome: str) -> str:
    """What a scenario that averts no `outcome` in any draw, nor saves money where it causes more, comes to in place of
    a curve (``moves_with_price``): what one averted is worth cannot change its answer, so a curve would only draw the
    share of draws that save money, flat. Terrorism offences are rare: in a small cohort most draws avert none."""
    one, many, more, saves = ONE[outcome], MANY[outcome], int((averted < 0).sum()), int((extra < 0).sum())
    reference = found.title(found.acceptability["reference"].iloc[0])
    than = (f"as many {many} over the run as {reference}'s in every one" if not more else
            f"more {many} over the run than {reference}'s in every one" if more == len(averted) else
            f"as many {many} over the run as {reference}'s in {len(averted) - more} and more in {more}")
    none = f"it averts none in any of the {len(averted)} draws (its cohort commits {than})"
    if not saves:
        return f"not worth funding in any draw, {whatever_worth(one)}, as {none}, nor saves money in any"
    return (f"not worth funding for the {many} it averts, as {none}; it is worth funding only in the "
            f"{'draw' if saves == 1 else f'{saves} draws'} in which it saves money")


def reaching_words(found: Robustness, scenario: str, outcome: str = OFFENCES) -> str:
    """From what willingness to pay a scenario is worth funding in half the draws, and in 90% ('worth funding in half
    the draws or more from about GBP 850,000 per offence averted, and in 90% or more from about GBP 2,300,000'), or that
    no price makes it so and in at most how many it is ('never worth funding in half the draws, whatever ...: in at most
    12% of them'), and why (it averts offences in only so many); where no price changes its answer, why there is no
    curve (``averts_none_words``). An answer no price changes is said as ``whatever_worth`` says it."""
    extra, averted = acceptability_draws(found, scenario, outcome)
    one, many, whatever = ONE[outcome], MANY[outcome], whatever_worth(ONE[outcome])
    if not len(extra):
        return f"no draw has a cost and {many} in both scenarios"
    if not moves_with_price(extra, averted):
        return averts_none_words(found, extra, averted, outcome)
    prices, shares = price_steps(extra, averted)
    if shares.min() == 1:
        return f"worth funding in every draw, {whatever}"
    best, averts = shares.max(), (averted > 0).mean()  # best > 0: a draw that averts or saves is worth it at some price
    why = "" if best > shares[-1] else f", as it averts {many} in only {percent(averts, 0)} of them"  # the limit
    reached = [(level, price_reaching(extra, averted, level)) for level in LEVELS]
    if sum(price == 0 for _, price in reached) > 1:  # 'in half or more from 0, and in 90% from 0': one
        reached = [(level, price) for level, price in reached if price != 0 or level == max(LEVELS)]
    said, priced = [], False
    for level, price in reached:
        share = "half the draws" if level == 0.5 else percent(level, 0)
        if price is None:  # no willingness to pay makes that many worth funding
            said.append((f"but never in {share}" if said else f"never worth funding in {share}")
                        + ("" if level == 0.5 else " of them" if said else " of the draws")
                        + ("" if any(whatever in part for part in said) else f", {whatever}")
                        + f": in at most {percent(best, 0)}{'' if said else ' of them'}{why}")
            break
        falls = (shares[prices > price] < level).any()  # the draws saving money but causing more stop being worth it
        at = ((" at a willingness to pay of 0" if falls else f", {whatever}") if price == 0 else
              f" from {about_money(price, found.currency)}" + ("" if priced else f" per {one} averted"))
        priced |= price != 0
        said.append(f"{'and ' if said else 'worth funding '}in {share} or more{at}"
                    + (" (but in fewer again at higher prices, where the draws in which it saves money but causes more "
                       f"{many} are no longer worth funding)" if falls else ""))
    return ", ".join(said)


NO_CURVE = ("This folder holds no acceptability curve: it was written before `sim robustness` drew one, and does not "
            "keep each draw's extra cost and offences averted. Rerun the same `sim robustness` command into the folder "
            "to add it: its runs are reused, none is run again.")
NO_TERRORISM_CURVE = ("No curve per terrorism offence averted: the cohorts can commit terrorism offences, but this "
                      "folder's runs were made before each run kept its terrorism offences, so they cannot be priced. "
                      "Run the same `sim robustness` command into a new folder for it.")


def acceptability_lines(found: Robustness) -> list[str]:
    """robustness.md's section on whether each scenario is worth its cost: the acceptability curve in words, per
    offence averted, then per terrorism offence averted where there is that curve (or why there is none)."""
    if found.acceptability is None:
        return [NO_CURVE]
    text = []
    for outcome in curve_outcomes(found):
        scenarios = dict.fromkeys(curve_of(found, outcome)["scenario"])
        text += [lead_words(found, outcome), "", *(scenario_words(found, name, outcome) for name in scenarios), ""]
    if found.prices_terrorism and TERRORISM not in curve_outcomes(found):
        text += [NO_TERRORISM_CURVE, ""]
    return [*text, "The curve is only as good as the assumed prices and their plausible ranges: "
            + (f"no price is drawn here (their ranges are in {SHIPPED_CURRENCY}, the scenarios price in "
               f"{found.currency}), so it shows how the other assumptions move the answer at the scenarios' own prices. "
               if found.currency != SHIPPED_CURRENCY else
               "they are drawn with the other assumptions, so it shows how both move the answer. ")
            + f"{PLACEHOLDERS} {AVERTED_COUNTS} Here they run to the run's last week. Each draw's extra cost and "
            "offences averted are one run's totals for its cohort, averaged over the draw's paired replicates: with "
            "few offences averted in a run, part of the spread between draws is the seeds', not the assumptions'. And "
            "a share of draws is not the chance that it is worth funding: the draws spread evenly over ranges of what "
            "is plausible, not over what is likely."]


def lead_words(found: Robustness, outcome: str) -> str:
    """The paragraph before a curve's sentences: what the curve is (per new offence averted), with what its extra cost
    counts and leaves out (``COST_COUNTS``: a willingness to pay is set against spending alone, harm to victims left out),
    or what the second one adds (per terrorism offence averted). Each price is named by ``sim.costs.ONE``, as ``sim
    compare`` names it."""
    curve = curve_of(found, outcome)
    reference = found.title(curve["reference"].iloc[0])
    top = money(curve["willingness_to_pay"].max(), found.currency)
    if outcome == TERRORISM:
        return (f"**Per {ONE[TERRORISM]} averted.** The cohorts can commit terrorism offences, and a ministry funding "
                "their reintegration asks what a terrorism offence averted costs. The same draws answer with a curve of "
                f"their own: the extra cost over the run against {reference} set against the terrorism offences averted "
                f"over the run (acceptability.csv's rows of outcome `{TERRORISM}`, from 0 to {top} on a grid of their "
                "own; the second panel of figures/acceptability.png). As `sim compare`'s price per terrorism offence "
                f"averted does, it sets the whole extra cost against them: {an(ONE[TERRORISM])} is also "
                f"{an(ONE[OFFENCES])}, and the same money averts both, so the two curves' prices are not to be added. "
                "Terrorism offences are rare, so a run averts few of them, and more of the spread between draws is the "
                "seeds'.")
    one, many = ONE[OFFENCES], MANY[OFFENCES]
    return (f"What is {an(one)} averted worth to you? Call it your *willingness to pay* per {one} averted. A scenario "
            f"is worth funding in a draw when the {many} it averts {found.over_the_run()} against {reference} are worth more "
            "than what it costs extra over the run: willingness to pay x offences averted - extra cost (the net benefit) "
            "is above 0. The share of draws in which it is worth funding, at each willingness to pay from 0 up, is what "
            "health economics calls a **cost-effectiveness acceptability curve** (figures/acceptability.png; "
            f"acceptability.csv gives it from 0 to {top}, the first round amount above the price per {one} averted "
            f"of {WTP_PERCENTILE}% of the draws and above every price named below, in {WTP_POINTS - 1} equal steps, "
            "with 95% Wilson intervals and the nominal answer). At a willingness to pay of 0 a scenario is worth funding "
            f"only in the draws in which it saves money; as the price rises, in those in which it averts {many}. In "
            f"{found.currency} at {found.price_year} prices. {COST_COUNTS}")


def scenario_words(found: Robustness, scenario: str, outcome: str) -> str:
    """A scenario's line of the section for one curve: the nominal answer, the share of draws worth funding at about
    the nominal price, from what price half and 90% are, and where the curve starts and tends; or why there is none."""
    one, many = ONE[outcome], MANY[outcome]
    extra, averted = acceptability_draws(found, scenario, outcome)
    curve = curve_of(found, outcome)
    first = curve[curve["scenario"] == scenario].iloc[0]
    terms = (first["nominal_extra_cost"], first["nominal_offences_averted"], compared_terms(first))
    nominal, price, _ = nominal_price(*terms[:2], found.currency, outcome, terms[2])
    sentence = f"- {found.named(scenario)} against {found.title(first['reference'])}: at the nominal values it {nominal}."
    if not len(extra):
        return sentence + f" No draw has a cost and {many} in both scenarios (their runs failed), so there is no curve."
    if not moves_with_price(extra, averted):
        return sentence + f" It is {reaching_words(found, scenario, outcome)}. So there is no curve to draw for it."
    quoted = quoted_price(found, price, outcome)
    kept = int(worth_funding(extra, averted, [quoted]).sum())
    at_nominal = worth_funding([first["nominal_extra_cost"]], [first["nominal_offences_averted"]], [quoted])[0, 0]
    others = len(found.draws) - len(extra)  # their runs failed: a finished run has a cost and offences
    counted = (f"the {len(found.draws)} draws" if not others else
               f"the {len(extra)} draws with a cost and {many} in both scenarios ("
               + ("the other draw of the" if others == 1 else f"the other {others} of the")
               + f" {len(found.draws)} {'has' if others == 1 else 'have'} none: a run failed)")
    return sentence + (f" If {an(one)} averted is worth {money(quoted, found.currency)} to you, it is worth funding in "
                       f"**{percent(kept / len(extra), 0)}** of {counted} ({share_interval(*wilson(kept, len(extra)))}"
                       + ("" if unpriced(*terms) else f"; at the nominal values it {'is' if at_nominal else 'is not'}")
                       + "). It is "
                       f"{reaching_words(found, scenario, outcome)}. {ends_words(extra, averted, outcome)}.")


def ends_words(extra_cost: np.ndarray, averted: np.ndarray, outcome: str = OFFENCES) -> str:
    """Where the curve starts and ends, in words: at a willingness to pay of 0 a draw is worth funding when it saves
    money; as the price rises, when it averts `outcome` (or, averting none, saves)."""
    saves, averts, neither = extra_cost < 0, averted > 0, (averted == 0) & (extra_cost < 0)
    start = ("no draw, as it saves money in none" if not saves.any() else "every draw, as it saves money in all" if
             saves.all() else f"the {percent(saves.mean(), 0)} of draws in which it saves money")
    return (f"At a willingness to pay of 0 it is worth funding in {start}; as the price rises the share tends to "
            + (f"100%, as it averts {MANY[outcome]} in every draw" if averts.all() else
               f"{percent(averts.mean(), 0)}, the draws in which it averts {MANY[outcome]}")
            + (f", plus the {percent(neither.mean(), 0)} in which it saves money averting none" if neither.any() else ""))


def acceptability_short(found: Robustness, where: str = "below") -> list[str]:
    """In short's line per scenario and curve on whether it is worth its cost (none for a folder without the curve),
    pointing to the section `where` it is (the terminal: 'in robustness.md')."""
    return [f"{found.named(scenario)} against {found.title(reference)}, set against what {an(ONE[outcome])} averted is "
            f"worth to you: {reaching_words(found, scenario, outcome)} ({found.currency} at {found.price_year} prices; "
            f"\"{ACCEPTABILITY_SECTION}\" {where})."
            for outcome in curve_outcomes(found)
            for scenario, reference in dict.fromkeys(
                curve_of(found, outcome)[["scenario", "reference"]].itertuples(index=False, name=None))]


def draw_acceptability(found: Robustness, path) -> None:
    """``acceptability_figure`` as a PNG at `path` (a file or a buffer), its theme kept to this figure."""
    import matplotlib

    matplotlib.use("Agg")
    from sim.figures import save

    with matplotlib.rc_context():  # the figures' theme (``sim.figures.panels``) must not restyle the others drawn later
        save(acceptability_figure(found), path, dpi=120)


def acceptability_figure(found: Robustness):
    """A panel per curve, side by side (per offence averted; per terrorism offence averted where there is that curve):
    on a projector's wide screen each keeps a wide money axis of its own (a terrorism offence averted costs far more),
    and the shared axis of draws worth funding sets the two answers level with each other. ``outcome_panel`` draws
    each."""
    import matplotlib

    matplotlib.use("Agg")

    from sim.figures import finish, panels, scenario_colours

    curve = found.acceptability
    colours = scenario_colours([*dict.fromkeys(curve["reference"]), *dict.fromkeys(curve["scenario"])])
    outcomes = curve_outcomes(found)
    fig, axes = panels(len(outcomes), height=5.2)
    fig.get_layout_engine().set(wspace=PANEL_GAP)  # the amount ending one panel's axis not read with the next's first
    dashed = [outcome_panel(ax, found, outcome, colours, fig.get_figwidth() / len(outcomes))
              for ax, outcome in zip(axes, outcomes, strict=True)]
    reference = ", ".join(map(found.title, dict.fromkeys(curve["reference"])))
    # the legend is the first panel's: one that draws a curve, if any does
    finish(fig, sorted(axes, key=lambda ax: not ax.get_legend_handles_labels()[0]),
           f"Is it worth its cost against {reference}? Cost-effectiveness acceptability "
           + ("curves" if len(outcomes) > 1 else "curve"),
           "Lines: the share of draws in which what it averts over the run is worth more than its extra cost; bands: "
           "95% Wilson interval; " + ("dashed: where the nominal answer changes; " if any(dashed) else "")
           + "dotted: half the draws")
    for ax, outcome in zip(axes, outcomes, strict=True):
        ax.set_xlim(0, curve_of(found, outcome)["willingness_to_pay"].max())
    axes[0].set_ylim(0, 100)
    axes[0].set_ylabel("Draws worth funding (%)")
    return fig


def outcome_panel(ax, found: Robustness, outcome: str, colours: dict[str, str], width: float) -> bool:
    """One curve's panel, `width` inches wide: per scenario the share of draws worth funding at each willingness to
    pay per `outcome` averted, its 95% Wilson band and the price at which the nominal answer changes (dashed, its price
    written beside it, so that each panel's own is read where it is drawn); a scenario whose answer no price changes has
    no curve (``moves_with_price``), and a panel with none says so. Whether it drew a dashed line, for the caption: no
    nominal answer changes with the price, or none is priced (``nominal_price``), and it draws none."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from sim.figures import wrap

    one, curve = ONE[outcome], curve_of(found, outcome)
    top = curve["willingness_to_pay"].max()
    drawn, dashed = 0, False
    for name in dict.fromkeys(curve["scenario"]):
        own = curve[curve["scenario"] == name]
        if not moves_with_price(*acceptability_draws(found, name, outcome)):
            continue
        ax.fill_between(own["willingness_to_pay"], 100 * own["low"], 100 * own["high"], color=colours[name], alpha=0.2,
                        lw=0)
        ax.plot(own["willingness_to_pay"], 100 * own["worth_funding"], color=colours[name], lw=2,
                label=f"{found.title(name)}: share of {int(own['draws'].iloc[0])} draws")
        first = own.iloc[0]
        _, price, per = nominal_price(first["nominal_extra_cost"], first["nominal_offences_averted"], found.currency,
                                      outcome, compared_terms(first))
        if per:  # in the curve's colour, each scenario's price a line lower than the last one's
            ax.axvline(price, color=colours[name], ls="--", lw=1.2)
            dashed = True
            right = price > 0.6 * top  # written on the side with room
            ax.annotate(f"nominal {money(price, found.currency)}", (price, 0.97 - 0.08 * drawn),
                        xycoords=("data", "axes fraction"), xytext=(-4 if right else 4, 0), textcoords="offset points",
                        ha="right" if right else "left", va="top", fontsize="small", color=colours[name],
                        bbox={"facecolor": "white", "alpha": 0.8, "lw": 0, "pad": 1}).set_in_layout(False)
        drawn += 1
    if drawn:
        ax.axhline(50, color="grey", lw=0.8, ls=":")
        ax.xaxis.set_major_locator(MaxNLocator(4))  # at most 5 amounts in full: 0, 2,000,000, ... never overlapping
    else:  # an empty axis would read as a curve at 0
        ax.text(0.5, 0.5, wrap(f"No draw averts {an(one)}: nothing to price, so no curve", 0.6 * width, 9),
                transform=ax.transAxes, ha="center", va="center", color="#444444")
        ax.set_xticks([])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: short_amount(value)))
    ax.set_title(f"Per {one} averted", loc="left", fontweight="bold")
    ax.set_xlabel(wrap(f"Willingness to pay: what {an(one)} averted is worth to you ({found.currency} per {one} "
                       f"averted, {found.price_year} prices{short_key(top)})", 0.9 * width, 9))
    return dashed


PANEL_GAP = 0.1  # the room between the panels, as a share of a panel's width (matplotlib's wspace)
