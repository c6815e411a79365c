"""The resumable record of a calibration: every model run's curve, keyed by its parameter values and seed.

Runs are written as Parquet parts under ``DIR/cache/`` (each part written to a hidden file and renamed
into place), so a calibration killed part-way, or rerun with a larger budget, a different target or
other ranges, re-uses every run it already made. ``cache/scenario.json`` holds a fingerprint of the
scenario the runs belong to: a folder of another scenario's runs is refused rather than mixed in.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from pathlib import Path
from typing import Any

import pandas as pd

from sim.checked_read import read_parquet
from sim.curves import CURVES
from sim.errors import InputError
from sim.folder_lock import is_empty, listed, settings_record, there_and_now
from sim.output import replace_file
from sim.scenarios.schema import Scenario

CACHE = "cache"
SCENARIO_FILE = "scenario.json"
COLUMNS = ["weeks_since_release", *CURVES]


def settings(scenario: Scenario) -> dict[str, Any]:
    """What the runs depend on: every setting except the scenario's name, description and parent."""
    return scenario.model_dump(mode="json", exclude={"name", "description", "extends"})


def fingerprint(scenario: Scenario) -> str:
    return hashlib.sha256(json.dumps(settings(scenario), sort_keys=True).encode()).hexdigest()[:16]


def _differences(record: dict, scenario: Scenario) -> str:
    """'population.community 100 there, 120 now; ...' from the settings the folder's marker records; what it
    says without them (a folder of an older version records only the fingerprint)."""
    before = record.get("settings")
    if not isinstance(before, dict):
        return "other settings (not recorded in this folder)"
    before, after = settings_record(before), settings_record(settings(scenario))
    changed = [there_and_now(key, before.get(key, "(unset)"), after.get(key, "(unset)"))
               for key in sorted(before.keys() | after.keys()) if before.get(key) != after.get(key)]
    return listed(changed) if changed else "other settings"


def run_key(changes: dict[str, Any], seed: int) -> str:
    return json.dumps({"changes": changes, "seed": int(seed)}, sort_keys=True)


def check_folder(out: Path, scenario: Scenario) -> None:
    """`out` is new, empty, or a calibration folder of this same scenario; anything else is refused."""
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder", file=str(out), key="--out", expected="a new or calibration folder")
    marker = out / CACHE / SCENARIO_FILE
    if marker.is_file():
        try:
            record = json.loads(marker.read_text())
            previous = record["fingerprint"]
        except (ValueError, KeyError, TypeError):
            raise InputError("has an unreadable cache/scenario.json", file=str(out), key="--out",
                             expected="a folder written by `sim calibrate`") from None
        if previous != fingerprint(scenario):
            raise InputError(f"holds the runs of a calibration of another scenario ({_differences(record, scenario)})",
                             file=str(out), key="--out",
                             expected="a new folder, or the folder of an earlier calibration of this scenario")
    elif out.exists() and not is_empty(out):
        raise InputError("is not empty and holds no calibration (no cache/scenario.json)", file=str(out), key="--out",
                         expected="a new folder, or the folder of an earlier calibration of this scenario")


class RunCache:
    """Curves of finished runs by key; ``add`` buffers, ``flush`` writes one part."""

    def __init__(self, out: Path, scenario: Scenario) -> None:
        self.folder = out / CACHE
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        marker = self.folder / SCENARIO_FILE
        if not marker.is_file():
            record = json.dumps({"fingerprint": fingerprint(scenario), "scenario": scenario.name,
                                 "settings": settings(scenario)}) + "\n"
            replace_file(marker, lambda path: path.write_text(record))  # half a marker would refuse every resume
        self.curves: dict[str, pd.DataFrame] = {}
        parts = sorted(self.folder.glob("part-*.parquet"))
        if parts:
            frame = pd.concat([read_parquet(p, ["key", *COLUMNS]) for p in parts], ignore_index=True)
            for key, group in frame.groupby("key", sort=False):
                self.curves[key] = group[COLUMNS].reset_index(drop=True)
        self.loaded = len(self.curves)
        self._pending: list[pd.DataFrame] = []

    def __contains__(self, key: str) -> bool:
        return key in self.curves

    def get(self, key: str) -> pd.DataFrame:
        return self.curves[key]

    def add(self, key: str, curve: pd.DataFrame) -> None:
        curve = curve[COLUMNS].reset_index(drop=True)
        self.curves[key] = curve
        self._pending.append(curve.assign(key=key))

    def flush(self) -> None:
        if not self._pending:
            return
        name = f"part-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(4)}.parquet"
        frame = pd.concat(self._pending, ignore_index=True)
        replace_file(self.folder / name, lambda path: frame.to_parquet(path, index=False))
        self._pending = []
