"""Calibration: fit scenario parameters jointly to observed first-event curves, with honest uncertainty.

``target`` reads the observed curves, ``objective`` says which parameters are free and how a model
curve is scored against the target, ``fit`` runs differential evolution on the sweep engine with a
resumable cache, and ``report`` writes the calibrated scenario, tables and figure.
"""

from sim.calibration.fit import Calibration, calibrate
from sim.calibration.objective import CALIBRATION_SET, EXTREMIST_CALIBRATION_SET, FreeParameter, parse_parameters
from sim.calibration.target import Target, parse_matches, read_target

__all__ = [
    "CALIBRATION_SET", "EXTREMIST_CALIBRATION_SET", "Calibration", "FreeParameter", "Target", "calibrate",
    "parse_matches", "parse_parameters", "read_target",
]
