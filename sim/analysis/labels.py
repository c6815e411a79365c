"""What a runs-table metric is called: its title, scale and number format in a figure (``value_label``), and the
words a reader is told beside an objective or an output (``metric_words``)."""

from __future__ import annotations

from sim.curves import CURVES
from sim.experiments.metrics import summarised
from sim.figures import LABELS
from sim.objectives import BETTER


def value_label(value: str) -> tuple[str, float, str]:
    """Title, scale and number format of a runs-table metric (shares shown in percent)."""
    if value in LABELS:  # a run's total (cost_total, custody_weeks): the name is the metric, no horizon in it
        return LABELS[value], 1.0, ".2f"
    if value.startswith("final_"):
        base, when = value.removeprefix("final_"), "at the last week"
    else:
        base, _, suffix = value.rpartition("_")
        when = f"at {suffix[:-1]} weeks since release" if suffix.endswith("w") and suffix[:-1].isdigit() else ""
    if base in CURVES:
        return f"{LABELS[base]} {when} (% of cohort)", 100.0, ".1f"
    return f"{LABELS.get(base, base.replace('_', ' '))} {when}".strip(), 1.0, ".2f"


def metric_words(value: str, currency: str | None = None) -> str:
    """A runs-table metric as a reader is told it beside an objective or an output: what it counts with its unit
    (``value_label``, from ``sim.figures.LABELS``; money in `currency` when given) and which way is better
    (``sim.objectives.BETTER``), e.g. 'Custody-weeks (...): lower is better'."""
    from sim.units import UNITS

    title = value_label(value)[0]
    base = summarised(value)
    unit = UNITS.get(base)
    if currency and unit is not None and unit.money:
        title += f", in {currency}"
    better = BETTER.get(base)
    return f"{title}: {better} is better" if better else title
