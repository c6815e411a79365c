"""How much common random numbers buy in scenario comparisons: var(paired difference) / (var A + var B).

Each contrast runs `general_offenders` (3,000 community members, 1,000 released, 156 weeks) at two
settings with the same replicate seeds, and reads the share reoffended and recalled 156 weeks after
release. With independent seeds the ratio is 1; the smaller it is, the more of the replicate noise
cancels in the paired difference (one random stream per rule, fixed-shape draws: sim/streams.py).
Targets (issue 10): median ratio <= 0.25 and every ratio <= 0.5.

Beside each ratio it prints a 90% bootstrap interval over the replicates (16 replicates estimate a
variance ratio loosely), the share of people whose outcome differs between the two settings (in each
direction), and a binomial floor: the ratio if every person were equally likely to differ and people were
independent, var(paired difference) = mean over replicates of var(b_i - a_i) / N. When one setting's
events contain the other's (nesting: nobody has the event only under the lighter setting), common
random numbers have done all they can, and a large effect on a share leaves about that floor (people
whose chances differ lower it a little, so it is a yardstick, not a bound).
With ``--contrast KEY=A,B`` (repeatable) it measures those contrasts instead of the three above, e.g.
``--contrast network.associates=1,2`` for a parameter read when the world is built, and with ``--scenario NAME`` on
another shipped scenario at the same sizes, e.g. ``--scenario baseline --contrast network.associate_share=0.05,0.1``
for the old associates' weekly turnover, which only violent-extremist people's associates go through.
With ``--batches K`` it runs K disjoint batches of the replicates (seeds 0 to K x replicates - 1; the first batch is
the one reported above) and prints each ratio in every batch, how many batches meet its target and the ratio of all
the pairs together, with its 90% bootstrap interval: how far a ratio from so few pairs moves with the seed, and the
ratio itself, measured closely.
Usage: python benchmarks/common_random_numbers.py [--replicates 16] [--workers 2] [--bootstrap 2000] [--contrast KEY=A,B]
                                                  [--scenario general_offenders] [--batches 1]
"""

from __future__ import annotations

import argparse
import statistics
from concurrent.futures import ProcessPoolExecutor

import numpy as np

SIZE = {"population.community": 3000, "population.released": 1000, "weeks": 156}
CONTRASTS = {
    "ngo.capacity": (0.5, 1.0),
    "supervision.strictness": (0.5, 0.9),
    "stigma.baseline": (0.5, 0.8),
}
WEEK = 156
METRICS = ("reoffended", "recalled")


def outcome(task: tuple[str, str, float, int]) -> tuple[tuple[float, ...], tuple[np.ndarray, ...]]:
    """The curves' values at WEEK, and each person's outcome by WEEK (the curves' own time-at-risk rule)."""
    from sim.curves import COMPETING, FIRST_EVENT
    from sim.outcomes import time_at_risk
    from sim.runner import simulate
    from sim.scenarios import load_scenario
    from sim.streams import replicate_seed

    scenario, key, value, replicate = task
    settings = load_scenario(scenario, {**SIZE, key: value})
    run = simulate(settings, replicate_seed(settings.seed, replicate))
    curves = run.curves.set_index("weeks_since_release")
    followup = run.events["followup"].to_numpy()
    never = np.full(len(run.events), -1)

    def person(metric: str) -> np.ndarray:
        event = run.events[FIRST_EVENT[metric]].to_numpy()
        competing = run.events[COMPETING[metric]].to_numpy() if metric in COMPETING else never
        stop, hit, _ = time_at_risk(event, competing, followup)
        return hit & (stop <= WEEK)

    return tuple(float(curves.loc[WEEK, metric]) for metric in METRICS), tuple(person(metric) for metric in METRICS)


def ratio(a: np.ndarray, b: np.ndarray) -> float:
    """var(b - a) / (var a + var b) over replicates."""
    return float(np.var(b - a, ddof=1) / (np.var(a, ddof=1) + np.var(b, ddof=1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bootstrap", type=int, default=2000, help="resamples of the replicates for the interval")
    parser.add_argument("--contrast", action="append", default=[], metavar="KEY=A,B",
                        help="a contrast to measure instead of the issue's three (repeatable)")
    parser.add_argument("--scenario", default="general_offenders", help="the shipped scenario the contrasts are run on")
    parser.add_argument("--batches", type=int, default=1,
                        help="disjoint batches of --replicates replicates; each ratio is printed for every batch")
    args = parser.parse_args()
    contrasts = CONTRASTS
    if args.contrast:
        pairs = [item.split("=", 1) for item in args.contrast]
        contrasts = {key: tuple(float(v) for v in values.split(",")) for key, values in pairs}
    tasks = [(args.scenario, key, value, r) for key, pair in contrasts.items() for value in pair
             for r in range(args.replicates * args.batches)]
    print(f"{len(tasks)} runs of {args.scenario} (3,000 community, 1,000 released, 156 weeks) on {args.workers} workers")
    with ProcessPoolExecutor(args.workers) as pool:
        results = dict(zip(tasks, pool.map(outcome, tasks), strict=True))
    ratios = []
    resample = np.random.default_rng(0).integers(args.replicates, size=(args.bootstrap, args.replicates))
    for key, (low, high) in contrasts.items():
        a_runs = [results[(args.scenario, key, low, r)] for r in range(args.replicates)]
        b_runs = [results[(args.scenario, key, high, r)] for r in range(args.replicates)]
        for column, metric in enumerate(METRICS):
            a = np.array([share[column] for share, _ in a_runs])
            b = np.array([share[column] for share, _ in b_runs])
            ratios.append(ratio(a, b))
            low_end, high_end = np.quantile([ratio(a[pick], b[pick]) for pick in resample], [0.05, 0.95])
            people = [(pa[column], pb[column]) for (_, pa), (_, pb) in zip(a_runs, b_runs, strict=True)]
            only_a = np.mean([(pa & ~pb).mean() for pa, pb in people])
            only_b = np.mean([(pb & ~pa).mean() for pa, pb in people])
            floor = np.mean([np.var(pb.astype(float) - pa) / pa.size for pa, pb in people]) / (
                np.var(a, ddof=1) + np.var(b, ddof=1))
            print(f"{key} {low:g} -> {high:g}, {metric} at {WEEK} weeks: effect {(b - a).mean() * 100:+.2f} points, "
                  f"var(diff)/(varA+varB) = {ratios[-1]:.3f} [90% {low_end:.2f}-{high_end:.2f}]   (target <= 0.5)\n"
                  f"    people with the outcome only at {low:g}: {only_a:.1%}, only at {high:g}: {only_b:.1%}; "
                  f"binomial floor (people alike and independent) {floor:.3f}")
    print(f"median ratio {statistics.median(ratios):.3f}   (target <= 0.25); max {max(ratios):.3f}   (target <= 0.5)")
    if args.batches > 1:
        print_batches(results, args.scenario, contrasts, args.replicates, args.batches, args.bootstrap)


def print_batches(results: dict, scenario: str, contrasts: dict, replicates: int, batches: int, bootstrap: int) -> None:
    """Each ratio in every disjoint batch of ``replicates`` pairs, how many batches meet 0.5, and all pairs' ratio
    with its 90% bootstrap interval: the ratio the targets are about, which one batch of 16 estimates loosely."""
    print(f"\nin {batches} disjoint batches of {replicates} replicates (the first is the one above):")
    pooled = []
    for key, (low, high) in contrasts.items():
        for column, metric in enumerate(METRICS):
            a, b = (np.array([results[(scenario, key, value, r)][0][column] for r in range(replicates * batches)])
                    for value in (low, high))
            each = [ratio(a[start:start + replicates], b[start:start + replicates])
                    for start in range(0, a.size, replicates)]
            pooled.append(ratio(a, b))
            resample = np.random.default_rng(0).integers(a.size, size=(bootstrap, a.size))
            low_end, high_end = np.quantile([ratio(a[pick], b[pick]) for pick in resample], [0.05, 0.95])
            print(f"{key} {low:g} -> {high:g}, {metric}: " + ", ".join(f"{value:.2f}" for value in each)
                  + f"; {sum(value <= 0.5 for value in each)} of {batches} <= 0.5, median {statistics.median(each):.3f};"
                  f" all {a.size} pairs {pooled[-1]:.3f} [90% {low_end:.2f}-{high_end:.2f}]")
    print(f"all pairs: median ratio {statistics.median(pooled):.3f}   (target <= 0.25); max {max(pooled):.3f}   "
          "(target <= 0.5)")


if __name__ == "__main__":
    main()
