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
    """Every file is checked, so that all can be fixed in one go; any error fails the command (exit 2)."""
    from sim.errors import InputError

    changes = overrides(args)
    problems: list[InputError] = []
    for source in args.scenarios:
        try:
            scenario = load_scenario(source, changes)
        except InputError as error:
            problems.append(error)
            continue
        print(f"ok  {source}  ({scenario.name}: {scenario.population.released} released, {scenario.weeks} weeks)")
    if problems:
        first, *rest = problems  # every error of every file, one a line
        raise first.replace(others=[*first.others, *(error for other in rest
                                                     for error in (other.replace(others=[]), *other.others))])
    return 0
