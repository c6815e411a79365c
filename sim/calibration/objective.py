"""What is fitted and how a candidate is scored.

The score of a candidate is the **maximum absolute error, in percentage points**, between the target
points and the mean model curve over the common replicate seeds: the same yardstick as the acceptance
criteria (e.g. "at most 1.5 points at every month"), so a fit that is good on average but wrong at one
month is not preferred. Every matched curve counts equally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.sets import CALIBRATION_SET, EXTREMIST_CALIBRATION_SET
from sim.calibration.target import Target
from sim.errors import InputError
from sim.scenarios.fields import bounds, condition_text, dotted_keys, fmt, metadata, read_in, resolve_key
from sim.scenarios.schema import Scenario


@dataclass(frozen=True)
class FreeParameter:
    """A parameter searched between ``low`` and ``high``; wide positive ranges are searched on a log scale."""

    key: str
    low: float
    high: float
    integer: bool = False

    @property
    def log(self) -> bool:
        return self.low > 0 and self.high / self.low >= 10

    def to_search(self, value: float) -> float:
        return float(np.log10(value)) if self.log else float(value)

    def from_search(self, value: float) -> Any:
        value = float(10**value) if self.log else float(value)
        value = min(max(value, self.low), self.high)
        return int(round(value)) if self.integer else value

    @property
    def search_bounds(self) -> tuple[float, float]:
        return (self.to_search(self.low), self.to_search(self.high))


def default_set(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """The extremist set for a cohort of violent-extremist offenders only, else the general set."""
    return EXTREMIST_CALIBRATION_SET if scenario.population.violent_extremist_share >= 1 else CALIBRATION_SET


def parse_parameters(items: list[str] | None, scenario: Scenario) -> list[FreeParameter]:
    """``["key=LOW:HIGH", ...]`` (or the scenario's default set) -> checked free parameters."""
    if not items:
        return [free(key, low, high) for key, (low, high) in default_set(scenario).items()]
    found: dict[str, FreeParameter] = {}
    for item in items:
        key, sep, span = (part.strip() for part in item.partition("="))
        low_text, colon, high_text = span.partition(":")
        if not sep or not colon:
            raise InputError(f"expected KEY=LOW:HIGH, e.g. supervision.breach_rate=0.001:0.05 (got {item!r})", key="--params",
                             expected="KEY=LOW:HIGH, e.g. supervision.breach_rate=0.001:0.05")
        try:
            low, high = float(low_text), float(high_text)
        except ValueError:
            raise InputError(f"LOW and HIGH must be numbers (got {span!r})", key=f"--params {key}",
                             expected="KEY=LOW:HIGH with numbers") from None
        if key in found:
            raise InputError("is given twice", key=f"--params {key}", expected="each parameter once")
        found[key] = free(key, low, high)
        path = tuple(found[key].key.split("."))
        if not read_in(path, scenario):  # fitting it would search a range that changes nothing
            when = condition_text(path).removesuffix(".")
            raise InputError(f"is not read by the model in {scenario.name}: it is {when[:1].lower()}{when[1:]}", key=f"--params {key}",
                             expected="a parameter this scenario reads")
    return list(found.values())


def check_not_set(parameters: list[FreeParameter], overrides: dict[str, Any] | None) -> None:
    """Refuse a --set of a parameter being fitted: the fit would replace the value, silently ignoring it."""
    fitted = {p.key for p in parameters}
    for key in sorted(dotted_keys(overrides or {})):
        if key in fitted:
            raise InputError(f"sets {key}, which is being fitted (the fit would replace the value)", key=f"--set {key}",
                             expected=f"either --set {key}=VALUE to hold it fixed or fitting it (--params or the "
                                      "scenario's calibration set), not both")


def free(key: str, low: float, high: float) -> FreeParameter:
    """A free parameter, after checking the key is a numeric scenario parameter and the range fits its bounds."""
    try:
        path, info = resolve_key(key)
    except InputError as error:
        raise error.replace(key=f"--params {key}") from None
    if path[0] in ("seed", "weeks", "population", "network", "events") or info.annotation not in (int, float):
        raise InputError("cannot be calibrated", key=f"--params {key}",
                         expected="a numeric behavioural parameter such as offending.general.base_hazard")
    if not (np.isfinite(low) and np.isfinite(high)):
        raise InputError(f"LOW and HIGH must be finite numbers (got {fmt(low)}:{fmt(high)})", key=f"--params {key}",
                         expected="two finite numbers, LOW < HIGH")
    if not low < high:
        raise InputError(f"LOW must be below HIGH (got {fmt(low)}:{fmt(high)})", key=f"--params {key}",
                         expected="LOW < HIGH")
    limits = bounds(info)
    too_low = ("ge" in limits and low < limits["ge"]) or ("gt" in limits and low <= limits["gt"])
    too_high = ("le" in limits and high > limits["le"]) or ("lt" in limits and high >= limits["lt"])
    if too_low or too_high:
        allowed = ", ".join(f"{k} {fmt(v)}" for k, v in limits.items())
        raise InputError(f"range {fmt(low)}:{fmt(high)} leaves the parameter's allowed values ({allowed})",
                         key=f"--params {key}", expected="a range inside the parameter's allowed values")
    return FreeParameter(".".join(path), float(low), float(high), integer=info.annotation is int)


def plausible_warnings(parameters: list[FreeParameter]) -> list[str]:
    """A warning for each search range reaching beyond the parameter's documented plausible range (docs/PARAMETERS.md):
    allowed, since finding out is what a fit is for, but a fit there contradicts the range the docs give."""
    warnings = []
    for p in parameters:
        _, info = resolve_key(p.key)
        extra = metadata(info)
        if "plausible" not in extra:
            continue
        low, high = (float(v) for v in extra["plausible"])
        if p.low < low or p.high > high:
            warnings.append(f"warning: --params {p.key}: range {fmt(p.low)}:{fmt(p.high)} reaches beyond the parameter's "
                            f"plausible range {fmt(low)} to {fmt(high)} (docs/PARAMETERS.md): a fitted value outside "
                            "it would contradict that range")
    return warnings


def target_table(target: Target, matches: dict[str, str]) -> pd.DataFrame:
    """The target points that are scored: column, output, time, week, percent."""
    points = target.points[target.points["column"].isin(list(matches))].copy()
    points.insert(1, "output", points["column"].map(matches))
    return points.reset_index(drop=True)


def model_percent(curves: list[pd.DataFrame], points: pd.DataFrame) -> np.ndarray:
    """Model curves (one frame per replicate) read at the target points, in percent: replicates x points.

    Target weeks may fall between the model's whole weeks (month 2 is week 8.67): the curve is
    interpolated linearly there; a point beyond a curve's last week is NaN.
    """
    values = np.empty((len(curves), len(points)))
    weeks = points["week"].to_numpy(dtype=float)
    for i, curve in enumerate(curves):
        clock = curve["weeks_since_release"].to_numpy(dtype=float)
        for output in points["output"].unique():
            at = (points["output"] == output).to_numpy()
            values[i, at] = 100 * np.interp(weeks[at], clock, curve[output].to_numpy(dtype=float),
                                            left=np.nan, right=np.nan)
    return values


def score(curves: list[pd.DataFrame], points: pd.DataFrame) -> float:
    """Max absolute error (percentage points) of the replicate-mean model curve at the target points."""
    mean = model_percent(curves, points).mean(axis=0)
    errors = np.abs(mean - points["percent"].to_numpy())
    return float(np.nanmax(errors)) if np.isfinite(errors).any() else float("inf")
