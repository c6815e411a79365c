"""What a sweep stopped by Ctrl-C or SIGTERM leaves: one line saying whether its folder is complete, or how many runs
it holds and how to resume.

A signal that came after the last part was written found the data whole, yet the command ended with the line every
stopped command says ("a sweep keeps its finished runs"), which did not tell a complete folder from a part-done one.
The line is attached to the signal (``sim.errors.say_when_stopped``) for ``sim.cli`` to print in its place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.errors import InputError, interruption, say_when_stopped
from sim.experiments.experiment import Experiment
from sim.experiments.store import RUNS, finished_runs


def folder_state(out: Path, experiment: Experiment) -> str:
    """E.g. 'out holds all 12 runs of sweep tiny_grid: it is complete', or how many it holds and how to resume."""
    try:
        done = len(finished_runs(out / RUNS))
    except InputError as error:  # a part damaged while it ran: the resume names it
        return f"{out} holds runs of sweep {experiment.name}, but they could not be counted ({error})"
    if done >= experiment.runs:
        return f"{out} holds all {experiment.runs:,} runs of sweep {experiment.name}: it is complete"
    return (f"{out} holds {done:,} of the {experiment.runs:,} runs of sweep {experiment.name} (nothing half-written): "
            f"rerun the same command to run the other {experiment.runs - done:,}")


@contextmanager
def saying_state(out: Path, experiment: Experiment) -> Iterator[None]:
    """A Ctrl-C or SIGTERM inside carries ``folder_state`` out to the command line."""
    try:
        yield
    except BaseException as stop:
        if (signal := interruption(stop)) is not None:
            say_when_stopped(signal, folder_state(out, experiment))
        raise
