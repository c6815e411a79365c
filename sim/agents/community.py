"""Community members: attitudes towards released people, moved by neighbours, media, contact and campaigns."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sparse

from sim.agents.base import Column, Population, PopulationAgent


class CommunityMember(PopulationAgent):
    """A member of the community, holding an attitude (stigma, 0-1) towards released people."""

    stigma = Column()
    prior = Column()
    susceptibility = Column()
    affinity = Column()


def beta_around(rng: np.random.Generator, mean: float, concentration: float, size: int) -> np.ndarray:
    """Beta draws with the given mean, clipped away from 0 and 1 so both shape parameters stay positive."""
    mean = float(np.clip(mean, 1e-3, 1 - 1e-3))
    return rng.beta(mean * concentration, (1 - mean) * concentration, size)


class Community(Population):
    """Friedkin-Johnsen opinion dynamics on the community graph, plus contact, campaigns and backlash."""

    agent_type = CommunityMember

    def __init__(self, model, size: int, influence: sparse.csr_matrix, affinity: np.ndarray) -> None:
        super().__init__(model, size)
        settings = model.settings.stigma
        self.influence = influence
        self.affinity = affinity
        self.prior = beta_around(self.rng, settings.baseline, settings.concentration, size)
        # members with affinity to extremist or criminal networks do not reject released people
        self.prior[affinity] *= 0.2
        self.stigma = self.prior.copy()
        self.susceptibility = beta_around(self.rng, settings.media_susceptibility, 4.0, size)

    def step(self, contact: np.ndarray) -> None:
        """One week of attitude change; `contact` counts released neighbours living in the community."""
        self.listen_to_neighbours()
        self.meet_released_people(contact)
        self.hear_dialogue_campaigns()
        self.resent_visible_support()

    def listen_to_neighbours(self) -> None:
        """DeGroot averaging with a pull back to one's own prior (Friedkin-Johnsen), in place."""
        settings = self.model.settings.stigma
        influence, anchoring = settings.social_influence, settings.anchoring
        # s <- (1 - anchoring) ((1 - influence) s + influence W s) + anchoring prior
        heard = self.influence @ self.stigma
        heard *= influence * (1 - anchoring)
        self.stigma *= (1 - influence) * (1 - anchoring)
        self.stigma += heard
        np.multiply(self.prior, anchoring, out=heard)
        self.stigma += heard

    def meet_released_people(self, contact: np.ndarray) -> None:
        """Contact lowers prejudice durably (Pettigrew & Tropp 2006); better contact under campaigns."""
        effect = self.model.settings.stigma.contact_effect * self.model.policy.contact_quality
        relief = np.minimum(contact, 3)
        relief *= -effect
        relief += 1
        self.stigma *= relief
        self.prior *= relief

    def hear_dialogue_campaigns(self) -> None:
        """NGO dialogue campaigns reach a random share of members each week, in proportion to NGO capacity."""
        model = self.model
        reach = model.settings.ngo.dialogue_reach * model.policy.dialogue * model.ngos.active_capacity()
        if reach <= 0:
            return
        # draw who is reached without a random number per member: the count, then the members
        reached = np.unique(self.rng.integers(0, self.size, self.rng.binomial(self.size, min(1.0, reach))))
        self.stigma[reached] *= 0.8
        self.prior[reached] *= 0.9

    def resent_visible_support(self) -> None:
        """Prejudiced members resent support that released people get and others do not (objective 10)."""
        model = self.model
        visible = model.policy.visible_support * model.cohort.supported_share()
        if visible <= 0:
            return
        push = 0.02 * model.settings.stigma.resentment * visible
        for attitude in (self.stigma, self.prior):  # attitude += push * attitude * (1 - attitude)
            change = 1 - attitude
            change *= attitude
            change *= push
            attitude += change

    def media_shock(self, magnitude: float) -> None:
        """An attack or scandal in the media raises stigma, most among susceptible members; anchoring decays it."""
        self.stigma += magnitude * self.susceptibility * (1 - self.stigma)
        self.stigma[self.affinity] *= 0.5
