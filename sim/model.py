"""ReintegrationModel: five kinds of Mesa agents on one social network, one step per week.

The weekly process follows MODEL.md section 3: events, community attitudes, NGO referrals,
probation, released people, custody and NGO standing, then outcomes. Each stage is a vectorised
rule of one agent population (``sim/agents/``); the model only wires them together.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import mesa
import numpy as np
import pandas as pd
import scipy.sparse as sparse
from mesa.discrete_space import Network

from sim import network as net
from sim.agents.community import Community
from sim.agents.family import Families
from sim.agents.ngo import Ngos
from sim.agents.probation import Probation
from sim.agents.released import Cohort, Status
from sim.errors import InputError
from sim.levers import Policy
from sim.outcomes import weekly_metrics
from sim.scenarios import apply_overrides, load_scenario
from sim.scenarios.loader import fixed_during_run
from sim.scenarios.schema import MediaShock, Scenario


class ReintegrationModel(mesa.Model):
    """Released people, families, NGOs, probation officers and community members on one network.

    ``scenario`` is a shipped name, a path to a YAML file, a dict or a ``Scenario``; keyword overrides
    use ``__`` for the dots (``supervision__strictness=0.9``) so that ``mesa.batch_run`` can sweep them.
    ``rng`` seeds the model's only random generator; by default the scenario's ``seed``.
    The validated scenario is ``model.settings`` (Mesa reserves ``model.scenario`` for its own use).
    """

    def __init__(self, scenario: str | dict | Scenario = "baseline", rng: Any = None, **overrides: Any) -> None:
        settings = load_scenario(scenario, {key.replace("__", "."): value for key, value in overrides.items()})
        super().__init__(rng=settings.seed if rng is None else rng)
        self.settings = settings
        self.policy = Policy.from_scenario(settings)
        self.week = 0
        self.event_log: list[tuple[int, str]] = []
        self.events = self.schedule_events(settings)
        self.build_world()
        self.metrics = weekly_metrics(self)
        self.datacollector = mesa.DataCollector(
            model_reporters={name: (lambda m, name=name: m.metrics[name]) for name in self.metrics}
        )
        self.datacollector.collect(self)
        self.running = settings.weeks > 0

    # ---- construction --------------------------------------------------------------------------

    def schedule_events(self, settings: Scenario) -> dict[int, list]:
        """Events by week (the loader has already checked that policy changes touch only policy keys)."""
        events: dict[int, list] = defaultdict(list)
        for event in settings.events:
            events[event.week].append(event)
        return events

    def build_world(self) -> None:
        """The network (Mesa space and sparse matrices) and the five agent populations on it."""
        settings, rng = self.settings, self.rng
        population = settings.population
        officers = int(np.ceil(population.released / settings.supervision.caseload))
        layout = net.Layout(population.community, population.released, population.released, population.ngos, officers)
        self.layout = layout

        community_edges = net.community_edges(settings.network, population.community, rng)
        influence = net.row_normalised(
            np.concatenate([community_edges[:, 0], community_edges[:, 1]]),
            np.concatenate([community_edges[:, 1], community_edges[:, 0]]),
            (population.community, population.community),
        ).tocsr()
        ties = min(settings.network.released_neighbours, population.community)
        homes = net.home_neighbourhoods(influence, population.released, ties, rng)
        people = np.repeat(np.arange(population.released), ties)
        neighbourhood = net.row_normalised(people, homes.ravel(), (population.released, population.community)).tocsr()
        self.contact_matrix = sparse.csr_matrix(
            (np.ones(people.size), (homes.ravel(), people)), shape=(population.community, population.released)
        )
        affinity = rng.random(population.community) < settings.network.associate_share
        affine = np.flatnonzero(affinity)
        associate_count = rng.poisson(settings.network.associates, population.released) if affine.size else np.zeros(population.released, dtype=np.int64)
        associate_of = np.repeat(np.arange(population.released), associate_count)
        associate_node = affine[rng.integers(0, affine.size, associate_of.size)] if affine.size else associate_of

        self.community = Community(self, population.community, influence, affinity)
        self.cohort = Cohort(self, population.released, neighbourhood, associate_count.astype(float))
        self.families = Families(self, population.released, self.cohort.extremist)
        self.ngos = Ngos(self, population.ngos)
        self.probation = Probation(self, officers, population.released)

        released, families = layout.block("released"), layout.block("families")
        officer_nodes = layout.block("officers")
        graph = net.mesa_graph(layout, [
            community_edges,
            np.stack([released[people], homes.ravel()], axis=1),
            np.stack([released[associate_of], associate_node], axis=1),
            np.stack([released, families], axis=1),
            np.stack([families, homes[:, 0]], axis=1),
            np.stack([released, officer_nodes[self.probation.officer_of]], axis=1),
        ])
        self.grid = Network(graph, layout=None, random=self.random)
        self.community.create_agents(layout.block("community"))
        self.cohort.create_agents(released)
        self.families.create_agents(families)
        self.ngos.create_agents(layout.block("ngos"))
        self.probation.create_agents(officer_nodes)

    # ---- the week ------------------------------------------------------------------------------

    def step(self) -> None:
        """One week, in the order of MODEL.md section 3."""
        self.week += 1
        week = self.week
        released = self.fire_events(week)
        self.community.step(self.contact_matrix @ self.cohort.in_community().astype(float))
        referred = np.union1d(self.probation.supervise(week), self.probation.refer_at_release(released))
        self.ngos.take_referrals(referred, week)
        self.cohort.step(week)
        self.cohort.serve_custody(week)
        self.ngos.update_standing()
        self.record()
        self.running = week < self.settings.weeks

    def fire_events(self, week: int) -> np.ndarray:
        """Step 1: scheduled media shocks and policy changes, then this week's releases."""
        for event in self.events.get(week, ()):
            if isinstance(event, MediaShock):
                self.media_shock(event.magnitude, event.label)
            else:
                self.change_policy(event.set, label=event.label)
        return self.cohort.release_due(week)

    def media_shock(self, magnitude: float = 0.3, label: str = "media shock") -> None:
        """An attack or scandal reported in the media: community stigma jumps, then decays."""
        self.community.media_shock(magnitude)
        self.event_log.append((self.week, label))

    def change_policy(self, changes: dict[str, Any], label: str = "policy change") -> None:
        """Change scenario values from this week on (validated like the scenario file)."""
        for key in changes:
            if fixed_during_run(tuple(key.replace("__", ".").split("."))):
                raise InputError("cannot be changed while the model runs", file=label, key=key, expected="a policy key")
        self.settings = apply_overrides(self.settings, changes, origin=label)
        self.policy = Policy.from_scenario(self.settings)
        self.probation.train()
        self.ngos.independence[:] = self.policy.independence
        self.ngos.update_places()
        self.event_log.append((self.week, label))

    # ---- outputs -------------------------------------------------------------------------------

    def record(self) -> None:
        """Step 7: this week's outcomes, read by the DataCollector's reporters."""
        self.metrics = weekly_metrics(self)
        self.datacollector.collect(self)

    def event_times(self) -> pd.DataFrame:
        """One row per released person: follow-up and first-event times in weeks since release (-1 = none)."""
        cohort = self.cohort
        released = cohort.release_week <= self.week
        return pd.DataFrame({
            "person": np.arange(cohort.size),
            "offence_type": np.where(cohort.extremist, "violent_extremist", "general"),
            "release_week": cohort.release_week,
            "followup": np.where(released, self.week - cohort.release_week + 1, 0),
            "first_offence": cohort.first_offence,
            "first_recall": cohort.first_recall,
            "first_return": cohort.first_return,
        })

    def status_counts(self) -> dict[str, int]:
        counts = np.bincount(self.cohort.status, minlength=len(Status))
        return {status.name.lower(): int(counts[status]) for status in Status}
