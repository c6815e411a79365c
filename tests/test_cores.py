"""What the engine counts on: the cores this process may use (not the node's), and a cluster's workers (said when none is left)."""

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


class _Cluster:
    """A scheduler's client as watch_workers asks it: its workers' threads, none after the first answers."""

    def __init__(self, answers):
        self.answers = list(answers)

    def nthreads(self):
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def _watched(answers, after):
    import threading

    stop = threading.Event()
    client = _Cluster(answers)
    watcher = threading.Thread(target=engines.watch_workers, args=(client, "tcp://10.0.0.1:8786", stop),
                               kwargs={"after": after, "every": 0.01}, daemon=True)
    watcher.start()
    watcher.join(0.5)
    stop.set()
    watcher.join(1)


def test_a_cluster_whose_workers_all_left_is_said_once(capsys):
    """A sweep on a scheduler whose workers had all died or left waited for ever without a word."""
    _watched([{"w1": 1}, {}], after=0.05)
    said = capsys.readouterr().err
    assert said.count("note: the Dask scheduler at tcp://10.0.0.1:8786 has had no worker for 0 s") == 1
    assert "`dask worker tcp://10.0.0.1:8786`" in said and "Ctrl-C stops, keeping the finished runs" in said


def test_a_cluster_with_workers_is_not_said_to_have_none(capsys):
    _watched([{"w1": 1}], after=0.05)
    assert capsys.readouterr().err == ""
