"""What the analysis functions refuse, in one line naming the table and the column: a table that is not there, a
column it lacks, a column of text where a number is averaged, a sweep's runs with none that succeeded."""

from __future__ import annotations

import pandas as pd

from sim.errors import InputError, closest

TABLES = {"the summary": "summary", "the curves": "curves", "the timeseries": "timeseries", "the runs": "runs",
          "the runs table": "runs"}
"""What a ``Results`` calls each table ``require`` is given, for its message."""


def names_of(names) -> list:
    """Names given as a list, or one name alone: a string, which iterated would be its letters."""
    return [names] if isinstance(names, str) else list(names)


def require(frame: pd.DataFrame | None, names, what: str, kind: str = "column") -> None:
    """Refuse, in one line, a table that is not there or a name that is not one of its columns: the name, the table
    and the column meant (or the columns there are), instead of pandas' KeyError. A dotted name (a design factor) on a
    table without any is told that only a sweep's runs have them."""
    if frame is None:
        raise InputError(f"got None instead of {what}: the result folder holds none",
                         expected=f"{what} as a DataFrame, as analysis.load(folder) or sim.run gives")
    if not isinstance(frame, pd.DataFrame):  # the Results itself, a folder's path...: not an AttributeError
        table = TABLES.get(what)
        raise InputError(f"got {type(frame).__name__} instead of {what}", expected=f"{what} as a DataFrame"
                         + (f", e.g. analysis.load(folder).{table}" if table else ""))
    columns = [str(c) for c in frame.columns]
    for name in names_of(names):
        if name is None or name in frame.columns:
            continue
        if close := closest(str(name), columns):
            hint = f"did you mean '{close}'?"
        elif "." in str(name) and not any("." in c for c in columns):
            hint = "expected a design factor, which only a sweep's runs have: analysis.load a sim sweep folder"
        else:
            hint = f"expected one of: {', '.join(columns)}"
        raise InputError(f"is not a {kind} of {what} ({hint})", key=str(name))


def succeeded_runs(runs: pd.DataFrame, factors: tuple, value: str) -> pd.DataFrame:
    """The runs that succeeded, for a sweep figure or table of `value` over `factors` (None: a facet not asked for):
    distinct columns, a number to average, and at least one run, or one clear message (rather than pandas')."""
    named = [f for f in factors if f is not None]
    for name in (*named, value):
        if not isinstance(name, str):
            raise InputError(f"got {type(name).__name__} where a column is named", key="runs",
                             expected="a column's name as a string, e.g. 'stigma.baseline'")
    require(runs, (*named, value), "the runs table")
    if len(set(named)) < len(named):
        raise InputError(f"names one column twice ({', '.join(named)})", key="runs",
                         expected="a different design factor in each place")
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    if ok.empty:
        raise InputError("holds no run that succeeded", key="runs", expected="a sweep with successful runs")
    require_numbers(ok, value, "the runs table", "reoffended_52w")
    return ok


def require_numbers(frame: pd.DataFrame, names, what: str, example: str) -> None:
    """Refuse a column a figure or table would average that holds no numbers (a scenario's name, a status), in one
    line rather than pandas' TypeError from deep inside the mean."""
    for name in names_of(names):
        if not pd.api.types.is_numeric_dtype(frame[name]):
            raise InputError(f"is not a number in {what} (it holds {frame[name].dtype} values)", key=str(name),
                             expected=f"a column of numbers such as {example}")
