"""Agents whose state lives in their population's numpy arrays.

Each Mesa agent is a light view on one row of its population: reading ``person.stigma`` reads
``population.stigma[person.index]``. The weekly rules (``sim/rules/``) run on whole arrays, while
Mesa users still see ordinary agents on the network. The views are created only when someone asks
for ``model.agents`` (or the network), so runs that only need outcomes never pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa.discrete_space import FixedAgent

if TYPE_CHECKING:
    from mesa.discrete_space import Cell

    from sim.model import ReintegrationModel


class Column:
    """Descriptor exposing one array of the population as an attribute of each agent."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        value = getattr(agent.population, self.name)[agent.index]
        return value.item() if isinstance(value, np.generic) else value

    def __set__(self, agent, value) -> None:
        getattr(agent.population, self.name)[agent.index] = value


class PopulationAgent(FixedAgent):
    """A Mesa agent placed on its own network cell, backed by row ``index`` of ``population``."""

    def __init__(self, model: ReintegrationModel, population: Population, index: int, cell: Cell) -> None:
        super().__init__(model)
        self.population = population
        self.index = index
        self.cell = cell

    def step(self) -> None:
        """Agents act together, rule by rule: see ``sim.schedule.SCHEDULE``."""


class Population:
    """The arrays behind one agent type (state only: the rules that change them are in ``sim/rules/``)."""

    agent_type: type[PopulationAgent] = PopulationAgent

    def __init__(self, size: int) -> None:
        self.size = size

    def create_agents(self, model: ReintegrationModel, nodes: np.ndarray, cells: dict) -> list[PopulationAgent]:
        """One Mesa agent per row, each on the network cell of its node."""
        agent_type = self.agent_type
        self.agents = [agent_type(model, self, index, cells[int(node)]) for index, node in enumerate(nodes)]
        self.nodes = np.asarray(nodes)
        return self.agents
