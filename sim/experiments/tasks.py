"""One run of a sweep as a task: its point, replicate, seed and changes (``Task``), run where it lands, a model error
recorded in its row (``execute_run``), and the row of a run the infrastructure never finished (``lost_row``).

What an engine (``sim.experiments.engines``) sends to its workers is here: the forkserver local workers fork from
imports this module, and with it the model (``preload_model``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.errors import interruption
from sim.experiments.metrics import run_metrics
from sim.experiments.store import FAILED, LOST, OK
from sim.provenance import process_code_id
from sim.runner import simulate
from sim.scenarios import apply_overrides
from sim.scenarios.schema import Scenario


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
