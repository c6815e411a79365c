"""What a robustness analysis found, as every other part reads it: the ``Robustness`` record, which outcome columns are
its conclusions (``OUTCOME``, ``COST``, ``is_headline``), and how each is named (``describe``) and its difference
written (``difference_form``).

Here, beneath the rest, so that the analysis that fills the record (``robustness_analysis``), the words and figures
that read it (``robustness_words``, ``robustness_figures``) and the run that writes and loads it
(``sim.experiments.robustness``) all name a conclusion one way, and the record's own methods (``Robustness.form``)
need none of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.costs import SHIPPED_CURRENCY, WORDS, run_parts, run_words
from sim.curves import CURVE_WORDS, YEAR
from sim.experiments.comparison import points_text
from sim.money import signed_money
from sim.scenarios.cost_parameters import Costs
from sim.units import LEVEL

OUTCOME = re.compile(r"^(reoffended|recalled|terrorism_offence)_(\d+)w$")
COST = "cost_per_released"
"""The cost conclusion: a run's cost over its whole horizon (``cost_total``) per person released in it (``released``),
both kept in a sweep's rows (``sim.costs.run_totals``); per person, so that it reads as comparison.md's does."""


@dataclass
class Robustness:
    """A robustness folder's results: ``.draws`` (one row per draw), ``.table`` (per conclusion), ``.boxes`` (PRIM),
    ``.acceptability`` (the cost-effectiveness acceptability curve)."""

    directory: Path
    draws: pd.DataFrame
    table: pd.DataFrame
    boxes: pd.DataFrame
    factors: list[str]
    failed: int = 0
    titles: dict[str, str] = field(default_factory=dict)  # scenario name -> title (``sim.figures.titles``)
    currency: str = SHIPPED_CURRENCY  # the reference's (``require_one_currency``: every scenario's)
    price_year: int = Costs.model_fields["price_year"].default
    acceptability: pd.DataFrame | None = None
    """The cost-effectiveness acceptability curve (``ACCEPTABILITY_COLUMNS``, ``acceptability_curve``); None for a
    folder written before the curve, whose draws.csv lacks each draw's extra cost and offences averted."""
    prices_terrorism: bool = False
    """Whether a compared cohort, at its nominal settings, can commit terrorism offences (``sim.curves.commits_terrorism``):
    then the curve is drawn per terrorism offence averted too (``priced_outcomes``)."""
    weeks: int | None = None
    """The run's length, which its cost is over; None for a folder whose record does not give it."""


    def over_the_run(self) -> str:
        """'over the run (182 weeks)': the weeks a run's cost covers, as comparison.md says them
        (``sim.costs.run_words``), so that a cost per person released is never read as a year's or a lifetime's;
        'over the run' where the length is not known."""
        return run_words(self.weeks, self.weeks) if self.weeks else "over the run"

    def run_length(self) -> tuple[str, str]:
        """``over_the_run`` in its two parts (``sim.costs.run_parts``), for a bracket of its own: ('over the run',
        '182 weeks'); ('over the run', '') where the length is not known."""
        return run_parts(self.weeks, self.weeks) if self.weeks else ("over the run", "")

    def has_curve(self) -> bool:
        """Whether there is an acceptability curve to draw: none in a folder written before it, nor without a scenario
        to set against the reference."""
        return self.acceptability is not None and not self.acceptability.empty

    def title(self, name: str) -> str:
        """A scenario as figures and repeated mentions name it: its title."""
        return self.titles.get(name, name)

    def named(self, name: str) -> str:
        """A scenario at its first mention in a sentence: its title with its name, the id that reruns it."""
        from sim.figures import titled

        return titled(self.titles, name)

    def form(self, outcome: str):
        """``difference_form`` of `outcome` in this analysis's currency."""
        return difference_form(outcome, self.currency)

    def counted(self, row) -> str:
        """The draws a conclusion's share is out of: '8 draws', or, when some draws have no value for it, how many
        have one and why the others have none, so that '5 draws' of the 8 that ran is never left unexplained."""
        ran = len(self.draws)
        if row.draws >= ran:
            return f"{row.draws} draws"
        horizon, failed = OUTCOME.match(row.outcome), ", or a run failed" if self.failed else ""
        why = (f"nobody in one scenario or both was followed {horizon.group(2)} weeks after release{failed}" if horizon
               else f"nobody in one scenario or both was released during the run{failed}" if row.outcome == COST
               else "a run failed")
        others = "the other draw" if ran - row.draws == 1 else f"the other {ran - row.draws}"
        return (f"the {row.draws} draws with a value ({others} of the {ran} {'has' if ran - row.draws == 1 else 'have'} "
                f"none: {why})")


def is_headline(column: str) -> bool:
    """Whether `column` of a sweep's rows is a conclusion the analysis tests: a share a whole number of years after
    release, community stigma at the end, or the cost (``COST``)."""
    match = OUTCOME.match(column)
    return column in ("final_community_stigma", COST) or bool(match and int(match.group(2)) % YEAR == 0)


def describe(outcome: str) -> str:
    match = OUTCOME.match(outcome)
    if match:
        return f"{CURVE_WORDS[match.group(1)]} within {match.group(2)} weeks"
    return f"{WORDS[COST]} over the run" if outcome == COST else "community stigma at the end"


def difference_form(outcome: str, currency: str = SHIPPED_CURRENCY):
    """A difference as robustness.md shows it (``Unit.text``): one too small for the usual decimals keeps a
    significant digit, so a flip (a difference of the other sign, however small) never reads as 0.0; one within
    rounding error of 0 (e.g. a 5% quantile interpolated between 0 and a real difference) is 0 without a sign ('0.0
    points', never '+9e-16 points'), as comparison.md writes it (``points_text``).
    A cost in `currency` ('+GBP 1,200')."""
    if outcome == COST:
        return lambda v: signed_money(v, currency)
    if outcome == "final_community_stigma":
        return lambda v: LEVEL.text(v, signed=True)
    return points_text
