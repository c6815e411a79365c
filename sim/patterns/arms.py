"""The arms of the patterns and their runs: each arm a scenario with the changes its contrast needs, every arm run with
the same replicate seeds (of ``ROOT_SEED``) on the engine's workers, each run observed for what the weekly
timeseries does not hold (``Observed``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.agents.states import ENROLLED, NOT_YET
from sim.counts import LEAST
from sim.curves import COMPETING
from sim.errors import InputError, require_at_least
from sim.outcomes import cumulative_incidence, run_curves
from sim.scenarios import load_scenario
from sim.scenarios.schema import Scenario
from sim.streams import replicate_seed

ROOT_SEED = 20_260_805


@dataclass(frozen=True)
class Size:
    """How big and how many: ``--quick`` shrinks populations and replicates, not horizons."""

    replicates: int
    general: dict[str, Any]
    extremist: dict[str, Any]


QUICK = Size(5, {"population.released": 300, "population.community": 1500}, {"population.community": 1500})
FULL = Size(20, {}, {})

# The intensive-supervision contrast of the RAND experiment: routine is the scenario's own supervision
# (the "general" and "extremist" arms); intensive adds several times the contacts and drug testing,
# with the same licence conditions.
INTENSIVE = {"supervision.contacts_multiplier": 4.0, "supervision.testing": 0.5}

# arm name -> (scenario, changes); general arms use general_offenders, the rest their own scenario
ARMS: dict[str, tuple[str, dict[str, Any]]] = {
    "general": ("general_offenders", {}),
    "intensive_supervision": ("general_offenders", INTENSIVE),
    # policy input restores missed visits (lever 1): off in both arms, so that in "none" no family visits
    "no_visits": ("general_offenders", {"prison.visits": 0.0, "cooperation.policy_input": 0.0}),
    "all_visited": ("general_offenders", {"prison.visits": 1.0, "cooperation.policy_input": 0.0}),
    "no_record_penalty": ("general_offenders", {"effects.record_penalty": 0.0}),
    "extremist": ("baseline", {}),
    # followed five years: 260 weeks after the last release of the 26-week window
    "extremist_five_years": ("baseline", {"weeks": 287}),
    # the scheduled attack against the same cohort, both without the shocks of publicised terrorism offences,
    # and the attack arm without attack_backlash's later policy change: only the attack differs
    "quiet": ("baseline", {"media.publicised_reoffence_shock": False}),
    "attack": ("attack_backlash", {"media.publicised_reoffence_shock": False}),
}
# arms that keep only their scenario's scheduled events of one kind
ONLY_EVENTS = {"attack": "media_shock"}


def attack_week() -> int:
    """The week of the attack the ``attack`` arm keeps: its scenario's one scheduled media shock, read from the
    scenario file so that the media-shock rows' window moves with it."""
    scenario, changes = ARMS["attack"]
    weeks = [event.week for event in load_scenario(scenario, changes).events if event.kind == ONLY_EVENTS["attack"]]
    if len(weeks) != 1:
        raise ValueError(f"the {scenario} scenario schedules {len(weeks)} {ONLY_EVENTS['attack']} events; the "
                         "media-shock pattern reads the week of exactly one")
    return weeks[0]


@dataclass
class Observed:
    """What one run of one arm yields for the patterns."""

    curves: pd.DataFrame  # the run's curves, plus ``violated`` and the cumulative hazards (``observe``)
    stigma: np.ndarray  # community stigma by week (0..weeks)
    people: pd.DataFrame  # the released: their events table (``model.event_times()``) with ``enrolled``, the weeks
    # since release at first NGO enrolment (NOT_YET: never)
    job_finds: int  # unemployed-in-community person-weeks that ended in a job
    job_search_weeks: int  # unemployed-in-community person-weeks
    contact_stigma_r: float  # across community members: contact-weeks vs final stigma (Pearson r)


def observe(settings: Scenario, seed: int) -> Observed:
    """Run one arm with one seed, recording per-person data that the weekly timeseries does not hold."""
    from sim.agents.released import mark_first_each
    from sim.model import ReintegrationModel

    model = ReintegrationModel(settings, rng=seed)
    cohort = model.cohort
    enrolled = np.full(cohort.size, NOT_YET, dtype=np.int64)  # weeks since release at first enrolment
    contact = np.zeros(settings.population.community)
    finds = searching = 0
    stigma = [float(model.community.stigma.mean())]
    while model.running:
        looking = cohort.in_community() & ~cohort.employed
        model.step()
        finds += int((looking & cohort.employed).sum())
        searching += int(looking.sum())
        mark_first_each(enrolled, np.flatnonzero(cohort.ngo_status == ENROLLED), cohort.release_week, model.week)
        contact += model.world.contact_ties @ cohort.in_community().astype(float)
        stigma.append(float(model.community.stigma.mean()))
    events = model.event_times()
    people = events.assign(enrolled=enrolled)[events["followup"] > 0].reset_index(drop=True)
    final = model.community.stigma
    r = float(np.corrcoef(contact, final)[0, 1]) if contact.std() > 0 and final.std() > 0 else float("nan")
    return Observed(pattern_curves(events, settings.weeks), np.array(stigma), people, finds, searching, r)


def pattern_curves(events: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """The run's first-event curves with their cause-specific cumulative hazards (``<curve>_hazard``, which
    hazard ratios compare), plus ``violated``: the share with a technical violation (a breach supervision
    detected, warned or recalled; a return to custody before any, as for recalls, is the competing event)."""
    curves = run_curves(events, horizon, hazards=True)
    violated = cumulative_incidence(events["first_violation"].to_numpy(), events[COMPETING["violated"]].to_numpy(),
                                    events["followup"].to_numpy(), horizon)
    return curves.assign(violated=violated["incidence"])


def observe_task(task: tuple[str, int, Scenario, int]) -> Observed:
    """``observe`` as the engine calls it (``run_arms``): the task's arm and replicate say where its result goes."""
    _, _, settings, seed = task
    return observe(settings, seed)


def arm_designs(size: Size) -> dict[str, dict[str, Any]]:
    """What each arm sets on its scenario at this size: --quick's smaller world, then the arm's own changes."""
    return {arm: {**(size.general if scenario == "general_offenders" else size.extremist), **changes}
            for arm, (scenario, changes) in ARMS.items()}


def check_overrides(size: Size, overrides: Mapping[str, Any]) -> None:
    """Refuse a --set of a key an arm's design sets: applied after it, the override would erase the contrast the
    arm exists for (``prison.visits`` in both visits arms); applied before, it would be silently ignored in that
    arm. ``seed`` is refused too: the patterns run on their own replicate seeds, so it would change nothing."""
    from sim.scenarios.fields import key_path

    shrunk = {key_path(key) for key in {**size.general, **size.extremist}}
    for key in overrides:
        path = key_path(key)
        if path == ("seed",):
            raise InputError("is not read by the patterns: their replicates run on seeds of their own root seed "
                             f"({ROOT_SEED})", file="--set", key=key, expected="a scenario parameter")
        if path in shrunk:
            raise InputError("is set by --quick in the arms (their smaller worlds): a --set would replace it",
                             file="--set", key=key, expected="a full run without --quick, or another key")
        arms = [arm for arm, (_, changes) in ARMS.items() if path in map(key_path, changes)]
        if arms:
            raise InputError(f"is set by the design of the {' and '.join(arms)} arm{'s' * (len(arms) > 1)}: a --set "
                             "would replace what the patterns compare there", file="--set", key=key,
                             expected="a key no arm sets; each arm's settings are listed under arms in manifest.json")


def arm_settings(size: Size, overrides: Mapping[str, Any] | None = None) -> dict[str, Scenario]:
    """The validated scenario of every arm, at this size, with the --set `overrides` (``check_overrides``) on every
    arm's scenario, validated as ``sim run`` validates them."""
    check_overrides(size, overrides or {})
    settings = {}
    for arm, design in arm_designs(size).items():
        settings[arm] = load_scenario(ARMS[arm][0], {**design, **(overrides or {})})
        if arm in ONLY_EVENTS:
            kept = [event for event in settings[arm].events if event.kind == ONLY_EVENTS[arm]]
            settings[arm] = settings[arm].model_copy(update={"events": kept})
    return settings


def run_arms(size: Size, settings: dict[str, Scenario], workers: int | None, scheduler: str | None = None,
             progress: Callable | None = None) -> dict[str, list[Observed]]:
    """Every arm x replicate (replicate r of every arm shares its seed), on the engine's workers (``map_calls``): each
    arm's scenario as ``arm_settings`` gave it (the caller checked them, --set included, before the size line)."""
    from sim.experiments.engines import open_engine

    require_at_least(size.replicates, LEAST["patterns"]["--replicates"], "--replicates")
    seeds = [replicate_seed(ROOT_SEED, r) for r in range(size.replicates)]
    tasks = [(arm, r, settings[arm], seeds[r]) for arm in ARMS for r in range(size.replicates)]
    results: dict[str, list[Observed]] = {arm: [None] * size.replicates for arm in ARMS}  # type: ignore[list-item]
    engine = open_engine(workers, scheduler)
    try:
        for done, ((arm, r, _, _), observed) in enumerate(engine.map_calls(observe_task, tasks), 1):
            results[arm][r] = observed
            if progress:
                progress(done, len(tasks))
    finally:
        engine.close()
    return results
