"""Is a scenario worth its cost? The cost-effectiveness acceptability curve of a robustness analysis.

``sim robustness`` runs every scenario under each draw of the assumptions (``sim.experiments.robustness``). Each
draw's extra cost over the run against the reference and the offences it averts (every offence over the run, repeats
included, as ``sim compare``'s price per offence averted counts them: ``sim.costs.AVERTED_COUNTS``), both means over
the draw's paired replicates, give its answer at each willingness to pay per offence averted: worth funding when the
offences averted are worth more than the extra cost (``worth_funding``). The share of draws worth funding at each price
from 0 up is health economics' cost-effectiveness acceptability curve (``acceptability_curve``), with its 95% Wilson
interval and the nominal answer; the words (``acceptability_lines``, ``acceptability_short``) say from what price half
the draws, and nine in ten, find it worth funding, and the figure draws it (``acceptability_figure``).

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
    COSTS_MORE_AVERTS,
    DOMINANT,
    DOMINATED,
    PLACEHOLDERS,
    SAME_OFFENCES,
    SAVES_CAUSES_MORE,
    SHIPPED_CURRENCY,
    money,
    quadrant,
)
from sim.outcomes import share_interval, wilson

if TYPE_CHECKING:
    from sim.experiments.robustness import Robustness

ACCEPTABILITY = "acceptability.csv"
RUN_COST, RUN_OFFENCES = "cost_total", "final_offences_total"
"""A run's whole cost and its offences over its whole horizon (every offence, repeats included), both kept in a sweep's
rows (``sim.experiments.metrics``): what the acceptability curve sets against each other, as ``sim compare``'s price
per offence averted does (``sim.costs.per_replicate``) over the run."""
EXTRA_COST, AVERTED = "extra_cost", "offences_averted"  # a draw's, in draws.csv as "<scenario>:extra_cost", ...

ACCEPTABILITY_COLUMNS = ["scenario", "reference", "willingness_to_pay", "draws", "worth_funding", "low", "high",
                         "nominal_worth_funding", "nominal_extra_cost", "nominal_offences_averted"]
"""acceptability.csv: per scenario and willingness to pay (currency per offence averted), the draws with a cost and
offences in both scenarios, the share of them worth funding with its 95% Wilson interval, the nominal answer, and the
nominal extra cost and offences averted it rests on (the same every row of a scenario)."""
ACCEPTABILITY_SECTION = "Is it worth its cost?"
WTP_POINTS = 101
"""Prices on the acceptability curve's grid: 0 and 100 equal steps up to its maximum (``wtp_maximum``), each 1% of
the range. 64 draws move the share in steps of 1/64, and the draws' prices per offence averted spread over the whole
range, so a coarser grid would round away where the curve rises."""
WTP_PERCENTILE = 95
"""The grid reaches the first round amount at or above this percentile of the draws' switch prices (``switch_prices``),
not the highest: a draw averting a fraction of an offence has a price far beyond the others', which would squeeze the
rest of the curve into the axis's first few steps. The draws beyond it are still counted in every share."""
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


def wtp_maximum(switches: list[np.ndarray], nominal: list[float]) -> float:
    """The acceptability curve's highest willingness to pay: a round amount (``round_up``) at or above every scenario's
    ``WTP_PERCENTILE``th switch price and every nominal one, so that the curve's changes and the nominal answer's all
    show; ``FLAT_WTP`` when there are none."""
    tops = [float(np.percentile(own, WTP_PERCENTILE)) for own in switches if len(own)]
    tops += [price for price in nominal if price > 0]
    return round_up(max(tops)) if tops else FLAT_WTP


def acceptability_curve(draws: pd.DataFrame, reference: str, nominal: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """The cost-effectiveness acceptability curve of each scenario against `reference` (``ACCEPTABILITY_COLUMNS``): at
    each willingness to pay on one grid for all (0 to ``wtp_maximum`` in ``WTP_POINTS`` prices), the share of the draws
    with values (`draws`' ``<scenario>:extra_cost`` and ``<scenario>:offences_averted``) that are worth funding
    (``worth_funding``), its 95% Wilson interval, and the nominal answer from `nominal` (scenario -> extra cost and
    offences averted at the scenarios' own values)."""
    values = {name: draws[[f"{name}:{EXTRA_COST}", f"{name}:{AVERTED}"]].dropna().to_numpy().T for name in nominal}
    prices = [extra / averted if averted else math.nan for extra, averted in nominal.values()]
    grid = np.linspace(0, wtp_maximum([switch_prices(*v) for v in values.values()], prices), WTP_POINTS)
    rows = []
    for name, (extra, averted) in values.items():
        worth = worth_funding(extra, averted, grid).sum(axis=0)
        nominal_worth = worth_funding([nominal[name][0]], [nominal[name][1]], grid)[0]
        for price, kept, at_nominal in zip(grid, worth, nominal_worth, strict=True):
            low, high = wilson(kept, len(extra))
            rows.append((name, reference, float(price), len(extra), kept / len(extra) if len(extra) else math.nan, low,
                         high, bool(at_nominal), *nominal[name]))
    return pd.DataFrame(rows, columns=ACCEPTABILITY_COLUMNS)


def price_steps(extra_cost, averted) -> tuple[np.ndarray, np.ndarray]:
    """The acceptability curve exactly, not on a grid: the share of draws worth funding at a willingness to pay of 0,
    then on each stretch of prices from 0 or a draw's switch price (``switch_prices``) up to the next, where it cannot
    change. Returns each stretch's lowest price (0 twice: at 0, then just above) and its share."""
    edges = np.concatenate([[0.0], np.unique(switch_prices(extra_cost, averted))])
    within = np.concatenate([[0.0], (edges[:-1] + edges[1:]) / 2, [2 * edges[-1] + 1]])  # a price inside each stretch
    return np.concatenate([[0.0], edges]), worth_funding(extra_cost, averted, within).mean(axis=0)


def price_reaching(extra_cost, averted, level: float) -> float | None:
    """The lowest willingness to pay from which at least `level` of the draws are worth funding (0: at any price),
    or None if no price makes that many worth funding."""
    prices, shares = price_steps(extra_cost, averted)
    reached = np.flatnonzero(shares >= level)
    return float(prices[reached[0]]) if len(reached) else None


def acceptability_draws(found: Robustness, scenario: str) -> tuple[np.ndarray, np.ndarray]:
    """A scenario's extra cost and offences averted in each draw that has both (draws.csv)."""
    both = found.draws[[f"{scenario}:{EXTRA_COST}", f"{scenario}:{AVERTED}"]].dropna()
    return both.iloc[:, 0].to_numpy(), both.iloc[:, 1].to_numpy()


def nominal_price(extra: float, averted: float, currency: str) -> tuple[str, float, str]:
    """The nominal comparison's answer in words by its quadrant of the cost-effectiveness plane (``sim.costs.quadrant``),
    the price at which that answer changes (NaN where it never does) and that price as a figure labels it."""
    where, price = quadrant(extra, averted), extra / averted if averted else math.nan
    per = {COSTS_MORE_AVERTS: f"{money(price, currency)} per offence averted",
           SAVES_CAUSES_MORE: f"saves {money(price, currency)} per extra offence"}.get(where, "")
    said = {
        COSTS_MORE_AVERTS: f"costs more and averts offences, {per}: worth funding if an offence averted is worth more "
                           "than that to you",
        DOMINANT: "saves money and averts offences: worth funding whatever an offence averted is worth to you",
        DOMINATED: "costs more and causes more offences: worth funding at no price",
        SAVES_CAUSES_MORE: f"causes more offences but {per}: worth funding only if an offence averted is worth less "
                           "than that to you",
        SAME_OFFENCES: "averts no offence on average and " + ("saves money: worth funding at any price" if extra < 0
                                                              else "costs more: worth funding at no price" if extra > 0
                                                              else "costs the same: worth funding at no price"),
    }.get(where, "has no cost or offences (no pair of nominal runs finished)")
    return said, price if per else math.nan, per


def significant(value: float, figures: int) -> float:
    """`value` rounded to so many significant figures (814,188 -> 810,000 at 2): a price the draws put at one draw's
    switch price is no more precise than the draws, and to the pound it would read as if it were."""
    if not value or value != value:
        return value
    step = 10.0 ** (math.floor(math.log10(abs(value))) - figures + 1)
    return round(value / step) * step


PRICE_FIGURES = 2  # significant figures of the prices from which half or 90% of the draws are worth funding


def about_money(price: float, currency: str) -> str:
    """A price found at one draw's switch price, to ``PRICE_FIGURES`` significant figures: 'about GBP 810,000' (no
    'about' when it is that round already)."""
    rounded = significant(price, PRICE_FIGURES)
    return f"{'about ' if rounded != price else ''}{money(rounded, currency)}"


def quoted_price(found: Robustness, nominal_price: float) -> float:
    """The willingness to pay a scenario's sentence quotes: its nominal price per offence averted rounded to one
    significant figure (about the price the comparison gives), else the middle of the curve's range."""
    if nominal_price == nominal_price:
        return significant(nominal_price, 1)
    return float(found.acceptability["willingness_to_pay"].max()) / 2


def reaching_words(found: Robustness, scenario: str) -> str:
    """From what willingness to pay a scenario is worth funding in half the draws, and in 90% ('worth funding in half
    the draws or more from about GBP 850,000 per offence averted, and in 90% or more from about GBP 2,300,000'), or in at most
    how many at any price, and why (it averts offences in only so many)."""
    extra, averted = acceptability_draws(found, scenario)
    if not len(extra):
        return "no draw has a cost and offences in both scenarios"
    prices, shares = price_steps(extra, averted)
    if shares.min() == 1:
        return "worth funding in every draw at any price"
    best, averts = shares.max(), (averted > 0).mean()
    why = ("" if best > shares[-1] else ", as it averts offences in none of them" if not averts
           else f", as it averts offences in only {100 * averts:.0f}% of them")  # the curve's limit as the price rises
    reached = [(level, price_reaching(extra, averted, level)) for level in LEVELS]
    if sum(price == 0 for _, price in reached) > 1:  # 'in half or more at any price, and in 90% at any price': one
        reached = [(level, price) for level, price in reached if price != 0 or level == max(LEVELS)]
    said = []
    for level, price in reached:
        share = "half the draws" if level == 0.5 else f"{100 * level:.0f}%"
        if price is None:
            said.append(("in no draw" if not best else f"{'but ' if said else ''}in {share} at no price: in at most "
                         f"{100 * best:.0f}% of draws") + f", however much an offence averted is worth to you{why}")
            break
        falls = (shares[prices > price] < level).any()  # the draws saving money but causing more stop being worth it
        at = (("at a willingness to pay of 0" if falls else "at any price") if price == 0 else
              f"from {about_money(price, found.currency)}" + ("" if said else " per offence averted"))
        said.append(f"{'and ' if said else ''}in {share} or more {at}"
                    + (" (but in fewer again at higher prices, where the draws in which it saves money but causes more "
                       "offences are no longer worth funding)" if falls else ""))
    return "worth funding " + ", ".join(said)


NO_CURVE = ("This folder holds no acceptability curve: it was written before `sim robustness` drew one, and does not "
            "keep each draw's extra cost and offences averted. Rerun the same `sim robustness` command into the folder "
            "to add it: its runs are reused, none is run again.")


def acceptability_lines(found: Robustness) -> list[str]:
    """robustness.md's section on whether each scenario is worth its cost: the acceptability curve in words."""
    curve = found.acceptability
    if curve is None:
        return [NO_CURVE]
    reference = found.title(curve["reference"].iloc[0]) if len(curve) else ""
    top = curve["willingness_to_pay"].max() if len(curve) else math.nan
    text = [f"What is an offence averted worth to you? Call it your *willingness to pay* per offence averted. A scenario "
            f"is worth funding in a draw when the offences it averts over the run against {reference} are worth more "
            "than what it costs extra over the run: willingness to pay x offences averted - extra cost (the net benefit) "
            "is above 0. The share of draws in which it is worth funding, at each willingness to pay from 0 up, is what "
            "health economics calls a **cost-effectiveness acceptability curve** (figures/acceptability.png; "
            f"acceptability.csv gives it from 0 to {money(top, found.currency)}, the first round amount above the "
            f"price per offence averted of {WTP_PERCENTILE}% of the draws, in {WTP_POINTS - 1} equal steps, with 95% "
            "Wilson intervals and the nominal answer). At a willingness to pay of 0 a scenario is worth funding only "
            "in the draws in which it saves money; as the price rises, in those in which it averts offences. In "
            f"{found.currency} at {found.price_year} prices.", ""]
    for scenario in dict.fromkeys(curve["scenario"]):
        extra, averted = acceptability_draws(found, scenario)
        first = curve[curve["scenario"] == scenario].iloc[0]
        nominal, price, _ = nominal_price(first["nominal_extra_cost"], first["nominal_offences_averted"],
                                          found.currency)
        sentence = f"- {found.named(scenario)} against {reference}: at the nominal values it {nominal}."
        if len(extra):
            quoted = quoted_price(found, price)
            kept = int(worth_funding(extra, averted, [quoted]).sum())
            at_nominal = worth_funding([first["nominal_extra_cost"]], [first["nominal_offences_averted"]], [quoted])[0, 0]
            others = len(found.draws) - len(extra)  # their runs failed: a finished run has a cost and offences
            counted = (f"the {len(found.draws)} draws" if not others else
                       f"the {len(extra)} draws with a cost and offences in both scenarios ("
                       + ("the other draw of the" if others == 1 else f"the other {others} of the")
                       + f" {len(found.draws)} {'has' if others == 1 else 'have'} none: a run failed)")
            sentence += (f" If an offence averted is worth {money(quoted, found.currency)} to you, it is worth funding in "
                         f"**{100 * kept / len(extra):.0f}%** of {counted} ({share_interval(*wilson(kept, len(extra)))}"
                         f"; at the nominal values it {'is' if at_nominal else 'is not'}). It is "
                         f"{reaching_words(found, scenario)}. {ends_words(extra, averted)}.")
        else:
            sentence += " No draw has a cost and offences in both scenarios (their runs failed), so there is no curve."
        text.append(sentence)
    text += ["", "The curve is only as good as the assumed prices and their plausible ranges: "
             + (f"no price is drawn here (their ranges are in {SHIPPED_CURRENCY}, the scenarios price in "
                f"{found.currency}), so it shows how the other assumptions move the answer at the scenarios' own prices. "
                if found.currency != SHIPPED_CURRENCY else
                "they are drawn with the other assumptions, so it shows how both move the answer. ")
             + f"{PLACEHOLDERS} {AVERTED_COUNTS} Here they run to the run's last week. Each draw's extra cost and "
             "offences averted are one run's totals for its cohort, averaged over the draw's paired replicates: with "
             "few offences averted in a run, part of the spread between draws is the seeds', not the assumptions'. And "
             "a share of draws is not the chance that it is worth funding: the draws spread evenly over ranges of what "
             "is plausible, not over what is likely."]
    return text


def ends_words(extra_cost: np.ndarray, averted: np.ndarray) -> str:
    """Where the curve starts and ends, in words: at a willingness to pay of 0 a draw is worth funding when it saves
    money; as the price rises, when it averts offences (or, averting none, saves)."""
    saves, averts, neither = extra_cost < 0, averted > 0, (averted == 0) & (extra_cost < 0)
    start = ("no draw, as it saves money in none" if not saves.any() else "every draw, as it saves money in all" if
             saves.all() else f"the {100 * saves.mean():.0f}% of draws in which it saves money")
    return (f"At a willingness to pay of 0 it is worth funding in {start}; as the price rises the share tends to "
            + ("100%, as it averts offences in every draw" if averts.all() else
               f"{100 * averts.mean():.0f}%, the draws in which it averts offences")
            + (f", plus the {100 * neither.mean():.0f}% in which it saves money averting none" if neither.any() else ""))


def acceptability_short(found: Robustness, where: str = "below") -> list[str]:
    """In short's line per scenario on whether it is worth its cost (none for a folder without the curve), pointing to
    the section `where` it is (the terminal: 'in robustness.md')."""
    if found.acceptability is None:
        return []
    return [f"{found.named(scenario)} against {found.title(reference)}, set against what an offence averted is worth to "
            f"you: {reaching_words(found, scenario)} ({found.currency} at {found.price_year} prices; "
            f"\"{ACCEPTABILITY_SECTION}\" {where})."
            for scenario, reference in dict.fromkeys(zip(found.acceptability["scenario"],
                                                         found.acceptability["reference"], strict=True))]


def draw_acceptability(found: Robustness, path) -> None:
    """``acceptability_figure`` as a PNG at `path` (a file or a buffer), its theme kept to this figure."""
    import matplotlib

    matplotlib.use("Agg")
    from sim.figures import save

    with matplotlib.rc_context():  # the figures' theme (``sim.figures.panels``) must not restyle the others drawn later
        save(acceptability_figure(found), path, dpi=120)


def acceptability_figure(found: Robustness):
    """One curve per scenario against the reference: the share of draws worth funding at each willingness to pay, its
    95% Wilson band, and the price at which the nominal answer changes (dashed), on a money axis."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.ticker import FuncFormatter

    from sim.figures import finish, panels, scenario_colours

    curve = found.acceptability
    names = list(dict.fromkeys(curve["scenario"]))
    colours = scenario_colours([*dict.fromkeys(curve["reference"]), *names])
    fig, (ax,) = panels(1, height=5.2)
    ax.axhline(50, color="grey", lw=0.8, ls=":")
    for name in names:
        own = curve[curve["scenario"] == name]
        ax.fill_between(own["willingness_to_pay"], 100 * own["low"], 100 * own["high"], color=colours[name], alpha=0.2,
                        lw=0)
        ax.plot(own["willingness_to_pay"], 100 * own["worth_funding"], color=colours[name], lw=2,
                label=f"{found.title(name)}: share of {int(own['draws'].iloc[0])} draws")
        first = own.iloc[0]
        _, price, per = nominal_price(first["nominal_extra_cost"], first["nominal_offences_averted"], found.currency)
        if per:
            ax.axvline(price, color=colours[name], ls="--", lw=1.2, label=f"nominal: {per}")  # in the curve's colour
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    ax.set(xlabel=f"Willingness to pay: what an offence averted is worth to you ({found.currency} per offence "
                  f"averted, {found.price_year} prices)", ylabel="Draws worth funding (%)")
    reference = ", ".join(map(found.title, dict.fromkeys(curve["reference"])))
    finish(fig, [ax], f"Is it worth its cost against {reference}? Cost-effectiveness acceptability curve",
           "Lines: the share of draws in which the offences it averts over the run are worth more than its extra cost; "
           "bands: 95% Wilson interval; dashed: where the nominal answer changes; dotted: half the draws")
    ax.set_xlim(0, curve["willingness_to_pay"].max())
    ax.set_ylim(0, 100)
    return fig
