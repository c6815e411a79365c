"""Size before work: how many runs a design or a calibration asks for, refused above a limit before anything starts,
and how a time is said (``duration``).

A design is counted arithmetically from its spec (a grid is the product of its value counts, a Sobol'
design ``samples x (factors + 2)``), so a design of 10^13 points is refused in a moment instead of
being built in memory first. ``MAX_RUNS`` protects against a typo turning a sweep into weeks of work
and gigabytes of output; ``--max-runs N`` lifts it. ``MAX_POINTS`` is the most design points a sweep
holds (its design table lives in memory and in the manifest); no option lifts it: split the design.
"""

from __future__ import annotations

import math
from typing import Any

from sim.errors import InputError

MAX_RUNS = 100_000
"""Default most model runs one command starts (design points x replicates, or a calibration's budget)."""

MAX_POINTS = 1_000_000
"""Most design points one experiment may have (the design table is held in memory and in manifest.json)."""


def design_points(design: Any) -> int:
    """Points of a design spec (grid, lhs, sobol or morris), computed without building the design."""
    factors = len(design.factors)
    if design.kind == "grid":
        return math.prod(len(values) for values in design.factors.values())
    if design.kind == "sobol":  # Saltelli scheme without second-order indices
        return design.samples * (factors + 2)
    if design.kind == "morris":
        return design.samples * (factors + 1)
    return design.samples  # lhs


def check_runs(runs: int, *, what: str, max_runs: int | None = None, file: str | None = None, key: str | None = None,
               fewer: str = "fewer runs") -> None:
    """Refuse more than `max_runs` (default MAX_RUNS) runs, naming the count and the option that lifts the limit;
    `fewer` says how to ask for less (a command that knows its smallest job says which: ``within_limit``)."""
    limit = MAX_RUNS if max_runs is None else max_runs
    if runs > limit:
        raise InputError(f"{what} = {runs:,} model runs, above the limit of {limit:,}", file=file, key=key,
                         expected=f"{fewer}, or --max-runs {runs} to lift the limit")


def within_limit(per_replicate: int, least: int, max_runs: int | None) -> str:
    """How to ask for a job within `max_runs` when it is `per_replicate` runs a replicate and needs at least `least`
    replicates: the most replicates that fit, or, when even the smallest job does not, that the limit must be at least
    its size ("fewer runs" offered a way out that did not exist: sim patterns --max-runs 10, smallest job 22 runs)."""
    limit = MAX_RUNS if max_runs is None else max_runs
    fit = limit // per_replicate
    if fit < least:
        smallest = per_replicate * least
        return (f"--max-runs of at least {smallest} (the smallest job, {least} replicates, is {smallest:,} runs, so no "
                f"number of replicates fits within {limit:,})")
    if fit == least:
        return f"--replicates {least} ({fit * per_replicate:,} runs)"
    return f"--replicates {least} to {fit} (at most {fit * per_replicate:,} runs)"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun agreeing: '1 replicate', '3,072 points', '2 mixes' (the noun in the singular, and its
    plural where it is not the noun and an s)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def check_design(design: Any, replicates: int, *, max_runs: int | None = None, file: str | None = None) -> int:
    """The number of runs of a design spec x replicates, after refusing a design too large to hold or to run."""
    points = design_points(design)
    if points > MAX_POINTS:
        raise InputError(f"has {points:,} design points, more than the {MAX_POINTS:,} a sweep can hold", file=file,
                         key="design", expected="a smaller design (split it into several experiments)")
    check_runs(points * replicates, what=f"{counted(points, 'point')} x {counted(replicates, 'replicate')}", max_runs=max_runs,
               file=file, key="design")
    return points * replicates


def check_max_runs(value: int | None) -> None:
    if value is not None and value < 1:
        raise InputError(f"must be at least 1 (got {value})", key="--max-runs", expected="a positive number of runs")


def duration(seconds: float, fine: bool = False) -> str:
    """E.g. 4m05s or 1h02m; with `fine`, a time under a minute in seconds (0.23 s, 12 s)."""
    if fine and seconds < 59.5:
        return f"{seconds:.2g} s" if seconds < 10 else f"{seconds:.0f} s"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
