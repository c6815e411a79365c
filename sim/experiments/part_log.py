"""A sweep's record of the parts it wrote (``parts.jsonl`` beside ``manifest.json``): each part's rows and SHA-256.

A part cut short at the end of a row, or replaced by another valid file, reads without an error, and a resume or an
analysis took it for whole. The store appends a part's line once the part is renamed into place and that rename is on
disk (``write_part``), marked ``"in_place": true``: a line so marked whose part is absent is of a part deleted (or lost in
a copy) since, which an analysis refuses and a resume runs again (``missing``). A kill between the rename and the line
leaves a part without a line, which a resume records as it finds it (``rewrite``): the part was written whole (it was
renamed in from a file flushed to disk). A part is checked against its line wherever it is read
(``sim.checked_read.read_parts``); a resume sets a part unlike its line aside and runs its runs again. A calibration
records the parts of its run cache (``cache/``) the same way.

One JSON object a line (``{"part": "runs/part-....parquet", "rows": 20, "sha256": "...", "in_place": true}``); the last
line of a part counts (a resume rewrites a part without its lost runs). A last line a kill cut off (no newline) is
dropped. Versions before December 2026 appended a part's line before its rename, without ``in_place``: such a line whose
part is absent may be of a part a kill stopped before its rename, so it is not taken for a deletion (a resume rewrites
the record, every line then in place). A folder of a version before the record has no ``parts.jsonl``: its parts are
read unchecked, and a resume records them as it finds them (``rewrite``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq

from sim.checked_read import Written, damaged, unlike
from sim.file_digests import digest_of, known_digest, sha256_of
from sim.output import replace_file
from sim.own_files import PARTS

LOG = PARTS
LOG_EXPECTED = "parts.jsonl as written by sim sweep or sim calibrate (or delete it: the parts are then read unchecked, as a folder of a " \
             "version before it)"


Entries = dict[str, tuple[Written, bool]]
"""Each recorded part (``runs/part-....parquet``) with what was written and whether its line was written once it was in
place (``in_place``)."""


def read(folder: Path) -> dict[str, Written] | None:
    """Each recorded part (``runs/part-....parquet``) and what was written, None for a folder without the record."""
    return written_of(entries(folder))


def written_of(records: Entries | None) -> dict[str, Written] | None:
    """What was written of each part of `records` (``entries``), without the in-place marks."""
    return None if records is None else {key: written for key, (written, _) in records.items()}


def entries(folder: Path) -> Entries | None:
    """The record read and parsed (``Entries``), None for a folder without it. A reader parses it once and hands the
    entries on (``written_of``, ``missing``): a folder of many parts has a long record."""
    path = folder / LOG
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise damaged(path, f"cannot be read ({error})", LOG_EXPECTED) from None
    lines = text.split("\n")
    if lines[-1]:  # cut off by a kill while it was appended
        lines[-1] = ""
    records: Entries = {}
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        try:
            entry = json.loads(line)
            records[str(entry["part"])] = Written(int(entry["rows"]), str(entry["sha256"])), entry.get("in_place") is True
        except (ValueError, KeyError, TypeError, AttributeError):
            raise damaged(path, f"holds a line that is not a part's record (line {number})", LOG_EXPECTED) from None
    return records


def missing(folder: Path, dataset: str, records: Entries | None) -> list[str]:
    """The parts of `dataset` (by name) among `records` (``entries`` of `folder`) recorded once they were in place that
    are absent: deleted, or lost in a copy, since (a line of an older version, written before its rename, may be of a
    part a kill stopped: it is not one)."""
    return sorted(key.split("/", 1)[1] for key, (_, in_place) in (records or {}).items()
                  if in_place and key.split("/", 1)[0] == dataset and not (folder / key).exists())


def of_dataset(records: dict[str, Written] | None, dataset: str) -> dict[str, Written] | None:
    """The records of one dataset folder (``runs``, ``curves``) by part name."""
    if records is None:
        return None
    return {key.split("/", 1)[1]: value for key, value in records.items() if key.split("/", 1)[0] == dataset}


def unlike_record(folder: Path, records: dict[str, Written], datasets: tuple[str, ...], names: set[str],
                  writer: str = "the sweep") -> dict[str, str]:
    """The parts of `datasets` among `names` unlike their record, by name (the first problem of a name, in the
    record's order), each with what is wrong (``runs/part-....parquet: holds 3 rows where the sweep wrote 4 ...``)."""
    found: dict[str, str] = {}
    for key, written in records.items():
        dataset, name = key.split("/", 1)
        if dataset in datasets and name in names and name not in found:
            if problem := unlike(folder / key, written, writer=writer):
                found[name] = f"{key}: {problem}"
    return found


def _line(key: str, written: Written) -> str:
    """A part's line: written once the part is in place (``in_place``), by ``write_part`` or ``rewrite``."""
    return json.dumps({"part": key, "rows": written.rows, "sha256": written.sha256, "in_place": True}) + "\n"


def append(folder: Path, part: str, written: Written) -> None:
    """Add the line of `part` (``runs/part-....parquet``), flushed to disk: only once the part is in place."""
    with open(folder / LOG, "a", encoding="utf-8") as handle:
        handle.write(_line(part, written))
        handle.flush()
        os.fsync(handle.fileno())


def write_part(folder: Path, path: Path, write: Callable[[Path], object]) -> None:
    """Write the part at `path` (in a dataset folder of `folder`) through `write(temporary)`, rename it into place, and
    only then record it: a recorded part that is absent was deleted, never one a kill stopped before its rename. The
    rename is flushed to disk before the line, so a crash cannot keep the line and lose the rename."""
    written: list[Written] = []

    def hashed(temporary: Path) -> None:
        write(temporary)
        written.append(Written(pq.read_metadata(temporary).num_rows, sha256_of(temporary)))

    replace_file(path, hashed, sync=True)
    _sync_folder(path.parent)
    append(folder, f"{path.parent.name}/{path.name}", written[0])
    known_digest(path, written[0].sha256)  # this command reads it without hashing it again


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to disk."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def as_found(path: Path) -> Written:
    """What a part holds now: the record of a part written before the record existed, or of one a kill stopped
    between its rename and its line (``write_part``), written whole."""
    return Written(pq.read_metadata(path).num_rows, digest_of(path))


def rewrite(folder: Path, datasets: tuple[str, ...], leaving: str | None = None) -> None:
    """The record of the parts in `datasets` as they are now, replaced atomically: a part's last line, a part without
    one as found (``as_found``), none for a part no longer there (a cut-off last line goes too) nor for `leaving`, a
    part about to be deleted (``runs/part-....parquet``: its line goes first, so that a kill between the two leaves an
    unrecorded part, never a recorded part that is absent, which reads as one deleted by someone else)."""
    records = read(folder) or {}
    kept = {}
    for dataset in datasets:
        for part in sorted((folder / dataset).glob("part-*.parquet")):
            key = f"{dataset}/{part.name}"
            if key != leaving:
                kept[key] = records.get(key) or as_found(part)
    lines = "".join(_line(key, written) for key, written in kept.items())
    replace_file(folder / LOG, lambda path: path.write_text(lines, encoding="utf-8"), sync=True)
