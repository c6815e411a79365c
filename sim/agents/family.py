"""Families (households): support they can give, what incarceration cost them, and the stigma they share."""

from __future__ import annotations

import numpy as np

from sim.agents.base import Column, Population, PopulationAgent


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

    def __init__(self, support_capacity: np.ndarray, reinforcing: np.ndarray, resources_lost: np.ndarray, visit_draw: np.ndarray) -> None:
        super().__init__(support_capacity.size)
        self.support_capacity = support_capacity
        self.reinforcing = reinforcing  # the family reinforces the offending identity
        self.resources_lost = resources_lost
        self.stigma_exposure = np.zeros(self.size)
        self.visits = np.zeros(self.size)
        self.visit_draw = visit_draw  # the family visits during custody when this is below the share that visit
