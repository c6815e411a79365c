"""Outcomes: weekly metrics, first-event curves by weeks since release, and replicate summaries.

Curve conventions (survival analysis, discrete weekly time):
- ``reoffended``: the *any offence* curve: cumulative share with a first new offence of any kind. Recall is *not* censoring: recalled
  people stay in the cohort, and time in custody counts as time without a new offence (as in the
  BJS cohort statistics). Follow-up ends at the horizon: people released late are censored there.
- ``recalled``: cumulative incidence of a first recall for breach, with a return to custody for a new
  offence or charge (before any recall for breach) as a *competing event* (Aalen-Johansen), censored at the horizon.
- ``returned``: cumulative share with a first return to custody for either reason, censored at the horizon.
- ``terrorism_offence``: cumulative share with a first terrorism offence (a kind of new offence, so never
  above ``reoffended``), with the same conventions as ``reoffended``.
With everyone followed to the horizon these are plain shares of the cohort.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from sim.agents.released import lives_in_community
from sim.agents.states import ENROLLED, IN_PRISON, LICENCE_ENDED, ON_LICENCE, RECALLED, RETURNED, WAITING, Status
from sim.arrays import indices_of
from sim.compiled import kernel
from sim.curves import COMPETING, CURVES, FIRST_EVENT, YEAR
from sim.stats import interval
from sim.units import ceiling_of, percent

if TYPE_CHECKING:
    from sim.model import ReintegrationModel


def summary_horizons(last: int) -> tuple[int, ...]:
    """Every whole year (52, 104, 156, ...) up to week `last`; a run shorter than a year is read at its end."""
    return tuple(range(YEAR, last + 1, YEAR)) or ((last,) if last > 0 else ())


def probation_contacts(model: ReintegrationModel) -> int:
    """Expected supervision contacts this week (the officers' contact rates summed over people on licence), for costs."""
    from sim.rules.supervision import contact_intensity

    supervised = indices_of(model.cohort.status == ON_LICENCE)
    return int(round(float(np.add.reduce(contact_intensity(model.world, model.params, supervised)))))


RISK_TIERS = ("Q1", "Q2", "Q3", "Q4")  # quartiles of assessed risk at release, Q4 the highest
SUPERVISION_LEVELS = ("none", "low", "medium", "high")  # thirds of contacts per week at release; none = no licence
ENROLMENT = ("enrolled", "never enrolled")
UNRELEASED = "unreleased"  # not released by the horizon: no follow-up, in no tier


def track_subgroups(model: ReintegrationModel) -> None:
    """Keep what subgroups are read from: assessed risk and contact rate at first release, NGO enrolment ever.

    Read at the end of the week, after the rules: the release rule has assessed this week's releases
    and the supervision rule has counted the caseloads their contact rates depend on.
    """
    from sim.rules.supervision import contact_intensity

    cohort = model.cohort
    cohort.ever_enrolled |= cohort.enrolled()
    first = model.world.released_now  # released for the first time this week (``events.release``)
    if first.size:
        cohort.assessed_at_release[first] = cohort.assessed_priority[first]
        licence = model.params.release.licence_weeks > 0  # as the release rule read it this week
        cohort.contacts_at_release[first] = contact_intensity(model.world, model.params, first) if licence else 0.0


def tiers(values: np.ndarray, count: int) -> np.ndarray:
    """Tier 0..count-1 of each value by rank within `values` (equal-sized groups; ties broken by order)."""
    ranks = np.empty(values.size, dtype=np.int64)
    ranks[np.argsort(values, kind="stable")] = np.arange(values.size)
    return ranks * count // max(values.size, 1)


def subgroup_columns(cohort, released: np.ndarray) -> dict[str, np.ndarray]:
    """The events table's subgroup fields: ``risk_tier``, ``supervision_level``, ``ngo_enrolled`` (and the numbers behind them).

    Tiers are ranks within the run's released cohort, so a tier holds the same share of people in
    every scenario and replicate; see docs/DECISIONS.md for what comparing them means.
    """
    risk_tier = np.full(cohort.size, UNRELEASED, dtype=object)
    risk_tier[released] = np.asarray(RISK_TIERS, dtype=object)[tiers(cohort.assessed_at_release[released], len(RISK_TIERS))]
    level = np.full(cohort.size, UNRELEASED, dtype=object)
    contacts = cohort.contacts_at_release
    level[released] = SUPERVISION_LEVELS[0]
    supervised = np.flatnonzero(released & (contacts > 0))
    level[supervised] = np.asarray(SUPERVISION_LEVELS[1:], dtype=object)[tiers(contacts[supervised], len(SUPERVISION_LEVELS) - 1)]
    return {
        "assessed_risk": cohort.assessed_at_release,
        "risk_tier": risk_tier,
        "contacts_at_release": contacts,
        "supervision_level": level,
        "ngo_enrolled": np.where(cohort.ever_enrolled, ENROLMENT[0], ENROLMENT[1]),
    }


# numpy's pairwise summation (``np.add.reduce`` of float64): below this many numbers one run of eight partial sums
PAIRWISE_BLOCK = 128
UNROLL = 8
STACK = 256  # frames of the halving: two more per halving, at most 64 halvings


def weekly_metrics(model: ReintegrationModel) -> dict[str, float]:
    """The timeseries row of one week: stigma, work, NGO sector, trust and custody (means over people in the community)."""
    cohort, ngos, families = model.cohort, model.ngos, model.families
    people = CohortCounts(
        status=cohort.status, ngo_status=cohort.ngo_status, employed=cohort.employed, housed=cohort.housed,
        offences=cohort.offences, terrorism_offences=cohort.terrorism_offences, recalls=cohort.recalls,
    )
    levels = Levels(
        experienced_stigma=cohort.experienced_stigma, family_bond=cohort.family_bond,
        prosocial_ties=cohort.prosocial_ties, needs=cohort.needs, commitment=cohort.commitment,
        engagement=cohort.engagement, family_stigma=families.stigma_exposure, trust_government=cohort.trust_government,
        trust_ngo=cohort.trust_ngo,
    )
    sector = Sector(willingness=ngos.willingness, reputation=ngos.reputation, independence=ngos.independence,
                    places=ngos.places)
    means, counts = week_totals(people, model.community.stigma, levels, sector, len(Status), ENROLLED + 1)
    means, counts = means.tolist(), counts.tolist()
    (community_stigma, experienced_stigma, family_bond, prosocial_ties, needs, commitment, engagement, family_stigma,
     trust_government, trust_ngo, ngo_willingness, ngo_reputation, ngo_independence, employment_rate, housing_rate) = means
    status, ngo_status, (ngo_places, offences, terrorism_offences, recalls) = (
        counts[:len(Status)], counts[len(Status):len(Status) + ENROLLED + 1], counts[len(Status) + ENROLLED + 1:])
    return {
        "week": model.week,
        "community_stigma": community_stigma,
        "experienced_stigma": experienced_stigma,
        "employment_rate": employment_rate,
        "housing_rate": housing_rate,
        "family_bond": family_bond,
        "prosocial_ties": prosocial_ties,
        "needs": needs,
        "commitment": commitment,
        "engagement": engagement,
        "family_stigma": family_stigma,
        "trust_government": trust_government,
        "trust_ngo": trust_ngo,
        "ngo_enrolled": ngo_status[ENROLLED],
        "ngo_waitlist": ngo_status[WAITING],
        "ngo_places": ngo_places,
        "ngo_willingness": ngo_willingness,
        "ngo_reputation": ngo_reputation,
        "ngo_independence": ngo_independence,
        "in_prison": status[IN_PRISON],
        "on_licence": status[ON_LICENCE],
        "licence_ended": status[LICENCE_ENDED],
        "recalled_now": status[RECALLED],
        "returned_now": status[RETURNED],
        "in_custody": status[RECALLED] + status[RETURNED],
        "offences_total": offences,
        "terrorism_offences_total": terrorism_offences,
        "recalls_total": recalls,
        "probation_contacts": probation_contacts(model),
    }


@kernel
def block_sum(values, start, count):
    """numpy's sum of ``values[start:start + count]`` for up to ``PAIRWISE_BLOCK`` numbers: in sequence below eight
    numbers, else in eight interleaved partial sums added as a tree, then the rest in sequence."""
    if count < UNROLL:
        total = 0.0
        for row in range(start, start + count):
            total += values[row]
        return total
    # positions as unsigned integers: numba then reads without checking for negative indices (twice as fast)
    at, end = np.uint64(start), np.uint64(start + count - count % UNROLL)
    s0, s1, s2, s3 = values[at], values[at + np.uint64(1)], values[at + np.uint64(2)], values[at + np.uint64(3)]
    s4, s5, s6, s7 = values[at + np.uint64(4)], values[at + np.uint64(5)], values[at + np.uint64(6)], values[at + np.uint64(7)]
    at += np.uint64(UNROLL)
    while at < end:
        s0 += values[at]
        s1 += values[at + np.uint64(1)]
        s2 += values[at + np.uint64(2)]
        s3 += values[at + np.uint64(3)]
        s4 += values[at + np.uint64(4)]
        s5 += values[at + np.uint64(5)]
        s6 += values[at + np.uint64(6)]
        s7 += values[at + np.uint64(7)]
        at += np.uint64(UNROLL)
    total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    for row in range(start + count - count % UNROLL, start + count):
        total += values[row]
    return total


@kernel
def pairwise_sum(values):
    """``np.add.reduce(values)`` of float64, step for step as numpy adds: above ``PAIRWISE_BLOCK`` numbers the sum of
    the two halves (the first a multiple of eight), each summed the same way; below, ``block_sum``.

    The halving is worked through with a stack rather than recursion (numba cannot cache a recursive function)."""
    starts, counts = np.empty(STACK, dtype=np.int64), np.empty(STACK, dtype=np.int64)
    combine = np.empty(STACK, dtype=np.bool_)  # a frame whose two halves are summed: add them
    sums = np.empty(STACK)
    starts[0], counts[0], combine[0] = 0, values.size, False
    frames = 1
    done = 0
    while frames:
        frames -= 1
        start, count = starts[frames], counts[frames]
        if combine[frames]:
            done -= 1
            sums[done - 1] += sums[done]
        elif count <= PAIRWISE_BLOCK:
            sums[done] = block_sum(values, start, count)
            done += 1
        else:
            half = count // 2
            half -= half % UNROLL
            # the sum of both halves once each is done; the second half after the first
            starts[frames], counts[frames], combine[frames] = start, count, True
            starts[frames + 1], counts[frames + 1], combine[frames + 1] = start + half, count - half, False
            starts[frames + 2], counts[frames + 2], combine[frames + 2] = start, half, False
            frames += 3
    return sums[0]


@kernel
def mean_of_all(values):
    """``np.add.reduce(values) / values.size`` (nan for none): the same pairwise sum, starting from numpy's 0.0, and division."""
    return (0.0 + pairwise_sum(values)) / values.size


class CohortCounts(NamedTuple):
    """What ``week_totals`` counts of each person of the cohort."""

    status: np.ndarray
    ngo_status: np.ndarray
    employed: np.ndarray
    housed: np.ndarray
    offences: np.ndarray
    terrorism_offences: np.ndarray
    recalls: np.ndarray


class Levels(NamedTuple):
    """The levels ``week_totals`` averages over the people in the community, in the order of its means (arrays of one
    type: a loop indexes them)."""

    experienced_stigma: np.ndarray
    family_bond: np.ndarray
    prosocial_ties: np.ndarray
    needs: np.ndarray
    commitment: np.ndarray
    engagement: np.ndarray
    family_stigma: np.ndarray
    trust_government: np.ndarray
    trust_ngo: np.ndarray


class Sector(NamedTuple):
    """The NGO sector's levels ``week_totals`` averages, in the order of its means, and the places it adds up."""

    willingness: np.ndarray
    reputation: np.ndarray
    independence: np.ndarray
    places: np.ndarray


@kernel
def week_totals(people, community_stigma, levels, sector, statuses, ngo_statuses):
    """The week's means and counts: community stigma, the levels of the people in the community (experienced stigma
    to trust in NGOs), the NGO sector's means, then the shares employed and housed (``means``); people by status and
    by NGO status, then the totals of places, offences, terrorism offences and recalls (``counts``).

    Each mean is summed as ``np.add.reduce`` sums (``pairwise_sum``), so it is the number numpy gave to the last bit;
    counts are exact in any order. Every status code is below ``statuses`` (``Status``), every NGO status below ``ngo_statuses``."""
    status, ngo_status, employed, housed = people.status, people.ngo_status, people.employed, people.housed
    offences, terrorism_offences, recalls = people.offences, people.terrorism_offences, people.recalls
    places = sector.places
    ngo_levels = (sector.willingness, sector.reputation, sector.independence)  # ``levels`` alike, which a loop indexes
    count = 0
    for person in range(status.size):
        if lives_in_community(status[person]):
            count += 1
    here = np.empty(count, dtype=np.int64)
    counts = np.zeros(statuses + ngo_statuses + 4, dtype=np.int64)
    working = housing = row = 0
    for person in range(status.size):
        counts[status[person]] += 1
        counts[statuses + ngo_status[person]] += 1
        if lives_in_community(status[person]):
            here[row] = person
            row += 1
            working += employed[person]
            housing += housed[person]
    totals = statuses + ngo_statuses
    for one in range(places.size):
        counts[totals] += places[one]
    for person in range(status.size):
        counts[totals + 1] += offences[person]
        counts[totals + 2] += terrorism_offences[person]
        counts[totals + 3] += recalls[person]
    means = np.empty(1 + len(levels) + len(ngo_levels) + 2)
    means[0] = mean_of_all(community_stigma)
    gathered = np.empty(count)  # ``values.take(here)``
    for level in range(len(levels)):
        values = levels[level]
        for row in range(count):
            gathered[row] = values[np.uint64(here[row])]
        means[1 + level] = mean_of_all(gathered)
    for level in range(len(ngo_levels)):
        means[1 + len(levels) + level] = mean_of_all(ngo_levels[level])
    means[-2] = working / count if count else np.nan
    means[-1] = housing / count if count else np.nan
    return means, counts


def time_at_risk(event: np.ndarray, competing: np.ndarray, followup: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each person's last week at risk, and whether it ended in the event or in the competing event: whichever
    comes first within follow-up (a tie goes to the event), else the end of follow-up (censored).

    Times are weeks since release (>= 1; -1 = never); the curves and the Kaplan-Meier data share this rule.
    """
    happened = (event >= 1) & (event <= followup)
    competes = (competing >= 1) & (competing <= followup) & ~(happened & (event <= competing))
    stop = np.where(competes, competing, np.where(happened, event, followup))
    return stop, happened & ~competes, competes


def cumulative_incidence(event: np.ndarray, competing: np.ndarray, followup: np.ndarray, horizon: int) -> pd.DataFrame:
    """Aalen-Johansen cumulative incidence at weeks 0..horizon, with the number at risk and the event's
    cause-specific cumulative hazard (Nelson-Aalen: what a Cox model's hazard ratio compares).

    Times are weeks since release (>= 1; -1 = never). Events after a person's follow-up are ignored;
    follow-up 0 (never released) means never at risk. Weeks with nobody at risk are NaN when someone's
    follow-up ended without an event (the curve is unknown there); once everyone has had the event or the
    competing event, the curves stay at their last value (nobody is left to change them).
    """
    never = horizon + 1
    stop, hit, competed = time_at_risk(event, competing, np.minimum(followup, never))
    at_risk = np.bincount(stop, minlength=never + 1)[::-1].cumsum()[::-1][:never]
    events = np.bincount(stop[hit], minlength=never + 1)[:never]
    competitors = np.bincount(stop[competed], minlength=never + 1)[:never]
    with np.errstate(invalid="ignore", divide="ignore"):
        hazard = np.where(at_risk > 0, events / at_risk, 0.0)
        exits = np.where(at_risk > 0, (events + competitors) / at_risk, 0.0)
    hazard[0], exits[0] = 0.0, 0.0
    survival_before = np.concatenate(([1.0], np.cumprod(1 - exits)[:-1]))
    unknown = (at_risk == 0) & (survival_before > 0)  # everyone left was censored: nothing to carry forward
    unknown[0] = False  # week 0 is 0, as before anyone is at risk
    incidence = np.minimum(np.cumsum(survival_before * hazard), 1.0)  # a share: its float sum can pass 1 by 2e-16
    return pd.DataFrame({"incidence": np.where(unknown, np.nan, incidence), "at_risk": at_risk,
                         "cumulative_hazard": np.where(unknown, np.nan, np.cumsum(hazard))})


def run_curves(events: pd.DataFrame, horizon: int, *, hazards: bool = False) -> pd.DataFrame:
    """The first-event curves of one run (``CURVES``), one row per week since release; with ``hazards``, also
    each curve's cause-specific cumulative hazard (``<curve>_hazard``), which hazard ratios compare."""
    followup = events["followup"].to_numpy()
    none = np.full(len(events), -1)

    def times(column: str | None) -> np.ndarray:  # an events table written before a column existed has none of it
        return events[column].to_numpy() if column in events else none

    curves = {metric: cumulative_incidence(times(FIRST_EVENT[metric]), times(COMPETING.get(metric)), followup, horizon)
              for metric in CURVES}
    return pd.DataFrame({
        "weeks_since_release": np.arange(horizon + 1),
        **{metric: curve["incidence"] for metric, curve in curves.items()},
        "at_risk": curves["reoffended"]["at_risk"],
        **({f"{metric}_hazard": curve["cumulative_hazard"] for metric, curve in curves.items()} if hazards else {}),
    })


NOBODY_AT_RISK = "no replicate has anyone left at risk this long after release"
"""Why a share at a horizon has no value at all (everyone had the event, or nobody was followed that long)."""


def followed_share(followup: pd.Series, week: int) -> float:
    """The share of the people released (their ``followup`` in the events table) followed `week` weeks or longer."""
    return float((followup >= week).mean())


def followed_note(followup: pd.Series | None, week: int) -> str:
    """How many of the people released were followed `week` weeks (their ``followup`` in the events table), when not
    all were: releases spread over weeks, so a run's last whole year is reached by those released first only, and a
    share at that horizon rests on them for its last weeks. '' when everyone was followed that long."""
    if followup is None or followup.empty:
        return ""
    share = followed_share(followup, week)
    if share >= 1:
        return ""
    return (f"{percent(share, 1)} of the people released were followed {week} weeks or longer (the others were released "
            f"too late in the run); a share within {week} weeks counts each person's time at risk until their follow-up "
            "ended (cumulative incidence, as Kaplan-Meier estimates it), so its last weeks rest on the people released "
            "first. Run more weeks to follow everyone that long.")


SAME_IN_EVERY = "no interval: the same in every replicate"
"""Why a mean has no interval when every replicate gave the same value (``sim.stats.zero_width``): ``no_interval``'s words."""


def no_interval(replicates: int, *, difference: bool = False) -> str:
    """Why a mean or a paired difference has no 95% interval, for a reader: fewer than two replicates
    (``sim.stats.interval``), or the same number in every replicate (a difference: ``sim.stats.paired_difference``
    gives none; a mean: its t-interval has width 0, which ``sim.stats.zero_width`` spots and the
    reports show as none, since '0.0% (0.0% to 0.0%)' would read as a certainty); comparison.md's "How to read
    this" gives the same reasons."""
    if replicates < 2:
        return f"no interval: {replicates} replicate{'' if replicates == 1 else 's'}"
    return "no interval: the same difference in every replicate" if difference else SAME_IN_EVERY


def summarise(curves: pd.DataFrame, timeseries: pd.DataFrame) -> pd.DataFrame:
    """Per scenario, metric and horizon: how many replicates have a value, their mean and 95% interval.

    Horizons are every whole year the run reaches (``summary_horizons``): curve metrics are read at
    weeks since release, timeseries metrics at the same calendar week. Intervals of shares stay in 0-1.
    At the longest weeks since release a replicate may have nobody followed that long (a curve ends where
    its last person's follow-up does), so ``replicates`` there can be fewer than the run's.
    """
    rows = []
    for scenario, curve_group in curves.groupby("scenario", sort=False):
        series_group = timeseries[timeseries["scenario"] == scenario]
        last_curve = int(curve_group.dropna(subset=["reoffended"])["weeks_since_release"].max())
        last_week = int(series_group["week"].max())
        for horizon in summary_horizons(last_curve):
            at = curve_group[curve_group["weeks_since_release"] == horizon]
            for metric in CURVES:
                rows.append((scenario, metric, "weeks_since_release", horizon, int(at[metric].count()),
                             *interval(at[metric], floor=0.0, ceiling=1.0)))
        metrics = [c for c in series_group.columns if c not in ("scenario", "replicate", "seed", "week")]
        for horizon in summary_horizons(last_week):
            at = series_group[series_group["week"] == horizon]
            for metric in metrics:
                rows.append((scenario, metric, "week", horizon, int(at[metric].count()),
                             *interval(at[metric], floor=0.0, ceiling=ceiling_of(series_group[metric]))))
    return pd.DataFrame(rows, columns=["scenario", "metric", "clock", "week", "replicates", "mean", "ci_low", "ci_high"])
