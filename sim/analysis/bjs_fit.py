"""The model against the BJS 2005 30-state release cohort, as a notebook reads it: the target (``bjs_target``), the
fit of a run's curves month by month (``fit_table``, ``plot_fit``), and a ``sim.calibrate`` result's check runs
and the candidates its search evaluated (``calibration_fit``, ``plot_candidates``)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd

from sim.analysis.checks import require
from sim.analysis.plots import Y_SHARE, slide_theme
from sim.analysis.summaries import cut_marks
from sim.calibration.objective import model_percent
from sim.calibration.target import BJS_CURVES, read_target
from sim.data import BJS_2005, shipped
from sim.errors import InputError
from sim.experiments.metrics import value_range
from sim.stats import interval

FIT_COLUMNS = ["target", "metric", "month", "weeks_since_release", "observed", "model", "model_low", "model_high",
               "model_note", "error_points"]


def bjs_target() -> pd.DataFrame:
    """The BJS 2005 30-state cohort (sim/data/README.md): cumulative shares (0-1) by month after release, with the
    week since release each month falls at (month x 52/12, read as ``sim calibrate`` and ``sim patterns`` read it)."""
    target = read_target(shipped(BJS_2005))
    wide = target.points.pivot(index=["time", "week"], columns="column", values="percent")[target.columns] / 100
    wide = wide.reset_index().rename(columns={"time": "month", "week": "weeks_since_release"})
    wide["month"] = wide["month"].astype(int)
    return wide.rename_axis(columns=None)


def fit_table(curves: pd.DataFrame, target: pd.DataFrame | None = None, mapping: dict[str, str] | None = None) -> pd.DataFrame:
    """Model against target at each month the run covers: mean and 95% band across replicates (kept within what
    the metric can be, ``value_range``: a share's within 0-100%; ``model_note`` marks a band cut there), error in points.

    Each replicate's weekly curve is read at the month's week by linear interpolation, as ``sim calibrate``
    scores a fit (month 2 is week 8.67), so this table and a calibration's errors agree.
    """
    target = bjs_target() if target is None else target
    if mapping is not None and not isinstance(mapping, dict):
        raise InputError(f"got {type(mapping).__name__} instead of a mapping", key="mapping",
                         expected="a dict of the target's column to a curve, e.g. {'arrest': 'reoffended'}")
    mapping = mapping or BJS_CURVES
    require(curves, ["weeks_since_release", *mapping.values()], "the curves")
    require(target, ["month", "weeks_since_release", *mapping], "the target")
    for column in ("scenario", "point"):  # one band over several scenarios or design points would mean nothing
        if column in curves and curves[column].nunique() > 1:
            first = curves[column].tolist()[0]  # a Python value, shown as one would type it
            raise InputError(f"holds {curves[column].nunique()} {column}s: fit_table fits one", key="curves",
                             expected=f"the curves of one {column}, e.g. curves[curves['{column}'] == {first!r}]")
    keys = [c for c in ("scenario", "replicate") if c in curves]  # one run's curves (``simulate``) have neither
    runs = [run for _, run in curves.groupby(keys, sort=False)] if keys else [curves]
    rows = []
    for column, metric in mapping.items():
        observed = target.dropna(subset=[column])
        points = pd.DataFrame({"week": observed["weeks_since_release"].to_numpy(dtype=float), "output": metric})
        model = model_percent(runs, points) / 100  # replicates x months; NaN past a run's last week
        for point, (month, week, share) in enumerate(zip(observed["month"], observed["weeks_since_release"],
                                                         observed[column], strict=True)):
            values = pd.Series(model[:, point]).dropna()
            if values.empty:  # past the run's horizon
                continue
            mean, low, high = interval(values, **value_range(metric))
            rows.append({"target": column, "metric": metric, "month": int(month), "weeks_since_release": float(week),
                         "observed": float(share), "model": mean, "model_low": low, "model_high": high,
                         "error_points": 100 * (mean - float(share))})
    return cut_marks(pd.DataFrame(rows, columns=FIT_COLUMNS), "model", "model_low", "model_high", "model_note")


def plot_fit(fit: pd.DataFrame, *, title: str | None = None):
    """Model curves (mean, 95% band) against the target points, and the error at each month; months a calibration
    held out of its fit (a ``held_out`` column, as ``calibration_fit`` gives) are shaded, its out-of-sample check."""
    slide_theme()
    require(fit, ("target", "metric", "month", "observed", "model", "model_low", "model_high", "error_points"),
            "the fit table")
    if fit.empty:
        raise InputError("the fit table is empty: the run ends before the target's first month",
                         expected="a run followed at least to the first month of the target")
    targets = list(dict.fromkeys(fit["target"]))
    fig, axes = plt.subplots(2, len(targets), figsize=(7.5 * len(targets), 9), squeeze=False, sharex=True,
                             gridspec_kw={"height_ratios": [2, 1]})
    for i, name in enumerate(targets):
        part = fit[fit["target"] == name]
        top, bottom = axes[0][i], axes[1][i]
        top.fill_between(part["month"], 100 * part["model_low"], 100 * part["model_high"], alpha=0.25, lw=0,
                         label="model, 95% band")
        top.plot(part["month"], 100 * part["model"], lw=2, label=f"model: {part['metric'].iloc[0]}")
        top.plot(part["month"], 100 * part["observed"], "o", color="black", ms=4, label=f"BJS 2005: {name}")
        top.set(title=f"{name.replace('_', ' ')} (cumulative)", ylabel=Y_SHARE)
        top.set_ylim(bottom=0)
        top.legend(loc="lower right", fontsize="small")
        bottom.bar(part["month"], part["error_points"], color="grey")
        bottom.axhline(0, color="black", lw=1)
        bottom.set(xlabel="Months since release", ylabel="Model - BJS (points)")
        held = part["month"][part["held_out"].astype(bool)] if "held_out" in part else part["month"].iloc[:0]
        if len(held):
            for ax in (top, bottom):
                ax.axvspan(held.min() - 0.5, held.max() + 0.5, color="gold", alpha=0.15, lw=0,
                           label="held out of the fit" if ax is top else None)
            top.legend(loc="lower right", fontsize="small")
    fig.suptitle(title or "Fit against the BJS 2005 30-state release cohort")
    fig.tight_layout()
    return fig


def require_calibration(calibration, *attributes: str) -> None:
    """Refuse what lacks the `attributes` of what ``sim.calibrate`` returns (``load`` does not read a calibration's
    folder): a table, a folder's path or None, rather than an AttributeError."""
    missing = [name for name in attributes if not hasattr(calibration, name)]
    if missing:
        raise InputError(f"got {type(calibration).__name__} instead of a calibration (it has no {missing[0]})",
                         key="calibration", expected="the result sim.calibrate(...) returns")


def calibration_fit(calibration) -> pd.DataFrame:
    """A ``sim.calibration`` result's check runs in :func:`fit_table`'s layout, to draw with :func:`plot_fit`, with
    ``held_out`` marking the months held out of the fit."""
    require_calibration(calibration, "errors")
    errors = calibration.errors()
    return cut_marks(pd.DataFrame({
        "target": errors["column"], "metric": errors["output"], "month": errors["month"],
        "observed": errors["target"] / 100, "model": errors["model_mean"] / 100,
        "model_low": errors["model_low"] / 100, "model_high": errors["model_high"] / 100, "error_points": errors["error"],
        "held_out": errors["held_out"] if "held_out" in errors else False,
    }), "model", "model_low", "model_high", "model_note")


def plot_candidates(calibration):
    """The candidates a ``sim.calibration`` search evaluated, coloured by score (its largest error against the target,
    in points), those marked whose score stays under the limit replicate noise alone reaches at the best fit (its
    97.5th percentile, ``best_score + threshold``: the values the parameters' intervals hold). Two or more
    free parameters: the first two against each other; one: the parameter against the score. A parameter searched
    on a log scale is drawn on one."""
    slide_theme()
    require_calibration(calibration, "candidates", "parameters", "best_score", "threshold")
    candidates, parameters = calibration.candidates, list(calibration.parameters)
    near = candidates["score"] <= calibration.best_score + calibration.threshold
    score = "Score: largest error against the target (points)"
    x = parameters[0]
    y = parameters[1].key if len(parameters) > 1 else "score"
    fig, ax = plt.subplots(figsize=(11, 6.5))
    norm = plt.Normalize(float(candidates["score"].min()), float(candidates["score"].max()))
    for inside, marker, label in ((False, "o", "other candidates"),
                                  (True, "X", "within replicate noise of the best (score under its 97.5th percentile)")):
        part = candidates[near == inside]
        if len(part):
            ax.scatter(part[x.key], part[y], c=part["score"], cmap="viridis_r", norm=norm, marker=marker,
                       s=120, label=label, edgecolors="black" if inside else "none", linewidths=0.5)
    fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap="viridis_r"), ax=ax, label="Score (points)")
    for axis, parameter in ((ax.xaxis, x), (ax.yaxis, parameters[1] if len(parameters) > 1 else None)):
        if parameter is not None and parameter.log:
            (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
            axis.set_major_locator(mticker.LogLocator(subs=(1, 2, 5)))
            axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_minor_formatter(mticker.NullFormatter())
    ax.set(xlabel=x.key, ylabel=y if len(parameters) > 1 else score)
    hidden = len(parameters) - 2
    ax.set_title(f"Candidates searched ({len(candidates)}; score: largest error against the target, points)"
                 + (f"; {hidden} further free parameter{'s' * (hidden > 1)} not shown" if hidden > 0 else ""))
    ax.legend(loc="best", fontsize="x-small", framealpha=0.9)
    fig.tight_layout()
    return fig
