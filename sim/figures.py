"""Standard figures: first-event curves and stigma, NGO and custody series, with 95% bands.

One colour per scenario, kept across figures (the order scenarios were given in); axes carry units.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from scipy import stats  # noqa: E402

LABELS = {
    "reoffended": "New offence (first)",
    "recalled": "Recalled for breach (first)",
    "returned": "Returned to custody (first)",
    "community_stigma": "Community stigma (mean attitude, 0-1)",
    "experienced_stigma": "Experienced stigma (mean, 0-1)",
    "ngo_enrolled": "Enrolled with an NGO (people)",
    "ngo_waitlist": "On an NGO waitlist (people)",
    "in_custody": "In custody after release (people)",
    "employment_rate": "Employed (share of those in the community)",
}


def palette(scenarios: list[str]) -> dict[str, tuple]:
    """One colour per scenario, stable across figures (colour-blind safe)."""
    colours = sns.color_palette("colorblind", max(len(scenarios), 3))
    return {name: colours[i % len(colours)] for i, name in enumerate(scenarios)}


def band(frame: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Mean and 95% t-interval of `y` across replicates at each `x`."""
    grouped = frame.groupby(x)[y]
    mean, sd, n = grouped.mean(), grouped.std(ddof=1), grouped.count()
    half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
    return pd.DataFrame({"mean": mean, "low": mean - half.fillna(0), "high": mean + half.fillna(0)}).reset_index()


def draw_bands(ax, frame: pd.DataFrame, x: str, y: str, colours: dict[str, tuple], scale: float = 1.0) -> None:
    for scenario, group in frame.groupby("scenario", sort=False):
        b = band(group.dropna(subset=[y]), x, y)
        ax.plot(b[x], b["mean"] * scale, color=colours[scenario], label=scenario, lw=2)
        ax.fill_between(b[x], b["low"] * scale, b["high"] * scale, color=colours[scenario], alpha=0.2, lw=0)


def draw_run(curves: pd.DataFrame, timeseries: pd.DataFrame, folder: Path) -> list[Path]:
    """Write the standard figures of a run into `folder` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    scenarios = list(dict.fromkeys(curves["scenario"]))
    colours = palette(scenarios)
    sns.set_theme(context="talk", style="whitegrid")
    written = []

    fig, axes = plt.subplots(1, 3, figsize=(18, 5.5), sharey=False)
    for ax, metric in zip(axes, ("reoffended", "recalled", "returned"), strict=True):
        draw_bands(ax, curves, "weeks_since_release", metric, colours, scale=100)
        ax.set(title=LABELS[metric], xlabel="Weeks since release", ylabel="Share of cohort (%)")
        ax.set_ylim(bottom=0)
    axes[0].legend(loc="upper left", fontsize="small")
    fig.suptitle("Recidivism and recall: cumulative share of the released cohort (mean, 95% band)")
    written.append(_save(fig, folder / "recidivism_recall.png"))

    fig, axes = plt.subplots(1, 2, figsize=(14, 5.5))
    for ax, metric in zip(axes, ("community_stigma", "experienced_stigma"), strict=True):
        draw_bands(ax, timeseries, "week", metric, colours)
        ax.set(title=LABELS[metric], xlabel="Week of simulation", ylabel="Stigma (0 accepting - 1 rejecting)")
    axes[0].legend(loc="best", fontsize="small")
    fig.suptitle("Stigmatisation: community attitudes and what released people experience")
    written.append(_save(fig, folder / "stigma.png"))

    fig, axes = plt.subplots(1, 3, figsize=(18, 5.5))
    for ax, metric in zip(axes, ("ngo_enrolled", "ngo_waitlist", "in_custody"), strict=True):
        draw_bands(ax, timeseries, "week", metric, colours)
        ax.set(title=LABELS[metric], xlabel="Week of simulation", ylabel="People")
    axes[0].legend(loc="best", fontsize="small")
    fig.suptitle("Support and custody over time")
    written.append(_save(fig, folder / "ngo_custody.png"))
    return written


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
