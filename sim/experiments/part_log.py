"""A sweep's record of the parts it wrote (``parts.jsonl`` beside ``manifest.json``): each part's rows and SHA-256.

A part cut short at the end of a row, or replaced by another valid file, reads without an error, and a resume or an
analysis took it for whole. The store appends a part's line before it renames the part into place
(``sim.experiments.store``): every part this version writes has its line, and a line whose part is absent is of a part
a kill stopped before its rename, which the sweep never counted. A part is checked against its line wherever it is
read (``sim.checked_read.read_parts``); a resume sets a part unlike its line aside and runs its runs again.

One JSON object a line (``{"part": "runs/part-....parquet", "rows": 20, "sha256": "..."}``); the last line of a part
counts (a resume rewrites a part without its lost runs). A last line a kill cut off (no newline) is of a part never
renamed in, and is dropped. A folder of a version before the record has no ``parts.jsonl``: its parts are read
unchecked, and a resume records them as it finds them (``rewrite``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq

from sim.checked_read import Written, damaged, digest_of
from sim.output import replace_file

LOG = "parts.jsonl"
LOG_EXPECTED = "parts.jsonl as written by sim sweep (or delete it: the parts are then read unchecked, as a folder of a " \
             "version before it)"


def read(folder: Path) -> dict[str, Written] | None:
    """Each recorded part (``runs/part-....parquet``) and what was written, None for a folder without the record."""
    path = folder / LOG
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise damaged(path, f"cannot be read ({error})", LOG_EXPECTED) from None
    lines = text.split("\n")
    if lines[-1]:  # cut off by a kill while it was appended: its part was never renamed in
        lines[-1] = ""
    records: dict[str, Written] = {}
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        try:
            entry = json.loads(line)
            records[str(entry["part"])] = Written(int(entry["rows"]), str(entry["sha256"]))
        except (ValueError, KeyError, TypeError):
            raise damaged(path, f"holds a line that is not a part's record (line {number})", LOG_EXPECTED) from None
    return records


def of_dataset(records: dict[str, Written] | None, dataset: str) -> dict[str, Written] | None:
    """The records of one dataset folder (``runs``, ``curves``) by part name."""
    if records is None:
        return None
    return {key.split("/", 1)[1]: value for key, value in records.items() if key.split("/", 1)[0] == dataset}


def append(folder: Path, part: str, written: Written) -> None:
    """Add the line of `part` (``runs/part-....parquet``), flushed to disk before the part is renamed in."""
    line = json.dumps({"part": part, "rows": written.rows, "sha256": written.sha256}) + "\n"
    with open(folder / LOG, "a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def as_found(path: Path) -> Written:
    """What a part holds now: the record of a part written before the record existed."""
    return Written(pq.read_metadata(path).num_rows, digest_of(path))


def rewrite(folder: Path, datasets: tuple[str, ...]) -> None:
    """The record of the parts in `datasets` as they are now, replaced atomically: a part's last line, a part written
    before the record as found, none for a part no longer there (a cut-off last line goes too)."""
    records = read(folder) or {}
    kept = {}
    for dataset in datasets:
        for part in sorted((folder / dataset).glob("part-*.parquet")):
            key = f"{dataset}/{part.name}"
            kept[key] = records.get(key) or as_found(part)
    lines = "".join(json.dumps({"part": key, "rows": w.rows, "sha256": w.sha256}) + "\n" for key, w in kept.items())
    replace_file(folder / LOG, lambda path: path.write_text(lines, encoding="utf-8"), sync=True)
