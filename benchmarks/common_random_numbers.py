"""How much common random numbers buy in scenario comparisons: var(paired difference) / (var A + var B).

Each contrast runs `general_offenders` (3,000 community members, 1,000 released, 156 weeks) at two
settings with the same replicate seeds, and reads the share reoffended and recalled 156 weeks after
release. With independent seeds the ratio is 1; the smaller it is, the more of the replicate noise
cancels in the paired difference (one random stream per rule, fixed-shape draws: sim/streams.py).
Targets (issue 10): median ratio <= 0.25 and every ratio <= 0.5.
Usage: python benchmarks/common_random_numbers.py [--replicates 16] [--workers 2]
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


def outcome(task: tuple[str, float, int]) -> tuple[float, float]:
    from sim.runner import simulate
    from sim.scenarios import load_scenario
    from sim.streams import replicate_seed

    key, value, replicate = task
    settings = load_scenario("general_offenders", {**SIZE, key: value})
    curves = simulate(settings, replicate_seed(settings.seed, replicate)).curves.set_index("weeks_since_release")
    return tuple(float(curves.loc[WEEK, metric]) for metric in METRICS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tasks = [(key, value, r) for key, pair in CONTRASTS.items() for value in pair for r in range(args.replicates)]
    print(f"{len(tasks)} runs of general_offenders (3,000 community, 1,000 released, 156 weeks) on {args.workers} workers")
    with ProcessPoolExecutor(args.workers) as pool:
        results = dict(zip(tasks, pool.map(outcome, tasks), strict=True))
    ratios = []
    for key, (low, high) in CONTRASTS.items():
        a = np.array([results[(key, low, r)] for r in range(args.replicates)])
        b = np.array([results[(key, high, r)] for r in range(args.replicates)])
        for column, metric in enumerate(METRICS):
            ratio = np.var(b[:, column] - a[:, column], ddof=1) / (np.var(a[:, column], ddof=1) + np.var(b[:, column], ddof=1))
            ratios.append(ratio)
            effect = (b[:, column] - a[:, column]).mean()
            print(f"{key} {low:g} -> {high:g}, {metric} at {WEEK} weeks: effect {effect * 100:+.2f} points, "
                  f"var(diff)/(varA+varB) = {ratio:.3f}   (target <= 0.5)")
    print(f"median ratio {statistics.median(ratios):.3f}   (target <= 0.25); max {max(ratios):.3f}   (target <= 0.5)")


if __name__ == "__main__":
    main()
