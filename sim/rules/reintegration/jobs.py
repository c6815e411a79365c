"""Jobs: record and local stigma keep doors shut (Pager 2003); NGO practical help opens them; needs follow."""

from __future__ import annotations

import numpy as np

from sim.arrays import unit_clip
from sim.compiled import kernel


def barrier(world, params) -> np.ndarray:
    """Share of the chances of finding a job or a home that local stigma leaves, for the people present (once a week:
    ``search`` keeps what its kernel worked out, which housing reads)."""
    present = world.present
    if present.barrier is None:
        present.barrier = left_by_stigma(params.effects.stigma_barrier, present.local_stigma)
    return present.barrier


@kernel
def left_by_stigma(stigma_barrier, local_stigma):
    """Share of a chance that local stigma leaves (of one person, or of each)."""
    return 1 - stigma_barrier * local_stigma


def search(world, params, stream, week: int) -> None:
    """Jobs are lost at a weekly rate and found at a rate lowered by record, stigma, needs and licence conditions.

    Needs grow without a job or a home and fall with NGO psychological support matched to them; the chance of a
    job reads them as they were before this week's change."""
    cohort, effects, reintegration, policy, present = world.cohort, params.effects, params.reintegration, params.policy, world.present
    uniform = stream.random(cohort.size)
    present.barrier = look_for_work(
        present.people, uniform, cohort.employed, cohort.housed, cohort.needs, present.local_stigma,
        present.offered("employment"), present.offered("psychological"), present.on_licence,
        effects.stigma_barrier, effects.ngo_practical_help * policy.practical_help,
        # curfews, exclusion zones and reporting duties get in the way of work
        reintegration.needs_capability, reintegration.licence_work_barrier * params.supervision.strictness,
        effects.job_finding * (1 - effects.record_penalty), effects.job_loss,
        reintegration.therapy_effect * policy.service_match, reintegration.needs_growth,
    )


@kernel
def look_for_work(people, uniform, employed, housed, needs, local_stigma, employment_help, therapy, on_licence,
                  stigma_barrier, practical_help, needs_capability, licence_barrier, job_finding, job_loss, therapy_effect,
                  needs_growth):
    """Jobs lost and found, and needs updated, for the people present; returns what local stigma leaves of the
    chances (``barrier``, which housing reads too)."""
    chances = np.empty(people.size)
    for row in range(people.size):
        chances[row] = left_by_stigma(stigma_barrier, local_stigma[row])
        person = np.uint64(people[row])
        need = needs[person]
        help_jobs = 1 + practical_help * employment_help[row]
        capability = 1 - needs_capability * need
        capability *= 1 - licence_barrier * (1.0 if on_licence[row] else 0.0)
        find = job_finding * chances[row] * help_jobs * capability
        working = employed[person]
        lacking = (0.0 if working else 1.0) + (0.0 if housed[person] else 1.0)
        relief = therapy_effect * therapy[row] * need
        needs[person] = unit_clip(need + (needs_growth * lacking - relief))
        draw = uniform[person]
        employed[person] = draw >= job_loss if working else draw < find
    return chances
