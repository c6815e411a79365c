"""Reference data shipped with the package (see README.md), found wherever the package is installed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BJS_2005 = "bjs_2005_30states_monthly.csv"
"""Cumulative percent re-arrested, convicted and returned to prison by month since release (BJS NCJ 244205)."""
PUBLISHED_EFFECTS = "published_effects.csv"
"""Published effects with their contrast, follow-up and two-sided band, which `sim patterns` checks."""
VALIDATION = "validation.csv"
"""The last full `sim patterns --write-docs` run's table (as in docs/VALIDATION.md), with each study's title: what
`sim report` tells a reader about where the model passes and fails its tests."""


def shipped(name: str) -> Path:
    """The path of a shipped data file (the package is installed as files, so it is a real path)."""
    return Path(str(resources.files("sim.data") / name))


def neutral_of(published: str) -> float:
    """The value of a published effect (as the tables write it, '1.12 (ratio)') that means no effect: 1 for a ratio,
    0 otherwise."""
    return 1.0 if "ratio" in published else 0.0


def published_value(published: str) -> float:
    """The number of a published effect as the tables write it ('1.12 (ratio)' -> 1.12)."""
    return float(published.split()[0])


def goes_the_other_way(measured: float, published: str) -> bool:
    """Whether the model's effect is absent or on the other side of no effect from the published one: a test whose
    band holds no effect can pass so, which VALIDATION.md's headline and `sim report` count apart."""
    neutral = neutral_of(published)
    return (measured - neutral) * (published_value(published) - neutral) <= 0
