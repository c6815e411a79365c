"""Observed curves to calibrate against: a CSV with a ``month`` or ``week`` column and curves in percent.

Points may be dense (monthly) or sparse (yearly): every non-empty cell is one target point. Months
become weeks since release as ``month * 52 / 12``, the model's clock, and the model's weekly curve is read
there by linear interpolation between whole weeks (rounding to the nearest week would read month 2 a
third of a week late, where the curve rises fastest); the point at time 0 is dropped (every curve starts
at 0 by definition). ``--match COLUMN=OUTPUT`` pairs a target column with
one of the model's first-event curves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.outcomes import CURVES

WEEKS_PER_MONTH = 52 / 12


def month_to_week(month: float) -> float:
    return month * WEEKS_PER_MONTH


@dataclass(frozen=True)
class Target:
    """The observed curves: ``points`` has one row per (column, time) with ``week`` and ``percent``."""

    path: Path
    clock: str  # "month" or "week": the unit the file counts time in
    points: pd.DataFrame  # column, time (in the file's unit), week, percent

    @property
    def columns(self) -> list[str]:
        return list(dict.fromkeys(self.points["column"]))

    def of(self, column: str) -> pd.DataFrame:
        return self.points[self.points["column"] == column].reset_index(drop=True)


def read_target(path: str | Path) -> Target:
    """Read and check a target CSV; any problem is an InputError naming the file and what was expected."""
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise InputError("no such file", file=shown, key="--target", expected="a CSV file of observed curves")
    try:
        frame = pd.read_csv(path)
    except (ValueError, OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot be read as CSV ({error})", file=shown, key="--target", expected="a CSV file") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    clocks = [c for c in ("month", "week") if c in frame.columns]
    if len(clocks) != 1:
        raise InputError(f"needs exactly one time column, 'month' or 'week' (found columns: {', '.join(frame.columns)})",
                         file=shown, key="--target", expected="a 'month' or 'week' column")
    clock = clocks[0]
    curves = [c for c in frame.columns if c != clock]
    if not curves:
        raise InputError("has no curve columns besides the time column", file=shown, key="--target",
                         expected="one or more columns of cumulative percentages")
    rows = []
    for index, record in frame.iterrows():
        line = int(index) + 2  # header is line 1
        time = pd.to_numeric(pd.Series([record[clock]]), errors="coerce").iloc[0]
        if not np.isfinite(time) or time < 0:
            raise InputError(f"{clock} must be a number >= 0 (got {record[clock]!r})", file=shown, line=line,
                             key=clock, expected=f"a non-negative number of {clock}s")
        for column in curves:
            raw = record[column]
            if pd.isna(raw) or (isinstance(raw, str) and not raw.strip()):
                continue  # sparse targets leave cells empty
            value = pd.to_numeric(pd.Series([raw]), errors="coerce").iloc[0]
            if not np.isfinite(value) or not 0 <= value <= 100:
                raise InputError(f"must be a percentage between 0 and 100 (got {raw!r})", file=shown, line=line,
                                 key=column, expected="a cumulative percentage between 0 and 100")
            week = month_to_week(time) if clock == "month" else float(time)
            if week > 0:
                rows.append((column, float(time), week, float(value)))
    points = pd.DataFrame(rows, columns=["column", "time", "week", "percent"])
    if points.empty:
        raise InputError("holds no target points after time 0", file=shown, key="--target",
                         expected="at least one percentage at a time after release")
    return Target(path, clock, points)


def parse_matches(items: list[str], target: Target) -> dict[str, str]:
    """``["arrest=reoffended", ...]`` -> ``{"arrest": "reoffended"}``, checked against the target and CURVES."""
    if not items:
        raise InputError("at least one --match is required", key="--match",
                         expected=f"COLUMN=OUTPUT, e.g. {target.columns[0]}=reoffended")
    matches: dict[str, str] = {}
    for item in items:
        column, sep, output = (part.strip() for part in item.partition("="))
        if not sep or not column or not output:
            raise InputError(f"expected COLUMN=OUTPUT (got {item!r})", key="--match",
                             expected=f"COLUMN=OUTPUT, e.g. {target.columns[0]}=reoffended")
        if column not in target.columns:
            raise InputError(f"unknown target column '{column}'", file=str(target.path), key="--match",
                             expected=f"one of {', '.join(target.columns)}")
        if output not in CURVES:
            raise InputError(f"unknown model output '{output}'", key="--match", expected=f"one of {', '.join(CURVES)}")
        if column in matches:
            raise InputError(f"target column '{column}' is matched twice", key="--match", expected="each column once")
        matches[column] = output
    return matches


def check_horizon(target: Target, matches: dict[str, str], weeks: int) -> None:
    """Every matched target point must lie within the scenario's horizon."""
    used = target.points[target.points["column"].isin(list(matches))]
    late = used[used["week"] > weeks]
    if not late.empty:
        first = late.iloc[0]
        raise InputError(f"has points up to week {used['week'].max():.4g}, beyond the scenario's horizon of {weeks} weeks "
                         f"(e.g. {first['column']} at {target.clock} {first['time']:g})", file=str(target.path),
                         key="--target", expected=f"points within {weeks} weeks, or a scenario with a longer horizon")
