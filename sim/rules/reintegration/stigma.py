"""Experienced stigma follows the attitudes of each person's neighbours; NGO media help buffers it (objective 10)."""

from __future__ import annotations

import numpy as np

from sim.arrays import clip_unit, moved, unit_clip
from sim.compiled import kernel
from sim.network import product_into, row_product


def stigma_around(world, params, people: np.ndarray) -> np.ndarray:
    """Mean attitude of each person's neighbours, heavier for a violent-extremist label."""
    cohort = world.cohort
    around = product_into(cohort.neighbourhood, world.community.stigma, cohort.around)[people]
    label = np.where(cohort.extremist[people], params.stigma.extremist_label, 1.0)
    return clip_unit(around * label)


def feel(world, params, stream, week: int) -> None:
    """Local stigma is what neighbours think; experienced stigma moves towards it at ``stigma.perception_rate``."""
    cohort, present = world.cohort, world.present
    neighbourhood = cohort.neighbourhood
    present.local_stigma = feel_stigma(
        neighbourhood.indptr, neighbourhood.indices, neighbourhood.data, world.community.stigma, cohort.around,
        present.people, cohort.extremist, params.stigma.extremist_label, present.offered("media_help"),
        params.policy.stigma_buffer, params.stigma.perception_rate, cohort.local_stigma, cohort.experienced_stigma,
    )


@kernel
def feel_stigma(indptr, indices, weights, attitudes, around, people, extremist, extremist_label, media_help, stigma_buffer,
                perception_rate, local_stigma, experienced_stigma):
    """The mean attitude around everyone (``cohort.around``, summed in each row's order as scipy's product is), the local
    stigma of the people present (returned), and their experienced stigma moving towards it, buffered by media help."""
    for person in range(around.size):
        around[person] = row_product(indptr, indices, weights, attitudes, person)
    local = np.empty(people.size)
    for row in range(people.size):
        person = np.uint64(people[row])
        label = extremist_label if extremist[person] else 1.0
        local[row] = unit_clip(around[person] * label)
        local_stigma[person] = local[row]
        target = local[row] * (1 - stigma_buffer * media_help[row])
        experienced = experienced_stigma[person]
        experienced_stigma[person] = moved(experienced, target, perception_rate)
    return local
