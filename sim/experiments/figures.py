"""Figures of comparisons and sensitivity analyses, in the style of ``sim.figures``."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from scipy import stats

from sim.figures import LABELS, _save, palette
from sim.outcomes import CURVES


def draw_kaplan_meier(events: pd.DataFrame, scenarios: list[str], horizon: int, folder: Path) -> Path:
    """1 - Kaplan-Meier of the pooled first-event times per scenario (scipy.stats.ecdf), with 95% bands."""
    from sim.experiments.compare import event_data

    folder.mkdir(parents=True, exist_ok=True)
    colours = palette(scenarios)
    fig, axes = plt.subplots(1, 3, figsize=(18, 5.5))
    for ax, metric in zip(axes, CURVES, strict=True):
        for name in scenarios:
            data = event_data(events[events["scenario"] == name], metric, horizon)
            if len(data) == 0:
                continue
            fit = stats.ecdf(data).sf
            low, high = fit.confidence_interval(0.95)
            times = fit.quantiles
            ax.step(times, 100 * (1 - fit.probabilities), where="post", color=colours[name], lw=2, label=name)
            ax.fill_between(times, 100 * (1 - high.probabilities), 100 * (1 - low.probabilities), step="post",
                            color=colours[name], alpha=0.2, lw=0)
        ax.set(title=LABELS[metric], xlabel="Weeks since release", ylabel="Share of cohort (%)", xlim=(0, horizon))
        ax.set_ylim(bottom=0)
    axes[0].legend(loc="upper left", fontsize="small")
    fig.suptitle("1 - Kaplan-Meier of pooled first-event times (95% band; recall: returns first are censored)")
    return _save(fig, folder / "kaplan_meier.png")


def draw_sensitivity(table: pd.DataFrame, method: str, path: Path) -> Path:
    """Sobol': S1 and ST bars with intervals per output; Morris: mu* against sigma per output."""
    outputs = list(dict.fromkeys(table["output"]))
    fig, axes = plt.subplots(1, len(outputs), figsize=(6.5 * len(outputs), 5.5), squeeze=False)
    for ax, output in zip(axes[0], outputs, strict=True):
        rows = table[table["output"] == output]
        if method == "sobol":
            position = range(len(rows))
            ax.barh([p - 0.2 for p in position], rows["S1"], height=0.4, xerr=rows["S1_conf"], label="first order (S1)")
            ax.barh([p + 0.2 for p in position], rows["ST"], height=0.4, xerr=rows["ST_conf"], label="total (ST)")
            ax.set_yticks(list(position), rows["factor"])
            ax.set(xlabel="Share of output variance", title=output)
            ax.invert_yaxis()
        else:
            ax.errorbar(rows["mu_star"], rows["sigma"], xerr=rows["mu_star_conf"], fmt="o")
            for row in rows.itertuples():
                ax.annotate(row.factor, (row.mu_star, row.sigma), fontsize="small", xytext=(4, 4), textcoords="offset points")
            ax.set(xlabel="mu* (mean absolute elementary effect)", ylabel="sigma (interaction / non-linearity)", title=output)
    if method == "sobol":
        axes[0][0].legend(loc="lower right", fontsize="small")
    fig.suptitle("Sobol' sensitivity indices (95% intervals)" if method == "sobol" else "Morris screening")
    path.parent.mkdir(parents=True, exist_ok=True)
    return _save(fig, path)
