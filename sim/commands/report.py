"""Turn a result folder into one self-contained HTML file to read offline, e-mail or print on A4.

A compare folder leads with the findings in words and the headline table, then the figures, then the
full comparison in percent with intervals; a sensitivity folder with its indices; a sweep folder
shows each outcome against each factor; a calibration folder its fit; a robustness folder the share
of draws keeping each conclusion's sign and, in words, the assumption ranges where PRIM finds it does not hold. DIR
is a folder written by `sim run`, `compare`, `sweep`, `sensitivity`, `calibrate`, `robustness` or `optimise`
(its optimise.md, then the front).
The report never replaces a file it did not write: --out is a file (a folder, or a path ending with /, is
refused, and so is a symbolic link, as every command's --out), and may not point into a results folder (other than its own DIR/report.html) nor at an existing file
that is not an earlier report. Every table read is checked: one cut short is named, exit 2. A folder
another command is still writing (a sweep holding its lock) is refused; the report of a stopped sweep
says how many of its planned runs it holds.
"""

from __future__ import annotations

from pathlib import Path

from sim.report_folders import READS, REPORT

NAME = "report"
HELP = "write one self-contained HTML report of a result folder (run, compare, sweep, sensitivity, calibration, robustness, optimise)"
ORDER = 60


def configure(parser) -> None:
    parser.add_argument("directory", type=Path, metavar="DIR", help=READS)
    parser.add_argument("--out", default=None, metavar="FILE",  # as typed: a trailing / names a folder, refused
                        help=f"output file, not a folder (default: DIR/{REPORT})")


def execute(args) -> int:
    from sim.report import write_report

    path = write_report(args.directory, args.out)  # checks DIR and --out, and that it can write, before building
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return 0
