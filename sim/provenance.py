"""What produced a result: the package, Python and the libraries that decide a run's numbers, and the git commit when known.

SciPy inverts the world's Beta, gamma and normal draws and networkx builds a Barabasi-Albert network, so a
run with the same seed can differ under other versions of them, as under another NumPy or Mesa."""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path


def git_commit() -> str | None:
    """The commit of the checkout the package runs from, or None outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=5, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=5
        )
        return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def versions() -> dict[str, str | None]:
    return {
        "package": "reintegration-sim",
        "package_version": _version("reintegration-sim"),
        "mesa_version": _version("mesa"),
        "numpy_version": _version("numpy"),
        "scipy_version": _version("scipy"),
        "networkx_version": _version("networkx"),
        "python_version": platform.python_version(),
        "git_commit": git_commit(),
    }


def code_id(code: dict) -> str:
    """A code version (``versions()``) as 12 hex digits: what a sweep's runs table records for each run, and the
    manifest beside the versions it stands for."""
    return hashlib.sha256(json.dumps(code, sort_keys=True).encode()).hexdigest()[:12]


@functools.cache
def _process_versions() -> tuple[tuple[str, str | None], ...]:
    return tuple(versions().items())


def process_versions() -> dict[str, str | None]:
    """``versions()`` of the code this process runs, read once: a process runs the code it imported whatever happens
    to the checkout later (and ``versions()`` asks git, some milliseconds a run). A sweep asks its workers this before
    the runs and each run records its ``code_id``: asked of git anew, a worker whose checkout had moved since it began
    was said to run the new code while its runs recorded the old."""
    return dict(_process_versions())


def process_code_id() -> str:
    """``code_id`` of ``process_versions``: what each run of a sweep records as its code."""
    return code_id(process_versions())


def code_change(before: dict, now: dict) -> str:
    """What differs between two code versions (``versions()``), e.g. "git_commit abc there, def now"."""
    from sim.folder_lock import listed, there_and_now

    return listed([there_and_now(key, before.get(key), now.get(key)) for key in sorted(before.keys() | now.keys())
                   if before.get(key) != now.get(key)], 3)
