"""Which result files in a folder sim wrote, as it wrote them: their SHA-256, recorded when a set is written.

A rerun or resume of ``sim optimise``, ``calibrate``, ``robustness`` or ``sensitivity`` replaces its result files. It
replaced a ``best_1.yaml`` or ``ranking.md`` the user had edited, and in a sweep folder a ``sensitivity.csv`` the user had
written themselves, without a word. ``replace_set`` records the digest of each file it puts in place in the folder's
``RECORD``; before any work a command refuses a file it would replace whose digest is not recorded there (``check_own``).
A file sim wrote and nobody changed is replaced as before. A folder written before this record existed holds none: its
files are taken for nobody's (refused until moved away), since nothing tells an edited one from an untouched one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from sim.errors import InputError
from sim.file_digests import digest_of

RECORD = ".sim.files.json"
"""The hidden file in a results folder mapping each result file sim wrote there (by its path within the folder) to
the SHA-256 of the contents it wrote."""
PARTS = "parts.jsonl"
"""The record of a sweep's (or calibration cache's) parts with their SHA-256 (``sim.experiments.part_log``)."""


def recorded(folder: Path) -> dict[str, list[str]]:
    """The digests recorded for `folder`'s result files ({} if none is: a new folder, or one of an earlier version)."""
    found, _ = _read_record(folder)
    return found


def _read_record(folder: Path) -> tuple[dict[str, list[str]], str | None]:
    """``recorded``, and why the record there cannot be read (None if it is read, or there is none)."""
    try:
        found = json.loads((folder / RECORD).read_text(encoding="utf-8")).get("files")
    except FileNotFoundError:
        return {}, None
    except OSError as error:
        return {}, f"cannot be read ({error.strerror or error})"
    except (ValueError, AttributeError):  # damaged: no file is known for sim's, so each is refused, never replaced
        return {}, "cannot be read as the JSON object sim writes (cut short, or edited?)"
    if not isinstance(found, dict):
        return {}, "holds no 'files' object as sim writes it (edited?)"
    return {name: [d for d in digests if isinstance(d, str)] for name, digests in found.items()
            if isinstance(digests, list)}, None


def is_own(folder: Path, name: str, record: Mapping[str, list[str]]) -> bool:
    """True if `name` in `folder` is a file whose contents are what sim recorded writing there."""
    return name in record and digest_of(folder / name) in record[name]


def check_own(folder: Path, names: Iterable[str], *, command: str, maybe: Iterable[str] = ()) -> None:
    """Refuse, before any work, a file among `names` in `folder` that `command` would replace but that sim did not
    write there as it is: one changed since (an edited ``best_1.yaml``) or never written by sim (the user's own
    ``sensitivity.csv`` beside a sweep's runs). `maybe` names the files it replaces only if its results call for them,
    known after its runs (``sim robustness``'s PRIM figures): refused alike, in words that say so (all were said to
    be replaced)."""
    (record, damage), names = _read_record(folder), list(names)
    possibly = [name for name in maybe if name not in names]
    for name in [*names, *possibly]:
        path = folder / name
        if not path.is_file() or is_own(folder, name, record):
            continue
        if damage is not None:  # the file may well be sim's: the record that would tell is what is wrong
            said = (f"cannot be told for a file {command} wrote, since {folder / RECORD}, the record of the files sim "
                    f"wrote there, {damage}")
        elif name in record:
            said = f"was changed since {command} wrote it"
        elif (folder / RECORD).is_file():
            said = f"was not written by {command}"
        else:
            said = f"was not written by {command}, or by a version of sim that kept no record of the files it wrote"
        replaced = (f"{command} would replace it if its results include a file of this name" if name in possibly
                    else f"{command} would replace it")
        raise InputError(f"{said}; {replaced}", file=str(path), key="--out",
                         expected="the file as sim wrote it, or none: move it away (or rename it) to keep it, then rerun")


def record_files(folder: Path, digests: Mapping[str, list[str]], *, dropped: Iterable[str] = ()) -> None:
    """Record `digests` ({name: the digests its file may have}) for `folder`, beside what is recorded of its other
    files still there; `dropped` names files removed. Written whole (a rename), so a kill leaves the earlier record."""
    from sim.output import replace_file, write_json

    gone = set(dropped)
    record = {name: found for name, found in recorded(folder).items()
              if name not in digests and name not in gone and (folder / name).is_file()}
    record.update({name: list(dict.fromkeys(found)) for name, found in digests.items()})
    replace_file(folder / RECORD, lambda path: write_json(path, {"files": dict(sorted(record.items()))}))


def results_state(folder: Path) -> str | None:
    """What the results in `folder` are, as a report of them shows them, if `folder` holds a report sim report wrote
    (else None): the digest of every record of them at any depth, each sweep's parts (``PARTS``) and each set of
    result files (``RECORD``). A resume that runs nothing and a rerun that writes the same files again
    leave it as it was; one that adds runs or writes other results changes it, and the report no longer tells them."""
    from sim.report_folders import REPORT, is_report

    if not is_report(folder / REPORT):
        return None
    digest = hashlib.sha256()
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(set(files) & {PARTS, RECORD}):
            digest.update(f"{Path(root).relative_to(folder) / name}\n".encode())
            with contextlib.suppress(OSError):  # its lines in any order: a resume rewrites the parts' in another
                digest.update("".join(sorted((Path(root) / name).read_text(errors="replace").splitlines(True))).encode())
    return digest.hexdigest()
