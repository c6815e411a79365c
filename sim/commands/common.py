"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from sim.scenarios import parse_assignments

RESULTS = Path("results")


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set", dest="assignments", action="append", default=[], metavar="KEY=VALUE",
        help="override a scenario value by its dotted key, e.g. --set supervision.strictness=0.9 (repeatable)",
    )


def overrides(args: argparse.Namespace) -> dict:
    return parse_assignments(args.assignments)


def default_out(kind: str, names: list[str]) -> Path:
    """A new folder under results/: time stamp, command and scenario names."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    label = "-".join(Path(n).stem for n in names)[:60]
    return RESULTS / f"{stamp}-{kind}-{label}"
