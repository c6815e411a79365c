"""The on-disk record of a sweep: Parquet datasets of run rows and curves, written part by part.

A part is written to a hidden temporary file and renamed into place, so a reader (or a resumed sweep)
never sees half a part. The curves part of a batch is renamed first and its runs part second, under
the same name: the runs part is the commit. A curves part without its runs part (a kill between the
two renames) is deleted on resume, so every run appears exactly once in both datasets.

A run has one of three statuses: ``ok``; ``failed``, an error in the model (its seed gives the same error
again, so a resume keeps it); ``lost``, a run the infrastructure never finished (its worker died, or could
not start it), which a resume deletes from its part and runs again. Folders written before ``lost`` existed
recorded such a run as ``failed`` without a run time (``seconds`` NaN), which a model failure always has: such a
row is lost too (``is_lost``). So is a run an older version recorded as ``failed`` when a Ctrl-C landed in compiled
code (``INTERRUPTED``): the run was stopped, not wrong.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.checked_read import read_parts
from sim.output import replace_file

RUNS = "runs"
CURVES = "curves"
KEY = ["point", "replicate"]
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


def read_dataset(directory: Path, columns: list[str] | None = None, required: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """A dataset folder as one frame sorted by point and replicate (None when no part exists yet), whatever order
    the parts were written in (workers, resumes): every reader of a sweep sees the same frame.

    A damaged part, or one without the `required` columns, is an InputError naming it (``sim.checked_read``): a
    resume never runs on a half-read record.
    """
    committed = None  # a curves part counts once its runs part is written (RunStore.flush): a kill between the two
    if directory.name == CURVES:  # renames leaves curves of runs the sweep has not recorded, until a resume deletes them
        committed = {p.name for p in (directory.parent / RUNS).glob("part-*.parquet")}
    frame = read_parts(directory, [*(c for c in KEY if columns is None or c in columns), *required], columns,
                       types=KEY_TYPES, only=committed)
    if frame is None:
        return None
    order = [c for c in (*KEY, "weeks_since_release") if c in frame.columns]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


class RunStore:
    """Buffers finished runs and writes them as parts of ``runs/`` and ``curves/`` in batches.

    A batch is written when it holds `batch_size` runs or `flush_seconds` have passed since its first
    run, so a kill loses at most one batch (which a resume reruns), and a long sweep does not leave
    thousands of tiny files.
    """

    def __init__(self, directory: Path, schema: pa.Schema, *, batch_size: int = 20, flush_seconds: float = 60.0) -> None:
        self.runs_dir, self.curves_dir = directory / RUNS, directory / CURVES
        self.schema, self.batch_size, self.flush_seconds = schema, max(1, batch_size), flush_seconds
        self._rows: list[dict[str, Any]] = []
        self._curves: list[pd.DataFrame] = []
        self._since: float | None = None

    def prepare(self) -> None:
        """Create the folders and clear what a killed sweep left (temporary files and uncommitted curves parts) and
        the rows of runs lost to the infrastructure, which this session runs again."""
        for folder in (self.runs_dir, self.curves_dir):
            folder.mkdir(parents=True, exist_ok=True)
            for stale in folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)
        committed = {p.name for p in self.runs_dir.glob("part-*.parquet")}
        for orphan in self.curves_dir.glob("part-*.parquet"):
            if orphan.name not in committed:
                orphan.unlink()
        parts = sorted(self.runs_dir.glob("part-*.parquet"))
        if parts:  # a resume writes the columns the parts already have: a sweep begun before a column was added
            stored = pq.read_schema(parts[0]).names  # (code, worker) goes on without it, its parts still alike
            self.schema = pa.schema([field for field in self.schema if field.name in stored])
        for part in parts:
            table = pq.read_table(part)
            kept = table.filter(pa.array(~is_lost(table.select(LOST_BY).to_pandas()).to_numpy()))
            if kept.num_rows == table.num_rows:
                continue
            if kept.num_rows:  # a lost run has no curves: the curves part of the batch stays as it is
                _write(kept, part)
            else:
                part.unlink()

    def finished(self) -> set[tuple[int, int]]:
        """(point, replicate) of every run already recorded, but for those lost to the infrastructure."""
        return finished_runs(self.runs_dir)

    def lost(self) -> tuple[int, int]:
        """How many recorded runs were lost to the infrastructure (a resume runs them again), and how many of them
        an older version recorded as ``failed``."""
        frame = _statuses(self.runs_dir)
        lost = is_lost(frame)
        return int(lost.sum()), int((lost & (frame["status"] == FAILED)).sum())

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
        name = f"part-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(4)}.parquet"
        runs = pa.Table.from_pylist([{f: row.get(f) for f in self.schema.names} for row in self._rows], schema=self.schema)
        if self._curves:
            frame = pd.concat(self._curves, ignore_index=True)
            _write(pa.Table.from_pandas(frame, schema=curves_schema(), preserve_index=False), self.curves_dir / name)
        _write(runs, self.runs_dir / name)  # the commit: these runs are now finished
        self._rows, self._curves, self._since = [], [], None


def finished_runs(runs_dir: Path) -> set[tuple[int, int]]:
    """(point, replicate) of every run recorded in a sweep's ``runs/`` folder, but for those lost to the infrastructure:
    the runs a resume does not run again (``RunStore.finished``; ``sim robustness``'s size line counts them)."""
    frame = _statuses(runs_dir)
    frame = frame[~is_lost(frame)]
    return set(zip(frame["point"].tolist(), frame["replicate"].tolist(), strict=True))


def _statuses(runs_dir: Path) -> pd.DataFrame:
    frame = read_dataset(runs_dir, [*KEY, *LOST_BY])
    return pd.DataFrame(columns=[*KEY, *LOST_BY]) if frame is None else frame


def _write(table: pa.Table, path: Path) -> None:
    replace_file(path, lambda temporary: pq.write_table(table, temporary), sync=True)
