"""ReintegrationModel: five kinds of Mesa agents on one social network, one step per week.

The weekly process follows docs/ODD.md section 3: events, community attitudes, NGO referrals,
supervision, reintegration, custody and NGO standing, then outcomes. The rules live in
``sim/rules/`` (one module per submodel) and run in the order of ``sim.schedule.SCHEDULE``; the
populations they change are in ``sim/agents/``; ``sim.world`` builds them. Mesa's network space and
agents are built only when first asked for (``model.grid``, ``model.agents``, ``model.agents_by_type``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Annotated, Any

import mesa
import numpy as np
import pandas as pd
from mesa.discrete_space import Network
from pydantic import TypeAdapter, ValidationError

from sim import network as net
from sim import world as world_building
from sim.agents.states import Status
from sim.errors import InputError
from sim.levers import Policy
from sim.outcomes import subgroup_columns, track_subgroups, weekly_metrics
from sim.rules.attitudes import media_shock
from sim.rules.events import backlash
from sim.rules.standing import apply_policy
from sim.rules.supervision import train
from sim.scenarios import apply_overrides, load_scenario
from sim.scenarios.explain import SCENARIO, describe
from sim.scenarios.loader import fixed_during_run
from sim.scenarios.schema import Scenario
from sim.scenarios.timed_events import MediaShock
from sim.schedule import SCHEDULE, rule_name
from sim.streams import Streams, check_rng, seed_sequence


class MetricsCollector(mesa.DataCollector):
    """Mesa's DataCollector, collecting the week's metrics (plain numbers) in one pass.

    Its model reporters read ``model.metrics`` like any reporter would, so users can call them and
    ``get_model_vars_dataframe`` as usual; ``collect`` just skips Mesa's per-reporter deep copies.
    """

    def collect(self, model: ReintegrationModel) -> None:
        if self.agent_reporters or self.agenttype_reporters or set(self.model_reporters) != set(model.metrics):
            super().collect(model)
            return
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        for name, value in model.metrics.items():
            self.model_vars[name].append(value)


class ReintegrationModel(mesa.Model):
    """Released people, families, NGOs, probation officers and community members on one network.

    ``scenario`` is a shipped name, a path to a YAML file, a dict or a ``Scenario``; keyword overrides
    use ``__`` for the dots (``supervision__strictness=0.9``) so that ``mesa.batch_run`` can sweep them.
    ``rng`` seeds the run: every rule draws from its own stream spawned from it (``sim.streams``). Without
    one the run uses the scenario's ``seed``, so ``mesa.batch_run``'s ``iterations=N``, which passes none,
    gives N copies of one run: pass ``rng=[...]`` instead. The validated scenario is ``model.settings`` (Mesa reserves
    ``model.scenario`` for its own use).
    """

    def __init__(self, scenario: str | dict | Scenario = "baseline", rng: Any = None, **overrides: Any) -> None:
        rng = check_rng(rng)
        try:
            settings = load_scenario(scenario, {key.replace("__", "."): value for key, value in overrides.items()})
        except InputError as error:
            raise as_keywords(error, overrides) from None
        seed = settings.seed if rng is None else rng
        super().__init__(rng=seed)
        self.settings = settings
        self.params = world_building.Params(settings, Policy.from_scenario(settings))
        self.streams = Streams(seed_sequence(seed))
        self.week = 0
        self.event_log: list[tuple[int, str]] = []
        self.events = self.schedule_events(settings)
        self.world = world_building.build(settings, self.streams)
        self._grid: Network | None = None
        train(self.world, self.params)
        apply_policy(self.world, self.params)
        self.rules = [(rule, self.streams[rule_name(rule)]) for rule in SCHEDULE]
        self.backlash_stream = self.streams[rule_name(backlash)]  # fired with the media shock, not scheduled
        self.metrics = weekly_metrics(self)
        self.datacollector = MetricsCollector(
            model_reporters={name: (lambda m, name=name: m.metrics[name]) for name in self.metrics}
        )
        self.datacollector.collect(self)
        self.running = settings.weeks > 0

    # ---- the populations and the network --------------------------------------------------------

    @property
    def policy(self) -> Policy:
        return self.params.policy

    @property
    def community(self):
        return self.world.community

    @property
    def cohort(self):
        return self.world.cohort

    @property
    def families(self):
        return self.world.families

    @property
    def ngos(self):
        return self.world.ngos

    @property
    def probation(self):
        return self.world.probation

    @property
    def layout(self) -> net.Layout:
        return self.world.layout

    @property
    def contact_matrix(self):
        return self.world.contact_matrix

    @property
    def grid(self) -> Network:
        """Mesa's network space with one agent per person, household, NGO and officer, built on first access."""
        if self._grid is None:
            layout = self.world.layout
            self._grid = Network(net.mesa_graph(layout, self.world.edges), layout=None, random=self.random)
            cells = self._grid._cells
            for name, population in (("community", self.community), ("released", self.cohort), ("families", self.families),
                                     ("ngos", self.ngos), ("officers", self.probation)):
                population.create_agents(self, layout.block(name), cells)
        return self._grid

    @property
    def agents(self):
        self.grid  # noqa: B018 - builds the agents on first access
        return super().agents

    @property
    def agents_by_type(self):
        self.grid  # noqa: B018 - builds the agents on first access
        return super().agents_by_type

    def schedule_events(self, settings: Scenario) -> dict[int, list]:
        """Events by week (the loader has already checked that policy changes touch only policy keys)."""
        events: dict[int, list] = defaultdict(list)
        for event in settings.events:
            events[event.week].append(event)
        return events

    # ---- the week ------------------------------------------------------------------------------

    def step(self) -> None:
        """One week: this week's events, then the rules of ``sim.schedule.SCHEDULE`` in order, then outcomes."""
        self.week += 1
        week = self.week
        self.fire_events(week)
        world, params = self.world, self.params
        for rule, stream in self.rules:
            rule(world, params, stream, week)
        self.record()
        self.running = week < self.settings.weeks

    def fire_events(self, week: int) -> None:
        """Step 1: scheduled media shocks and policy changes, and the shock of last week's publicised
        terrorism offences (releases follow, in ``sim.rules.events``)."""
        for event in self.events.get(week, ()):
            if isinstance(event, MediaShock):
                self.media_shock(event.magnitude, event.label)
            else:
                self.change_policy(event.set, label=with_values(event.label, event.set))
        self.publicised_reoffence()

    def publicised_reoffence(self) -> None:
        """A released person's terrorism offence in the news: a media shock, the movement's backlash
        (``sim.rules.events.backlash``) and stricter licences (``media.*``), once a week however many were publicised;
        nothing when the scenario's ``media.publicised_reoffence_shock`` is off."""
        world, media = self.world, self.params.media
        publicised, world.publicised_terrorism = world.publicised_terrorism, 0
        if not (publicised and media.publicised_reoffence_shock):
            return
        self.media_shock(media.magnitude, "terrorism offence by a released person publicised")
        backlash(world, self.params, self.backlash_stream, self.week)
        if media.backlash_strictness:  # a policy change: it rebuilds the parameters every later rule reads
            strictness = min(1.0, self.settings.supervision.strictness + media.backlash_strictness)
            changes = {"supervision.strictness": strictness}
            self.change_policy(changes, label=with_values("backlash: stricter licences", changes))

    def media_shock(self, magnitude: float, label: str = "media shock") -> None:
        """An attack or scandal reported in the media: community stigma jumps, then decays.

        ``magnitude`` is the rise of a fully susceptible member as a share of the distance to 1, as in a
        scenario's ``media_shock`` event, and checked by the same rule (``MediaShock.magnitude``)."""
        media_shock(self.world, self.params, checked_magnitude(magnitude))
        self.event_log.append((self.week, label))

    def change_policy(self, changes: dict[str, Any], label: str = "policy change") -> None:
        """Change scenario values from this week on (validated like the scenario file); a key is dotted, or a section
        mapping its keys (``{"supervision": {"strictness": 0.9}}``), and every key it reaches is checked."""
        if not isinstance(changes, Mapping) or not all(isinstance(key, str) for key in changes):
            raise InputError(f"must map dotted keys to values (got {changes!r})", file=label, key="changes",
                             expected="a mapping such as {'supervision.strictness': 0.9}")
        for path in key_paths(changes):
            if fixed_during_run(path):
                raise InputError("cannot be changed while the model runs: it shapes the world when the model is built",
                                 file=label, key=".".join(path), expected="a policy key, such as supervision.strictness")
        self.settings = apply_overrides(self.settings, changes, origin=label)
        self.params = world_building.Params(self.settings, Policy.from_scenario(self.settings))
        train(self.world, self.params)
        apply_policy(self.world, self.params)
        self.event_log.append((self.week, label))

    # ---- outputs -------------------------------------------------------------------------------

    def record(self) -> None:
        """Step 8: this week's outcomes, read by the DataCollector's reporters."""
        track_subgroups(self)
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
            "first_terrorism_offence": cohort.first_terrorism_offence,
            "first_recall": cohort.first_recall,
            "first_return": cohort.first_return,
            "first_violation": cohort.first_violation,
            **subgroup_columns(cohort, released),
        })

    def status_counts(self) -> dict[str, int]:
        counts = np.bincount(self.cohort.status, minlength=len(Status))
        return {status.name.lower(): int(counts[status]) for status in Status}


MAGNITUDE = MediaShock.model_fields["magnitude"]
MAGNITUDE_RULE = TypeAdapter(Annotated[MAGNITUDE.annotation, *MAGNITUDE.metadata])
"""What a media shock's magnitude may be: the schema's rule for a scenario's ``media_shock`` event, stated there once."""


def checked_magnitude(magnitude: object) -> float:
    """A live media shock's magnitude, refused in the words a scenario file's ``media_shock`` event would be (strictly,
    as the scenario is read: ``True`` or ``'0.3'`` is no number)."""
    try:
        return MAGNITUDE_RULE.validate_python(magnitude, strict=True)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        _, message, expected = describe(error, ("events", 0, "magnitude"), {"events": [{"kind": "media_shock"}]},
                                        SCENARIO, "media_shock")
        raise InputError(message, key="magnitude", expected=expected) from None


def with_values(label: str, changes: Mapping[str, Any]) -> str:
    """A scheduled change's label with what it sets, in words ('tougher licence conditions (supervision strictness
    0.9)'): the dashboard marks it on the curves, and with the label alone a trainer read the slider, which stays
    where the scenario started it, for the setting in force."""
    from sim.scenarios.names import in_sentence, name_in_text

    said = [f"{in_sentence(name_in_text('.'.join(path)) or '.'.join(path))} "
            f"{f'{value:g}' if isinstance(value, float) else value}" for path, value in key_values(changes)]
    return f"{label} ({'; '.join(said)})" if said else label


def key_values(changes: Mapping[str, Any], within: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every key `changes` sets, as a path of names, with its value: dotted (or ``__``) keys split, sections' mappings
    followed."""
    pairs = []
    for key, value in changes.items():
        path = (*within, *str(key).replace("__", ".").split("."))
        pairs += key_values(value, path) if isinstance(value, Mapping) and value else [(path, value)]
    return pairs


def key_paths(changes: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Every key `changes` sets, as a path of names (``key_values``)."""
    return [path for path, _ in key_values(changes)]


def as_keywords(error: InputError, given: dict[str, Any]) -> InputError:
    """An override's error named by the keyword argument that gave it (``supervision__strictnes: unknown key ...``):
    it read ``overrides: supervision.strictnes: ...``, an argument the caller of the model never typed."""
    keywords = {key.replace("__", "."): key for key in given}

    def named(one: InputError) -> InputError:
        if str(one.file) != "--set":
            return one
        return one.replace(file=None, key=keywords.get(one.key, (one.key or "").replace(".", "__")) or None)

    first, *rest = (named(one) for one in error.each())
    return first.replace(others=rest)
