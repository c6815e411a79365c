"""robustness.md's figures: each conclusion's difference over the draws (figures/robustness.png) and each PRIM box over
its most restricted assumptions (figures/prim_<scenario>_<outcome>.png); the acceptability curve's is
``sim.experiments.acceptability``'s.

Reads what the analysis found (``robustness_results``, ``robustness_analysis``) and labels a conclusion as
robustness.md's words do (``robustness_words``); ``sim.experiments.robustness`` writes them beside those words.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments.robustness_analysis import against_nominal
from sim.experiments.robustness_results import COST, Robustness, describe
from sim.experiments.robustness_words import kept_text
from sim.money import short_amount, short_key


def draw_spread(found: Robustness, path: Path) -> None:
    """``spread_figure`` as a PNG at `path` (a file or a buffer), in matplotlib's defaults."""
    from sim.figures import matplotlib_defaults, save

    with matplotlib_defaults():
        save(spread_figure(found), path, dpi=120)


SPREAD_WIDTH = 7.5  # inches: the width of an A4 page within its margins, so the saved text prints at its own size
LABEL_WIDTH = 2.9  # inches of it for a row's label: an outcome and its share of draws keeping the sign, wrapped


SHARES, MONEY_PANEL = 100, 1  # a spread panel's scale: shares and stigma x 100 (points), money as it is


def spread_panels(found: Robustness) -> list[tuple[str, pd.DataFrame]]:
    """The spread figure's panels: per scenario its shares and stigma, then per scenario its cost, each on its own
    scale (a difference of GBP 1,000 per person would flatten one of 2 points to 0), in robustness.csv's order."""
    t = found.table
    scenarios, cost = list(dict.fromkeys(t["scenario"])), t["outcome"] == COST
    return [(scenario, own) for money in (False, True) for scenario in scenarios
            if not (own := t[(t["scenario"] == scenario) & (cost == money)]).empty]


def spread_figure(found: Robustness):
    """One panel per scenario, headed by the scenario as robustness.md's tables name it (title and name, however long
    or alike two titles are), and one more per scenario for its cost on a money scale (``spread_panels``); one row
    per conclusion in robustness.csv's order from the top, labelled with the outcome and its share of draws keeping
    the sign as the tables say them: each draw's difference, the nominal difference and zero."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.figures import wrap

    t, panels = found.table, spread_panels(found)
    fig, axes = plt.subplots(len(panels), 1, squeeze=False, layout="constrained",
                             figsize=(SPREAD_WIDTH, 0.55 * len(t) + 0.75 * len(panels) + 1.6),
                             height_ratios=[len(own) for _, own in panels])
    axes = list(axes[:, 0])
    references = ", ".join(dict.fromkeys(map(found.title, t["reference"])))
    last = {}  # each scale's lowest panel: its axis is shared with the panels above and labelled there
    for ax, (scenario, own) in zip(axes, panels, strict=True):
        money = bool((own["outcome"] == COST).all())
        if money in last:  # the panel above, on the same scale: its axis is this one's
            ax.sharex(last[money])
            last[money].tick_params(axis="x", labelbottom=False)
        last[money] = ax
        scale = MONEY_PANEL if money else SHARES
        for i, row in enumerate(own.itertuples()):
            values = found.draws[f"{row.scenario}:{row.outcome}"].dropna() * scale
            ax.scatter(values, np.full(len(values), i) + np.random.default_rng(i).uniform(-0.15, 0.15, len(values)),
                       s=8, alpha=0.5, color="tab:blue", label="a draw")
            ax.scatter([row.nominal * scale], [i], marker="D", color="black", zorder=3, label="nominal")
        ax.axvline(0, color="grey", lw=1)
        ax.set_ylim(len(own) - 0.5, -0.5)  # the first conclusion on top, as in robustness.csv and robustness.md
        ax.set_yticks(range(len(own)), [f"{wrap(describe(r.outcome), LABEL_WIDTH, 15)}\n{wrap(kept_text(r), LABEL_WIDTH, 15)}"
                                        for r in own.itertuples()], fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(wrap(found.named(scenario), SPREAD_WIDTH - LABEL_WIDTH - 0.5, 12), fontsize=9, loc="left",
                     fontweight="bold")
    over, length = found.run_length()
    for money, ax in last.items():
        key = money_axis(ax) if money else ""
        ax.set_xlabel(wrap(f"difference from {references} "  # on lines as wide as the panel, the key at its end
                           + (f"({', '.join(filter(None, (f'{found.currency} per person released {over}', length)))}, "
                              f"{found.price_year} prices{key})" if money
                              else "(percentage points; stigma x 100)"), SPREAD_WIDTH - LABEL_WIDTH, 15), fontsize=8)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles[:2], labels[:2], loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    fig.suptitle(wrap(f"Differences from {references} under drawn assumptions", SPREAD_WIDTH, 11), fontsize=10)
    return fig


def money_axis(ax) -> str:
    """Writes a cost panel's amounts short, as every money axis is (``sim.money.short_amount``: '-2k', '10k'), and
    gives what its suffixes stand for, for its label: matplotlib's own ticks wrote '10000' without a separator, and
    millions as multiples of '1e6' in a corner."""
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: short_amount(value)))
    return short_key(max(map(abs, ax.get_xlim())))


def draw_prim(found: Robustness, scenario: str, outcome: str, box: pd.DataFrame, path: Path) -> None:
    """``prim_figure`` as a PNG at `path`, in matplotlib's defaults."""
    from sim.figures import matplotlib_defaults, save

    with matplotlib_defaults():
        save(prim_figure(found, scenario, outcome, box), path, dpi=120)


TITLE_POINTS = 10  # a PRIM figure's title: about 11 characters an inch, as it is wrapped


def prim_figure(found: Robustness, scenario: str, outcome: str, box: pd.DataFrame):
    """The draws over the box's two most restricted assumptions (one if it restricts one), flips and draws with no
    difference marked apart, box drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from sim.figures import parameter_label, wrap

    row = found.table[(found.table["scenario"] == scenario) & (found.table["outcome"] == outcome)].iloc[0]
    values = found.draws[f"{scenario}:{outcome}"]
    agreement = against_nominal(values, row.nominal)
    x_key = box["assumption"].iloc[0]
    y_key = box["assumption"].iloc[1] if len(box) > 1 else None
    # constrained: the legend goes below the panel, where it covers no draw (inside, at 'best', it sat on one)
    fig, ax = plt.subplots(figsize=(5.5, 4.9), layout="constrained")
    y = found.draws[y_key] if y_key else np.random.default_rng(0).uniform(0, 1, len(values))
    for side, style in ((1, {"color": "tab:blue", "label": "keeps the nominal sign"}),
                        (-1, {"color": "tab:red", "marker": "x", "label": "flips"}),
                        (0, {"color": "tab:orange", "marker": "s", "label": "no difference"})):
        shown = agreement == side
        if shown.any():
            ax.scatter(found.draws[x_key][shown], y[shown], s=14, **style)
    first = box.iloc[0]
    low_y, high_y = (box.iloc[1]["low"], box.iloc[1]["high"]) if y_key else (0, 1)
    ax.add_patch(Rectangle((first["low"], low_y), first["high"] - first["low"], high_y - low_y, fill=False,
                           edgecolor="black", lw=1.5, label=f"PRIM box ({first['box_holds']})"))
    ax.set_xlabel(parameter_label(x_key, 5.0))  # in words over the key: a policy reader does not know the keys
    ax.set_ylabel(parameter_label(y_key, 4.0) if y_key else "(spread for legibility)")
    # as the tables name it; a size of its own, as wrapping assumes it (a notebook's theme may enlarge "medium")
    ax.set_title(wrap(f"{found.named(scenario)}: {describe(outcome)}", 5.0, 11), fontsize=TITLE_POINTS)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=8, frameon=False)  # as robustness.png
    return fig
