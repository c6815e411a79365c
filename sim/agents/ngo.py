"""NGOs: places, services, reputation, independence and willingness to cooperate."""

from __future__ import annotations

import numpy as np

from sim.agents.base import Column, Population, PopulationAgent

SERVICES = ("mentoring", "employment", "housing", "psychological", "family_support", "media_help", "community_dialogue")


class NgoAgent(PopulationAgent):
    """A civil-society organisation offering places and services to released people."""

    places = Column()
    reputation = Column()
    willingness = Column()
    independence = Column()


class Ngos(Population):
    """All NGOs: services offered, standing, and the places they offer this week."""

    agent_type = NgoAgent

    def __init__(self, services: np.ndarray, reputation: float, willingness: float, independence: float) -> None:
        super().__init__(services.shape[0])
        self.services = services  # NGOs x SERVICES, True where offered
        # SERVICES x (NGOs + 1), 1.0 where offered; the last column, all 0.0, is what a person with no NGO (NO_NGO) gets
        self.offer_table = np.concatenate((services.T, np.zeros((services.shape[1], 1), dtype=bool)), axis=1).astype(float)
        self.reputation = np.full(self.size, reputation)
        self.willingness = np.full(self.size, willingness)
        self.independence = np.full(self.size, independence)
        self.places = np.zeros(self.size, dtype=np.int64)
        self.publicised = np.zeros(self.size)  # clients' offences made public this week

