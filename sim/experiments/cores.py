"""The cores this process may use: its CPU affinity (a Slurm job's or ``taskset``'s cpuset) and a cgroup v2 CPU quota
(a container's ``--cpus``, a Kubernetes limit), not the machine's count.

``os.cpu_count()`` counts every core of the node: on a 64-core node of a job given 4, local sweeps started 64 workers
on 4 cores, and their estimate counted on 64.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
"""cgroup v2's CPU limit of this process's group: '<quota> <period>' in microseconds, or 'max <period>' for none."""


def usable_cores(cpu_max: Path = CPU_MAX) -> int:
    """The cores this process may run on at once: its affinity, capped by the cgroup quota rounded up; at least 1."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text(encoding="ascii").split()[:2]
        if quota != "max":
            cores = min(cores, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass  # no cgroup v2 (another OS, cgroup v1) or an unreadable limit: the affinity alone
    return max(1, cores)
