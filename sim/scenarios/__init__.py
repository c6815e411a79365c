"""Scenarios: the parameter schema, the shipped YAML files and the safe loader."""

from sim.scenarios.loader import (
    SCENARIO_DIR,
    apply_overrides,
    list_scenarios,
    load_scenario,
    parse_assignments,
    shipped_names,
)
from sim.scenarios.schema import Scenario
from sim.scenarios.settings import LEVERS

__all__ = [
    "LEVERS",
    "SCENARIO_DIR",
    "Scenario",
    "apply_overrides",
    "list_scenarios",
    "load_scenario",
    "parse_assignments",
    "shipped_names",
]
