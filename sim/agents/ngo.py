"""NGOs: places, waitlists, services, reputation, independence and willingness to cooperate."""

from __future__ import annotations

import numpy as np

from sim.agents.base import Column, Population, PopulationAgent

SERVICES = ("mentoring", "employment", "housing", "psychological", "family_support", "media_help", "community_dialogue")
NOT_ENROLLED, WAITING, ENROLLED = 0, 1, 2


class NgoAgent(PopulationAgent):
    """A civil-society organisation offering places and services to released people."""

    places = Column()
    reputation = Column()
    willingness = Column()
    independence = Column()


class Ngos(Population):
    """All NGOs; they take referrals within capacity, keep FIFO waitlists and react to failures."""

    agent_type = NgoAgent

    def __init__(self, model, size: int) -> None:
        super().__init__(model, size)
        settings = model.settings.ngo
        self.services = self.rng.random((size, len(SERVICES))) < settings.service_breadth
        self.services[:, 0] |= settings.service_breadth > 0  # mentoring is what every exit programme offers
        self.reputation = np.full(size, settings.reputation)
        self.willingness = np.full(size, settings.willingness)
        self.independence = np.full(size, settings.independence)
        self.places = np.zeros(size, dtype=np.int64)
        self.publicised = np.zeros(size)
        self.update_places()

    def services_for(self, ngo: np.ndarray, enrolled: np.ndarray) -> np.ndarray:
        """People x services: 1.0 where an enrolled person's NGO offers the service (rows of -1 get none)."""
        return (self.services[np.maximum(ngo, 0)] & (enrolled & (ngo >= 0))[:, None]).astype(float)

    def independence_of(self, ngo: np.ndarray) -> np.ndarray:
        return np.where(ngo >= 0, self.independence[np.maximum(ngo, 0)], self.independence.mean())

    def active_capacity(self) -> float:
        """How much of a full NGO sector is at work: places per person (capped at 1) times willingness."""
        return min(1.0, self.model.settings.ngo.capacity) * float(self.willingness.mean())

    def update_places(self) -> None:
        """Places offered: capacity, resources gained or spent through cooperation, and willingness."""
        model = self.model
        settings = model.settings.ngo
        base = settings.capacity * model.settings.population.released / self.size * model.policy.places_multiplier
        keen = np.clip(self.willingness / max(settings.willingness, 1e-9), 0, 1)
        self.places = np.floor(base * keen + 0.5).astype(np.int64)

    def take_referrals(self, referred: np.ndarray, week: int) -> None:
        """Step 3: referred people accept or refuse; the accepted are enrolled or wait for a place."""
        cohort = self.model.cohort
        self.end_programmes(week)
        if referred.size:
            ngo = self.rng.integers(0, self.size, referred.size)
            accept = cohort.trust_ngo[referred] * (0.5 + 0.5 * self.independence[ngo])
            accepted = self.rng.random(referred.size) < accept
            people, ngo = referred[accepted], ngo[accepted]
            cohort.ngo[people] = ngo
            cohort.ngo_status[people] = WAITING
            cohort.ngo_since[people] = week
        self.fill_places(week)

    def end_programmes(self, week: int) -> None:
        cohort = self.model.cohort
        done = np.flatnonzero((cohort.ngo_status == ENROLLED) & (week - cohort.ngo_since >= self.model.settings.ngo.programme_weeks))
        cohort.ngo_status[done] = NOT_ENROLLED
        cohort.ngo[done] = -1

    def fill_places(self, week: int) -> None:
        """Give free places to those waiting longest (first come, first served) at each NGO."""
        cohort = self.model.cohort
        enrolled = np.bincount(cohort.ngo[cohort.ngo_status == ENROLLED], minlength=self.size)
        free = np.maximum(self.places - enrolled, 0)
        waiting = np.flatnonzero(cohort.ngo_status == WAITING)
        if waiting.size == 0 or free.sum() == 0:
            return
        order = waiting[np.lexsort((waiting, cohort.ngo_since[waiting], cohort.ngo[waiting]))]
        ngo = cohort.ngo[order]
        rank = np.arange(order.size) - np.searchsorted(ngo, ngo)  # position in own NGO's queue
        admitted = order[rank < free[ngo]]
        cohort.ngo_status[admitted] = ENROLLED
        cohort.ngo_since[admitted] = week

    def leave(self, people: np.ndarray) -> None:
        """People taken into custody give up their place or their spot in the queue."""
        cohort = self.model.cohort
        cohort.ngo_status[people] = NOT_ENROLLED
        cohort.ngo[people] = -1

    def hear_of_offences(self, ngo: np.ndarray, enrolled: np.ndarray, extremist: np.ndarray) -> None:
        """A client's new offence may become public; the NGO is blamed (objective 8: scapegoating)."""
        chance = np.clip(self.model.settings.ngo.publicity * np.where(extremist, 2.0, 1.0), 0, 1)
        public = enrolled & (self.rng.random(ngo.size) < chance)
        np.add.at(self.publicised, ngo[public], 1.0)

    def update_standing(self) -> None:
        """Step 6: reputation and willingness fall with failures and cooperation's costs, and recover slowly."""
        model = self.model
        settings, policy = model.settings.ngo, model.policy
        community_stigma = float(model.community.stigma.mean())
        blame = 0.05 * policy.scapegoating * (0.5 + community_stigma) * self.publicised
        reputation_loss = blame + policy.campaign_reputation_cost + policy.mobilisation_reputation_risk * community_stigma
        recovery = settings.willingness_recovery
        old_reputation = self.reputation.copy()
        self.reputation += recovery * (settings.reputation - self.reputation) - reputation_loss
        np.clip(self.reputation, 0, 1, out=self.reputation)
        damage = np.maximum(old_reputation - self.reputation, 0)
        self.willingness += recovery * (settings.willingness - self.willingness) - policy.willingness_erosion - 0.5 * damage
        np.clip(self.willingness, 0, 1, out=self.willingness)
        self.independence[:] = policy.independence
        self.publicised[:] = 0
        self.update_places()
