"""How a metric is written: its unit (``Unit``, and ``UNITS`` for every metric a run writes), the range its interval
keeps to (``ceiling_of``), and a number rounded as a reader rounds it (``rounded``, ``percent``).

Presentation, kept apart from ``sim.outcomes`` (which computes what the model records), so that the outcomes hold
the model's numbers and every table, sentence and figure writes one number one way from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from sim.cost_columns import COST_COLUMNS
from sim.curves import CURVES
from sim.money import MONEY_FIGURES, amount

if TYPE_CHECKING:  # pandas is loaded where a column is read, not by every command line that writes a share
    import pandas as pd


@dataclass(frozen=True)
class Unit:
    """What a metric is measured in, so that tables label it truly and round it sensibly.

    `name` heads a table's column, `scale` turns the stored value into the shown one (shares are stored
    0-1 and shown in percent), `decimals` rounds a mean, and `difference` names a difference between
    scenarios where it is not `name` (a difference of percentages is in percentage points). Money is
    in the scenario's ``costs.currency``, which a result folder records, so its `name` is filled in there.
    """

    name: str
    decimals: int
    scale: float = 1.0
    difference: str | None = None
    money: bool = False

    def label(self, currency: str | None = None, *, difference: bool = False) -> str:
        """The unit as a header names it (a money unit by its currency, when known)."""
        if self.money:
            return currency or self.name
        return (self.difference or self.name) if difference else self.name

    def text(self, value: float, *, signed: bool = False, figures: int = MONEY_FIGURES) -> str:
        """`value` in this unit: scaled, rounded, thousands separated. A difference (`signed`) has its sign, and one
        too small for the unit's decimals keeps a significant digit so that its side of 0 shows (an interval's end at
        -0.03 points read +0.0, as if the interval reached 0; a flip of -0.007 points read as no difference). Below
        ``NOISE_DECIMALS`` a value is floating-point rounding (two equal means differ by -3.5e-19 after averaging):
        0, never -0.0 or 9e-16. A difference that is 0 so written has no sign ('0.0', never '+0.0', which a reader
        takes for a rise). Money is an estimate rounded as every amount in words is (``sim.money.amount``), to
        `figures` significant figures (more for an interval's ends, ``sim.money.figures_apart``)."""
        if self.money:
            return amount(self.scale * value, signed=signed, figures=figures)
        scaled = self.scale * value
        if abs(scaled) < 10.0 ** -min(self.decimals + 3, NOISE_DECIMALS):
            scaled = 0.0
        text = f"{rounded(scaled, self.decimals):{'+' if signed else ''},.{self.decimals}f}"
        if float(text.replace(",", "")) != 0:
            return text
        return f"{scaled:+.1g}" if signed and scaled else f"{0.0:,.{self.decimals}f}"


def rounded(value: float, decimals: int) -> float:
    """`value` rounded to `decimals` as a reader rounds it: half away from zero, and of the value without its
    floating-point noise. One difference of -0.25 points came out of two averages as -0.25000000000000006 and
    -0.24999999999999996 and read -0.3 beside -0.2; and Python rounds an exact half to the even digit (2.25 to 2.2,
    but 0.75 to 0.8), which a reader checking the figures does not."""
    if not math.isfinite(value):
        return value
    exact = Decimal(repr(round(float(value), decimals + CLEAN_DIGITS)))  # the shortest decimal of it less its noise
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


CLEAN_DIGITS = 6
"""Decimals beyond those shown that ``rounded`` keeps before it rounds: floating-point noise in a mean of shares sits
near the 15th significant digit, a real difference of shares at a person in a cohort, far above it."""


def percent(share: float, decimals: int = 1) -> str:
    """A share (0-1) in percent to `decimals` ('15.8%'), rounded as ``rounded`` rounds; 'n/a' when unknown. Every share
    set beside another or beside a difference in points is written here, so that one number reads one way."""
    return "n/a" if share != share else f"{rounded(100 * share, decimals):.{decimals}f}%"


NOISE_DECIMALS = 4
"""A shown value smaller than a thousandth of its unit's last decimal, and in any case than 10^-4, is rounding noise
(``Unit.text``): a real difference of shares is a multiple of one person in a cohort, far above it."""


COHORT_SHARE = Unit("% of cohort", 1, scale=100, difference="percentage points")
COMMUNITY_SHARE = Unit("% of those in the community", 1, scale=100, difference="percentage points")
LEVEL = Unit("level 0-1", 3)
PEOPLE = Unit("people", 1)
MONEY = Unit("currency", 0, money=True)
UNKNOWN = Unit("unit not recorded", 3)  # a metric of a folder written by another version of the model
# Every metric's unit, in one place: curves, weekly metrics (``sim.outcomes.weekly_metrics``), weekly costs, the
# costs a comparison adds and the outputs ``sim.analysis.per_person`` derives. tests/test_report.py fails on a
# metric a run writes that is not here, tests/test_analysis.py on a share without its ceiling.
UNITS: dict[str, Unit] = {
    **dict.fromkeys(CURVES, COHORT_SHARE),
    **dict.fromkeys(("employment_rate", "housing_rate"), COMMUNITY_SHARE),
    **dict.fromkeys(("community_stigma", "experienced_stigma", "family_bond", "prosocial_ties", "needs", "commitment",
                     "engagement", "family_stigma", "trust_government", "trust_ngo", "ngo_willingness",
                     "ngo_reputation", "ngo_independence"), LEVEL),
    **dict.fromkeys(("ngo_enrolled", "ngo_waitlist", "in_prison", "on_licence", "licence_ended", "recalled_now",
                     "returned_now", "in_custody"), PEOPLE),
    "ngo_places": Unit("places", 1),
    "ngo_enrolled_share": COHORT_SHARE,  # enrolled with an NGO, of the released cohort
    "ngo_places_per_person": Unit("places per released person", 3),
    **dict.fromkeys(("offences_total", "terrorism_offences_total"), Unit("offences", 1)),
    "recalls_total": Unit("recalls", 1),
    "probation_contacts": Unit("contacts a week", 1),
    **dict.fromkeys((*COST_COLUMNS, "cost_total", "cost_per_released"), MONEY),  # what a comparison adds
    "custody_weeks": Unit("person-weeks", 0),
}


def ceiling_of(values: pd.Series) -> float | None:
    """The upper bound of a quantity's interval: 1 for shares and 0-1 levels, none for counts of people,
    offences or money. Read from the metric's unit (``UNITS``, by the series' name); a metric without one
    (a folder of another version) falls back on its type: floats are shares or levels, integers counts."""
    unit = UNITS.get(values.name)
    if unit is not None:
        return unit_ceiling(unit)
    from pandas.api.types import is_float_dtype

    return 1.0 if is_float_dtype(values) else None


def unit_ceiling(unit: Unit | None) -> float | None:
    """The upper bound of a quantity in `unit`: 1 for shares and 0-1 levels, none for counts, person-weeks or money
    (or an unknown unit)."""
    return 1.0 if unit in (COHORT_SHARE, COMMUNITY_SHARE, LEVEL) else None


def share_interval(low: float, high: float) -> str:
    """A Wilson interval of a share of draws in words, rounded as ``percent`` rounds: '95% CI 89 to 100%'."""
    return f"95% CI {rounded(100 * low, 0):.0f} to {percent(high, 0)}"
