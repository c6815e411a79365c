"""Test a comparison's conclusions against the model's assumptions: Latin hypercube draws and PRIM scenario discovery.

Draws the assumed parameters (prices included) over their plausible ranges, runs every scenario under each draw
with common random numbers on the sweep engine (resumable: rerun into DIR to continue), and writes robustness.md
(share of draws keeping each conclusion's sign, the cost per person released among them, the draws flipping it or
giving no difference, the assumption ranges where it does not hold, and whether each scenario is worth its cost at
each price per new offence averted, and per terrorism offence averted where the cohorts hold violent-extremist people),
robustness.csv, prim_boxes.csv, acceptability.csv, draws.csv, figures/robustness.png
and figures/acceptability.png. See docs/DECISIONS.md.
"""

from __future__ import annotations

from sim.commands.common import (
    add_folder_options,
    add_seed_option,
    at_least,
    overrides,
    positive_int,
    refuse_experiment_files,
)
from sim.counts import LEAST

NAME = "robustness"
HELP = "do a comparison's conclusions survive the model's assumptions? (draws, sign shares, PRIM)"
ORDER = 62


def configure(parser) -> None:
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="shipped name or YAML file; the first is the reference")
    parser.add_argument("--draws", type=at_least(LEAST["robustness"]["--draws"]), default=64, metavar="N", help="Latin hypercube draws of the assumptions (default 64)")
    parser.add_argument("--replicates", "-r", type=positive_int, default=2, metavar="R", help="replicates per draw and scenario (default 2)")
    parser.add_argument("--nominal-replicates", type=at_least(LEAST["robustness"]["--nominal-replicates"]), default=None,
                        metavar="R", help="replicates of the nominal comparison, whose sign every draw is tested against "
                                          "(default 10, or --replicates if more)")
    add_seed_option(parser, "root seed of draws and runs (default: the reference's seed)")
    parser.add_argument("--weeks", type=positive_int, default=None, metavar="W", help="horizon in weeks (default: the scenarios')")
    add_folder_options(parser, "robustness")


def execute(args) -> int:
    refuse_experiment_files(args.scenarios)
    from sim.experiments.acceptability import acceptability_short
    from sim.experiments.robustness import robustness
    from sim.experiments.robustness_results import describe
    from sim.experiments.robustness_words import (
        box_finding,
        draws_not_keeping,
        held_out_tag,
        kept_text,
        nominal_interval_text,
    )

    result = robustness(args.scenarios, out=args.out, draws=args.draws, replicates=args.replicates,
                        nominal_replicates=args.nominal_replicates, seed=args.seed,
                        overrides=overrides(args), weeks=args.weeks, workers=args.workers, scheduler=args.scheduler,
                        max_runs=args.max_runs, figures=not args.no_figures)
    for row in result.table.itertuples():  # as robustness.md says it: points, not a bare -0.0050; no 'n/a' share
        print(f"{result.named(row.scenario)} vs {result.title(row.reference)}, {describe(row.outcome)}: "
              f"nominal {result.form(row.outcome)(row.nominal)}"
              + (f" ({interval})" if (interval := nominal_interval_text(row, result.currency)) else "") + ", " + kept_text(row, result) + (f" ({lost})" if (lost := draws_not_keeping(row, "it")) else ""))
    for (scenario, outcome), box in result.boxes.groupby(["scenario", "outcome"], sort=False):
        print(f"PRIM {result.named(scenario)}, {describe(outcome)}: {box_finding(result, scenario, outcome)} when "
              + "; ".join(f"{b.assumption} in {b.low:.3g}-{b.high:.3g}" for b in box.itertuples()) + held_out_tag(box))
    for line in acceptability_short(result, where="in robustness.md"):  # is it worth its cost: the curve's prices
        print(line)
    print(f"wrote {result.directory / 'robustness.md'}")
    if result.failed:
        print(f"{result.failed} runs failed (status 'failed', with error and seed, in {result.directory / 'sweeps'}/*/*/runs, "
              "or 'lost' to the infrastructure, which rerunning into the folder runs again); their draws are left out")
        return 1
    return 0
