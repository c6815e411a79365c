"""Families (households): support they can give, what incarceration cost them, and the stigma they share."""

from __future__ import annotations

import numpy as np

from sim.agents.base import Column, Population, PopulationAgent
from sim.agents.community import beta_around


class Family(PopulationAgent):
    """The household of one released person."""

    support_capacity = Column()
    resources_lost = Column()
    reinforcing = Column()
    stigma_exposure = Column()
    visits = Column()


class Families(Population):
    """One household per released person (row i is the family of person i)."""

    agent_type = Family

    def __init__(self, model, size: int, extremist: np.ndarray) -> None:
        super().__init__(model, size)
        rng = self.rng
        self.support_capacity = beta_around(rng, 0.6, 4.0, size)
        # a minority of families reinforce the offending identity (more often for violent extremists)
        self.reinforcing = rng.random(size) < np.where(extremist, 0.25, 0.15)
        self.resources_lost = beta_around(rng, 0.4, 4.0, size)
        self.stigma_exposure = np.zeros(size)
        self.visits = np.zeros(size)
        self.visit_draw = rng.random(size)

    def bond_at_release(self, people: np.ndarray) -> np.ndarray:
        """Visits during custody and NGO family support keep bonds (Duwe & Clark 2013; objective 7)."""
        policy = self.model.policy
        self.visits[people] = np.clip(policy.visits * 2 * self.visit_draw[people], 0, 1)
        self.resources_lost[people] *= 1 - policy.family_support
        kept = 0.15 + 0.6 * self.visits[people] + 0.25 * policy.family_support
        return np.clip(self.support_capacity[people] * kept, 0, 1)

    def support_available(self, people: np.ndarray, local_stigma: np.ndarray) -> np.ndarray:
        """Support a household can give this week: less when it lost resources or shares the stigma."""
        policy = self.model.policy
        self.stigma_exposure[people] = np.clip(local_stigma * (0.5 + policy.family_visibility), 0, 1)
        employed = self.model.cohort.employed[people]
        self.resources_lost[people] = np.clip(self.resources_lost[people] - 0.01 * employed, 0, 1)
        # families who kept visiting stay engaged after release (Duwe & Clark 2013)
        engaged = (0.4 + 0.6 * self.visits[people]) / 0.7  # 1 on average at the default visits (0.5)
        support = self.support_capacity[people] * engaged * (1 - 0.5 * self.resources_lost[people]) * (1 - 0.4 * self.stigma_exposure[people])
        return np.where(self.reinforcing[people], 0.5 * support, support)
