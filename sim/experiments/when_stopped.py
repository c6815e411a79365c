"""What a command stopped by Ctrl-C or SIGTERM leaves in its folder of runs: one line saying whether it is complete,
or how many runs it holds and how to resume.

A signal that came after the last part was written found the data whole, yet the command ended with the line every
stopped command says ("a sweep keeps its finished runs"), which did not tell a complete folder from a part-done one.
A command made of several sweeps (``sim robustness``: two a scenario; ``sim optimise``: one a mix) or that writes
results from its sweep's runs (``sim sensitivity``) says what its whole folder holds: the line of the sweep it was in
named that sweep's folder and runs ("holds 15 of the 16 runs ...: rerun the same command to run the other 1" of a
36-run analysis, or "it is complete" with the analysis neither run through nor written). The line is attached to the
signal (``sim.errors.say_when_stopped``) for ``sim.cli`` to print in its place; the outermost command's is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.errors import InputError, interruption, say_when_stopped
from sim.experiments.experiment import Experiment
from sim.experiments.store import RUNS, SET_ASIDE, finished_runs
from sim.file_digests import hashed_once


def runs_state(out: Path, held: int, planned: int, job: str, results: str | None = None) -> str:
    """E.g. 'out holds 4 of the 12 runs of sweep tiny_grid (nothing half-written): rerun the same command to run the
    other 8'; with every run done, that it is complete, or, where the command writes `results` from the runs and has
    not yet, that a rerun writes them."""
    held = min(held, planned)  # a robustness nominal sweep on more replicates than asked is replaced, not counted
    if held == 0:  # 'DIR holds 0 of the 12 runs' of a folder the command made and, empty, removed on its way out
        return (f"no run of {job} had finished, so {out} holds none (nothing half-written): rerun the same command to "
                f"run its {planned:,} runs")
    if held < planned:
        return (f"{out} holds {held:,} of the {planned:,} runs of {job} (nothing half-written): rerun the same command "
                f"to run the other {planned - held:,}")
    if results is None:
        return f"{out} holds all {planned:,} runs of {job}: it is complete"
    return (f"{out} holds all {planned:,} runs of {job} but not its results ({results}): rerun the same command to "
            "write them from its runs")


def folder_state(out: Path, experiment: Experiment, results: str | None = None) -> str:
    """What a sweep's folder holds (``runs_state``), its runs counted as a resume counts them."""
    try:
        held = runs_held(out)
    except InputError as error:  # a part damaged while it ran: the resume names it
        return f"{out} holds runs of sweep {experiment.name}, but they could not be counted ({error})"
    return runs_state(out, held, experiment.runs, f"sweep {experiment.name}", results)


def runs_held(out: Path) -> int:
    """The finished runs of every sweep in `out` (its own, or those in its subfolders: a robustness analysis's or an
    optimisation's), as a resume counts them (``finished_runs``); not those set aside or in hidden folders."""
    folders = [out / RUNS] if (out / RUNS).is_dir() else []
    folders += [runs for runs in out.rglob(RUNS) if runs.is_dir() and runs != out / RUNS
                and not any(part == SET_ASIDE or part.startswith(".") for part in runs.relative_to(out).parts)]
    with hashed_once():  # each sweep's count checks its parts twice (``finished_runs``): hashed once
        return sum(len(finished_runs(runs)) for runs in folders)


def already_done(out: Path, planned: int) -> str:
    """What the size line of a resumed command made of sweeps adds, as a sweep's does: ' (17 to run, 19 already done)'
    (``sim robustness`` and ``sim optimise`` said '= 36 runs' alone, as if none of them had run)."""
    done = min(runs_held(out), planned)
    return f" ({planned - done:,} to run, {done:,} already done)"


@contextmanager
def saying(state: Callable[[], str]) -> Iterator[None]:
    """A Ctrl-C or SIGTERM inside carries `state()` (what the folder then holds) out to the command line, in place of
    the line of any sweep stopped within: the command that owns the whole folder knows what it holds."""
    try:
        yield
    except BaseException as stop:
        if (signal := interruption(stop)) is not None:
            say_when_stopped(signal, state())
        raise


def saying_state(out: Path, experiment: Experiment, results: str | None = None) -> Iterator[None]:
    """``saying`` the state of a sweep's folder (``folder_state``)."""
    return saying(lambda: folder_state(out, experiment, results))
