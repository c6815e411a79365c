"""Probation officers: caseloads, training and control orientation (used by ``sim.rules.supervision``)."""

from __future__ import annotations

import numpy as np

from sim.agents.base import Column, Population, PopulationAgent


class ProbationOfficer(PopulationAgent):
    """A probation officer with a caseload of released people on licence."""

    caseload = Column()
    trained = Column()
    control_orientation = Column()


class Probation(Population):
    """The probation service: who supervises whom, and each officer's training and orientation."""

    agent_type = ProbationOfficer

    def __init__(self, officer_of: np.ndarray, training_draw: np.ndarray, orientation_draw: np.ndarray) -> None:
        super().__init__(training_draw.size)
        self.officer_of = officer_of  # caseloads assigned in turn
        self.caseload = np.zeros(self.size, dtype=np.int64)
        self.trained = np.zeros(self.size, dtype=bool)
        self.control_orientation = np.zeros(self.size)
        self.training_draw = training_draw
        self.orientation_draw = orientation_draw
