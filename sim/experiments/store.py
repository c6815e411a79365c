"""The on-disk record of a sweep: Parquet datasets of run rows and curves, written part by part.

A part is written to a hidden temporary file and renamed into place, so a reader (or a resumed sweep)
never sees half a part. The curves part of a batch is renamed first and its runs part second, under
the same name: the runs part is the commit. A curves part without its runs part (a kill between the
two renames) is deleted on resume, so every run appears exactly once in both datasets. Each part's rows and SHA-256 are
recorded once it is renamed in (``sim.experiments.part_log``) and checked wherever it is read: a resume sets a part unlike
its record aside (into ``set_aside/``) and runs its runs again, as it does the runs of a recorded runs part that is
missing (deleted since); an analysis refuses either.

A run has one of three statuses: ``ok``; ``failed``, an error in the model (its seed gives the same error
again, so a resume keeps it); ``lost``, a run the infrastructure never finished (its worker died, or could
not start it), which a resume deletes from its part and runs again. Folders written before ``lost`` existed
recorded such a run as ``failed`` without a run time (``seconds`` NaN), which a model failure always has: such a
row is lost too (``is_lost``). So is a run an older version recorded as ``failed`` when a Ctrl-C landed in compiled
code (``INTERRUPTED``): the run was stopped, not wrong.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.checked_read import AS_WRITTEN, Written, damaged, read_parts
from sim.experiments import part_log

RUNS = "runs"
CURVES = "curves"
KEY = ["point", "replicate"]
SET_ASIDE = "set_aside"  # where a resume moves parts unlike their record (``RunStore.prepare``)
GONE = "is missing, though parts.jsonl records it as written (deleted, or lost in a copy?)"
"""What is wrong with a recorded runs part that is absent (``part_log.missing``)."""
KEY_TYPES = dict.fromkeys(KEY, pa.int64())  # how every part stores the key (runs_schema, curves_schema)
OK, FAILED, LOST = "ok", "failed", "lost"  # a run's status (see the module's docstring)
CURVE_COLUMNS = {
    "weeks_since_release": pa.int64(), "reoffended": pa.float64(), "recalled": pa.float64(),
    "returned": pa.float64(), "terrorism_offence": pa.float64(), "at_risk": pa.int64(),
}


INTERRUPTED = "returned a result with an exception set"
"""The end of the SystemError CPython raised when a Ctrl-C landed in numba's callback, which versions before
``sim.errors.interruption`` recorded as the run's failure."""


LOST_BY = ["status", "seconds", "error"]  # the columns ``is_lost`` reads


def is_lost(runs: pd.DataFrame) -> pd.Series:
    """Which rows are runs lost to the infrastructure, which a resume runs again: status ``lost``; or ``failed``
    without a run time, as a version before ``lost`` existed recorded them (a run that fails in the model always has
    its seconds); or ``failed`` by a Ctrl-C in compiled code (``INTERRUPTED``), as versions before December 2026 did."""
    failed = runs["status"] == FAILED
    older = failed & runs["seconds"].isna() if "seconds" in runs else False
    interrupted = failed & runs["error"].fillna("").str.endswith(INTERRUPTED) if "error" in runs else False
    return (runs["status"] == LOST) | older | interrupted


def runs_schema(design: pd.DataFrame, factors: list[str], metrics: list[str]) -> pa.Schema:
    """Fixed column types, so every part has the same schema even when a batch is all failures."""
    fields = [
        *(pa.field(name, kind) for name, kind in KEY_TYPES.items()), pa.field("seed", pa.uint64()),
        pa.field("status", pa.string()), pa.field("error", pa.string()), pa.field("seconds", pa.float64()),
        pa.field("code", pa.string()), pa.field("worker", pa.string()),
    ]
    for factor in factors:
        fields.append(pa.field(factor, pa.Schema.from_pandas(design[[factor]], preserve_index=False).field(factor).type))
    fields += [pa.field(metric, pa.float64()) for metric in metrics]
    return pa.schema(fields)


def curves_schema() -> pa.Schema:
    return pa.schema([*(pa.field(name, kind) for name, kind in KEY_TYPES.items()),
                      *(pa.field(k, v) for k, v in CURVE_COLUMNS.items())])


def read_dataset(directory: Path, columns: list[str] | None = None, required: tuple[str, ...] = (),
                 skip: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame | None:
    """A dataset folder as one frame sorted by point and replicate (None when no part exists yet), whatever order
    the parts were written in (workers, resumes): every reader of a sweep sees the same frame.

    A damaged part, one without the `required` columns, or one unlike the sweep's record of it (``part_log``: cut short
    at the end of a row, replaced) is an InputError naming it (``sim.checked_read``): a resume never runs on a
    half-read record. `skip` names parts left out (those a resume runs again: ``damaged_parts``).
    """
    committed = None  # a curves part counts once its runs part is written (RunStore.flush): a kill between the two
    if directory.name == CURVES or skip:  # renames leaves curves of runs the sweep has not recorded, until a resume deletes them
        committed = {p.name for p in (directory.parent / RUNS).glob("part-*.parquet")} - set(skip)
    records = part_log.entries(directory.parent)
    written = part_log.of_dataset(part_log.written_of(records), directory.name)
    require_recorded_runs(directory.parent, skip, records)
    if directory.name == CURVES:
        require_recorded_curves(directory, written, committed)
    frame = read_parts(directory, [*(c for c in KEY if columns is None or c in columns), *required], columns,
                       types=KEY_TYPES, only=committed, written=written)
    if frame is None:
        return None
    order = [c for c in (*KEY, "weeks_since_release") if c in frame.columns]
    identity = [*KEY, "weeks_since_release"] if directory.name == CURVES else KEY  # of a row: a run, or a week of one
    if set(identity) <= set(frame.columns):  # a curves frame read without its weeks cannot tell a repeat
        once_each(directory, frame, identity, committed)
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def require_recorded_runs(folder: Path, skip: set[str] | frozenset[str], records: part_log.Entries | None) -> None:
    """Refuse a sweep folder that lacks a runs part its record (`records`: ``part_log.entries``) says was written (but
    those in `skip`, which a resume runs again): read without it, a report or analysis rested on fewer runs than the
    sweep made, without a word."""
    for name in part_log.missing(folder, RUNS, records):
        if name not in skip:
            raise damaged(folder / RUNS / name, GONE, AS_WRITTEN)


def require_recorded_curves(directory: Path, written: dict[str, Written] | None, committed: set[str] | None) -> None:
    """Refuse a curves folder that lacks a part the sweep recorded while its runs part is there: the curves part is
    renamed in before its runs part, so it was deleted or lost in a copy since. Read without it, every curve and
    figure rested on fewer runs than the runs table says, without a word (a resume sets the runs part aside and runs
    its runs again: ``damaged_parts``)."""
    for name in sorted(set(written or {}) & (committed or set())):
        if not (directory / name).exists():
            raise damaged(directory / name, "is missing, though the sweep wrote it and its runs part is in runs/",
                          AS_WRITTEN)


def once_each(directory: Path, frame: pd.DataFrame, identity: list[str], only: set[str] | None) -> None:
    """Refuse a dataset holding a run (or a week of a run's curve) twice: a part copied in from another folder of the
    same sweep (halves run on two machines, merged) reads as valid and was counted twice, doubling `replicates` and
    narrowing every interval. Names the two parts that hold the first such run."""
    repeated = frame.duplicated(identity, keep=False)
    if not repeated.any():
        return
    point, replicate = (int(v) for v in frame.loc[repeated.idxmax(), KEY])
    holders = []
    for part in sorted(directory.glob("part-*.parquet")):
        if only is None or part.name in only:
            keys = pq.read_table(part, columns=KEY).to_pandas()
            if ((keys["point"] == point) & (keys["replicate"] == replicate)).any():
                holders.append(part.name)
    where = (f"both {holders[0]} and {holders[1]}" if len(holders) > 1 else f"twice in {holders[0]}") if holders else ""
    raise damaged(directory, f"holds run (point {point}, replicate {replicate}) more than once ({where}): "
                             f"{int(frame.duplicated(identity).sum()):,} repeated rows",
                  "each run in one part, as the sweep writes them (a part copied in from another folder? move the one "
                  "that does not belong out of the folder)")


def damaged_parts(folder: Path) -> dict[str, str]:
    """The parts of a sweep folder unlike its record (``part_log``), by name, each with what is wrong with its runs part
    or its curves part (``runs/part-....parquet holds 3 rows where the sweep wrote 4 ...``), and the recorded runs parts
    that are missing (``GONE``): a resume runs their runs again. None in a folder without the record, or for a curves
    part whose runs part was never renamed in."""
    records = part_log.entries(folder)
    if not records:
        return {}
    found = {name: f"{RUNS}/{name}: {GONE}" for name in part_log.missing(folder, RUNS, records)}
    committed = {p.name for p in (folder / RUNS).glob("part-*.parquet")}
    return found | part_log.unlike_record(folder, part_log.written_of(records), (RUNS, CURVES), committed)


class RunStore:
    """Buffers finished runs and writes them as parts of ``runs/`` and ``curves/`` in batches.

    A batch is written when it holds `batch_size` runs or `flush_seconds` have passed since its first
    run, so a kill loses at most one batch (which a resume reruns), and a long sweep does not leave
    thousands of tiny files. `unchanged`, called before each batch is written, raises if what the runs read has
    changed since the sweep began (``Experiment.unchanged_inputs``): that batch is then dropped, not written.
    """

    def __init__(self, directory: Path, schema: pa.Schema, *, batch_size: int = 20, flush_seconds: float = 60.0,
                 unchanged: Callable[[int], None] | None = None) -> None:
        self.folder, self.runs_dir, self.curves_dir = directory, directory / RUNS, directory / CURVES
        self.schema, self.batch_size, self.flush_seconds = schema, max(1, batch_size), flush_seconds
        self.unchanged = unchanged
        self._rows: list[dict[str, Any]] = []
        self._curves: list[pd.DataFrame] = []
        self._since: float | None = None
        self._name: str | None = None  # of the batch being written (``flush``)

    def prepare(self, damaged: Iterable[str], lost: int) -> None:
        """Create the folders and clear what a killed sweep left (temporary files and uncommitted curves parts), set
        aside the `damaged` parts (``damaged_parts`` of the folder as found), record every part as it now is
        (``part_log.rewrite``) and delete the rows of the `lost` runs (``lost_counts`` of the folder as found; with none,
        no part is read for them): this session runs the runs set aside or deleted again. The runs done are then those
        found done before (``finished_of``): the parts set aside and the rows deleted held none of them."""
        for folder in (self.runs_dir, self.curves_dir):
            folder.mkdir(parents=True, exist_ok=True)
            for stale in folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)
        for name in damaged:
            for folder in (self.runs_dir, self.curves_dir):
                set_aside(folder / name, self.folder / SET_ASIDE / folder.name)
        committed = {p.name for p in self.runs_dir.glob("part-*.parquet")}
        for orphan in self.curves_dir.glob("part-*.parquet"):
            if orphan.name not in committed:
                orphan.unlink()
        part_log.rewrite(self.folder, (RUNS, CURVES))  # before any line is appended (a kill may have cut the last one)
        parts = sorted(self.runs_dir.glob("part-*.parquet"))
        if parts:  # a resume writes the columns the parts already have: a sweep begun before a column was added
            stored = pq.read_schema(parts[0]).names  # (code, worker) goes on without it, its parts still alike
            self.schema = pa.schema([field for field in self.schema if field.name in stored])
        for part in parts if lost else ():  # with no run found lost, no part holds one
            table = pq.read_table(part)
            kept = table.filter(pa.array(~is_lost(table.select(LOST_BY).to_pandas()).to_numpy()))
            if kept.num_rows == table.num_rows:
                continue
            if kept.num_rows:  # a lost run has no curves: the curves part of the batch stays as it is
                self._write(kept, part)
            else:  # its line goes first: a recorded part that is absent was deleted by someone else (``GONE``)
                part_log.rewrite(self.folder, (RUNS, CURVES), leaving=f"{RUNS}/{part.name}")
                part.unlink()

    def add(self, row: dict[str, Any], curves: pd.DataFrame | None) -> None:
        self._rows.append(row)
        if curves is not None:
            self._curves.append(curves)
        self._since = self._since or time.monotonic()
        if len(self._rows) >= self.batch_size or time.monotonic() - self._since >= self.flush_seconds:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        if self.unchanged is not None and not (self.runs_dir / (self._name or "")).is_file():
            try:
                self.unchanged(len(self._rows))
            except BaseException:
                self._rows, self._curves, self._since, self._name = [], [], None, None  # runs on other inputs: dropped
                raise
        # the batch keeps its name until it is cleared: a Ctrl-C or SIGTERM that lands after its runs part is renamed
        # in, before the clearing, leaves it buffered, and the flush on the way out wrote it again, each run twice
        self._name = self._name or f"part-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(4)}.parquet"
        if not (self.runs_dir / self._name).exists():
            runs = pa.Table.from_pylist([{f: row.get(f) for f in self.schema.names} for row in self._rows],
                                        schema=self.schema)
            if self._curves:
                frame = pd.concat(self._curves, ignore_index=True)
                self._write(pa.Table.from_pandas(frame, schema=curves_schema(), preserve_index=False),
                            self.curves_dir / self._name)
            self._write(runs, self.runs_dir / self._name)  # the commit: these runs are now finished
        self._rows, self._curves, self._since, self._name = [], [], None, None

    def _write(self, table: pa.Table, path: Path) -> None:
        """Write a part, its record (``part_log``) appended once it is in place."""
        part_log.write_part(self.folder, path, lambda temporary: pq.write_table(table, temporary))


def finished_runs(runs_dir: Path) -> set[tuple[int, int]]:
    """(point, replicate) of every run recorded in a sweep's ``runs/`` folder, but for those lost to the infrastructure
    and those of parts unlike their record: the runs a resume does not run again (``finished_of``; ``sim
    robustness``'s size line counts them)."""
    return finished_of(statuses(runs_dir))


def statuses(runs_dir: Path, damaged: Iterable[str] | None = None) -> pd.DataFrame:
    """The key and status of every run recorded, but for those of parts unlike their record (a resume runs them again):
    `damaged`, if the folder's ``damaged_parts`` are known already. A resume reads it once for the runs done
    (``finished_of``) and those lost (``lost_counts``)."""
    skip = set(damaged_parts(runs_dir.parent) if damaged is None else damaged)
    frame = read_dataset(runs_dir, [*KEY, *LOST_BY], skip=skip)
    return pd.DataFrame(columns=[*KEY, *LOST_BY]) if frame is None else frame


def finished_of(recorded: pd.DataFrame) -> set[tuple[int, int]]:
    """(point, replicate) of the runs of `recorded` (``statuses``) but those lost to the infrastructure."""
    frame = recorded[~is_lost(recorded)]
    return set(zip(frame["point"].tolist(), frame["replicate"].tolist(), strict=True))


def lost_counts(recorded: pd.DataFrame) -> tuple[int, int]:
    """How many runs of `recorded` (``statuses``) were lost to the infrastructure (a resume runs them again), and how
    many of them an older version recorded as ``failed``."""
    lost = is_lost(recorded)
    return int(lost.sum()), int((lost & (recorded["status"] == FAILED)).sum())


def failed_of(runs: pd.DataFrame) -> pd.DataFrame:
    """The rows of `runs` (a sweep's run rows) that failed in the model (status ``failed``): a resume keeps them, as
    they would fail again."""
    return runs[(runs["status"] == FAILED) & ~is_lost(runs)].reset_index(drop=True)


def lost_of(runs: pd.DataFrame) -> pd.DataFrame:
    """The rows of `runs` (a sweep's run rows) lost to the infrastructure (``is_lost``): a resume runs them again."""
    return runs[is_lost(runs)].reset_index(drop=True)


def set_aside(part: Path, into: Path) -> None:
    """Move a part unlike its record out of its dataset, kept (the sweep may not have written what is there now)."""
    if not part.exists():
        return
    into.mkdir(parents=True, exist_ok=True)
    target = into / part.name
    if target.exists():  # set aside before under this name
        target = into / f"{part.stem}-{secrets.token_hex(4)}{part.suffix}"
    os.replace(part, target)


def set_aside_note(out: Path, damaged: dict[str, str], most: int = 2, writer: str = "the sweep") -> str:
    """The line a resume says of the parts unlike their record (``damaged_parts``), which it sets aside and reruns, and
    of the recorded runs parts that are missing (``GONE``), whose runs it reruns (its runs part is not there to move).
    A calibration says it of the parts of its run cache (`writer`: who wrote them)."""
    problems = list(damaged.values())
    moved = [problem for problem in problems if not problem.endswith(GONE)]
    if len(problems) == 1:
        return (f"note: {out / problems[0]}: its runs count as not done and run again"
                + (f" (the part is moved to {out / SET_ASIDE})" if moved else ""))
    more = f"; and {len(problems) - most} more" if len(problems) > most else ""
    return (f"note: {len(problems)} parts of {out} are not as {writer} wrote them, so their runs count as not done and "
            f"run again{f' (the parts are moved to {out / SET_ASIDE})' if moved else ''}: "
            f"{'; '.join(problems[:most])}{more}")
