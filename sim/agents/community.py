"""Community members: their attitudes towards released people (changed by ``sim.rules.attitudes``)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sparse

from sim.agents.base import Column, Population, PopulationAgent
from sim.arrays import mean_of
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
        self.kept_mean: float | None = None  # ``keep_mean_stigma``'s, until forgotten

    def mean_stigma(self) -> float:
        """The members' mean stigma (``stigma.mean()``'s number): the one kept this week (``keep_mean_stigma``), or
        worked out afresh."""
        return self.kept_mean if self.kept_mean is not None else float(mean_of(self.stigma))

    def keep_mean_stigma(self) -> float:
        """The mean stigma, kept for the rest of the week: the NGO standing rule works it out after the last change of
        attitudes and the week's outcomes read it again (at 100,000 members a pass over them each time). The attitude
        rule, media shocks and the end of the week forget it (``forget_mean_stigma``), so it is never read stale."""
        self.kept_mean = float(mean_of(self.stigma))
        return self.kept_mean

    def forget_mean_stigma(self) -> None:
        """``stigma`` has changed, or may: ``mean_stigma`` works it out afresh."""
        self.kept_mean = None
