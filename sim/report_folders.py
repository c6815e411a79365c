"""Which folders `sim report` reads and where it may write: checked before a report is built, from the command
line or from Python (``sim.report.write_report``). Why a folder cannot be read is told here for every reader of
results folders (the report and ``sim.analysis.load``)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sim.errors import InputError, path_argument

REPORT = "report.html"
GENERATOR = '<meta name="generator" content="sim report">'
"""Marks a file as written by `sim report` (which a new report may replace)."""
SOURCE = '<meta name="sim-results" content="{}">'
"""Which results a report was written from (``results_id``), in its head beside ``GENERATOR``: a report replaced by one
of other results says so."""
HEAD_BYTES, MARKED_WITHIN = 600, 300  # the head of a report read, and where its GENERATOR must stand


def results_id(folder: Path) -> str:
    """A results folder as a report records it: a digest of its resolved path, which names no machine's folders in a
    report that is passed around, yet tells two folders apart."""
    return hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]


def report_head(path: Path) -> bytes | None:
    """The first bytes of a file, where a report written by `sim report` says so and what it was written from; None
    if it cannot be read. The one reader of a report's head (``is_report``, ``report_source``)."""
    try:
        with open(path, "rb") as stream:
            return stream.read(HEAD_BYTES)
    except OSError:
        return None


def report_source(path: Path) -> str | None:
    """The ``results_id`` a report at `path` records; None for a report written before reports recorded it."""
    head = (report_head(path) or b"").decode("utf-8", "replace")
    _, found, after = head.partition(SOURCE.partition("{")[0])
    return after.partition('"')[0] if found else None


OPTIMISE_MANIFEST, ROBUSTNESS_MANIFEST = "optimise.json", "robustness.json"
"""The manifests of ``sim optimise`` and ``sim robustness`` (``MANIFEST`` of ``sim.experiments.optimise`` and of
``sim.experiments.robustness``): named here, where the folders are told apart without loading those modules."""
MARKERS = ("manifest.json", ROBUSTNESS_MANIFEST, OPTIMISE_MANIFEST, "cache/scenario.json")
"""Files that make a folder a results folder: a run, compare or sweep; a robustness analysis; an optimisation;
a calibration's run cache."""


def results_folder(path: Path) -> tuple[Path, str] | None:
    """The results folder that holds `path` (`path` itself included) and the command whose results it holds
    (``held_by``), if any: a folder holding one of ``MARKERS`` that sim tells for its own, not a web project's
    manifest.json."""
    for folder in (path, *path.parents):
        if any((folder / marker).is_file() for marker in MARKERS) and (command := held_by(folder)):
            return folder, command
    return None


def is_report(path: Path) -> bool:
    """Whether `path` is an HTML report written by `sim report` (which a new report may replace)."""
    head = (report_head(path) or b"")[:MARKED_WITHIN]
    return head.startswith(b"<!DOCTYPE html>") and GENERATOR.encode() in head


READ_BY_REPORT = ("run", "compare", "sweep", "sensitivity", "calibrate", "robustness", "optimise")
"""The commands whose folders `sim report` reads."""


def folders_of(commands: tuple[str, ...]) -> str:
    """What a reader of the folders of `commands` expects, in words."""
    return f"a folder written by sim {', '.join(commands[:-1])} or {commands[-1]}"


READS = folders_of(READ_BY_REPORT)
WRITERS = {OPTIMISE_MANIFEST: "optimise", "patterns.csv": "patterns", ROBUSTNESS_MANIFEST: "robustness",
           "calibrated.yaml": "calibrate", "cache/scenario.json": "calibrate", "sensitivity.csv": "sensitivity"}
"""Files that tell which command wrote a results folder whose manifest does not (a reader that cannot read the
folder says what it holds)."""


def kind_of(folder: Path) -> str | None:
    """Which command wrote `folder`, told by its files; None if it is not a result folder."""
    if (folder / "runs").exists() and (folder / "manifest.json").exists():
        return "sweep"
    if (folder / "curves.parquet").exists() and (folder / "manifest.json").exists():
        return "compare" if (folder / "comparison.csv").exists() else "run"
    return None


def written_by(folder: Path) -> str | None:
    """The command that wrote `folder`, told by its files or by the command line its manifest records."""
    for marker, command in WRITERS.items():
        if (folder / marker).is_file():
            return command
    from sim.checked_read import read_json  # with pandas: loaded only when the files do not tell

    try:
        argv = read_json(folder / "manifest.json").get("command")
    except InputError:  # missing or damaged: the command is not known
        return None
    if (isinstance(argv, list) and len(argv) > 1 and Path(str(argv[0])).name in ("sim", "__main__.py")
            and isinstance(argv[1], str) and argv[1].isidentifier()):  # `sim CMD ...` or `python -m sim CMD ...`
        return argv[1]
    return None


def held_by(folder: Path) -> str | None:
    """The command whose results `folder` holds (``written_by``, else ``kind_of``); None if its files do not tell."""
    return (written_by(folder) or kind_of(folder)) if folder.is_dir() else None


def holding(folder: Path) -> str:
    """What a refused --out holds, as its refusal ends: ': it holds the results of sim sweep', or '' if unknown."""
    command = held_by(folder)
    return f": it holds the results of sim {command}" if command else ""


def check_directory(directory: Path) -> None:
    """Refuse a DIR that is missing, a file, holding a symbolic link (``sim.output.check_no_links``), in use by another
    command (a sweep still writing it: the report would show it half done), or not a folder the report reads (saying
    what it holds, if its files tell)."""
    from sim.experiments.sensitivity_analysis import FIGURE, RANKING, TABLE
    from sim.folder_lock import holder
    from sim.output import check_no_links
    from sim.report import is_calibration, is_optimisation, is_robustness

    if not directory.is_dir():
        raise unreadable(directory, READ_BY_REPORT)
    check_no_links(directory, key=None)  # a linked runs/ (or file) inside would report another folder's results as its own
    for folder in (directory, *directory.resolve().parents):  # the folder, or a robustness/optimise folder holding it
        who = holder(folder)
        if who is not None:
            raise InputError(f"is in use by another command ({who}), which is still writing it: wait for it to "
                             "finish, then report it", file=str(directory))
    if not (directory / TABLE).is_file() and any((directory / name).is_file() for name in (RANKING, FIGURE)):
        # a sensitivity analysis's set (``sim.output.replace_set``) stopped before its table, renamed last: the sweep
        # beside it is readable, but not as this analysis, nor as the earlier one whose words may still be here
        raise part_of(directory, "sensitivity", READ_BY_REPORT)
    if not (is_calibration(directory) or is_robustness(directory) or is_optimisation(directory) or kind_of(directory)):
        raise unreadable(directory, READ_BY_REPORT)


RECORDS = (("sweep", "manifest.json", ("runs/", "curves/"), "which experiment, design point and seed each run is"),
           ("run", "manifest.json", ("curves.parquet", "timeseries.parquet"), "the scenarios and seeds its tables were run with"),
           ("robustness", ROBUSTNESS_MANIFEST, ("sweeps/*/draws/",), "the assumptions drawn and the settings of its sweeps"),
           ("optimise", OPTIMISE_MANIFEST, ("trials/*/runs/",), "the search's settings, which its trials were run with"),
           ("calibrate", "cache/scenario.json", ("cache/part-*.parquet",), "the scenario its cached runs were run with"))
"""Each command's record of a folder (written as it starts, or with its results), the files that show the folder is
that command's without it (every pattern found), and what cannot be told without the record."""


def lost_record(folder: Path, *, key: str | None = None) -> InputError | None:
    """The refusal of a folder holding a command's results whose record (``RECORDS``: manifest.json...) is missing,
    deleted or left out of a copy, naming the record and what to do; None if the folder is not one. Every reader of
    results folders and every command that resumes one says it so, where it said 'is not a result folder' or 'holds
    no sweep' (``unreadable``, ``foreign``)."""
    for command, record, shown_by, says in RECORDS:
        if (folder / record).exists() or not all(any(folder.glob(pattern.rstrip("/"))) for pattern in shown_by):
            continue
        if command == "run" and (folder / "comparison.csv").is_file():
            command = "compare"
        command = written_by(folder) or command  # a sensitivity analysis's sweep, told by its sensitivity.csv
        return InputError(f"is missing, though {folder} holds results of sim {command} ({', '.join(shown_by)}); without "
                          f"it, {says} cannot be told (deleted, or left out of a copy?)", file=str(folder / record),
                          key=key, expected=f"{record} put back from a copy or backup of {folder}, or {folder} moved "
                                            "away and the command that wrote it run again")
    return None


def foreign(folder: Path, holds: str, record: str, expected: str) -> InputError:
    """The refusal of a resume into a non-empty `folder` without `record`, the file that makes it `holds` (a sweep,
    ...): one whose record was lost is named as such (``lost_record``), any other says what it holds, if its files
    tell."""
    return lost_record(folder, key="--out") or InputError(
        f"is not empty and holds no {holds} (no {record}){holding(folder)}", file=str(folder), key="--out",
        expected=expected)


def unreadable(directory: Path, commands: tuple[str, ...]) -> InputError:
    """Why `directory`, which a reader of the folders of `commands` cannot read, is not one: missing, a file, one that
    lost its record (``lost_record``), no results folder, one whose results are missing, or one another command wrote
    (named, if its files tell)."""
    expected = folders_of(commands)
    if not directory.exists():
        return InputError("no such folder", file=str(directory), expected=expected)
    if not directory.is_dir():
        return InputError("is a file, not a folder", file=str(directory), expected=expected)
    if (lost := lost_record(directory)) is not None:
        return lost
    command = written_by(directory)
    if command is None:
        return InputError("is not a result folder", file=str(directory), expected=expected)
    if command in commands:  # a file of a command the reader reads, without the rest of what it writes
        return part_of(directory, command, commands)
    return InputError(f"holds what sim {command} wrote", file=str(directory), expected=expected)


def part_of(directory: Path, command: str, commands: tuple[str, ...], missing: list[str] | None = None) -> InputError:
    """`directory` holds some of `command`'s result set without the file that says it is whole (damaged, or a command
    stopped between two renames of ``sim.output.replace_set``), or without the `missing` files it was written with."""
    lacking = f": {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing" if missing else ""
    again = f" Rerun the same sim {command} into it to finish it" if command in RESUMABLE else ""
    return InputError(f"holds part of what sim {command} writes, not its results{lacking} (damaged, or stopped "
                      f"early?{again}){runs_kept(directory) if command in RESUMABLE else ''}", file=str(directory),
                      expected=folders_of(commands))


def runs_kept(directory: Path) -> str:
    """'; it keeps 19 finished runs' (all its sweeps', as a resume counts them: ``when_stopped.runs_held``), so that a
    stopped analysis's reader knows what the rerun starts from; nothing if they cannot be counted."""
    from sim.experiments.when_stopped import runs_held  # the experiments sit above the folders' checks

    try:
        held = runs_held(directory)
    except InputError:  # a damaged part: the rerun names it
        return ""
    return f"; it keeps {held:,} finished run{'s' * (held != 1)}"


RESUMABLE = ("sweep", "sensitivity", "calibrate", "robustness", "optimise")
"""The commands that finish a folder they were stopped in when run into it again (the others write theirs whole)."""


def check_whole_run(directory: Path, manifest: dict, commands: tuple[str, ...]) -> None:
    """Refuse a run's or comparison's folder missing a table its manifest lists (``sim.output.FILES``; figures aside,
    which a report draws again): read without it, a report left out whole sections, or a comparison, without a word.
    A folder of a version that did not list its files is read as before."""
    from sim.output import FILES

    listed = manifest.get(FILES)
    if not isinstance(listed, list):
        return
    missing = [name for name in map(str, listed) if not name.startswith("figures/") and not (directory / name).is_file()]
    if missing:
        raise part_of(directory, "compare" if "comparison.csv" in listed else "run", commands, missing)


def out_file(out: object) -> Path:
    """The file a report is written to (`out`: --out as given), refusing a folder named as one: a path ending with a
    separator, or in ``.`` or ``..``. Read as a path, ``newdir/`` is ``newdir``: a report was written as a file of that
    name, without an extension, where a folder was meant."""
    given = path_argument(out, "out", "a file name such as report.html", "a file")
    if isinstance(out, str) and os.path.basename(out) in ("", ".", ".."):
        said = f"ends with {os.path.basename(out) or out[-1]}, so it names a folder" if out else "is empty"
        raise InputError(f"{said}, not a file: the report is one file", file=out or None, key="--out",
                         expected=f"a file name such as {given / REPORT}")
    return given


def check_out(out: Path, directory: Path) -> None:
    """Refuse an --out that is a symbolic link (as every command refuses one: ``sim.output.check_not_link``), would
    write into a results folder (other than DIR/report.html), replace a file that is not a report, or is a folder."""
    from sim.output import check_not_link, check_not_within_results

    check_not_link(out, "file")
    check_not_within_results(out, what="file", unless=directory / REPORT)
    if out.is_dir():
        raise InputError("is a folder, not a file: the report is one file", file=str(out), key="--out",
                         expected=f"a file name such as {out / REPORT}")
    if out.exists() and not is_report(out):
        raise InputError("already exists and is not a report written by sim report", file=str(out), key="--out",
                         expected="a new file name (or remove the file)")
