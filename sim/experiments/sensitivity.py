"""Global sensitivity analysis on the sweep engine: Sobol' indices or Morris screening of an experiment's outputs.

The design comes from SALib's samplers (``design.py``); the runs from ``sweep`` (so a sensitivity
analysis resumes like any sweep); each output is averaged over a point's replicates before SALib's
``sobol`` (S1, ST with 95% bootstrap intervals) or ``morris`` (mu*, sigma) analysis.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.experiments.design import problem
from sim.experiments.engine import Sweep, check_folder, sweep
from sim.experiments.experiment import Experiment, load_experiment
from sim.folder_lock import folder_lock

TABLE = "sensitivity.csv"
FIGURE = "sensitivity.png"


class AnalysisError(RuntimeError):
    """The runs do not allow the analysis (e.g. every replicate of a point failed)."""


def point_means(runs: pd.DataFrame, experiment: Experiment) -> pd.DataFrame:
    """Each output averaged over the successful replicates of each point, in point order."""
    ok = runs[runs["status"] == "ok"]
    means = ok.groupby("point")[experiment.outputs].mean().reindex(range(len(experiment.design)))
    missing = means.index[means.isna().any(axis=1)].tolist()
    if missing:
        raise AnalysisError(f"no usable result at {len(missing)} design point(s) (first: {missing[:5]}); "
                            "see the failed runs in the sweep's runs/ folder")
    return means


def analyse(experiment: Experiment, means: pd.DataFrame) -> pd.DataFrame:
    """One row per output and factor: S1, S1_conf, ST, ST_conf (Sobol') or mu, mu_star, mu_star_conf, sigma (Morris)."""
    from SALib.analyze import morris, sobol

    spec = problem(experiment.spec.design.factors)
    rows: list[dict[str, Any]] = []
    for output in experiment.outputs:
        y = means[output].to_numpy(dtype=float)
        if experiment.kind == "sobol":
            result = sobol.analyze(spec, y, calc_second_order=False, conf_level=0.95, seed=experiment.seed)
            keys = ("S1", "S1_conf", "ST", "ST_conf")
        else:
            x = experiment.design[experiment.factors].to_numpy(dtype=float)
            result = morris.analyze(spec, x, y, conf_level=0.95, num_levels=experiment.spec.design.levels,
                                    seed=experiment.seed)
            keys = ("mu", "mu_star", "mu_star_conf", "sigma")
        for i, factor in enumerate(spec["names"]):
            rows.append({"output": output, "factor": factor, **{k: float(np.asarray(result[k])[i]) for k in keys}})
    return pd.DataFrame(rows)


class Sensitivity:
    """The indices (``.table``) of an experiment, and the sweep (``.sweep``) they were computed from."""

    def __init__(self, table: pd.DataFrame, sweep_result: Sweep, method: str) -> None:
        self.table, self.sweep, self.method = table, sweep_result, method

    @property
    def directory(self) -> Path:
        return self.sweep.directory


def sensitivity(
    experiment: str | Path | dict | Experiment,
    *,
    out: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    figure: bool = True,
) -> Sensitivity:
    """Sweep the experiment's Sobol' or Morris design into `out` (resuming) and analyse its outputs.

    Writes ``sensitivity.csv`` and ``sensitivity.png`` into `out`.
    """
    exp = load_experiment(experiment)
    if exp.kind not in ("sobol", "morris"):
        raise InputError(f"sensitivity needs a design of kind sobol or morris (this experiment's is {exp.kind})",
                         file=exp.source, key="design.kind", expected="sobol or morris")
    directory = Path(out)
    check_folder(directory, exp, resume=True)  # refuse a wrong folder before locking (creating) it
    with folder_lock(directory, command="sim sensitivity"):  # held over the sweep and the files written after it
        result = sweep(exp, out=out, workers=workers, scheduler=scheduler, progress=progress)
        table = analyse(exp, point_means(result.runs, exp))
        temporary = directory / f".{TABLE}.tmp"
        table.to_csv(temporary, index=False)
        os.replace(temporary, directory / TABLE)
        if figure:
            from sim.experiments.figures import draw_sensitivity

            draw_sensitivity(table, exp.kind, directory / FIGURE)
    return Sensitivity(table, result, exp.kind)
