"""A result folder as tidy frames: ``load`` reads the output of ``sim run``, ``sim compare`` or ``sim sweep`` (told
apart by the files present), checking the columns every reader relies on, so that a notebook never parses files
itself; a sweep loaded before its end says so (``IncompleteWarning``)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.summaries import run_table
from sim.checked_read import Grid, read_csv, read_json, read_parquet
from sim.curves import CURVES
from sim.errors import InputError, path_argument
from sim.experiments.store import read_dataset
from sim.report_folders import check_whole_run, kind_of, unreadable

RUN_LABELS = ("point", "scenario", "replicate", "seed", "status", "error", "seconds", "code", "worker")
# The columns every reader of a result folder relies on (checked when it is loaded).
RUN_CURVE_COLUMNS = ("scenario", "replicate", "seed", "weeks_since_release", *CURVES)
RUN_SERIES_COLUMNS = ("scenario", "replicate", "week")
SUMMARY_COLUMNS = ("scenario", "metric", "week", "mean", "ci_low", "ci_high")
SUMMARY_NUMBERS = ("week", "mean", "ci_low", "ci_high", "replicates")
SUMMARY_KEYS = ("scenario", "metric", "clock", "week", "replicates")  # never empty in a summary.csv sim wrote
COMPARISON_KEYS = ("scenario", "reference", "metric", "clock", "week", "replicates")  # nor in a comparison.csv
SWEEP_RUN_COLUMNS = ("point", "replicate", "seed", "status")
SWEEP_CURVE_COLUMNS = ("point", "replicate", "weeks_since_release", *CURVES)


class IncompleteWarning(UserWarning):
    """A sweep folder loaded before its sweep finished: its tables hold only the runs done."""


@dataclass
class Results:
    """A result folder as tidy frames. Frames a kind of folder does not hold are None."""

    kind: str  # "run", "compare" or "sweep"
    directory: Path
    manifest: dict[str, Any]
    curves: pd.DataFrame | None = None
    timeseries: pd.DataFrame | None = None
    summary: pd.DataFrame | None = None
    runs: pd.DataFrame | None = None
    comparison: pd.DataFrame | None = None
    planned: int | None = None  # a sweep: the runs its design plans (points x replicates), if its manifest says

    @property
    def scenarios(self) -> list[dict[str, Any]]:
        """The full settings of each scenario run, as recorded in the manifest (a sweep: its base scenario): plain
        dicts, which every function here takes as it takes `sim.run`'s Scenario objects; `sim.load_scenario(d)` makes one
        a Scenario again."""
        base = recorded(self.manifest, "experiment", "base_scenario")
        scenarios = [base] if isinstance(base, dict) else recorded(self.manifest, "scenarios")
        return [s for s in scenarios if isinstance(s, dict)] if isinstance(scenarios, list) else []

    @property
    def events(self) -> pd.DataFrame | None:
        """One row per person and replicate (read on demand: the largest file of a run)."""
        return self.read_events()

    def read_events(self, columns: list[str] | None = None) -> pd.DataFrame | None:
        """The events table, or only its `columns` (a report needing one reads one); None when the run wrote none."""
        path = self.directory / "events.parquet"
        return read_parquet(path, columns or (), columns=columns) if path.exists() else None

    @property
    def factors(self) -> list[str]:
        """The swept parameters (dotted keys) of a sweep's runs table, in the experiment's order."""
        if self.runs is None or self.kind != "sweep":
            return []
        declared = recorded(self.manifest, "experiment", "spec", "design", "factors")
        found = [name for name in declared if name in self.runs.columns] if isinstance(declared, dict) else []
        return found or [c for c in self.runs.columns if "." in c and c not in RUN_LABELS]


def recorded(manifest: dict[str, Any], *keys: str) -> Any:
    """The value a manifest records under `keys`, or None where a level is missing or not an object: a manifest
    edited by hand is shown as far as it can be read, not failed on."""
    value: Any = manifest
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


LOADS = ("run", "compare", "sweep")
"""The commands whose folders ``load`` reads."""


def load(folder: str | Path) -> Results:
    """Read a ``sim run``, ``sim compare`` or ``sim sweep`` output folder."""
    folder = path_argument(folder, "folder", "the path of a folder written by sim run, compare or sweep")
    kind = kind_of(folder) if folder.is_dir() else None
    if kind is None:
        raise unreadable(folder, LOADS)
    manifest = read_json(folder / "manifest.json", f"manifest.json as written by sim {kind}")
    result = Results(kind, folder, manifest)
    if kind == "sweep":
        result.runs = read_dataset(folder / "runs", required=SWEEP_RUN_COLUMNS)  # sorted, as sim.experiments.Sweep
        if result.runs is None:
            raise InputError("holds no runs yet", file=str(folder / "runs"),
                             expected="a sweep that has recorded runs (rerun `sim sweep` into it)")
        if (folder / "curves").exists():
            result.curves = read_dataset(folder / "curves", required=SWEEP_CURVE_COLUMNS)
        _warn_if_unfinished(result)
    else:
        check_whole_run(folder, manifest, LOADS)
        result.curves = read_parquet(folder / "curves.parquet", RUN_CURVE_COLUMNS)
        if (folder / "timeseries.parquet").exists():
            result.timeseries = read_parquet(folder / "timeseries.parquet", RUN_SERIES_COLUMNS)
        names = {"scenario": [s["name"] for s in result.scenarios if isinstance(s.get("name"), str)]}
        if (folder / "summary.csv").exists():  # each scenario's metrics at its own horizons (its weeks may differ)
            result.summary = read_csv(folder / "summary.csv", SUMMARY_COLUMNS, rows=True, numeric=SUMMARY_NUMBERS,
                                      filled=SUMMARY_KEYS, grids=[Grid(("scenario",), known=names),
                                                                  Grid(("scenario", "metric"), ("clock",)),
                                                                  Grid(("metric", "week"), ("scenario", "clock"))])
        if result.timeseries is not None:
            result.runs = run_table(result.curves, result.timeseries)
        if kind == "compare":  # every scenario at every metric's horizons (those of the shortest run)
            result.comparison = read_csv(folder / "comparison.csv", rows=True, filled=COMPARISON_KEYS,
                                         grids=[Grid(("metric", "week", "scenario"), ("clock",), known=names)])
    return result


def _warn_if_unfinished(result: Results) -> None:
    """Say when a sweep's runs are not all there: another command is still writing the folder, or the sweep was
    stopped before the end (what ``sim report`` heads its report with). Every table and figure then shows fewer runs."""
    from sim.folder_lock import holder
    from sim.report.sweeps import planned_runs, resuming_command

    result.planned = planned_runs(result.manifest)
    done, who = len(result.runs), holder(result.directory)
    of = f" of the {result.planned:,} its design plans" if result.planned is not None else ""
    if who is not None:
        warnings.warn(f"{result.directory}: another command ({who}) is still writing this sweep: it holds {done:,} "
                      f"runs{of} so far; load it again when that command has finished", IncompleteWarning, stacklevel=3)
    elif result.planned is not None and done < result.planned:
        warnings.warn(f"{result.directory}: incomplete sweep: it holds {done:,} runs{of}, stopped before the end, and "
                      f"its tables and figures show only those (rerun the same {resuming_command(result.manifest)} "
                      "into this folder to finish it)",
                      IncompleteWarning, stacklevel=3)
