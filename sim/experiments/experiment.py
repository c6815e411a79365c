"""Experiment files: a base scenario, fixed overrides and a design of factors to vary, checked before any run.

An experiment file is YAML read by the same safe reader as scenarios. Every problem — an unknown key,
a factor that is not a scenario parameter, a value out of its range, a scenario that cannot be found —
is an :class:`~sim.errors.InputError` naming the file, the line and the key; all that one pass finds are raised
together (``sim.errors.together``) before anything is written or run.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo

from sim.errors import InputError, did_you_mean, together
from sim.experiments.metrics import default_outputs, horizons_within, metric_names
from sim.job_size import check_design
from sim.scenarios import SCENARIO_DIR, apply_overrides, load_scenario, shipped_names
from sim.scenarios.explain import Said, Words, explained, located
from sim.scenarios.fields import fmt, is_model, resolve_key
from sim.scenarios.loader import EventAfterHorizonWarning, locate_scenario
from sim.scenarios.safe_yaml import KeyPath, dotted, read_yaml_file
from sim.scenarios.schema import Scenario
from sim.streams import MAX_FILE_SEED, replicate_seed, run_seed

if TYPE_CHECKING:
    import pandas as pd

EXPERIMENT_DIR = Path(__file__).resolve().parents[2] / "experiments"
NOT_FACTORS = frozenset({"name", "description", "extends", "seed", "events"})
Scalar = bool | int | float | str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Range(_Strict):
    """A continuous factor: sampled between ``low`` and ``high``."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError(f"low must be below high (got low {fmt(self.low)}, high {fmt(self.high)})")
        return self


class GridDesign(_Strict):
    """Every combination of the listed values (the last factor varies fastest)."""

    kind: Literal["grid"]
    factors: dict[str, Annotated[list[Scalar], Field(min_length=1)]] = Field(min_length=1)


class LhsDesign(_Strict):
    """``samples`` points of a Latin hypercube over the factor ranges."""

    kind: Literal["lhs"]
    factors: dict[str, Range] = Field(min_length=1)
    samples: int = Field(ge=1, le=1_000_000)


class SobolDesign(_Strict):
    """SALib's Sobol' sequence (Saltelli scheme): ``samples`` x (factors + 2) points, for first and total indices."""

    kind: Literal["sobol"]
    factors: dict[str, Range] = Field(min_length=2)
    samples: int = Field(ge=2, le=1_048_576)

    @field_validator("samples")
    @classmethod
    def _power_of_two(cls, samples: int) -> int:
        if samples & (samples - 1):
            raise ValueError("must be a power of 2 for a Sobol' design (SALib's sampler)")
        return samples


class MorrisDesign(_Strict):
    """Morris elementary effects: ``samples`` trajectories of (factors + 1) points on a ``levels`` grid."""

    kind: Literal["morris"]
    factors: dict[str, Range] = Field(min_length=2)
    samples: int = Field(ge=2, le=100_000)
    levels: int = Field(4, ge=2, le=100)


Design = Annotated[GridDesign | LhsDesign | SobolDesign | MorrisDesign, Field(discriminator="kind")]
DESIGN_KINDS = {"grid": GridDesign, "lhs": LhsDesign, "sobol": SobolDesign, "morris": MorrisDesign}


class ExperimentFile(_Strict):
    """The keys of an experiment file (see docs/EXPERIMENTS.md)."""

    name: str = Field(min_length=1)
    description: str = ""
    scenario: str = Field(min_length=1)
    seed: int | None = Field(None, ge=0, le=MAX_FILE_SEED, strict=True)  # as a scenario file's seed
    replicates: int = Field(1, ge=1, le=100_000, strict=True)  # not `true` (1) or "2", as a scenario file's numbers
    common_random_numbers: bool = Field(False, strict=True)  # not "yes"
    overrides: dict[str, Any] = Field(default_factory=dict)
    outputs: list[str] | None = Field(None, min_length=1)
    design: Design


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
        return [{factor: _plain(value) for factor, value in row.items()}
                for row in self.design[self.factors].to_dict(orient="records")]

    def run_seed(self, point: int, replicate: int) -> int:
        """The seed of one run. With ``common_random_numbers`` replicate r of every point shares one seed, so
        points differ only where the factors change what the rules do (each rule has its own stream). A design of
        one point runs what ``sim run`` runs, on its seeds (``replicate_seed``): so ``sim robustness``'s nominal
        comparison, one such sweep per scenario, is the one ``sim compare`` makes, number for number."""
        if len(self._points) == 1:
            return replicate_seed(self.seed, replicate)
        return run_seed(self.seed, 0 if self.spec.common_random_numbers else point, replicate)

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
        return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def network_files(self) -> dict[str, str]:
        """SHA-256 of each edge-list file the runs read (``network.file``, of the base or a factor), by path:
        a file rewired between a sweep and its resume must not mix two networks' runs in one folder."""
        paths = {self.base.network.file, *(self.design["network.file"] if "network.file" in self.design else ())}
        return {str(path): hashlib.sha256(Path(path).read_bytes()).hexdigest()
                for path in sorted(str(p) for p in paths if p) if Path(path).is_file()}

    def describe(self) -> dict[str, Any]:
        """The experiment as recorded in a sweep's manifest."""
        return {
            "name": self.name,
            "source": self.source,
            "fingerprint": self.fingerprint(),
            "spec": self.spec.model_dump(mode="json"),
            "seed": self.seed,
            "replicates": self.replicates,
            "points": len(self.design),
            "runs": self.runs,
            "outputs": self.outputs,
            "base_scenario": self.base.model_dump(mode="json"),
        }


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


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
    apply_overrides(plain.base, dict(overrides), origin="--set")  # bad --set values name --set
    factors = {_check_key(factor)[0] for factor in plain.spec.design.factors}
    for key in overrides:
        try:
            path, _ = _check_key(key)
        except InputError as e:
            raise e.replace(file="--set") from None
        if path in factors:  # the design sets it at every point: the --set value would never be used
            raise InputError(f"is a factor of the design in {plain.source}, which sets it at every point",
                             file="--set", key=key, expected="a key that is not a design factor (change the "
                             "factor's values in the experiment file instead)")
    data = {**data, "overrides": {**data.get("overrides", {}), **dict(overrides)}}
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
    found, spec, refused = _schema_checked(data, lines, shown)
    sized, size_errors = _sized(spec, refused, lines, shown, max_runs)
    _absolute_files(spec, base_dir, from_set)
    base, scenario_errors = _base_scenario(spec, refused, base_dir, lines, shown)
    written = _written_factors(data)
    factors = spec.design.factors if ("design",) not in refused else _factor_values(data, refused)
    base, override_errors = _with_overrides(base, spec, factors, lines, shown)
    key_errors = _refused_factor_keys(written, factors, lines, shown)
    factor_errors = _factor_errors(base, factors, spec, lines, shown)
    found += [*size_errors, *scenario_errors, *override_errors, *key_errors, *factor_errors]
    # The design points are built and checked only from a design, base scenario and seed that are all as written (and
    # not for a design refused as too large: refused before pandas and scipy load, within a second).
    seed = spec.seed if spec.seed is not None else base.seed if base is not None else 0
    table = None
    if sized and base is not None and not override_errors and not factor_errors and (
            ("seed",) not in refused or spec.design.kind == "grid"):
        table, point_errors = _design_points(spec, base, seed, factors, lines, shown, from_set)
        found += point_errors
    if table is not None or _outputs_checkable(base, written, refused, found):
        outputs, metrics, horizons, output_errors = _outputs(spec, base, table, factors, lines, shown, from_set)
        found += output_errors
    if found:
        raise together(found, shown)
    return Experiment(
        name=spec.name, description=spec.description, source=shown, spec=spec, base=base, design=table, seed=seed,
        replicates=spec.replicates, outputs=outputs, metrics=metrics, horizons=horizons,
    )


def _at(e: InputError, path: KeyPath, lines: dict[KeyPath, int], shown: str) -> InputError:
    """`e` placed at `path` in the file (its line and dotted key), alone: the checks' own errors name no file."""
    return e.replace(file=shown, line=_line(lines, path), key=dotted(path), others=[])


def _schema_checked(data: dict, lines: dict[KeyPath, int], shown: str
                    ) -> tuple[list[InputError], ExperimentFile, set[KeyPath]]:
    """The schema's errors, the spec and the keys it refused, put aside (``_put_aside``) so that the checks of the
    rest can still be made; raises the errors when even that does not validate."""
    try:
        return [], ExperimentFile.model_validate(data), set()
    except ValidationError as exc:
        # each in the user's words, where it is (a misspelt key such as `desing:` has its line, so once raised together
        # it comes before the right key's 'required key is missing', which has none)
        found = explained(exc, data, {path: (shown, line) for path, line in lines.items()}, (shown, None), WORDS)
        spec, refused = _put_aside(data, exc)
    if spec is None:
        raise together(found, shown)
    return found, spec, refused


def _sized(spec: ExperimentFile, refused: set[KeyPath], lines: dict[KeyPath, int], shown: str,
           max_runs: int | None) -> tuple[bool, list[InputError]]:
    """Whether the design's size was checked and is within `max_runs`, and the error if it is not: checked only with
    the design (every factor, its samples and levels) and the replicates as written."""
    if any(path[0] == "design" for path in refused) or ("replicates",) in refused:
        return False, []
    try:
        check_design(spec.design, spec.replicates, max_runs=max_runs, file=shown)
    except InputError as e:
        return False, [e.replace(line=_line(lines, ("design",)))]
    return True, []


def _base_scenario(spec: ExperimentFile, refused: set[KeyPath], base_dir: Path, lines: dict[KeyPath, int],
                   shown: str) -> tuple[Scenario | None, list[InputError]]:
    """The scenario the experiment varies, and its errors: None when the schema refused it or it cannot be loaded."""
    if ("scenario",) in refused:
        return None, []
    try:
        return load_scenario(_scenario_source(spec.scenario, base_dir, shown, _line(lines, ("scenario",)))), []
    except InputError as e:
        return None, list(e.each())


def _written_factors(data: dict) -> Any:
    """The design's factors as the file wrote them, before the schema read them (None without a design mapping)."""
    return data.get("design", {}).get("factors") if isinstance(data.get("design"), dict) else None


def _with_overrides(base: Scenario | None, spec: ExperimentFile, factors: dict, lines: dict[KeyPath, int],
                    shown: str) -> tuple[Scenario | None, list[InputError]]:
    """The base scenario with each of the file's overrides applied, and the errors of those refused: a bad key or
    value, or a key the design also sets as a factor (the override would never be used)."""
    factor_paths = {}
    for key in factors:
        try:
            factor_paths[_check_key(key)[0]] = key
        except InputError:
            pass  # reported by _factor_errors, at the factor's own line
    errors = []
    for key, value in spec.overrides.items() if base is not None else ():
        try:
            path, _ = _check_key(key)
            if path in factor_paths:  # the design sets it at every point: the override would never be used
                raise InputError(f"is also a factor of the design (design.factors.{factor_paths[path]}), which sets it "
                                 "at every point, so this value would never be used",
                                 expected="a key that is not a design factor (remove the override, or the factor)")
            base = apply_overrides(base, {key: value}, origin=shown)
        except InputError as e:
            errors.append(_at(e, ("overrides", key), lines, shown))
    return base, errors


def _refused_factor_keys(written: Any, factors: dict, lines: dict[KeyPath, int], shown: str) -> list[InputError]:
    """The errors of the keys of factors whose values the schema refused: a key is checked even so."""
    errors = []
    for key in written if isinstance(written, dict) else ():
        if key not in factors:
            try:
                _check_key(str(key))
            except InputError as e:
                errors.append(_at(e, ("design", "factors", key), lines, shown))
    return errors


def _factor_errors(base: Scenario | None, factors: dict, spec: ExperimentFile, lines: dict[KeyPath, int],
                   shown: str) -> list[InputError]:
    """Each factor's errors: its key, then, given a base scenario to set them in, its range or its grid's values."""
    errors = []
    for key, values in factors.items():
        where = ("design", "factors", key)
        try:
            _, info = _check_key(key)
        except InputError as e:
            errors.append(_at(e, where, lines, shown))
            continue
        if not isinstance(values, Range):
            errors += _repeated(values, where, lines, shown, "a grid runs each value as a level: {} would run twice "
                                "and the level meant never", "distinct values, such as [0.2, 0.8]")
        if base is None:
            continue
        if isinstance(values, Range):
            errors += _range_errors(key, values, info.annotation, base, spec.design, where, lines, shown)
        else:
            errors += _grid_errors(key, values, base, where, lines, shown)
    return errors


def _range_errors(key: str, span: Range, annotation: Any, base: Scenario, design: Any, where: KeyPath,
                  lines: dict[KeyPath, int], shown: str) -> list[InputError]:
    """A range's errors: a parameter that is not numeric, an end the parameter does not allow, or (once both ends are
    fine) a Morris grid that rounding to whole numbers would distort."""
    if annotation not in (int, float):
        return [_at(InputError("is not a numeric parameter, so it cannot be given a range",
                               expected="a grid of values, or a numeric parameter"), where, lines, shown)]
    errors = []
    for end in ("low", "high"):
        try:
            apply_overrides(base, {key: _cast(annotation, getattr(span, end))}, origin=shown)
        except InputError as e:
            errors.append(_at(e, where, lines, shown))
    if not errors:
        try:
            _check_morris_grid(design, annotation, span)
        except InputError as e:
            errors.append(_at(e, where, lines, shown))
    return errors


def _repeated(values: list, where: KeyPath, lines: dict[KeyPath, int], shown: str, why: str,
              expected: str) -> list[InputError]:
    """An error for each value a list repeats, at its place, `why` said of it: [0.2, 0.2] is almost always a typo (for
    [0.2, 0.8]), which would otherwise pass unsaid."""
    first, errors = {}, []
    for i, value in enumerate(values):
        same = (isinstance(value, bool), value)  # true is not 1; 1 and 1.0 are one level
        if same in first:
            errors.append(_at(InputError(f"repeats {fmt(value)} of [{first[same]}]: {why.format(fmt(value))}",
                                         expected=expected), (*where, i), lines, shown))
        first.setdefault(same, i)
    return errors


def _grid_errors(key: str, values: list, base: Scenario, where: KeyPath, lines: dict[KeyPath, int],
                 shown: str) -> list[InputError]:
    """A grid's errors: each value the parameter does not allow, at its place in the list."""
    errors = []
    for i, value in enumerate(values):
        try:
            apply_overrides(base, {key: value}, origin=shown)
        except InputError as e:
            errors.append(_at(e, (*where, i), lines, shown))
    return errors


def _design_points(spec: ExperimentFile, base: Scenario, seed: int, factors: dict, lines: dict[KeyPath, int],
                   shown: str, from_set: frozenset[str]) -> tuple[pd.DataFrame, list[InputError]]:
    """The design table (one row per point) and the errors of its points' scenarios (``_check_points``)."""
    from sim.experiments.design import design_table

    table = design_table(spec.design, seed, {k: _annotation(k) for k in factors})
    return table, _check_points(base, table, spec, lines, shown, from_set)


def _outputs_checkable(base: Scenario | None, written: Any, refused: set[KeyPath], found: list[InputError]) -> bool:
    """Whether the outputs can be checked without a design table: the runs last the base scenario's weeks, as
    written (no weeks factor, and the overrides, weeks among them, not refused)."""
    return (base is not None and isinstance(written, dict) and "weeks" not in written
            and ("overrides",) not in refused and not any(e.key == "overrides.weeks" for e in found))


def _outputs(spec: ExperimentFile, base: Scenario, table: pd.DataFrame | None, factors: dict, lines: dict[KeyPath, int],
             shown: str, from_set: frozenset[str]) -> tuple[list[str], list[str], tuple[int, ...], list[InputError]]:
    """The outputs (the file's, or the defaults every point's runs reach), the metrics and horizons the longest runs
    keep, and the errors of the outputs: unknown, or not reached by every point's runs."""
    weeks = int(table["weeks"].max()) if "weeks" in factors else base.weeks
    shortest = int(table["weeks"].min()) if "weeks" in factors else base.weeks
    metrics, horizons = metric_names(weeks)
    everywhere, _ = metric_names(shortest)  # what every point's runs reach
    outputs = spec.outputs or [m for m in default_outputs(horizons_within(shortest)) if m in metrics]
    errors = _repeated(spec.outputs or [], ("outputs",), lines, shown, "each output is one column of the results, so "
                       "{} would be reported twice and the output meant never", "each output once")
    for i, output in enumerate(outputs):
        if output not in metrics:
            errors.append(_too_short(outputs, i, weeks, factors, spec, lines, shown, from_set) or InputError(
                f"unknown output '{output}'" + output_hint(output, metrics), file=shown,
                line=_line(lines, ("outputs", i)), key=f"outputs[{i}]", expected="a summary metric of the runs",
            ))
        elif output not in everywhere:
            errors.append(InputError(
                f"'{output}' is not reached by every design point: the shortest runs last {shortest} weeks "
                f"(design.factors.weeks), so that output would be missing at those points", file=shown,
                line=_line(lines, ("outputs", i)), key=f"outputs[{i}]",
                expected=f"an output within {shortest} weeks ({', '.join(everywhere)}), or a higher low end of weeks",
            ))
    return outputs, metrics, horizons, errors


def _factor_values(data: dict, refused: set[KeyPath]) -> dict[str, Any]:
    """The factors of a design the schema refused as a whole (e.g. a Sobol' design left with one good factor) whose
    own values it accepted, as the design's kind reads them; none when the kind is unknown."""
    design = data.get("design")
    if not isinstance(design, dict) or design.get("kind") not in DESIGN_KINDS or not isinstance(design.get("factors"), dict):
        return {}
    read = TypeAdapter(DESIGN_KINDS[design["kind"]].model_fields["factors"].annotation)
    factors = {}
    for key, values in design["factors"].items():
        if ("design", "factors", key) not in refused:
            try:
                factors.update(read.validate_python({key: values}))
            except ValidationError:
                pass
    return factors


OPTIONAL_KEYS = frozenset({"description", "seed", "replicates", "common_random_numbers", "overrides", "outputs"})
"""Keys of an experiment file that have a default: one refused is put aside for the checks of the others."""
PLACEHOLDER_DESIGN = {"kind": "grid", "factors": {"-": [0]}}  # for a design refused as a whole: never checked or built


def _put_aside(data: dict, exc: ValidationError) -> tuple[ExperimentFile | None, set[KeyPath]]:
    """The experiment with what the schema refused put aside, so that the checks of the rest can still be made:
    (the spec, the keys refused: an optional key, the scenario, a factor, the design's samples or levels, or the
    design as a whole). None when even that does not validate."""
    fixed, refused = dict(data), set()
    design = dict(data["design"]) if isinstance(data.get("design"), dict) else None
    factors = dict(design["factors"]) if design is not None and isinstance(design.get("factors"), dict) else None
    for error in exc.errors():
        path = located(error["loc"], WORDS)[0]
        if not path:
            return None, refused
        top = path[0]
        if top in OPTIONAL_KEYS or top not in ExperimentFile.model_fields:  # its default, or no such key
            fixed.pop(top, None)
            refused.add((top,))
        elif top in ("name", "scenario"):
            fixed[top] = "-" if top == "name" else "baseline"  # never loaded: the scenario is refused
            refused.add((top,))
        elif len(path) >= 3 and path[1] == "factors" and factors is not None:
            factors.pop(path[2], None)  # the factor (a second error of it finds it gone)
            refused.add(path[:3])
        elif len(path) == 2 and path[1] not in ("kind", "factors") and error["type"] == "extra_forbidden" \
                and design is not None:
            design.pop(path[1], None)
            refused.add(path[:2])
        elif len(path) == 2 and path[1] in ("samples", "levels") and design is not None:
            design[path[1]] = 2  # valid for every design kind's samples and levels: the size is not checked
            refused.add(path[:2])
        else:
            design = None
            refused.add(("design",))
    if design is not None:
        fixed["design"] = {**design, **({"factors": factors} if factors is not None else {})}
    else:
        fixed["design"] = PLACEHOLDER_DESIGN
    try:
        return ExperimentFile.model_validate(fixed), refused
    except ValidationError:  # e.g. a Sobol' design left with one factor
        pass
    try:
        return ExperimentFile.model_validate({**fixed, "design": PLACEHOLDER_DESIGN}), refused | {("design",)}
    except ValidationError:
        return None, refused


def _horizon(output: str) -> int | None:
    """The weeks since release a first-event share is read at ('reoffended_156w': 156), if `output` is one at a horizon
    a long enough run keeps (26 weeks or a whole year); None for any other name."""
    from sim.curves import CURVES

    curve, _, end = output.rpartition("_")
    if curve in CURVES and end.endswith("w") and end[:-1].isdigit() and int(end[:-1]) in horizons_within(int(end[:-1])):
        return int(end[:-1])
    return None


def output_hint(output: str, metrics: list[str]) -> str:
    """What an unknown output is followed by: the closest summary metric, if one is close ('recall_156w' for
    'recalled_156w'), then every one it could have been."""
    return did_you_mean(output, metrics) + f": expected one of {', '.join(metrics)}"


def _too_short(outputs: list[str], where: int, weeks: int, factors: dict, spec: ExperimentFile,
               lines: dict[KeyPath, int], shown: str, from_set: frozenset[str]) -> InputError | None:
    """The error for an output read longer after release than the runs last ('reoffended_156w' in runs of 60 weeks),
    naming what made them that short and how long the outputs need them; None for an output no run length keeps.
    "unknown output" at the file's line blamed the shipped file for a `--set weeks=60` the user gave."""
    horizon = _horizon(outputs[where])
    if horizon is None or horizon <= weeks:
        return None
    need = max(h for h in map(_horizon, outputs) if h is not None)
    within = ", ".join(m for m in metric_names(weeks)[0] if _horizon(m))
    line = _line(lines, ("outputs", where))
    at = f"{shown}:{line}" if line else shown
    if "weeks" in from_set and "weeks" not in factors:
        return InputError(
            f"weeks={weeks} makes the runs {weeks} weeks long, too short for outputs[{where}] '{outputs[where]}' of "
            f"{at} (the share {horizon} weeks after release): the experiment's outputs need runs of at least {need} weeks",
            file="--set", expected=f"--set weeks={need} or more, or an experiment whose outputs are within {weeks} "
                                   f"weeks ({within})")
    cause = ("design.factors.weeks (its longest runs)" if "weeks" in factors else
             "overrides.weeks" if "weeks" in spec.overrides else "the scenario's own weeks")
    return InputError(
        f"'{outputs[where]}' is the share {horizon} weeks after release, which runs of {weeks} weeks never reach "
        f"({cause}): the outputs need runs of at least {need} weeks", file=shown, line=line, key=f"outputs[{where}]",
        expected=f"weeks of at least {need}, or outputs within {weeks} weeks ({within})")


NETWORK_FILE = ("network", "file")


def _absolute_files(spec: ExperimentFile, base_dir: Path, from_set: frozenset[str]) -> None:
    """Make each relative ``network.file`` (an override, or a grid factor's values) absolute: relative to the
    experiment file, as its ``scenario``, or to the working directory for a --set value, as ``sim run`` reads one.
    A run reads the file by the path it is given, and a worker of a `dask worker` cluster does not start where
    `sim sweep` did: a relative path there names another file, or none."""

    def is_file(key: str) -> bool:
        try:
            return tuple(resolve_key(key)[0]) == NETWORK_FILE
        except InputError:
            return False  # reported with its line when the key is checked

    def absolute(value: Any, folder: Path) -> Any:
        return str((folder / value).resolve()) if isinstance(value, str) and value else value

    for key, value in spec.overrides.items():
        if is_file(key):
            spec.overrides[key] = absolute(value, Path.cwd() if key in from_set else base_dir)
    if spec.design.kind == "grid":
        for key, values in spec.design.factors.items():
            if is_file(key):
                spec.design.factors[key] = [absolute(value, base_dir) for value in values]


def _network_depends_on(path: KeyPath) -> bool:
    """Whether a factor changes what the loader's network check sees: the graph's kind, its file and the
    community it must match."""
    return path[0] == "network" or tuple(path[:2]) == ("population", "community")


def _check_points(base: Scenario, table: pd.DataFrame, spec: ExperimentFile, lines: dict[KeyPath, int],
                  shown: str, from_set: frozenset[str] = frozenset()) -> list[InputError]:
    """Run the checks ``load_scenario`` makes on the base scenario (with the overrides) and on every design
    point's scenario before any run, cheaply: the network is checked once per distinct combination of the
    factors it depends on; the events against the shortest horizon of the design; policy changes once, on the
    base scenario (their values are checked against their keys and each other, not against each point's factors)."""
    from sim.network_file import FILE_KINDS
    from sim.scenarios.loader import _check_network_file, _event_data, _event_week_errors, _policy_change_errors

    found = [e.replace(file=shown, line=_line(lines, ("overrides",)))
             for e in _policy_change_errors(base, _event_data(base), {}, shown)]
    factors = list(spec.design.factors)
    relevant = [k for k in factors if _network_depends_on(resolve_key(k)[0])]
    if not any(resolve_key(k)[0][0] == "network" for k in relevant) and base.network.kind not in FILE_KINDS \
            and base.network.file is None:
        relevant = []  # no point reads a graph file, whatever its community size
    combos = table[relevant].drop_duplicates() if relevant else table.iloc[:1][[]]
    given = sorted((k for k in spec.overrides if _network_depends_on(resolve_key(k)[0])),
                   key=lambda k: (k not in from_set, resolve_key(k)[0][0] != "network"))  # --set first, then network.*
    for point, row in combos.iterrows():
        changes = {k: _plain(row[k]) for k in relevant}
        scenario = apply_overrides(base, changes, origin=shown) if changes else base
        if changes:
            file = shown
            label = "design point {} ({})".format(point, ", ".join(f"{k}={fmt(v)}" for k, v in changes.items()))
            culprit = next((k for k in relevant if resolve_key(k)[0][0] == "network"), relevant[0])
            line, key = _line(lines, ("design", "factors", culprit)), f"design.factors.{culprit}"
        elif given and given[0] in from_set:  # the --set value changed the base scenario's network
            label, file, line, key = f"the base scenario of {shown}", "--set", None, given[0]
        else:
            label, file, line, key = None, shown, _line(lines, ("overrides",)), None
        # a relative network.file is already absolute here: resolved against the experiment file, or for --set the
        # working directory
        relative_to = "the working directory" if file == "--set" else "the experiment file"
        try:  # on a copy: the check makes a relative network.file absolute (the runs read it from the working directory)
            _check_network_file(scenario.model_copy(deep=True), {("network", "file"): ("--set", None)}, None,
                                relative_to)
        except InputError as e:
            message = f"at {label}: {e.message}" if label else e.message
            if file == "--set":
                message = f"{e.message} (in {label})"
                key = e.key if e.key in from_set else key  # the --set value the error is about, when given
            elif not changes and given:  # the override the error is about (network.file), else the first that matters
                culprit = e.key if e.key in given else given[0]
                line, key = _line(lines, ("overrides", culprit)), f"overrides.{culprit}"
            found.append(e.replace(message=message, file=file, line=line, key=key or e.key))
            break  # the graph of the other combinations is most likely wrong the same way
    if "weeks" in factors:
        shortest = _plain(table["weeks"].min())
        scenario = apply_overrides(base, {"weeks": shortest}, origin=shown)
        by = f"design.factors.weeks (its shortest runs, {shortest} weeks) in {shown}"
        weeks_line = _line(lines, ("design", "factors", "weeks"))
    else:
        scenario, by, weeks_line = base, f"overrides.weeks in {shown}", _line(lines, ("overrides", "weeks"))
        if "weeks" in from_set:
            by, weeks_line = "--set weeks=", None
    return found + _event_week_errors(scenario.weeks, _event_data(scenario), {}, None,
                                      shortened_by=by + (f":{weeks_line}" if weeks_line else ""))


def _check_key(key: str):
    path, info = resolve_key(key)
    if path[0] in NOT_FACTORS or is_model(info.annotation):
        raise InputError("is not a parameter that an experiment can set", key=key,
                         expected="a parameter such as supervision.strictness (the seed comes from the experiment)")
    return path, info


MORRIS_ROUNDING = 0.05
"""The largest share of a Morris step by which rounding a whole-number factor's grid values may move the step (and so
its mu*): assumed, well below the spread of mu* over a few trajectories; weeks 20-60 on 4 levels moves it 2.5%."""


def _check_morris_grid(design: Any, annotation: Any, span: Range) -> None:
    """Refuse a whole-number factor whose Morris grid (``levels`` values from low to high) rounding would move by more
    than ``MORRIS_ROUNDING`` of a step: supervision.warnings 0-1 on 4 levels had 2/3 rounded to 1, every step went
    the whole range while SALib divided by the 2/3 it planned, and mu* came out 1.5 times too large."""
    if not isinstance(design, MorrisDesign) or annotation is not int:
        return
    levels, width = design.levels, span.high - span.low
    grid = span.low + width * np.arange(levels) / (levels - 1)
    step = width * levels / (2 * (levels - 1))  # SALib's delta, in the factor's units
    moved = 2 * float(np.abs(np.round(grid) - grid).max()) / step
    if moved > MORRIS_ROUNDING:
        fits = [n + 1 for n in range(1, min(int(width), 99) + 1) if width == int(width) and int(width) % n == 0]
        raise InputError(f"is a whole number, and {levels} levels put its grid from {span.low:g} to {span.high:g} at "
                         f"fractions whose rounding moves a step by up to {moved:.0%}, so its elementary effects would "
                         "be wrong", expected="design.levels with levels - 1 dividing high - low"
                         + (f" (here {', '.join(map(str, fits))})" if fits else ", and whole-number ends")
                         + ", or a range wide enough for rounding not to matter")


def _annotation(key: str) -> Any:
    return resolve_key(key)[1].annotation


def _cast(annotation: Any, value: float) -> Any:
    return int(round(value)) if annotation is int else float(value)


def _scenario_source(ref: str, base_dir: Path, shown: str, line: int | None) -> Path | str:
    """A shipped scenario name wins; otherwise a path relative to the experiment file."""
    found = locate_scenario(ref, base_dir)
    if found is not None and found.is_file():
        return ref if found.parent == SCENARIO_DIR and found.stem == ref else found
    candidate = base_dir / ref
    names = ", ".join(shipped_names())
    raise InputError(
        f"no scenario '{ref}': expected a shipped name ({names}) or a path relative to the experiment file "
        f"(looked for {candidate})", file=shown, line=line, key="scenario", expected="a shipped scenario or an existing path",
    )


def _line(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


_SCALARS = ("bool", "int", "float", "str")  # the union a grid's value may be, as pydantic names its members


def _own_words(error: dict, path: KeyPath, kind_tag: str | None) -> Said | None:
    """The cases of an experiment file only: a grid's value of no scalar type, a range where a list was given, and
    too few factors, values or characters, in the words of what they are for."""
    kind = error["type"]
    if path[:2] == ("design", "factors") and len(path) > 3 and isinstance(path[-2], int) and path[-1] in _SCALARS:
        # one value of a grid's list failed every scalar type of the union: one error, not one per type
        expected = "a number, true or false, or text"
        return path[:-1], f"expected one value per item: {expected} (got {fmt(error.get('input'))})", expected
    if kind in ("model_type", "dict_type") and path[:2] == ("design", "factors"):
        return (path, "expected a range {low: .., high: ..} for this design kind (a grid takes a list)",
                "{low: .., high: ..}")
    if kind in ("too_short", "string_too_short"):
        return (path, *_too_few(path, kind_tag, error))
    return None


_DESIGN_NAMES = {"grid": "a grid", "lhs": "a Latin hypercube", "sobol": "a Sobol'", "morris": "a Morris"}
_FACTORS_WHY = {"sobol": ": its indices share out each output's variance between the factors",
                "morris": ": its elementary effects rank the factors against each other"}
_EMPTY_TEXT = {"name": "a name for the experiment's report and manifest",
               "scenario": "a shipped scenario's name or a path to a scenario file"}


def _too_few(path: KeyPath, kind_tag: str | None, error: dict) -> tuple[str, str]:
    """(message, expected) of a list, mapping or text shorter than the schema's least (pydantic's too_short and
    string_too_short), in the words of what it holds: pydantic's 'Dictionary should have at least 2 items after
    validation, not 1' named neither factors nor the design that needs them."""
    if error["type"] == "string_too_short":
        return f"must not be empty (got {fmt(error.get('input'))})", _EMPTY_TEXT.get(str(path[-1]), "non-empty text")
    need, got = error["ctx"]["min_length"], error["ctx"].get("actual_length") or 0
    counted = f"at least {need} %s{'s' if need > 1 else ''} (got {got or 'none'})"
    if path == ("outputs",):
        return "needs " + counted % "output", "summary metrics of the runs, or no outputs key for the defaults"
    if path == ("design", "factors"):
        message = f"{_DESIGN_NAMES.get(kind_tag, 'a')} design needs {counted % 'factor'}{_FACTORS_WHY.get(kind_tag, '')}"
        return message, (f"{need} or more factors, or a grid or lhs design to vary fewer" if need > 1 else
                         "a scenario parameter to vary, with its values")
    return f"a grid factor needs {counted % 'value'}", "the values to run, such as [0.2, 0.8]"


def _allowed(path: KeyPath, data: Any, kind: str | None) -> list[str]:
    """The keys allowed at `path`; a design's depend on its kind."""
    if path == ():
        return list(ExperimentFile.model_fields)
    if path == ("design",):
        return list(DESIGN_KINDS[kind].model_fields) if kind else ["kind", "factors", "samples", "levels"]
    if len(path) == 3 and path[:2] == ("design", "factors"):
        return ["low", "high"]
    return []


def _field(path: KeyPath, data: Any, kind: str | None) -> FieldInfo | None:
    """The field at `path`, whose bounds say its range: a top-level key's, or its design kind's."""
    if len(path) == 1:
        return ExperimentFile.model_fields.get(str(path[0]))
    if len(path) == 2 and path[0] == "design" and kind:
        return DESIGN_KINDS[kind].model_fields.get(str(path[1]))
    return None


WORDS = Words(union="design", union_at=("design",), kinds=tuple(DESIGN_KINDS), keys=_allowed, field=_field,
              own=_own_words, inserted=frozenset({"Range"}))
"""An experiment file's words for ``sim.scenarios.explain``: its design is the union, told apart by its kind."""
