"""How long is left of a job of runs: the one rule behind `sim run`'s "about 12 s to go" and a sweep's or a
calibration's "ETA 2m24s" (each command says it in its own words)."""

from __future__ import annotations


class Pace:
    """The pace of a job's runs and the time it leaves to go: the wall time since the first run finished, over the
    work finished since, times the work not yet finished. Work is a run's size (``sim.runner.run_size``: a run twice
    the size counts twice) or, where sizes are not known, 1 a run; runs side by side on workers count by the clock.

    The first run is not timed: it also holds the start, the compiled rules' loading (their compiling, on a fresh
    checkout: about 30 s against a run's quarter second) and an engine's start (a cluster), and, in a sweep that
    times it alone before the others, no parallel work, so a rate from it promised minutes for a job of seconds.
    Nothing is said until a run after the first has finished."""

    def __init__(self, work: float) -> None:
        self.left = work  # work not finished
        self.since = 0.0  # work finished after the first run
        self.started: float | None = None  # the clock when the first run finished
        self.latest = 0.0  # the clock when the last run finished

    def finished(self, at: float, size: float = 1) -> None:
        """A run of `size` finished at `at` (seconds on a monotonic clock, e.g. ``time.monotonic()``)."""
        self.left -= size
        if self.started is None:
            self.started = at
        else:
            self.since += size
        self.latest = at

    def skipped(self, size: float = 1) -> None:
        """Work that needed no running (a calibration's cached run): off what is left, and no part of the pace. Counted
        as a finished run that took no time, a generation read from the cache promised a calibration minutes early."""
        self.left -= size

    def per_second(self) -> float | None:
        """Work finished a second since the first run ended; None until a run after it has finished in some time."""
        elapsed = self.latest - self.started if self.started is not None else 0.0
        return self.since / elapsed if self.since and elapsed > 0 else None

    def seconds_left(self) -> float | None:
        """Seconds to finish the work left at the pace so far; None while there is no pace (``per_second``)."""
        rate = self.per_second()
        return None if rate is None else self.left / rate
