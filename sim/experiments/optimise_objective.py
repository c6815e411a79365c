"""The objective of ``sim optimise``: which way is better on it, and how its values are named and written.

The search minimises its objective, or maximises it where higher is better (``maximised``), and every ranking reads its
values through ``loss``; optimise.md, the terminal and the front figure name it and write its values as this module
does (a share in percent, a difference of shares in points, any other metric in its unit). The method and the entry
point are ``sim.experiments.optimise``; the runs ``optimise_search``, the rankings ``optimise_ranking``, the words
``optimise_words``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim.experiments.comparison import pair_decimals, points_text
from sim.experiments.metrics import summarised
from sim.money import MONEY_FIGURES, pair_figures
from sim.objectives import BETTER
from sim.units import percent


def maximised(objective: str) -> bool:
    """Whether the search maximises `objective`: a metric on which higher is better (``sim.objectives.BETTER``: the
    employment rate, trust, NGO enrolment); every other is minimised (offences, recalls, stigma, custody, costs, and
    a metric of no known direction)."""
    return BETTER.get(summarised(objective)) == "higher"


def loss(values, objective: str | None):
    """`values` of `objective` (a number, array or column) as the search ranks them: lower is better, so a maximised
    objective's values are negated; a table keeps its values as they are and ranks by this."""
    return -values if objective and maximised(objective) else values


def aim(objective: str) -> str:
    """'minimising' or 'maximising' `objective`, as the terminal and optimise.md say what the search does."""
    return "maximising" if maximised(objective) else "minimising"


def better_word(objective: str) -> str:
    """'higher' for a maximised objective, else 'lower': which way the search counts as better."""
    return "higher" if maximised(objective) else "lower"


def show(value: float, sign: bool = False) -> str:
    """A share as 0.0144, a count or a cost as 5,285.5 (with its sign for a difference)."""
    plus = "+" if sign else ""
    return f"{value:{plus},.1f}" if abs(value) >= 10 else f"{value:{plus}.4f}"


def objective_kind(objective: str) -> tuple[str, bool, Any]:
    """The objective's words with its unit (``sim.analysis.value_label``), whether it is a share (written in percent)
    and its unit (``sim.units.UNITS``; None for a metric of no known unit)."""
    from sim.analysis.labels import value_label
    from sim.units import UNITS

    title, scale, _ = value_label(objective)
    unit = UNITS.get(summarised(objective))
    return title, scale == 100 or (unit is not None and unit.scale == 100), unit


def share_text(value: float, sign: bool = False, places: int = 1) -> str:
    """A share in percent to `places` decimals ('3.6%'), a difference of shares in percentage points as comparison.md
    writes it (``sim.experiments.comparison.points_text``: '-1.4 points', '0.0 points')."""
    if value != value:
        return "n/a"
    return points_text(value) if sign else percent(value, places)


def objective_form(objective: str) -> tuple[str, Callable[..., str]]:
    """What the objective is, in words with its unit, and how optimise.md writes its values: a share in percent and a
    difference of shares in percentage points (never a bare 0.0300; ``share_text``), any other metric in its unit's
    own precision (``sim.units.UNITS``: person-weeks whole, money to two significant figures as ``sim.money`` writes
    it, 0-1 levels to 3 places; never a difference in person-weeks as +0.5000 beside means of 1,503.0), a metric of no
    known unit as ``show``."""
    title, share, unit = objective_kind(objective)
    if share:
        return title, share_text
    if unit is None:
        return title, show

    def in_unit(value: float, sign: bool = False, figures: int = MONEY_FIGURES) -> str:
        return "n/a" if value != value else unit.text(value, signed=sign, figures=figures)

    return title, in_unit


def pair_shown(objective: str, value: float, reference: float, difference: float) -> tuple[str, str]:
    """A mix's objective and the scenario as it stands (`reference`) as optimise.md and the terminal write them before
    their `difference`, by the rule comparison.md's headlines and groups follow: a share to the decimals, money to the
    significant figures, that make what a reader subtracts from the two as written agree with the difference as written
    (``sim.experiments.comparison.pair_decimals``, ``sim.money.pair_figures``). '3.6% vs 5.0% (-1.3 points)' (3.64% and
    4.96%) read 1.4 apart; at two decimals it reads '3.64% vs 4.96%'. Any other metric as ``objective_form`` writes it."""
    _, share, unit = objective_kind(objective)
    if share:
        places = pair_decimals(value, reference, difference)
        return share_text(value, places=places), share_text(reference, places=places)
    shown = objective_form(objective)[1]
    if unit is not None and unit.money:
        figures = pair_figures(value, reference, difference)
        return shown(value, figures=figures), shown(reference, figures=figures)
    return shown(value), shown(reference)


def objective_name(objective: str) -> str:
    """The objective as a sentence names it beside a value: its words (``sim.analysis.value_label``), not its key, which
    a policy reader does not know ('new offence of any kind (first) at 156 weeks since release', where the prose said
    `reoffended_156w`); a share's '(% of cohort)' left to the value's own '%'."""
    from sim.analysis.labels import value_label

    title = value_label(objective)[0].removesuffix(" (% of cohort)")
    return title[:1].lower() + title[1:]


def objective_words(objective: str, currency: str | None = None) -> str:
    """The objective as optimise.md and the terminal name it: what it counts, its unit and which way is better
    (``sim.analysis.metric_words``): the direction the search takes (``maximised``)."""
    from sim.analysis.labels import metric_words

    return metric_words(objective, currency)
