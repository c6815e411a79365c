"""The states people and places can be in, as the integers the population arrays store.

Kept apart from the agent classes (which need Mesa) so that outcomes, metrics and the command line
can read them without loading the model.
"""

from __future__ import annotations

from enum import IntEnum

NOT_YET = -1  # an event time that has not happened

NOT_ENROLLED, WAITING, ENROLLED = 0, 1, 2  # a released person's place with an NGO
# A released person's NGO when they have none: below every NGO's index, so the referral kernels, which work without
# branches, read such a person as NGO 0 (``max(ngo, 0)``) and count them for nothing.
NO_NGO = -1


class Status(IntEnum):
    """Custody status of a released person (stored as int8)."""

    IN_PRISON = 0  # serving the original sentence, not yet released
    ON_LICENCE = 1  # in the community under supervision
    LICENCE_ENDED = 2  # in the community, supervision over
    RECALLED = 3  # back in custody on recall, for breaching the licence or on a new charge, for a recall term
    RETURNED = 4  # back in custody with a new sentence for a new offence, to the end of the run


# The statuses as plain ints, for the weekly rules: numpy compares an array with an IntEnum member
# about twice as slowly as with an int, and the rules make a dozen such comparisons a week.
IN_PRISON, ON_LICENCE, LICENCE_ENDED, RECALLED, RETURNED = (int(status) for status in Status)
