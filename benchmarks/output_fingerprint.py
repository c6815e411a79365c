"""Fingerprints of the model's outputs, to check that a speed change leaves every number as it was.

Runs every shipped scenario with two seeds (2,000 community members, 120 weeks) and `baseline` at
40,000 + 2,000 (100 weeks), and hashes each run's timeseries, events table and event log at full
precision. Write the fingerprints before a change, check them after it: any difference is named.
Usage: python benchmarks/output_fingerprint.py --write FILE   (before)
       python benchmarks/output_fingerprint.py --check FILE   (after; exit 1 if any run differs)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

SMALL = {"population__community": 2000, "weeks": 120}
LARGE = ("baseline", 5, {"population__community": 40_000, "population__released": 2_000, "weeks": 100})
SEEDS = (1, 2)


def fingerprint(scenario: str, seed: int, size: dict) -> str:
    from sim import ReintegrationModel

    model = ReintegrationModel(scenario, rng=seed, **size)
    while model.running:
        model.step()
    text = (model.datacollector.get_model_vars_dataframe().to_csv() + model.event_times().to_csv()
            + repr(model.event_log))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprints() -> dict[str, str]:
    from sim.scenarios.loader import shipped_names

    runs = {f"{name} seed {seed}": fingerprint(name, seed, SMALL) for name in shipped_names() for seed in SEEDS}
    name, seed, size = LARGE
    runs[f"{name} seed {seed}, 40,000 + 2,000"] = fingerprint(name, seed, size)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", metavar="FILE", help="write the fingerprints to FILE (JSON)")
    action.add_argument("--check", metavar="FILE", help="compare with the fingerprints in FILE")
    args = parser.parse_args()
    runs = fingerprints()
    if args.write:
        with open(args.write, "w", encoding="utf-8") as file:
            json.dump(runs, file, indent=1)
        print(f"wrote {len(runs)} fingerprints to {args.write}")
        return
    with open(args.check, encoding="utf-8") as file:
        before = json.load(file)
    differ = [run for run in runs if before.get(run) != runs[run]]
    missing = [run for run in before if run not in runs]
    for run in differ:
        print(f"differs: {run}")
    for run in missing:
        print(f"not run now: {run}")
    print(f"{len(runs) - len(differ)} of {len(runs)} runs identical")
    sys.exit(1 if differ or missing else 0)


if __name__ == "__main__":
    main()
