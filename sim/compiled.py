"""Compiled kernels for the weekly rules' arithmetic (numba).

Why: a week of the model makes several hundred numpy calls on arrays of a few thousand people, and at that
size each call costs about as much as its arithmetic (a microsecond or more of Python and numpy dispatch).
A rule stays a Python function of the world, the parameters, its stream and the week, and draws its uniforms
from its own stream as before; the loops over people that follow are a ``kernel``, one pass each, with no
temporaries and no per-call cost.

A kernel gives the numbers the numpy expressions it replaces gave, to the last bit
(``benchmarks/output_fingerprint.py`` checks every shipped scenario):
- no fast-math, so no operation is reordered or fused (no ``a * b + c`` contracted to one rounding);
- ``error_model="numpy"``: a division by zero gives inf or nan, as numpy's does, rather than raising;
- each element's expression keeps numpy's order of operations and its types. A float32 array compared with a
  Python float compares in float32 in numpy 2 (the float is "weak"): a kernel casts such a bound first;
- a sum of floats adds in numpy's order: ``np.add.reduce`` adds pairwise (eight partial sums in blocks of 128,
  halves above), a plain loop in sequence, so a kernel sums through ``sim.outcomes.pairwise_sum``, which repeats
  numpy's order, or leaves the sum to numpy. That order, like PCG64's bits that ``sim.draws`` repeats, is numpy's
  implementation rather than its API: after a numpy upgrade ``tests/test_compiled_sums.py`` and
  ``tests/test_draws.py`` say whether it still holds.

A kernel with many inputs takes them in a few named groups, each a ``typing.NamedTuple`` defined at module level
beside it: the people's arrays it reads and writes, the week's uniforms, the scenario's numbers
(``offend_people(people, factors, records, draws, ratios, coefficients, week)``). The rule builds each group by
keyword and the kernel reads ``coefficients.imprisonment_share``: a list of forty positional numbers let two floats
of the same type swap places and run, silently wrong. numba types a group field by field as it typed the arguments
(a Python float stays float64, a float32 stays float32), and a rule's call costs what it did (within half a
microsecond at 3,000 members). A group's class must be importable by its module and name: the cache records it with
the kernel's argument types. ``tests/test_compiled.py`` fails on a kernel of more than ten arguments.

Kernels are compiled on first use and cached on disk, so only the first run after a change pays for compiling
(some seconds). numba keys a cached kernel by its own file alone, so a kernel that calls one in another module would
keep running the old code after that module changed; the cache is therefore kept in a folder named by a hash of
every module that defines kernels (``cache_folder``): any change to any of them starts a fresh cache. A cache folder
set with ``NUMBA_CACHE_DIR`` is used as it is (then clear it after changing a kernel).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from pathlib import Path

import numba

PACKAGE = Path(__file__).resolve().parent
MARK = b"@kernel"  # how a module that defines kernels is told (its source holds the decorator)
IMPORTED = re.compile(rb"^from (sim(?:\.\w+)*) import", re.MULTILINE)
STALE_AFTER = 24 * 3600.0  # seconds a cache of code the checkout no longer holds is kept (see prune_stale)


def kernels_fingerprint() -> str:
    """A hash of the source of every module of the package that defines kernels, and of every module of the package
    they import from (a kernel compiles in the constants it reads, such as the state codes): about 5 ms to read."""
    sources = {path: path.read_bytes() for path in PACKAGE.rglob("*.py")}
    read = set()
    for path, source in sources.items():
        if MARK in source:
            read.add(path)
            read.update(module_file(name.decode()) for name in IMPORTED.findall(source))
    digest = hashlib.sha256()
    for path in sorted(read & sources.keys()):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + sources[path])
    return digest.hexdigest()[:16]


def module_file(name: str) -> Path:
    """The source file of the package's module ``name`` (``sim.agents.states``), a package's ``__init__.py``."""
    path = PACKAGE.joinpath(*name.split(".")[1:])
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def cache_folder() -> str:
    """Where compiled kernels are cached: ``__pycache__/numba-<hash>`` in the package, or, where the package cannot
    be written (an installed copy), the same name under the user's cache folder; "" (numba's own choice) if neither
    can be made. In the package's own folder, the caches of code it no longer holds are removed (``prune_stale``)."""
    name = f"numba-{kernels_fingerprint()}"
    user_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reintegration-sim"
    for base in (PACKAGE / "__pycache__", user_cache):
        try:
            (base / name).mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(base / name, os.W_OK):
            if base == PACKAGE / "__pycache__":
                os.utime(base / name)  # its last use, which prune_stale reads in every other version's folder
                prune_stale(base, keep=name)
            return str(base / name)
    return ""


def prune_stale(base: Path, keep: str, idle_seconds: float = STALE_AFTER) -> None:
    """Remove the cache folders in ``base`` other than ``keep`` unused for ``idle_seconds``: each holds machine code
    of a version of the kernels this checkout no longer has (about 2.5 MB each, one per edit of a kernel module).
    Only the package's own folder is pruned: the user's cache may serve other installed versions, still running.
    A folder is left a day after its last use, so that switching back to a branch within the day finds its kernels
    compiled, and a process started on the code before an edit can still save what it compiles."""
    now = time.time()
    for folder in base.glob("numba-*"):
        try:
            if folder.name != keep and folder.is_dir() and now - folder.stat().st_mtime > idle_seconds:
                shutil.rmtree(folder)
        except OSError:  # another process removed it first, or it cannot be removed: the next run tries again
            continue


if not os.environ.get("NUMBA_CACHE_DIR"):
    numba.config.CACHE_DIR = cache_folder()  # read by each kernel's cache when it is decorated, below this module

kernel = numba.njit(cache=True, nogil=True, error_model="numpy")
"""Decorator of a rule's compiled loop: ``@kernel`` over a function of arrays and numbers."""
