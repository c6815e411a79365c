"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from sim.job_size import MAX_RUNS, check_max_runs
from sim.scenarios import parse_assignments

RESULTS = Path("results")


def add_max_runs_option(parser: argparse.ArgumentParser, what: str = "more than N runs") -> None:
    """--max-runs: the limit on model runs a command refuses to go beyond (checked as it is parsed)."""
    parser.add_argument("--max-runs", type=max_runs, default=None, metavar="N", help=f"refuse {what} (default {MAX_RUNS:,})")


def max_runs(text: str) -> int:
    value = int(text)
    check_max_runs(value)
    return value


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


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1 (a usage error otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer of at least 1 (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer of at least 1 (got {value})")
    return value


def add_run_options(parser: argparse.ArgumentParser, *, replicates: int, seed_help: str) -> None:
    """Options shared by the commands that run scenarios side by side (run, compare)."""
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="shipped name or path to a YAML file")
    parser.add_argument("--replicates", "-r", type=int, default=replicates, metavar="N",
                        help=f"replicates per scenario (default {replicates})")
    parser.add_argument("--seed", type=int, default=None, metavar="S", help=seed_help)
    parser.add_argument("--weeks", type=int, default=None, metavar="W", help="horizon in weeks (default: the scenario's)")
    add_set_option(parser)
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: a new folder under results/)")
    parser.add_argument("--no-figures", action="store_true", help="skip the PNG figures")


def add_folder_options(parser: argparse.ArgumentParser, folder: str) -> None:
    """--out, --max-runs, --no-figures, --set and the worker options of a command that writes one resumable
    folder of runs (optimise, robustness)."""
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help=f"{folder} folder (rerun into it to resume)")
    add_max_runs_option(parser)
    parser.add_argument("--no-figures", action="store_true", help="skip the PNG figure")
    add_set_option(parser)
    add_worker_options(parser)


def add_worker_options(parser: argparse.ArgumentParser) -> None:
    """--workers and --scheduler: where the runs of a sweep, calibration or validation go."""
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="local worker processes (default: all cores; 1 runs in this process without Dask)")
    parser.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                        help="use the Dask cluster behind this scheduler instead of local workers")
