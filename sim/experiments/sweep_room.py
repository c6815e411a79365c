"""The disk a sweep's or a calibration's runs will take, refused after its first run, before the others
(``sim.headroom``).

A sweep writes each part of runs as it fills, so a full disk stopped it part way, hours in, with an error for each
part it could not write; its first run tells how much each takes. A calibration caches its runs alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from sim import headroom
from sim.headroom import check_room, parquet_bytes

SWEEP_WAY_OUT = ("fewer runs (a smaller design or fewer replicates), or an --out on a disk with more free space; the runs "
                 "already there are kept")


def sweep_bytes(row: dict[str, Any], curves: pd.DataFrame) -> int:
    """A sweep run's row and curves measured as Parquet alone: each pays a file's overhead that a part of many runs
    shares, so the estimate is on the safe side."""
    return parquet_bytes(pd.DataFrame([row]), curves)


def with_room(out: Path, runs: int, results: Iterable[tuple[dict[str, Any], pd.DataFrame | None]], *,
              measured: Callable[[dict[str, Any], pd.DataFrame], int] = sweep_bytes, expected: str = SWEEP_WAY_OUT
              ) -> Iterator[tuple[dict[str, Any], pd.DataFrame | None]]:
    """`results` (rows and curves, as they finish), once the first with curves has shown that the disk of `out` holds
    all `runs` to run like it, as `measured` counts a run's bytes; else refused before that run is stored, `expected`
    saying what to do."""
    measured_yet = False
    for row, curves in results:
        if not measured_yet and curves is not None:
            measured_yet = True
            one = measured(row, curves)
            check_room(one * runs, headroom.free_disk(out), doing="write", where=f" to {out}", each=one,
                       kept=" as Parquet", place="free on its file system", key="--out", file=str(out),
                       expected=expected)
        yield row, curves
