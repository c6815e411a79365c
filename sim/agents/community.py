"""Community members: their attitudes towards released people (changed by ``sim.rules.attitudes``)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sparse

from sim.agents.base import Column, Population, PopulationAgent
from sim.network import averaging_rows


class CommunityMember(PopulationAgent):
    """A member of the community, holding an attitude (stigma, 0-1) towards released people."""

    stigma = Column()
    prior = Column()
    susceptibility = Column()
    affinity = Column()
    contact = Column()


class Community(Population):
    """Attitudes (``stigma``), own anchors (``prior``), contact experience, media susceptibility and affinity, plus the influence matrix."""

    agent_type = CommunityMember

    def __init__(self, influence: sparse.csr_matrix, affinity: np.ndarray, prior: np.ndarray, susceptibility: np.ndarray) -> None:
        super().__init__(affinity.size)
        self.influence = influence  # row-normalised community adjacency (DeGroot weights)
        self.averaging = averaging_rows(influence)  # the same, as the weekly attitudes rule multiplies with it
        self.affinity = affinity
        self.affine = np.flatnonzero(affinity)  # members with affinity, for the weekly rules
        self.prior = prior
        self.stigma = prior.copy()
        self.susceptibility = susceptibility
        self.contact = np.zeros(self.size)  # contact experience: quality-weighted contact-weeks, fading
        # working space for the weekly rules, so they allocate nothing per week
        self.scratch, self.heard = np.empty(self.size), np.empty(self.size)
