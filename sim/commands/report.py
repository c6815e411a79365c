"""Turn a result folder into one self-contained HTML file to read offline, e-mail or print on A4.

A compare folder leads with the findings in words and the headline table, then the figures, then the
full comparison in percent with intervals; a sensitivity folder with its indices; a sweep folder
shows each outcome against each factor; a calibration folder its fit. DIR is a folder written by
`sim run`, `compare`, `sweep`, `sensitivity` or `calibrate`.
"""

from __future__ import annotations

from pathlib import Path

from sim.report import write_report

NAME = "report"
HELP = "write one self-contained HTML report of a result folder (run, compare, sweep, sensitivity, calibration)"
ORDER = 60


def configure(parser) -> None:
    parser.add_argument("directory", type=Path, metavar="DIR", help="a folder written by sim run, compare, sweep, sensitivity or calibrate")
    parser.add_argument("--out", type=Path, default=None, metavar="FILE", help="output file (default: DIR/report.html)")


def execute(args) -> int:
    path = write_report(args.directory, args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return 0
