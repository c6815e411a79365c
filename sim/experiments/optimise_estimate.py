"""How long the rest of ``sim optimise`` will take, said once, from a mix it ran timed whole.

Each mix is a silent one-point sweep (``optimise_search.evaluate``): besides its runs it opens and locks its folder,
writes its manifest and its runs' part, reads them back, and the sampler proposes the next mix. An estimate from the
first run alone, as a sweep times its first run, left all that out and was 1.2 (an idle machine) to 1.7 times too low,
the more so the shorter the runs, and 14 times with local workers (a Dask cluster starts for each mix). So a mix is
timed whole, from the end of the mix before it (the sampler's proposal included) to its runs read back: its runs'
seconds (as its sweep records them) give a run's, and what is left of its time a mix's besides its runs, counted for
every mix still to come (``Estimate.of_mixes``). The mix timed is the second this session makes runs in: the first
also pays, once, for what the others reuse (the compiled rules' loading, modules imported on first use, the code's
versions read). A run's seconds are its mix's mean, or the first run's, timed alone, if less: a mix's fresh local
workers each load the compiled rules in their first run, which is the mix's time, not a run's.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from sim.experiments.engines import engine_words
from sim.experiments.estimate import Estimate, Machine, wall_seconds

TIMED = 2
"""The mix with runs to make that is timed: the second (the first pays for what the others reuse)."""


class MixClock:
    """Times the mixes of an optimisation and, once the second with runs to make ends, says how long the others
    will take.

    It is `engine`'s ``timed`` (``sweep`` calls it with its engine and machine when the session's first run is done,
    timed alone as a sweep times its first) and is told the end of every mix (``ended``). `mixes` is how many mixes
    the optimisation goes through, `left` how many runs it has still to make, `replicates` how many of a mix's runs
    go to the workers at once at most."""

    def __init__(self, engine: dict[str, Any], *, mixes: int, left: int, replicates: int) -> None:
        self.engine, self.mixes, self.left, self.replicates = engine, mixes, left, replicates
        self.ended_mixes = self.made = self.mixes_with_runs = 0
        self.first: tuple[float, Any, Machine | None] | None = None  # the run timed alone, where, on what machine
        self.since = time.perf_counter()
        engine["timed"] = self.timed

    def timed(self, seconds: float, ran_on: Any, machine: Machine | None) -> None:
        """``sweep``'s `timed`: the session's first run took `seconds` alone, its others go to `ran_on` (on `machine`);
        the sweeps after it time nothing."""
        self.engine["timed"] = None
        self.first = (seconds, ran_on, machine)

    def ended(self, session: dict[str, Any]) -> None:
        """A mix is done, its sweep's `session` (as its manifest records it) saying how many runs it made now and their
        seconds; after the second that made any, say how long the others will take."""
        now = time.perf_counter()
        took, self.since = now - self.since, now
        self.ended_mixes += 1
        made = session["runs"]
        self.made += made
        self.mixes_with_runs += made > 0
        if self.first is None or made == 0 or self.mixes_with_runs != TIMED or self.left <= self.made:
            return
        alone, ran_on, machine = self.first
        at_once = min(getattr(ran_on, "slots", 1), self.replicates)
        free = None if machine is None else machine.free
        seconds = min(alone, session["compute_seconds"] / made)
        besides = took - wall_seconds(made * seconds, made, at_once, free)
        guess = Estimate.of_mixes(self.left - self.made, seconds, self.mixes - self.ended_mixes, besides)
        print(guess.line(at_once, engine_words(ran_on), ran_on.timed_where, machine), file=sys.stderr, flush=True)
