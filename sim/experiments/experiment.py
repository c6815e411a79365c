"""Experiment files: a base scenario, fixed overrides and a design of factors to vary, checked before any run.

An experiment file is YAML read by the same safe reader as scenarios. Every problem — an unknown key,
a factor that is not a scenario parameter, a value out of its range, a scenario that cannot be found —
is an :class:`~sim.errors.InputError` naming the file, the line and the key; all that one pass finds are raised
together (``sim.errors.together``) before anything is written or run.

This module reads a file and builds the :class:`Experiment`; the file's schema is
``sim.experiments.experiment_file``, the checks of what its keys mean ``sim.experiments.experiment_checks``.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import InputError, did_you_mean, together
from sim.experiments import experiment_checks as checks
from sim.experiments.experiment_file import DESIGN_KINDS, ExperimentFile
from sim.job_size import check_design
from sim.network_file import check_unchanged, file_digests
from sim.scenarios import apply_overrides, shipped_names
from sim.scenarios.fields import overrides_as_read
from sim.scenarios.loader import EventAfterHorizonWarning
from sim.scenarios.safe_yaml import KeyPath, read_yaml_file
from sim.scenarios.schema import Scenario
from sim.streams import derived_seed, replicate_seed, seed_integer

if TYPE_CHECKING:
    import pandas as pd



EXPERIMENT_DIR = Path(__file__).resolve().parents[2] / "experiments"


SEEDING = 2
"""How a sweep's run seeds derive from its root (``Experiment.run_seed``), recorded in its manifest and fingerprint:
1, before December 2026, seeded run (p, r) with ``SeedSequence(root, spawn_key=(p or 0, r))``; 2 gives replicate r
the seed replicate r of ``sim run`` has, with common random numbers, and a ``derived_seed`` of its own without. A
folder swept the other way holds other numbers, so it is not resumed (a one-point sweep's seeds are the same)."""


@dataclass
class Experiment:
    """A validated experiment: the base scenario (with overrides), the design table and the seeds' root."""

    name: str
    description: str
    source: str  # the file as shown to the user, or "<dict>"
    spec: ExperimentFile
    base: Scenario
    design: pd.DataFrame  # one row per point: `point` and one column per factor
    seed: int
    replicates: int
    outputs: list[str]
    metrics: list[str]
    horizons: tuple[int, ...]

    @property
    def factors(self) -> list[str]:
        return list(self.spec.design.factors)

    @property
    def kind(self) -> str:
        return self.spec.design.kind

    @property
    def runs(self) -> int:
        return len(self.design) * self.replicates

    def settings(self, point: int) -> Scenario:
        """The scenario of one design point."""
        return apply_overrides(self.base, self.changes(point), origin=self.source)

    def changes(self, point: int) -> dict[str, Any]:
        return dict(self._points[point])

    @cached_property
    def _points(self) -> list[dict[str, Any]]:
        """Each point's factor values as plain Python values (ints stay ints), read from the design table once: a
        lookup per point and factor took 80 us, a silent minute between a 300,000-point sweep's size line and its first run."""
        return [{factor: checks.plain_value(value) for factor, value in row.items()}
                for row in self.design[self.factors].to_dict(orient="records")]

    def run_seed(self, point: int, replicate: int) -> int:
        """The seed of one run. With ``common_random_numbers`` (and in a design of one point) replicate r of every
        point has the seed replicate r of ``sim run`` has (``replicate_seed``): points differ only where the factors
        change what the rules do (each rule has its own stream), and a point runs what ``sim run`` runs with its
        settings and the same root, number for number, so ``sim robustness``'s nominal comparison, one such sweep per
        scenario, is the one ``sim compare`` makes. Without, every run has a seed of its own (``derived_seed``)."""
        if self.spec.common_random_numbers or len(self._points) == 1:
            return replicate_seed(self.seed, replicate)
        return seed_integer(derived_seed(self.seed, "sweep point", point, replicate))

    def fingerprint(self, replicates: int | None = None) -> str:
        """A hash of everything that decides the runs' numbers: a sweep folder belongs to one fingerprint. With
        `replicates`, this experiment's on that many replicates (``sweep``'s `more_replicates` tells such a folder)."""
        identity = {
            "base": self.base.model_dump(mode="json"),
            "design": self.design.to_dict(orient="list"),
            "seed": self.seed,
            "replicates": self.replicates if replicates is None else replicates,
        }
        if self.spec.common_random_numbers:  # absent otherwise, so folders swept before the option still resume
            identity["common_random_numbers"] = True
        if networks := self.network_files():  # the graph's ties, not only its path (absent without one, as above)
            identity["network_files"] = networks
        if len(self._points) > 1:  # a one-point sweep's seeds never changed: its folders still resume
            identity["seeding"] = SEEDING
        return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def network_files(self) -> dict[str, str]:
        """SHA-256 of each edge-list file the runs read (``network.file``, of the base or a factor), by path:
        a file rewired between a sweep and its resume must not mix two networks' runs in one folder."""
        return file_digests([self.base.network.file, *(self.design["network.file"] if "network.file" in self.design else ())])

    def unchanged_inputs(self) -> Callable[[int], None]:
        """A check that each network file is still the one the sweep began with (``check_unchanged``), called before
        a batch of runs is written (``RunStore``): the runs of a batch made on a rewired file are dropped, not written
        into the folder under the first file's fingerprint."""
        began = self.network_files()

        def check(runs: int) -> None:
            check_unchanged(began, f"the {runs:,} runs made since the sweep's last part was written are discarded, "
                                   "those written before are kept")
        return check

    def describe(self) -> dict[str, Any]:
        """The experiment as recorded in a sweep's manifest."""
        return {
            "name": self.name,
            "source": self.source,
            "fingerprint": self.fingerprint(),
            "spec": self.spec.model_dump(mode="json"),
            "seed": self.seed,
            "seeding": SEEDING,
            "replicates": self.replicates,
            "points": len(self.design),
            "runs": self.runs,
            "outputs": self.outputs,
            "base_scenario": self.base.model_dump(mode="json"),
        }


def load_experiment(source: str | Path | dict | Experiment, *, overrides: dict[str, Any] | None = None,
                    replicates: int | None = None, seed: int | None = None, max_runs: int | None = None,
                    samples: int | None = None, warned: bool = False) -> Experiment:
    """Read and check an experiment: a path to a YAML file, a shipped experiment name, or a dict.

    ``overrides`` (``--set``), ``replicates``, ``seed`` and ``samples`` (the design's ``samples``, ``--samples``)
    replace the file's own, e.g. to try a small version of a sweep first; the experiment is then rebuilt (its design
    depends on the seed). A design of more than `max_runs` runs (default ``sim.job_size.MAX_RUNS``) is refused
    before it is built. `warned`: the experiment is one a command built from a scenario it loaded with the same
    horizon, and so has warned of an event after it in the user's words (``sim optimise``'s trials, ``sim
    robustness``'s sweeps): not again, each time, as 'overrides.weeks in <experiment>'.
    """
    if warned:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EventAfterHorizonWarning)
            return load_experiment(source, overrides=overrides, replicates=replicates, seed=seed, max_runs=max_runs,
                                   samples=samples)
    data, lines, shown, base_dir = _read(source)
    given = {"replicates": replicates, "seed": seed, "design.samples": samples}
    if samples is not None:
        data = {**data, "design": with_samples(data.get("design"), samples, shown)}
    if any(value is not None for value in given.values()):  # before anything is built: the size check sees the new count
        data = {**data, **{k: v for k, v in (("replicates", replicates), ("seed", seed)) if v is not None}}
    elif isinstance(source, Experiment) and not overrides:
        if max_runs is not None:  # built under another limit: `max_runs` still holds
            check_design(source.spec.design, source.replicates, max_runs=max_runs, file=source.source)
        return source
    try:
        plain = _build(data, lines, shown, base_dir, max_runs)
    except InputError as e:  # a bad --replicates, --seed or --samples is the option's fault, not the file's line
        raise together([error.replace(file=f"--{error.key.removeprefix('design.')}", line=None, key=None)  # "--samples: ..."
                        if error.key in given and given[error.key] is not None else error for error in e.each()],
                       shown) from None
    if not overrides:
        return plain
    applied = apply_overrides(plain.base, dict(overrides), origin="--set")  # bad --set values name --set
    factors = {checks.check_key(factor)[0] for factor in plain.spec.design.factors}
    for key in overrides:
        try:
            path, _ = checks.check_key(key)
        except InputError as e:
            raise e.replace(file="--set") from None
        if path in factors:  # the design sets it at every point: the --set value would never be used
            raise InputError(f"is a factor of the design in {plain.source}, which sets it at every point",
                             file="--set", key=key, expected="a key that is not a design factor (change the "
                             "factor's values in the experiment file instead)")
    # each --set value as read (500, not the text '500'): the manifest records the numbers the runs used
    data = {**data, "overrides": {**data.get("overrides", {}), **overrides_as_read(applied, overrides)}}
    return _build(data, lines, shown, base_dir, max_runs, from_set=frozenset(overrides))


def with_samples(design: Any, samples: int, shown: str) -> Any:
    """The design of an experiment file with `samples` (``--samples``) in place of its own. A grid, which has no sample
    size, is refused naming the option; a design the file gets wrong is left for its own message."""
    kind = design.get("kind") if isinstance(design, dict) else None
    if kind in DESIGN_KINDS and "samples" not in DESIGN_KINDS[kind].model_fields:
        raise InputError(f"the design of {shown} is a {kind}, which has no sample size", file="--samples",
                         expected="an experiment whose design.kind is sobol, morris or lhs (or leave out --samples)")
    return {**design, "samples": samples} if isinstance(design, dict) else design


def shipped_experiments() -> list[str]:
    """The names of the shipped experiments (``sim sweep NAME``), sorted."""
    return sorted(p.stem for p in EXPERIMENT_DIR.glob("*.yaml"))


def _read(source: str | Path | dict | Experiment) -> tuple[dict, dict[KeyPath, int], str, Path]:
    """An experiment's raw data, the line of each key (when read from a file), its name in messages and the
    folder its relative scenario path is read from."""
    if isinstance(source, Experiment):
        return source.spec.model_dump(mode="json", exclude_none=True), {}, source.source, Path.cwd()
    if isinstance(source, dict):
        return dict(source), {}, "<experiment>", Path.cwd()
    if not isinstance(source, str | PathLike):
        raise InputError(f"got {type(source).__name__} instead of an experiment", key="experiment",
                         expected="a shipped experiment's name, a path to a YAML experiment file, or a dict")
    path = _locate(source)
    shown = _show(path)
    if not path.exists():
        shipped = shipped_experiments()
        hint = "" if "/" in str(source) else did_you_mean(Path(str(source)).stem, shipped)
        raise InputError(f"no such experiment file{hint}", file=shown,
                         expected=f"an existing YAML experiment file or a shipped experiment ({', '.join(shipped)})")
    data, lines = read_yaml_file(path, shown, "experiment")
    return data, lines, shown, path.parent


def is_experiment_file(source: Any) -> bool:
    """Whether `source` (as ``sim validate`` is given it) is an experiment file rather than a scenario: not a shipped
    scenario's name, and a YAML mapping with a ``design`` or a ``scenario`` key (no scenario has either), or a
    shipped experiment's name. A file that cannot be read is left to the scenario loader's message."""
    if not isinstance(source, str | PathLike) or (isinstance(source, str) and source in shipped_names()):
        return False
    path = _locate(source)
    if not path.is_file():
        return False
    if path.parent == EXPERIMENT_DIR and not Path(source).exists():
        return True
    try:
        data, _ = read_yaml_file(path, _show(path))
    except InputError:
        return False
    return isinstance(data, dict) and not {"design", "scenario"}.isdisjoint(data)


def _locate(source: str | Path) -> Path:
    text = str(source)
    if isinstance(source, str) and "/" not in text and not Path(text).suffix and not Path(text).exists():
        shipped = EXPERIMENT_DIR / f"{text}.yaml"
        if shipped.is_file():
            return shipped
    return Path(source).expanduser()


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _build(data: dict, lines: dict[KeyPath, int], shown: str, base_dir: Path, max_runs: int | None = None,
           *, from_set: frozenset[str] = frozenset()) -> Experiment:
    """Check an experiment's data and build it, finding every error the checks can in one pass: the schema's, then
    those of the keys' meaning (factors, overrides, the scenario, outputs, each design point), each skipped only
    where what it reads was refused by an earlier one. Raises them together, in file order."""
    found, spec, refused = checks.schema_checked(data, lines, shown)
    sized, size_errors = checks.sized(spec, refused, lines, shown, max_runs)
    checks.absolute_files(spec, base_dir, from_set)
    base, scenario_errors = checks.base_scenario(spec, refused, base_dir, lines, shown)
    written = checks.written_factors(data)
    factors = spec.design.factors if ("design",) not in refused else checks.factor_values(data, refused)
    base, override_errors = checks.with_overrides(base, spec, factors, lines, shown)
    key_errors = checks.refused_factor_keys(written, factors, lines, shown)
    factor_errors = checks.factor_errors(base, factors, spec, lines, shown)
    found += [*size_errors, *scenario_errors, *override_errors, *key_errors, *factor_errors]
    # The design points are built and checked only from a design, base scenario and seed that are all as written (and
    # not for a design refused as too large: refused before pandas and scipy load, within a second).
    seed = spec.seed if spec.seed is not None else base.seed if base is not None else 0
    table = None
    if sized and base is not None and not override_errors and not factor_errors and (
            ("seed",) not in refused or spec.design.kind == "grid"):
        table, point_errors = checks.design_points(spec, base, seed, factors, lines, shown, from_set)
        found += point_errors
    if table is not None or checks.outputs_checkable(base, written, refused, found):
        outputs, metrics, horizons, output_errors = checks.checked_outputs(spec, base, table, factors, lines, shown, from_set)
        found += output_errors
    if found:
        raise together(found, shown)
    return Experiment(
        name=spec.name, description=spec.description, source=shown, spec=spec, base=base, design=table, seed=seed,
        replicates=spec.replicates, outputs=outputs, metrics=metrics, horizons=horizons,
    )
