"""Check scenario files against the schema without running them."""

from __future__ import annotations

from sim.commands.common import add_set_option, overrides
from sim.scenarios import load_scenario

NAME = "validate"
HELP = "check scenario files without running"
ORDER = 20


def configure(parser) -> None:
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="shipped name or path to a YAML file")
    add_set_option(parser)


def execute(args) -> int:
    changes = overrides(args)
    for source in args.scenarios:
        scenario = load_scenario(source, changes)
        print(f"ok  {source}  ({scenario.name}: {scenario.population.released} released, {scenario.weeks} weeks)")
    return 0
