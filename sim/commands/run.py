"""Run one or more scenarios with replicates and write curves, timeseries, summary, manifest and figures.

Several scenarios are run side by side and drawn on the same figures; replicate r of each uses the same
seed when they share a root seed (``--seed``, or the same ``seed`` in their files, as every shipped scenario has). SCENARIO is a shipped name (see `sim scenarios`) or a path to a YAML file.
"""

from __future__ import annotations

from sim.commands.common import add_run_options, overrides, write_runs

NAME = "run"
HELP = "run scenarios and write results and figures"
ORDER = 10


def configure(parser) -> None:
    add_run_options(parser, replicates=1, seed_help="root seed (default: each scenario's seed)")


def execute(args) -> int:
    return write_runs(args, NAME, write)


def write(args, out) -> int:
    from sim.analysis.summaries import share_text
    from sim.curves import commits_terrorism, terrorism_settings
    from sim.runner import run

    result = run(args.scenarios, replicates=args.replicates, seed=args.seed, overrides=overrides(args),
                 weeks=args.weeks, progress=True, out=out)
    result.save(out, figures=not args.no_figures, replace=args.replace)
    headline = result.summary
    last = headline[(headline["clock"] == "weeks_since_release")
                    & (headline["metric"].isin(["reoffended", "terrorism_offence", "recalled"]))]
    last = last[last["week"] == last["week"].max()]
    # terrorism offences only for scenarios whose cohort can commit them (else 0 by construction)
    possible = {s.name: commits_terrorism([terrorism_settings(s)]) for s in result.scenarios}
    last = last[(last["metric"] != "terrorism_offence") | last["scenario"].map(possible).astype(bool)]
    if last.empty:
        print("nobody was followed a whole week after release: no share to show (run more weeks)")
    for row in last.itertuples():  # at the longest horizon some replicates may have followed nobody that long
        share = share_text(row.mean, row.ci_low, row.ci_high, row.replicates, args.replicates, ci="95% CI ")
        print(f"{row.scenario:>22}  {row.metric:<17} at {row.week:>3} weeks: {share}")
    print(f"wrote {out}")
    return 0
