"""Money as the product writes it: in words and tables (``money``, ``signed_money``, ``money_change``,
``money_interval``, ``amount``) and on a figure's axis (``short_amount``, ``short_key``); and any number to so many
significant figures as a reader writes it (``readable``, ``significant``), on which the words' rounding rests.

An amount the model estimates (a cost, a difference, a price per offence averted) is a mean of stochastic runs, and
to the pound ('GBP 3,940,112') it would read as far more precise than the replicates make it: words and Markdown
tables give it to ``MONEY_FIGURES`` significant figures ('GBP 3,900,000'), as robustness.md has always given the
prices its draws find. An amount the reader gave (a unit cost, a budget) is written as given (``exact``). CSV and
Parquet tables keep every amount exact, for machines.

One module, importing nothing of the project's, so that every writer of money (``sim.costs``, the comparison, the
robustness analysis and its acceptability curve, the optimisation and its front figure, ``sim.outcomes``' units) can
import it without a dependency cycle and no two of them write an amount in two ways.
"""

from __future__ import annotations

import math
from collections.abc import Callable

MONEY_FIGURES = 2
"""Significant figures of an estimated amount in words ('GBP 910,000', '+GBP 9,900'), as robustness.md has given the
prices its draws find: a few replicates seldom pin a third figure down (a comparison of 4 replicates gave a cost
difference of +9,850 per person, 95% CI +8,908 to +10,792)."""
MOST_FIGURES = 6
"""The most significant figures ``figures_apart`` gives an interval, however narrow: to the pound of a run's millions."""
NOISE = 1e-3
"""An amount below a thousandth of a unit is floating-point rounding (two equal means differ by -3.5e-19 after
averaging): it reads 0, never '-GBP 0.0000000000000004'."""


def decimals_for(value: float, figures: int) -> int:
    """The decimal places that keep `figures` significant figures of `value` (negative for tens, hundreds, ...)."""
    return figures - 1 - math.floor(math.log10(abs(value)))


def significant(value: float, figures: int = MONEY_FIGURES) -> float:
    """`value` rounded to so many significant figures (814,188 -> 810,000 at 2): an amount the replicates or the draws
    estimate is no more precise than they are, and to the pound it would read as if it were."""
    if not value or value != value or math.isinf(value):
        return value
    return round(value, decimals_for(value, figures))


def readable(value: float, figures: int = 4, *, signed: bool = False) -> str:
    """A number to `figures` significant figures as a reader writes it, never in exponent form: 20,000 (not 2e+04),
    1,500, 0.0104, 0.000015; with its sign (`signed`), '+9,900'. For tables of parameter values and ranges, where
    ``:.4g`` printed '1500 to 2e+04', and for every amount of money estimated (``amount``)."""
    plus = "+" if signed else ""
    if not value or value != value or math.isinf(value):
        return f"{value:{plus}g}"
    decimals = decimals_for(value, figures)
    if decimals <= 0:
        return f"{round(value, decimals):{plus},.0f}"
    return f"{value:{plus},.{decimals}f}".rstrip("0").rstrip(".")


def figures_apart(low: float, high: float) -> int:
    """The significant figures an amount and its interval are written to: ``MONEY_FIGURES``, or more where the interval
    is too narrow for its ends to differ at that many (a cohort's cost over a run read '12,000,000 (12,000,000 to
    12,000,000)', as if the replicates had not varied), up to ``MOST_FIGURES``. Also of a cost set beside its budget
    (`low`, `high`: the two), so that a cost over the budget never reads as the budget ('GBP 850,000 (over budget)'
    against a budget of GBP 850,000)."""
    figures = MONEY_FIGURES
    if low != low or high != high:
        return figures
    while figures < MOST_FIGURES and low != high and significant(low, figures) == significant(high, figures):
        figures += 1
    return figures


def agreeing(precisions: range, gap: Callable[[int], float], shown: float, half: float) -> int:
    """The first of `precisions` at which two numbers as written, their `gap` at that precision, agree with their
    difference as written (`shown`, rounded to within `half`), else the last: '6.3% vs 4.8% ...: +1.4 points' and
    'GBP 39,000 vs GBP 39,000 (+GBP 390)' read otherwise than their differences (``pair_figures``,
    ``sim.experiments.comparison.pair_decimals``)."""
    return next((p for p in precisions if agrees(gap(p), shown, half)), precisions[-1])


def agrees(gap: float, shown: float, half: float) -> bool:
    """Whether two numbers' `gap` as written reads as their difference as written (`shown`, rounded to within `half`)."""
    return abs(gap - shown) <= half + 1e-9 * max(1.0, abs(shown))


def pair_figures(value: float, reference: float, difference: float, figures: int = MONEY_FIGURES) -> int:
    """The significant figures an amount and the one it is set beside are written to when their `difference` follows
    them, itself written to `figures`: ``MONEY_FIGURES``, or more until what a reader subtracts from the two as written
    agrees with the difference as written (``agreeing``), up to ``MOST_FIGURES``. 'GBP 39,000 vs GBP 39,000
    (+GBP 390)' read as if the two were equal, and 'GBP 48,000 vs GBP 39,000 (+GBP 9,600)' as 9,000 apart: at four
    figures they read 'GBP 38,910 vs GBP 38,520 (+GBP 390)' and 'GBP 48,150 vs GBP 38,520 (+GBP 9,600)'."""
    if value != value or reference != reference or difference != difference:
        return MONEY_FIGURES
    shown = significant(difference, figures) if abs(difference) >= NOISE else 0.0
    half = 0.5 * 10.0 ** -decimals_for(difference, figures) if shown else 0.0
    return agreeing(range(MONEY_FIGURES, MOST_FIGURES + 1),
                    lambda pair: significant(value, pair) - significant(reference, pair), shown, half)


def amount(value: float, *, signed: bool = False, exact: bool = False, figures: int = MONEY_FIGURES) -> str:
    """An amount without its currency, thousands separated: an estimate to so many significant `figures`
    ('910,000'; one below a unit keeps its figures, '0.4', so that a difference's side of 0 shows), one the reader
    gave (`exact`) to the unit; a difference (`signed`) with its sign ('+9,900'), but one that is 0 as written,
    rounding noise included, without ('0': '+0' read as a rise, as '+0.0 points' did); 'n/a' when unknown."""
    if value != value:
        return "n/a"
    if abs(value) < NOISE:
        value = 0.0
    text = f"{value:{'+' if signed else ''},.0f}" if exact else readable(value, figures, signed=signed)
    return text[1:] if signed and not text[1:].strip("0.,") else text


def money(value: float, currency: str, *, exact: bool = False, figures: int = MONEY_FIGURES) -> str:
    """An amount after its currency's code: an estimate rounded ('GBP 3,900,000'), one the reader gave `exact`
    ('GBP 1,500 per recall', a budget of 'GBP 18,000,000'); 'n/a' when unknown."""
    return "n/a" if value != value else f"{currency} {amount(value, exact=exact, figures=figures)}"


def signed_money(value: float, currency: str, figures: int = MONEY_FIGURES) -> str:
    """A difference in money with its sign before the currency ('+GBP 9,900', '-GBP 0.4'), rounded as ``amount``
    rounds, and as it writes 0, without a sign ('GBP 0'); 'n/a' when unknown."""
    if value != value:
        return "n/a"
    shown = amount(value, signed=True, figures=figures)
    return f"{shown[0]}{currency} {shown[1:]}" if shown[0] in "+-" else f"{currency} {shown}"


def money_change(value: float, currency: str, per: str = "", figures: int = MONEY_FIGURES) -> str:
    """A difference as money saved or added: 'GBP 1,400,000 less over the run' (`per` with its leading space)."""
    return f"{money(abs(value), currency, figures=figures)} {'less' if value < 0 else 'more'}{per}"


def money_interval(low: float, high: float, currency: str) -> str:
    """An interval of a difference in money: 'GBP 1,100,000 to 1,700,000 less' when it lies wholly below 0, '... more'
    wholly above, else signed ('GBP -200,000 to +150,000'); 'n/a' without one."""
    if low != low or high != high:
        return "n/a"
    figures = figures_apart(low, high)
    if high < 0:
        return f"{money(-high, currency, figures=figures)} to {amount(-low, figures=figures)} less"
    if low > 0:
        return f"{money(low, currency, figures=figures)} to {amount(high, figures=figures)} more"
    return f"{currency} {amount(low, signed=True, figures=figures)} to {amount(high, signed=True, figures=figures)}"


SHORT = ((1e9, "bn", "billion"), (1e6, "m", "million"), (1e3, "k", "thousand"))
"""The amounts a money axis writes short (``short_amount``): size, suffix, its word."""


def short_amount(value: float) -> str:
    """An amount on a money axis in at most four figures ('1.5m', '750k', '250'): in full, the last tick of a panel
    ('6,000,000', at its right edge) ran into the next panel's first, and an axis of millions needs no 'million' in
    its label that an axis of thousands would lack."""
    for size, suffix, _ in SHORT:
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:,.0f}"


def short_key(top: float) -> str:
    """What the suffixes an axis up to `top` can write stand for ('; k: thousand, m: million'), for its label: a
    reader of '750k' in a report for a ministry is told what k is."""
    used = [f"{suffix}: {word}" for size, suffix, word in reversed(SHORT) if top >= size]
    return f"; {', '.join(used)}" if used else ""
