"""List the shipped scenarios with their descriptions."""

from __future__ import annotations

import textwrap

from sim.scenarios import list_scenarios

NAME = "scenarios"
HELP = "list the shipped scenarios"
ORDER = 30


def configure(parser) -> None:
    parser.add_argument("--names", action="store_true", help="names only, one per line")


def execute(args) -> int:
    for name, description in list_scenarios():
        if args.names:
            print(name)
            continue
        print(name)
        print(textwrap.indent(textwrap.fill(" ".join(description.split()), 96), "    "))
    return 0
