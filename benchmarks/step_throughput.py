"""Speed and memory of the model against Mesa's virus_on_network example and a bare sparse step.

Prints, in one run:
1. a whole run (build + 156 weeks) of `general_offenders` at 3,000 community members and 1,000
   released, against Mesa's virus_on_network at the same node count and steps, build included;
2. agent-steps per second at 10,000 community members (baseline), against virus_on_network at
   10,000 nodes;
3. seconds per week at 100,000 community members and 5,000 released, next to a bare sparse
   neighbour-averaging step (x <- x + a (W x - x)) over the same community network;
4. build time and peak memory at 1,000,000 community members and 50,000 released (fresh process).
virus_on_network is built with layout=None (its spring layout would dominate at these sizes).
Both sides of each ratio are timed in turn (whole runs alternately; steps in alternating blocks of
back-to-back steps), so that a shared machine's drifting speed falls on both; ratios are of medians.
Targets (issue 10): (1) >= 20x; (2) >= 20x; (3) <= 3x the bare step; (4) build <= 8 s, peak <= 2 GB.
Usage: python benchmarks/step_throughput.py [--weeks N] [--repeats N] [--cpu] [--skip-million]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import time
from functools import partial

CLOCK = time.perf_counter  # --cpu switches to this process's CPU time (steadier on a shared machine)


def seconds(step) -> float:
    start = CLOCK()
    step()
    return CLOCK() - start


def interleaved(ours, theirs, rounds: int, every: int) -> tuple[list[float], list[float]]:
    """Times of whole runs: ``ours`` every round and ``theirs`` every ``every``-th round, taken in turn so that
    both sides of a ratio meet the same machine (on a shared machine its speed drifts by tens of percent)."""
    ours_seconds, theirs_seconds = [], []
    for index in range(rounds):
        ours_seconds.append(seconds(ours))
        if index % every == 0:
            theirs_seconds.append(seconds(theirs))
    return ours_seconds, theirs_seconds


def in_blocks(ours, theirs, rounds: int, ours_block: int, theirs_block: int, *, warm_theirs: bool = True
              ) -> tuple[list[float], list[float]]:
    """Times of single steps, in alternating blocks of back-to-back steps of each side, so each runs as it
    would in its own loop, with its data in cache. The first step of each block is not counted, as it meets
    the caches the other side left; with ``warm_theirs`` False theirs are all counted (virus_on_network's
    steps grow dearer as its epidemic spreads, so its first steps are timed, as in earlier measurements)."""
    ours_seconds, theirs_seconds = [], []
    for _ in range(rounds):
        ours()
        ours_seconds.extend(seconds(ours) for _ in range(ours_block))
        if warm_theirs:
            theirs()
        theirs_seconds.extend(seconds(theirs) for _ in range(theirs_block))
    return ours_seconds, theirs_seconds


BLOCK = 10  # steps of ours timed back to back before switching sides


def virus_model(nodes: int):
    import mesa.examples.basic.virus_on_network.model as virus
    from mesa.discrete_space import Network

    virus.Network = partial(Network, layout=None)
    return virus.VirusOnNetwork(num_nodes=nodes, avg_node_degree=3, initial_outbreak_size=10, rng=1)


def whole_runs(repeats: int) -> tuple[list[float], list[float], int]:
    """Seconds of whole general_offenders runs and of whole virus_on_network runs of the same size, interleaved
    (one of theirs after every other of ours)."""
    from sim import ReintegrationModel

    def ours():
        model = ReintegrationModel("general_offenders", rng=1, population__community=3000, population__released=1000, weeks=156)
        while model.running:
            model.step()
        ours.nodes = model.layout.total

    def theirs():
        model = virus_model(ours.nodes)
        for _ in range(156):
            model.step()

    ours()  # imports and caches warmed, as in any run after the first
    return (*interleaved(ours, theirs, repeats, every=2), ours.nodes)


def per_week_10k(weeks: int) -> tuple[float, float, int]:
    """Agent-steps per second of ours (past the release window) and of virus_on_network, at 10,000."""
    from sim import ReintegrationModel

    rounds = max(1, weeks // BLOCK)
    model = ReintegrationModel("baseline", rng=1, population__community=10_000, weeks=30 + rounds * (BLOCK + 1))
    for _ in range(30):  # past the release window, so the whole cohort is out
        model.step()
    agents = model.layout.total
    virus = virus_model(10_000)
    # a virus step takes ~20 of ours; its first 2 x rounds steps are timed
    ours, theirs = in_blocks(model.step, virus.step, rounds, BLOCK, 2, warm_theirs=False)
    return agents / statistics.median(ours), 10_000 / statistics.median(theirs), agents


def large_model(community: int, released: int, weeks: int, cpu_clock: bool, queue) -> None:
    """Runs in a fresh process so its peak memory is its own."""
    import numpy as np

    global CLOCK
    CLOCK = time.process_time if cpu_clock else time.perf_counter

    from sim import ReintegrationModel

    start, cpu = time.perf_counter(), time.process_time()
    rounds = max(1, weeks // BLOCK)
    model = ReintegrationModel("baseline", rng=1, population__community=community, population__released=released,
                               weeks=30 + rounds * (BLOCK + 1))
    build, build_cpu = time.perf_counter() - start, time.process_time() - cpu
    per_week = bare = float("nan")
    if weeks:
        for _ in range(30):
            model.step()
        influence, x = model.community.influence, np.random.default_rng(1).random(community)

        def bare_step():
            x[:] += 0.2 * (influence @ x - x)

        per_week, bare = (statistics.median(times) for times in in_blocks(model.step, bare_step, rounds, BLOCK, BLOCK))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB
    queue.put((build, build_cpu, per_week, bare, peak, model.community.influence.nnz))


def in_fresh_process(community: int, released: int, weeks: int):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=large_model, args=(community, released, weeks, CLOCK is time.process_time, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=50, help="weeks (steps) timed in the per-week measurements")
    parser.add_argument("--repeats", type=int, default=6, help="whole runs of ours timed (half as many of theirs)")
    parser.add_argument("--skip-million", action="store_true", help="skip the 1,000,000-member build")
    parser.add_argument("--cpu", action="store_true", help="time with process CPU time instead of wall-clock time")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter
    print(f"clock: {'process CPU time' if args.cpu else 'wall time'}; load average {os.getloadavg()[0]:.1f}")

    ours, theirs, nodes = whole_runs(args.repeats)
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    print(f"1. whole run, general_offenders 3,000 + 1,000 released, build + 156 weeks ({nodes:,} network nodes):"
          f" median {ours_median:.3f} s, fastest {min(ours):.3f} s of {len(ours)}")
    print(f"   Mesa virus_on_network, {nodes:,} nodes, build + 156 steps:"
          f" median {theirs_median:.2f} s, fastest {min(theirs):.2f} s of {len(theirs)}")
    print(f"   ratio: {theirs_median / ours_median:.1f}x of the medians, {min(theirs) / min(ours):.1f}x of the fastest"
          "   (target >= 20x)")

    ours, theirs, agents = per_week_10k(args.weeks)
    print(f"2. per week, 10,000 community members ({agents:,} agents): {ours:,.0f} agent-steps/s;"
          f" virus_on_network 10,000 nodes: {theirs:,.0f} agent-steps/s")
    print(f"   ratio: {ours / theirs:.1f}x   (target >= 20x)")

    build, _, per_week, bare, peak, edges = in_fresh_process(100_000, 5_000, args.weeks)
    print(f"3. 100,000 community + 5,000 released ({edges:,} directed ties): built in {build:.1f} s, peak {peak:.2f} GiB")
    print(f"   seconds per week (median): model {per_week * 1000:.1f} ms, bare sparse averaging step {bare * 1000:.2f} ms")
    print(f"   ratio: {per_week / bare:.1f}x   (target <= 3x)")

    if not args.skip_million:
        build, build_cpu, _, _, peak, edges = in_fresh_process(1_000_000, 50_000, 0)
        print(f"4. 1,000,000 community + 50,000 released ({edges:,} directed ties): built in {build:.1f} s wall,"
              f" {build_cpu:.1f} s CPU (target <= 8 s), peak memory {peak:.2f} GiB (target <= 2 GB)")


if __name__ == "__main__":
    main()
