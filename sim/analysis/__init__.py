"""The analysts' API: what analysts repeat in notebooks, as ``from sim import analysis`` then ``analysis.load(...)``.

Load a result folder as tidy frames (``load``), tabulate it (``headline``, ``run_table``, ``interaction``), draw the
standard plots (``plot_curves``...), read each lever's effects on the brief's ten objectives (``lever_effects``) and
the fit against the BJS 2005 cohort (``fit_table``). This namespace is kept on purpose, as the notebooks and the docs
use it; each name lives in the submodule that does its one job, and code inside ``sim`` imports it from there.
"""

from sim.analysis.bjs_fit import bjs_target, calibration_fit, fit_table, plot_candidates, plot_fit
from sim.analysis.labels import metric_words, value_label
from sim.analysis.plots import plot_curves, plot_heatmap, plot_interaction, plot_stigma
from sim.analysis.results import IncompleteWarning, Results, load, recorded
from sim.analysis.summaries import headline, interaction, run_table, scenario_differences, share_text
from sim.analysis.ten_objectives import (
    COHORT_STATES,
    OBJECTIVE_COLUMNS,
    OBJECTIVES,
    PER_PERSON,
    lever_effects,
    lever_outcomes,
    lever_scenarios,
    per_person,
    plot_lever_effects,
    plot_tradeoffs,
)
from sim.experiments.comparison import CUT_MARK
from sim.outcomes import no_interval

__all__ = [
    # a result folder
    "IncompleteWarning", "Results", "load", "recorded",
    # tables
    "headline", "interaction", "run_table", "scenario_differences", "share_text", "CUT_MARK", "no_interval",
    # plots, and what a metric is called in them
    "plot_curves", "plot_heatmap", "plot_interaction", "plot_stigma", "metric_words", "value_label",
    # the ten objectives
    "COHORT_STATES", "OBJECTIVE_COLUMNS", "OBJECTIVES", "PER_PERSON", "lever_effects", "lever_outcomes",
    "lever_scenarios", "per_person", "plot_lever_effects", "plot_tradeoffs",
    # the fit against the BJS 2005 cohort
    "bjs_target", "calibration_fit", "fit_table", "plot_candidates", "plot_fit",
]
