"""The files of ``sim calibrate``: calibrated.yaml, fit.csv, errors.csv, candidates.csv, calibration.png, manifest.json.

They are written as one set (``sim.output.replace_set``): into a hidden staging folder inside DIR, then renamed into
place with the earlier manifest removed first and the new one renamed last, so the manifest is the commit. A reader (``sim report``) takes a folder
for a calibration only with its manifest: one stopped between two renames holds no manifest and is refused as
stopped early (a rerun re-uses the cache and writes the set whole), never read as a mixture of an earlier result and
this one. The run cache beside them is kept for reruns.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402

from sim.calibration.cache import RESULTS  # noqa: E402
from sim.calibration.fit import Calibration  # noqa: E402
from sim.calibration.target import WEEKS_PER_MONTH  # noqa: E402
from sim.figures import matplotlib_defaults, save  # noqa: E402
from sim.output import replace_set, write_json  # noqa: E402
from sim.scenarios import load_scenario, shipped_names  # noqa: E402
from sim.scenarios.fields import FITTED, value_at  # noqa: E402
from sim.scenarios.scenario_name import derived_name  # noqa: E402

HELD_OUT_MEANING = ("the target points from `from` on were not fitted: best_score_held_out is the objective's measure "
                    "there for the best candidate on the fit's seeds (beside best_score_in_sample), check_max_abs_error_"
                    "held_out the same on fresh seeds, within_limit_held_out_score_low/high its range over the candidates "
                    "within the interval limit: the out-of-sample check")


def parent_reference(source: str, out: Path) -> str:
    """How calibrated.yaml names its parent: the shipped name, or the input file's path relative to DIR."""
    if source in shipped_names() and not Path(source).exists():
        return source
    return os.path.relpath(Path(source).resolve(), out.resolve())


def nested(values: dict[str, Any]) -> dict[str, Any]:
    """Dotted keys -> the nested mapping a scenario file holds."""
    tree: dict[str, Any] = {}
    for key, value in values.items():
        node = tree
        *sections, last = key.split(".")
        for section in sections:
            node = node.setdefault(section, {})
        node[last] = value
    return tree


def significant(value: Any) -> Any:
    return float(f"{value:.6g}") if isinstance(value, float) else value


def current_value(scenario, key: str) -> Any:
    """A --set value as the scenario holds it (typed), for writing back into YAML."""
    node = value_at(scenario, tuple(key.replace("__", ".").split(".")))
    return node.model_dump(mode="json") if hasattr(node, "model_dump") else node


def calibrated_yaml(result: Calibration, out: Path) -> str:
    fit = result.intervals()
    fixed = {key: current_value(result.scenario, key) for key in result.settings["overrides"]}
    values = {**fixed, **{k: significant(v) for k, v in result.best.items()}}
    matches = ", ".join(f"{c} vs {o}" for c, o in result.matches.items())
    fresh = result.check_error()
    header = [f"# Written by `sim calibrate` on {result.timing['finished']}: fitted to {result.target.path} ({matches}),",
              f"# sha256 {result.target.sha256[:16]}, root seed {result.settings['root_seed']}.",
              f"# Max absolute error {result.best_score:.2f} points on the fit's seeds, {fresh:.2f} on "
              f"{len(result.check_curves)} fresh seeds"]
    if (held := result.holdout()) is None:
        header.append("# (the same target points: nothing was held out of the fit); intervals in fit.csv:")
    else:
        header += [f"# at the {held['fitted_points']} target points fitted ({held['unit']}s before {held['from']:g}); at the "
                   f"{held['held_out_points']} held out of the fit",
                   f"# ({held['unit']} {held['from']:g} on), the out-of-sample check: {held['best_score_held_out']:.2f} "
                   f"on the fit's seeds, {held['check_max_abs_error_held_out']:.2f} on fresh seeds; intervals in fit.csv:"]
    header += [f"#   {r.parameter} = {r.value:.4g} ({r.low:.4g} - {r.high:.4g})" for r in fit.itertuples()]
    document = {
        "name": derived_name(result.scenario.name, "_calibrated"),
        "extends": parent_reference(result.source, out),
        "description": f"{result.scenario.name} with {', '.join(result.best)} fitted to {result.target.path.name} "
                       f"({matches}) by `sim calibrate`.",
        **nested(values),
        # held at the fit by `sim robustness` (``Scenario.fitted``); a --set value written above is not fitted
        FITTED: {key: f"{result.target.path.name}, {matches}, by sim calibrate" for key in result.best},
    }
    return "\n".join(header) + "\n" + yaml.safe_dump(document, sort_keys=False, width=100)


@matplotlib_defaults()
def draw(result: Calibration, path: Path) -> None:
    """Target points against the model's mean and 95% band over the fresh-seed check runs, one panel per match."""
    pairs = list(result.matches.items())
    fig, axes = plt.subplots(1, len(pairs), figsize=(7 * len(pairs), 5), squeeze=False)
    weeks = np.arange(result.scenario.weeks + 1)
    for ax, (column, output) in zip(axes[0], pairs, strict=True):
        curves = np.array([100 * c[output].to_numpy() for c in result.check_curves])
        scale = 1 / WEEKS_PER_MONTH if result.target.clock == "month" else 1.0
        low, high = np.nanpercentile(curves, [2.5, 97.5], axis=0)
        ax.fill_between(weeks * scale, low, high, alpha=0.25, color="tab:blue", lw=0, label="model 95% band")
        ax.plot(weeks * scale, curves.mean(axis=0), color="tab:blue", lw=2, label=f"model: {output}")
        observed = result.target.of(column)
        if result.holdout_from is None:
            ax.plot(observed["time"], observed["percent"], "o", ms=3.5, color="black", label=f"target: {column}")
        else:  # the points held out of the fit, hollow beyond a dotted line
            held = observed["time"] >= result.holdout_from
            ax.plot(observed["time"][~held], observed["percent"][~held], "o", ms=3.5, color="black",
                    label=f"target: {column}, fitted")
            ax.plot(observed["time"][held], observed["percent"][held], "o", ms=3.5, mfc="none", color="black",
                    label=f"target: {column}, held out")
            ax.axvline(result.holdout_from, color="grey", ls=":", lw=1)
        ax.set(xlabel=f"{result.target.clock.capitalize()}s since release", ylabel="Cumulative share (%)",
               title=f"{column} vs {output}")
        ax.set_ylim(bottom=0)
        ax.legend(loc="lower right", fontsize="small")
    fresh = result.check_error()
    # short lines, so that a one-panel figure (one --match) holds the whole title
    if (held := result.holdout()) is None:
        fig.suptitle(f"{result.scenario.name} calibrated: max abs error {result.best_score:.2f} points on the fit's seeds,\n"
                     f"{fresh:.2f} on the {len(result.check_curves)} fresh-seed runs shown")
    else:
        fig.suptitle(f"{result.scenario.name} calibrated; max abs error, fitted / held out ({held['unit']} "
                     f"{held['from']:g} on):\n{result.best_score:.2f} / {held['best_score_held_out']:.2f} points on the "
                     f"fit's seeds,\n{fresh:.2f} / {held['check_max_abs_error_held_out']:.2f} on the "
                     f"{len(result.check_curves)} fresh-seed runs shown")
    save(fig, path)  # laid out tight, at 110 dpi


def manifest(result: Calibration) -> dict[str, Any]:
    from sim.provenance import versions

    held = result.holdout()
    return {
        **versions(),
        "command": list(sys.argv),
        "scenario": result.source,
        "target": str(result.target.path),
        "target_file": str(result.target.path.resolve()),
        "target_sha256": result.target.sha256,
        "check": "the best candidate rerun with check_replicates fresh seeds against the same target points: "
                 + ("nothing of the target is held out of the fit" if result.holdout_from is None else
                    "the points fitted and, apart, those held out (see holdout: the out-of-sample check)"),
        "matches": result.matches,
        "parameters": [{"key": p.key, "low": p.low, "high": p.high, "log_scale": p.log} for p in result.parameters],
        "objective": "max absolute error (percentage points) of the replicate-mean curve over the target points"
                     + ("" if held is None else f" before {held['unit']} {held['from']:g}"),
        "best_score": result.best_score,
        "check_max_abs_error": result.check_error(),
        "check_max_abs_error_by_column": result.check_error_by_column(),
        "replicate_noise_sigma": result.sigma,
        "share_followed_to_last_point": result.followed_share(),
        "interval_threshold": result.threshold,
        "all_candidates_scored_alike": result.scored_alike(),
        "interval_meaning": "values (profile scan and search candidates) whose objective stays under the 97.5th "
                            "percentile of the objective that replicate noise gives at the best fit "
                            "(best_score + interval_threshold)",
        **({} if held is None else {"holdout": {**held, "meaning": HELD_OUT_MEANING}}),
        "settings": result.settings,
        "runs": result.runs,
        **result.timing,
    }


def write_calibration(result: Calibration, out: Path) -> Path:
    """Write the result files into `out` (which already holds the run cache)."""
    writes = (lambda path: path.write_text(calibrated_yaml(result, out)),
              lambda path: result.intervals().to_csv(path, index=False),
              lambda path: result.errors().to_csv(path, index=False),
              lambda path: result.candidates.to_csv(path, index=False),
              lambda path: draw(result, path),
              lambda path: write_json(path, manifest(result)))
    replace_set(out, dict(zip(RESULTS, writes, strict=True)), last="manifest.json")  # the manifest says the set is whole
    load_scenario(out / "calibrated.yaml")  # it must load, or this is a bug worth a traceback
    return out

