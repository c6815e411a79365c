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


def median_seconds(step, repeats: int) -> float:
    """Median time of one call: robust to other jobs on the machine, for both sides of the ratio."""
    times = []
    for _ in range(repeats):
        start = CLOCK()
        step()
        times.append(CLOCK() - start)
    return statistics.median(times)


def virus_model(nodes: int):
    import mesa.examples.basic.virus_on_network.model as virus
    from mesa.discrete_space import Network

    virus.Network = partial(Network, layout=None)
    return virus.VirusOnNetwork(num_nodes=nodes, avg_node_degree=3, initial_outbreak_size=10, rng=1)


def whole_runs(repeats: int) -> tuple[list[float], list[float], int]:
    """Seconds of whole general_offenders runs and of whole virus_on_network runs of the same size, interleaved
    (one of theirs after every other of ours) so that both sides meet the same machine."""
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
    ours_seconds, theirs_seconds = [], []
    for index in range(repeats):
        ours_seconds.append(median_seconds(ours, 1))
        if index % 2 == 0:  # half as many of theirs (each takes ~15 of ours), spread over the same time
            theirs_seconds.append(median_seconds(theirs, 1))
    return ours_seconds, theirs_seconds, ours.nodes


def per_week_10k(weeks: int) -> tuple[float, float, int]:
    """Agent-steps per second of ours (past the release window) and of virus_on_network, at 10,000."""
    from sim import ReintegrationModel

    model = ReintegrationModel("baseline", rng=1, population__community=10_000, weeks=weeks + 31)
    for _ in range(30):  # past the release window, so the whole cohort is out
        model.step()
    agents = model.layout.total
    ours = agents / median_seconds(model.step, weeks)
    virus = virus_model(10_000)
    theirs = 10_000 / median_seconds(virus.step, max(5, weeks // 5))
    return ours, theirs, agents


def large_model(community: int, released: int, weeks: int, cpu_clock: bool, queue) -> None:
    """Runs in a fresh process so its peak memory is its own."""
    import numpy as np

    global CLOCK
    CLOCK = time.process_time if cpu_clock else time.perf_counter

    from sim import ReintegrationModel

    start, cpu = time.perf_counter(), time.process_time()
    model = ReintegrationModel("baseline", rng=1, population__community=community, population__released=released,
                               weeks=weeks + 40)
    build, build_cpu = time.perf_counter() - start, time.process_time() - cpu
    per_week = bare = float("nan")
    if weeks:
        for _ in range(30):
            model.step()
        per_week = median_seconds(model.step, weeks)
        influence, x = model.community.influence, np.random.default_rng(1).random(community)

        def bare_step():
            x[:] += 0.2 * (influence @ x - x)

        bare = median_seconds(bare_step, weeks)
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
