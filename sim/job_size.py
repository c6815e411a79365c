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
from collections.abc import Callable
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


def within_limit(option: str, runs_of: Callable[[int], int], least: int, max_runs: int | None, *,
                 nouns: str = "number of replicates", doubling: bool = False) -> str:
    """How to ask for a job within `max_runs`: the values of `option` that fit, from its `least` to the largest whose
    `runs_of(value)` (rising with the value) is within the limit, or, when even the least does not fit, that the limit
    must be at least that job's size. "fewer runs" offered no way out, or one that did not exist (sim patterns
    --max-runs 10, smallest job 22 runs). `doubling`: the option takes powers of 2 (a Sobol' design's samples);
    `nouns` names what no value of the option fits ("no number of replicates", "no budget")."""
    limit = MAX_RUNS if max_runs is None else max_runs
    smallest = runs_of(least)
    if smallest > limit:
        return (f"--max-runs of at least {smallest} (the smallest job, {option} {least}, is {smallest:,} runs, so no "
                f"{nouns} fits within {limit:,})")
    fit = _largest_fitting(runs_of, least, limit, doubling)
    if fit == least:
        return f"{option} {least} ({smallest:,} runs)"
    return f"{option} {least} to {fit}{', a power of 2' if doubling else ''} (at most {runs_of(fit):,} runs)"


def check_option(option: str, value: int, runs_of: Callable[[int], int], *, what: str, least: int,
                 max_runs: int | None, nouns: str = "number of replicates", key: str | None = None) -> int:
    """The runs `runs_of(value)` of a job sized by `option`, after refusing more than `max_runs` and naming the values
    of `option` that fit (``within_limit``); `key` names what to change when it is not `option` itself."""
    runs = runs_of(value)
    check_runs(runs, what=what, max_runs=max_runs, key=key or option,
               fewer=within_limit(option, runs_of, least, max_runs, nouns=nouns))
    return runs


def _largest_fitting(runs_of: Callable[[int], int], least: int, limit: int, doubling: bool) -> int:
    """The largest value from `least` up (doubling, or one at a time) whose runs are within `limit`, `least` fitting."""
    if doubling:
        value = least
        while runs_of(value * 2) <= limit:
            value *= 2
        return value
    low, high = least, max(least, limit)  # every job makes at least one run per unit of its option
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if runs_of(middle) <= limit else (low, middle - 1)
    return low


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun agreeing: '1 replicate', '3,072 points', '2 mixes' (the noun in the singular, and its
    plural where it is not the noun and an s)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def check_design(design: Any, replicates: int, *, max_runs: int | None = None, file: str | None = None) -> int:
    """The number of runs of a design spec x replicates, after refusing a design too large to hold or to run."""
    points = design_points(design)
    if points > MAX_POINTS:
        raise InputError(f"has {points:,} design points, more than the {MAX_POINTS:,} a sweep can hold", file=file,
                         key="design", expected=f"{fewer_points(design)}, or split it into several experiments")
    check_runs(points * replicates, what=f"{counted(points, 'point')} x {counted(replicates, 'replicate')}", max_runs=max_runs,
               file=file, key="design", fewer=smaller_design(design, replicates, max_runs))
    return points * replicates


def smaller_design(design: Any, replicates: int, max_runs: int | None) -> str:
    """The job within `max_runs` a design allows: a sampled design's --samples (at its replicates), a grid's
    --replicates (its points are fixed by its values)."""
    if design.kind == "grid":
        return within_limit("--replicates", lambda r: design_points(design) * r, 1, max_runs)
    per_sample = design_points(design) // design.samples
    least = _least_samples(design)
    return within_limit("--samples", lambda s: s * per_sample * replicates, least, max_runs,
                        nouns="number of samples", doubling=design.kind == "sobol")


def fewer_points(design: Any) -> str:
    """The design within ``MAX_POINTS`` that a sampled design's --samples gives (a grid's points are fixed by its
    values: fewer values)."""
    if design.kind == "grid":
        return "fewer values per factor"
    per_sample = design_points(design) // design.samples
    least = _least_samples(design)
    fit = _largest_fitting(lambda s: s * per_sample, least, MAX_POINTS, design.kind == "sobol")
    return f"--samples of at most {fit:,}{', a power of 2' if design.kind == 'sobol' else ''} ({fit * per_sample:,} points)"


def _least_samples(design: Any) -> int:
    """The smallest `samples` the design's schema allows."""
    return next(rule.ge for rule in type(design).model_fields["samples"].metadata if hasattr(rule, "ge"))


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
