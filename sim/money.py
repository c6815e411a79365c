"""Money as the product writes it: on a figure's axis.

One module, importing nothing of the project's, so that every writer of money (``sim.costs``, the comparison, the
robustness analysis and its acceptability curve, the optimisation and its front figure) can import it without a
dependency cycle and no two of them write an amount in two ways.
"""

from __future__ import annotations

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
