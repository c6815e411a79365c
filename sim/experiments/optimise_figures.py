"""The figure of ``sim optimise``, figures/front.png: every mix's cost against its objective, the front, the budget,
the scenario as it stands and the best mixes.

``optimise_report`` writes it with the folder's other files; the objective's direction is ``optimise_objective``'s.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.experiments.optimise_objective import better_word

if TYPE_CHECKING:
    from sim.experiments.optimise import Optimisation


def draw_front(found: Optimisation, spec: dict[str, Any], path: Path) -> None:
    """``front_figure`` as a PNG at `path`, in matplotlib's defaults."""
    from sim.figures import matplotlib_defaults, save

    with matplotlib_defaults():
        save(front_figure(found, spec), path, dpi=120)


def front_figure(found: Optimisation, spec: dict[str, Any]):
    """Every mix's cost against its objective, the front, the budget, the status quo and the best mixes: the objective
    in its unit (a share of the cohort in percent) and named in words, the cost in money with its price year."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from sim.analysis.labels import value_label
    from sim.figures import titled, wrap
    from sim.money import short_amount, short_key

    meaning, scale, _ = value_label(spec["objective"])
    t = found.trials[found.trials["ok"]]
    fig, ax = plt.subplots(figsize=(7, 4.8))
    ax.scatter(t.loc[~t["feasible"], "spend"], scale * t.loc[~t["feasible"], "objective"], s=14, color="lightgrey",
               label="over budget")
    ax.scatter(t.loc[t["feasible"], "spend"], scale * t.loc[t["feasible"], "objective"], s=14, color="tab:blue",
               label="within budget")
    ax.step(found.front["spend"], scale * found.front["objective"], where="post", color="tab:blue", lw=1.2, label="front")
    quo = found.trials[found.trials["status_quo"]]  # none when the scenario's values lie outside the searched ranges
    if not quo.empty:
        ax.scatter(quo["spend"].iloc[:1], scale * quo["objective"].iloc[:1], marker="s", color="black", s=40, zorder=3,
                   label="scenario as it stands")
    # a best mix that is the scenario as it stands is its square, labelled by rank, never starred as a mix to fund
    for rank, (_, row) in enumerate(found.best.iterrows(), start=1):
        ax.annotate(f"{rank} (as it stands)" if row["status_quo"] else str(rank), (row["spend"], scale * row["objective"]),
                    textcoords="offset points", xytext=(4, 4 + 9 * (rank - 1)),
                    color="black" if row["status_quo"] else "tab:red")
    mixes = found.best[~found.best["status_quo"].astype(bool)]
    if not mixes.empty:
        ax.scatter(mixes["spend"], scale * mixes["objective"], marker="*", s=90, color="tab:red", zorder=4,
                   label="best mixes (search values)")
    ax.axvline(spec["budget"], color="tab:red", ls="--", lw=1, label="budget")
    if ax.get_ylim()[0] < 0 <= t["objective"].min():  # a share or count never below 0 (matplotlib pads all-0 down)
        ax.set_ylim(bottom=0)
    costs = spec["settings"].costs
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: short_amount(v)))  # as the acceptability curve's axis
    per = "per person released" if spec["basis"] == "per_released" else "over the run, whole cohort"
    ax.set_xlabel(f"cost {per} ({costs.currency}, {costs.price_year} prices{short_key(ax.get_xlim()[1])})")
    # a long name on lines of at most about 45 characters, so that none runs off the figure's height
    ax.set_ylabel(meaning.replace(" at ", "\nat ", 1) if " at " in meaning and len(meaning) > 40
                  else textwrap.fill(meaning, 45))
    settings = spec["settings"]  # named and in words as the tables name them, not by keys
    ax.set_title(wrap(f"{titled({settings.name: settings.title or settings.name}, settings.name)}: cost against "
                      f"{meaning[:1].lower()}{meaning[1:]} ({better_word(spec['objective'])} is better)", 7, 11),
                 fontsize="medium")
    ax.legend(fontsize="small", loc="best")
    fig.tight_layout()
    return fig
