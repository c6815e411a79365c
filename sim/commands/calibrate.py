"""Fit scenario parameters jointly to observed first-event curves (e.g. the BJS 2005 recidivism cohort).

Differential evolution with common random numbers runs on the sweep engine (local Dask workers or a
scheduler) within a budget of model runs. Every run is cached in DIR, so rerunning into the same DIR
re-uses them (a larger --budget continues the search). Writes DIR/calibrated.yaml (a scenario that
extends the input with the fitted values), fit.csv (values and intervals), errors.csv (error at every
target point), candidates.csv, calibration.png and manifest.json. With --holdout-from, the target's later
points are left out of the fit and their error is reported beside the fitted points' (the out-of-sample
check). See docs/VALIDATION.md.
"""

from __future__ import annotations

import math

from sim.calibration.sets import CALIBRATION_SET, EXTREMIST_CALIBRATION_SET
from sim.commands.common import (
    add_folder_options,
    add_seed_option,
    at_least,
    overrides,
    positive_int,
    refuse_experiment_files,
)
from sim.counts import LEAST
from sim.units import percent

NAME = "calibrate"
HELP = "fit parameters to observed recidivism curves (differential evolution, resumable)"
ORDER = 60


def configure(parser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="shipped name or path to a YAML file")
    parser.add_argument("--target", required=True, metavar="CSV",
                        help="observed cumulative percentages of the cohort (0-100), one column per curve, by "
                             "'month' or 'week' since release (format: docs/EXPERIMENTS.md, Calibrate)")
    parser.add_argument("--match", action="append", default=[], required=True, metavar="COLUMN=OUTPUT",
                        help="pair a target column with reoffended (alias any_offence), recalled, returned or terrorism_offence (repeatable)")
    parser.add_argument("--params", action="append", default=None, metavar="KEY=LOW:HIGH",
                        help=f"a parameter to fit and its range (repeatable; default: {', '.join(CALIBRATION_SET)}; for a cohort "
                             f"of violent-extremist offenders only: {', '.join(EXTREMIST_CALIBRATION_SET)})")
    parser.add_argument("--holdout-from", type=float, default=None, metavar="MONTH",
                        help="fit only the target's points before MONTH (a week for a target by week) and report the "
                             "error at the rest, held out of the fit, as the out-of-sample check (default: fit them all)")
    parser.add_argument("--budget", type=positive_int, default=500, metavar="RUNS",
                        help="model runs in all: candidates x replicates, check runs and profile scans (default 500)")
    parser.add_argument("--replicates", type=positive_int, default=2, metavar="R",
                        help="common-random-number seeds per candidate (default 2)")
    parser.add_argument("--check-replicates", type=at_least(LEAST["calibrate"]["--check-replicates"]), default=8, metavar="N",
                        help="fresh seeds for the best candidate's errors, band and noise (default 8)")
    parser.add_argument("--popsize", type=at_least(LEAST["calibrate"]["--popsize"]), default=5, metavar="K",
                        help="candidates per generation: K x the number of parameters, but at least 5 (scipy's "
                             "floor) (default 5)")
    parser.add_argument("--scan-points", type=at_least(LEAST["calibrate"]["--scan-points"]), default=6, metavar="K",
                        help="values per parameter in the profile scan around the best fit (default 6)")
    add_seed_option(parser, "root seed (default: the scenario's)")
    add_folder_options(parser, "output", runs="a --budget of more than N runs", figures=False)


def interval_notes(row) -> str:
    """What a reader must know of one parameter's interval: which end is open (the fit stayed within the interval
    limit to the end of the scan, so the interval may reach further) and whether the fitted value sits at the end of
    its search range (a better value may lie beyond it: widen the range)."""
    notes = [f"open {side}: the fit stays within the limit to the scan's end" for side, is_open in
             (("below", row.open_low), ("above", row.open_high)) if is_open]
    notes += [f"fitted at the {end} end of its search range ({bound:.4g}): widen the range" for end, bound in
              (("lower", row.search_low), ("upper", row.search_high)) if math.isclose(row.value, bound, rel_tol=1e-9)]
    return f" ({'; '.join(notes)})" if notes else ""


def execute(args) -> int:
    refuse_experiment_files([args.scenario])
    from sim.calibration.fit import calibrate
    from sim.calibration.report import write_calibration

    # the results are written under the lock calibrate holds while it runs, taken once the folder is known to be new
    # or a calibration's: a lock taken before that check rewrote another command's lock file in a folder then refused
    result = calibrate(args.scenario, target=args.target, matches=args.match, out=args.out, params=args.params,
                       budget=args.budget, replicates=args.replicates, check_replicates=args.check_replicates,
                       popsize=args.popsize, scan_points=args.scan_points, seed=args.seed, overrides=overrides(args),
                       workers=args.workers, scheduler=args.scheduler, max_runs=args.max_runs,
                       holdout_from=args.holdout_from, then=lambda found: write_calibration(found, args.out))
    for row in result.intervals().itertuples():
        print(f"{row.parameter:>40} = {row.value:.4g}  (interval {row.low:.4g} - {row.high:.4g}){interval_notes(row)}")
    errors = result.errors()
    for column, group in errors.groupby("column", sort=False):
        if result.holdout_from is None:
            print(f"{column} vs {result.matches[column]}: max abs error {group['error'].abs().max():.2f} points "
                  f"(fresh seeds), {len(group)} target points")
            continue
        fitted, held = group[~group["held_out"]], group[group["held_out"]]
        print(f"{column} vs {result.matches[column]}: max abs error "
              + (f"{fitted['error'].abs().max():.2f} points at the {len(fitted)} target points fitted, " if len(fitted) else
                 "no target point fitted, ")
              + (f"{held['error'].abs().max():.2f} at the {len(held)} held out" if len(held) else "none held out")
              + " (fresh seeds)")
    if result.followed_share() < 0.5:
        print(f"note: only {percent(result.followed_share(), 0)} of the cohort is followed to the last target point "
              f"(releases are spread over {result.scenario.release.window_weeks} weeks): late points are noisy")
    if result.scored_alike():
        print(f"note: all {len(result.candidates)} candidates scored {result.best_score:.2f} points alike: the parameters "
              f"searched do not move the matched curves (a target of another cohort, or a curve {result.scenario.name} "
              "never produces?): the values and intervals above say nothing")
    elif result.noise_below_best():
        print(f"note: the intervals hold only candidates that scored exactly the best, which does not make the values "
              f"exact: the replicate noise estimated from {len(result.check_curves)} fresh-seed runs at the best fit "
              "stays below its score on the search's seeds; more --check-replicates estimate it better")
    runs = result.runs
    print(f"objective {result.best_score:.2f} points (the intervals hold the candidates scoring within "
          f"{result.best_score + result.threshold:.2f}, the best plus what replicate noise, sigma {result.sigma:.2f}, "
          f"allows); {runs['new']} runs now, "
          f"{runs['cached']} from the cache, {runs['failed']} failed; {result.timing['wall_seconds']:.0f} s")
    if (holdout := result.holdout()) is not None:
        print(f"held out of the fit ({holdout['unit']} {holdout['from']:g} on, {holdout['held_out_points']} target points): "
              f"{holdout['best_score_held_out']:.2f} points on the fit's seeds, {holdout['check_max_abs_error_held_out']:.2f} "
              f"on fresh seeds, against {result.best_score:.2f} and {holdout['check_max_abs_error_in_sample']:.2f} in sample: "
              "the out-of-sample check")
    print(f"wrote {args.out}")
    return 0
