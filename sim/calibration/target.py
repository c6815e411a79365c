"""Observed curves to calibrate against: a CSV with a ``month`` or ``week`` column and curves in percent.

Points may be dense (monthly) or sparse (yearly): every non-empty cell is one target point. Months
become weeks since release as ``month * 52 / 12``, the model's clock, and the model's weekly curve is read
there by linear interpolation between whole weeks (rounding to the nearest week would read month 2 a
third of a week late, where the curve rises fastest); the point at time 0 is dropped (every curve starts
at 0 by definition, so a value other than 0 there is refused). ``--match COLUMN=OUTPUT`` pairs a target column with
one of the model's first-event curves.
"""

from __future__ import annotations

import csv
import hashlib
import io
import numbers
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.curves import ALIASES, CURVES
from sim.errors import InputError

WEEKS_PER_MONTH = 52 / 12


def month_to_week(month: float) -> float:
    return month * WEEKS_PER_MONTH


@dataclass(frozen=True)
class Target:
    """The observed curves: ``points`` has one row per (column, time) with ``week`` and ``percent``."""

    path: Path
    clock: str  # "month" or "week": the unit the file counts time in
    points: pd.DataFrame  # column, time (in the file's unit), week, percent
    sha256: str = ""  # of the file's bytes as read: which data a fit was made to

    @property
    def columns(self) -> list[str]:
        return list(dict.fromkeys(self.points["column"]))

    def of(self, column: str) -> pd.DataFrame:
        return self.points[self.points["column"] == column].reset_index(drop=True)


BJS_CURVES = {"arrest": "reoffended", "return_to_prison": "returned"}
"""The shipped BJS 2005 file's columns (``sim.data.BJS_2005``) and the model's first-event curve each is read against:
a first arrest is the model's first new offence, a first return to prison its first return to custody. The one
pairing the BJS rows of ``sim patterns``, their figure and ``analysis.fit_table`` use (``sim calibrate`` is given it
as ``--match``)."""


def read_target(path: str | Path) -> Target:
    """Read and check a target CSV; any problem is an InputError naming the file and what was expected."""
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "is not a regular file" if path.exists() else "no such file"
        raise InputError(what, file=shown, key="--target", expected="a CSV file of observed curves")
    try:
        data = path.read_bytes()  # read once: the table and its checksum are of the same bytes
    except OSError as error:
        raise InputError(f"cannot be read as CSV ({error})", file=shown, key="--target", expected="a CSV file") from None
    frame, lines = _read_table(data, shown)
    clocks = [c for c in ("month", "week") if c in frame.columns]
    if len(clocks) != 1:
        raise InputError(f"needs exactly one time column, 'month' or 'week' (found columns: {', '.join(frame.columns)})",
                         file=shown, key="--target")
    clock = clocks[0]
    curves = [c for c in frame.columns if c != clock]
    if not curves:
        raise InputError("has no curve columns besides the time column", file=shown, key="--target",
                         expected="one or more columns of cumulative percentages")
    rows, seen = [], {}
    for line, (_, record) in zip(lines, frame.iterrows(), strict=True):
        time = pd.to_numeric(pd.Series([record[clock]]), errors="coerce").iloc[0]
        if not np.isfinite(time) or time < 0:
            raise InputError(f"{clock} must be a number >= 0 (got {record[clock]!r})", file=shown, line=line,
                             key=clock, expected=f"a non-negative number of {clock}s")
        if float(time) in seen:
            raise InputError(f"{clock} {time:g} appears twice (lines {seen[float(time)]} and {line}): expected one row "
                             f"per {clock}", file=shown, line=line, key=clock, expected=f"one row per {clock}")
        seen[float(time)] = line
        for column in curves:
            raw = record[column]
            if pd.isna(raw) or (isinstance(raw, str) and not raw.strip()):
                continue  # sparse targets leave cells empty
            value = pd.to_numeric(pd.Series([raw]), errors="coerce").iloc[0]
            if not np.isfinite(value) or not 0 <= value <= 100:
                raise InputError(f"must be a percentage between 0 and 100 (got {raw!r})", file=shown, line=line,
                                 key=column, expected="a cumulative percentage between 0 and 100")
            if time == 0 and value != 0:  # a curve of first events is 0 at release: the clock is likely off by one
                raise InputError(f"is {raw} at {clock} 0, the day of release, where every first-event curve is 0",
                                 file=shown, line=line, key=column,
                                 expected=f"0 or an empty cell at {clock} 0 (the end of the first {clock} is {clock} 1)")
            week = month_to_week(time) if clock == "month" else float(time)
            rows.append((column, float(time), week, float(value), line))
    check_cumulative(rows, clock, shown)
    rows = [row[:4] for row in rows if row[2] > 0]
    points = pd.DataFrame(rows, columns=["column", "time", "week", "percent"])
    if points.empty:
        raise InputError("holds no target points after time 0", file=shown, key="--target",
                         expected="at least one percentage at a time after release")
    return Target(path, clock, points, hashlib.sha256(data).hexdigest())


def shares_warning(target: Target) -> str | None:
    """A warning when every value is at most 1: most likely shares of the cohort (0-1), which would be read as
    percentages (a fit to curves a hundred times too low). Percentages under 1% are possible, so not an error."""
    if target.points["percent"].max() > 1 or not (target.points["percent"] > 0).any():
        return None
    return (f"warning: {target.path}: every value is at most 1, read as percentages (1 = 1% of the cohort); "
            "if they are shares of the cohort (0-1), multiply them by 100")


def _read_table(data: bytes, shown: str) -> tuple[pd.DataFrame, list[int]]:
    """The CSV's bytes as text cells and the file line of each row; a ragged row or a repeated column is refused."""
    try:
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"cannot be read as CSV ({error})", file=shown, key="--target", expected="a CSV file") from None
    numbered = [(number, row) for number, row in enumerate(table, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise InputError("is empty: expected a header and rows", file=shown, key="--target", expected="a CSV file")
    header = [cell.strip() for cell in numbered[0][1]]
    for i, name in enumerate(header):
        if name in header[:i]:
            raise InputError(f"column '{name}' appears twice in the header: expected each column once", file=shown,
                             line=numbered[0][0], key=name, expected="each column once")
    for number, row in numbered[1:]:
        if len(row) != len(header):
            raise InputError(f"has {len(row)} fields but the header has {len(header)}: expected one value (or an empty "
                             "cell) per column", file=shown, line=number, expected=f"{len(header)} fields per row")
    body = numbered[1:]
    frame = pd.DataFrame([[cell.strip() or None for cell in row] for _, row in body], columns=header)
    return frame, [number for number, _ in body]


def check_cumulative(rows: list[tuple], clock: str, shown: str) -> None:
    """A first-event curve is cumulative: within a column, no value may fall below an earlier one."""
    by_column: dict[str, list[tuple]] = {}
    for row in rows:
        by_column.setdefault(row[0], []).append(row)
    for column, points in by_column.items():
        points.sort(key=lambda r: r[1])
        for before, after in zip(points, points[1:], strict=False):
            if after[3] < before[3]:
                raise InputError(f"falls from {before[3]:g} at {clock} {before[1]:g} to {after[3]:g} at {clock} "
                                 f"{after[1]:g}: expected a cumulative percentage that never decreases", file=shown,
                                 line=after[4], key=column, expected="values that never decrease with time")


def parse_matches(items: list[str], target: Target) -> dict[str, str]:
    """``["arrest=reoffended", ...]`` -> ``{"arrest": "reoffended"}``, checked against the target and CURVES."""
    if not items:
        raise InputError("at least one --match is required", key="--match",
                         expected=f"COLUMN=OUTPUT, e.g. {target.columns[0]}=reoffended")
    matches: dict[str, str] = {}
    for item in items:
        column, sep, output = (part.strip() for part in item.partition("="))
        output = ALIASES.get(output, output)  # any_offence is the reoffended curve
        if not sep or not column or not output:
            raise InputError(f"expected COLUMN=OUTPUT, e.g. {target.columns[0]}=reoffended (got {item!r})", key="--match",
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


def check_holdout(target: Target, matches: dict[str, str], holdout_from: float | None) -> None:
    """`holdout_from` (in the target's unit) must leave matched points on both sides: some to fit, some held out."""
    if holdout_from is None:
        return
    times = target.points.loc[target.points["column"].isin(list(matches)), "time"]
    first, last, clock = float(times.min()), float(times.max()), target.clock
    expected = f"a {clock} after the first target {clock}, {first:g}, and at most the last, {last:g}"
    if isinstance(holdout_from, bool) or not isinstance(holdout_from, numbers.Real) or not np.isfinite(holdout_from):
        raise InputError(f"must be a number (got {holdout_from!r})", file=str(target.path), key="--holdout-from",
                         expected=expected)
    if holdout_from <= first:
        raise InputError(f"{clock} {holdout_from:g} is at or before the target's first {clock} ({first:g}): no point would "
                         "be left to fit", file=str(target.path), key="--holdout-from", expected=expected)
    if holdout_from > last:
        raise InputError(f"{clock} {holdout_from:g} is after the target's last {clock} ({last:g}): no point would be held "
                         "out", file=str(target.path), key="--holdout-from", expected=expected)


def holdout_notes(target: Target, matches: dict[str, str], holdout_from: float | None) -> list[str]:
    """A note for each matched column that `holdout_from` leaves wholly on one side: a column with no point before it
    is not fitted at all, one with no point from it on is not part of the out-of-sample check."""
    if holdout_from is None:
        return []
    notes = []
    for column in matches:
        times = target.of(column)["time"]
        if (times >= holdout_from).all():
            notes.append(f"note: --holdout-from {holdout_from:g}: {column} has no point before {target.clock} "
                         f"{holdout_from:g}, so it is not fitted, only held out")
        elif (times < holdout_from).all():
            notes.append(f"note: --holdout-from {holdout_from:g}: {column} has no point from {target.clock} "
                         f"{holdout_from:g} on, so nothing of it is held out")
    return notes


def held_out_mask(points: pd.DataFrame, holdout_from: float | None) -> np.ndarray:
    """Which target points (rows of ``Target.points``) are held out of the fit: those at or after `holdout_from`."""
    if holdout_from is None:
        return np.zeros(len(points), dtype=bool)
    return (points["time"] >= holdout_from).to_numpy()
