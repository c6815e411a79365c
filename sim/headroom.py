"""Room for a job before its work: the memory and the disk its runs will take, projected from its first runs and
refused, in one wording, above what is free.

A run's size is known only once one has run (its events table grows with whom it releases and what they do), so a job
is measured by its first run of each scenario and refused then, before the others run: ``sim run -r 5000`` of 200,000
released ended hours later in a MemoryError, and a job whose results the disk cannot hold would learn it only when
it wrote them at the end.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sim.errors import InputError


class Projection:
    """The bytes a job of `replicates` runs of each scenario will total, from the runs measured so far: every finished
    run's own bytes, the runs to come of a scenario at its first run's, and the scenarios not yet run at as many bytes
    a person released as the last one measured. `scenarios`: each scenario's name and people released, in run order."""

    def __init__(self, scenarios: Iterable[tuple[str, int]], replicates: int) -> None:
        self.released = {name: max(released, 1) for name, released in scenarios}
        self.order = list(self.released)
        self.replicates, self.kept, self.measured = replicates, 0, set()

    def add(self, name: str, one: int) -> int | None:
        """Count a finished run of scenario `name` holding `one` bytes; the job's projected total after the first run
        of a scenario (when a check is due), else None."""
        self.kept += one
        if name in self.measured:
            return None
        self.measured.add(name)
        later = self.order[self.order.index(name) + 1:]
        return int(self.kept + one * (self.replicates - 1)
                   + one / self.released[name] * self.replicates * sum(self.released[other] for other in later))


def check_room(need: int, free: int | None, *, doing: str, where: str, each: int, kept: str, place: str, key: str,
               expected: str, file: str | None = None) -> None:
    """Refuse a job that would take `need` bytes (`each` a run) where `free` are free (None: unknown, let be), in the
    words of every such refusal: 'would hold about 2.1 GB in memory (35 MB a run, all kept until the end), more than
    the 1.5 GB this machine has free'."""
    if free is not None and need > free:
        raise InputError(f"would {doing} about {gigabytes(need)}{where} ({gigabytes(each)} a run{kept}), more than the "
                         f"{gigabytes(free)} {place}", file=file, key=key, expected=expected)


def available_memory() -> int | None:
    """Bytes of memory free for a new allocation (Linux's MemAvailable), or None where it cannot be read."""
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def free_disk(path: Path) -> int | None:
    """Bytes free to this user on the file system `path` will be written on (that of its nearest existing parent),
    or None where it cannot be read."""
    place = Path(path).absolute()
    while not place.exists() and place != place.parent:
        place = place.parent
    try:
        return shutil.disk_usage(place).free
    except OSError:
        return None


def parquet_bytes(*tables: Any) -> int:
    """The bytes the rows of `tables` (pandas DataFrames) take written as Parquet, as the results are: measured in
    memory, less what an empty file of each takes (its schema and footer, paid once a job, not once a run). A run's
    rows measured alone compress less than the job's joined files (1 to 3 times what they took in ``sim run``):
    room enough for the summary and figures too."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    total = 0
    for table in tables:
        for rows, sign in ((table, 1), (table.iloc[:0], -1)):
            arrow, buffer = pa.Table.from_pandas(rows, preserve_index=False), io.BytesIO()
            with pq.ParquetWriter(buffer, arrow.schema) as writer:  # as to_parquet writes, to memory only
                writer.write_table(arrow)
            total += sign * buffer.tell()
    return max(total, 0)


def gigabytes(count: float) -> str:
    """E.g. 2.1 GB, 35 MB, 14 kB."""
    if count < 2**20:
        return f"{count / 2**10:.0f} kB"
    return f"{count / 2**30:.1f} GB" if count >= 2**30 / 10 else f"{count / 2**20:.0f} MB"
