"""Sweep throughput: runs per minute at the default scenario size on 1 and 2 local workers and through a scheduler.

    .venv/bin/python benchmarks/sweep_throughput.py [--runs 16]

Prints runs/min for: one worker (in-process, the workers=1 path), a 1-worker and a 2-worker Dask
LocalCluster, and a separately started ``dask scheduler`` + ``dask worker --nworkers 2``; the speedup of
2 local workers over 1 (target >= 1.7x on 2 cores); and the engine overhead at 1 worker: the share of the
sweep's wall time not spent inside runs (target <= 15%). Every figure is a wall time from the start of
the sweep call, cluster start included; small warm-up sweeps first let local workers fork from a process
that has already imported the model and the scheduler's workers import it, as a second sweep would.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.experiments import sweep
from sim.experiments.engines import worker_environment


def experiment(runs: int, seed: int) -> dict:
    """`runs` replicates of the baseline scenario (the default size), as one design point."""
    return {"name": "throughput", "scenario": "baseline", "seed": seed, "replicates": runs,
            "design": {"kind": "grid", "factors": {"stigma.baseline": [0.5]}}}


def measure(label: str, runs: int, seed: int, **engine) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        result = sweep(experiment(runs, seed), out=Path(folder) / "sweep", progress=False, **engine)
        wall = time.perf_counter() - started
        frame = result.runs
        assert len(frame) == runs and (frame["status"] == "ok").all()
        compute = float(frame["seconds"].sum())
    print(f"{label:<34} {60 * runs / wall:7.1f} runs/min  (wall {wall:6.1f} s, "
          f"mean run {compute / runs:5.2f} s)", flush=True)
    return {"wall": wall, "compute": compute, "rate": runs / wall}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=16, help="runs per measurement (default 16)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {args.runs} runs of the baseline scenario each")
    sweep(experiment(2, 0), out=Path(tempfile.mkdtemp()) / "warm", workers=2, progress=False)  # warm-up

    serial = measure("1 worker (in-process)", args.runs, 1, workers=1)
    local_one = measure("1 worker (Dask LocalCluster)", args.runs, 2, workers=1, in_process=False)
    local_two = measure("2 workers (Dask LocalCluster)", args.runs, 3, workers=2)

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    bin_dir = Path(sys.executable).parent
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [subprocess.Popen([str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                   "--no-dashboard"], **quiet)]
    processes.append(subprocess.Popen([str(bin_dir / "dask"), "worker", address, "--nworkers", "2", "--nthreads", "1",
                                       "--no-dashboard", "--host", "127.0.0.1"],
                                      env={**os.environ, **worker_environment()}, **quiet))
    try:
        sweep(experiment(2, 0), out=Path(tempfile.mkdtemp()) / "warm", scheduler=address, progress=False)  # imports
        measure("scheduler + 2 workers (dask CLI)", args.runs, 4, scheduler=address)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)

    overhead = (serial["wall"] - serial["compute"]) / serial["wall"]
    print(f"speedup 2 vs 1 local workers: {local_two['rate'] / serial['rate']:.2f}x "
          f"(vs a 1-worker LocalCluster: {local_two['rate'] / local_one['rate']:.2f}x; target >= 1.7x)")
    print(f"engine overhead at 1 worker: {100 * overhead:.1f}% of wall time outside the runs (target <= 15%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
