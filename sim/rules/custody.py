"""Custody: recall and return to prison, and the ends of recall terms and licences.

``recall`` runs in step 4, called by ``sim.rules.supervision.supervise``'s kernel for each person recalled
for a breach or on a new charge: they go into custody for a recall term. ``serve`` is step 6: sentences for
new offences begin (a return on a new sentence lasts to the end of the run: nothing releases people from it),
recall terms end in re-release, and licences run out.
"""

from __future__ import annotations

import math

import numpy as np

from sim.agents.states import IN_PRISON, LICENCE_ENDED, NOT_ENROLLED, NOT_YET, ON_LICENCE, RECALLED, RETURNED
from sim.compiled import kernel


def recall_term_scale(params) -> float:
    """``log1p(-1 / mean)`` of the mean recall term, which ``recall`` divides a term's draw by (the inversion of
    ``sim.streams.geometric``); 0 when the mean is a week or less, when every term is one week."""
    mean = params.release.recall_term_weeks
    return float(np.log1p(-1 / mean)) if mean > 1 else 0.0


@kernel
def recall(person, week, technical, term_draw, job_draw, home_draw, term_scale, job_loss, housing_loss,
           status, recalls, release_week, first_recall, first_return, custody_until, employed, housed, warnings,
           breaching, ngo_status, ngo):
    """Recall of one person to custody for a breach (``technical``) or a new charge: jobs and homes are often lost,
    NGO places given up.

    ``term_draw``, ``job_draw`` and ``home_draw`` are the person's recall term, job and home uniforms (from the
    supervision stream); ``term_scale`` is ``recall_term_scale(params)``. A recall for a new charge is a return to
    custody but not a technical violation, so it does not count as a first recall for breach.
    """
    status[person] = RECALLED
    recalls[person] += 1
    weeks_out = week - release_week[person] + 1  # as Cohort.mark_first records a first event
    if technical and first_recall[person] == NOT_YET:
        first_recall[person] = weeks_out
    if first_return[person] == NOT_YET:
        first_return[person] = weeks_out
    # geometric term on 1, 2, ... by inversion, as sim.streams.geometric
    term = 1
    if term_scale != 0.0:
        term = int(max(np.ceil(math.log1p(-term_draw) / term_scale), 1.0))
    custody_until[person] = week + term
    if job_draw < job_loss:
        employed[person] = False
    if home_draw < housing_loss:
        housed[person] = False
    warnings[person] = 0
    breaching[person] = False
    leave_ngo(person, ngo_status, ngo)


@kernel
def leave_ngo(person, ngo_status, ngo):
    """A person taken into custody gives up their NGO place or their spot in the queue."""
    ngo_status[person] = NOT_ENROLLED
    ngo[person] = NOT_YET


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
            if first_return[person] == NOT_YET:  # as Cohort.mark_first
                first_return[person] = week - release_week[person] + 1
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
