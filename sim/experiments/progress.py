"""Progress of a sweep: a tqdm bar (rate, ETA) on a terminal, plain dated lines in a log file."""

from __future__ import annotations

import sys
import time

from sim.job_size import duration


class Progress:
    """Counts finished and failed runs. ``show=False`` is silent; otherwise a bar on a TTY, else lines."""

    def __init__(self, total: int, label: str, show: bool | None = None, stream=None, every_seconds: float = 15.0) -> None:
        self.stream = stream or sys.stderr
        self.total, self.label, self.done, self.failed = total, label, 0, 0
        self.enabled = show is not False
        self._last = self.first = time.monotonic()
        self.every_seconds = every_seconds
        self.bar = None
        tty = getattr(self.stream, "isatty", lambda: False)()
        if self.enabled and tty:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit="run", file=self.stream, dynamic_ncols=True, smoothing=0.1)

    def update(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += int(failed)
        if self.bar is not None:
            self.bar.update(1)
            if failed:
                self.bar.set_postfix(failed=self.failed)
            return
        now = time.monotonic()
        if self.done == 1:
            self.first = now
        if self.enabled and (now - self._last >= self.every_seconds or self.done == self.total or self.done == 1):
            self._last = now
            when = time.strftime("%H:%M:%S")
            print(f"{when} {self.label}: {self.done}/{self.total} runs, {self.failed} failed{self.pace(now)}",
                  file=self.stream, flush=True)

    def pace(self, now: float) -> str:
        """', 973.6 runs/min, ETA 2m24s', from the runs finished since the first: the first run's time also holds the
        engine's start (a cluster, the model's first import) and, in a sweep that times it alone before the others,
        no parallel work, so a rate from it promised minutes for a job of seconds. Nothing after the first run."""
        elapsed = now - self.first
        if self.done < 2 or elapsed <= 0:
            return ""
        rate = (self.done - 1) / elapsed
        return f", {60 * rate:.1f} runs/min, ETA {duration((self.total - self.done) / rate)}"

    def note(self, line: str) -> None:
        """A line said while the runs go on (above the bar on a terminal)."""
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        elif self.enabled:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
