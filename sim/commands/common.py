"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sim.errors import InputError
from sim.folder_lock import writing_lock
from sim.job_size import MAX_RUNS, check_max_runs, counted
from sim.scenarios import parse_assignments
from sim.streams import MAX_SEED, check_seed

RESULTS = Path("results")


def add_max_runs_option(parser: argparse.ArgumentParser, what: str = "more than N runs") -> None:
    """--max-runs: the limit on model runs a command refuses to go beyond (checked as it is parsed)."""
    parser.add_argument("--max-runs", type=max_runs, default=None, metavar="N", help=f"refuse {what} (default {MAX_RUNS:,})")


def max_runs(text: str) -> int:
    """--max-runs as parsed: not a whole number is a usage error saying what is expected; below 1, ``check_max_runs``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of runs, at least 1 (got {text!r})") from None
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


def at_least(least: int):
    """An argparse type: an integer of at least `least` (a usage error naming the option otherwise)."""

    def integer(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer of at least {least} (got {text!r})") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"expected an integer of at least {least} (got {value})")
        return value

    return integer


positive_int = at_least(1)
"""An argparse type: an integer of at least 1."""


def seed(text: str) -> int:
    """An argparse type: a root seed, an integer from 0 to MAX_SEED (the range every command takes, sim.streams)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer from 0 to {MAX_SEED} (got {text!r})") from None
    try:
        check_seed(value)
    except InputError as error:
        raise argparse.ArgumentTypeError(f"expected {error.expected} (got {value})") from None
    return value


def add_seed_option(parser: argparse.ArgumentParser, default_help: str) -> None:
    """--seed S: the root seed of a command's runs, checked as it is parsed (`default_help` says what is used without it)."""
    parser.add_argument("--seed", type=seed, default=None, metavar="S",
                        help=f"{default_help}; an integer from 0 to {MAX_SEED}")


def add_run_options(parser: argparse.ArgumentParser, *, replicates: int, seed_help: str) -> None:
    """Options shared by the commands that run scenarios side by side (run, compare)."""
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="shipped name or path to a YAML file")
    parser.add_argument("--replicates", "-r", type=positive_int, default=replicates, metavar="N",
                        help=f"replicates per scenario (default {replicates})")
    add_seed_option(parser, seed_help)
    parser.add_argument("--weeks", type=positive_int, default=None, metavar="W", help="horizon in weeks (default: the scenario's)")
    add_set_option(parser)
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: a new folder under results/)")
    parser.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    parser.add_argument("--replace", action="store_true",
                        help="replace --out if an earlier sim run or sim compare wrote it and it holds nothing else "
                             "(anything else there is refused before the runs start, and never deleted)")
    add_max_runs_option(parser)


def check_run_size(args: argparse.Namespace) -> None:
    """Refuse a run or comparison of more than --max-runs runs before anything starts (they write only at the end)."""
    from sim.job_size import check_option

    count = len(args.scenarios)
    check_option("--replicates", args.replicates, lambda r: count * r, least=1, max_runs=args.max_runs,
                 what=f"{counted(count, 'scenario')} x {counted(args.replicates, 'replicate')}")


def write_runs(args: argparse.Namespace, command: str, write: Callable[[argparse.Namespace, Path], int]) -> int:
    """`sim run` and `sim compare`: refuse an experiment file, more than --max-runs runs and a second command into --out
    now, not after the runs, check that --out (default: a new folder under results/) may be written (or replaced,
    with --replace), then `write` the runs into it."""
    out = args.out or default_out(command, args.scenarios)
    refuse_experiment_files(args.scenarios)
    check_run_size(args)
    with writing_lock(out, command=f"sim {command}", replace=args.replace, offers_replace=True):  # checks --out first
        return write(args, out)


def refuse_experiment_files(sources: list[str]) -> None:
    """Refuse an experiment file given where a scenario goes (`sim run experiments/x.yaml`): it was read as a scenario,
    and every key of an experiment was listed as an unknown scenario key, without a word of `sim sweep`."""
    from sim.experiments.experiment import is_experiment_file

    for source in sources:
        if is_experiment_file(source):
            raise InputError("is an experiment file, not a scenario", file=str(source),
                             expected=f"a scenario; an experiment runs with `sim sweep {source}`")


def add_folder_options(parser: argparse.ArgumentParser, folder: str, *, runs: str = "more than N runs",
                       figures: bool = True, workers: str = "every core this process may use") -> None:
    """--out, --max-runs, --no-figures (with `figures`), --set and the worker options of a command that writes one
    resumable folder of runs (sweep, sensitivity, calibrate, optimise, robustness); `runs` says what --max-runs
    refuses, `workers` what runs the runs without --workers."""
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help=f"{folder} folder (rerun into it to resume)")
    add_max_runs_option(parser, runs)
    if figures:
        parser.add_argument("--no-figures", action="store_true", help="skip the PNG figure")
    add_set_option(parser)
    add_worker_options(parser, workers=workers)


def add_worker_options(parser: argparse.ArgumentParser, *, workers: str = "every core this process may use") -> None:
    """--workers and --scheduler, one or the other: where the runs of a sweep, calibration or validation go.

    A scheduler's cluster has its own workers, so --workers with --scheduler is a usage error rather than
    silently ignored. args.workers is None unless given (so that argparse sees the clash even for the default);
    `workers` says what the command then uses (the engine's default: every core this process may use, ``sim.experiments.cores``).
    """
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, default=None, metavar="N",
                       help=f"local worker processes (default: {workers}; 1 runs in this process without Dask)")
    where.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                       help="use the Dask cluster behind this scheduler instead of local workers (not with --workers)")
