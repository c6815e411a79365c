"""Turn a run, compare or sweep output folder into one self-contained HTML file to read offline or e-mail.

The report holds the figures (embedded), the headline and summary tables, the scenario differences
and the manifest. DIR is a folder written by `sim run`, `sim compare` or `sim sweep`.
"""

from __future__ import annotations

from pathlib import Path

from sim.report import write_report

NAME = "report"
HELP = "write one self-contained HTML report of a run, compare or sweep folder"
ORDER = 60


def configure(parser) -> None:
    parser.add_argument("directory", type=Path, metavar="DIR", help="a folder written by sim run, compare or sweep")
    parser.add_argument("--out", type=Path, default=None, metavar="FILE", help="output file (default: DIR/report.html)")


def execute(args) -> int:
    path = write_report(args.directory, args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return 0
