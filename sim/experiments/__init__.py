"""Experiments at scale: scenario comparisons with statistics, resumable sweeps on Dask, sensitivity analysis.

``compare`` runs scenarios side by side and tests their differences; ``sweep`` runs an experiment
file's design on a Dask cluster into a resumable Parquet folder; ``sensitivity`` adds Sobol' or
Morris indices on top of a sweep.
"""

from sim.lazy import lazy_exports

_HOMES = {
    "Comparison": "compare", "compare": "compare", "Sweep": "engine", "sweep": "engine",
    "Experiment": "experiment", "load_experiment": "experiment", "Sensitivity": "sensitivity",
    "sensitivity": "sensitivity",
}
__all__ = ["Comparison", "Experiment", "Sensitivity", "Sweep", "compare", "load_experiment", "sensitivity", "sweep"]

__getattr__ = lazy_exports(__name__, _HOMES)
