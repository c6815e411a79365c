"""Probation officers: contacts, breach detection, warn-or-recall discretion, and referrals to NGOs."""

from __future__ import annotations

import numpy as np

from sim.agents.base import Column, Population, PopulationAgent
from sim.agents.ngo import NOT_ENROLLED
from sim.agents.released import Status
from sim.levers import STAFF_SCEPTICISM


class ProbationOfficer(PopulationAgent):
    """A probation officer with a caseload of released people on licence."""

    caseload = Column()
    trained = Column()
    control_orientation = Column()


class Probation(Population):
    """The probation service: supervision is risk-led (RNR) when assessment is good (objective 5)."""

    agent_type = ProbationOfficer

    def __init__(self, model, size: int, cohort_size: int) -> None:
        super().__init__(model, size)
        self.officer_of = np.arange(cohort_size) % size  # caseloads assigned in turn
        self.caseload = np.zeros(size, dtype=np.int64)
        self.trained = np.zeros(size, dtype=bool)
        self.control_orientation = np.zeros(size)
        self.training_draw = self.rng.random(size)
        self.orientation_draw = self.rng.random(size)
        self.train()

    def train(self) -> None:
        """Civil-society training reaches some officers; sceptics stay as they were (objective 4)."""
        settings = self.model.settings
        self.trained = self.training_draw < settings.cooperation.staff_training * (1 - STAFF_SCEPTICISM)
        control = settings.supervision.strictness + 0.3 * (self.orientation_draw - 0.5)
        self.control_orientation = np.clip(control - 0.3 * self.trained, 0, 1)

    def supervise(self, week: int) -> np.ndarray:
        """Step 4: contacts detect last week's breaches; officers warn or recall; they refer to NGOs.

        Returns the people referred to NGOs this week (including through-the-gate referrals at release).
        """
        cohort = self.model.cohort
        supervised = np.flatnonzero(cohort.status == Status.ON_LICENCE)
        self.caseload = np.bincount(self.officer_of[supervised], minlength=self.size)
        if supervised.size == 0:
            return supervised
        self.respond_to_breaches(supervised, week)
        return self.refer(supervised)

    def contact_intensity(self, people: np.ndarray) -> np.ndarray:
        """Contacts per week: set by strictness, shifted towards those assessed as higher risk."""
        return self.model.policy.contacts * (0.25 + 1.5 * self.model.cohort.assessed_priority[people])

    def respond_to_breaches(self, supervised: np.ndarray, week: int) -> None:
        cohort, policy = self.model.cohort, self.model.policy
        breaching = supervised[cohort.breaching[supervised]]
        cohort.breaching[supervised] = False
        if breaching.size == 0:
            return
        detection = self.model.settings.supervision.detection
        seen = -np.expm1(-self.contact_intensity(breaching) * detection)
        detected = breaching[self.rng.random(breaching.size) < seen]
        officer = self.officer_of[detected]
        warned_enough = cohort.warnings[detected] >= self.model.settings.supervision.warnings
        discretion = policy.recall_discretion * (0.7 + 0.6 * self.control_orientation[officer])
        recall = warned_enough & (self.rng.random(detected.size) < discretion)
        cohort.warnings[detected[~recall]] += 1
        cohort.recall(detected[recall], week)

    def refer(self, supervised: np.ndarray) -> np.ndarray:
        """Officers refer unenrolled supervisees to NGOs, higher assessed need first; trust prompts self-referral."""
        cohort, model = self.model.cohort, self.model
        free = supervised[cohort.ngo_status[supervised] == NOT_ENROLLED]
        trained = self.trained[self.officer_of[free]]
        rate = model.policy.referral_rate * (1 + 0.5 * trained) * (0.25 + 1.5 * cohort.assessed_priority[free])
        referred = free[self.rng.random(free.size) < rate]
        here = np.flatnonzero(cohort.in_community() & (cohort.ngo_status == NOT_ENROLLED))
        asks = here[self.rng.random(here.size) < model.settings.ngo.self_referral * cohort.trust_ngo[here]]
        return np.union1d(referred, asks)

    def refer_at_release(self, released: np.ndarray) -> np.ndarray:
        """Through-the-gate referrals: support that starts at the prison gate (objective 8)."""
        return released[self.rng.random(released.size) < self.model.policy.through_the_gate]
