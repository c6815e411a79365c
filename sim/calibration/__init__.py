"""Calibration: fit scenario parameters jointly to observed first-event curves, with honest uncertainty.

``target`` reads the observed curves, ``objective`` says which parameters are free and how a model
curve is scored against the target, ``fit`` runs differential evolution on the sweep engine with a
resumable cache, and ``report`` writes the calibrated scenario, tables and figure.
"""

import importlib

# Loaded on first use (PEP 562): the command line reads small modules of this package (a parameter list)
# without loading the model and Dask. No exported name may be a submodule's name (that would shadow it).
_HOMES = {
    "Calibration": "fit", "calibrate": "fit",
    "CALIBRATION_SET": "sets", "EXTREMIST_CALIBRATION_SET": "sets", "FreeParameter": "objective",
    "parse_parameters": "objective",
    "Target": "target", "parse_matches": "target", "read_target": "target",
}

__all__ = [
    "CALIBRATION_SET", "EXTREMIST_CALIBRATION_SET", "Calibration", "FreeParameter", "Target", "calibrate",
    "parse_matches", "parse_parameters", "read_target",
]


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
