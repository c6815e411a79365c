"""Design values: how long the sweep engine takes to read every point's values before the first run.

    .venv/bin/python benchmarks/design_values.py [--samples 200000]

Loads a two-factor LHS design (one float, one integer factor) of `--samples` points and times
``Experiment.changes`` over every point, as the engine does before it starts the first run. Prints the
total and the time per point. Target: under 5 s for 200,000 points (read a factor at a time per point,
80 us a point, such a design once sat silent for 16 s after its size line, a million-point one for minutes).
"""

from __future__ import annotations

import argparse
import time

from sim.experiments import load_experiment

TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200_000)
    samples = parser.parse_args().samples
    exp = load_experiment({"name": "large", "scenario": "general_offenders", "design": {
        "kind": "lhs", "samples": samples, "factors": {"stigma.baseline": {"low": 0.1, "high": 0.9},
                                                       "population.community": {"low": 300, "high": 900}}}},
        max_runs=samples)
    started = time.perf_counter()
    points = [exp.changes(point) for point in range(len(exp.design))]
    took = time.perf_counter() - started
    print(f"{len(points):,} points: {took:.2f} s ({1e6 * took / len(points):.1f} us a point); "
          f"target < {TARGET_SECONDS:.0f} s for 200,000 points")


if __name__ == "__main__":
    main()
