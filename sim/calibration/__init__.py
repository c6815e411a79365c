"""Calibration: fit scenario parameters jointly to observed first-event curves, with honest uncertainty.

``target`` reads the observed curves, ``objective`` says which parameters are free and how a model
curve is scored against the target, ``fit`` runs differential evolution on the sweep engine with a
resumable cache, and ``report`` writes the calibrated scenario, tables and figure.
"""

from sim.lazy import lazy_exports

_HOMES = {
    "Calibration": "fit", "calibrate": "fit",
    "CALIBRATION_SET": "objective", "EXTREMIST_CALIBRATION_SET": "objective", "FreeParameter": "objective",
    "parse_parameters": "objective",
    "Target": "target", "parse_matches": "target", "read_target": "target",
}

__all__ = [
    "CALIBRATION_SET", "EXTREMIST_CALIBRATION_SET", "Calibration", "FreeParameter", "Target", "calibrate",
    "parse_matches", "parse_parameters", "read_target",
]


__getattr__ = lazy_exports(__name__, _HOMES)
