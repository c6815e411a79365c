"""Step 5: reintegration of released people in the community — stigma, jobs, housing, family, identity, trust.

The rules' arithmetic over people runs in compiled loops (``sim.compiled.kernel``), each giving what the numpy
expressions it replaced gave, to the last bit: same order of operations, same types. They index people's arrays
with unsigned positions (``np.uint64(people[row])``): numba then reads without checking for negative indices, which
halves the time of a gather.
"""

from __future__ import annotations

import numpy as np

from sim.agents.released import lives_in_community
from sim.agents.states import ENROLLED, NO_NGO, ON_LICENCE
from sim.compiled import kernel
from sim.world import Present


def present(world, params, stream, week: int) -> None:
    """Who is in the community this week and which NGO services each receives (read by the reintegration rules)."""
    cohort = world.cohort
    people, ngo, enrolled, offers, on_licence = in_community(cohort.status, cohort.ngo, cohort.ngo_status, world.ngos.offer_table)
    world.present = Present(people, ngo, enrolled, offers, on_licence)


@kernel
def in_community(status: np.ndarray, ngo_of: np.ndarray, ngo_status: np.ndarray, offer_table: np.ndarray):
    """The people on licence or past it, their NGO, enrolment, licence and the services they receive: 1.0 where an
    enrolled person's NGO offers the service (the NGO's column of ``Ngos.offer_table``; the last, all 0.0, for no NGO)."""
    count = 0
    for person in range(status.size):
        if lives_in_community(status[person]):
            count += 1
    people = np.empty(count, dtype=np.int64)
    ngo = np.empty(count, dtype=ngo_of.dtype)
    enrolled = np.empty(count, dtype=np.bool_)
    on_licence = np.empty(count, dtype=np.bool_)
    row = 0
    for person in range(status.size):
        if lives_in_community(status[person]):
            people[row] = person
            ngo[row] = ngo_of[person]
            enrolled[row] = ngo_status[person] == ENROLLED
            on_licence[row] = status[person] == ON_LICENCE
            row += 1
    offers = np.empty((offer_table.shape[0], count))
    last = np.uint64(offer_table.shape[1] - 1)
    for service in range(offer_table.shape[0]):
        offered = offer_table[service]
        received = offers[service]
        for row in range(count):
            received[row] = offered[np.uint64(ngo[row]) if ngo[row] != NO_NGO else last] * (1.0 if enrolled[row] else 0.0)
    return people, ngo, enrolled, offers, on_licence
