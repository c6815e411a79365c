"""The sweep engine: every design point x replicate run exactly once, streamed to disk, resumable.

Each run's seed derives from the root seed, its point and its replicate (``Experiment.run_seed``), so its
numbers do not depend on the engine, the number of workers or the order runs finish in. Runs go to Dask workers (a local
cluster of processes, or an existing scheduler) a few at a time, as one Dask task that lasts about
``BATCH_SECONDS``, with a bounded number of tasks in flight, and finished runs are written in batches
(``sim.experiments.store``), so memory stays flat however many runs there are.
With one worker and no scheduler the runs execute in this process, without Dask. A sweep that shows its
progress runs its first run (or its largest and smallest) here too, to time them and say how long the rest will
take (``sim.experiments.estimate``).

This module runs a sweep from start to end; a run as a task is ``sim.experiments.tasks``, where runs execute
``sim.experiments.engines``, and the sweep's folder, its checks and its manifest ``sim.experiments.sweep_folder``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.errors import require_at_least
from sim.experiments.engines import DaskEngine, InProcess, check_engine, open_engine
from sim.experiments.estimate import Estimate, Machine, timed_first, timing_runs
from sim.experiments.experiment import Experiment, load_experiment
from sim.experiments.progress import Progress
from sim.experiments.store import (
    RUNS,
    RunStore,
    damaged_parts,
    finished_of,
    lost_counts,
    runs_schema,
    set_aside_note,
    statuses,
)
from sim.experiments.sweep_folder import (
    Sweep,
    again,
    check_folder,
    code_of,
    kept_identity,
    other_identity,
    write_manifest,
)
from sim.experiments.sweep_room import with_room
from sim.experiments.tasks import Task
from sim.experiments.when_stopped import saying_state
from sim.file_digests import hashed_once
from sim.folder_lock import folder_lock
from sim.job_size import counted
from sim.output import out_folder
from sim.provenance import code_change, code_id, process_versions


def sweep(
    experiment: str | Path | dict | Experiment,
    *,
    out: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = True,
    progress: bool | None = None,
    batch_size: int = 20,
    require_existing: bool = False,
    in_process: bool | None = None,
    max_runs: int | None = None,
    more_replicates: bool = False,
    within: Path | None = None,
    timed: Callable[[float, InProcess | DaskEngine, Machine | None], None] | None = None,
) -> Sweep:
    """Run every point x replicate of `experiment` not yet recorded in `out`; return the sweep folder.

    Rerunning into the same folder continues where the last sweep stopped (``resume=False`` refuses a
    folder that already holds runs). With `more_replicates`, a folder of this experiment on fewer replicates is grown
    to `experiment`'s: its runs are kept and only the new replicates run (``sim robustness``'s nominal comparison,
    rerun with more --nominal-replicates). ``workers`` local processes (default: every core this process may use; 1 runs here,
    in-process, unless ``in_process=False``) or ``scheduler``: the address of a running Dask scheduler.
    ``batch_size`` runs go into each Parquet part. The folder is locked for the sweep's whole life
    (``sim.folder_lock``), and a design above `max_runs` runs (``sim.job_size``) is refused before any run. A folder
    inside another command's results is refused (its reader would take the sweep for part of them), but inside
    `within`, the results folder of the command sweeping into it (``sim robustness``'s sweeps/). `timed`, if given, is
    called with the seconds of the first run, timed alone (``timed_sweep``) even in a silent sweep, its engine and
    machine: a command made of sweeps says the estimate of all its runs (``sim optimise``).
    """
    check_engine(workers, scheduler)
    require_at_least(batch_size, 1, "--batch")
    exp = load_experiment(experiment, max_runs=max_runs)
    out = out_folder(out)
    checks = {"resume": resume, "require_existing": require_existing, "more_replicates": more_replicates,
              "within": within}
    check_folder(out, exp, **checks)  # refuse early, before creating `out`
    # a Ctrl-C says what the folder then holds; each part is hashed once, however many steps check it against its record
    with hashed_once(), folder_lock(out, command="sim sweep"), saying_state(out, exp):
        previous = check_folder(out, exp, **checks)  # as found under the lock
        if previous and (said := other_identity(out, previous, exp)):
            print(said, file=sys.stderr, flush=True)
        exp = kept_identity(exp, previous)
        store = RunStore(out, runs_schema(exp.design, exp.factors, exp.metrics), batch_size=batch_size,
                         unchanged=exp.unchanged_inputs())
        damaged = damaged_parts(out) if previous else {}  # a new folder (under the lock) holds nothing yet
        if damaged:
            print(set_aside_note(out, damaged), file=sys.stderr, flush=True)
        recorded = statuses(out / RUNS, damaged)  # read once: the runs done, and those lost
        done, lost = finished_of(recorded), lost_counts(recorded)  # the lost are counted in todo: they run again
        todo = exp.runs - len(done)
        code = process_versions()
        if done and todo and (before := code_of(previous)) is not None and before != code:
            print(f"note: runs already in {out} were made by other code ({code_change(before, code)}): the same seed "
                  "may give other numbers, so sweep into a new folder to keep one version", file=sys.stderr, flush=True)
        if progress is not False:
            print(f"sweep {exp.name}: {counted(len(exp.design), 'point')} x {counted(exp.replicates, 'replicate')} = {exp.runs:,} runs"
                  f" ({todo:,} to run{again(lost)}, {len(done):,} already done)", file=sys.stderr, flush=True)
        started, clock = datetime.now(UTC).isoformat(timespec="seconds"), time.perf_counter()
        machine = Machine.now() if scheduler is None else None  # before the workers start: they are not other work
        engine = open_engine(workers, scheduler, in_process)
        sessions = (previous or {}).get("sessions", [])
        # recorded before any run, so that the runs of a session stopped part-way stay attributed to their code
        # (its "finished" stays null and "runs" is what it set out to run)
        session = {"started": started, "finished": None, "engine": engine.description, "runs": todo, "skipped": len(done),
                   "lost_rerun": lost[0], "command": list(sys.argv), "code": code, "code_id": code_id(code)}
        try:
            write_manifest(out, exp, engine.description, [*sessions, session])
            store.prepare(damaged, lost[0])  # sets aside the damaged parts and deletes the lost rows: `done` stays
            tasks = [Task(p, r, exp.run_seed(p, r), exp.changes(p))
                     for p in range(len(exp.design)) for r in range(exp.replicates) if (p, r) not in done]
            meter = Progress(len(tasks), f"sweep {exp.name}", progress)
            compute, other_code = 0.0, 0
            try:
                for row, curves in with_room(out, len(tasks), timed_sweep(exp, tasks, engine, meter, machine, timed)):
                    store.add(row, curves)
                    compute += row["seconds"] if row["seconds"] == row["seconds"] else 0.0
                    other_code += row["code"] not in (session["code_id"], None)
                    meter.update(failed=row["status"] != "ok")
            finally:
                store.flush()
                meter.close()
        finally:
            engine.close()
        if other_code:  # workers that joined after the start were never asked their code
            print(f"note: {other_code:,} of the {len(tasks):,} runs of this session were made by other code than "
                  f"this machine's (their code column is not {session['code_id']}): the same seed may give them other "
                  "numbers", file=sys.stderr, flush=True)
        session.update(finished=datetime.now(UTC).isoformat(timespec="seconds"), runs=len(tasks), skipped=len(done),
                       wall_seconds=round(time.perf_counter() - clock, 3), compute_seconds=round(compute, 3),
                       runs_by_other_code=other_code)
        write_manifest(out, exp, engine.description, [*sessions, session])
    return Sweep(out)


def timed_sweep(exp: Experiment, tasks: list[Task], engine: InProcess | DaskEngine, meter: Progress,
                machine: Machine | None, told: Callable[[float, InProcess | DaskEngine, Machine | None], None] | None = None
                ) -> Iterator[tuple[dict, Any]]:
    """The results of `tasks`, its largest and smallest runs first, timed for the estimate of the others
    (``sim.experiments.estimate.timed_first``). A silent sweep times nothing, unless it is to tell `told` the seconds of
    its first run (its largest)."""
    points = [task.point for task in tasks]
    picks = timing_runs(exp, points) if meter.enabled or told is not None else []

    def estimate(timed: dict[int, float]) -> Estimate | None:
        return Estimate.of(exp, points, timed) if len(tasks) > len(picks) and meter.enabled else None

    yield from timed_first(engine, exp.base, tasks, exp.horizons, picks, meter, machine, estimate=estimate,
                           failed="a run timed for it failed or was lost: see its error in the runs/ folder",
                           told=None if told is None else lambda seconds: told(seconds, engine, machine))
