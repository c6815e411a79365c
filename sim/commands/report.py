"""Turn a result folder into one self-contained HTML file to read offline, e-mail or print on A4.

A compare folder leads with the findings in words and the headline table, then the figures, then the
full comparison in percent with intervals; a sensitivity folder with its indices; a sweep folder
shows each outcome against each factor; a calibration folder its fit; a robustness folder the share
of draws keeping each conclusion's sign and, in words, the assumption ranges PRIM finds flip it. DIR
is a folder written by `sim run`, `compare`, `sweep`, `sensitivity`, `calibrate` or `robustness`.
The report never replaces a file it did not write: --out may not point into a results folder
(other than its own DIR/report.html) nor at an existing file that is not an earlier report.
"""

from __future__ import annotations

from pathlib import Path

from sim.errors import InputError

NAME = "report"
HELP = "write one self-contained HTML report of a result folder (run, compare, sweep, sensitivity, calibration, robustness)"
ORDER = 60
REPORT = "report.html"


def configure(parser) -> None:
    parser.add_argument("directory", type=Path, metavar="DIR",
                        help="a folder written by sim run, compare, sweep, sensitivity, calibrate or robustness")
    parser.add_argument("--out", type=Path, default=None, metavar="FILE", help=f"output file (default: DIR/{REPORT})")



MARKERS = ("manifest.json", "robustness.json", "optimise.json", "cache/scenario.json")
"""Files that make a folder a results folder: a run, compare or sweep; a robustness analysis; an optimisation;
a calibration's run cache."""


def results_folder(path: Path) -> Path | None:
    """The results folder (one holding one of ``MARKERS``) that holds `path`, if any."""
    for folder in (path, *path.parents):
        if any((folder / marker).is_file() for marker in MARKERS):
            return folder
    return None


def is_report(path: Path) -> bool:
    """Whether `path` is an HTML report written by `sim report` (which a new report may replace)."""
    from sim.report import GENERATOR

    try:
        with open(path, "rb") as stream:
            head = stream.read(300)
    except OSError:
        return False
    return head.startswith(b"<!DOCTYPE html>") and GENERATOR.encode() in head


def check_out(out: Path) -> None:
    """Refuse an --out that would write into a results folder or replace a file that is not a report."""
    owner = results_folder(out.parent.resolve())
    if owner is not None and not (out.name == REPORT and out.parent.resolve() == owner):
        raise InputError(f"lies inside the results folder {owner}, whose files the report must not replace",
                         file=str(out), key="--out", expected=f"a file outside results folders, or {owner / REPORT}")
    if out.exists() and not out.is_dir() and not is_report(out):
        raise InputError("already exists and is not a report written by sim report", file=str(out), key="--out",
                         expected="a new file name (or remove the file)")


def execute(args) -> int:
    from sim.report import write_report

    check_out(args.out if args.out is not None else args.directory / REPORT)
    path = write_report(args.directory, args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return 0
