"""Reading the files of a results folder with checks: a damaged file is named, with what is wrong and what was expected.

Results folders outlive the command that wrote them: they are copied, synced, truncated by a full
disk or edited by hand. A Parquet reader's ``ArrowInvalid`` or a ``KeyError`` deep in a report names
no file; these readers raise :class:`~sim.errors.InputError` (``file: what is wrong: expected ...``)
instead, which the command line prints as one line with exit status 2.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import InputError
from sim.file_digests import digest_of

WRITTEN_BY_SIM = "a file as written by sim (rerun the command that wrote the folder)"


def damaged(path: Path, problem: str, expected: str = WRITTEN_BY_SIM) -> InputError:
    return InputError(f"{problem}: expected {expected}", file=str(path), expected=expected)


def _short(error: BaseException) -> str:
    """The reader's own words, without the path it repeats (the message names the file already)."""
    text = re.sub(r"Could not open Parquet input source '[^']*': ", "", " ".join(str(error).split()))
    return text[:160] + ("..." if len(text) > 160 else "")


def require_columns(frame: pd.DataFrame, path: Path, required: Iterable[str]) -> pd.DataFrame:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise damaged(path, f"lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                      f"columns {', '.join(required)}")
    return frame


def read_parquet(path: str | Path, required: Iterable[str] = (), columns: list[str] | None = None) -> pd.DataFrame:
    """One Parquet file, refusing a corrupt or truncated file and one without the `required` columns."""
    path = Path(path)
    try:
        frame = pq.read_table(path, columns=columns).to_pandas()
    except FileNotFoundError:
        raise damaged(path, "is missing") from None
    except (pa.ArrowException, OSError, ValueError) as error:
        raise damaged(path, f"cannot be read as Parquet ({_short(error)})", "an intact Parquet file written by sim") from None
    return require_columns(frame, path, required)


@dataclass(frozen=True)
class Written:
    """What a writer recorded of a file as it wrote it: its rows and the SHA-256 of its bytes. A Parquet part cut short
    at the end of a row group, or replaced by another valid file, reads without an error: only this tells."""

    rows: int
    sha256: str


AS_WRITTEN = "the part as the sweep wrote it (rerun the sweep into its folder: it runs that part's runs again)"


def unlike(path: Path, written: Written, rows: int | None = None, writer: str = "the sweep") -> str | None:
    """What sets the file at `path` apart from what its `writer` recorded (`written`), or None if nothing does. `rows`:
    its rows, if its footer has been read already."""
    try:
        if rows is None:
            try:
                rows = pq.read_metadata(path).num_rows
            except FileNotFoundError:
                return "is missing"
            except PermissionError:
                raise
            except (pa.ArrowException, OSError, ValueError) as error:
                return f"cannot be read as Parquet ({_short(error)})"
        if rows != written.rows:
            return (f"holds {rows:,} row{'s' * (rows != 1)} where {writer} wrote {written.rows:,} (cut short, or "
                    "replaced by another file?)")
        digest = digest_of(path)
    except PermissionError as error:  # not damaged: setting it aside would run its runs again for want of a chmod
        raise damaged(path, f"cannot be read by this user ({error.strerror or _short(error)})",
                      f"a part this user can read (give them read permission; {writer} wrote it and sets aside only a "
                      "part unlike what it wrote)") from None
    if digest != written.sha256:
        return f"is not the file {writer} wrote: its SHA-256 differs from the one recorded (edited, or replaced?)"
    return None


def read_parts(directory: str | Path, required: Iterable[str] = (), columns: list[str] | None = None,
               types: Mapping[str, pa.DataType] | None = None, only: set[str] | None = None,
               written: Mapping[str, Written] | None = None) -> pd.DataFrame | None:
    """The ``part-*.parquet`` files of a sweep dataset as one frame (None when there are none), each part checked.

    Every part must have the columns and column types of the others (one sweep writes them all with one
    schema) and, for the columns in `types`, those types: a key read as text would match no design point.
    `only` names the parts to read (None: all). A part named in `written` must hold what its writer recorded
    (``unlike``): a part cut short at the end of a row is refused with the rows written and found, not read as whole.
    """
    directory = Path(directory)
    parts = sorted(p for p in directory.glob("part-*.parquet") if only is None or p.name in only) if directory.is_dir() else []
    if not parts:
        return None
    try:  # the fast path: each part's footer, then one dataset read
        footers = [pq.read_metadata(part) for part in parts]
        schemas = [tuple((field.name, str(field.type)) for field in footer.schema.to_arrow_schema()) for footer in footers]
        frame = pq.ParquetDataset([str(p) for p in parts]).read(columns=columns).to_pandas()
    except (pa.ArrowException, OSError, ValueError):
        for part in parts:  # find and name the damaged part (or the one without a column asked for)
            read_parquet(part, columns or ())
        raise damaged(directory, "holds parts with different columns", "parts written by one sweep") from None
    for part, own in zip(parts, schemas, strict=True):
        stored = dict(own)
        for name, kind in (types or {}).items():
            if name in stored and stored[name] != str(kind):
                raise damaged(part, f"holds {name} as {stored[name]}, not {kind}", "a part written by a sim sweep")
    usual = Counter(schemas).most_common(1)[0][0]  # one sweep writes every part with one schema
    for part, own in zip(parts, schemas, strict=True):
        if own != usual:  # a part from elsewhere would be merged in silently, its missing columns empty
            names = [name for name, _ in own]
            if names != [name for name, _ in usual]:
                raise damaged(part, f"has other columns than the other parts of {directory.name}/ "
                                    f"({', '.join(names[:4])}{', ...' if len(names) > 4 else ''})", "parts written by one sweep")
            name, kind = next(field for field, other in zip(own, usual, strict=True) if field != other)
            raise damaged(part, f"holds {name} as {kind}, unlike the other parts of {directory.name}/ "
                                f"({dict(usual)[name]})", "parts written by one sweep")
    for part, footer in zip(parts, footers, strict=True):
        if (record := (written or {}).get(part.name)) and (problem := unlike(part, record, footer.num_rows)):
            raise damaged(part, problem, AS_WRITTEN)
    return require_columns(frame, directory, required)


WHOLE = "the whole file as written by sim (rerun the command that wrote it)"


@dataclass(frozen=True)
class Grid:
    """Rows a table sim writes as a whole grid holds: within each group of the `within` columns, one for every
    combination of the values its `axes` take there, or, for an axis in `known`, of those values (the scenarios a
    folder's manifest names). A file cut at the end of a row looks whole (``whole``) but lacks some of them."""

    axes: tuple[str, ...]
    within: tuple[str, ...] = ()
    known: Mapping[str, Sequence[str]] = field(default_factory=dict)


def read_csv(path: str | Path, required: Iterable[str] = (), *, rows: bool = False, numeric: Iterable[str] = (),
             filled: Iterable[str] = (), grids: Iterable[Grid] = (), expected: str = WHOLE) -> pd.DataFrame:
    """One CSV file, refusing an unparsable, truncated or ragged file (``whole``), one without the `required` columns,
    one whose `numeric` columns hold text, one with an empty cell in a `filled` column (sim writes a value in each),
    one lacking a row of its `grids` and, with `rows`, one cut to its header (a table sim always writes rows into).
    `expected` is what a file cut short is refused with.

    Every reader of a results folder's tables reads them here, so that a file cut short by a full disk, a copy or a
    sync is refused alike wherever it is read. The empty cells and the grids are judged on the text as written (a
    scenario named NA is no empty cell), not on what pandas makes of it."""
    path = Path(path)
    try:
        data = path.read_bytes()
        frame = pd.read_csv(io.BytesIO(data))
    except FileNotFoundError:
        raise damaged(path, "is missing") from None
    except (ValueError, OSError, UnicodeDecodeError, csv.Error) as error:  # pandas' ParserError is a ValueError
        raise damaged(path, f"cannot be read as CSV ({_short(error)})", "a CSV file written by sim") from None
    header, lines = whole(path, data, expected)
    frame = require_columns(frame, path, required)
    if rows and frame.empty:  # sim writes rows into such a table: it was cut short or emptied
        raise damaged(path, "holds a header but no rows", "the rows written by sim (rerun the command that wrote it)")
    for column in (c for c in filled if c in header):
        at = header.index(column)
        line = next((line for line, cells in lines if cells[at] == ""), None)
        if line is not None:
            raise damaged(path, f"has an empty cell in its {column} column (line {line}), where sim always writes a "
                                "value", expected)
    for grid in grids:
        require_grid(path, header, lines, grid, expected)
    for column in numeric:
        if column in frame and not frame.empty and not pd.api.types.is_numeric_dtype(frame[column]):
            raise damaged(path, f"holds text in its {column} column, where sim writes numbers",
                          "the numbers written by sim (rerun the command that wrote it)")
    return frame


def whole(path: Path, data: bytes, expected: str = WHOLE) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A CSV file's header and rows (each with the line it ends on) as text, refusing a file cut off or ragged.

    pandas, which wrote it, ends every row, the last included, with a newline and gives every row the header's
    fields; reading, it fills a short row's missing cells with NaN without a word (the cut last row of a table
    became a row of empty cells in a report) and takes a first row's extra cell for an index."""
    if data and not data.endswith(b"\n"):
        raise damaged(path, "is truncated (its last row is cut off: the file does not end with a newline)", expected)
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
    header: list[str] | None = None
    lines: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if not cells:  # a blank line, which pandas skips too
                continue
            if header is None:
                header = cells
            else:
                lines.append((reader.line_num, cells))
    except csv.Error as error:
        raise damaged(path, f"cannot be read as CSV ({_short(error)})", "a CSV file written by sim") from None
    header = header or []
    for index, (line, cells) in enumerate(lines):
        if len(cells) != len(header):
            said = (f"is truncated (its last row is cut off: {len(cells)}" if index == len(lines) - 1
                    else f"is ragged (its row on line {line} has {len(cells)}")
            raise damaged(path, f"{said} of the header's {len(header)} fields)", expected)
    return header, lines


def require_grid(path: Path, header: list[str], lines: list[tuple[int, list[str]]], grid: Grid,
                 expected: str = WHOLE) -> None:
    """Refuse a table (its `header` and text `lines`) lacking a row of `grid`, or holding a value of a `known` axis
    that is not known. A table without the grid's columns (of an older version) is let be."""
    if not lines or not {*grid.axes, *grid.within} <= set(header):
        return
    known = {axis: list(dict.fromkeys(map(str, values))) for axis, values in grid.known.items()
             if axis in grid.axes and values}
    inner, outer = [header.index(a) for a in grid.axes], [header.index(c) for c in grid.within]
    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for _, cells in lines:
        groups.setdefault(tuple(cells[i] for i in outer), []).append(tuple(cells[i] for i in inner))
    for group, cells in groups.items():
        for at, axis in enumerate(grid.axes):
            stray = next((cell[at] for cell in cells if axis in known and cell[at] not in known[axis]), None)
            if stray is not None:
                raise damaged(path, f"holds rows of {axis} {stray}, which the folder's manifest does not name", expected)
        levels = [known.get(axis) or list(dict.fromkeys(cell[at] for cell in cells)) for at, axis in enumerate(grid.axes)]
        have = set(cells)
        if len(have) == math.prod(map(len, levels)):
            continue
        missing = next(cell for cell in itertools.product(*levels) if cell not in have)
        said = ", ".join(f"{axis} {value}" for axis, value in zip(grid.axes, missing, strict=True))
        of = f" ({', '.join(f'{c} {v}' for c, v in zip(grid.within, group, strict=True))})" if grid.within else ""
        raise damaged(path, f"lacks the row for {said}{of} that sim writes with the others (cut short at the end of a "
                            "row, or rows deleted?)", expected)


def read_text(path: str | Path, expected: str = WRITTEN_BY_SIM) -> str:
    """One text file shown as written (comparison.md, calibrated.yaml), refusing a missing, unreadable or non-UTF-8 one,
    and one cut short: every text file sim writes ends with a newline, and a report of half of comparison.md showed
    half its findings without a word."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            raise damaged(path, "is truncated (it is empty, or cut off: it does not end with a newline)", expected)
        return text
    except FileNotFoundError:
        raise damaged(path, "is missing", expected) from None
    except UnicodeDecodeError as error:
        raise damaged(path, f"is not UTF-8 text ({_short(error)})", expected) from None
    except OSError as error:  # e.g. a folder of that name
        raise damaged(path, f"cannot be read ({error.strerror or _short(error)})", expected) from None


def read_json(path: str | Path, expected: str = WRITTEN_BY_SIM, *, key: str | None = None) -> dict:
    """One JSON file holding an object (a manifest), refusing a missing, unparsable or truncated file; `key` names
    the option that pointed at it (``--out`` for a folder a command resumes)."""
    path = Path(path)

    def refused(problem: str) -> InputError:
        return damaged(path, problem, expected).replace(key=key)

    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise refused("is missing") from None
    except (OSError, ValueError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise refused(f"cannot be read as JSON ({_short(error)})") from None
    if not isinstance(value, dict):
        raise refused(f"holds a JSON {type(value).__name__}, not an object")
    return value
