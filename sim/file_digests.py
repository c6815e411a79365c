"""The SHA-256 of the files a command checks against what their writer recorded, each file hashed once a command.

A resume checked every part of a sweep against its record (``parts.jsonl``) in each of its steps (the parts set aside,
the runs done, those lost, the folder prepared, the runs done again), and read every byte of a large sweep six or seven
times before its first run; ``sim robustness`` and ``sim optimise`` checked them again for their size lines. Kept apart
from ``sim.checked_read`` so that the command line enters ``hashed_once`` without loading pandas (a design too large
is refused before pandas loads).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_digests: dict[tuple[int, ...], str] | None = None
"""The SHA-256 of each file hashed within ``hashed_once`` (None outside it), by the file as it is on disk."""


@contextmanager
def hashed_once() -> Iterator[None]:
    """Within, each file's SHA-256 is computed once (``digest_of``), however many steps of a command check it. Nested,
    the outermost keeps the digests; they are forgotten when it ends, so a long-lived process (a notebook) hashes a
    file again in its next command."""
    global _digests
    outermost = _digests is None
    if outermost:
        _digests = {}
    try:
        yield
    finally:
        if outermost:
            _digests = None


def _identity(path: Path) -> tuple[int, ...]:
    """What changes whenever a file's bytes may have: its inode and device, size, and the times of its last change (a
    part replaced by a rename is another inode; one edited in place has a new modification time)."""
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def digest_of(path: Path) -> str:
    """The SHA-256 of the file at `path`, computed once within ``hashed_once`` while the file stays as it was."""
    if _digests is None:
        return sha256_of(path)
    identity = _identity(path)
    if identity not in _digests:
        _digests[identity] = sha256_of(path)
    return _digests[identity]


def known_digest(path: Path, sha256: str) -> None:
    """Keep the SHA-256 a writer computed of the file it has just renamed to `path` (within ``hashed_once``), so that
    the part a command wrote is not hashed again when the same command reads it."""
    if _digests is not None:
        _digests[_identity(path)] = sha256
