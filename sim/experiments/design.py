"""Design tables: which factor values each design point uses, drawn reproducibly from the experiment's seed.

``grid`` crosses the listed values; ``lhs`` is a Latin hypercube (SciPy); ``sobol`` and ``morris`` are
SALib's samplers, whose point order the analysis relies on. Integer parameters are rounded.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc


def problem(factors: dict[str, Any]) -> dict[str, Any]:
    """The SALib problem of ranged factors."""
    return {
        "num_vars": len(factors),
        "names": list(factors),
        "bounds": [[r.low, r.high] for r in factors.values()],
    }


def unit_samples(design: Any, seed: int) -> np.ndarray:
    """The raw sample matrix (points x factors) of a ranged design, in the factors' own units."""
    from SALib.sample import morris, sobol

    spec = problem(design.factors)
    if design.kind == "lhs":
        unit = qmc.LatinHypercube(d=spec["num_vars"], rng=np.random.default_rng(seed)).random(design.samples)
        low, high = np.array(spec["bounds"]).T
        return qmc.scale(unit, low, high)
    if design.kind == "sobol":
        return sobol.sample(spec, design.samples, calc_second_order=False, seed=seed)
    if design.kind == "morris":
        return morris.sample(spec, design.samples, num_levels=design.levels, seed=seed)
    raise ValueError(f"not a ranged design: {design.kind}")


def design_table(design: Any, seed: int, annotations: dict[str, Any]) -> pd.DataFrame:
    """One row per design point: ``point`` (0-based) and the value of each factor."""
    names = list(design.factors)
    if design.kind == "grid":
        rows = list(itertools.product(*design.factors.values()))
        table = pd.DataFrame(rows, columns=names)
    else:
        table = pd.DataFrame(unit_samples(design, seed), columns=names)
        for name in names:
            if annotations.get(name) is int:
                table[name] = table[name].round().astype("int64")
    table.insert(0, "point", np.arange(len(table), dtype="int64"))
    return table
