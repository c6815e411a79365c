"""Local workers and the time estimate count the cores this process may use, not the node's."""

import os

import pytest

from sim.experiments import engines, estimate
from sim.experiments.cores import usable_cores

AFFINITY = len(os.sched_getaffinity(0))


@pytest.mark.parametrize(("cpu_max", "cores"), [
    ("max 100000\n", AFFINITY),  # no quota
    ("100000 100000\n", 1),  # a container given one CPU
    ("150000 100000\n", min(AFFINITY, 2)),  # 1.5 CPUs: two runs can share them
    ("not a limit\n", AFFINITY),  # unreadable: the affinity alone
])
def test_a_cgroup_quota_caps_the_cores(tmp_path, cpu_max, cores):
    path = tmp_path / "cpu.max"
    path.write_text(cpu_max, encoding="ascii")
    assert usable_cores(path) == cores


def test_without_cgroup_v2_the_affinity_counts(tmp_path):
    assert usable_cores(tmp_path / "absent") == AFFINITY


def test_a_quota_of_one_core_runs_a_sweep_in_process_and_counts_one(monkeypatch):
    """On a 64-core node of a job given one CPU, the default was 64 Dask workers, estimated as 64 runs at once."""
    monkeypatch.setattr(engines, "usable_cores", lambda: 1)
    monkeypatch.setattr(estimate, "usable_cores", lambda: 1)
    assert isinstance(engines.open_engine(None, None), engines.InProcess)
    assert estimate.Machine.now().cores == 1
    with pytest.raises(engines.InputError, match="at most 8"):
        engines.check_engine(9, None)
