"""The documented calibration sets: which parameters `sim calibrate` fits by default, and their search ranges.

Plain data, so that the command line can name them in its help without loading pandas or the model. No range reaches
beyond its parameter's plausible range (docs/PARAMETERS.md), so that a calibration run with the defaults is not warned
of its own search (``sim.calibration.objective``); a fit that wants a value outside it is told with ``--params``.
"""

# In both sets: the technical-violation path to recall and how many arrests lead back to prison.
_RECALL_AND_RETURN: dict[str, tuple[float, float]] = {
    "supervision.breach_rate": (0.003, 0.013),
    "release.imprisonment_share": (0.1, 0.4),
}

CALIBRATION_SET: dict[str, tuple[float, float]] = {
    "offending.general.base_hazard": (1e-4, 0.05),
    "offending.general.risk_dispersion": (0.3, 2.5),
    "offending.general.desisted_share": (0.0, 0.6),
    **_RECALL_AND_RETURN,
}
"""The documented calibration set of a general-offender scenario and its search ranges.

These five are the parameters no study measures directly but the first-event curves pin down: the
offending hazard's level (``base_hazard``), how fast the population hazard falls as high-risk people
offend first (``risk_dispersion``), the plateau of people who have stopped (``desisted_share``), the
technical-violation path to recall (``breach_rate``) and how many arrests lead back to prison
(``imprisonment_share``). Everything else comes from a source or is an assumption (docs/PARAMETERS.md).
"""

EXTREMIST_CALIBRATION_SET: dict[str, tuple[float, float]] = {
    "offending.violent_extremist.base_hazard": (1e-5, 0.01),
    "offending.violent_extremist.risk_dispersion": (0.5, 2.0),
    "offending.violent_extremist.desisted_share": (0.4, 0.8),
    **_RECALL_AND_RETURN,
}
"""The same set for a cohort of violent-extremist offenders only (``violent_extremist_share`` = 1)."""
