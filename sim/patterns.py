"""Validation: the model's effects against published ones, each row a calibration target, an input check or a test.

Every pattern contrasts scenario settings ("arms") run with the same replicate seeds (common random
numbers), or reads one arm against published data, in the contrast and at the follow-up the study
used. ``sim/data/published_effects.csv`` gives each published effect with a two-sided band; a row
passes when the model's estimate falls inside it. Each row has a kind:

- *calibration target*: the model was tuned to it (the BJS curves and the shape of their return hazard,
  the violent-extremist rate, the ISP technical-violation contrast, the contact-prejudice correlation), so
  passing shows the fit holds, not that the model is right;
- *input check*: a parameter set from the same study comes back out (the record penalty at hiring,
  the media shock's decay), so passing shows the plumbing works;
- *independent test*: nothing was tuned to it; only these count as validation.

Each measure is computed per replicate and reported as the mean with a 95% t-interval across
replicates (``sim.outcomes.interval``); measures of a mean curve (the BJS errors, the hazard shape)
use a 95% bootstrap interval over replicates. Arms shared by several patterns are run once. Runs go
to the sweep engine's workers (``sim.experiments.engine``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.agents.states import ENROLLED, NOT_YET
from sim.calibration.objective import model_percent, target_table
from sim.calibration.target import BJS_CURVES, WEEKS_PER_MONTH, read_target
from sim.counts import LEAST
from sim.curves import COMPETING, CURVE_WORDS, YEAR
from sim.data import BJS_2005, PUBLISHED_EFFECTS, VALIDATION, shipped
from sim.errors import InputError, require_at_least
from sim.outcomes import cumulative_incidence, interval, run_curves
from sim.scenarios import load_scenario
from sim.scenarios.schema import Scenario
from sim.streams import replicate_seed

ROOT_SEED = 20_260_805

CALIBRATION, INPUT, INDEPENDENT = "calibration target", "input check", "independent test"
KINDS = (INDEPENDENT, CALIBRATION, INPUT)


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
    from sim.experiments.engine import open_engine

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


@dataclass(frozen=True)
class Published:
    """One row of ``published_effects.csv``: the effect as the study measured it and the band it allows."""

    pattern: str
    contrast: str
    outcome: str
    follow_up: str  # months, as the study gives it ("12", "36-84"); empty when not a follow-up
    published: float
    band_low: float
    band_high: float
    unit: str
    source: str


def month_span(effect: Published) -> tuple[int, int]:
    """The first and last month of a BJS row's follow-up ("1-48"): the months the model is compared over."""
    first, last = effect.follow_up.split("-")
    return int(first), int(last)


def published_effects() -> dict[str, Published]:
    """The shipped table of published effects, by pattern."""
    frame = pd.read_csv(shipped(PUBLISHED_EFFECTS), dtype=str, keep_default_na=False)
    number = lambda v: float(v) if str(v).strip() else float("nan")  # noqa: E731
    return {row.pattern: Published(row.pattern, row.contrast, row.outcome, row.follow_up_months, number(row.published),
                                   number(row.band_low), number(row.band_high), row.unit, row.source)
            for row in frame.itertuples()}


@dataclass
class Row:
    kind: str
    pattern: str
    measure: str
    contrast: str
    follow_up: str
    measured: float
    low: float
    high: float
    published: str
    band: str
    band_low: float
    band_high: float
    unit: str
    passed: bool
    source: str


def banded(kind: str, effect: Published, measure: str, contrast: str, follow_up: str,
           estimate: tuple[float, float, float]) -> Row:
    """A row judged by the published band: it passes when the estimate (not its interval) lies inside."""
    low, high, value = effect.band_low, effect.band_high, estimate[0]
    return Row(kind, effect.pattern, measure, contrast, follow_up, *estimate, f"{effect.published:g} ({effect.unit})",
               f"{low:g} to {high:g}", low, high, effect.unit, bool(low <= value <= high), effect.source)


def at(curves: pd.DataFrame, metric: str, week: int) -> float:
    """The curve at `week` since release; a run too short to reach it is an error, not its last week (a row
    must be read at the study's follow-up)."""
    horizon = int(curves["weeks_since_release"].max())
    if week > horizon:
        raise ValueError(f"{metric} is read at week {week} since release, but the run follows people {horizon} weeks")
    return float(curves.set_index("weeks_since_release")[metric].get(week))


def per_replicate(runs: dict[str, list[Observed]], fn: Callable[..., float], *arms: str) -> pd.Series:
    return pd.Series([fn(*group) for group in zip(*(runs[a] for a in arms), strict=True)], dtype=float)


def ratio(metric: str, week: int) -> Callable[[Observed, Observed], float]:
    """Risk ratio (other / reference) of a first-event share at `week`."""
    def value(reference: Observed, other: Observed) -> float:
        base = at(reference.curves, metric, week)
        return at(other.curves, metric, week) / base if base > 0 else float("nan")
    return value


def hazard_ratio(metric: str, week: int) -> Callable[[Observed, Observed], float]:
    """Ratio of the cause-specific cumulative hazards at `week` (other / reference): the hazard ratio if hazards
    are proportional. With a competing event (a return before any recall), -log(1 - share) would not be one."""
    def value(reference: Observed, other: Observed) -> float:
        base = at(reference.curves, f"{metric}_hazard", week)
        return float(at(other.curves, f"{metric}_hazard", week) / base) if base > 0 else float("nan")
    return value


THREE_YEARS, FIVE_YEARS = 3 * YEAR, 5 * YEAR


def intensive_supervision(runs, effects) -> list[Row]:
    """The RAND ISP experiment, at one year, in the population it studied (general offenders): technical
    violations, new arrests and incarceration.

    ``supervision.detectable`` was chosen with the technical-violation contrast in view, so that row is a
    calibration target; the other two were not tuned. The model has no route by which supervision raises
    recorded arrests (the police are not modelled), so the arrests row tests only that recall does not cut
    new offences by more than its band allows."""
    outcomes = ((CALIBRATION, "isp_technical_violations", "violated", "technical violation (a breach detected)"),
                (INDEPENDENT, "isp_new_arrests", "reoffended", "new offence"),
                (INDEPENDENT, "isp_incarceration", "returned", CURVE_WORDS["returned"]))
    contrast = ", ".join(f"{key} {value:g}" for key, value in INTENSIVE.items()) + " vs the scenario's own"
    return [banded(kind, effects[pattern], f"ratio of shares with a {words}, general_offenders", contrast, "12 months",
                   interval(per_replicate(runs, ratio(metric, YEAR), "general", "intensive_supervision")))
            for kind, pattern, metric, words in outcomes]


PLACED_WITHIN = 4
"""Weeks after release within which a person counts as placed in an NGO programme at release, as a participant.
Circles of support start at release; in the model the NGOs' places fill in the first five or six weeks after release
and few open again until the first programmes end, so a month takes in nearly all of that first intake."""
CIRCLES_FOLLOW_UP = round(35 * WEEKS_PER_MONTH)
"""Weeks from release at which new offences are counted: the study's mean follow-up of about 35 months (152 weeks)."""


def participants_vs_matched(people: pd.DataFrame, placed_within: int = PLACED_WITHIN,
                            follow_up: int = CIRCLES_FOLLOW_UP) -> float:
    """Risk ratio of a new offence within `follow_up` weeks of release, participants against matched non-participants.

    Participants were placed in an NGO programme within `placed_within` weeks of release; non-participants were
    never placed within the follow-up; people first placed after `placed_within` weeks but within the follow-up are
    in neither group. Both groups
    had no new offence in the first `placed_within` weeks: a participant has none before the placement, and the
    non-participants are held to the same, else they alone would carry those weeks' offences. As in the study's
    matching on risk, the two are compared within quartiles of assessed risk at release (``risk_tier``), and the
    quartiles' shares are combined with the participants' weights (a standardised risk ratio); a quartile with no
    non-participant has no one to match its participants to and is left out."""
    short = int((people["followup"] < follow_up).sum())
    if short:
        raise ValueError(f"new offences are counted {follow_up} weeks after release, but {short} released people are "
                         "followed for less")
    offence, placed = people["first_offence"].to_numpy(), people["enrolled"].to_numpy()
    no_early_offence = (offence == NOT_YET) | (offence > placed_within)
    participant = (placed != NOT_YET) & (placed <= placed_within) & no_early_offence
    non_participant = ((placed == NOT_YET) | (placed > follow_up)) & no_early_offence
    offended = pd.Series((offence != NOT_YET) & (offence <= follow_up), index=people.index)
    tier = people["risk_tier"]
    share = offended[participant].groupby(tier[participant]).agg(["mean", "size"])
    matched = offended[non_participant].groupby(tier[non_participant]).mean()
    both = share.index.intersection(matched.index)
    weight = share.loc[both, "size"]
    expected = float((weight * matched[both]).sum())
    return float((weight * share.loc[both, "mean"]).sum()) / expected if expected > 0 else float("nan")


def mentoring(runs, effects) -> list[Row]:
    """Circles of support (Wilson, Cortoni & McWhinnie 2009): people placed in a circle at release against matched
    non-participants, in the general cohort at its own (limited) NGO capacity (``participants_vs_matched``)."""
    estimate = interval(per_replicate(runs, lambda run: participants_vs_matched(run.people), "general"))
    follow_up = f"35 months ({CIRCLES_FOLLOW_UP} weeks) after release"
    return [banded(INDEPENDENT, effects["cosa_participants"], "risk ratio of a new offence, participants vs matched "
                   "non-participants (standardised to the participants' quartiles of assessed risk)",
                   f"general_offenders at its own NGO capacity (ngo.capacity as set): people placed in an NGO programme "
                   f"within {PLACED_WITHIN} weeks of release, before any new offence, vs people never placed in the "
                   f"{CIRCLES_FOLLOW_UP} weeks and with no new offence in the first {PLACED_WITHIN}, matched on quartile "
                   "of assessed risk", follow_up, estimate)]


def family_ties(runs, effects) -> list[Row]:
    """Prison visits (Duwe & Clark 2013): hazard ratios of reconviction and revocation, visited vs not."""
    contrast = "prison.visits 1 (every family visits) vs 0 (none), cooperation.policy_input 0 in both, same seeds"
    return [banded(INDEPENDENT, effects[pattern], f"hazard ratio of a first {words}", contrast, "36 months",
                   interval(per_replicate(runs, hazard_ratio(metric, THREE_YEARS), "no_visits", "all_visited")))
            for pattern, metric, words in (("visits_reconviction", "reoffended", "new offence"),
                                           ("visits_revocation", "recalled", CURVE_WORDS["recalled"]))]


def criminal_record(runs, effects) -> list[Row]:
    """Pager's audit study; the model's record penalty is set from it, so this is an input check."""
    def finding(without: Observed, with_: Observed) -> float:
        rate = lambda o: o.job_finds / o.job_search_weeks if o.job_search_weeks else float("nan")  # noqa: E731
        return rate(with_) / rate(without)

    estimate = interval(per_replicate(runs, finding, "no_record_penalty", "general"))
    return [banded(INPUT, effects["record_at_hiring"], "weekly job-finding rate ratio (the model's callback rate)",
                   "effects.record_penalty as set vs 0", "whole run", estimate)]


def contact(runs, effects) -> list[Row]:
    """Pettigrew & Tropp: the correlation across community members between contact and prejudice. The size of
    contact's effect (``stigma.contact_effect``) was chosen so that this correlation falls in the meta-analysis's
    range: a calibration target."""
    r = interval(pd.Series([o.contact_stigma_r for o in runs["extremist"]]))
    return [banded(CALIBRATION, effects["contact_prejudice"], "correlation across community members: contact-weeks "
                   "with released neighbours vs final stigma", "within each baseline run", "whole run", r)]


def media_shock(runs, effects) -> list[Row]:
    """The attack's stigma jump and its decay: no published size, and the decay is set by ``anchoring``."""
    shock_week = attack_week()
    jumps, halves = [], []
    for base, attack in zip(runs["quiet"], runs["attack"], strict=True):
        excess = attack.stigma - base.stigma
        window = excess[shock_week:shock_week + 9]
        peak_at = shock_week + int(np.argmax(window))
        jumps.append(float(excess[peak_at]))
        below = np.flatnonzero(excess[peak_at:] <= excess[peak_at] / 2)
        halves.append(float(below[0]) if below.size else float("nan"))
    jump, half = interval(pd.Series(jumps)), interval(pd.Series(halves))
    weeks = len(runs["attack"][0].stigma) - 1 - shock_week
    source = "no published size (the brief: objectives 3 and 10)"
    contrast = f"baseline with attack_backlash's week-{shock_week} attack vs without"
    return [
        Row(INPUT, "media_shock", f"rise in mean community stigma after the week-{shock_week} attack", contrast,
            "9 weeks", *jump, "stigma jumps", "above 0 (whole interval)", 0.0, np.inf, "stigma (0-1)",
            bool(jump[1] > 0), source),
        Row(INPUT, "media_shock", "weeks until the excess stigma halves", contrast, "rest of run", *half,
            "decays over months", f"halves within the run ({weeks} weeks), every replicate", 0.0, float(weeks), "weeks",
            bool(not np.isnan(halves).any()), source),
    ]


def largest_gap(values: np.ndarray, gaps: Callable[[np.ndarray], np.ndarray], rng, draws: int = 1000
                ) -> tuple[float, float, float]:
    """The largest of the `gaps` (one a month) of the replicate-mean curve, with a 95% percentile bootstrap interval
    over replicates of the gap at the month where it is largest. Resampling the largest gap itself is biased upward:
    each resampled mean's noise can only add to a maximum, so that interval lay wholly above the estimate."""
    estimate = gaps(values.mean(axis=0))
    month = int(np.nanargmax(estimate))
    picks = rng.integers(0, len(values), size=(draws, len(values)))
    samples = [gaps(values[p].mean(axis=0))[month] for p in picks]
    low, high = np.percentile(samples, [2.5, 97.5])
    return float(estimate[month]), float(low), float(high)


def monthly_hazard(percent: np.ndarray) -> np.ndarray:
    """Monthly hazard (months 1..n) of a cumulative curve in percent at months 0..n, as a 3-month moving average.

    The average is centred (months m-1, m, m+1), over two months at the ends.
    """
    share = percent / 100
    hazard = np.diff(share) / np.maximum(1 - share[:-1], 1e-9)
    return pd.Series(hazard).rolling(3, center=True, min_periods=2).mean().to_numpy()


HAZARD_SHAPE = "bjs_return_hazard_shape"
"""The row of the return hazard's shape: compared over its follow-up's months, its band the largest relative gap."""


def return_grid(target, last: int) -> pd.DataFrame:
    """The BJS return-to-prison curve at months 0 (0%) to `last`, as ``target_table`` reads it: the grid the monthly
    return hazard is taken on, model and data alike."""
    column = "return_to_prison"
    months = target_table(target, {column: BJS_CURVES[column]})
    return pd.concat([pd.DataFrame({"column": [column], "output": [BJS_CURVES[column]], "time": [0.0], "week": [0.0],
                                    "percent": [0.0]}), months[months["time"].between(1, last)]], ignore_index=True)


def bjs_rows(runs, effects, rng) -> list[Row]:
    """The BJS 2005 cohort: the curves the model was calibrated to, and the shape of the return hazard. Their bands
    are the calibration's own tolerances on the largest gap, kept with the published effects (``bjs_*`` rows)."""
    target = read_target(shipped(BJS_2005))
    curves = [o.curves for o in runs["general"]]
    contrast = "general_offenders vs the 2005 release cohort"
    rows = []
    for column, output in BJS_CURVES.items():
        effect = effects[f"bjs_{column}"]
        first, last = month_span(effect)
        points = target_table(target, {column: output})
        points = points[points["time"].between(first, last)]
        values = model_percent(curves, points)
        error = largest_gap(values, lambda m, p=points: np.abs(m - p["percent"].to_numpy()), rng)
        rows.append(Row(CALIBRATION, effect.pattern, f"largest gap between the cumulative curves, {column} vs model "
                        f"{output} (percentage points)", contrast, f"months {first}-{last}", *error, "the BJS curve",
                        f"{effect.band_low:g} to {effect.band_high:g}", effect.band_low, effect.band_high, effect.unit,
                        bool(effect.band_low <= error[0] <= effect.band_high), effect.source))
    effect = effects[HAZARD_SHAPE]
    first, months = month_span(effect)
    grid = return_grid(target, month_span(effects["bjs_return_to_prison"])[1])
    observed = monthly_hazard(grid["percent"].to_numpy())[:months]
    values = model_percent(curves, grid)

    def gaps(mean: np.ndarray) -> np.ndarray:
        return 100 * np.abs(monthly_hazard(mean)[:months] / observed - 1)

    shape = largest_gap(values, gaps, rng)
    # licence lengths, recall on a new charge and the imprisonment share were tuned to this shape: a target, not a test
    rows.append(Row(CALIBRATION, effect.pattern, "largest relative gap between the monthly return hazards "
                    "(3-month moving averages), model vs BJS (%)", contrast, f"months {first}-{months}", *shape,
                    f"peaks at {100 * observed.max():.1f}% a month in month {int(np.argmax(observed)) + 1}, then "
                    "declines", f"{effect.band_low:g} to {effect.band_high:g}", effect.band_low, effect.band_high,
                    effect.unit, bool(effect.band_low <= shape[0] <= effect.band_high), effect.source))
    return rows


def extremist_reoffending(runs, effects) -> list[Row]:
    """Terrorism reoffending of the violent-extremist cohort: a calibration target, because the VE profile's
    base hazard (and the terrorism share of its offences) was tuned to this band. Any new offence is a
    separate, higher curve (``reoffended``) that is not checked here."""
    effect = effects["ve_terrorism_reoffence"]
    rows = []
    for arm, week, follow_up in (("extremist", THREE_YEARS, "36 months"), ("extremist_five_years", FIVE_YEARS, "60 months")):
        share = interval(pd.Series([100 * at(o.curves, "terrorism_offence", week) for o in runs[arm]]))
        rows.append(banded(CALIBRATION, effect, "share with a first terrorism offence (%)", "baseline cohort", follow_up, share))
    return rows


PATTERNS = (intensive_supervision, family_ties, contact, mentoring, criminal_record, media_shock)


def evaluate(runs: dict[str, list[Observed]], seed: int = ROOT_SEED) -> pd.DataFrame:
    """The table: one row per measure, independent tests first, then calibration targets and input checks."""
    rng = np.random.default_rng(seed)
    effects = published_effects()
    rows = [*bjs_rows(runs, effects, rng), *extremist_reoffending(runs, effects)]
    for pattern in PATTERNS:
        rows += pattern(runs, effects)
    table = pd.DataFrame([row.__dict__ for row in rows])
    order = {kind: i for i, kind in enumerate(KINDS)}
    return table.sort_values("kind", key=lambda k: k.map(order), kind="stable").reset_index(drop=True)


def headline(table: pd.DataFrame) -> str:
    """How many independent tests pass (the validation), then the other kinds beside them."""
    counts = {kind: (int(group["passed"].sum()), len(group)) for kind, group in table.groupby("kind")}
    passed, total = counts.get(INDEPENDENT, (0, 0))
    failed = table[(table["kind"] == INDEPENDENT) & ~table["passed"]]["pattern"].tolist()
    text = f"{passed} of {total} independent tests pass"
    if failed:
        text += f" (failed: {', '.join(dict.fromkeys(failed))})"
    others = [f"{counts[k][0]} of {counts[k][1]} {k}s" for k in (CALIBRATION, INPUT) if k in counts]
    return text + (" — not counted as validation: " + ", ".join(others) + " pass" if others else "")


def overrides_words(settings: dict) -> str:
    """What a table run with --set is: not the shipped model, whose validation is docs/VALIDATION.md; "" without --set
    (``settings["overrides"]``, each key as given)."""
    given = settings.get("overrides") or {}
    if not given:
        return ""
    return (f"With {' '.join(f'--set {key}={value}' for key, value in given.items())}: not the shipped model "
            "(its validation is docs/VALIDATION.md, from `sim patterns` without --set).")


def labelled_headline(table: pd.DataFrame, settings: dict) -> str:
    """The headline, after the words saying the model was changed by --set if it was (``overrides_words``)."""
    return " ".join(filter(None, (overrides_words(settings), headline(table))))


def size_words(settings: dict) -> str:
    """What run a table comes from. A quick run's rows are not the validation: its intervals are wider, and tolerances
    set for the full size (the BJS rows') can fail at the quick one, which a reader must not take for the model's."""
    if not settings.get("quick"):
        return f"A full run: {settings['replicates']} replicates per arm, each scenario at its own size."
    general = QUICK.general
    return (f"A quick run: {settings['replicates']} replicates per arm, on smaller worlds "
            f"({general['population.community']:,} community members and {general['population.released']:,} released "
            f"in the general arms). Its intervals are wider than a full run's, and the calibration targets' tolerances, "
            f"set for the full size, may fail at this one: the validation is the full run (`sim patterns`, "
            f"{FULL.replicates} replicates per arm; docs/VALIDATION.md).")


# ---- writing the table, figures and docs/VALIDATION.md -------------------------------------------

DOCS = Path(__file__).resolve().parents[1] / "docs" / "VALIDATION.md"
CALIBRATION_COMMAND = (
    "sim calibrate general_offenders --target sim/data/bjs_2005_30states_monthly.csv "
    + " ".join(f"--match {column}={output}" for column, output in BJS_CURVES.items()) + " "
    "--params offending.general.base_hazard=0.017:0.023 --params offending.general.desisted_share=0.08:0.16 "
    "--params supervision.breach_rate=0.006:0.009 "
    "--budget 120 --workers 1 --out results/calibration-bjs"
)


def _number(value: float) -> str:
    return "n/a" if value != value else f"{value:.3g}"


def measured_text(row) -> str:
    """The estimate to 4 significant digits (so that one just outside its band does not print as on the edge)."""
    spread = "" if row.low != row.low else f" ({_number(row.low)} to {_number(row.high)})"
    return ("n/a" if row.measured != row.measured else f"{row.measured:.4g}") + spread


def markdown_table(table: pd.DataFrame) -> str:
    lines = ["| kind | pattern | measure | contrast | follow-up | measured (95% interval) | published | band | result |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in table.itertuples():
        lines.append(f"| {row.kind} | {row.pattern} | {row.measure} | {row.contrast} | {row.follow_up} | "
                     f"{measured_text(row)} | {row.published} | {row.band} | {result_text(row)} |")
    return "\n".join(lines) + "\n"


PAST_THE_BAND = "pass (its interval reaches past the band)"


def result_text(row) -> str:
    """A row's result: '**FAIL**', 'pass', or, where the estimate is inside the band and its 95% interval is not
    wholly, ``PAST_THE_BAND``: the estimate decides, and a reader takes a bare 'pass' for an interval that fits."""
    if not row.passed:
        return "**FAIL**"
    inside = not row.low == row.low or row.band_low <= row.low and row.high <= row.band_high
    return "pass" if inside else PAST_THE_BAND


BJS_WORDS = {"arrest": "re-arrest", "return_to_prison": "return to prison"}  # the BJS file's columns in words


def draw_figures(runs: dict[str, list[Observed]], folder: Path) -> list[Path]:
    """validation_bjs.png (BJS curves vs the model) and validation_media.png (stigma around the attack), in
    matplotlib's defaults."""
    import matplotlib.pyplot as plt

    from sim.figures import matplotlib_defaults, save

    folder.mkdir(parents=True, exist_ok=True)
    target = read_target(shipped(BJS_2005))
    effects = published_effects()
    _, compared = month_span(effects[HAZARD_SHAPE])
    gap = effects[HAZARD_SHAPE].band_high
    returned = BJS_CURVES["return_to_prison"]
    with matplotlib_defaults():
        fig, axes = plt.subplots(1, 3, figsize=(18, 5))
        for ax, (column, output) in zip(axes[:2], BJS_CURVES.items(), strict=True):
            curves = np.array([100 * o.curves[output].to_numpy() for o in runs["general"]])
            months = runs["general"][0].curves["weeks_since_release"].to_numpy() / WEEKS_PER_MONTH
            low, high = np.nanpercentile(curves, [2.5, 97.5], axis=0)
            ax.fill_between(months, low, high, alpha=0.25, color="tab:blue", lw=0, label="model, 95% of replicates")
            ax.plot(months, curves.mean(axis=0), color="tab:blue", lw=2, label=f"model: {CURVE_WORDS[output]}")
            observed = target.of(column)
            ax.plot(observed["time"], observed["percent"], "o", ms=3, color="black", label=f"BJS 2005: {BJS_WORDS[column]}")
            ax.set(xlabel="Months since release", ylabel="Cumulative share (%)", xlim=(0, 60),
                   title=f"{BJS_WORDS[column][0].upper()}{BJS_WORDS[column][1:]} (BJS) and {CURVE_WORDS[output]} (model)")
            ax.legend(loc="lower right", fontsize="small")
        grid = return_grid(target, month_span(effects["bjs_return_to_prison"])[1])
        hazards = np.array([100 * monthly_hazard(row) for row in model_percent([o.curves for o in runs["general"]], grid)])
        month = np.arange(1, len(grid))
        observed = 100 * monthly_hazard(grid["percent"].to_numpy())
        ax = axes[2]
        ax.fill_between(month, observed * (1 - gap / 100), observed * (1 + gap / 100), color="grey", alpha=0.2,
                        lw=0, label=f"BJS within {gap:g}%")
        ax.plot(month, observed, "o-", ms=3, color="black", lw=1, label=f"BJS 2005: {BJS_WORDS['return_to_prison']}")
        ax.plot(month, 100 * monthly_hazard(model_percent([o.curves for o in runs["general"]], grid).mean(axis=0)),
                color="tab:blue", lw=2, label=f"model: {CURVE_WORDS[returned]} (mean curve)")
        ax.fill_between(month, *np.nanpercentile(hazards, [2.5, 97.5], axis=0), color="tab:blue", alpha=0.2, lw=0,
                        label="model, 95% of replicates")
        ax.axvline(compared, color="grey", ls=":", lw=1, label=f"compared up to month {compared}")
        ax.set(xlabel="Months since release", ylabel="Monthly hazard, 3-month moving average (%)",
               title="Monthly hazard of a first return", xlim=(0, 60))
        ax.legend(loc="upper right", fontsize="small")
        fig.suptitle("General offenders (general_offenders) against the BJS 2005 release cohort")
        paths = [save(fig, folder / "validation_bjs.png")]

        fig, ax = plt.subplots(figsize=(8, 5))
        # the two runs are the same people with the same seeds, alike until the attack: the attack's line is drawn dashed
        # over the baseline's, so both show where they coincide
        shock_week = attack_week()
        for arm, colour, label, style in (("quiet", "tab:grey", "baseline", "-"),
                                          ("attack", "tab:red", f"attack_backlash (alike until week {shock_week})", "--")):
            series = np.array([o.stigma for o in runs[arm]])
            weeks = np.arange(series.shape[1])
            ax.fill_between(weeks, *np.percentile(series, [2.5, 97.5], axis=0), alpha=0.25, color=colour, lw=0)
            ax.plot(weeks, series.mean(axis=0), color=colour, lw=2, ls=style, label=label)
        ax.axvline(shock_week, color="black", ls=":", lw=1, label=f"attack reported (week {shock_week})")
        ax.set(xlabel="Week of simulation", ylabel="Mean community stigma (0-1)", title=f"Media shock in week {shock_week}")
        ax.legend()
        paths.append(save(fig, folder / "validation_media.png"))
    return paths


def write_outputs(table: pd.DataFrame, runs: dict[str, list[Observed]], folder: Path, settings: dict) -> None:
    """patterns.csv, patterns.md and the figures, into `folder`."""
    from sim.output import write_json
    from sim.provenance import versions

    table.to_csv(folder / "patterns.csv", index=False)
    (folder / "patterns.md").write_text(f"{labelled_headline(table, settings)}\n\n{size_words(settings)}\n\n"
                                        f"{markdown_table(table)}")
    draw_figures(runs, folder)
    model = {"model": overrides_words(settings) or "the shipped model"}
    write_json(folder / "manifest.json", {**versions(), **settings, **model, "root_seed": ROOT_SEED,
                                          "arms": {k: [v[0], v[1]] for k, v in ARMS.items()}})


def validation_markdown(table: pd.DataFrame, settings: dict) -> str:
    """docs/VALIDATION.md, section by section: what the rows are, how they were run, the table, how each pattern is
    measured, the figures and how general_offenders was calibrated."""
    return "".join((validation_heading(table), row_kinds_text(), design_text(settings), markdown_table(table),
                    measures_text(), figures_text(), calibration_text()))


def validation_heading(table: pd.DataFrame) -> str:
    """The file's first lines: how it is regenerated, its title and the headline of the table."""
    return f"""<!-- Generated by `sim patterns --write-docs` (full run); rerun it to regenerate this file and docs/img/validation_*.png. -->
# Validation

**{headline(table)}.**

"""


def row_kinds_text() -> str:
    """What a row compares and when it passes, and the three kinds of row: only independent tests validate."""
    effects = published_effects()
    curves = " and ".join(f"{effects[f'bjs_{column}'].band_high:g}" for column in BJS_CURVES)
    return f"""Each row compares one effect the model produces with a published one, in the contrast the study made
and at its follow-up; `sim/data/published_effects.csv` gives each published effect with a two-sided
band, and a row passes only when the model's estimate falls inside it. A failure is shown as **FAIL**, and a pass
whose 95% interval is not wholly inside the band as "pass (its interval reaches past the band)".
The BJS rows' bands in that file are the calibration's own tolerances, not published intervals ({curves} percentage
points between the curves, {effects[HAZARD_SHAPE].band_high:g}% between the hazards), and the media-shock rows have no band
from it: no published size, so they check only that stigma jumps and then decays.
Rows are of three kinds, and only the first counts as validation:

- **independent test**: nothing in the model was set or tuned to this number;
- **calibration target**: the model was tuned to it (the BJS curves and their return-hazard shape, the
  violent-extremist rate, the ISP technical-violation contrast, the contact-prejudice correlation), so a pass
  shows the fit holds, not that the model is right;
- **input check**: a parameter was set from the same study (the record penalty at hiring, the media shock's
  decay) and the row checks that it comes back out as intended.

"""


def design_text(settings: dict) -> str:
    """How the patterns were run (replicates, time, code) and what the intervals are."""
    from sim.provenance import versions

    commit = versions().get("git_commit") or versions().get("commit") or "unknown"
    return f"""Each pattern is a designed experiment with {settings['replicates']} replicates per arm (the arms of a pattern
share their replicate seeds), run by `sim patterns --write-docs` in {settings['seconds']:.0f} s
(code {commit}). Intervals are 95% t-intervals across replicates, except for the BJS rows: a 95% bootstrap
over replicates of the mean curve, of the gap at the month where it is largest (a bootstrap of the largest gap
itself is biased upward and lay above the estimate).

"""


def measures_text() -> str:
    """## How each pattern is measured: one bullet per pattern (the BJS curves two), each naming its study and what
    the model sets against it."""
    bullets = (bjs_measures(), supervision_measure(), visits_measure(), contact_measure(), circles_measure(),
               record_measure(), extremist_measure(), media_measure())
    return "\n## How each pattern is measured\n\n" + "".join(bullets) + "\n"


def bjs_measures() -> str:
    """The BJS curves and their return-hazard shape: the data the model was fitted to."""
    shape = published_effects()[HAZARD_SHAPE]
    first, last = month_span(shape)
    return f"""- **BJS curves (calibration targets)**: `general_offenders` (1,000 people released in week 1, five years)
  against `sim/data/bjs_2005_30states_monthly.csv` (*Recidivism of Prisoners Released in 30 States in 2005*,
  BJS NCJ 244205); month m is week m x 52/12, where the model's weekly curve is interpolated linearly.
- **Return-hazard shape (calibration target)**: the monthly hazard of a first return to prison (new sentence,
  recall for a technical violation, or recall on a new charge, `supervision.offence_recall`), as a centred 3-month moving average, of the mean model curve against the BJS data's,
  month by month from {first} to {last}; the measure is the largest relative gap, which must stay within {shape.band_high:g}%.
  No part of the BJS file is held out: both curves and the hazard shape are the data the model was fitted
  to, so the BJS rows show the fit, not a pattern the model reproduces on data it was not fitted to.
"""


def supervision_measure() -> str:
    """The ISP experiment's contrast, with the intensive arm's settings (``INTENSIVE``)."""
    intensive = ", ".join(f"`{key}` {value:g}" for key, value in INTENSIVE.items())
    return f"""- **Intensive supervision (technical violations: calibration target; new arrests and incarceration:
  independent)**: the randomised ISP experiment (Petersilia & Turner, *Evaluating Intensive Supervision
  Probation/Parole*, NIJ Research in Brief NCJ 141637) compared ISP with routine supervision of probationers
  and parolees at one year; ISP meant several times the contacts plus drug testing. The model contrasts
  `general_offenders`' own supervision with {intensive} (the same licence conditions) and reads the ratio of
  the shares with a first technical violation (a breach supervision detected, whether it brought a warning or
  a recall: `first_violation` in the events table), a first new offence (new arrest) and a first return to
  custody (incarceration) 52 weeks after release. The share of breaches supervision can see at all
  (`supervision.detectable`) was chosen with the technical-violation contrast in view, so that row is a
  calibration target. The model has no route by which supervision raises recorded arrests (the police are not
  modelled), so the arrests row tests only that recall does not cut new offences below its band. No
  randomised study of supervision exists for people released after terrorism offences, so the
  violent-extremist cohort has no row here.
"""


def visits_measure() -> str:
    """Prison visits: every family visiting against none, and the routes by which visits act."""
    return """- **Prison visits (independent)**: Duwe & Clark, *Blessed Be the Social Tie That Binds* (visited vs not visited,
  Minnesota). A family visits at all with chance `prison.visits` plus the share of missed visits the policy-input
  lever restores (`sim.levers`, `Policy.visits`); the model contrasts every family visiting
  (`prison.visits` 1) with none (0) in `general_offenders`, with `cooperation.policy_input` 0 in both arms
  (that lever restores missed visits, so without it "none" means none), with the same seeds, and reads the
  ratio of the cause-specific cumulative hazards (Nelson-Aalen; a return before any recall is the competing
  event for revocation) of a first new offence (reconviction) and a first recall for breach (revocation) 156
  weeks after release: the hazard ratio if hazards are proportional. Visits act only through the family bond:
  the bond kept through custody, the family's engagement after release, the bond's hazard ratio, its place
  among the supports that make breaches less likely, and the accountability it brings to licence conditions
  (`compliance.family_accountability`); and, against these, in a reinforcing family
  (`families.reinforcing_general`) the bond pulls commitment up (`reintegration.family_pull`), which raises
  the offence hazard and breaches. The direction of two of these routes was put in from this study
  (`families.bond_visits` and `compliance.family_accountability` cite it); their sizes are assumed,
  not taken from its hazard ratios, so the rows test the size of the effect, not its direction.
"""


def contact_measure() -> str:
    """Contact and prejudice: the correlation within each baseline run."""
    return """- **Contact and prejudice (calibration target)**: Pettigrew & Tropp, *A Meta-Analytic Test of Intergroup Contact
  Theory*. Within each `baseline` run, the Pearson correlation across community members between weeks of
  contact with released acquaintances living in the community (contact ties, at `population.density`) and
  final stigma. The size of contact's effect (`stigma.contact_effect`) was chosen so that this correlation
  falls in the meta-analysis's range.
"""


def circles_measure() -> str:
    """Circles of support: who counts as a participant and what the matched comparison measures."""
    return f"""- **Circles of support (independent)**: Wilson, Cortoni & McWhinnie, *Circles of Support & Accountability: A
  Canadian National Replication of Outcome Findings*, compared 44 people placed in a circle at release with 44
  non-participants matched on risk, time in the community, release date and place: any new charge or conviction
  over a mean follow-up of about 35 months (risk ratio 5/44 against 17/44). The model makes the same comparison
  within each `general_offenders` run, at the scenario's own, limited NGO capacity. Participants are the people
  placed in an NGO programme within {PLACED_WITHIN} weeks of release (circles start at release, and the model's NGO
  places fill in the first weeks after it), before any new offence; non-participants are the people never placed
  within the follow-up; both groups had no new offence in the first {PLACED_WITHIN} weeks, and people first placed in
  between are in neither. Everyone is released in the same week and followed from release, so the groups match on
  release date and time in the community; they are compared within quartiles of assessed risk at release, combined
  with the participants' weights (a standardised risk ratio), on any new offence (the model's counterpart of a
  charge) within {CIRCLES_FOLLOW_UP} weeks (35 months) of release. The comparison measures what a place does for the
  person who holds it, not mentoring alone: prosocial ties and commitment eroded by mentoring, accountability to
  licence conditions (`ngo_effects.accountability`), job and housing help, therapy on needs and media help against
  experienced stigma. Differences beyond assessed risk in who is placed (officers refer more often at a higher
  assessed priority; people accept by their trust in NGOs) stay in the comparison, as they could in the study's
  matched design. No hazard ratio is taken from these studies.
"""


def record_measure() -> str:
    """The criminal record at hiring: the record penalty against none."""
    return """- **Criminal record at hiring (input check)**: Pager, *The Mark of a Criminal Record*. `effects.record_penalty`
  as set against 0: the weekly job-finding rate of people out of work in the community (the model's
  counterpart of a callback rate). The penalty is set from this study.
"""


def extremist_measure() -> str:
    """Violent-extremist reoffending: the terrorism-offence shares the base hazard was tuned to."""
    return """- **Violent-extremist reoffending (calibration target)**: the `baseline` cohort's share with a first terrorism
  offence 156 and 260 weeks after release (the `terrorism_offence` curve, the published studies following
  people three to five years; any new offence is the separate, higher
  `reoffended` curve); the violent-extremist base hazard and the terrorism share of its offences are tuned
  to this band (Renard, *Overblown: Exploring the Gap Between the Fear of Terrorist Recidivism and the
  Evidence*; Hodwitz, *The Terrorism Recidivism Study*).
"""


def media_measure() -> str:
    """The media shock: the attack run against the same cohort without it."""
    return f"""- **Media shock (input check)**: `baseline` with `attack_backlash`'s week-{attack_week()} attack against `baseline` without
  it (same seeds): the peak excess of mean community stigma in the weeks after the attack, and the weeks until
  that excess halves (both arms with `media.publicised_reoffence_shock` off, and the attack arm without
  `attack_backlash`'s week-80 policy change, so that only the attack differs). No study gives
  a size; the decay is set by `stigma.anchoring`.
"""


def figures_text() -> str:
    """The two figures ``write_docs`` draws beside the file."""
    return """![BJS curves](img/validation_bjs.png)

![Media shock](img/validation_media.png)

"""


def calibration_text() -> str:
    """## Calibration: how general_offenders' calibrated values were set, with the command that checks them."""
    return f"""## Calibration

The `general_offenders` values marked *calibrated* in its scenario file were set in two steps.
The parameters that give the return hazard its shape (the mean and spread of parole terms
`release.licence_weeks` and `release.licence_spread`, `release.court_delay_weeks`,
`release.imprisonment_share` and recall on a new charge `supervision.offence_recall`) were tuned by
hand, with full-size runs of 20 replicates on two sets of seeds, so that the BJS return-hazard
shape and both cumulative curves fall inside their bands; this is why the shape row is a
calibration target. The levels (`offending.general.base_hazard`, `offending.general.desisted_share`,
`supervision.breach_rate`) were then checked by differential evolution with common random numbers (`sim calibrate`, see
`sim calibrate --help`), with the shape parameters as in the scenario file:

```
{CALIBRATION_COMMAND}
```

The best fit lies inside every search range, not at an end (where `sim calibrate` would say to widen it),
and the shipped levels lie inside the ranges `fit.csv` gives for them (the values that replicate noise
cannot tell apart from the best); they were chosen within those ranges for the smaller errors at
20 replicates in `sim patterns`. The command writes `calibrated.yaml` (a scenario extending
`general_offenders` with the fitted values), `fit.csv`, `errors.csv` (the error at every month, on
fresh seeds) and `calibration.png`. Rerunning the
command into the same folder re-uses its cached runs.
"""


STUDIES = {
    "isp_new_arrests": ("Evaluating Intensive Supervision Probation/Parole: Results of a Nationwide Experiment "
                        "(Petersilia & Turner, 1993)", "intensive against routine supervision"),
    "isp_incarceration": ("Evaluating Intensive Supervision Probation/Parole: Results of a Nationwide Experiment "
                          "(Petersilia & Turner, 1993)", "intensive against routine supervision"),
    "visits_reconviction": ("Blessed Be the Social Tie That Binds: The Effects of Prison Visitation on Offender "
                            "Recidivism (Duwe & Clark, 2013)", "every family visiting in prison against none"),
    "visits_revocation": ("Blessed Be the Social Tie That Binds: The Effects of Prison Visitation on Offender "
                          "Recidivism (Duwe & Clark, 2013)", "every family visiting in prison against none"),
    "cosa_participants": ("Circles of Support & Accountability: A Canadian National Replication of Outcome Findings "
                          "(Wilson, Cortoni & McWhinnie, 2009)", f"people placed in an NGO programme within {PLACED_WITHIN} "
                          "weeks of release against people of the same assessed risk never placed (general_offenders at "
                          "its own NGO capacity)"),
}
"""Each independent test's study, by title, and the model's contrast in plain words (for the report's readers)."""
SHIPPED_COLUMNS = ["kind", "pattern", "measure", "contrast", "follow_up", "measured", "low", "high", "published", "band",
                   "band_low", "band_high", "passed", "study", "plain_contrast"]
"""validation.csv's columns: the band's ends as numbers too, by which a pass says whether its interval fits
(``result_text``), as VALIDATION.md's table does."""


def shipped_table(table: pd.DataFrame) -> pd.DataFrame:
    """``sim/data/validation.csv``: the table with each independent test's study title and plain contrast."""
    study = table["pattern"].map(lambda p: STUDIES.get(p, ("", ""))[0])
    plain = table["pattern"].map(lambda p: STUDIES.get(p, ("", ""))[1])
    return table.assign(study=study, plain_contrast=plain)[SHIPPED_COLUMNS]


def write_docs(table: pd.DataFrame, runs: dict[str, list[Observed]], settings: dict) -> None:
    """docs/VALIDATION.md, docs/img/validation_*.png and the shipped validation.csv (what reports say about
    validation), each replaced atomically."""
    import os
    import tempfile

    images = DOCS.parent / "img"
    markdown = validation_markdown(table, settings)  # before the staging folder: it names the code's commit, clean
    with tempfile.TemporaryDirectory(dir=DOCS.parent) as staging:
        for path in draw_figures(runs, Path(staging)):
            os.replace(path, images / path.name)
        shipped_table(table).to_csv(Path(staging) / VALIDATION, index=False)
        os.replace(Path(staging) / VALIDATION, shipped(VALIDATION))
        text = Path(staging) / "VALIDATION.md"
        text.write_text(markdown)
        os.replace(text, DOCS)
