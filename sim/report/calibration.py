"""The sections of a ``sim calibrate`` folder: how well it fits and what it rests on, the fitted values with their
uncertainty, the fit as a figure, the error at every target point and the fitted scenario."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from sim.checked_read import read_csv, read_text
from sim.report.blocks import png_file_html, table_html
from sim.scenarios.fields import unit_of


def is_calibration(folder: Path) -> bool:
    return (folder / "fit.csv").exists() and (folder / "calibrated.yaml").exists() and (folder / "manifest.json").exists()


def calibration_sections(folder: Path, manifest: dict) -> list[str]:
    """The fitted values first, then the fit as a figure, then the error at every target point."""
    parts = []
    score = manifest.get("best_score")
    if isinstance(score, int | float):
        parts.append(f"<p>Largest gap between the model's curve and the target, at the worst point: {score:.1f} "
                     "percentage points on the fit's seeds"
                     + (f", {manifest['check_max_abs_error']:.1f} percentage points on fresh seeds"
                        if isinstance(manifest.get("check_max_abs_error"), int | float) else "")
                     + (" at the target points fitted" if isinstance(manifest.get("holdout"), dict) else "") + ".</p>")
    if held := held_out_text(manifest):
        parts.append(f"<p>{html.escape(held)}</p>")
    if provenance := calibration_provenance(manifest):
        parts.append(f'<p class="note">{html.escape(provenance)}</p>')
    if (folder / "fit.csv").exists():
        parts += ["<h2>Fitted values and their uncertainty</h2>",
                  '<p class="note"><b>value</b>: the best fit. <b>low</b> to <b>high</b>: the values that fit the target '
                  "as well as the best one would on 97.5% of draws of seeds, i.e. the values this many replicates cannot "
                  "tell apart from the best; not a confidence interval for the real-world value, and it ignores the "
                  "target's own sampling error. <b>open low</b>/<b>open high</b>: True when that range reaches the edge "
                  "of the values scanned, so it may extend beyond. <b>search low</b> to <b>search high</b>: the range "
                  "searched. Each in the parameter's own unit.</p>",
                  table_html(with_units(read_csv(folder / "fit.csv", FIT_COLUMNS, rows=True, numeric=FIT_COLUMNS[1:]))
                             .rename(columns=lambda c: c.replace("_", " ")), index=False, digits=4)]
    if (folder / "calibration.png").exists():
        parts += ["<h2>Fit</h2>", png_file_html(folder / "calibration.png", "The target against the model's mean and 95% band.")]
    if (folder / "errors.csv").exists():
        parts += ["<h2>Error against the target</h2>",
                  '<p class="note">On fresh seeds, at every point of the target: <b>target</b> and <b>model mean</b> in '
                  "% of the cohort (cumulative), <b>model low</b> to <b>model high</b> the middle 95% of the fresh-seed "
                  "runs, <b>error</b> the model mean minus the target in percentage points"
                  + ("; <b>held out</b>: True at the points left out of the fit" if isinstance(manifest.get("holdout"), dict)
                     else "") + ".</p>",
                  table_html(read_csv(folder / "errors.csv", ERROR_COLUMNS, rows=True, numeric=ERROR_COLUMNS)
                             .rename(columns=lambda c: c.replace("_", " ")), index=False, digits=4)]
    if (folder / "candidates.csv").exists():
        parts.append(f'<p class="note">{len(read_csv(folder / "candidates.csv")):,} candidates searched.</p>')
    if (folder / "calibrated.yaml").exists():
        text = read_text(folder / "calibrated.yaml", "calibrated.yaml as written by sim calibrate")
        parts += ["<h2>The fitted scenario</h2>", '<p class="note">As a scenario file that extends the one fitted, ready to '
                  "run or compare.</p>", f"<pre>{html.escape(re.sub(ABSOLUTE, lambda m: Path(m[0]).name, text))}</pre>"]
    return parts


FIT_COLUMNS = ("parameter", "value", "low", "high")  # of fit.csv (``Calibration.intervals``), the numbers after the name
ERROR_COLUMNS = ("target", "model_mean", "model_low", "model_high", "error")  # of errors.csv (``Calibration.errors``)


def with_units(fit: pd.DataFrame) -> pd.DataFrame:
    """fit.csv with each parameter's unit beside it (``unit_of``): a fitted 0.012 is read in it."""
    if "parameter" not in fit or "unit" in fit:
        return fit
    return fit.assign(unit=fit["parameter"].map(lambda key: unit_of(str(key))))[
        ["parameter", "unit", *(c for c in fit if c != "parameter")]]


def generations(settings: dict) -> str:
    count = settings.get("generations", "?")
    return f"{count} generation" + ("" if count == 1 else "s")


def calibration_provenance(manifest: dict) -> str:
    """Which data, which seed, how the search ended and what the fresh-seed check is (not a held-out test: the
    held-out points are, when there are any)."""
    settings = manifest.get("settings") if isinstance(manifest.get("settings"), dict) else {}
    text = []
    if manifest.get("target"):
        digest = manifest.get("target_sha256")
        text.append(f"Fitted to {Path(str(manifest['target'])).name}" + (f" (sha256 {str(digest)[:16]})" if digest else "")
                    + (f" with root seed {settings['root_seed']}" if "root_seed" in settings else "") + ".")
    if settings.get("converged") is False:
        text.append(f"The search stopped at its budget after {generations(settings)}, before "
                    "differential evolution converged: a larger --budget may fit better.")
    elif settings.get("converged") is True:
        text.append(f"Differential evolution converged after {generations(settings)}.")
    if manifest.get("all_candidates_scored_alike") is True:
        text.append("Every candidate scored alike: the parameters searched do not move the matched curves (a target of "
                    "another cohort, or a curve this scenario never produces?), so the values and intervals say nothing.")
    elif isinstance(threshold := manifest.get("interval_threshold"), int | float) and threshold <= 0:
        text.append("The intervals hold only candidates that scored exactly the best, which does not make the values "
                    "exact: the replicate noise estimated from the fresh-seed runs stays below the best score on the "
                    "search's seeds (more --check-replicates estimate it better).")
    if "check_replicates" in settings:
        text.append(f"The fresh seeds are the best fit rerun {settings['check_replicates']} times with new random "
                    "numbers against the same target points: they check that the fit is not the luck of the search's "
                    "seeds; " + ("the held-out points, not they, are the out-of-sample check."
                                 if isinstance(manifest.get("holdout"), dict) else
                                 "nothing of the target was held out of the fit."))
    return " ".join(text)


def held_out_text(manifest: dict) -> str:
    """What a calibration held out of its fit and its error there beside the fitted points' ('' if nothing)."""
    held = manifest.get("holdout")
    if not isinstance(held, dict):
        return ""
    try:
        text = (f"Held out of the fit: the target's {held['held_out_points']} points from {held['unit']} {held['from']:g} "
                f"on (the {held['fitted_points']} before it were fitted). The largest gap there is "
                f"{held['best_score_held_out']:.1f} percentage points on the fit's seeds and "
                f"{held['check_max_abs_error_held_out']:.1f} on fresh seeds, against {held['best_score_in_sample']:.1f} and "
                f"{held['check_max_abs_error_in_sample']:.1f} at the points fitted: this is the out-of-sample check.")
        if held.get("within_limit_candidates", 0) > 1:
            text += (f" The {held['within_limit_candidates']} candidates within the intervals' limit score "
                     f"{held['within_limit_held_out_score_low']:.1f} to {held['within_limit_held_out_score_high']:.1f} "
                     "points there.")
    except (KeyError, TypeError, ValueError):
        return "Held out of the fit: part of the target (manifest.json's holdout is incomplete)."
    return text


ABSOLUTE = r"(?<![\w.~/-])/(?:[^\s/]+/)+[^\s/,;:)]+"  # an absolute POSIX path within a text, e.g. in a file's comment
