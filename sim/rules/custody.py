"""Custody: recall and return to prison, and the ends of recall terms and licences.

``recall`` runs in step 4, called by ``sim.rules.supervision.supervise``'s kernel for each person recalled
for a breach or on a new charge: they go into custody for a recall term. ``serve`` is step 6: sentences for
new offences begin (a return on a new sentence lasts to the end of the run: nothing releases people from it),
recall terms end in re-release, and licences run out.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from sim.agents.released import mark_first
from sim.agents.states import IN_PRISON, LICENCE_ENDED, NO_NGO, NOT_ENROLLED, ON_LICENCE, RECALLED, RETURNED
from sim.compiled import kernel


class RecallTerms(NamedTuple):
    """The scenario's numbers of a recall: its mean term (``release.recall_term_weeks``) and the chances that a job
    and a home are lost."""

    term_mean: float
    job_loss: float
    housing_loss: float


class CustodyRecords(NamedTuple):
    """What a recall writes of each person (all but ``release_week``, which it reads)."""

    status: np.ndarray
    recalls: np.ndarray
    release_week: np.ndarray
    first_recall: np.ndarray
    first_return: np.ndarray
    custody_until: np.ndarray
    employed: np.ndarray
    housed: np.ndarray
    warnings: np.ndarray
    breaching: np.ndarray
    ngo_status: np.ndarray
    ngo: np.ndarray


@kernel
def recall(person, week, technical, term_draw, job_draw, home_draw, terms, records):
    """Recall of one person to custody for a breach (``technical``) or a new charge: jobs and homes are often lost,
    NGO places given up.

    ``term_draw``, ``job_draw`` and ``home_draw`` are the person's recall term, job and home uniforms (from the
    supervision stream). A recall for a new charge is a return to custody but not a technical violation, so it does
    not count as a first recall for breach.
    """
    records.status[person] = RECALLED
    records.recalls[person] += 1
    if technical:
        mark_first(records.first_recall, person, records.release_week, week)
    mark_first(records.first_return, person, records.release_week, week)
    records.custody_until[person] = week + geometric(term_draw, terms.term_mean)
    if job_draw < terms.job_loss:
        records.employed[person] = False
    if home_draw < terms.housing_loss:
        records.housed[person] = False
    records.warnings[person] = 0
    records.breaching[person] = False
    leave_ngo(person, records.ngo_status, records.ngo)


@kernel
def geometric(uniform, mean):
    """A geometric variate on 1, 2, ... with the given mean, by inversion of one uniform in [0, 1): recall terms here,
    court delays in ``sim.rules.offending`` (drawn by inversion so that scenarios share the uniform)."""
    if mean <= 1:
        return 1
    # P(X > k) = (1 - p)^k with p = 1 / mean
    weeks = np.ceil(math.log1p(-uniform) / math.log1p(-1 / mean))
    return np.int64(max(weeks, 1.0))


@kernel
def leave_ngo(person, ngo_status, ngo):
    """A person taken into custody gives up their NGO place or their spot in the queue."""
    ngo_status[person] = NOT_ENROLLED
    ngo[person] = NO_NGO


def serve(world, params, stream, week: int) -> None:
    """Sentences for new offences begin; recall terms end in re-release; licences run out (each person's own length)."""
    cohort = world.cohort
    serve_terms(week, cohort.status, cohort.court_week, cohort.custody_until, cohort.release_week, cohort.licence_weeks,
                cohort.first_return, cohort.breaching, cohort.ngo_status, cohort.ngo)


@kernel
def serve_terms(week, status, court_week, custody_until, release_week, licence_weeks, first_return, breaching,
                ngo_status, ngo):
    """The pass over people of ``serve``: a court date begins a sentence, recall terms end, licences run out."""
    for person in range(status.size):
        state = status[person]
        if court_week[person] == week and state != RETURNED and state != IN_PRISON:
            mark_first(first_return, person, release_week, week)
            state = RETURNED
            breaching[person] = False
            leave_ngo(person, ngo_status, ngo)
        # re-release on licence: one whose licence ran out in custody sees it end with the others' just below
        if state == RECALLED and custody_until[person] <= week:
            state = ON_LICENCE
        # a licence of L weeks covers the week of release and the L - 1 after it: it ends after this step of its last week
        if state == ON_LICENCE and release_week[person] + licence_weeks[person] - 1 <= week:
            state = LICENCE_ENDED
            breaching[person] = False
        status[person] = state
