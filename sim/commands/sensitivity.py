"""Sobol' (first and total order) or Morris sensitivity of an experiment's outputs to its factors.

Runs the experiment's sobol or morris design on the sweep engine (so it resumes like ``sim sweep``),
averages each output over a point's replicates, and writes sensitivity.csv, ranking.md (which factors lead,
and whether the sample is large enough to say so) and sensitivity.png into DIR.
"""

from __future__ import annotations

import sys

from sim.commands.sweep import add_engine_options, experiment_of, not_ok, say_short_followup

NAME = "sensitivity"
HELP = "Sobol' or Morris sensitivity analysis of an experiment"
ORDER = 60


def configure(parser) -> None:
    add_engine_options(parser)


INDEX_WORDS = {
    "sobol": "S1: the share of an output's variance a factor explains alone; ST: with all its interactions; "
             "_conf: half the width of the 95% interval",
    "morris": "mu_star: the mean size of a factor's effect over its whole range, in the output's units as sensitivity.csv "
              "holds them (a share as 0-1: 0.233 is 23.3 percentage points, as ranking.md gives it); sigma: how much "
              "that effect changes with the other factors (interactions, non-linearity); _conf: half the width of the "
              "95% interval; mu: the mean signed effect, whose sign gives the direction (raises or lowers the output "
              "where every step went that way, mixed where steps went both ways)",
}
"""The columns of the terminal's table in words, above it: a reader new to SALib's names meets them here first."""


def execute(args) -> int:
    from sim.experiments.sensitivity_analysis import (
        CONSTANT,
        AnalysisError,
        direction,
        failure_words,
        few_words,
        sensitivity,
        standing_apart,
        undefined,
    )
    from sim.experiments.store import failed_of, lost_of
    from sim.money import readable

    experiment = experiment_of(args)
    say_short_followup(experiment)
    try:
        result = sensitivity(experiment, out=args.out, workers=args.workers, scheduler=args.scheduler,
                             batch_size=args.batch, require_existing=args.resume)
    except AnalysisError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    table = result.table
    if result.method == "sobol":
        columns = ["S1", "S1_conf", "ST", "ST_conf"]
        with_text = table.assign(**{c: table[c].map(lambda v: f"{v:.3f}") for c in columns})
    else:  # effects in the output's own unit, of any size (an amount in millions, a level's 0.00014): 3 figures
        columns = ["mu_star", "mu_star_conf", "sigma", "mu", "direction"]
        with_text = table.assign(**{c: table[c].map(lambda v: readable(v, 3)) for c in columns[:4]},
                                 direction=[direction(m, v) for m, v in zip(table["mu"], table["mu_star"], strict=True)])
    print(INDEX_WORDS[result.method])
    print(with_text[["output", "factor", *columns]].to_string(index=False))
    for output, verdict in result.verdicts().items():
        if verdict["constant"]:
            print(f"{output}: not ranked: {CONSTANT}; {undefined(result.method)}")
            continue
        leaders = verdict["ranked"]["factor"][:3]  # two when the experiment has two factors
        top = ", ".join(leaders)
        if verdict["failed"]:
            said = f"not ranked: {failure_words(verdict, result.method)}; raise --samples"
        elif verdict["separated"]:
            said = "separated"
        else:
            said = "NOT separated (sample too small for a ranking)"
        if verdict["leading"] and not verdict["separated"]:
            said += f"; {standing_apart(verdict)}"
        if verdict["few"] and (verdict["separated"] or verdict["leading"]):
            said += f"; {few_words(result.samples, result.method).replace('`samples`', '--samples')}"
        trouble = f"; {'; '.join(verdict['problems'])}" if verdict["problems"] else ""
        print(f"{output}: top {('two', 'three')[len(leaders) - 2]} by {verdict['key']} {top}: {said}{trouble}")
    runs = result.sweep.runs  # read once for the lines below
    problems = not_ok(result.sweep, runs)
    for line in problems:
        print(line)
    print(f"wrote {result.directory / 'sensitivity.csv'} and ranking.md "
          f"({len(failed_of(runs))} runs failed, {len(lost_of(runs))} lost)")
    return 1 if problems else 0

