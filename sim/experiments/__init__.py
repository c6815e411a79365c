"""Experiments at scale: scenario comparisons with statistics, resumable sweeps on Dask, sensitivity analysis.

``compare`` runs scenarios side by side and tests their differences; ``sweep`` runs an experiment
file's design on a Dask cluster into a resumable Parquet folder; ``sensitivity`` adds Sobol' or
Morris indices on top of a sweep.
"""

import importlib

# Loaded on first use (PEP 562): `sim sweep` reads and sizes an experiment file, and refuses one too
# large, without loading the model, Dask and scipy. No exported name may be a submodule's name (an
# imported submodule would shadow it), hence `comparison` and `sensitivity_analysis`.
_HOMES = {
    "Comparison": "comparison", "compare": "comparison",
    "Sweep": "sweep_folder", "sweep": "engine",
    "Experiment": "experiment", "load_experiment": "experiment",
    "Sensitivity": "sensitivity_analysis", "sensitivity": "sensitivity_analysis",
}

__all__ = ["Comparison", "Experiment", "Sensitivity", "Sweep", "compare", "load_experiment", "sensitivity", "sweep"]


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
