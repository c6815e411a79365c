"""Progress of a sweep: a tqdm bar (rate, ETA: ``sim.pace``) on a terminal, plain dated lines in a log file."""

from __future__ import annotations

import sys
import time

from sim.job_size import duration
from sim.pace import Pace


class Progress:
    """Counts finished and failed runs. ``show=False`` is silent; otherwise a bar on a TTY, else lines."""

    def __init__(self, total: int, label: str, show: bool | None = None, stream=None, every_seconds: float = 15.0) -> None:
        self.stream = stream or sys.stderr
        self.total, self.label, self.done, self.failed = total, label, 0, 0
        self.enabled = show is not False
        self._last = time.monotonic()
        self.every_seconds = every_seconds
        self.runs = Pace(total)
        self.bar = None
        tty = getattr(self.stream, "isatty", lambda: False)()
        if self.enabled and tty:
            from tqdm import tqdm

            # tqdm's own rate and ETA counted the first run (``Pace``): the bar shows the job's pace instead
            self.bar = tqdm(total=total, desc=label, unit="run", file=self.stream, dynamic_ncols=True,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]")

    def update(self, failed: bool = False, ran: bool = True) -> None:
        """One run done; `ran` False for one read from a cache, which counts as done but not towards the pace."""
        self.done += 1
        self.failed += int(failed)
        now = time.monotonic()
        if ran:
            self.runs.finished(now)
        else:
            self.runs.skipped()
        pace = self.pace()
        if self.bar is not None:
            failures = f"failed={self.failed}" if self.failed else ""
            self.bar.set_postfix_str(", ".join(filter(None, (pace, failures))), refresh=False)
            self.bar.update(1)
            return
        if self.enabled and (now - self._last >= self.every_seconds or self.done == self.total or self.done == 1):
            self._last = now
            when = time.strftime("%H:%M:%S")
            print(f"{when} {self.label}: {self.done}/{self.total} runs, {self.failed} failed{', ' * bool(pace)}{pace}",
                  file=self.stream, flush=True)

    def pace(self) -> str:
        """'973.6 runs/min, ETA 2m24s', as of the last run's end, from the runs finished after the first (``Pace``: the
        first run's time also holds the engine's start); "" until one has."""
        rate, left = self.runs.per_second(), self.runs.seconds_left()
        return "" if rate is None or left is None else f"{60 * rate:.1f} runs/min, ETA {duration(left)}"

    def note(self, line: str) -> None:
        """A line said while the runs go on (above the bar on a terminal)."""
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        elif self.enabled:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
