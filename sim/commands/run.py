"""Run one or more scenarios with replicates and write curves, timeseries, summary, manifest and figures.

Several scenarios are run side by side (replicate r of each uses the same seed) and drawn on the
same figures. SCENARIO is a shipped name (see `sim scenarios`) or a path to a YAML file.
"""

from __future__ import annotations

from pathlib import Path

from sim.commands.common import add_set_option, default_out, overrides
from sim.output import check_destination
from sim.runner import run

NAME = "run"
HELP = "run scenarios and write results and figures"
ORDER = 10


def configure(parser) -> None:
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="shipped name or path to a YAML file")
    parser.add_argument("--replicates", "-r", type=int, default=1, metavar="N", help="replicates per scenario (default 1)")
    parser.add_argument("--seed", type=int, default=None, metavar="S", help="root seed (default: each scenario's seed)")
    parser.add_argument("--weeks", type=int, default=None, metavar="W", help="horizon in weeks (default: the scenario's)")
    add_set_option(parser)
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: a new folder under results/)")
    parser.add_argument("--no-figures", action="store_true", help="skip the PNG figures")


def execute(args) -> int:
    out = args.out or default_out("run", args.scenarios)
    check_destination(out)
    result = run(args.scenarios, replicates=args.replicates, seed=args.seed, overrides=overrides(args),
                 weeks=args.weeks, progress=True)
    result.save(out, figures=not args.no_figures)
    headline = result.summary
    last = headline[(headline["clock"] == "weeks_since_release") & (headline["metric"].isin(["reoffended", "recalled"]))]
    last = last[last["week"] == last["week"].max()]
    for row in last.itertuples():
        print(f"{row.scenario:>22}  {row.metric:<10} at {row.week:>3} weeks: {100 * row.mean:5.1f}% "
              f"(95% CI {100 * row.ci_low:4.1f}-{100 * row.ci_high:4.1f})")
    print(f"wrote {out}")
    return 0
