"""Custody: recall and return to prison, and the ends of recall terms and licences.

``recall`` runs in step 4, called by ``sim.rules.supervision.supervise``: people recalled for a breach or
on a new charge go into custody for a recall term. ``serve`` is step 6: sentences for new offences begin
(a return on a new sentence lasts to the end of the run: nothing releases people from it), recall terms
end in re-release, and licences run out.
"""

from __future__ import annotations

import numpy as np

from sim.agents.states import IN_PRISON, LICENCE_ENDED, NOT_ENROLLED, NOT_YET, ON_LICENCE, RECALLED, RETURNED
from sim.arrays import indices_of
from sim.streams import geometric


def recall(world, params, people: np.ndarray, week: int, uniform: dict[str, np.ndarray], technical: np.ndarray | slice) -> None:
    """Recall to custody for a breach or a new charge: jobs and homes are often lost, NGO places given up.

    ``uniform`` holds the recall term, job and home draws of ``people`` (from the supervision stream).
    ``technical`` selects (a mask or a slice of ``people``) those recalled for a breach; a recall for a new
    charge is a return to custody but not a technical violation, so it does not count as a first recall for breach.
    """
    if people.size == 0:
        return
    cohort, reintegration = world.cohort, params.reintegration
    cohort.status[people] = RECALLED
    cohort.recalls[people] += 1
    cohort.mark_first(cohort.first_recall, people[technical], week)
    cohort.mark_first(cohort.first_return, people, week)
    cohort.custody_until[people] = week + geometric(uniform["term"], params.release.recall_term_weeks)
    cohort.employed[people[uniform["job"] < reintegration.recall_job_loss]] = False
    cohort.housed[people[uniform["home"] < reintegration.recall_housing_loss]] = False
    cohort.warnings[people] = 0
    cohort.breaching[people] = False
    leave_ngo(world, people)


def leave_ngo(world, people: np.ndarray) -> None:
    """People taken into custody give up their NGO place or their spot in the queue."""
    world.cohort.ngo_status[people] = NOT_ENROLLED
    world.cohort.ngo[people] = NOT_YET


def serve(world, params, stream, week: int) -> None:
    """Sentences for new offences begin; recall terms end in re-release; licences run out (each person's own length)."""
    cohort = world.cohort
    status = cohort.status
    # few people have a court date, or are on recall, any week: find them first, then check the rest of the
    # condition on those few rather than on everyone
    in_court = indices_of(cohort.court_week == week)
    sentenced = in_court[(status[in_court] != RETURNED) & (status[in_court] != IN_PRISON)]
    if sentenced.size:
        cohort.mark_first(cohort.first_return, sentenced, week)
        status[sentenced] = RETURNED
        cohort.breaching[sentenced] = False
        leave_ngo(world, sentenced)
    # a licence of L weeks covers the week of release and the L - 1 after it: it ends after this step of its last week
    last_week = cohort.release_week + cohort.licence_weeks - 1
    recalled = indices_of(status == RECALLED)
    # re-release on licence: one whose licence ran out in custody sees it end with the others' just below
    status[recalled[cohort.custody_until[recalled] <= week]] = ON_LICENCE
    ended = indices_of((status == ON_LICENCE) & (last_week <= week))
    status[ended] = LICENCE_ENDED
    cohort.breaching[ended] = False
