"""Step throughput of the model against Mesa's virus_on_network example and a bare sparse step.

Prints, in one run:
1. agent-steps per second of ReintegrationModel at 10,000 community members (baseline otherwise);
2. the same for Mesa's own virus_on_network example at 10,000 nodes (built with layout=None);
3. seconds per week at 100,000 community members and 5,000 released people, next to a bare sparse
   neighbour-averaging step (x <- x + a (W x - x)) over the same community network;
4. peak resident memory of the 100k model (built and run in a fresh process).
Targets (issue 2): (1) >= 10x (2); (3) <= 5x the bare step; (4) < 1.5 GB.
Usage: python benchmarks/step_throughput.py [--weeks N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from functools import partial


def time_steps(model, steps: int) -> float:
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    return time.perf_counter() - start


def median_seconds(step, repeats: int) -> float:
    """Median wall time of one call: robust to other jobs on the machine, for both sides of the ratio."""
    import statistics

    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def our_model_rate(community: int, steps: int) -> tuple[float, int]:
    from sim import ReintegrationModel

    model = ReintegrationModel("baseline", rng=1, population__community=community, weeks=steps + 1)
    for _ in range(30):  # past the release window, so the whole cohort is out
        model.step()
    agents = len(model.agents)
    seconds = time_steps(model, steps)
    return agents * steps / seconds, agents


def virus_rate(nodes: int, steps: int) -> float:
    import mesa.examples.basic.virus_on_network.model as virus
    from mesa.discrete_space import Network

    virus.Network = partial(Network, layout=None)  # the example's spring layout would dominate at 10k nodes
    model = virus.VirusOnNetwork(num_nodes=nodes, avg_node_degree=3, initial_outbreak_size=10, rng=1)
    seconds = time_steps(model, steps)
    return nodes * steps / seconds


def large_model(community: int, released: int, weeks: int, queue) -> None:
    """Runs in a fresh process so its peak memory is its own."""
    import numpy as np

    from sim import ReintegrationModel

    start = time.perf_counter()
    model = ReintegrationModel("baseline", rng=1, population__community=community, population__released=released,
                               weeks=weeks + 40)
    build = time.perf_counter() - start
    for _ in range(30):
        model.step()
    per_week = median_seconds(model.step, weeks)
    influence, x = model.community.influence, np.random.default_rng(1).random(community)

    def bare_step():
        x[:] += 0.2 * (influence @ x - x)

    bare = median_seconds(bare_step, weeks)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB
    queue.put((build, per_week, bare, peak, influence.nnz))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=50, help="weeks (steps) timed in each measurement")
    args = parser.parse_args()

    ours, agents = our_model_rate(10_000, args.weeks)
    theirs = virus_rate(10_000, max(5, args.weeks // 5))
    print(f"ReintegrationModel, 10,000 community members ({agents:,} agents): {ours:,.0f} agent-steps/s")
    print(f"Mesa virus_on_network, 10,000 nodes (layout=None):          {theirs:,.0f} agent-steps/s")
    print(f"  ratio: {ours / theirs:.1f}x   (target >= 10x)")

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=large_model, args=(100_000, 5_000, args.weeks, queue))
    child.start()
    build, per_week, bare, peak, edges = queue.get()
    child.join()
    print(f"100,000 community members + 5,000 released ({edges:,} directed ties): built in {build:.1f} s")
    print(f"  seconds per week (median): model {per_week * 1000:.1f} ms, bare sparse averaging step {bare * 1000:.2f} ms")
    print(f"  ratio: {per_week / bare:.1f}x   (target <= 5x)")
    print(f"  peak memory: {peak:.2f} GiB   (target < 1.5 GB)")


if __name__ == "__main__":
    main()
