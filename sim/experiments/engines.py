"""Where a sweep's runs execute: in this process (``InProcess``, one worker) or on Dask workers (``DaskEngine``: a local
cluster of processes, or an existing scheduler), a few runs to a Dask task that lasts about ``BATCH_SECONDS``, with a
bounded number of tasks in flight; and the checks of ``--workers`` and ``--scheduler`` made before a command creates
its folder (``check_engine``).
"""

from __future__ import annotations

import functools
import json
import logging
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sim import provenance
from sim.errors import InputError, require_at_least
from sim.experiments.cores import usable_cores
from sim.experiments.tasks import Task, call_each, lost_row, run_seconds, sweep_run, timed_run
from sim.provenance import code_change, code_id, process_versions
from sim.scenarios.schema import Scenario


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
        get_mp_context().set_forkserver_preload(["sim.experiments.worker_signals", "distributed", "sim.experiments.tasks"])


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

NO_WORKER_SECONDS = 60.0
"""How long a cluster may have no worker, with runs waiting, before the command says so (``watch_workers``)."""


def watch_workers(client: Any, scheduler: str, stop: threading.Event, *, after: float = NO_WORKER_SECONDS,
                  every: float = RESIZE_SECONDS) -> None:
    """Say once, each time it happens, that the cluster at `scheduler` has had no worker for `after` seconds, until
    `stop` is set. Runs wait for a worker to join, which is right when workers come and go (a batch queue's walltime),
    but a cluster whose workers had all died or left kept the command waiting for ever with no word."""
    empty_since: float | None = None
    said = False
    while not stop.wait(every):
        try:
            workers = len(client.nthreads())
        except Exception:  # the scheduler did not answer this time: ask again
            continue
        if workers:
            empty_since, said = None, False
        elif empty_since is None:
            empty_since = time.monotonic()
        elif not said and time.monotonic() - empty_since >= after:
            said = True
            print(f"note: the Dask scheduler at {scheduler} has had no worker for {after:.0f} s; the runs left wait "
                  f"for one to join (`dask worker {scheduler}`); Ctrl-C stops, keeping the finished runs",
                  file=sys.stderr, flush=True)


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
            answers = self.client.run(provenance.process_versions, on_error="return")
            check_workers_import(answers, scheduler)
            if other := workers_code(answers):
                self.description["worker_code"] = other
                count = sum(len(o["workers"]) for o in other)
                print(f"note: {count} of {len(self.client.nthreads())} Dask workers at {scheduler} run other code than "
                      f"this machine ({code_change(other[0]['code'], process_versions())}): the same seed may give them other "
                      "numbers; the manifest records their code (engine.worker_code): install this checkout on every "
                      "worker to keep one version", file=sys.stderr, flush=True)
        else:
            count = workers or usable_cores()
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
            with self.watched():
                return future.result()
        except Exception as error:  # as in map: the run never finished on any worker
            return lost_row(task, error), None
        finally:
            future.release()

    @contextmanager
    def watched(self) -> Iterator[None]:
        """While waiting on an existing cluster's workers, say if it has none left (``watch_workers``); a local
        cluster's are this command's own."""
        if self.cluster is not None:
            yield
            return
        stop = threading.Event()
        watcher = threading.Thread(target=watch_workers, args=(self.client, self.description["address"], stop),
                                   name="sim-watch-workers", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            stop.set()

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
        with self.watched():  # an existing cluster whose workers all left: said, not waited on silently
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


WORKER_SETUP = ("workers started from this checkout's environment (`pip install -e .` there, then its "
                "`.venv/bin/dask worker SCHEDULER`), as docs/EXPERIMENTS.md \"On a cluster by hand\" shows")


def check_workers_import(answers: dict[str, Any], scheduler: str) -> None:
    """Refuse a cluster none of whose workers could run this package's code (``answers``: each worker's reply to
    ``process_versions``, or the error it raised), and name, in a note, those of a mixed cluster that could not. A worker
    that cannot import ``sim`` (another environment, no ``pip install -e .``) leaves the scheduler when sent its first
    run: the sweep then waited for ever, saying nothing, on a cluster with no worker left."""
    failed = {address: answer for address, answer in sorted(answers.items()) if isinstance(answer, BaseException)}
    if not failed:
        return
    first, error = next(iter(failed.items()))
    said = f"{first}: {error}" + (f"; and {len(failed) - 1} more" if len(failed) > 1 else "")
    if len(failed) == len(answers):
        raise InputError(f"none of the {len(answers)} Dask workers at {scheduler} can run this package's code ({said})",
                         key="--scheduler", expected=WORKER_SETUP) from None
    print(f"note: {len(failed)} of {len(answers)} Dask workers at {scheduler} cannot run this package's code ({said}): "
          f"each leaves the cluster when sent a run, which goes to the others; expected {WORKER_SETUP}", file=sys.stderr, flush=True)


def workers_code(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The code versions (``process_versions``, as each worker answered) of a cluster's workers that differ from this
    machine's, each with the workers running it. A worker installed from another checkout gives other numbers for the
    same seed, and a sweep's manifest otherwise records only the code of the machine that ran `sim sweep`."""
    here = process_versions()
    other: dict[str, dict[str, Any]] = {}
    for address, code in sorted(answers.items()):
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
        cores = usable_cores()
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
        in_process = scheduler is None and (workers or usable_cores()) == 1
    if in_process:
        return InProcess()
    return DaskEngine(workers, scheduler)


def engine_words(engine: InProcess | DaskEngine) -> str:
    """Where the runs go, for the estimate line (``Estimate.line``)."""
    kind = engine.description["kind"]
    if kind == "in-process":
        return "1 worker (this process)"
    if kind == "dask-local":
        return f"{engine.slots} local workers"
    # how busy a cluster's machines are is not known here (the estimate counts a local cluster's free cores)
    return (f"the cluster's {engine.slots} worker thread{'s' * (engine.slots != 1)} at {engine.description['address']} "
            "(assuming each has a core free)")
