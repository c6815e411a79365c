"""Writing result folders atomically: into a temporary sibling, then renamed into place.

A failed or interrupted write (an error, Ctrl-C, SIGTERM) leaves no half-written result under the
requested name and no temporary sibling. ``check_destination`` also probes that the folder can be
created and written, so a command refuses a read-only place before it spends minutes simulating.
The finished folder gets the permissions the user's umask gives any new folder; an existing empty folder (prepared
with its own permissions, or a mount point) is kept and filled in place.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sim.errors import InputError, path_argument

if TYPE_CHECKING:
    from sim.runner import RunResult


def out_folder(out: object, key: str = "out") -> Path:
    """The folder a command from Python writes (`out`), as ``path_argument`` reads it."""
    return path_argument(out, key, "the path of the folder to write, e.g. 'results/mine'")


def check_destination(directory: Path, *, replace: bool = False, offers_replace: bool = False) -> None:
    """Refuse to overwrite a non-empty folder or a file, a symbolic link (``check_not_link``), and a place where the
    folder cannot be created and written. With ``replace``, a run's folder holding nothing else may be replaced
    (``check_replaceable``). A command that ``offers_replace`` (``sim run``, ``sim compare``) names the option when
    it refuses an earlier run's or comparison's folder, the one case it is for. A folder inside another results folder
    is refused too (``check_not_within_results``). What a killed command into it left beside it is said
    (``note_leftovers``)."""
    check_not_link(directory)
    note_leftovers(directory)  # before a refusal: a killed run's leftover in an empty --out is why it is refused
    check_not_within_results(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        if not replace:
            from sim.report_folders import held_by, holding

            expected = "a new folder (remove it or choose another name)"
            if offers_replace and directory.is_dir() and held_by(directory) in ("run", "compare"):
                expected = ("a new folder (remove it or choose another name), or --replace to replace the earlier "
                            "results (only if the folder holds nothing else)")
            raise InputError(
                "is a file, not a folder" if not directory.is_dir() else
                f"already exists and is not an empty folder{holding(directory)}",
                file=str(directory), key="--out", expected=expected,
            )
        check_replaceable(directory)
    probe_writable(directory)


def check_not_within_results(path: Path, within: Path | None = None, *, what: str = "folder",
                             unless: Path | None = None) -> None:
    """Refuse a folder (a report: `what`) inside another results folder: its files would be read as part of those
    results (`sim run --out SWEEP/runs/extra` made pandas' read of the sweep's runs/ fail on the run's figures), and
    that folder's command may replace or delete what it finds there. The folder itself may be one (``--replace``).
    Only a folder sim tells for its own (``held_by``) counts: a web project's manifest.json above --out is none.
    `within`: the results folder of the command writing `path` into it (``sim robustness``'s sweeps), the one that
    may hold it; `unless`: the one path inside a results folder that may be written (``sim report``'s DIR/report.html).

    The folders above `path` are followed as the system follows them, as every command's --out and ``sim report``'s
    are: one that leads into a results folder through a link (or ``..``) is inside it, and the link is named."""
    from sim.report_folders import results_folder

    given = path.absolute().parent
    place = given.resolve()
    if unless is not None and place / path.name == unless.resolve():
        return
    if (owner := results_folder(place)) and not (within is not None and owner[0] == within.resolve()):
        link = None if given.is_relative_to(owner[0]) else next((f for f in (given, *given.parents) if f.is_symlink()),
                                                                  None)
        through = f" (the link {link} leads there)" if link is not None else ""
        raise InputError(f"lies inside the results folder {owner[0]} of sim {owner[1]}{through}, which would read it as "
                         "part of its own results, or replace it", file=str(path), key="--out",
                         expected=f"a {what} outside results folders" + (f", or {unless}" if unless is not None else ""))


FILES = "files"
"""The manifest's list of the files a run's folder was written with (``write_run``): what ``--replace`` may delete."""


def check_replaceable(directory: Path) -> None:
    """Refuse to replace anything but a folder ``sim run`` or ``sim compare`` wrote (its manifest lists its files)
    holding nothing else: a report, a file of the user's or another command's results in it are never deleted."""
    from sim.checked_read import read_json  # with pandas: loaded only when a folder is to be replaced
    from sim.report_folders import held_by

    check_no_links(directory, key="--replace")
    listed = None
    try:
        listed = read_json(directory / "manifest.json").get(FILES)
    except InputError:  # missing or damaged: not a folder known to be ours, refused below
        pass
    if not directory.is_dir() or not isinstance(listed, list):
        holds = held_by(directory)
        if not directory.is_dir():
            said = "is a file"
        elif holds in ("run", "compare"):  # by a version that did not list them
            said = f"holds the results of sim {holds} without the list of their files, so what else it holds is unknown"
        else:
            said = "was not written by sim run or sim compare" + (f" (it holds the results of sim {holds})" if holds else "")
        raise InputError(f"{said}: --replace would delete it", file=str(directory), key="--replace",
                         expected="a folder an earlier sim run or sim compare wrote, or a new folder")
    kept = {str(name) for name in listed}
    kept |= {parent.as_posix() for name in kept for parent in Path(name).parents if parent != Path(".")}
    others = sorted(path for path in sum(inside(directory), []) if path not in kept)
    if others:
        from sim.report_folders import is_report

        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        reports = [name for name in others if is_report(directory / name)]
        # a report is sim's, but not the run's: it may have been sent or read, and once the results are replaced it
        # is the only account of them in its words, so --replace does not delete it with them
        why = (f"; {', '.join(reports)} {'was' if len(reports) == 1 else 'were'} written by sim report, not by the run, "
               "and a report of the earlier results is kept, not deleted with them" if reports else "")
        raise InputError(f"holds what the earlier run did not write ({shown}): --replace would delete it{why}",
                         file=str(directory), key="--replace",
                         expected="a folder holding only an earlier run's files (move the others away, "
                                  "or choose another --out)")


def inside(directory: Path) -> tuple[list[str], list[str]]:
    """The folders and the files inside `directory`, at any depth, as paths relative to it (links not followed)."""
    found: tuple[list[str], list[str]] = ([], [])
    for root, folders, files in os.walk(directory):
        for names, into in ((folders, found[0]), (files, found[1])):
            into += [(Path(root) / name).relative_to(directory).as_posix() for name in names]
    return found


def check_not_link(directory: Path, what: str = "folder") -> None:
    """Refuse an --out that is a symbolic link, as every command does, before any work; the folders above it are
    followed as the system follows them.

    A command writes only into the folder it was given: a run's folder is renamed into place, which cannot replace a
    link (it ended, after the whole run, in a message blaming another command), and a sweep, calibration or analysis
    would fill, and on a resume delete files in, the folder the link points to. `sim report`'s --out is a file
    (`what`): it replaced the user's link with its file, one into another results folder too."""
    if directory.is_symlink():
        missing = "" if directory.exists() else ", which leads to nothing"
        raise InputError(f"is a symbolic link (to {os.readlink(directory)}){missing}", file=str(directory), key="--out",
                         expected=f"a {what} that is not a link (give the {what} it points to)")


def check_no_links(directory: Path, *, key: str | None = "--out") -> None:
    """Refuse a results folder holding a symbolic link (at any depth) that a command would read or write through.

    A link to a folder (``runs/``, a robustness draw's sweep...) would send a resume's writes and deletions into
    the folder it points to, and its reads would take another folder's files for this one's. A hidden link that does
    not lead to a folder is let be: sim's own hidden files (temporaries, the lock) are renamed over, deleted or opened
    without following links, never read through. Unreadable subfolders are left to the reader that needs them."""
    pending = [directory]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                found = list(entries)
        except OSError:
            continue
        for entry in found:
            if entry.is_symlink():
                if entry.name.startswith(".") and not entry.is_dir():
                    continue
                raise InputError(f"is a symbolic link (to {os.readlink(entry.path)}) inside {directory}: sim does not read "
                                 "or write through a link it did not make", file=entry.path, key=key,
                                 expected="the folder or file itself in its place (copy what the link points to), "
                                          "or another folder")
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))


def probe_writable(directory: Path) -> None:
    """Create and remove a temporary folder where `directory` will be made: an unwritable place fails now, not later."""
    parent = directory if directory.is_dir() else directory.parent
    while not parent.exists() and parent != parent.parent:
        if parent.is_symlink():  # a folder on the way that cannot be made: found after the work, as FileExistsError
            raise InputError(f"cannot be written: {parent} is a symbolic link to nothing ({os.readlink(parent)})",
                             file=str(directory), key="--out",
                             expected="a place whose folders exist or can be made (not a link leading nowhere)")
        parent = parent.parent
    try:
        Path(tempfile.mkdtemp(prefix=f".{directory.name}.probe-", dir=parent)).rmdir()
    except OSError as error:
        # said of the place, not of the probe: `sim report --out` writes a file, and read 'creating a folder ... fails'
        raise InputError(f"cannot be written: {parent} lets this user create nothing in it ({error.strerror or error})",
                         file=str(directory), key="--out",
                         expected="a place this user can create and write in") from None


FAILED_WRITES = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
                 errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
                 errno.EPERM: "permission denied"}
"""The errors of a write that the place written, not sim, is to blame for, as ``failed_writes`` says them."""


@contextmanager
def failed_writes(directory: Path, *, kept: str):
    """Say a write into `directory` that the disk refused (full, read-only, no permission: ``FAILED_WRITES``) as an
    InputError naming the folder, not as an internal error with a traceback. `kept` says what is left there (the
    writer's own cleanup has run by then: a run's staging folder removed, a sweep's finished parts kept)."""
    try:
        yield
    except OSError as error:
        where = f" (writing {error.filename})" if error.filename else ""
        if isinstance(error, FileNotFoundError) and not directory.is_dir():  # pyarrow's names the file in its words
            raise InputError(f"was moved or deleted while this command ran{where}", file=str(directory), key="--out",
                             expected="the folder left in place while a command writes it: rerun the command into "
                                      "the folder where it is now (a sweep resumes there), or into a new one") from None
        said = FAILED_WRITES.get(error.errno)
        if said is None:
            raise
        raise InputError(f"cannot be written: {said}{where}; {kept}", file=str(directory), key="--out",
                         expected="free space on a disk this user can write, or another --out") from None


def umask_mode(mode: int = 0o777) -> int:
    """`mode` less the process umask: what a plain mkdir or open would have given."""
    umask = os.umask(0)
    os.umask(umask)
    return mode & ~umask


@contextmanager
def atomic_directory(directory: Path, *, replace: bool = False):
    """Yield a temporary folder beside `directory`; rename it to `directory` only if the block succeeds.

    An existing empty folder (one the user prepared, a mount point) is kept, with its permissions, group and owner:
    the temporary folder is made inside it and its files are moved up into it (``fill``). Renaming onto it lost its
    mode, group and setgid bit, and failed on a mount point only after all the work. With ``replace``, an earlier
    run's folder there (``check_replaceable``, checked again once the block is done) is set aside, the new one renamed
    into its place, and only then is the earlier one deleted."""
    check_destination(directory, replace=replace)
    with failed_writes(directory, kept="nothing half-written is left there"):
        kept = directory.is_dir() and not any(directory.iterdir())
        if not kept:
            directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=PARTIAL % directory.name, dir=directory if kept else directory.parent))
        try:
            yield staging
            if kept:
                fill(directory, staging)
                return
            staging.chmod(umask_mode())  # mkdtemp makes it private (0700); a results folder is like any other folder
            try:
                if replace and directory.is_dir() and any(directory.iterdir()):
                    replace_folder(directory, staging)
                    return
                os.replace(staging, directory)
            except OSError as error:  # another command filled it meanwhile (two runs into one new --out): leave it be
                if error.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                    raise
                raise written_meanwhile(directory) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def written_meanwhile(directory: Path) -> InputError:
    return InputError("was written by another command while this one ran; its results are left as they are and this "
                      "command's are discarded", file=str(directory), key="--out",
                      expected="a folder no other command is writing (run again with another --out)")


def fill(directory: Path, staging: Path) -> None:
    """Move what was written in `staging`, inside the empty folder `directory`, up into it, manifest.json last (a
    folder without it is no run's); stopped or failing part way, what was moved is removed again, leaving it empty."""
    if any(path != staging for path in directory.iterdir()):
        raise written_meanwhile(directory)
    moved = []
    try:
        for name in sorted(os.listdir(staging), key=lambda name: name == "manifest.json"):
            os.rename(staging / name, directory / name)
            moved.append(directory / name)
        staging.rmdir()
    except BaseException:
        for path in moved:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink(missing_ok=True)
        raise


def replace_folder(directory: Path, staging: Path) -> None:
    """Put `staging` in the place of the run's folder `directory`, if it still holds only that run's files.

    Whatever stops it before the new folder is in place (the check, Ctrl-C, SIGTERM) puts the earlier one back: a
    SIGTERM there left the earlier results only under the hidden ``.DIR.replaced-*`` (a SIGKILL still can: the next
    command into `directory` says where they are, ``note_leftovers``)."""
    aside = Path(tempfile.mkdtemp(prefix=REPLACED % directory.name, dir=directory.parent))
    earlier = aside / directory.name
    try:
        os.replace(directory, earlier)  # what is checked is what is deleted: nothing can be added to it meanwhile
        try:
            check_replaceable(earlier)
        except InputError as error:
            raise InputError(f"changed while this command ran: {error.message}", file=str(directory), key="--replace",
                             expected=error.expected) from None
        os.replace(staging, directory)
    except BaseException:
        if os.path.lexists(earlier) and not os.path.lexists(directory):
            os.replace(earlier, directory)
        if not os.path.lexists(earlier):
            aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)


PARTIAL, REPLACED = ".%s.partial-", ".%s.replaced-"
"""The prefixes of the hidden siblings of a folder ``atomic_directory`` writes (% its name): the new folder while it is
written, and the earlier one while ``--replace`` replaces it. A SIGKILL leaves them behind (``note_leftovers``)."""
_noted: set[Path] = set()  # leftovers already said by this process (a command checks its --out twice)


def note_leftovers(directory: Path) -> None:
    """Say, once, the hidden folders beside (or in) `directory` that a killed ``sim run``/``compare`` into it left: the
    earlier results a stopped --replace set aside (``.DIR.replaced-*``), or a new folder half-written
    (``.DIR.partial-*``, which may also be that of a command of another kind still writing: it is not removed;
    ``sim.folder_lock.writing_lock`` refuses a second run or comparison into DIR itself)."""
    found = []
    for place in (directory.parent, directory):  # an empty --out is written in place: its partial folder is inside
        try:
            found += [] if place.is_symlink() else list(place.iterdir())
        except OSError:
            pass
    for path in sorted(found):
        if path in _noted or not path.is_dir() or path.is_symlink():
            continue
        if path.name.startswith(REPLACED % directory.name) and (path / directory.name).is_dir():
            print(f"note: {path / directory.name} holds earlier results of {directory} that a --replace stopped before "
                  "its end set aside: move them back, or delete them", file=sys.stderr, flush=True)
        elif path.name.startswith(PARTIAL % directory.name):
            print(f"note: {path} holds what a command writing {directory} left half-written when it was killed (or is "
                  f"writing now): delete it once no command writes {directory}", file=sys.stderr, flush=True)
        else:
            continue
        _noted.add(path)


def check_files(directory: Path, names: Iterable[str], *, command: str, maybe: Iterable[str] = ()) -> None:
    """Refuse, before any work, a folder (or anything but a file) where `command` will write one of `names`
    (paths within `directory`, such as ``figures/front.png``), a file where it needs a folder, and a file it would
    replace that sim did not write as it is (``sim.own_files.check_own``); `maybe` names those it writes only if its
    results call for them."""
    from sim.own_files import check_own

    names, maybe = list(names), list(maybe)
    for name in [*names, *maybe]:
        path = directory / name
        for folder in reversed(path.relative_to(directory).parents[:-1]):
            if (directory / folder).exists() and not (directory / folder).is_dir():
                raise InputError(f"is in the way: {command} writes a folder of this name here", file=str(directory / folder),
                                 expected="a folder it wrote earlier, or nothing (move it away)")
        check_file(path, command=command)
    check_own(directory, names, command=command, maybe=maybe)


def check_file(path: Path, *, command: str = "this command") -> None:
    if path.exists() and not path.is_file():
        raise InputError(f"is in the way: {command} writes a file of this name here", file=str(path),
                         expected="a file it wrote earlier, or nothing (move it away)")


def replace_file(path: Path, write: Callable[[Path], object], *, sync: bool = False) -> Path:
    """Write `path` through `write(temporary)` beside it, then rename: readers never see half a file.

    ``sync`` flushes the file to disk before the rename, where a crash must not lose a committed file.
    A folder of that name is refused (``check_file``), not replaced. The temporary name is new each time: two
    commands writing one file at once each rename a whole file of their own, and a link left under a fixed name
    cannot send the write into another file.
    """
    check_file(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        write(temporary)
        if sync:
            with open(temporary, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


STAGING = ".results-partial-"
"""The prefix of the hidden folder inside a results folder where ``replace_set`` writes a set before renaming it (one a
killed command left is removed by the next ``replace_set`` in the folder: ``clear_stale_sets``)."""


def clear_stale_sets(folder: Path) -> None:
    """Remove what a command killed while replacing its set of results left staged in `folder`. Only ``replace_set``
    calls it: under the folder's lock (so no writer of a staging folder lives) and once the command has found the
    folder its own (clearing when the lock was taken deleted a user's hidden folder of that name in a folder the
    command then refused)."""
    for staged in folder.glob(f"{STAGING}*"):
        if staged.is_dir() and not staged.is_symlink():
            shutil.rmtree(staged, ignore_errors=True)


def replace_set(folder: Path, files: dict[str, Callable[[Path], object]], *, last: str,
                stale: Iterable[str] = ()) -> None:
    """Replace a command's set of result files in `folder` (``{name: write(path)}``, names such as
    ``figures/front.png``) so that a reader finds the earlier set or the new one whole, never a mixture.

    Each file is written into a hidden staging folder inside `folder` first (the earlier set stays readable meanwhile);
    then the earlier `last` is removed, the others are renamed into place, the earlier set's `stale` files that this
    set does not write are removed, and `last` is renamed last: its presence says the set is whole, and readers refuse
    a folder holding part of a set without it (``sim.report_folders.check_directory``). A command stopped between two
    renames (Ctrl-C, kill) thus leaves a folder refused as stopped early, which a rerun writes whole. Run it only
    under the folder's lock (``sim.folder_lock``): it first clears what a killed writer left staged. The digest of each
    file is recorded (``sim.own_files``): a rerun refuses, before its work, to replace one changed since.
    """
    from sim.file_digests import sha256_of
    from sim.own_files import is_own, record_files, recorded

    folder.mkdir(parents=True, exist_ok=True)
    clear_stale_sets(folder)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
    try:
        for name, write in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            write(staging / name)
        new = {name: sha256_of(staging / name) for name in files}
        before = recorded(folder)
        # a stale file sim did not write as it is (edited, or the user's) is not this command's to delete: left be
        removed = [old for old in dict.fromkeys(stale) if old not in files and (folder / old).is_file()
                   and is_own(folder, old, before)]
        # while the files are renamed, either the earlier or the new contents are sim's: a kill between two renames
        # leaves a folder whose rerun replaces them, not one refused as edited
        record_files(folder, {name: [*before.get(name, []), new[name]] for name in files})
        (folder / last).unlink(missing_ok=True)  # the earlier set is no longer whole once one file is replaced
        for name in sorted(files, key=lambda name: name == last):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            if name == last:
                for old in removed:
                    (folder / old).unlink(missing_ok=True)
            os.replace(staging / name, folder / name)
        record_files(folder, {name: [new[name]] for name in files}, dropped=removed)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")


def write_run(result: RunResult, directory: Path, *, figures: bool = True,
              extra: Callable[[Path], None] | None = None, replace: bool = False) -> Path:
    """The files of ``sim run``: curves, timeseries, events, summary, manifest (listing them all) and figures."""
    with atomic_directory(directory, replace=replace) as staging:
        result.curves.to_parquet(staging / "curves.parquet", index=False)
        result.timeseries.to_parquet(staging / "timeseries.parquet", index=False)
        result.events.to_parquet(staging / "events.parquet", index=False)
        result.summary.to_csv(staging / "summary.csv", index=False)
        if figures:
            from sim.figures import draw_run

            draw_run(result.curves, result.timeseries, staging / "figures", result.scenarios)
        if extra:
            extra(staging)
        _, written = inside(staging)
        write_json(staging / "manifest.json", {**result.manifest(), FILES: sorted({*written, "manifest.json"})})
    return directory
