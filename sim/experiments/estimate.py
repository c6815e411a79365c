"""A rough time estimate for a sweep's runs, said before the bulk of them starts (and for a calibration's and an
optimisation's: their first run is timed alike, and the others, of its size, estimated from it: ``Estimate.alike``).

A run's time grows with its weeks and its people (community and released cohort): its size is weeks x people.
The sweep runs its first runs one at a time, here in this process (on a worker of an existing cluster, which may be
much faster or slower than this machine), and times them: the run of the largest size still to do
and, when sizes differ, the smallest. Between the two a run's time is read off the straight line through them.
These timing runs are ordinary runs of the sweep (recorded like the others), so the estimate costs nothing but
running them one after the other before the workers share out the rest (``timed_first``, which runs a calibration's
first run alike).

Local workers go no faster together than the cores other work leaves them (``Machine``): on a machine busy with other
work, an estimate that counted each of 2 workers on a free core was 2.4-5 times too low.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from sim.experiments.cores import usable_cores
from sim.experiments.engines import DaskEngine, InProcess, engine_words
from sim.experiments.experiment import Experiment
from sim.experiments.metrics import horizons_within
from sim.experiments.progress import Progress
from sim.experiments.store import OK
from sim.experiments.tasks import Task
from sim.job_size import duration
from sim.scenarios.schema import Scenario

PEOPLE = ("population.community", "population.released")


def setting(experiment: Experiment, key: str, points: list[int] | None = None) -> np.ndarray:
    """A numeric setting (``population.community``, ``weeks``) at each of `points` (all when None): the design's value
    where it varies, else the base scenario's."""
    design = experiment.design if points is None else experiment.design.iloc[points]
    if key in design:
        return np.asarray(design[key], dtype=float)
    value = experiment.base
    for name in key.split("."):
        value = getattr(value, name)
    return np.full(len(design), float(value))


def sizes(experiment: Experiment, points: list[int]) -> np.ndarray:
    """Weeks x people (community and released cohort) of the runs at `points`: a factor's value, or the base's."""
    people = sum(setting(experiment, key, points) for key in PEOPLE)
    return people * setting(experiment, "weeks", points)


def short_followup(experiment: Experiment) -> str:
    """A note, before the runs, when some runs follow not everyone released to the longest horizon their shares are
    read at (``reoffended_156w``...): released over `release.window_weeks`, a person is followed weeks - their
    release week, so the share's last weeks rest on those released first (``sim compare`` says so of its runs; a
    sweep's runs table said nothing). '' when every run follows everyone to its longest horizon."""
    weeks, window = setting(experiment, "weeks"), setting(experiment, "release.window_weeks")
    longest = np.array([max(horizons_within(int(w)), default=0) for w in weeks])
    short = (weeks - window < longest) & (longest > 0)
    if not short.any():
        return ""
    at = int(np.argmax(short))
    everyone, horizon = int(weeks[at] - window[at]), int(longest[at])
    where = "every point" if short.all() else f"{int(short.sum()):,} of {len(short):,} points"
    return (f"note: in {where} the runs follow everyone released only {everyone} weeks (runs of {int(weeks[at])} weeks, "
            f"releases spread over {int(window[at])}), so the shares at {horizon} weeks since release (e.g. "
            f"reoffended_{horizon}w) rest for their last weeks on the people released first; "
            f"{int(window[at]) + horizon} weeks follow everyone {horizon} weeks")


def timing_runs(experiment: Experiment, points: list[int]) -> list[int]:
    """Which of the runs at `points` (one entry per run) to time: the largest and, if smaller, the smallest."""
    if not points:
        return []
    size = sizes(experiment, points)
    large, small = int(np.argmax(size)), int(np.argmin(size))
    return [large] if size[small] == size[large] else [large, small]


@dataclass(frozen=True)
class Machine:
    """This machine's cores and how busy they were before the sweep: how many local runs can truly go side by side."""

    cores: int  # those this process may use (``usable_cores``)
    load: float  # the 1-minute load average: processes running or waiting to, the sweep's workers not yet among them

    @classmethod
    def now(cls) -> Machine:
        """As measured now: call it before the sweep's workers start, or they count as other work."""
        return cls(usable_cores(), os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0)

    @property
    def free(self) -> float:
        """Cores the load leaves free (below 1, even below 0, on a machine busier than its cores)."""
        return self.cores - self.load

    def words(self) -> str:
        """What an estimate counted on this machine, said when the cores free, not the workers, set its pace."""
        busy = f"load average {self.load:.1f} on {self.cores} core{'s' * (self.cores > 1)}"
        return f"about {self.free:.1f} cores free: {busy}" if self.free >= 1 else f"no core free: {busy}; counted as 1"


def side_by_side(workers: int, runs: int, free: float | None) -> float:
    """How many runs at once the estimate counts on: no more than the `workers`, nor the `runs` left (a worker with no
    run to take saves no time), nor the cores `free` on this machine (None: a cluster's, assumed free); at least 1."""
    return max(1.0, min(workers, runs, workers if free is None else free))


def wall_seconds(compute: float, runs: int, workers: int, free: float | None) -> float:
    """The wall time of `runs` that take `compute` seconds one after another, on `workers` with `free` cores
    (``side_by_side``)."""
    return compute / side_by_side(workers, runs, free)


@dataclass(frozen=True)
class Estimate:
    compute: float  # seconds of computing, summed over the runs still to do
    fastest: float  # the shortest run's seconds
    slowest: float
    runs: int
    timed: int  # how many runs it was timed on

    at_most: bool = False  # the runs are the most a job makes (a calibration may converge sooner, or find some cached)
    mixes: int = 0  # the one-point sweeps the runs go in (an optimisation's mixes), when their own time is counted
    between: float = 0.0  # seconds those sweeps take besides their runs (folders, the sampler): no worker shares them

    @classmethod
    def of(cls, experiment: Experiment, points: list[int], timed: dict[int, float]) -> Estimate:
        """From the seconds of the `timed` runs (indices into `points`, one entry per run) to the other runs."""
        return cls.sized(sizes(experiment, points), timed)

    @classmethod
    def alike(cls, runs: int, seconds: float, *, at_most: bool = False) -> Estimate:
        """`runs` more runs of the size of one timed at `seconds` (a calibration's or an optimisation's: each runs
        the one scenario, its parameters or levers changed, at one size)."""
        return cls.sized(np.ones(runs + 1), {0: seconds}, at_most=at_most)

    @classmethod
    def of_mixes(cls, runs: int, seconds: float, mixes: int, each_mix: float) -> Estimate:
        """`runs` more runs of the size of one timed at `seconds` (``alike``), made in `mixes` more one-point sweeps
        that each take `each_mix` seconds besides their runs: an optimisation's mixes, whose folders, reading back and
        sampler's proposals made its estimate 1.2-1.7 times too low where they were not counted."""
        return replace(cls.alike(runs, seconds), mixes=mixes, between=mixes * max(each_mix, 0.0))

    @classmethod
    def sized(cls, size: np.ndarray, timed: dict[int, float], *, at_most: bool = False) -> Estimate:
        """From the seconds of the `timed` runs (indices into `size`, one entry per run) to the other runs."""
        (first, t_first), *rest = timed.items()
        if rest:
            (second, t_second), = rest
            slope = (t_second - t_first) / (size[second] - size[first])
            seconds = np.maximum(t_first + slope * (size - size[first]), min(t_first, t_second) / 2)
        else:
            seconds = np.full(len(size), t_first)
        seconds = np.delete(seconds, list(timed))
        return cls(compute=float(seconds.sum()), fastest=float(seconds.min()), slowest=float(seconds.max()),
                   runs=len(seconds), timed=len(timed), at_most=at_most)

    def line(self, workers: int, where: str, timed_where: str = "here in this process",
             machine: Machine | None = None) -> str:
        """What the command says before the bulk of the runs: the wall time on `workers` (local ones on `machine`: no
        more at once than its cores free, and then it says so; None: a cluster's, whose cores are assumed free), how
        rough it is, and where it was timed (on a cluster's worker, not on the machine that runs the command)."""
        each = (f"about {duration(self.fastest, fine=True)} each" if self.slowest < 1.5 * self.fastest else
                f"{duration(self.fastest, fine=True)} to {duration(self.slowest, fine=True)} each")
        timed = ("its second mix" if self.mixes else "its largest and smallest run" if self.timed == 2 else
                 "its first run")
        others = (f"at most {self.runs:,} more run{'s' * (self.runs > 1)}" if self.at_most else
                  "the other run" if self.runs == 1 else f"the other {self.runs:,} runs")
        if self.mixes:
            each += (f"; {self.mixes:,} more mix{'es' * (self.mixes > 1)}, about "
                     f"{duration(self.between / self.mixes, fine=True)} each besides their runs")
        free = None if machine is None else machine.free
        wall = wall_seconds(self.compute, self.runs, workers, free) + self.between
        if free is not None and side_by_side(workers, self.runs, free) < side_by_side(workers, self.runs, None):
            where += f" ({machine.words()})"
        return (f"estimate: about {duration(wall, fine=True)} for {others} ({each}) on "
                f"{where}; a rough guide (often off by up to a factor of 2) from timing {timed} {timed_where}")


def timed_first(engine: InProcess | DaskEngine, base: Scenario, tasks: list[Task], horizons: tuple[int, ...],
                picks: list[int], meter: Progress, machine: Machine | None, *,
                estimate: Callable[[dict[int, float]], Estimate | None], failed: str,
                told: Callable[[float], None] | None = None) -> Iterator[tuple[dict, Any]]:
    """The results of `tasks` (a sweep's, a calibration's): first those at `picks`, one at a time and timed (here, or on
    a worker of an existing cluster: ``run_alone``), then, once the estimate is said, the others on `engine`: local
    workers on `machine` (as busy as it was before they started), or a cluster's (None). `estimate` turns the seconds
    of the timed runs (by index into `tasks`) into what to say (None: nothing); a timed run that failed or was lost says
    why there is none, `failed`, instead. `told`, if given, hears the seconds of the first timed run, when all went
    well (``sim optimise`` says the estimate of all its sweeps' runs)."""
    timed: dict[int, float] = {}
    for index in picks:
        row, curves = engine.run_alone(base, tasks[index], horizons)
        if row["status"] == OK:
            timed[index] = row["seconds"]
        yield row, curves
    if picks:
        if len(timed) < len(picks):
            meter.note(f"estimate: none ({failed})")
        else:
            if told is not None:
                told(timed[picks[0]])
            if (guess := estimate(timed)) is not None:
                meter.note(guess.line(getattr(engine, "slots", 1), engine_words(engine), engine.timed_where, machine))
    chosen = set(picks)
    yield from engine.map(base, [task for i, task in enumerate(tasks) if i not in chosen], horizons)
