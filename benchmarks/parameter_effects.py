"""Does every parameter change the model's outputs where the model is said to read it?

A parameter that is documented, validated and drawn by `sim robustness` but changes nothing is worse than none: a
sensitivity analysis credits it with no effect, and a reader takes that for a finding. For each numeric or yes/no
parameter this runs the model at both ends of its plausible range (a switch: off and on), on a scenario where
its "Read only when ..." conditions hold (without a plausible range: its default and a value near it), and hashes the curves, weekly series and events of each run.
The base is `attack_backlash` at 6,000 community members, 1,200 released people (half of them violent-extremist
offenders), 120 weeks, every lever at 0.5, the neighbourhoods network, drug tests on licence and 60 cases per
officer; a parameter read only on another generated network kind is run on that kind. Prices (`costs.*`) only
price a report, and a network read from a file needs a file, so neither is run.
Prints each parameter that changed nothing with either of two seeds, and how many did; exit 1 if any did.
Usage: python benchmarks/parameter_effects.py [--workers 2] [--only KEY ...]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from concurrent.futures import ProcessPoolExecutor

SCENARIO = "attack_backlash"
SEEDS = (1, 2)  # a rare event can fall the same way at both ends in one run: idle means idle with both seeds
LEVERS = ("policy_input", "prison_monitoring", "community_mobilization", "staff_training", "assessment",
          "custodial_interventions", "community_interventions", "reintegration_support", "supervision_partnership",
          "stigma_reduction")
BASE = {
    "population.community": 6000, "population.released": 1200, "population.violent_extremist_share": 0.5,
    "weeks": 120, "network.kind": "neighbourhoods", "media.publicised_reoffence_shock": True,
    "supervision.testing": 0.5, "supervision.caseload": 60, **{f"cooperation.{lever}": 0.5 for lever in LEVERS},
}
GENERATED = ("watts_strogatz", "barabasi_albert", "neighbourhoods")


def settings_for(path: tuple[str, ...]) -> dict | str:
    """The base with the parameter's ``when`` conditions met, or why it cannot be run here."""
    from sim.scenarios import load_scenario
    from sim.scenarios.fields import conditions, read_in

    setting = dict(BASE)
    for key, allowed in conditions(path).items():
        if isinstance(allowed, dict):
            continue  # the base meets every bound; read_in below says if it does not
        if all(isinstance(value, bool) for value in allowed):
            setting[key] = allowed[0]
        elif kinds := [kind for kind in GENERATED if kind in allowed]:
            setting[key] = kinds[0]
        else:
            return f"read only when {key} is {' or '.join(allowed)}: needs a file"
    if not read_in(path, load_scenario(SCENARIO, setting)):
        return "its conditions are not met by the base"
    return setting


def digest(task: tuple[dict, int]) -> str:
    """A hash of one run's curves, weekly series and events at full precision."""
    from sim.runner import simulate
    from sim.scenarios import load_scenario

    setting, seed = task
    run = simulate(load_scenario(SCENARIO, setting), seed)
    return hashlib.sha256(b"".join(frame.to_csv().encode() for frame in (run.curves, run.timeseries, run.events))
                          ).hexdigest()[:16]


def ends(info, default) -> tuple | None:
    """The two values a parameter is run at: the ends of its plausible range; without one, its default and the
    first of twice, half, one more or one less that its bounds allow (a switch: both settings)."""
    from sim.scenarios.fields import bounds, has_plausible_range, plausible_range

    if info.annotation is bool:
        return False, True
    if info.annotation not in (int, float):
        return None
    if has_plausible_range(info):
        low, high = plausible_range(info)
        return (info.annotation(low), info.annotation(high)) if low != high else None
    limit = bounds(info)

    def allowed(value) -> bool:
        return (value >= limit.get("ge", value) and value > limit.get("gt", value - 1)
                and value <= limit.get("le", value) and value < limit.get("lt", value + 1))

    others = [info.annotation(value) for value in (default * 2, default / 2, default + 1, default - 1)]
    other = next((value for value in others if value != default and allowed(value)), None)
    return None if other is None else (default, other)


def main() -> int:
    from sim.scenarios.fields import parameters

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="+", metavar="KEY", help="these dotted keys only")
    args = parser.parse_args()

    tasks, unrun = {}, {}
    for path, info, default in parameters():
        key = ".".join(path)
        if (args.only and key not in args.only) or path[0] in ("costs", "seed", "weeks"):
            continue
        values, setting = ends(info, default), settings_for(path)
        if values is None:
            unrun[key] = "not a number or a switch, or no range"
        elif isinstance(setting, str):
            unrun[key] = setting
        else:
            tasks[key] = [({**setting, key: value}, seed) for seed in SEEDS for value in values]
    runs = sum(len(pair) for pair in tasks.values())
    print(f"{len(tasks)} parameters, each at both ends of its plausible range with {len(SEEDS)} seeds: {runs} runs of {SCENARIO} "
          f"(6,000 + 1,200, 120 weeks) on {args.workers} workers", flush=True)
    flat = [task for pair in tasks.values() for task in pair]
    with ProcessPoolExecutor(args.workers) as pool:
        hashes = list(pool.map(digest, flat, chunksize=4))
    pairs = iter(zip(hashes[::2], hashes[1::2], strict=True))
    idle = [key for key in tasks if all(low == high for low, high in (next(pairs) for _ in SEEDS))]
    for key in idle:
        print(f"  changes nothing: {key}")
    for key, why in unrun.items():
        print(f"  not run: {key} ({why})")
    print(f"{len(tasks) - len(idle)} of {len(tasks)} change the outputs; {len(idle)} change nothing; "
          f"{len(unrun)} not run")
    return 1 if idle else 0


if __name__ == "__main__":
    sys.exit(main())
