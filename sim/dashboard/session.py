"""What the dashboard runs: a trainer's setup (preset, seed, slider values) and the models built from it.

The Reset button (``sim.dashboard.play``) rebuilds ``type(model)(**parameters)``; the setup is passed as that
fixed parameter and mutated by the controls, so Reset always rebuilds what the trainer currently sees on screen.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import mesa
import numpy as np

from sim.dashboard.network_sample import NetworkSample, sample_network
from sim.dashboard.sliders import SLIDERS
from sim.errors import InputError
from sim.model import ReintegrationModel
from sim.outcomes import weekly_metrics
from sim.scenarios import load_scenario, shipped_names
from sim.scenarios.schema import Scenario
from sim.streams import MAX_SEED, check_seed, replicate_seed


@dataclass
class Setup:
    """A preset plus the trainer's slider values (dotted keys), with the seed every rebuild uses."""

    preset: str = "baseline"
    seed: int | None = None  # the root seed, as `sim run --seed` takes it; None: the preset's own
    values: dict[str, float] = field(default_factory=dict)

    def scenario(self) -> Scenario:
        return load_scenario(self.preset, dict(self.values))

    def choose(self, preset: str) -> None:
        """A new preset starts from its own values: earlier slider moves belonged to the old one."""
        self.preset = preset
        self.values = {}


def cohort_shares(model: ReintegrationModel) -> dict[str, float]:
    """Cumulative shares of the people released so far who have reoffended (any offence), committed a terrorism
    offence, been recalled, returned."""
    cohort = model.cohort
    released = int(np.count_nonzero(cohort.release_week <= model.week))
    if released == 0:
        return {"released": 0, "reoffended": 0.0, "terrorism_offence": 0.0, "recalled": 0.0, "returned": 0.0}
    return {
        "released": released,
        "reoffended": np.count_nonzero(cohort.first_offence >= 0) / released,
        "terrorism_offence": np.count_nonzero(cohort.first_terrorism_offence >= 0) / released,
        "recalled": np.count_nonzero(cohort.first_recall >= 0) / released,
        "returned": np.count_nonzero(cohort.first_return >= 0) / released,
    }


# The weekly values the curves show, from model.metrics (the DataCollector's row) and the cohort.
TRACKED = ("employment_rate", "housing_rate", "community_stigma", "experienced_stigma", "ngo_waitlist", "ngo_enrolled",
           "ngo_places", "in_custody")


DRAW_TIMEOUT = 10.0  # seconds a step waits for the page's last week to be drawn before going on anyway: long enough
# that a page busy redrawing (2 s and more on a saturated machine) skips no week, short enough that a page that
# stopped drawing never stops the run for good (a closed tab ends it at once: end_session)
ROOM_FOR_CLICKS = 0.02  # seconds between a week on screen and the next week's step: the page's thread, which drew
# it, finishes its render and reads the clicks that came meanwhile (Pause) before the next week asks for a render


class Paced:
    """Back-pressure between the play thread and the page: no new week until the last one is on screen.

    Solara renders a state change in the thread that makes it, unless another thread is rendering;
    then that thread renders it too, and keeps rendering while changes keep coming. While playing, a
    week (a few ms) comes faster than its pictures (tens of ms), so without a brake the page's thread
    rendered for seconds on end and did not read the Pause click: the page froze, then jumped ahead,
    and on a busy machine Pause was never taken at all. The views tell the model when a render that
    drew it is complete (``drawn``, from an effect, which runs after the render's changes are applied);
    ``step`` waits for that, and then ``ROOM_FOR_CLICKS`` more, so the rendering thread is done before
    the next week. Until a view has drawn a model once (scripts, tests), nothing waits.
    """

    drawn_week: int | None = None
    drawn_at = 0.0
    session_ended = False
    away = False  # the trainer is on the other page (``leave``)

    def drawn(self) -> None:
        self.drawn_week, self.drawn_at = self.week, time.monotonic()

    def end_session(self) -> None:
        """The browser session is over (its tab closed): stop running, and so the play loop, after this week.

        That loop runs in its own thread until the model stops running, and Solara does not interrupt it: a tab
        closed while playing went on stepping in the server, a week every DRAW_TIMEOUT, to the end of the run."""
        self.session_ended = True  # and no page will draw again: a step under way stops waiting for one
        self.running = False

    def leave(self) -> None:
        """The trainer went to the other page: pause. The play loop, which Solara does not stop with the page, ran
        on and stepped the run kept for the trainer's return in the background (31 weeks in 7 s), then went on
        under a page whose new controller showed it paused. ``running`` reads False to the loop until ``come_back``."""
        self.away = True
        self.running = False

    def come_back(self) -> None:
        """The page is shown again: the run can be played on from where it was paused (``leave``)."""
        self.away = False
        self.running = self.still_running() and not self.session_ended

    def wait_until_drawn(self) -> None:
        if self.drawn_week is None:
            return
        deadline = time.monotonic() + DRAW_TIMEOUT
        while not self.session_ended and not self.away and time.monotonic() < deadline and (
                self.drawn_week < self.week or time.monotonic() < self.drawn_at + ROOM_FOR_CLICKS):
            time.sleep(0.002)


class TrainerModel(Paced, ReintegrationModel):
    """The simulation as the dashboard drives it: built from a Setup, keeping the curves' history.

    It runs replicate 0 of the setup's root seed, as `sim run` does, so the weeks on screen are those of
    `sim run SCENARIO --seed S`'s first replicate (before any slider move or media shock).
    """

    def __init__(self, setup: Setup | None = None, *, scenario: Any = None, rng: Any = None) -> None:
        # ``scenario`` is ignored: Mesa's own Reset passed its experiment object under that name.
        self.setup = setup if setup is not None else Setup()
        self.week_lock = threading.RLock()  # a week's rules, or a change made from the page: never both at once
        settings = self.setup.scenario()
        root = self.setup.seed if self.setup.seed is not None else settings.seed
        self.history: list[dict[str, float]] = []
        self.stigma_after_shock: float | None = None  # community stigma since a media shock of this week (media_shock)
        super().__init__(settings, rng=replicate_seed(root, 0))
        self.changed = self.moved_sliders()
        if self.changed:
            self.event_log.append((0, "from the start: " + "; ".join(self.changed)))
        self.remember()

    def still_running(self) -> bool:
        return self.week < self.settings.weeks

    def moved_sliders(self) -> list[str]:
        """The sliders this run was built with that differ from its preset (a Reset after moves), as marks name them:
        without them the room would take the run for the preset itself."""
        if not any(spec.key in self.setup.values for spec in SLIDERS):
            return []
        preset = load_scenario(self.setup.preset)
        return [spec.mark(spec.value(self.settings)) for spec in SLIDERS
                if spec.key in self.setup.values and not math.isclose(spec.value(self.settings), spec.value(preset),
                                                                      abs_tol=1e-9)]  # a slider's 0.1 + 0.2

    def step(self) -> None:
        if not self.running:  # ended, or paused while the trainer is away: a click on its way does not step it
            return
        self.wait_until_drawn()
        with self.week_lock:
            super().step()
            self.remember()
            self.stigma_after_shock = None  # the week's own numbers show it now
            self.running = self.running and not self.session_ended and not self.away

    def change_policy(self, changes: dict[str, Any], label: str = "policy change") -> None:
        """A slider move (the page's thread) waits for the week being computed (the play loop's thread) to end:
        landing half-way, it retrained officers between the week's contacts and its recall decisions."""
        with self.week_lock:
            super().change_policy(changes, label)

    def media_shock(self, magnitude: float, label: str = "media shock") -> None:
        """Waits for the week under way, as ``change_policy`` does: the shock works in the arrays the week's
        attitude update is using.

        The week's numbers (``history``) are those recorded at its end, before the shock: ``stigma_after_shock`` is the
        community stigma now, which the line of numbers gives beside them until the next week. Fired while paused, as
        a trainer does, the shock darkened the network's dots and changed no number on the page until the next Step."""
        with self.week_lock:
            super().media_shock(magnitude, label)
            self.stigma_after_shock = weekly_metrics(self)["community_stigma"]

    @cached_property
    def network_sample(self) -> NetworkSample:
        """The part of the network the dashboard draws; the structure never changes during a run."""
        return sample_network(self)

    def remember(self) -> None:
        row = {"week": self.week, **cohort_shares(self)}
        row.update({name: float(self.metrics[name]) for name in TRACKED})
        self.history.append(row)


WARM_UP_WEEKS = 30  # past the last release (week 27): every rule of a week has run, on everyone


def warm_up() -> None:
    """Run one shipped scenario of each population the presets build (the extremist cohort, General offenders'), at its
    own size, for ``WARM_UP_WEEKS``, with a media shock and a policy change: the model's kernels are compiled (or read
    from their cache, about 3 s in all) before the room sees the page. Compiled on the page, the first Step after an
    install or update took 29 s with nothing moving, and General offenders' first week 1.3 s more."""
    populations = []
    for name in shipped_names():
        settings = load_scenario(name)
        if settings.population in populations:
            continue
        populations.append(settings.population)
        model = ReintegrationModel(settings, rng=replicate_seed(settings.seed, 0))
        for _ in range(WARM_UP_WEEKS):
            model.step()
        model.media_shock(0.3, "warm-up")
        model.change_policy({"supervision.strictness": 0.9}, label="warm-up")
        model.step()


@dataclass
class Pair:
    """Two setups compared week by week under one seed: 'what if we ...'."""

    left: Setup = field(default_factory=Setup)
    right: Setup = field(default_factory=lambda: Setup("full_cooperation"))
    seed: int = 20_261_127

    def reseed(self, seed: int) -> None:
        """Both sides' new seed, refused before it is stored unless `sim run --seed` takes it: numpy cannot seed
        from a negative one (Reset would replace the whole page with a traceback), and a larger one could not be
        repeated with `sim run`. The seed field shows the message."""
        try:
            check_seed(seed)
        except InputError:
            # short enough for the field's label in the sidebar at 1280x720: "Seed (whole, 0 to 4294967295)"
            raise ValueError(f"whole, 0 to {MAX_SEED}") from None
        self.seed = int(seed)

    def setups(self) -> tuple[Setup, Setup]:
        for setup in (self.left, self.right):
            setup.seed = self.seed
        return self.left, self.right


class ComparisonModel(Paced, mesa.Model):
    """Two TrainerModels with the same seed, stepped together so one play/step/reset drives both."""

    def __init__(self, pair: Pair | None = None, *, scenario: Any = None, rng: Any = None) -> None:
        self.pair = pair if pair is not None else Pair()
        super().__init__(rng=self.pair.seed)
        left, right = self.pair.setups()
        self.left, self.right = TrainerModel(left), TrainerModel(right)
        self.running = self.left.running or self.right.running

    @property
    def week(self) -> int:
        return max(self.left.week, self.right.week)

    def step(self) -> None:
        if not self.running:  # ended, or paused while the trainer is away (as ``TrainerModel.step``)
            return
        self.wait_until_drawn()
        for model in (self.left, self.right):
            if model.running:
                model.step()
        self.running = self.still_running() and not self.session_ended and not self.away

    def still_running(self) -> bool:
        return self.left.running or self.right.running
