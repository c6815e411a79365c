"""Experiments at scale: scenario comparisons with statistics, resumable sweeps on Dask, sensitivity analysis.

``compare`` runs scenarios side by side and tests their differences; ``sweep`` runs an experiment
file's design on a Dask cluster into a resumable Parquet folder; ``sensitivity`` adds Sobol' or
Morris indices on top of a sweep.
"""

from sim.experiments.compare import Comparison, compare
from sim.experiments.engine import Sweep, sweep
from sim.experiments.experiment import Experiment, load_experiment
from sim.experiments.sensitivity import Sensitivity, sensitivity

__all__ = ["Comparison", "Experiment", "Sensitivity", "Sweep", "compare", "load_experiment", "sensitivity", "sweep"]
