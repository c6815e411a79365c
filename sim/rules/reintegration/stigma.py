"""Experienced stigma follows the attitudes of each person's neighbours; NGO media help buffers it (objective 10)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.arrays import clip_unit, moved, unit_clip
from sim.compiled import kernel
from sim.network import averages_into


def stigma_around(world, params, people: np.ndarray) -> np.ndarray:
    """Mean attitude of each person's neighbours, heavier for a violent-extremist label."""
    cohort = world.cohort
    averages_into(cohort.averaging, world.community.stigma, cohort.around)
    around = cohort.around[people]
    label = np.where(cohort.extremist[people], params.stigma.extremist_label, 1.0)
    return clip_unit(around * label)


class Perceivers(NamedTuple):
    """The arrays ``feel_stigma`` reads and writes of the cohort (by person) and of the people present (rows)."""

    around: np.ndarray  # written for everyone: the mean attitude of their neighbours
    people: np.ndarray
    extremist: np.ndarray
    media_help: np.ndarray  # rows
    local_stigma: np.ndarray  # written, as experienced stigma
    experienced_stigma: np.ndarray


class PerceptionCoefficients(NamedTuple):
    """The scenario's numbers ``feel_stigma`` reads."""

    extremist_label: float
    stigma_buffer: float
    perception_rate: float


def feel(world, params, stream, week: int) -> None:
    """Local stigma is what neighbours think; experienced stigma moves towards it at ``stigma.perception_rate``."""
    cohort, present = world.cohort, world.present
    people = Perceivers(
        around=cohort.around, people=present.people, extremist=cohort.extremist,
        media_help=present.offered("media_help"), local_stigma=cohort.local_stigma,
        experienced_stigma=cohort.experienced_stigma,
    )
    coefficients = PerceptionCoefficients(extremist_label=params.stigma.extremist_label,
                                          stigma_buffer=params.policy.stigma_buffer,
                                          perception_rate=params.stigma.perception_rate)
    present.local_stigma = feel_stigma(cohort.averaging, world.community.stigma, people, coefficients)


@kernel
def feel_stigma(neighbourhood, attitudes, cohort, coefficients):
    """The mean attitude around everyone (``cohort.around``, summed in each row's order as scipy's product is), the local
    stigma of the people present (returned), and their experienced stigma moving towards it, buffered by media help.
    ``neighbourhood`` is the released people's averaging matrix (``Cohort.averaging``)."""
    around, experienced_stigma = cohort.around, cohort.experienced_stigma
    averages_into(neighbourhood, attitudes, around)
    local = np.empty(cohort.people.size)
    for row in range(cohort.people.size):
        person = np.uint64(cohort.people[row])
        label = coefficients.extremist_label if cohort.extremist[person] else 1.0
        local[row] = unit_clip(around[person] * label)
        cohort.local_stigma[person] = local[row]
        target = local[row] * (1 - coefficients.stigma_buffer * cohort.media_help[row])
        experienced = experienced_stigma[person]
        experienced_stigma[person] = moved(experienced, target, coefficients.perception_rate)
    return local
