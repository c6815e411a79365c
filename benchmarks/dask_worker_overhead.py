"""Why local workers use ``QUIET_WORKERS``: the time of one run in this process and in a 1-worker Dask cluster.

A run is seconds of pure Python. A Dask worker's event loop wakes hundreds of times a second (its profiler
samples the running task every 10 ms, its latency tick fires every 20 ms), each time taking the GIL from
the run. For each setting this starts a 1-worker LocalCluster, runs the baseline scenario ``--runs`` times
with one seed inside the worker, and prints the median time per run and how often per second the run's
thread had to wait (voluntary context switches, from /proc), next to the same runs in this process.

    .venv/bin/python benchmarks/dask_worker_overhead.py [--runs 10]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time

from sim.experiments.engines import LOCAL_CLUSTER, preload_model
from sim.runner import simulate
from sim.scenarios import load_scenario

SEED = 7


def timed_runs(count: int) -> tuple[float, float]:
    """Median seconds per run, and voluntary context switches per second of this thread while running."""
    import threading

    settings = load_scenario("baseline")
    simulate(settings, SEED)  # warm-up: imports, caches
    status = f"/proc/self/task/{threading.get_native_id()}/status"

    def switches() -> int:
        with open(status) as lines:
            return next(int(line.split()[1]) for line in lines if line.startswith("voluntary_ctxt_switches"))

    seconds, before, started = [], switches(), time.perf_counter()
    for _ in range(count):
        start = time.perf_counter()
        simulate(settings, SEED)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), (switches() - before) / (time.perf_counter() - started)


def in_worker(settings: dict, count: int) -> tuple[float, float]:
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set(settings):
        preload_model()
        cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
    try:
        with Client(cluster) as client:
            return client.submit(timed_runs, count, pure=False).result()
    finally:
        cluster.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per setting (default 10)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; baseline scenario, seed {SEED}")
    rows = [("this process (what --workers 1 uses)", timed_runs(args.runs)),
            ("Dask worker, Dask's default settings",
             in_worker({"distributed.worker.multiprocessing-method": "forkserver"}, args.runs)),
            ("Dask worker, QUIET_WORKERS", in_worker(LOCAL_CLUSTER, args.runs))]
    for label, (seconds, waits) in rows:
        print(f"{label:<40} {seconds:6.3f} s per run, run thread waited {waits:5.0f} times/s")


if __name__ == "__main__":
    main()
