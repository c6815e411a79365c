"""Experienced stigma follows the attitudes of each person's neighbours; NGO media help buffers it (objective 10)."""

from __future__ import annotations

import numpy as np

from sim.arrays import clip_unit, move_towards
from sim.network import product_into


def stigma_around(world, params, people: np.ndarray) -> np.ndarray:
    """Mean attitude of each person's neighbours, heavier for a violent-extremist label."""
    cohort = world.cohort
    around = product_into(cohort.neighbourhood, world.community.stigma, cohort.around)[people]
    label = np.where(cohort.extremist[people], params.stigma.extremist_label, 1.0)
    return clip_unit(around * label)


def feel(world, params, stream, week: int) -> None:
    """Local stigma is what neighbours think; experienced stigma moves towards it at ``stigma.perception_rate``."""
    cohort, here = world.cohort, world.present.people
    local = world.present.local_stigma = stigma_around(world, params, here)
    cohort.local_stigma[here] = local
    buffer = 1 - params.policy.stigma_buffer * world.present.offered("media_help")
    move_towards(cohort.experienced_stigma, here, local * buffer, params.stigma.perception_rate)
