"""Jobs: record and local stigma keep doors shut (Pager 2003); NGO practical help opens them; needs follow."""

from __future__ import annotations

from typing import NamedTuple

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


class Jobseekers(NamedTuple):
    """The arrays ``look_for_work`` reads of the people present (rows) and of the cohort (by person; ``employed`` and
    ``needs`` are written)."""

    people: np.ndarray
    employed: np.ndarray
    housed: np.ndarray
    needs: np.ndarray
    local_stigma: np.ndarray  # rows, as the rest
    employment_help: np.ndarray
    therapy: np.ndarray
    on_licence: np.ndarray


class JobCoefficients(NamedTuple):
    """The scenario's numbers ``look_for_work`` reads."""

    stigma_barrier: float
    practical_help: float  # NGO practical help times the policy's
    needs_capability: float
    licence_barrier: float  # times supervision's strictness
    job_finding: float  # less the record penalty
    job_loss: float
    therapy_effect: float  # times the service match
    needs_growth: float


def search(world, params, stream, week: int) -> None:
    """Jobs are lost at a weekly rate and found at a rate lowered by record, stigma, needs and licence conditions.

    Needs grow without a job or a home and fall with NGO psychological support matched to them; the chance of a
    job reads them as they were before this week's change."""
    cohort, effects, reintegration, policy, present = world.cohort, params.effects, params.reintegration, params.policy, world.present
    uniform = stream.random(cohort.size)
    people = Jobseekers(
        people=present.people, employed=cohort.employed, housed=cohort.housed, needs=cohort.needs,
        local_stigma=present.local_stigma, employment_help=present.offered("employment"),
        therapy=present.offered("psychological"), on_licence=present.on_licence,
    )
    coefficients = JobCoefficients(
        stigma_barrier=effects.stigma_barrier, practical_help=effects.ngo_practical_help * policy.practical_help,
        # curfews, exclusion zones and reporting duties get in the way of work
        needs_capability=reintegration.needs_capability,
        licence_barrier=reintegration.licence_work_barrier * params.supervision.strictness,
        job_finding=effects.job_finding * (1 - effects.record_penalty), job_loss=effects.job_loss,
        therapy_effect=reintegration.therapy_effect * policy.service_match, needs_growth=reintegration.needs_growth,
    )
    present.barrier = look_for_work(people, uniform, coefficients)


@kernel
def look_for_work(cohort, uniform, coefficients):
    """Jobs lost and found, and needs updated, for the people present; returns what local stigma leaves of the
    chances (``barrier``, which housing reads too)."""
    employed, needs = cohort.employed, cohort.needs
    chances = np.empty(cohort.people.size)
    for row in range(cohort.people.size):
        chances[row] = left_by_stigma(coefficients.stigma_barrier, cohort.local_stigma[row])
        person = np.uint64(cohort.people[row])
        need = needs[person]
        help_jobs = 1 + coefficients.practical_help * cohort.employment_help[row]
        capability = 1 - coefficients.needs_capability * need
        capability *= 1 - coefficients.licence_barrier * (1.0 if cohort.on_licence[row] else 0.0)
        find = coefficients.job_finding * chances[row] * help_jobs * capability
        working = employed[person]
        lacking = (0.0 if working else 1.0) + (0.0 if cohort.housed[person] else 1.0)
        relief = coefficients.therapy_effect * cohort.therapy[row] * need
        needs[person] = unit_clip(need + (coefficients.needs_growth * lacking - relief))
        draw = uniform[person]
        employed[person] = draw >= coefficients.job_loss if working else draw < find
    return chances
