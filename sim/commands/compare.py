"""Compare scenarios against the first (the reference): means, differences with 95% intervals, log-rank tests.

Writes the files of ``sim run`` plus comparison.csv (per scenario, metric and horizon), comparison.md
(the headline differences in words) and a Kaplan-Meier figure. See docs/EXPERIMENTS.md.
"""

from __future__ import annotations

from pathlib import Path

from sim.commands.common import add_set_option, default_out, overrides
from sim.experiments.compare import compare
from sim.output import check_destination

NAME = "compare"
HELP = "compare scenarios against a reference, with intervals and log-rank tests"
ORDER = 15


def configure(parser) -> None:
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="reference first; shipped names or YAML paths")
    parser.add_argument("--replicates", "-r", type=int, default=10, metavar="N", help="replicates per scenario (default 10)")
    parser.add_argument("--seed", type=int, default=None, metavar="S", help="root seed (default: the reference's seed)")
    parser.add_argument("--weeks", type=int, default=None, metavar="W", help="horizon in weeks (default: each scenario's)")
    add_set_option(parser)
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: a new folder under results/)")
    parser.add_argument("--no-figures", action="store_true", help="skip the PNG figures")


def execute(args) -> int:
    out = args.out or default_out("compare", args.scenarios)
    check_destination(out)
    comparison = compare(args.scenarios, replicates=args.replicates, seed=args.seed, overrides=overrides(args),
                         weeks=args.weeks, progress=True)
    comparison.save(out, figures=not args.no_figures)
    for line in comparison.headlines():
        print(line)
    print(f"wrote {out}")
    return 0
