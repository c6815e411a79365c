"""Run the validation patterns and compare each measured effect with the published one, in its band.

Each pattern is a designed experiment with replicates (common random numbers across its arms); each row
is an independent test, a calibration target or an input check (only independent tests count as
validation), with the measured effect, its 95% interval, the published band and pass/fail. Writes
patterns.csv, patterns.md, the figures and a manifest into --out (default a new folder under results/).
--quick shrinks populations and replicates (under a minute on 2 cores). --set KEY=VALUE changes every arm's
scenario (as `sim run` takes it; a key an arm's design sets is refused), and the table then says it is not the
shipped model. --write-docs (full runs of the shipped model only) also replaces docs/VALIDATION.md and
docs/img/validation_*.png; nothing under docs/ is touched without it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sim.commands.common import (
    add_max_runs_option,
    add_set_option,
    add_worker_options,
    at_least,
    default_out,
    overrides,
)
from sim.counts import LEAST
from sim.folder_lock import writing_lock
from sim.output import atomic_directory

NAME = "patterns"
HELP = "run the validation patterns and compare them with published effects"
ORDER = 65


def configure(parser) -> None:
    parser.add_argument("--quick", action="store_true", help="smaller populations and fewer replicates")
    parser.add_argument("--replicates", type=at_least(LEAST["patterns"]["--replicates"]), default=None, metavar="N", help="replicates per arm (default 5 quick, 20 full)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="write the table and figures here (default: a new folder under results/)")
    add_worker_options(parser)
    add_max_runs_option(parser)
    add_set_option(parser)
    parser.add_argument("--write-docs", action="store_true",
                        help="with a full run of the shipped model (no --set), also replace docs/VALIDATION.md and "
                             "docs/img/validation_*.png")


def check_docs_folders(docs: Path) -> None:
    """Refuse --write-docs where docs/ or docs/img/ (beside the package, in a source checkout) is missing or unwritable."""
    from sim.errors import InputError
    from sim.output import probe_writable

    for folder in (docs.parent, docs.parent / "img"):
        if not folder.is_dir():
            raise InputError(f"replaces {docs.name} and img/validation_*.png in {docs.parent}, but {folder} is not a "
                             "folder", key="--write-docs",
                             expected="a source checkout of reintegration-sim (with its docs/img/ folder), or no --write-docs")
        try:
            probe_writable(folder)
        except InputError as error:
            raise error.replace(file=str(folder), key="--write-docs") from None


def execute(args) -> int:
    out = args.out or default_out("patterns", ["quick" if args.quick else "full"])
    with writing_lock(out, command="sim patterns"):  # --out checked, and a second command into it refused, now
        return write(args, out)


def write(args, out) -> int:
    from dataclasses import replace

    from sim import patterns
    from sim.errors import InputError
    from sim.experiments.engines import check_engine
    from sim.job_size import check_option
    from sim.patterns import DOCS, write_docs, write_outputs
    from sim.scenarios.fields import overrides_as_read

    if args.write_docs and args.quick:
        raise InputError("cannot be combined with --quick (the docs are written from a full run)",
                         key="--write-docs", expected="a full run: drop --quick")
    if args.write_docs and args.assignments:
        raise InputError("cannot be combined with --set (the docs record the shipped model)", key="--write-docs",
                         expected="no --set; a table with --set is written to --out only")
    if args.write_docs:  # checked now, not after the full run it needs (an installed package has no docs/)
        check_docs_folders(DOCS)
    size = patterns.QUICK if args.quick else patterns.FULL
    if args.replicates is not None:
        size = replace(size, replicates=args.replicates)
    sets = overrides(args)
    settings_of_arms = patterns.arm_settings(size, sets)  # every arm's scenario with --set, refused before any run
    total = len(patterns.ARMS) * size.replicates
    check_engine(args.workers, args.scheduler)  # before the size line, as every other command
    # a count the user did not give is the default's, and the limit, not --replicates, is what they set
    given = args.replicates is not None
    default = "" if given else f" ({'--quick' if args.quick else 'a full run'}'s)"
    check_option("--replicates", size.replicates, lambda r: len(patterns.ARMS) * r, least=LEAST["patterns"]["--replicates"],
                 what=f"{len(patterns.ARMS)} arms x {size.replicates:,} replicates{default}", max_runs=args.max_runs,
                 key="--replicates" if given else "--max-runs")
    print(f"patterns: {len(patterns.ARMS)} arms x {size.replicates} replicates = {total} runs", file=sys.stderr, flush=True)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done == 1 or done == total or done % 10 == 0:
            print(f"  patterns: {done}/{total} runs, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    runs = patterns.run_arms(size, settings_of_arms, args.workers, args.scheduler, progress)
    table = patterns.evaluate(runs)
    seconds = time.perf_counter() - started
    for row in table.itertuples():
        print(f"{'PASS' if row.passed else 'FAIL'}  [{row.kind}] {row.pattern} ({row.follow_up}): {row.measure}: "
              f"{patterns.measured_text(row)}; band {row.band}; published {row.published}"
              + ("; its interval reaches past the band" if patterns.result_text(row) == patterns.PAST_THE_BAND else ""))
    as_read = overrides_as_read(next(iter(settings_of_arms.values())), sets)  # no arm sets a --set key: one value
    settings = {"quick": args.quick, "replicates": size.replicates, "seconds": round(seconds, 1), "overrides": as_read}
    with atomic_directory(out) as staging:
        write_outputs(table, runs, staging, settings)
    print(f"wrote {out}")
    if args.write_docs:
        write_docs(table, runs, settings)
        print(f"wrote {DOCS}")
    print(f"{patterns.labelled_headline(table, settings)} ({seconds:.0f} s)")
    print(patterns.size_words(settings))
    return 0
