"""Power of sim robustness's held-out check: how often a real box of assumptions is called one that beats chance.

Each trial draws a Latin hypercube of N points over 189 assumptions (as many as `sim robustness
baseline ngo_surge` draws, 14 assumed prices among them) and labels each draw as flipping the conclusion's
sign or keeping it, with a known box: the draws whose first assumption lies in its lowest `--width` of the
range flip with probability `--inside`, the others with probability `--outside` (the noise of a draw's two
replicates). The labels go through the command's own analysis (``sim.experiments.robustness_analysis.analyse``:
PRIM on all draws, then PRIM on a random half and Fisher's exact test on the other half), and a trial
counts as a detection when the box beats chance (p < 0.05). With
`--inside` equal to `--outside` there is no box, and the same count is the false-positive rate.

Usage: python benchmarks/prim_power.py [--draws 48 64 128 256] [--trials 100] [--width 0.3]
                                       [--inside 0.8] [--outside 0.1] [--assumptions 189]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.experiments.robustness_analysis import BEATS_CHANCE, analyse
from sim.stats import wilson  # the report's own 95% Wilson interval

OUTCOME = "reoffended_156w"


def trial(draws: int, seed: int, args) -> tuple[bool, bool, bool]:
    """(PRIM found a box on all draws, that box restricts the first assumption, the box beats chance held out)."""
    rng = np.random.default_rng(seed)
    factors = [f"a{i:03d}" for i in range(args.assumptions)]
    x = qmc.LatinHypercube(d=args.assumptions, rng=rng).random(draws)
    inside = x[:, 0] < args.width
    flips = rng.random(draws) < np.where(inside, args.inside, args.outside)
    design = pd.DataFrame(x, columns=factors).assign(point=range(draws))
    index = pd.Index(range(draws), name="point")
    means = {"reference": (pd.DataFrame({OUTCOME: 0.0}, index=index), pd.DataFrame({OUTCOME: [0.0]}), design),
             "policy": (pd.DataFrame({OUTCOME: np.where(flips, -0.01, 0.01)}, index=index),
                        pd.DataFrame({OUTCOME: [0.01]}), design)}
    boxes = analyse(["reference", "policy"], means, factors, seed=seed).boxes
    if boxes.empty:
        return False, False, False
    return True, factors[0] in set(boxes["assumption"]), bool((boxes["held_out"] == BEATS_CHANCE).any())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, nargs="+", default=[48, 64, 128, 256])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--width", type=float, default=0.3)
    parser.add_argument("--inside", type=float, default=0.8)
    parser.add_argument("--outside", type=float, default=0.1)
    parser.add_argument("--assumptions", type=int, default=189)
    args = parser.parse_args()
    print(f"box: first of {args.assumptions} assumptions in its lowest {args.width:.0%}; flips there with "
          f"probability {args.inside}, elsewhere {args.outside}; {args.trials} trials per size")
    print("draws | PRIM box found | restricts the true assumption | beats chance held out (95% CI) | s per trial")
    for draws in args.draws:
        start = time.perf_counter()
        found = [trial(draws, seed, args) for seed in range(args.trials)]
        took = (time.perf_counter() - start) / args.trials
        box, right, beats = (sum(f[i] for f in found) for i in range(3))
        low, high = wilson(beats, args.trials)
        print(f"{draws:5d} | {box / args.trials:14.0%} | {right / args.trials:29.0%} | "
              f"{beats / args.trials:5.0%} ({low:.0%} to {high:.0%}){'':9} | {took:.2f}", flush=True)


if __name__ == "__main__":
    main()
