"""Run the validation patterns of MODEL.md section 8 and compare each measured effect with the published one.

Each pattern is a designed experiment with replicates (common random numbers across its arms); the
table gives the measured effect with its 95% interval, the published effect and pass/fail. --quick
shrinks populations and replicates (a few minutes on 2 cores). The full run also regenerates
docs/VALIDATION.md and docs/img/validation_*.png (unless --no-docs).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sim.commands.common import add_worker_options
from sim.output import atomic_directory, check_destination
from sim.patterns import DOCS, write_docs, write_outputs

NAME = "patterns"
HELP = "run the validation patterns and compare them with published effects"
ORDER = 65


def configure(parser) -> None:
    parser.add_argument("--quick", action="store_true", help="smaller populations and fewer replicates")
    parser.add_argument("--replicates", type=int, default=None, metavar="N", help="replicates per arm (default 5 quick, 20 full)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="also write the table and figures here")
    add_worker_options(parser)
    parser.add_argument("--no-docs", action="store_true", help="with a full run, do not rewrite docs/VALIDATION.md")


def execute(args) -> int:
    from dataclasses import replace

    from sim import patterns
    from sim.errors import InputError

    if args.out is not None:
        check_destination(args.out)
    size = patterns.QUICK if args.quick else patterns.FULL
    if args.replicates is not None:
        if args.replicates < 2:
            raise InputError(f"must be at least 2 (got {args.replicates})", key="--replicates", expected="an integer >= 2")
        size = replace(size, replicates=args.replicates)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done == 1 or done == total or done % 10 == 0:
            print(f"  patterns: {done}/{total} runs, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    runs = patterns.run_arms(size, args.workers, args.scheduler, progress)
    table = patterns.evaluate(runs)
    seconds = time.perf_counter() - started
    for row in table.itertuples():
        print(f"{'PASS' if row.passed else 'FAIL'}  {row.pattern}: {row.measure}: {row.measured:.3g} "
              f"(95% {row.low:.3g} to {row.high:.3g}); published {row.published}; criterion {row.criterion}")
    settings = {"quick": args.quick, "replicates": size.replicates, "seconds": round(seconds, 1)}
    if args.out is not None:
        with atomic_directory(args.out) as staging:
            write_outputs(table, runs, staging, settings)
        print(f"wrote {args.out}")
    if not args.quick and not args.no_docs:
        write_docs(table, runs, settings)
        print(f"wrote {DOCS}")
    failed = table.groupby("pattern", sort=False)["passed"].all()
    print(f"{int(failed.sum())} of {len(failed)} patterns pass ({seconds:.0f} s)")
    return 0
