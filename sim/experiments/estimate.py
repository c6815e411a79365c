"""A rough time estimate for a sweep's runs, said before the bulk of them starts.

A run's time grows with its weeks and its people (community and released cohort): its size is weeks x people.
The sweep runs its first runs one at a time, here in this process (on a worker of an existing cluster, which may be
much faster or slower than this machine), and times them: the run of the largest size still to do
and, when sizes differ, the smallest. Between the two a run's time is read off the straight line through them.
These timing runs are ordinary runs of the sweep (recorded like the others), so the estimate costs nothing but
running them one after the other before the workers share out the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.experiments.experiment import Experiment
from sim.experiments.metrics import horizons_within
from sim.job_size import duration

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
class Estimate:
    compute: float  # seconds of computing, summed over the runs still to do
    fastest: float  # the shortest run's seconds
    slowest: float
    runs: int
    timed: int  # how many runs it was timed on

    @classmethod
    def of(cls, experiment: Experiment, points: list[int], timed: dict[int, float]) -> Estimate:
        """From the seconds of the `timed` runs (indices into `points`, one entry per run) to the other runs."""
        size = sizes(experiment, points)
        (first, t_first), *rest = timed.items()
        if rest:
            (second, t_second), = rest
            slope = (t_second - t_first) / (size[second] - size[first])
            seconds = np.maximum(t_first + slope * (size - size[first]), min(t_first, t_second) / 2)
        else:
            seconds = np.full(len(points), t_first)
        seconds = np.delete(seconds, list(timed))
        return cls(compute=float(seconds.sum()), fastest=float(seconds.min()), slowest=float(seconds.max()),
                   runs=len(seconds), timed=len(timed))

    def line(self, workers: int, where: str, timed_where: str = "here in this process") -> str:
        """What the command says before the bulk of the runs: the wall time on `workers`, how rough it is, and where
        it was timed (on a cluster's worker, not on the machine that runs the command)."""
        each = (f"about {duration(self.fastest, fine=True)} each" if self.slowest < 1.5 * self.fastest else
                f"{duration(self.fastest, fine=True)} to {duration(self.slowest, fine=True)} each")
        timed = "its largest and smallest run" if self.timed == 2 else "its first run"
        others = "the other run" if self.runs == 1 else f"the other {self.runs:,} runs"
        wall = self.compute / max(1, min(workers, self.runs))  # a worker with no run left to take saves no time
        return (f"estimate: about {duration(wall, fine=True)} for {others} ({each}) on "
                f"{where}; a rough guide (often off by up to a factor of 2) from timing {timed} {timed_where}")
