"""The results folder of a sweep: reading it (``Sweep``), refusing one that holds something else (``check_folder``, in
the experiment file's words: ``settings_changed``), and its manifest of experiment, design, code and sessions.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pandas as pd

from sim.checked_read import read_json
from sim.errors import InputError, path_argument
from sim.experiments.experiment import Experiment
from sim.experiments.store import CURVES, RUNS, failed_of, lost_of, read_dataset
from sim.folder_lock import check_own_folder, is_empty, listed, settings_record, there_and_now
from sim.output import check_not_within_results, replace_file, write_json
from sim.provenance import process_versions
from sim.report_folders import foreign, holding, lost_record

MANIFEST = "manifest.json"
WRITTEN = "manifest.json as written by sim sweep"


def read_manifest(folder: Path, *, key: str | None = None) -> dict[str, Any]:
    """The manifest of the sweep in `folder`, refused (named, exit 2) if missing, unparsable or cut short; `key` names
    the option that gave the folder. The one reader of a sweep's manifest."""
    return read_json(folder / MANIFEST, WRITTEN, key=key)


class Sweep:
    """A sweep folder: its run rows, curves and manifest, read from disk on demand."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = path_argument(directory, "directory", "a folder written by sim sweep")
        if not (self.directory / MANIFEST).is_file():  # a misspelt path read as a sweep with no runs
            said = "is not a sweep folder (it holds no manifest.json)" if self.directory.is_dir() else "no such folder"
            raise lost_record(self.directory) or InputError(said, file=str(self.directory),
                                                            expected="a folder written by sim sweep")

    @property
    def manifest(self) -> dict[str, Any]:
        return read_manifest(self.directory)

    @property
    def runs(self) -> pd.DataFrame:
        """One row per run, sorted by point and replicate."""
        frame = read_dataset(self.directory / RUNS)
        return frame if frame is not None else pd.DataFrame(columns=["point", "replicate", "seed", "status", "error"])

    @property
    def curves(self) -> pd.DataFrame:
        """The first-event curves of every successful run (point, replicate, weeks_since_release, ...)."""
        frame = read_dataset(self.directory / CURVES)
        return frame if frame is not None else pd.DataFrame(columns=["point", "replicate", "weeks_since_release"])

    @property
    def failed(self) -> pd.DataFrame:
        """The runs that failed in the model (status ``failed``): a resume keeps them, as they would fail again
        (``failed_of``: a reader holding ``runs`` already counts them without reading the folder again)."""
        return failed_of(self.runs)

    @property
    def lost(self) -> pd.DataFrame:
        """The runs lost to the infrastructure (status ``lost``, or ``failed`` without a run time in a folder of an
        older version: ``sim.experiments.store.is_lost``): a resume runs them again (``lost_of``)."""
        return lost_of(self.runs)

    def __repr__(self) -> str:
        return f"Sweep({str(self.directory)!r})"


def settings_changed(manifest: dict, experiment: Experiment, most: int = 4) -> str:
    """What sets a folder's sweep apart from `experiment`, e.g. "replicates 2 there, 3 now": the same file resumed
    with another --set, --replicates, --seed or --samples is otherwise told only that the folder holds another
    experiment."""
    from sim.analysis.results import recorded
    from sim.scenarios.fields import differing_keys

    previous, now = manifest.get("experiment", {}), experiment.describe()
    changed = [there_and_now(key, previous.get(key), now[key]) for key in ("seed", "replicates")
               if previous.get(key) != now[key]]
    crn = [bool(recorded(d, "spec", "common_random_numbers")) for d in (previous, now)]
    if crn[0] != crn[1]:
        changed.append(there_and_now("common_random_numbers", str(crn[0]).lower(), str(crn[1]).lower()))
    if previous.get("seeding", 1) != now["seeding"] and now["points"] > 1:
        changed.append(f"run seeds derived the way {previous.get('seeding', 1)} there (an earlier version of sim), "
                       f"way {now['seeding']} now: run again into a new folder")
    base = recorded(previous, "base_scenario")  # a manifest edited by hand is read as far as it can be
    before, after = settings_record(base if isinstance(base, dict) else {}), settings_record(now["base_scenario"])
    if before.get("name") != after.get("name"):
        changed.append(f"scenario {before.get('name')} there, {after.get('name')} now")
    changed += [there_and_now(key, before.get(key, "(unset)"), after.get(key, "(unset)"))
                for key in sorted(differing_keys(before, after))]
    design = design_changed(recorded(previous, "spec", "design"), now["spec"]["design"])
    changed = design + changed  # the design sets one experiment apart from another most plainly: named first
    if not changed and manifest.get("design") != json.loads(json.dumps(experiment.design.to_dict(orient="records"),
                                                                      default=str)):
        changed.append("another design table (factors, values or samples)")
    if not changed:
        return "other settings (the contents of a network file it reads)"
    return listed(changed, most)


def design_changed(before: Any, after: dict[str, Any]) -> list[str]:
    """How a recorded design (a manifest's ``spec.design``) differs from `after`, in the experiment file's keys:
    "design.kind grid there, morris now", each factor there only or now only, then (for a design of the same kind:
    another kind's factors and sample size differ in form anyway) each factor's values or range, samples and levels.
    Nothing for a manifest that records no design."""
    if not isinstance(before, dict) or "kind" not in before:
        return []
    changed, same_kind = [], before["kind"] == after["kind"]
    if not same_kind:
        changed.append(there_and_now("design.kind", before["kind"], after["kind"]))
    factors = [d["factors"] if isinstance(d.get("factors"), dict) else {} for d in (before, after)]
    changed += [f"design.factors.{key} {'there, not now' if key in factors[0] else 'now, not there'}"
                for key in dict.fromkeys([*factors[0], *factors[1]]) if (key in factors[0]) != (key in factors[1])]
    if same_kind:
        changed += [there_and_now(f"design.factors.{key}", _levels(values), _levels(factors[1][key]))
                    for key, values in factors[0].items() if key in factors[1] and values != factors[1][key]]
        changed += [there_and_now(f"design.{key}", before.get(key), after.get(key))
                    for key in ("samples", "levels") if before.get(key) != after.get(key)]  # e.g. --samples
    return changed


def _levels(values: Any) -> str:
    """A factor's values as an experiment file writes them: "[0.2, 0.5, 0.8]" (a grid), "{low: 0, high: 1}"."""
    from sim.scenarios.fields import fmt

    if isinstance(values, list):
        return f"[{', '.join(fmt(value) for value in values)}]"
    if isinstance(values, dict):
        return f"{{{', '.join(f'{key}: {fmt(value)}' for key, value in values.items())}}}"
    return fmt(values)


def replicates_of(manifest: dict, experiment: Experiment) -> int | None:
    """How many replicates a manifest's sweep ran, if it is `experiment` on that many (None otherwise): its runs are
    then the first replicates of `experiment`'s, on the same seeds (a run's seed depends on its point and replicate,
    never on how many replicates there are)."""
    previous = manifest.get("experiment")
    before = previous.get("replicates") if isinstance(previous, dict) else None
    if isinstance(before, int) and not isinstance(before, bool) and before > 0 \
            and previous.get("fingerprint") == experiment.fingerprint(before):
        return before
    return None


def recorded_replicates(out: Path, experiment: Experiment) -> int | None:
    """``replicates_of`` the sweep recorded in `out` (None without one)."""
    if not (out / MANIFEST).is_file():
        return None
    return replicates_of(read_manifest(out, key="--out"), experiment)


def check_folder(out: Path, experiment: Experiment, *, resume: bool, require_existing: bool = False,
                 more_replicates: bool = False, within: Path | None = None) -> dict | None:
    """The manifest of a sweep of this same experiment in `out` (None for a new folder), or, with `more_replicates`,
    of this experiment on fewer replicates (``replicates_of``), which the sweep grows; refuse anything else, and a
    folder inside another command's results but `within`'s (``check_not_within_results``)."""
    check_own_folder(out)
    check_not_within_results(out, within)
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder", file=str(out), key="--out", expected="a new or sweep folder")
    manifest_path = out / MANIFEST
    if not manifest_path.is_file():
        if out.exists() and not is_empty(out):
            raise foreign(out, "sweep", MANIFEST, "a new folder, or the folder of an earlier sweep of this experiment")
        if require_existing:
            raise InputError("holds no sweep to resume", file=str(out), key="--resume",
                             expected="the folder of an earlier sweep of this experiment")
        return None
    manifest = read_manifest(out, key="--out")
    previous = manifest.get("experiment")
    if not isinstance(previous, dict):  # e.g. the folder of a `sim run` or `sim compare`
        raise InputError(f"holds results of another kind (its manifest.json names no sweep){holding(out)}", file=str(out),
                         key="--out", expected="a new folder, or the folder of an earlier sweep of this experiment")
    before = replicates_of(manifest, experiment) if more_replicates else None
    if previous.get("fingerprint") != experiment.fingerprint() and not (before and before < experiment.replicates):
        same = previous.get("name") == experiment.name  # the same file resumed with other options, most often
        raise InputError(
            (f"holds a sweep of '{experiment.name}' with other settings" if same else
             f"holds runs of another experiment ('{previous.get('name')}' from {previous.get('source')})")
            + f": {settings_changed(manifest, experiment)}", file=str(out), key="--out",
            expected="a new folder, or the folder of an earlier sweep of exactly this experiment (the same file, "
                     "--set, --replicates, --seed and --samples)",
        )
    if not isinstance(manifest.get("sessions", []), list):  # each resume appends its session to the list
        raise InputError("holds 'sessions' that are not a list", file=str(manifest_path), key="--out",
                         expected=WRITTEN)
    for name in (RUNS, CURVES):  # checked before the manifest is rewritten, not when the part is written
        if (out / name).exists() and not (out / name).is_dir():
            raise InputError("is a file, not a folder", file=str(out / name), key="--out",
                             expected="the runs/ and curves/ folders of a sweep written by sim sweep")
    if not resume:
        raise InputError("already holds a sweep of this experiment", file=str(out), key="--out",
                         expected="resume=True to continue it, or a new folder")
    return manifest


IDENTITY = ("name", "description", "source")
"""What names an experiment but does not decide its runs (not in its fingerprint): a sweep folder keeps the first."""


def _identity(manifest: dict | None) -> dict[str, str] | None:
    """The name, description and source a sweep's manifest records (None if it records no name: not a sweep's)."""
    recorded = (manifest or {}).get("experiment")
    if not isinstance(recorded, dict) or not isinstance(recorded.get("name"), str):
        return None
    spec = recorded.get("spec") if isinstance(recorded.get("spec"), dict) else {}
    description = spec.get("description")
    return {"name": recorded["name"], "description": description if isinstance(description, str) else "",
            "source": str(recorded.get("source"))}


def other_identity(out: Path, manifest: dict, experiment: Experiment) -> str | None:
    """The note of a resume by an experiment file of the same settings but another name, description or source
    (None if it is the same): it rewrote the manifest's name and source without a word, while the folder's ranking.md
    kept the first name. The folder keeps its first (``kept_identity``)."""
    recorded = _identity(manifest)
    if recorded is None or (recorded["name"], recorded["description"]) == (experiment.name, experiment.description) and (
            Path(recorded["source"]).resolve() == Path(experiment.source).resolve()):  # the same file, named otherwise
        return None
    other = "" if recorded["description"] == experiment.description else ", described otherwise"
    return (f"note: {out} was started by experiment '{recorded['name']}' from {recorded['source']}; resuming it as "
            f"'{experiment.name}' from {experiment.source}{other}: the settings are the same, so its runs are kept, "
            f"and it keeps the name '{recorded['name']}' and the description it was started with")


def kept_identity(experiment: Experiment, manifest: dict | None) -> Experiment:
    """`experiment` under the name, description and source of the sweep `manifest` records (the folder's own, which
    its manifest, ranking.md and report keep), if it records one."""
    recorded = _identity(manifest)
    if recorded is None or all(recorded[key] == getattr(experiment, key) for key in IDENTITY):
        return experiment
    spec = experiment.spec.model_copy(update={"name": recorded["name"], "description": recorded["description"]})
    return dataclasses.replace(experiment, **recorded, spec=spec)


def again(lost: tuple[int, int]) -> str:
    """What the size line says of runs an earlier session lost to the infrastructure, which this one runs again: how
    many, and how many of them an older version recorded as 'failed' (without a run time, or stopped by a Ctrl-C in
    compiled code: ``sim.experiments.store.is_lost``)."""
    total, older = lost
    if not total:
        return ""
    status = "status 'lost'"
    if older:
        status = (f"{status}, or for {older:,} of them 'failed'" if older < total else "status 'failed'") + \
            " as an older version recorded them"
    return (f", {total:,} of them lost to the infrastructure in an earlier session ({status}: a worker died, could "
            "not start them or was stopped) and run again")


def code_of(manifest: dict | None) -> dict | None:
    """The code version of the last session that ran in a sweep folder (None if no session recorded one)."""
    for session in reversed((manifest or {}).get("sessions", [])):
        if isinstance(session, dict) and session.get("runs") and isinstance(session.get("code"), dict):
            return session["code"]
    if manifest and (manifest.get("sessions") or []) and isinstance(manifest.get("code"), dict):
        return manifest["code"]  # a folder swept before sessions recorded their code: the manifest's, as last written
    return None


def write_manifest(out: Path, experiment: Experiment, engine: dict, sessions: list[dict]) -> None:
    """The manifest, replaced atomically: experiment, design table, code version, engine and timings."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = {
        "experiment": experiment.describe(),
        "design": experiment.design.to_dict(orient="records"),
        "code": process_versions(),
        "engine": engine,
        "sessions": sessions,
    }
    replace_file(out / MANIFEST, lambda path: write_json(path, manifest))
