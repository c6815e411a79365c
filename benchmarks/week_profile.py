"""Where a week's time goes: microseconds per week of each scheduled rule, of the week's events and of
recording outcomes, plus the build, for whole runs at two sizes.

Times each rule of ``sim.schedule.SCHEDULE`` around its call, inside ``ReintegrationModel.step``,
for `general_offenders` at 3,000 community members + 1,000 released and `baseline` at 100,000 + 5,000,
156 weeks each, and prints them largest first with their share of the run. Use it to see which
submodel to work on before touching any; the targets live in step_throughput.py.
With ``--scaling`` it prints instead what a week costs as the population grows from a handful
(`general_offenders` at 60 community + 20 released up to 6,000 + 2,000): the part that stays at
the smallest size is the fixed cost of the week's numpy calls, which a smaller cohort cannot remove.
Usage: python benchmarks/week_profile.py [--runs 3] [--cpu] [--size small|large|both] [--scaling]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

SIZES = {
    "small": ("general_offenders", {"population__community": 3000, "population__released": 1000}),
    "large": ("baseline", {"population__community": 100_000, "population__released": 5_000}),
}
WEEKS = 156
SCALING = ((60, 20), (600, 200), (3000, 1000), (6000, 2000))  # community, released


def warm_up(scenario: str, size: dict[str, int]) -> None:
    """One whole run before any timing: imports, caches and every rule's compiled kernels loaded (numba starts up and
    reads a kernel's cache at its first call, which would otherwise be charged to the first rule that calls one)."""
    from sim import ReintegrationModel

    model = ReintegrationModel(scenario, rng=1, **{"weeks": WEEKS, **size})
    while model.running:
        model.step()


def profile(scenario: str, size: dict[str, int], runs: int, clock) -> tuple[Counter, float]:
    """Seconds per run of the build, the events, each rule and the recording, averaged over ``runs`` runs.

    The model runs its own ``step``; its rules, ``fire_events`` and ``record`` are wrapped in timers.
    """
    from sim import ReintegrationModel
    from sim.schedule import rule_name

    spent: Counter = Counter()

    def timed(name: str, function):
        def timer(*args):
            start = clock()
            function(*args)
            spent[name] += clock() - start
        return timer

    warm_up(scenario, size)
    start_all = clock()
    for run in range(runs):
        start = clock()
        model = ReintegrationModel(scenario, rng=run + 1, weeks=WEEKS, **size)
        spent["build"] += clock() - start
        model.rules = [(timed(rule_name(rule), rule), stream) for rule, stream in model.rules]
        model.fire_events = timed("events (media shocks, policy changes)", model.fire_events)
        model.record = timed("record (outcomes, DataCollector)", model.record)
        while model.running:
            model.step()
    total = clock() - start_all
    return Counter({name: seconds / runs for name, seconds in spent.items()}), total / runs


def week_cost(community: int, released: int, runs: int, clock) -> float:
    """Seconds per week of `general_offenders` at this size, after the build: the fastest of ``runs`` whole runs."""
    from sim import ReintegrationModel

    size = {"population__community": community, "population__released": released, "weeks": WEEKS}
    warm_up("general_offenders", size)
    fastest = float("inf")
    for run in range(runs):
        model = ReintegrationModel("general_offenders", rng=run + 1, **size)
        start = clock()
        while model.running:
            model.step()
        fastest = min(fastest, (clock() - start) / WEEKS)
    return fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3,
                        help="whole runs timed at each size (times are their mean; with --scaling, the fastest)")
    parser.add_argument("--cpu", action="store_true", help="time with process CPU time instead of wall-clock time")
    parser.add_argument("--size", choices=("small", "large", "both"), default="both")
    parser.add_argument("--scaling", action="store_true", help="print the cost of a week at growing sizes instead")
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    if args.scaling:
        print(f"general_offenders, {WEEKS} weeks, fastest of {args.runs} runs, after the build:")
        for community, released in SCALING:
            print(f"  {community:>6,} community + {released:>5,} released: "
                  f"{week_cost(community, released, args.runs, clock) * 1e6:7,.0f} us a week")
        return
    for label in ("small", "large") if args.size == "both" else (args.size,):
        scenario, size = SIZES[label]
        spent, total = profile(scenario, size, args.runs, clock)
        people = ", ".join(f"{value:,} {key.split('__')[1]}" for key, value in size.items())
        print(f"{scenario}, {people}, {WEEKS} weeks: {total * 1000:.0f} ms a run"
              f" ({(total - spent['build']) / WEEKS * 1e6:,.0f} us a week after a {spent['build'] * 1000:.0f} ms build)")
        for name, seconds in spent.most_common():
            per_week = "" if name == "build" else f"{seconds / WEEKS * 1e6:8,.1f} us/week"
            print(f"  {seconds / total:6.1%} {per_week:>17}  {name}")
        print()


if __name__ == "__main__":
    main()
