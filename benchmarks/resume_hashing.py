"""How many times a resume hashes a sweep folder's parts, and how long its preparation takes.

A resume checks every part against its record (``parts.jsonl``) in each of its steps: the parts it sets aside, the
runs already done, those lost, the folder prepared, the runs done again. Each check hashed every part, so a resume read
each byte of a large sweep many times before its first run. This builds a sweep of the test suite's tiny grid with one
run a part (``--replicates`` x 4 runs, as many parts in runs/ and in curves/), then resumes it with every run done, so
the resume does nothing but prepare, and prints the calls of ``sha256_of`` and the seconds. Run it on a checkout from
before the fix for the figures before:

    PYTHONPATH=. .venv/bin/python benchmarks/resume_hashing.py --folder /tmp/resume_hashing
    PYTHONPATH=/path/to/older/checkout .venv/bin/python benchmarks/resume_hashing.py --folder /tmp/resume_hashing
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import tempfile
import time
from pathlib import Path

import yaml

import sim.checked_read
from sim.experiments import sweep

TINY = Path(__file__).resolve().parents[1] / "tests" / "data" / "tiny_grid.yaml"
HASHERS = ("sim.file_digests", "sim.checked_read", "sim.experiments.part_log", "sim.experiments.store")
"""The modules that call ``sha256_of`` in this version or an older one (each by its own imported name)."""


def build(folder: Path, replicates: int) -> None:
    """The tiny grid on `replicates` replicates, one run a part, into `folder` (kept: a second call re-uses it)."""
    if (folder / "manifest.json").is_file():
        return
    spec = yaml.safe_load(TINY.read_text()) | {"replicates": replicates}
    experiment_of(folder).write_text(yaml.safe_dump(spec))
    sweep(experiment_of(folder), out=folder, workers=1, batch_size=1, progress=False)


def experiment_of(folder: Path) -> Path:
    """The experiment file the sweep in `folder` was run from, beside it."""
    return folder.with_suffix(".yaml")


def counting() -> list[tuple[Path, float]]:
    """Count each call of ``sha256_of``, wherever it is called from: the paths hashed, in order, and its seconds."""
    calls: list[tuple[Path, float]] = []
    modules = []
    for name in HASHERS:
        try:
            modules.append(importlib.import_module(name))
        except ImportError:  # sim.file_digests, in a version before it
            continue
    original = next(module.sha256_of for module in modules if hasattr(module, "sha256_of"))

    def counted(path: Path) -> str:
        clock = time.perf_counter()
        try:
            return original(path)
        finally:
            calls.append((Path(path), time.perf_counter() - clock))

    for module in modules:
        if hasattr(module, "sha256_of"):
            module.sha256_of = counted
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "resume_hashing")
    parser.add_argument("--replicates", type=int, default=25, help="of the 2 x 2 grid, one run a part (default 25)")
    args = parser.parse_args()
    build(args.folder, args.replicates)
    parts = sum(1 for dataset in ("runs", "curves") for _ in (args.folder / dataset).glob("part-*.parquet"))
    size = sum(p.stat().st_size for dataset in ("runs", "curves") for p in (args.folder / dataset).glob("part-*.parquet"))
    calls = counting()
    clock = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        sweep(experiment_of(args.folder), out=args.folder, workers=1, progress=False)
    seconds = time.perf_counter() - clock
    hashed, hashing = len({path for path, _ in calls}), sum(spent for _, spent in calls)
    print(f"sim from {Path(sim.checked_read.__file__).parents[1]}")
    print(f"folder {args.folder}: {parts} parts ({size / 1e6:.1f} MB) in runs/ and curves/")
    print(f"resume with every run done: {len(calls)} calls of sha256_of ({hashed} files, "
          f"{len(calls) / max(parts, 1):.1f} a part, {hashing:.3f} s hashing), {seconds:.2f} s in all")


if __name__ == "__main__":
    main()
