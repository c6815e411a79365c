"""The resumable record of a calibration: every model run's curve, keyed by its parameter values and seed.

Runs are written as Parquet parts under ``DIR/cache/`` (each part written to a hidden file and renamed
into place) at the end of each generation and at least every 30 s within one (``fit.FLUSH_SECONDS``), so
a calibration killed part-way (even by kill -9, which loses at most the last 30 s of runs), or rerun with a larger budget, a different target or
other ranges, re-uses every run it already made. ``cache/scenario.json`` holds a fingerprint of the
scenario the runs belong to, and its settings: a folder of another scenario's runs is refused rather
than mixed in, naming the settings that differ. It also holds the held-out part of the target
(``--holdout-from``), when one is: a folder is the record of one out-of-sample check, so a rerun holding
out another part (or none) is refused, not left to replace the held-out error a user has already seen.

Each part is recorded once it is in place, with its rows and SHA-256, in ``DIR/parts.jsonl`` as a sweep records its
parts (``sim.experiments.part_log``): a part cut short at the end of a row, or replaced, reads as valid Parquet, and its
runs were re-used as made, shorter curves and all. A rerun sets such a part aside (into ``DIR/set_aside/cache/``), says
so, and makes its runs again.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from sim.checked_read import read_json, read_parquet
from sim.curves import CURVES
from sim.errors import InputError
from sim.experiments import part_log
from sim.experiments.store import SET_ASIDE, set_aside, set_aside_note
from sim.folder_lock import check_own_folder, is_empty, listed, settings_record, there_and_now
from sim.output import check_files, check_not_within_results, replace_file
from sim.provenance import code_change, versions
from sim.report_folders import foreign
from sim.scenarios.schema import Scenario

CACHE = "cache"
SCENARIO_FILE = "scenario.json"
RESULTS = ("calibrated.yaml", "fit.csv", "errors.csv", "candidates.csv", "calibration.png", "manifest.json")
"""The result files `sim calibrate` writes beside its cache (``sim.calibration.report``), manifest last."""
COLUMNS = ["weeks_since_release", *CURVES]
HOLDOUT = "holdout_from"  # in the folder's marker only when a part of the target is held out


def _settings(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="json", exclude={"name", "description", "extends"})


def fingerprint(scenario: Scenario) -> str:
    """What the runs depend on: every setting except the scenario's name, description and parent."""
    return hashlib.sha256(json.dumps(_settings(scenario), sort_keys=True).encode()).hexdigest()[:16]


def flat_settings(scenario: Scenario) -> dict[str, Any]:
    """The settings the fingerprint covers, by dotted key (a list, such as the events, is one value), as the other
    resumable commands record theirs (``sim.folder_lock.settings_record``)."""
    return settings_record(_settings(scenario))


def differences(recorded: dict[str, Any] | None, scenario: Scenario) -> list[str]:
    """['population.released 100 there, 120 now', ...] for the settings that differ, or [] if the folder's marker
    (written before this was recorded) does not hold them."""
    if not isinstance(recorded, dict):
        return []
    now = flat_settings(scenario)
    return [there_and_now(key, recorded.get(key, "(none)"), now.get(key, "(none)"))
            for key in [*now, *(k for k in recorded if k not in now)] if recorded.get(key, "(none)") != now.get(key, "(none)")]


def run_key(changes: dict[str, Any], seed: int) -> str:
    return json.dumps({"changes": changes, "seed": int(seed)}, sort_keys=True)


MARKER_AS_WRITTEN = "cache/scenario.json as sim calibrate writes it (or a new folder)"


def check_folder(out: Path, scenario: Scenario, holdout_from: float | None = None) -> None:
    """`out` is new, empty, or a calibration folder of this same scenario and held-out part of the target; anything
    else is refused, and a folder inside another command's results (``check_not_within_results``)."""
    check_own_folder(out)
    check_not_within_results(out)
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder", file=str(out), key="--out", expected="a new or calibration folder")
    marker = out / CACHE / SCENARIO_FILE
    if marker.is_file():
        # read_json: a marker this user may not read (chmod 000, another user's folder) is refused with the others,
        # not an internal error
        record = read_json(marker, MARKER_AS_WRITTEN, key="--out")
        previous = record.get("fingerprint")
        if not isinstance(previous, str):
            raise InputError("lacks the scenario's fingerprint that sim calibrate writes", file=str(marker),
                             key="--out", expected=MARKER_AS_WRITTEN)
        other_scenario = previous != fingerprint(scenario)
        changed = differences(record.get("settings"), scenario) if other_scenario else []
        other_holdout = record.get(HOLDOUT) != holdout_from
        if other_holdout:
            changed.append(there_and_now("--holdout-from", held_out(record.get(HOLDOUT)), held_out(holdout_from)))
        if other_scenario or other_holdout:
            named = f" ({record['scenario']})" if record.get("scenario") not in (None, scenario.name) else ""
            raise InputError(f"holds the runs of a calibration with other {'scenario ' if other_scenario else ''}settings"
                             f"{named}{f': {listed(changed)}' if changed else ' (which ones is not recorded)'}",
                             file=str(out), key="--out",
                             expected=f"the same scenario{', --set values and --holdout-from' if other_holdout else ' and --set values'} "
                                      "as the runs there, or a new folder")
    elif out.exists() and not is_empty(out):
        raise foreign(out, "calibration", f"{CACHE}/{SCENARIO_FILE}",
                      "a new folder, or the folder of an earlier calibration of this scenario")
    check_files(out, RESULTS, command="sim calibrate")  # refused now, not after the runs with half the results replaced


def held_out(holdout_from: float | None) -> str:
    """--holdout-from as a refused resume names it ("(none)" for a calibration that held nothing out)."""
    return "(none)" if holdout_from is None else f"{holdout_from:g}"


def cached_state(out: Path) -> str:
    """What a calibration stopped by Ctrl-C or SIGTERM leaves, as a stopped sweep says it
    (``sim.experiments.when_stopped``): how many finished runs its cache keeps, and that a rerun re-uses them. It said
    only 'a sweep or calibration keeps its finished runs', neither how many nor how to go on from them."""
    parts = sorted((out / CACHE).glob("part-*.parquet"))
    try:
        held = len(set().union(*(set(read_parquet(part, ["key"])["key"]) for part in parts)))
    except InputError as error:  # a part damaged while it ran: the rerun names it
        return f"{out} holds cached runs, but they could not be counted ({error}): rerun the same command"
    if held == 0:
        return f"no run had finished, so {out} caches none (nothing half-written): rerun the same command to start again"
    return (f"{out} keeps {held:,} finished run{'' if held == 1 else 's'} in its cache (nothing half-written): rerun "
            "the same command to re-use them and go on")


class RunCache:
    """Curves of finished runs by key; ``add`` buffers, ``flush`` writes one part."""

    def __init__(self, out: Path, scenario: Scenario, holdout_from: float | None = None) -> None:
        self.out, self.folder = out, out / CACHE
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        marker = self.folder / SCENARIO_FILE
        code = versions()
        if not marker.is_file():
            held = {} if holdout_from is None else {HOLDOUT: holdout_from}
            record = json.dumps({"fingerprint": fingerprint(scenario), "scenario": scenario.name,
                                 "settings": flat_settings(scenario), "code": code, **held}) + "\n"
            replace_file(marker, lambda path: path.write_text(record))  # half a marker would refuse every resume
        self.curves: dict[str, pd.DataFrame] = {}
        parts = self._parts_as_written()
        before = read_json(marker, MARKER_AS_WRITTEN, key="--out").get("code")  # None in a folder written before the code was recorded
        if parts and isinstance(before, dict) and before != code:
            print(f"note: the runs cached in {self.folder.parent} were made by other code ({code_change(before, code)}): "
                  "they are re-used, and the same seed may give other numbers now, so calibrate into a new folder to "
                  "keep one version", file=sys.stderr, flush=True)
        if parts:
            frame = pd.concat([read_parquet(p, ["key", *COLUMNS]) for p in parts], ignore_index=True)
            for key, group in frame.groupby("key", sort=False):
                self.curves[key] = group[COLUMNS].reset_index(drop=True)
        if parts or part_log.read(out) is not None:  # each part read whole: recorded as it is (one a kill left unrecorded)
            part_log.rewrite(out, (CACHE,))
        self.loaded = len(self.curves)
        self._pending: list[pd.DataFrame] = []

    def _parts_as_written(self) -> list[Path]:
        """The cache's parts, once those unlike their record (``parts.jsonl``) are set aside and said: their runs are
        made again rather than re-used. A part without a record (of a version before it) is read as it is."""
        records = part_log.read(self.out) or {}
        names = {part.name for part in self.folder.glob("part-*.parquet")}
        damaged = part_log.unlike_record(self.out, records, (CACHE,), names, writer="the calibration")
        for name in damaged:
            set_aside(self.folder / name, self.out / SET_ASIDE / CACHE)
        if damaged:
            print(set_aside_note(self.out, damaged, writer="the calibration"), file=sys.stderr, flush=True)
        return sorted(self.folder.glob("part-*.parquet"))

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
        part_log.write_part(self.out, self.folder / name, lambda path: frame.to_parquet(path, index=False))
        self._pending = []
