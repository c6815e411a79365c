"""reintegration-sim: an agent-based simulation of reintegration after prison.

Synthetic people only: a tool for exploring policy, never a risk score for a real person.
The public API is imported lazily so that ``import sim.scenarios`` and the CLI start fast.
"""

from importlib import import_module

_API = {
    "ReintegrationModel": "sim.model",
    "RunResult": "sim.runner",
    "run": "sim.runner",
    "simulate": "sim.runner",
    "Scenario": "sim.scenarios",
    "list_scenarios": "sim.scenarios",
    "load_scenario": "sim.scenarios",
    "compare": "sim.experiments",
    "sweep": "sim.experiments",
    "sensitivity": "sim.experiments",
    "Comparison": "sim.experiments",
    "Sweep": "sim.experiments",
    "Sensitivity": "sim.experiments",
    "robustness": "sim.experiments.robustness",
    "Robustness": "sim.experiments.robustness_results",
    "optimise": "sim.experiments.optimise",
    "Optimisation": "sim.experiments.optimise",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
