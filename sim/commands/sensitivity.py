"""Sobol' (first and total order) or Morris sensitivity of an experiment's outputs to its factors.

Runs the experiment's sobol or morris design on the sweep engine (so it resumes like ``sim sweep``),
averages each output over a point's replicates, and writes sensitivity.csv and sensitivity.png into DIR.
"""

from __future__ import annotations

import sys

from sim.commands.sweep import add_engine_options, experiment_of
from sim.experiments.sensitivity import AnalysisError, sensitivity

NAME = "sensitivity"
HELP = "Sobol' or Morris sensitivity analysis of an experiment"
ORDER = 60


def configure(parser) -> None:
    add_engine_options(parser)


def execute(args) -> int:
    experiment = experiment_of(args)
    try:
        result = sensitivity(experiment, out=args.out, workers=args.workers, scheduler=args.scheduler)
    except AnalysisError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    table = result.table
    columns = ["S1", "S1_conf", "ST", "ST_conf"] if result.method == "sobol" else ["mu_star", "mu_star_conf", "sigma"]
    with_text = table.assign(**{c: table[c].map(lambda v: f"{v:.3f}") for c in columns})
    print(with_text[["output", "factor", *columns]].to_string(index=False))
    failed = len(result.sweep.failed)
    print(f"wrote {result.directory / 'sensitivity.csv'} ({failed} runs failed)")
    return 1 if failed else 0
