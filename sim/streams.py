"""One random stream per rule, so that scenarios compared with the same seed share their randomness.

Each rule (and each quantity drawn when the world is built) gets its own ``numpy.random.Generator``,
spawned from the replicate's ``SeedSequence`` with a stable key: the CRC-32 of the rule's name.
A rule draws a fixed shape every week (for everyone it could apply to, not only for who is eligible
now), so the same person meets the same uniform in the same rule and week in any scenario, and a
change in one rule never shifts the numbers another rule sees. A rule's variates other than uniforms
(recall terms, court delays) are drawn by inversion of uniforms for the same reason, and so are the
world's Beta, gamma, normal and Poisson quantities, and the world's integer choices (network ties,
homes, old associates) draw for every place they could fill, used or not (docs/ODD.md, section 4).
"""

from __future__ import annotations

import numbers
import zlib
from typing import Any

import numpy as np

from sim.errors import InputError

MAX_SEED = 2**32 - 1
"""Largest root seed a command takes (``--seed``): Optuna's samplers in ``sim optimise`` take none larger, and one
range serves every command. A scenario file's ``seed`` may be larger; only ``sim optimise`` refuses such a seed."""

MAX_FILE_SEED = 2**63 - 1
"""Largest root seed a scenario or experiment file may set (a run's seeds are stored as unsigned 64-bit integers)."""

POISSON_TAIL = 1e-15  # probability above the largest count a Poisson table holds (below any float uniform's resolution)
UNIFORM_MEAN = 0.5  # mean of a uniform draw on [0, 1): rules centre individual spreads on it


def check_seed(seed: int | None) -> None:
    """Refuse a command's root seed (``--seed``) outside 0..MAX_SEED (None, the scenario's own, is fine). A file's
    seed is checked where the file is read (the scenario schema and the experiment file, to MAX_FILE_SEED)."""
    if seed is not None and not (isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and 0 <= seed <= MAX_SEED):
        raise InputError(f"must be an integer from 0 to {MAX_SEED} (got {seed!r})", key="--seed",
                         expected=f"an integer from 0 to {MAX_SEED}")


def replicate_seed(root: int, replicate: int) -> int:
    """The seed of replicate ``replicate``: ``SeedSequence(root, spawn_key=(replicate,))``. Every command that runs
    replicates of a setting (``sim run``, ``compare``, a sweep with common random numbers, calibration, patterns, the
    dashboard) seeds replicate r with it, so the same root gives the same run of the same setting in any of them."""
    return seed_integer(np.random.SeedSequence(root, spawn_key=(replicate,)))


def derived_seed(root: int, purpose: str, *index: int) -> np.random.SeedSequence:
    """The seed of anything else a command derives from its root seed: ``SeedSequence(root, spawn_key=(CRC-32 of
    purpose, len(index), *index))``. The key has at least two words where a replicate's has one, and starts with the
    purpose's own word, so two purposes (or a purpose and a replicate) never share a seed, by construction; the
    purposes in use are ``PURPOSES``."""
    if purpose not in PURPOSES:
        raise ValueError(f"not a seed purpose: {purpose!r} (add it to sim.streams.PURPOSES)")
    return np.random.SeedSequence(root, spawn_key=(stream_key(purpose), len(index), *index))


PURPOSES = {
    "sweep point": "run (point p, replicate r) of a sweep without common random numbers",
    "calibration check": "replicate r of the check runs at a calibration's optimum (fresh seeds)",
    "optimise confirmation": "the root seed of `sim optimise`'s confirmation runs (fresh seeds)",
    "robustness screening": "the extra trees that screen the assumptions behind conclusion k of `sim robustness`",
    "robustness held-out": "the held-out split that tests PRIM's box for conclusion k of `sim robustness`",
}
"""Every purpose ``derived_seed`` serves, with what it seeds (docs/DEVELOPING.md lists them with the replicate seed)."""


def seed_integer(seed: np.random.SeedSequence) -> int:
    """A run's seed as the integer a results table stores (unsigned 64 bits) and a model takes as ``rng``."""
    return int(seed.generate_state(1, np.uint64)[0])


def check_rng(rng: Any) -> Any:
    """Refuse an ``rng`` that Mesa would fail on deep inside numpy: None, a non-negative integer, a SeedSequence
    or a Generator are seeds. A model takes any such seed; a command's root seed is narrower (``check_seed``).

    Returns the seed as Mesa takes it: a numpy integer (a seed read from a results table) as a Python int.
    """
    if rng is None or isinstance(rng, np.random.SeedSequence | np.random.Generator):
        return rng
    if not (isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and rng >= 0):
        expected = "a non-negative integer, a numpy SeedSequence or Generator, or None for the scenario's seed"
        raise InputError(f"must be {expected} (got {rng!r})", key="rng", expected=expected)
    return int(rng)


def seed_sequence(rng: Any) -> np.random.SeedSequence:
    """The root of a run's streams from what Mesa accepts as ``rng``: an int, a SeedSequence or a Generator."""
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int(rng.integers(np.iinfo(np.int64).max)))
    return np.random.SeedSequence(rng)


def stream_key(name: str) -> int:
    """A key that stays the same across runs, machines and Python versions (unlike ``hash``)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """The generators of one run, created on first use and looked up by rule name."""

    def __init__(self, root: np.random.SeedSequence) -> None:
        self.root = root
        self.generators: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        generator = self.generators.get(name)
        if generator is None:
            child = np.random.SeedSequence(self.root.entropy, spawn_key=(*self.root.spawn_key, stream_key(name)))
            generator = self.generators[name] = np.random.Generator(np.random.PCG64(child))
        return generator


def leading(stream: np.random.Generator, used: int, block: int) -> np.ndarray:
    """The first ``used`` of a block of ``block`` uniforms, the rest skipped unread: the next block starts where it
    would have started had the whole block been drawn, so a rule that needs only a scenario-dependent part of a fixed
    block pays only for that part and keeps every later draw in step (each float64 uniform is one step of PCG64)."""
    uniform = stream.random(used)
    stream.bit_generator.advance(block - used)
    return uniform


def poisson(uniform: np.ndarray, mean: float) -> np.ndarray:
    """Poisson variates of the given mean by inversion of uniforms in [0, 1): the smallest k with P(X <= k) > u.

    For one uniform, a larger mean never gives a smaller count, so scenarios that differ in the mean share draws.
    """
    from scipy import stats  # here: commands that only check seeds never load scipy.stats

    if mean <= 0:
        return np.zeros(uniform.shape, dtype=np.int64)
    largest = int(stats.poisson.isf(POISSON_TAIL, mean)) + 1
    return np.searchsorted(stats.poisson.cdf(np.arange(largest + 1), mean), uniform, side="right")
