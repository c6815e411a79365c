"""Released people: custody status, needs, bonds, trust, experienced stigma, breaches and event times."""

from __future__ import annotations

import numpy as np
from scipy import special

from sim.agents.base import Column, Population, PopulationAgent
from sim.agents.states import ENROLLED, IN_PRISON, LICENCE_ENDED, NO_NGO, NOT_YET, ON_LICENCE
from sim.compiled import kernel
from sim.network import averaging_rows

# The states the weekly checks compare with, as int8 arrays like the ones they are compared with: numpy compares
# an array with a Python int through its promotion rules, which at a few thousand people costs more than the comparison.
_ON_LICENCE, _LICENCE_ENDED, _ENROLLED = (np.array(state, dtype=np.int8) for state in (ON_LICENCE, LICENCE_ENDED, ENROLLED))
_ON_LICENCE.flags.writeable = _LICENCE_ENDED.flags.writeable = _ENROLLED.flags.writeable = False


VARIANCE_FLOOR = 1e-9  # keeps 1 / variance finite where the variance is 0 (``gamma_risk`` gives those people risk 1)


def gamma_quantile(quantile: np.ndarray, shape, scale) -> np.ndarray:
    """The gamma distribution's quantile function (what ``scipy.stats.gamma.ppf`` gives, without its wrappers)."""
    return special.gammaincinv(shape, quantile) * scale


def gamma_risk(quantile: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """Static risk with mean 1 and the given variance (gamma frailty), at the given quantiles."""
    shape = 1 / np.maximum(variance, VARIANCE_FLOOR)
    return np.where(variance > 0, gamma_quantile(quantile, shape, 1 / shape), 1.0)


class ReleasedPerson(PopulationAgent):
    """A person released (or due for release) from prison, followed week by week."""

    status = Column()
    extremist = Column()
    risk = Column()
    needs = Column()
    commitment = Column()
    engagement = Column()
    grievance = Column()
    employed = Column()
    housed = Column()
    family_bond = Column()
    prosocial_ties = Column()
    associates = Column()
    trust_government = Column()
    trust_ngo = Column()
    experienced_stigma = Column()
    ngo = Column()
    ngo_status = Column()
    first_offence = Column()
    first_terrorism_offence = Column()
    first_recall = Column()
    first_return = Column()
    first_violation = Column()


class Cohort(Population):
    """The released cohort as arrays: fixed traits drawn when the world is built, and weekly state."""

    agent_type = ReleasedPerson

    def __init__(self, size: int, neighbourhood) -> None:
        super().__init__(size)
        self.neighbourhood = neighbourhood  # row-normalised released x community ties
        self.averaging = averaging_rows(neighbourhood)  # the same, as the weekly rules multiply with it
        zeros = np.zeros(size)
        # active old associates of each person: counted from sim.world.build's associates, kept by sim.rules.associates
        self.associates = zeros.copy()
        # fixed traits, set by sim.world.build
        self.extremist = np.zeros(size, dtype=bool)
        self.release_week = np.ones(size, dtype=np.int64)
        self.licence_weeks = np.zeros(size, dtype=np.int64)  # each person's licence length
        self.base_hazard, self.risk_score, self.risk = zeros.copy(), zeros.copy(), zeros.copy()
        self.log_static_hazard = zeros.copy()  # log(base_hazard * risk): the hazard before dynamic factors
        self.commitment_draw, self.needs_draw, self.grievance_draw = zeros.copy(), zeros.copy(), zeros.copy()
        # each person's uniforms at the prison gate: a home, a job, a through-the-gate referral
        self.housed_draw, self.employed_draw, self.gate_referral_draw = zeros.copy(), zeros.copy(), zeros.copy()
        self.assessment_noise = zeros.copy()
        # weekly state
        self.status = np.full(size, IN_PRISON, dtype=np.int8)
        self.needs, self.commitment, self.grievance = zeros.copy(), zeros.copy(), zeros.copy()
        self.engagement = zeros.copy()  # behaviour: contact with the active movement (commitment is the ideology)
        self.family_bond, self.prosocial_ties = zeros.copy(), zeros.copy()
        self.trust_government, self.trust_ngo = zeros.copy(), zeros.copy()
        self.experienced_stigma, self.local_stigma = zeros.copy(), zeros.copy()
        self.around = zeros.copy()  # working space: the mean attitude around each person this week
        # set by the assessment at release (sim.rules.events.assess); before it, no one has been assessed
        self.assessed_priority = np.full(size, np.nan)
        self.employed = np.zeros(size, dtype=bool)
        self.housed = np.zeros(size, dtype=bool)
        self.breaching = np.zeros(size, dtype=bool)
        self.warnings = np.zeros(size, dtype=np.int64)
        self.custody_until = np.full(size, NOT_YET, dtype=np.int64)
        self.court_week = np.full(size, NOT_YET, dtype=np.int64)
        self.ngo = np.full(size, NO_NGO, dtype=np.int64)
        self.ngo_status = np.zeros(size, dtype=np.int8)  # 0 none, 1 waiting, 2 enrolled
        self.ngo_since = np.zeros(size, dtype=np.int64)
        self.first_offence = np.full(size, NOT_YET, dtype=np.int64)
        self.first_terrorism_offence = np.full(size, NOT_YET, dtype=np.int64)
        # what the subgroups of the events table are read from (kept by sim.outcomes.track_subgroups)
        self.assessed_at_release = np.full(size, np.nan)
        self.contacts_at_release = np.full(size, np.nan)
        self.ever_enrolled = np.zeros(size, dtype=bool)
        self.first_recall = np.full(size, NOT_YET, dtype=np.int64)
        self.first_return = np.full(size, NOT_YET, dtype=np.int64)
        self.first_violation = np.full(size, NOT_YET, dtype=np.int64)  # a breach detected (a warning or a recall)
        self.offences = np.zeros(size, dtype=np.int64)
        self.offences_known = np.zeros(size, dtype=np.int64)  # offences the supervising officer has heard of
        self.terrorism_offences = np.zeros(size, dtype=np.int64)
        self.recalls = np.zeros(size, dtype=np.int64)

    # ---- who is where -------------------------------------------------------------------------

    def in_community(self) -> np.ndarray:
        return (self.status == _ON_LICENCE) | (self.status == _LICENCE_ENDED)

    def enrolled(self) -> np.ndarray:
        return self.ngo_status == _ENROLLED

    def supported_share(self) -> float:
        """Share of people in the community enrolled with an NGO: the support others can see."""
        here = self.in_community()
        count = np.count_nonzero(here)
        return np.count_nonzero(self.enrolled() & here) / count if count else 0.0


@kernel
def mark_first(event_times, person, release_week, week):
    """Record this week, in weeks since release (the week of release is week 1), as ``person``'s first event if they
    have had none (``event_times`` is one of the cohort's ``first_*`` arrays): first-event curves count each person
    once. Called by the rules' kernels for each person an event befalls."""
    if event_times[person] == NOT_YET:
        event_times[person] = week - release_week[person] + 1


@kernel
def mark_first_each(event_times, people, release_week, week):
    """``mark_first`` for each of ``people``: this week is the first event of those who have had none."""
    for person in people:
        mark_first(event_times, person, release_week, week)


@kernel
def lives_in_community(state):
    """Whether a person of status ``state`` lives in the community: on licence or past it (``Cohort.in_community``
    of one person, inside a kernel)."""
    return state == ON_LICENCE or state == LICENCE_ENDED
