"""Compare scenarios against the first (the reference): means, paired differences with 95% intervals and p-values.

Writes the files of ``sim run`` plus comparison.csv (per scenario, metric and horizon), comparison.md
(the headline differences in words), cost_effectiveness.csv (each scenario's extra cost, the offences it averts and the
cost per offence averted against the reference, with its quadrant) and a Kaplan-Meier figure. See docs/EXPERIMENTS.md.
"""

from __future__ import annotations

from sim.commands.common import add_run_options, overrides, write_runs

NAME = "compare"
HELP = "compare scenarios against a reference, with paired intervals and p-values"
ORDER = 15


def configure(parser) -> None:
    add_run_options(parser, replicates=10, seed_help="root seed (default: the reference's seed)")
    parser.add_argument("--by", default=None, metavar="COLUMN",
                        help="also compare within subgroups of people: offence_type, risk_tier, ngo_enrolled or "
                             "supervision_level (writes subgroups.csv)")


def execute(args) -> int:
    return write_runs(args, NAME, write)


def write(args, out) -> int:
    from sim.experiments.comparison import compare

    comparison = compare(args.scenarios, replicates=args.replicates, seed=args.seed, overrides=overrides(args),
                         weeks=args.weeks, progress=True, by=args.by, out=out)
    comparison.save(out, figures=not args.no_figures, replace=args.replace)
    for line in comparison.headlines():
        print(line)
    print(f"wrote {out}")
    return 0
