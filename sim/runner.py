"""Running scenarios: one seeded run, replicates side by side, and the result object they return."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import headroom
from sim.costs import with_costs
from sim.errors import InputError, require_at_least
from sim.headroom import Projection, check_room, parquet_bytes
from sim.job_size import counted, duration
from sim.model import ReintegrationModel
from sim.network_file import check_unchanged, file_digests
from sim.outcomes import run_curves, summarise
from sim.pace import Pace
from sim.scenarios import load_scenario
from sim.scenarios.loader import SOURCES
from sim.scenarios.schema import Scenario
from sim.streams import check_seed, replicate_seed


@dataclass
class SingleRun:
    """What one model run produces: its curves, weekly timeseries and per-person event times."""

    curves: pd.DataFrame
    timeseries: pd.DataFrame
    events: pd.DataFrame


def simulate(settings: Scenario | str | dict, seed: int) -> SingleRun:
    """Run one scenario (a ``Scenario``, a shipped name, a path or a dict) to its horizon with one seed."""
    if not isinstance(settings, Scenario):
        settings = load_scenario(settings)
    model = ReintegrationModel(settings, rng=seed)
    while model.running:
        model.step()
    timeseries = with_costs(model.datacollector.get_model_vars_dataframe().reset_index(drop=True), settings)
    events = model.event_times()
    return SingleRun(run_curves(events, settings.weeks), timeseries, events)


@dataclass
class RunResult:
    """Curves, timeseries and summary of one or more scenarios run side by side with replicates."""

    scenarios: list[Scenario]
    curves: pd.DataFrame
    timeseries: pd.DataFrame
    events: pd.DataFrame
    seeds: dict[str, list[int]]
    started: str
    finished: str
    command: list[str] = field(default_factory=list)

    @property
    def summary(self) -> pd.DataFrame:
        return summarise(self.curves, self.timeseries)

    def manifest(self) -> dict[str, Any]:
        from sim.provenance import versions

        return {
            **versions(),
            "command": self.command,
            "started": self.started,
            "finished": self.finished,
            "scenarios": [s.model_dump(mode="json") for s in self.scenarios],
            "seeds": self.seeds,
        }

    def save(self, directory: str | Path, *, figures: bool = True, replace: bool = False) -> Path:
        """Write the run's files into `directory`, atomically (see ``sim.output``); ``replace``: in place of an
        earlier run's folder holding nothing else (``sim.output.check_replaceable``)."""
        from sim.output import out_folder, write_run

        return write_run(self, out_folder(directory, "directory"), figures=figures, replace=replace)


def as_list(scenario: Any) -> list[Any]:
    """One scenario or several, as a list; nothing, or something that is not a scenario, is an input error."""
    if isinstance(scenario, str | PathLike | Scenario | Mapping):
        return [scenario]
    if not isinstance(scenario, Iterable):
        raise InputError(f"must be {SOURCES}, or a list of them (got {type(scenario).__name__})", key="scenarios",
                         expected=SOURCES)
    listed = list(scenario)
    if not listed:
        raise InputError("names no scenario", key="scenarios", expected=SOURCES)
    return listed


def require_distinct_names(settings: list[Scenario], sources: list[Any] | None = None) -> None:
    """Refuse scenarios that share a name: results are labelled by name, so two alike would merge. The refusal names
    where each comes from (`sources`, as given): a file that `extends:` a shipped scenario without a `name:` of its own
    takes its parent's, which the file's name does not show."""
    names = [s.name for s in settings]
    if len(set(names)) < len(names):
        repeated = [name for name in dict.fromkeys(names) if names.count(name) > 1]
        said = "; ".join(f"{name} ({' and '.join(_source_words(sources[i]) for i, n in enumerate(names) if n == name)})"
                         if sources is not None else name for name in repeated)
        raise InputError(f"scenarios must have distinct names: more than one is named {said}",
                         key="scenarios", expected="scenarios with different names (give a copy its own `name:`)")


def _source_words(source: Any) -> str:
    """A scenario as given: its name or file, or what kind of object it was."""
    return str(source) if isinstance(source, str | PathLike) else f"a {type(source).__name__}"


def run(
    scenario: str | Path | Scenario | Iterable[Any],
    *,
    replicates: int = 1,
    seed: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    weeks: int | None = None,
    progress: bool = False,
    out: Path | None = None,
) -> RunResult:
    """Run one or more scenarios with `replicates` seeded replicates each.

    Replicate r of a scenario uses :func:`replicate_seed` of the root seed: `seed`, or else the scenario's own
    ``seed``. Scenarios with one root (`seed` given, or the same ``seed`` in each, as in the shipped ones) share
    replicate r's seed (common random numbers), so differences between them are not drowned in seed noise;
    ``sim.experiments.compare`` passes the reference's. Any replicate can be rerun alone from its seed. A job whose
    replicates the memory free, or whose files the disk of `out` (where they will be written), cannot hold is refused
    after the first replicate of each scenario (``Room``).
    """
    require_at_least(replicates, 1, "--replicates")
    check_seed(seed)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    sources = as_list(scenario)
    settings = [load_scenario(s, overrides, weeks=weeks) for s in sources]
    require_distinct_names(settings, sources)
    if progress:
        sizes = sorted({f"{s.population.community:,} community + {s.population.released:,} released, {s.weeks} weeks"
                        for s in settings})
        print(f"{counted(len(settings), 'scenario')} x {counted(replicates, 'replicate')}"
              f" = {counted(len(settings) * replicates, 'run')} ({'; '.join(sizes)})", file=sys.stderr, flush=True)
    curves, series, events, seeds = [], [], [], {}
    graphs = file_digests(s.network.file for s in settings)
    pace = Pace(sum(run_size(s) for s in settings) * replicates)
    room = Room(settings, replicates, out)
    for scenario_settings in settings:
        root = scenario_settings.seed if seed is None else seed
        seeds[scenario_settings.name] = [replicate_seed(root, r) for r in range(replicates)]
        for replicate, replicate_seed_value in enumerate(seeds[scenario_settings.name]):
            if progress:
                print(f"  {scenario_settings.name}: replicate {replicate + 1}/{replicates}{to_go(pace)}", file=sys.stderr,
                      flush=True)
            single = simulate(scenario_settings, replicate_seed_value)
            pace.finished(time.monotonic(), run_size(scenario_settings))
            # uint64 in every table: a seed of 2**63 or more would otherwise turn the concatenated column into rounded floats
            label = {"scenario": scenario_settings.name, "replicate": replicate, "seed": np.uint64(replicate_seed_value)}
            curves.append(single.curves.assign(**label))
            series.append(single.timeseries.assign(**label))
            events.append(single.events.assign(**label))
            room.check(scenario_settings, (curves[-1], series[-1], events[-1]))
    check_unchanged(graphs, "the runs made are discarded, and nothing is written")
    front = ["scenario", "replicate", "seed"]
    return RunResult(
        scenarios=settings,
        curves=_front(pd.concat(curves, ignore_index=True), front),
        timeseries=_front(pd.concat(series, ignore_index=True), front),
        events=_front(pd.concat(events, ignore_index=True), front),
        seeds=seeds,
        started=started,
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        command=list(sys.argv),
    )


class Room:
    """What a job's replicates will take, refused once the first run of each scenario tells (``sim.headroom``):
    `sim run` and `sim compare` keep every replicate's tables in memory until they are written together at the end,
    into --out. `-r 5000` of 200,000 released (about 147 MB a run) was started with no word of memory and ended hours
    later in a MemoryError, exit 1; a job whose files the disk could not hold learnt it only then, after all its runs."""

    GROWTH = 6
    """How much a process grows a run kept, per byte of that run's tables (pandas' deep size): measured 59 MB a run
    against 9.3 MB of tables at 50,000 released (`/usr/bin/time -f %M sim run ... -r 2` and `-r 6`), and about 4.4 at
    200,000; the tables are also joined at the end, holding the pieces and the whole at once."""

    def __init__(self, settings: list[Scenario], replicates: int, out: Path | None = None) -> None:
        scenarios = [(s.name, s.population.released) for s in settings]
        self.memory, self.disk = Projection(scenarios, replicates), Projection(scenarios, replicates)
        self.out, self.written = out, {}

    def check(self, settings: Scenario, tables: tuple[pd.DataFrame, ...]) -> None:
        one = self.GROWTH * int(sum(table.memory_usage(deep=True).sum() for table in tables))
        if (need := self.memory.add(settings.name, one)) is not None:
            check_room(need, headroom.available_memory(), doing="hold", where=" in memory", each=one,
                       kept=", all kept until the end", place="this machine has free", key="--replicates",
                       expected="fewer replicates or people, or sim sweep, which writes each run to disk as it finishes")
        if self.out is None:
            return
        if settings.name not in self.written:  # its files measured once a scenario, the other replicates taken alike
            self.written[settings.name] = parquet_bytes(*tables)
        if (need := self.disk.add(settings.name, self.written[settings.name])) is not None:
            check_room(need, headroom.free_disk(self.out), doing="write", where=f" to {self.out}",
                       each=self.written[settings.name], kept=" as Parquet", place="free on its file system",
                       key="--out", file=str(self.out),
                       expected="fewer replicates or people, or an --out on a disk with more free space")


def run_size(settings: Scenario) -> int:
    """What a run's time grows with: its weeks x its people (community and released cohort)."""
    return settings.weeks * (settings.population.community + settings.population.released)


def to_go(pace: Pace) -> str:
    """E.g. " (about 12 s to go)", said as a run starts; "" until a run after the first has finished (``Pace``)."""
    seconds = pace.seconds_left()
    return "" if seconds is None else f" (about {duration(seconds, fine=True)} to go)"


def _front(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns + [c for c in frame.columns if c not in columns]]
