"""The sweep engine: every design point x replicate run exactly once, streamed to disk, resumable.

Each run's seed derives from the root seed, its point and its replicate (``Experiment.run_seed``), so its
numbers do not depend on the engine, the number of workers or the order runs finish in. Runs go to Dask workers (a local
cluster of processes, or an existing scheduler) a few at a time, as one Dask task that lasts about
``BATCH_SECONDS``, with a bounded number of tasks in flight, and finished runs are written in batches
(``sim.experiments.store``), so memory stays flat however many runs there are.
With one worker and no scheduler the runs execute in this process, without Dask. A sweep that shows its
progress runs its first run (or its largest and smallest) here too, to time them and say how long the rest will
take (``sim.experiments.estimate``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.checked_read import read_json
from sim.errors import InputError, interruption, path_argument, require_at_least
from sim.experiments.estimate import Estimate, timing_runs
from sim.experiments.experiment import Experiment, load_experiment
from sim.experiments.metrics import run_metrics
from sim.experiments.progress import Progress
from sim.experiments.store import (
    CURVES,
    FAILED,
    LOST,
    OK,
    RUNS,
    RunStore,
    damaged_parts,
    failed_of,
    finished_of,
    lost_counts,
    lost_of,
    read_dataset,
    runs_schema,
    set_aside_note,
    statuses,
)
from sim.experiments.when_stopped import saying_state
from sim.file_digests import hashed_once
from sim.folder_lock import check_own_folder, folder_lock, is_empty, listed, settings_record, there_and_now
from sim.job_size import counted
from sim.output import check_not_within_results, out_folder, replace_file, write_json
from sim.provenance import code_change, code_id, process_code_id, process_versions
from sim.report_folders import holding
from sim.runner import simulate
from sim.scenarios import apply_overrides
from sim.scenarios.schema import Scenario

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Task:
    point: int
    replicate: int
    seed: int
    changes: dict[str, Any]


def execute_run(base: Scenario, task: Task, horizons: tuple[int, ...]) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """Run one design point x replicate; an exception becomes a ``failed`` row instead of stopping the sweep."""
    started = time.perf_counter()
    row: dict[str, Any] = {"point": task.point, "replicate": task.replicate, "seed": task.seed, **task.changes}
    curves = None
    try:
        settings = apply_overrides(base, task.changes, origin="design") if task.changes else base
        single = simulate(settings, task.seed)
        row.update(status=OK, error=None, **run_metrics(single.curves, single.timeseries, horizons))
        curves = single.curves.assign(point=task.point, replicate=task.replicate)
    except Exception as error:  # recorded, with its seed, so it can be rerun alone
        if (stop := interruption(error)) is not None:  # a Ctrl-C that compiled code turned into an error of the run
            raise stop from None
        row.update(status=FAILED, error=f"{type(error).__name__}: {error}")
    row.update(seconds=time.perf_counter() - started, code=process_code_id(), worker=where_run())
    return row, curves


def call_each(fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """Several calls, in order, as one Dask task (``DaskEngine.map_calls``)."""
    return [fn(item) for item in items]


def sweep_run(base: Scenario, horizons: tuple[int, ...], task: Task) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """``execute_run`` with the task last, for ``map_calls`` to call on each task (``functools.partial``)."""
    return execute_run(base, task, horizons)


def run_seconds(result: tuple[dict[str, Any], Any]) -> float | None:
    """How long a sweep run took, as its row says (NaN for a lost run): what ``map`` batches runs by."""
    return result[0].get("seconds")


def where_run() -> str:
    """Which process made a run: a Dask worker's address (as the manifest's ``engine.worker_code`` lists those that
    run other code), or "this process", the one that ran the command."""
    if "distributed" in sys.modules:  # not imported: no Dask worker here
        from distributed import get_worker

        try:
            return get_worker().address
        except ValueError:  # distributed imported, but this is not one of its workers
            pass
    return "this process"


WARM_UP_WEEKS = 30
"""The weeks of the untimed run ``timed_run`` makes first: enough for every weekly rule to run once."""


def timed_run(base: Scenario, task: Task, horizons: tuple[int, ...]) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """``execute_run``, for the estimate, after a short untimed run of the same run (``WARM_UP_WEEKS`` of its weeks) in
    the same process: the first run of a process also pays for loading the compiled rules (compiling them, on a fresh
    checkout), which took 28.8 s against a run's 0.25 s, and the estimate multiplied that by every run to come (3 to
    100 times too long). Of the same size, not a small one: which kernels a run calls depends on its size (a block of
    ``sim.draws.COMPILED_FROM`` uniforms or more is drawn by compiled code), and a warm-up of 200 members left a sweep
    of 1,000 released to compile in its timed run, estimated at 34 s for 3 s of runs."""
    try:
        settings = apply_overrides(base, task.changes, origin="design") if task.changes else base
        simulate(apply_overrides(settings, {"weeks": min(settings.weeks, WARM_UP_WEEKS)}, origin="warm-up"), 0)
    except Exception as error:  # a scenario these weeks do not fit: the timed run then pays what is left
        if (stop := interruption(error)) is not None:
            raise stop from None
    return execute_run(base, task, horizons)


def lost_row(task: Task, error: BaseException) -> dict[str, Any]:
    """The row of a run the infrastructure never finished: the workers of a task that held this run alone died each
    time it was tried (``KilledWorker``), or could not start it (the runs of a failed task of several runs went back
    one per task first: ``DaskEngine.map_calls``). Nothing is known to be wrong with the run itself, so a resume runs it again
    (``RunStore``)."""
    return {"point": task.point, "replicate": task.replicate, "seed": task.seed, **task.changes,
            "status": LOST, "error": f"{type(error).__name__}: {error}", "seconds": float("nan"), "code": None,
            "worker": None}


class InProcess:
    """Runs one after another in this process: the workers=1 path, free of any scheduling overhead."""

    description = {"kind": "in-process", "workers": 1}

    timed_where = "here in this process"

    def run_alone(self, base: Scenario, task: Task, horizons: tuple[int, ...]) -> tuple[dict, Any]:
        """One run, timed for the estimate (``timed_first``)."""
        return timed_run(base, task, horizons)

    def map(self, base: Scenario, tasks: Iterable[Task], horizons: tuple[int, ...]) -> Iterator[tuple[dict, Any]]:
        for _, result in self.map_calls(functools.partial(sweep_run, base, horizons), tasks):
            yield result

    def map_calls(self, fn: Callable[[Any], Any], items: Iterable[Any], *, lost: Callable | None = None,
                  seconds: Callable | None = None) -> Iterator[tuple[Any, Any]]:
        """``(item, fn(item))`` for each item, in order (``DaskEngine.map_calls``; `lost` and `seconds` concern
        workers only)."""
        for item in items:
            yield item, fn(item)

    def close(self) -> None:
        pass


def preload_model() -> None:
    """Let local workers fork from a server that has imported the model once, instead of each importing it.

    Importing the model (Mesa, pandas, SciPy) takes seconds; with the forkserver it is paid once per
    process that starts clusters, not once per worker and cluster. The workers ignore Ctrl-C
    (``sim.experiments.worker_signals``): this process handles it, once.
    """
    from distributed.utils import get_mp_context

    if sys.platform != "win32":
        get_mp_context().set_forkserver_preload(["sim.experiments.worker_signals", "distributed", "sim.experiments.engine"])


QUIET_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""Dask settings that keep a worker's event loop from interrupting runs. A run is seconds of pure-Python
work; by default each worker's event loop wakes hundreds of times a second (the statistical profiler
samples the running task every 10 ms, the loop-latency tick fires every 20 ms) and each wake takes the
GIL from the run: a run took 20-30% longer in a default worker than in the main process, and about the
same time with these settings (`benchmarks/dask_worker_overhead.py`, `benchmarks/sweep_throughput.py`).
Local clusters use them; workers of an existing cluster read them from the environment
(``worker_environment()``, docs/EXPERIMENTS.md "On a cluster by hand")."""

LOCAL_CLUSTER = {"distributed.worker.multiprocessing-method": "forkserver", **QUIET_WORKERS}
"""Local workers fork from a server that has imported the model (``preload_model``), and are quiet."""


RESIZE_SECONDS = 5.0
"""How often a running sweep counts a cluster's worker threads again, to keep workers that joined it busy."""


BATCH_SECONDS = 0.5
"""About how long one Dask task runs (``runs_per_task``). A task of one short run (0.08 s at the default size) paid
for its trip through the scheduler, its serialisation and the worker's event loop taking the GIL from the next run:
a raw Client on 2 local workers made 1200-1260 runs/min one run per task, 1316-1348 eight per task (a sweep: 1182-1200
and 1238-1314, docs/EXPERIMENTS.md "Throughput"). Half a second makes that trip rare, yet keeps the runs coming back in
small steps (progress, the store). A task whose workers die sends only its own runs back, one per task, and only
a run whose own task then fails is lost (``DaskEngine.map_calls``, ``lost_row``)."""


def runs_per_task(mean_seconds: float | None, remaining: int, slots: int) -> int:
    """How many runs the next task holds: one until a run has been timed, then about ``BATCH_SECONDS`` of runs at the
    mean time so far, but never more than keeps each of the `slots` busy with two tasks of the `remaining` runs, so
    that the last tasks still spread over every worker."""
    if not mean_seconds:
        return 1
    return max(1, min(int(BATCH_SECONDS / mean_seconds), -(-remaining // (2 * slots))))


def worker_environment() -> dict[str, str]:
    """``QUIET_WORKERS`` as the environment variables a separately started ``dask worker`` reads."""
    return {"DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value) for key, value in QUIET_WORKERS.items()}


class DaskEngine:
    """Runs on Dask distributed workers: a LocalCluster of processes, or the cluster behind ``scheduler``."""

    def __init__(self, workers: int | None, scheduler: str | None) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler is not None:
            scheduler = identify_scheduler(scheduler)
            try:
                self.client = Client(scheduler, timeout=f"{CONNECT_SECONDS}s")
            except (OSError, TimeoutError, ValueError) as error:
                raise InputError(f"cannot reach a Dask scheduler at {scheduler} ({error})", key="--scheduler",
                                 expected="the address of a running scheduler, e.g. tcp://127.0.0.1:8786") from None
            try:
                self.client.wait_for_workers(1, timeout=60)
            except TimeoutError:
                self.client.close()
                raise InputError(f"the Dask scheduler at {scheduler} has no workers (waited 60 s)", key="--scheduler",
                                 expected="a scheduler with at least one `dask worker` attached") from None
            self.description = {"kind": "dask-scheduler", "address": scheduler}
            if other := workers_code(self.client):
                self.description["worker_code"] = other
                count = sum(len(o["workers"]) for o in other)
                print(f"note: {count} of {len(self.client.nthreads())} Dask workers at {scheduler} run other code than "
                      f"this machine ({code_change(other[0]['code'], process_versions())}): the same seed may give them other "
                      "numbers; the manifest records their code (engine.worker_code): install this checkout on every "
                      "worker to keep one version", file=sys.stderr, flush=True)
        else:
            count = workers or os.cpu_count() or 1
            self.client = None
            try:
                with signals_deferred(), dask.config.set(LOCAL_CLUSTER):
                    preload_model()
                    # CRITICAL: a run's own error is recorded in its row; what workers log besides (e.g. lost
                    # heartbeats while Ctrl-C stops the cluster) would be tracebacks that say nothing to the user
                    # no dashboard; the scheduler's HTTP server (health checks) still starts, on a free port here
                    # rather than 8787, which another sweep or `dask scheduler` may hold (Dask warns then)
                    self.cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                                                dashboard_address=None, silence_logs=logging.CRITICAL,
                                                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
                    self.client = Client(self.cluster)
            except BaseException:  # Ctrl-C or SIGTERM during start-up, delivered once the cluster is whole
                self.close()
                raise
            self.description = {"kind": "dask-local", "workers": count}
        self.slots = max(1, sum(self.client.nthreads().values()))
        self.description["threads"] = self.slots

    @property
    def timed_where(self) -> str:
        """Where ``run_alone`` runs, for the estimate line."""
        return "here in this process" if self.cluster is not None else "on one of the cluster's workers"

    def run_alone(self, base: Scenario, task: Task, horizons: tuple[int, ...]) -> tuple[dict, Any]:
        """One run, timed for the estimate (``timed_first``): here for a local cluster, whose workers share this
        machine; on a worker of an existing cluster, whose machines may be much faster or slower than this one."""
        if self.cluster is not None:
            return timed_run(base, task, horizons)
        future = self.client.submit(timed_run, base, task, horizons, pure=False)
        try:
            return future.result()
        except Exception as error:  # as in map: the run never finished on any worker
            return lost_row(task, error), None
        finally:
            future.release()

    def map(self, base: Scenario, tasks: Iterable[Task], horizons: tuple[int, ...]) -> Iterator[tuple[dict, Any]]:
        """Each run's row and curves as its task finishes (``map_calls``): runs batched by their rows' run times, and a
        run whose own task never finished on any worker recorded lost (``lost_row``)."""
        for _, result in self.map_calls(functools.partial(sweep_run, base, horizons), tasks,
                                        lost=lambda task, error: (lost_row(task, error), None), seconds=run_seconds):
            yield result

    def map_calls(self, fn: Callable[[Any], Any], items: Iterable[Any], *, lost: Callable[[Any, BaseException], Any]
                  | None = None, seconds: Callable[[Any], float | None] | None = None) -> Iterator[tuple[Any, Any]]:
        """Yield ``(item, fn(item))`` for each item as its task finishes, each task a batch of calls (``call_each``,
        ``runs_per_task`` at the mean of what `seconds` says a result took; without `seconds`, one call per task),
        keeping at most 2 x slots + 1 tasks submitted at any time. `fn` goes with every task (the scenario of a
        sweep's runs, about 10 kB, is not scattered once: a scattered copy dies with the workers that hold it, and
        every call still to come was then cancelled with it). The slots are counted again every ``RESIZE_SECONDS``:
        a cluster's workers may join (or leave) while the calls run.

        A task that raises never finished on any worker (a sweep's ``execute_run`` records a run's own error in its
        row): its workers died each time it was tried, on up to 1 + ``distributed.scheduler.allowed-failures``
        workers (4 by default: ``KilledWorker``), or could not start it. Dask counts a worker's death against every
        task the worker held, not only the one that killed it, so a failed batch may hold one call that killed its
        workers and others that only ran beside it: the calls of a failed batch of several go back one per task, and
        only a call whose own task fails is lost: ``lost(item, error)`` is its result, or, without `lost`, the error
        is raised. They go back one task at a time, each into the next free slot ahead of the items not yet
        submitted (within the same 2 x slots + 1): sent together, the one that kills its workers could fail the
        others beside it. So an item goes to the workers at most twice, in a batch and then alone, and each of
        those tasks is tried at most allowed-failures + 1 times."""
        from distributed import as_completed

        pending = list(items)
        start = 0  # pending[start:] are not yet submitted
        submitted: dict[str, list[Any]] = {}
        suspects: deque[Any] = deque()  # the items of failed batches, to go back one per task, one task at a time
        alone: str | None = None  # the key of the task of the one suspect submitted, if any
        queue = as_completed()
        timed, took = 0, 0.0  # the results that came back with a run time, and their sum

        def fill() -> None:
            nonlocal start, alone
            while len(submitted) < 2 * self.slots + 1:
                suspect = bool(suspects) and alone is None  # one at a time, so a call that kills its workers fails no other
                if suspect:
                    batch = [suspects.popleft()]
                elif start < len(pending):
                    size = runs_per_task(took / timed if timed else None, len(pending) - start, self.slots)
                    batch, start = pending[start:start + size], start + size
                else:
                    return
                future = self.client.submit(call_each, fn, batch, pure=False)
                submitted[future.key] = batch
                if suspect:
                    alone = future.key
                queue.add(future)

        fill()
        counted = time.monotonic()
        for future in queue:
            batch = submitted.pop(future.key)
            if future.key == alone:
                alone = None
            try:
                results = list(zip(batch, future.result(), strict=True))
            except Exception as error:  # the task never finished on any worker (execute_run records the model's errors)
                if len(batch) > 1:  # perhaps one call killed them, the others beside it: each goes back alone
                    suspects.extend(batch)
                    results = []
                elif lost is None:
                    raise
                else:
                    results = [(batch[0], lost(batch[0], error))]
            future.release()
            for _, result in results:
                if seconds is not None and isinstance(run := seconds(result), float) and run == run:  # not a lost NaN
                    timed, took = timed + 1, took + run
            if time.monotonic() - counted >= RESIZE_SECONDS:
                counted = time.monotonic()
                try:
                    self.slots = max(1, sum(self.client.nthreads().values()))
                except Exception:  # the scheduler did not answer this time: keep the count, and the calls going
                    pass
            fill()
            yield from results

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def workers_code(client: Any) -> list[dict[str, Any]]:
    """The code versions (``process_versions``) of a cluster's workers that differ from this machine's, each with the workers
    running it. A worker installed from another checkout gives other numbers for the same seed, and a sweep's manifest
    otherwise records only the code of the machine that ran `sim sweep`."""
    from sim import provenance

    here, found = process_versions(), client.run(provenance.process_versions, on_error="return")
    other: dict[str, dict[str, Any]] = {}
    for address, code in sorted(found.items()):
        if isinstance(code, dict) and code != here:
            other.setdefault(json.dumps(code, sort_keys=True), {"code": code, "code_id": code_id(code),
                                                                "workers": []})["workers"].append(address)
    return list(other.values())


@contextmanager
def signals_deferred():
    """Hold Ctrl-C and SIGTERM while a local cluster starts, then deliver them.

    Interrupted half-way, distributed leaves worker processes and an exit hook behind that print
    tracebacks; delivered once the cluster is whole, the signal takes the usual way out (the cluster is
    closed, one line is printed). A second signal (start-up hangs, the user presses Ctrl-C again) is not
    held: it goes through at once. Only the main thread can set handlers; elsewhere nothing is held.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous: dict[int, Any] = {}

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)  # None: set outside Python

    def hold(caught: int, _frame) -> None:
        if held:  # the second: stop waiting
            restore()
            signal.raise_signal(caught)
        held.append(caught)

    for number in (signal.SIGINT, signal.SIGTERM):
        previous[number] = signal.signal(number, hold)
    try:
        yield
    finally:
        restore()
        if held:
            signal.raise_signal(held[0])


CONNECT_SECONDS = 10
"""How long to wait for a scheduler to answer before saying it cannot be reached."""
SCHEDULER_EXAMPLE = "tcp://HOST:PORT of a running `dask scheduler`, e.g. tcp://127.0.0.1:8786"


def scheduler_address(text: str) -> str:
    """A checked scheduler address: scheme tcp or tls (tcp if none), a host and a port."""
    from urllib.parse import urlsplit

    given = text.strip()
    parts = urlsplit(given if "://" in given else f"tcp://{given}")
    try:
        port = parts.port
    except ValueError:
        port = 0
    problem = ("is empty" if not given else
               f"has scheme '{parts.scheme}'" if parts.scheme not in ("tcp", "tls") else
               "has no host" if not parts.hostname else
               "has no port (or a port outside 1-65535)" if not port else
               "has a path" if parts.path not in ("", "/") else None)
    if problem:
        raise InputError(f"'{text}' {problem}", key="--scheduler", expected=SCHEDULER_EXAMPLE)
    return f"{parts.scheme}://{parts.netloc}"


def identify_scheduler(text: str, timeout: float = CONNECT_SECONDS) -> str:
    """Check that `text` is the address of a Dask scheduler that answers within `timeout` seconds; the address."""
    import asyncio

    from distributed.comm import connect

    address = scheduler_address(text)

    async def identity() -> object:
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    try:
        answer = asyncio.run(asyncio.wait_for(identity(), timeout))
    except TimeoutError:
        raise InputError(f"no Dask scheduler answered at {address} within {timeout:g} s", key="--scheduler",
                         expected=SCHEDULER_EXAMPLE) from None
    except OSError as error:  # refused, reset, unreachable, a TLS error: nothing we can use listens there
        raise InputError(f"cannot reach a Dask scheduler at {address} ({type(error).__name__}: {error})",
                         key="--scheduler", expected=SCHEDULER_EXAMPLE) from None
    except Exception:  # it answered, but its bytes are not Dask's messages (read as a frame, they can ask for exabytes)
        raise InputError(f"{address} answered, but not as a Dask scheduler (another service listens there)",
                         key="--scheduler", expected=SCHEDULER_EXAMPLE) from None
    if not (isinstance(answer, dict) and answer.get("type") == "Scheduler"):
        raise InputError(f"{address} answered, but not as a Dask scheduler", key="--scheduler", expected=SCHEDULER_EXAMPLE)
    return address


WORKERS_PER_CORE = 8
"""More local worker processes than this per core only slow a sweep; far more never finish starting."""


def check_engine(workers: int | None, scheduler: str | None) -> None:
    """Refuse workers below 1 or a malformed scheduler address (even an empty one): checked before a command
    creates its folder, and again as the engine opens. With a scheduler, `workers` is not used (its cluster has
    its own); the command line refuses ``--workers`` with ``--scheduler`` (``sim.commands.common``)."""
    if workers is not None:
        require_at_least(workers, 1, "--workers")
        cores = os.cpu_count() or 1
        if workers > WORKERS_PER_CORE * cores:  # each is a process: 100000 hung starting them, deaf to Ctrl-C
            most = f"at most {WORKERS_PER_CORE * cores} ({WORKERS_PER_CORE} per core), or --scheduler for a cluster's workers"
            raise InputError(f"{workers:,} local worker processes on {cores} core{'s' * (cores > 1)}: expected {most}",
                             key="--workers", expected=most)
    if scheduler is not None:
        scheduler_address(scheduler)


def open_engine(workers: int | None, scheduler: str | None, in_process: bool | None = None) -> InProcess | DaskEngine:
    """In-process for one local worker (unless ``in_process=False``), else Dask."""
    check_engine(workers, scheduler)
    if in_process is None:
        in_process = scheduler is None and (workers or os.cpu_count() or 1) == 1
    if in_process:
        return InProcess()
    return DaskEngine(workers, scheduler)


class Sweep:
    """A sweep folder: its run rows, curves and manifest, read from disk on demand."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = path_argument(directory, "directory", "a folder written by sim sweep")
        if not (self.directory / MANIFEST).is_file():  # a misspelt path read as a sweep with no runs
            said = "is not a sweep folder (it holds no manifest.json)" if self.directory.is_dir() else "no such folder"
            raise InputError(said, file=str(self.directory), expected="a folder written by sim sweep")

    @property
    def manifest(self) -> dict[str, Any]:
        return read_json(self.directory / MANIFEST, "manifest.json as written by sim sweep")

    @property
    def runs(self) -> pd.DataFrame:
        """One row per run, sorted by point and replicate."""
        frame = read_dataset(self.directory / RUNS)
        return frame if frame is not None else pd.DataFrame(columns=["point", "replicate", "seed", "status", "error"])

    @property
    def curves(self) -> pd.DataFrame:
        """The first-event curves of every successful run (point, replicate, weeks_since_release, ...)."""
        frame = read_dataset(self.directory / CURVES)
        return frame if frame is not None else pd.DataFrame(columns=["point", "replicate", "weeks_since_release"])

    @property
    def failed(self) -> pd.DataFrame:
        """The runs that failed in the model (status ``failed``): a resume keeps them, as they would fail again
        (``failed_of``: a reader holding ``runs`` already counts them without reading the folder again)."""
        return failed_of(self.runs)

    @property
    def lost(self) -> pd.DataFrame:
        """The runs lost to the infrastructure (status ``lost``, or ``failed`` without a run time in a folder of an
        older version: ``sim.experiments.store.is_lost``): a resume runs them again (``lost_of``)."""
        return lost_of(self.runs)

    def __repr__(self) -> str:
        return f"Sweep({str(self.directory)!r})"


def settings_changed(manifest: dict, experiment: Experiment, most: int = 4) -> str:
    """What sets a folder's sweep apart from `experiment`, e.g. "replicates 2 there, 3 now": the same file resumed
    with another --set, --replicates, --seed or --samples is otherwise told only that the folder holds another
    experiment."""
    from sim.analysis import recorded
    from sim.scenarios.fields import differing_keys

    previous, now = manifest.get("experiment", {}), experiment.describe()
    changed = [there_and_now(key, previous.get(key), now[key]) for key in ("seed", "replicates")
               if previous.get(key) != now[key]]
    crn = [bool(recorded(d, "spec", "common_random_numbers")) for d in (previous, now)]
    if crn[0] != crn[1]:
        changed.append(there_and_now("common_random_numbers", str(crn[0]).lower(), str(crn[1]).lower()))
    if previous.get("seeding", 1) != now["seeding"] and now["points"] > 1:
        changed.append(f"run seeds derived the way {previous.get('seeding', 1)} there (an earlier version of sim), "
                       f"way {now['seeding']} now: run again into a new folder")
    base = recorded(previous, "base_scenario")  # a manifest edited by hand is read as far as it can be
    before, after = settings_record(base if isinstance(base, dict) else {}), settings_record(now["base_scenario"])
    if before.get("name") != after.get("name"):
        changed.append(f"scenario {before.get('name')} there, {after.get('name')} now")
    changed += [there_and_now(key, before.get(key, "(unset)"), after.get(key, "(unset)"))
                for key in sorted(differing_keys(before, after))]
    design = design_changed(recorded(previous, "spec", "design"), now["spec"]["design"])
    changed = design + changed  # the design sets one experiment apart from another most plainly: named first
    if not changed and manifest.get("design") != json.loads(json.dumps(experiment.design.to_dict(orient="records"),
                                                                      default=str)):
        changed.append("another design table (factors, values or samples)")
    if not changed:
        return "other settings (the contents of a network file it reads)"
    return listed(changed, most)


def design_changed(before: Any, after: dict[str, Any]) -> list[str]:
    """How a recorded design (a manifest's ``spec.design``) differs from `after`, in the experiment file's keys:
    "design.kind grid there, morris now", each factor there only or now only, then (for a design of the same kind:
    another kind's factors and sample size differ in form anyway) each factor's values or range, samples and levels.
    Nothing for a manifest that records no design."""
    if not isinstance(before, dict) or "kind" not in before:
        return []
    changed, same_kind = [], before["kind"] == after["kind"]
    if not same_kind:
        changed.append(there_and_now("design.kind", before["kind"], after["kind"]))
    factors = [d["factors"] if isinstance(d.get("factors"), dict) else {} for d in (before, after)]
    changed += [f"design.factors.{key} {'there, not now' if key in factors[0] else 'now, not there'}"
                for key in dict.fromkeys([*factors[0], *factors[1]]) if (key in factors[0]) != (key in factors[1])]
    if same_kind:
        changed += [there_and_now(f"design.factors.{key}", _levels(values), _levels(factors[1][key]))
                    for key, values in factors[0].items() if key in factors[1] and values != factors[1][key]]
        changed += [there_and_now(f"design.{key}", before.get(key), after.get(key))
                    for key in ("samples", "levels") if before.get(key) != after.get(key)]  # e.g. --samples
    return changed


def _levels(values: Any) -> str:
    """A factor's values as an experiment file writes them: "[0.2, 0.5, 0.8]" (a grid), "{low: 0, high: 1}"."""
    from sim.scenarios.fields import fmt

    if isinstance(values, list):
        return f"[{', '.join(fmt(value) for value in values)}]"
    if isinstance(values, dict):
        return f"{{{', '.join(f'{key}: {fmt(value)}' for key, value in values.items())}}}"
    return fmt(values)


def replicates_of(manifest: dict, experiment: Experiment) -> int | None:
    """How many replicates a manifest's sweep ran, if it is `experiment` on that many (None otherwise): its runs are
    then the first replicates of `experiment`'s, on the same seeds (a run's seed depends on its point and replicate,
    never on how many replicates there are)."""
    previous = manifest.get("experiment")
    before = previous.get("replicates") if isinstance(previous, dict) else None
    if isinstance(before, int) and not isinstance(before, bool) and before > 0 \
            and previous.get("fingerprint") == experiment.fingerprint(before):
        return before
    return None


def recorded_replicates(out: Path, experiment: Experiment) -> int | None:
    """``replicates_of`` the sweep recorded in `out` (None without one)."""
    if not (out / MANIFEST).is_file():
        return None
    return replicates_of(read_json(out / MANIFEST, "manifest.json as written by sim sweep", key="--out"), experiment)


def check_folder(out: Path, experiment: Experiment, *, resume: bool, require_existing: bool = False,
                 more_replicates: bool = False, within: Path | None = None) -> dict | None:
    """The manifest of a sweep of this same experiment in `out` (None for a new folder), or, with `more_replicates`,
    of this experiment on fewer replicates (``replicates_of``), which the sweep grows; refuse anything else, and a
    folder inside another command's results but `within`'s (``check_not_within_results``)."""
    check_own_folder(out)
    check_not_within_results(out, within)
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder", file=str(out), key="--out", expected="a new or sweep folder")
    manifest_path = out / MANIFEST
    if not manifest_path.is_file():
        if out.exists() and not is_empty(out):
            raise InputError(f"is not empty and holds no sweep (no manifest.json){holding(out)}", file=str(out), key="--out",
                             expected="a new folder, or the folder of an earlier sweep of this experiment")
        if require_existing:
            raise InputError("holds no sweep to resume", file=str(out), key="--resume",
                             expected="the folder of an earlier sweep of this experiment")
        return None
    manifest = read_json(manifest_path, "manifest.json as written by sim sweep", key="--out")
    previous = manifest.get("experiment")
    if not isinstance(previous, dict):  # e.g. the folder of a `sim run` or `sim compare`
        raise InputError(f"holds results of another kind (its manifest.json names no sweep){holding(out)}", file=str(out),
                         key="--out", expected="a new folder, or the folder of an earlier sweep of this experiment")
    before = replicates_of(manifest, experiment) if more_replicates else None
    if previous.get("fingerprint") != experiment.fingerprint() and not (before and before < experiment.replicates):
        same = previous.get("name") == experiment.name  # the same file resumed with other options, most often
        raise InputError(
            (f"holds a sweep of '{experiment.name}' with other settings" if same else
             f"holds runs of another experiment ('{previous.get('name')}' from {previous.get('source')})")
            + f": {settings_changed(manifest, experiment)}", file=str(out), key="--out",
            expected="a new folder, or the folder of an earlier sweep of exactly this experiment (the same file, "
                     "--set, --replicates, --seed and --samples)",
        )
    if not isinstance(manifest.get("sessions", []), list):  # each resume appends its session to the list
        raise InputError("holds 'sessions' that are not a list", file=str(manifest_path), key="--out",
                         expected="manifest.json as written by sim sweep")
    for name in (RUNS, CURVES):  # checked before the manifest is rewritten, not when the part is written
        if (out / name).exists() and not (out / name).is_dir():
            raise InputError("is a file, not a folder", file=str(out / name), key="--out",
                             expected="the runs/ and curves/ folders of a sweep written by sim sweep")
    if not resume:
        raise InputError("already holds a sweep of this experiment", file=str(out), key="--out",
                         expected="resume=True to continue it, or a new folder")
    return manifest


IDENTITY = ("name", "description", "source")
"""What names an experiment but does not decide its runs (not in its fingerprint): a sweep folder keeps the first."""


def _identity(manifest: dict | None) -> dict[str, str] | None:
    """The name, description and source a sweep's manifest records (None if it records no name: not a sweep's)."""
    recorded = (manifest or {}).get("experiment")
    if not isinstance(recorded, dict) or not isinstance(recorded.get("name"), str):
        return None
    spec = recorded.get("spec") if isinstance(recorded.get("spec"), dict) else {}
    description = spec.get("description")
    return {"name": recorded["name"], "description": description if isinstance(description, str) else "",
            "source": str(recorded.get("source"))}


def other_identity(out: Path, manifest: dict, experiment: Experiment) -> str | None:
    """The note of a resume by an experiment file of the same settings but another name, description or source
    (None if it is the same): it rewrote the manifest's name and source without a word, while the folder's ranking.md
    kept the first name. The folder keeps its first (``kept_identity``)."""
    recorded = _identity(manifest)
    if recorded is None or (recorded["name"], recorded["description"]) == (experiment.name, experiment.description) and (
            Path(recorded["source"]).resolve() == Path(experiment.source).resolve()):  # the same file, named otherwise
        return None
    other = "" if recorded["description"] == experiment.description else ", described otherwise"
    return (f"note: {out} was started by experiment '{recorded['name']}' from {recorded['source']}; resuming it as "
            f"'{experiment.name}' from {experiment.source}{other}: the settings are the same, so its runs are kept, "
            f"and it keeps the name '{recorded['name']}' and the description it was started with")


def kept_identity(experiment: Experiment, manifest: dict | None) -> Experiment:
    """`experiment` under the name, description and source of the sweep `manifest` records (the folder's own, which
    its manifest, ranking.md and report keep), if it records one."""
    recorded = _identity(manifest)
    if recorded is None or all(recorded[key] == getattr(experiment, key) for key in IDENTITY):
        return experiment
    spec = experiment.spec.model_copy(update={"name": recorded["name"], "description": recorded["description"]})
    return dataclasses.replace(experiment, **recorded, spec=spec)


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
) -> Sweep:
    """Run every point x replicate of `experiment` not yet recorded in `out`; return the sweep folder.

    Rerunning into the same folder continues where the last sweep stopped (``resume=False`` refuses a
    folder that already holds runs). With `more_replicates`, a folder of this experiment on fewer replicates is grown
    to `experiment`'s: its runs are kept and only the new replicates run (``sim robustness``'s nominal comparison,
    rerun with more --nominal-replicates). ``workers`` local processes (default: all cores; 1 runs here,
    in-process, unless ``in_process=False``) or ``scheduler``: the address of a running Dask scheduler.
    ``batch_size`` runs go into each Parquet part. The folder is locked for the sweep's whole life
    (``sim.folder_lock``), and a design above `max_runs` runs (``sim.job_size``) is refused before any run. A folder
    inside another command's results is refused (its reader would take the sweep for part of them), but inside
    `within`, the results folder of the command sweeping into it (``sim robustness``'s sweeps/).
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
        store = RunStore(out, runs_schema(exp.design, exp.factors, exp.metrics), batch_size=batch_size)
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
                for row, curves in timed_first(exp, tasks, engine, meter):
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


def timed_first(exp: Experiment, tasks: list[Task], engine: InProcess | DaskEngine,
                meter: Progress) -> Iterator[tuple[dict, Any]]:
    """The results of `tasks`: first those of the runs that time the rest, one at a time (``sim.experiments.estimate``;
    here, or on a worker of an existing cluster: ``run_alone``), then, once the estimate is said, the others on
    `engine`. A silent sweep times nothing."""
    picks = timing_runs(exp, [task.point for task in tasks]) if meter.enabled else []
    timed: dict[int, float] = {}
    for index in picks:
        row, curves = engine.run_alone(exp.base, tasks[index], exp.horizons)
        if row["status"] == OK:
            timed[index] = row["seconds"]
        yield row, curves
    if picks:
        if len(timed) < len(picks):
            meter.note("estimate: none (a run timed for it failed or was lost: see its error in the runs/ folder)")
        elif len(tasks) > len(picks):
            guess = Estimate.of(exp, [task.point for task in tasks], timed)
            meter.note(guess.line(getattr(engine, "slots", 1), engine_words(engine), engine.timed_where))
    chosen = set(picks)
    yield from engine.map(exp.base, [task for i, task in enumerate(tasks) if i not in chosen], exp.horizons)


def engine_words(engine: InProcess | DaskEngine) -> str:
    """Where the runs go, for the estimate line."""
    kind = engine.description["kind"]
    if kind == "in-process":
        return "1 worker (this process)"
    if kind == "dask-local":
        busy, cores = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0, os.cpu_count() or 1
        return f"{engine.slots} local workers" + (
            f" (this machine is busy, load average {busy:.1f} on {cores} cores: expect up to {min(engine.slots, cores)} "
            "times this)" if busy >= cores - 0.5 and engine.slots > 1 else "")
    return f"the cluster's {engine.slots} worker threads at {engine.description['address']}"


def again(lost: tuple[int, int]) -> str:
    """What the size line says of runs an earlier session lost to the infrastructure, which this one runs again: how
    many, and how many of them an older version recorded as 'failed' (without a run time, or stopped by a Ctrl-C in
    compiled code: ``sim.experiments.store.is_lost``)."""
    total, older = lost
    if not total:
        return ""
    status = "status 'lost'"
    if older:
        status = (f"{status}, or for {older:,} of them 'failed'" if older < total else "status 'failed'") + \
            " as an older version recorded them"
    return (f", {total:,} of them lost to the infrastructure in an earlier session ({status}: a worker died, could "
            "not start them or was stopped) and run again")


def code_of(manifest: dict | None) -> dict | None:
    """The code version of the last session that ran in a sweep folder (None if no session recorded one)."""
    for session in reversed((manifest or {}).get("sessions", [])):
        if isinstance(session, dict) and session.get("runs") and isinstance(session.get("code"), dict):
            return session["code"]
    if manifest and (manifest.get("sessions") or []) and isinstance(manifest.get("code"), dict):
        return manifest["code"]  # a folder swept before sessions recorded their code: the manifest's, as last written
    return None


def write_manifest(out: Path, experiment: Experiment, engine: dict, sessions: list[dict]) -> None:
    """The manifest, replaced atomically: experiment, design table, code version, engine and timings."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = {
        "experiment": experiment.describe(),
        "design": experiment.design.to_dict(orient="records"),
        "code": process_versions(),
        "engine": engine,
        "sessions": sessions,
    }
    replace_file(out / MANIFEST, lambda path: write_json(path, manifest))
