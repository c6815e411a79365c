"""One owner per results folder: an exclusive lock on ``<folder>/.sim.lock`` for a sweep's or calibration's whole life.

Two processes writing the same sweep folder would both run the missing runs and record them twice.
The lock is an ``fcntl.flock`` on a file inside the folder: the kernel releases it when its holder
exits, however it exits (even ``kill -9``), so a stale lock from a killed process is simply taken
over by the next command, and a second live process is refused at once, before it writes anything.
The commands that write their folder only at the end (run, compare, patterns) lock a file beside it (``writing_lock``).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sim.errors import InputError
from sim.output import (
    check_destination,
    check_file,
    check_files,
    check_no_links,
    check_not_link,
    check_not_within_results,
    failed_writes,
)
from sim.own_files import results_state

LOCK = ".sim.lock"
_held: set[tuple[Path, int]] = set()  # (folder, thread) held here: a command may lock again what it already owns


@contextmanager
def folder_lock(folder: str | Path, *, command: str = "sim") -> Iterator[Path]:
    """Hold the exclusive lock of `folder` (created if missing) while the block runs.

    The lock file says who holds it (``pid 123, sim sweep``), for the message of a refused command.
    Raises InputError, without writing into the folder, if another live process holds it. A block that fails (a
    folder refused under the lock, bad input, Ctrl-C) leaves no lock file or folder of its making behind.
    """
    folder = Path(folder)
    key = (folder.resolve(), threading.get_ident())
    if key in _held:
        yield folder
        return
    check_own_folder(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file, not a folder", file=str(folder), key="--out", expected="a new or results folder")
    if (who := writer(folder)) is not None:  # a run writes it at its end: refused then, after all its runs
        raise InputError(f"is being written by another command ({who})", file=str(folder), key="--out",
                         expected="one command at a time per folder: wait for it to finish, or choose another folder")
    created = not folder.exists()
    path = folder / LOCK
    made = created or not os.path.lexists(path)  # a lock file this command makes is removed again if it fails
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)  # a link would be followed, then truncated
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise not_a_lock(path, "is a symbolic link") from None
        raise InputError(f"cannot be written ({error.strerror})", file=str(folder), key="--out",
                         expected="a folder this user can create and write") from None
    found = os.fstat(handle)
    if not stat.S_ISREG(found.st_mode) or found.st_nlink != 1:  # a hard link shares another file's contents
        os.close(handle)
        raise not_a_lock(path, "is not a plain file" if not stat.S_ISREG(found.st_mode) else
                         f"is a hard link to a file with {found.st_nlink - 1} other name(s)")
    try:
        claim(handle, path, folder, command, "is in use by another command")
        outermost = all(thread != key[1] for _, thread in _held)  # a sweep of optimise's: the optimisation's folder is named
        _held.add(key)
        before = results_state(folder) if outermost else None
        try:
            with failed_writes(folder, kept="what it finished is kept, and rerunning the command into it resumes") \
                    if outermost else nullcontext():
                yield folder
            if before is not None and results_state(folder) != before:
                from sim.report_folders import REPORT

                print(f"note: {folder / REPORT} was written from the results before this run; run sim report {folder} "
                      "again", file=sys.stderr, flush=True)
        except BaseException:  # e.g. a refused folder of someone else's: leave no lock file (nor folder) behind
            if made:
                path.unlink(missing_ok=True)
            if created and folder.is_dir() and not any(folder.iterdir()):  # it may have been moved meanwhile
                folder.rmdir()
            raise
        finally:
            _held.discard(key)
    finally:
        os.close(handle)  # releases the lock


def claim(handle: int, path: Path, folder: Path, command: str, busy: str) -> None:
    """Lock `handle`, the open lock file `path` of `folder`, for this process now, and write who holds it; or refuse,
    `busy` saying how the folder is used and the holder's own line naming it."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(handle).st_ino != os.stat(path).st_ino:  # its owner removed it just now: still in use
            raise BlockingIOError
    except (BlockingIOError, FileNotFoundError):
        raise InputError(f"{busy} ({owner_of(handle)})", file=str(folder), key="--out",
                         expected="one command at a time per folder: wait for it to finish, or choose another folder") from None
    os.ftruncate(handle, 0)
    os.pwrite(handle, f"pid {os.getpid()}, {command}\n".encode(), 0)


WRITING = ".%s.writing"
"""The lock file beside a new folder that ``sim run``, ``compare`` or ``patterns`` will write (% its name)."""


@contextmanager
def writing_lock(folder: Path, *, command: str, replace: bool = False, offers_replace: bool = False) -> Iterator[None]:
    """Check `folder` as the --out of a whole ``sim run``/``compare``/``patterns`` (``sim.output.check_destination``,
    with `replace` and `offers_replace`), then hold an exclusive lock on ``.NAME.writing`` beside it.

    These commands write their folder only once every run is done (``sim.output.atomic_directory``, which checks it
    again then): a second command into the same --out ran all its runs and was refused only then
    (``written_meanwhile``). It is refused now, before any run. The check comes first, so that no lock file is made,
    even for a moment, beside a link or inside another command's results. The lock file is removed when the command
    ends; one a ``kill -9`` left is taken over by the next command, as ``folder_lock``'s is. Folders this made on the
    way to `folder` and left empty are removed again."""
    check_destination(folder, replace=replace, offers_replace=offers_replace)
    path = folder.parent / (WRITING % folder.name)
    made = [parent for parent in (folder.parent, *folder.parent.parents) if not parent.exists()]
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
    except OSError:  # a link or another user's file of its name: written without the lock, as before it existed
        handle = None
    if handle is None:
        try:
            yield
        finally:
            for parent in made:
                _remove_if_empty(parent)
        return
    try:
        claim(handle, path, folder, command, "is being written by another command")
        try:
            yield
        finally:
            path.unlink(missing_ok=True)  # while held: a command waiting on this file finds it gone and refuses
            for parent in made:
                _remove_if_empty(parent)
    finally:
        os.close(handle)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def check_own_folder(folder: Path) -> None:
    """Refuse an --out that is a symbolic link, or a folder holding a link a command would read or write through
    (``sim.output``): a command writes, deletes and renames only inside the folder it owns. The first check of every
    command that locks its folder, before any work, and ``folder_lock``'s own."""
    check_not_link(folder)
    if folder.is_dir():
        check_no_links(folder)


def not_a_lock(path: Path, problem: str) -> InputError:
    """The refusal of a lock file that is not one sim made: taking it would overwrite another file's contents."""
    return InputError(f"{problem}, not the lock file sim writes; it is left as it is", file=str(path), key="--out",
                      expected=f"a results folder whose {LOCK} is a plain file (remove it: sim makes it again)")


def is_empty(folder: Path) -> bool:
    """True if `folder` holds nothing but (perhaps) its lock file: a new folder for a command to fill."""
    return all(p.name == LOCK for p in folder.iterdir())


def check_resumable(out: Path, fingerprint: str, *, manifest: str, holds: str, writes: Iterable[str] = (),
                    may_write: Iterable[str] = (), command: str = "this command", asked: dict | None = None,
                    earlier: Callable[[dict], str] | None = None) -> dict | None:
    """Refuse an --out that is not new, nor the folder of an earlier run of exactly this analysis; return what its
    `manifest` records (None for a new folder).

    `manifest` is the analysis's own file in the folder, whose ``fingerprint`` names its settings;
    `holds` says what such a folder holds, e.g. "an optimisation". `writes` names the files `command`
    writes into it at the end, so that a folder in the way of one is refused before the work; `may_write` those it
    writes only if its results call for them (``sim.own_files.check_own``'s `maybe`). `asked` is
    what the command records in `manifest`: a refusal names the entries that differ ("draws 30 there, 40 now").
    `earlier` gives, from what a manifest records, the fingerprint an earlier version gave this same analysis, whose
    folder resumes too (``sim robustness``'s once held its nominal replicates).
    """
    expected = "a new folder, or the folder of an earlier run of exactly this analysis"
    check_own_folder(out)
    check_not_within_results(out)
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder", file=str(out), key="--out", expected=expected)
    recorded = None
    if (out / manifest).is_file():
        from sim.checked_read import read_json  # pandas and pyarrow: not loaded for every command line

        # a damaged manifest is named as such, not taken for other settings
        recorded = read_json(out / manifest, key="--out")
        if recorded.get("fingerprint") not in (fingerprint, *((earlier(recorded),) if earlier else ())):
            raise InputError(f"holds {holds} with other settings{_differences(recorded, asked)}", file=str(out),
                             key="--out", expected=expected)
    elif out.exists() and not is_empty(out):
        from sim.report_folders import foreign

        raise foreign(out, holds.split(" ", 1)[1], manifest, expected)
    check_file(out / manifest, command=command)  # written when the command starts, not with its results
    check_files(out, writes, command=command, maybe=may_write)
    return recorded


SETTINGS = "settings"
"""The entry of `asked` holding the scenario values a resumable command ran with, as dotted keys: a refusal names
those that differ by their keys alone ('stigma.baseline 0.4 there, 0.6 now')."""


def settings_record(settings: dict, prefix: str = "") -> dict:
    """A scenario's values (``model_dump(mode="json")``, or a section of them under `prefix`) as dotted keys; lists
    (events) stay whole, as JSON text. What a resumable command records as `asked`'s SETTINGS entry and a refusal
    names the changed keys by, and what ``sim.analysis.scenario_differences`` and the report compare scenarios by."""
    flat = {}
    for key, value in settings.items():
        if isinstance(value, dict):
            flat.update(settings_record(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = json.dumps(value, sort_keys=True) if isinstance(value, list) else value
    return flat


def _differences(recorded: dict, asked: dict | None) -> str:
    """': draws 30 there, 40 now; seed ...' for the entries of `asked` that `recorded` holds otherwise ('' if none
    does: then what differs is not recorded, e.g. a scenario value given with --set)."""
    if asked is None:
        return ""
    asked = json.loads(json.dumps(asked, default=str))  # as it would be recorded
    changed = []
    for key, value in asked.items():
        before = recorded.get(key)
        if key == "fingerprint" or before == value:
            continue
        if key == SETTINGS:  # the scenario's own values by dotted key (a folder of an older version has none)
            if isinstance(before, dict) and isinstance(value, dict):
                changed += [there_and_now(k, before.get(k, "(unset)"), value.get(k, "(unset)"))
                            for k in sorted(before.keys() | value.keys()) if before.get(k) != value.get(k)]
            continue
        if isinstance(before, dict) and isinstance(value, dict):  # e.g. the factors drawn: only the entries that differ
            changed += [there_and_now(f"{key}.{k}", before.get(k, "(none)"), value.get(k, "(none)"))
                        for k in [*before, *(k for k in value if k not in before)] if before.get(k) != value.get(k)]
        else:
            changed.append(there_and_now(key, before, value))
    return (f": {listed(changed)}" if changed else
            " (a setting its manifest does not record, e.g. a scenario value given with --set or --weeks)")


def there_and_now(key: str, before: object, after: object) -> str:
    """One setting a refused resume differs in, as the refusal names it: "draws 30 there, 40 now"."""
    return f"{key} {shortened(before)} there, {shortened(after)} now"


def listed(changed: list[str], most: int = 4) -> str:
    """The first `most` differences of a refused resume, and how many more (a whole scenario can differ)."""
    more = f"; and {len(changed) - most} more" if len(changed) > most else ""
    return "; ".join(changed[:most]) + more


def shortened(value: object, most: int = 60) -> str:
    """A recorded value as a refusal quotes it: cut to `most` characters (a scenario's description runs to hundreds);
    a null is "(unset)", not Python's None, which no user wrote."""
    text = "(unset)" if value is None else json.dumps(value) if isinstance(value, dict | list) else str(value)
    return text if len(text) <= most else text[: most - 3] + "..."


def holder(folder: str | Path) -> str | None:
    """Who holds the lock of `folder` (``pid 123, sim sweep``), or its ``writing_lock`` beside it (``pid 123, sim
    run``: the folder a run will write at its end), or None if no other live process or thread holds either.

    Creates nothing (a read-only folder can be asked): it opens an existing lock file for reading and tries a
    shared lock without waiting, released at once. A command taking the folder in that same instant is told it
    is in use and can simply be run again; one already holding it is never held up.
    """
    folder = Path(folder)
    if (folder.resolve(), threading.get_ident()) in _held:
        return None  # this thread's own lock
    return _holder_of(folder / LOCK) or writer(folder)


def writer(folder: Path) -> str | None:
    """Who holds ``writing_lock`` of `folder` (``pid 123, sim run``), if another live process does."""
    return _holder_of(folder.parent / (WRITING % folder.name))


def _holder_of(path: Path) -> str | None:
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None  # no lock file: never locked (or not readable: nothing to tell)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return owner_of(handle)
        fcntl.flock(handle, fcntl.LOCK_UN)
        return None
    finally:
        os.close(handle)


def owner_of(handle: int) -> str:
    """What the command holding a lock wrote into its lock file (``pid 123, sim sweep``)."""
    return os.pread(handle, 200, 0).decode(errors="replace").strip() or "pid unknown"
