"""Jobs: record and local stigma keep doors shut (Pager 2003); NGO practical help opens them; needs follow."""

from __future__ import annotations

import numpy as np

from sim.arrays import clip_unit


def barrier(world, params) -> np.ndarray:
    """Share of the chances of finding a job or a home that local stigma leaves, for the people present (once a week)."""
    present = world.present
    if present.barrier is None:
        present.barrier = 1 - params.effects.stigma_barrier * present.local_stigma
    return present.barrier


def search(world, params, stream, week: int) -> None:
    """Jobs are lost at a weekly rate and found at a rate lowered by record, stigma, needs and licence conditions."""
    cohort, effects, reintegration = world.cohort, params.effects, params.reintegration
    uniform = stream.random(cohort.size)
    here = world.present.people
    help_jobs = 1 + effects.ngo_practical_help * params.policy.practical_help * world.present.offered("employment")
    needs = cohort.needs[here]
    capability = 1 - reintegration.needs_capability * needs
    # curfews, exclusion zones and reporting duties get in the way of work
    capability *= 1 - reintegration.licence_work_barrier * params.supervision.strictness * world.present.on_licence
    find = effects.job_finding * (1 - effects.record_penalty) * barrier(world, params) * help_jobs * capability
    employed = cohort.employed[here]
    draw = uniform[here]
    update_needs(world, params, here, employed, needs)
    cohort.employed[here] = np.where(employed, draw >= effects.job_loss, draw < find)


def update_needs(world, params, here: np.ndarray, employed: np.ndarray, needs: np.ndarray) -> None:
    """Needs grow without a job or a home and fall with NGO psychological support matched to them (``needs``: of ``here``)."""
    cohort, reintegration = world.cohort, params.reintegration
    therapy = world.present.offered("psychological")
    lacking = (~employed).astype(float) + ~cohort.housed[here]
    relief = reintegration.therapy_effect * params.policy.service_match * therapy * needs
    needs += reintegration.needs_growth * lacking - relief
    cohort.needs[here] = clip_unit(needs, out=needs)  # everyone else's are within [0, 1] already
