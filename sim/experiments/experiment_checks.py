"""The checks of an experiment file's meaning, beyond its schema, each finding every error it can.

A factor is a scenario parameter an experiment may set, within its range, its grid's values distinct; the overrides
apply to the base scenario; the outputs are summary metrics every point's runs reach; each design point's scenario
passes the checks ``load_scenario`` makes. Each check skips what an earlier one refused, so that all the errors
of a file are said at once (``sim.experiments.experiment._build`` runs them in order).
"""


from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import TypeAdapter, ValidationError

from sim.errors import InputError, did_you_mean, together
from sim.experiments.experiment_file import DESIGN_KINDS, WORDS, ExperimentFile, MorrisDesign, Range
from sim.experiments.metrics import default_outputs, horizons_within, metric_names
from sim.job_size import check_design
from sim.scenarios import SCENARIO_DIR, apply_overrides, load_scenario, shipped_names
from sim.scenarios.explain import explained, located
from sim.scenarios.fields import fmt, is_model, resolve_key
from sim.scenarios.loader import locate_scenario
from sim.scenarios.safe_yaml import KeyPath, dotted
from sim.scenarios.schema import Scenario
from sim.units import percent

if TYPE_CHECKING:
    import pandas as pd



NOT_FACTORS = frozenset({"name", "description", "extends", "seed", "events"})


def plain_value(value: Any) -> Any:
    """A design table's value as plain Python (a numpy integer as an int), as a scenario key takes it."""
    return value.item() if hasattr(value, "item") else value


def _at(e: InputError, path: KeyPath, lines: dict[KeyPath, int], shown: str) -> InputError:
    """`e` placed at `path` in the file (its line and dotted key), alone: the checks' own errors name no file."""
    return e.replace(file=shown, line=_line(lines, path), key=dotted(path), others=[])


def schema_checked(data: dict, lines: dict[KeyPath, int], shown: str
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


def sized(spec: ExperimentFile, refused: set[KeyPath], lines: dict[KeyPath, int], shown: str,
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


def base_scenario(spec: ExperimentFile, refused: set[KeyPath], base_dir: Path, lines: dict[KeyPath, int],
                   shown: str) -> tuple[Scenario | None, list[InputError]]:
    """The scenario the experiment varies, and its errors: None when the schema refused it or it cannot be loaded."""
    if ("scenario",) in refused:
        return None, []
    try:
        return load_scenario(_scenario_source(spec.scenario, base_dir, shown, _line(lines, ("scenario",)))), []
    except InputError as e:
        return None, list(e.each())


def written_factors(data: dict) -> Any:
    """The design's factors as the file wrote them, before the schema read them (None without a design mapping)."""
    return data.get("design", {}).get("factors") if isinstance(data.get("design"), dict) else None


def with_overrides(base: Scenario | None, spec: ExperimentFile, factors: dict, lines: dict[KeyPath, int],
                    shown: str) -> tuple[Scenario | None, list[InputError]]:
    """The base scenario with each of the file's overrides applied, and the errors of those refused: a bad key or
    value, or a key the design also sets as a factor (the override would never be used)."""
    factor_paths = {}
    for key in factors:
        try:
            factor_paths[check_key(key)[0]] = key
        except InputError:
            pass  # reported by factor_errors, at the factor's own line
    errors = []
    for key, value in spec.overrides.items() if base is not None else ():
        try:
            path, _ = check_key(key)
            if path in factor_paths:  # the design sets it at every point: the override would never be used
                raise InputError(f"is also a factor of the design (design.factors.{factor_paths[path]}), which sets it "
                                 "at every point, so this value would never be used",
                                 expected="a key that is not a design factor (remove the override, or the factor)")
            base = apply_overrides(base, {key: value}, origin=shown)
        except InputError as e:
            errors.append(_at(e, ("overrides", key), lines, shown))
    return base, errors


def refused_factor_keys(written: Any, factors: dict, lines: dict[KeyPath, int], shown: str) -> list[InputError]:
    """The errors of the keys of factors whose values the schema refused: a key is checked even so."""
    errors = []
    for key in written if isinstance(written, dict) else ():
        if key not in factors:
            try:
                check_key(str(key))
            except InputError as e:
                errors.append(_at(e, ("design", "factors", key), lines, shown))
    return errors


def factor_errors(base: Scenario | None, factors: dict, spec: ExperimentFile, lines: dict[KeyPath, int],
                   shown: str) -> list[InputError]:
    """Each factor's errors: its key, then, given a base scenario to set them in, its range or its grid's values."""
    errors = []
    for key, values in factors.items():
        where = ("design", "factors", key)
        try:
            _, info = check_key(key)
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


def design_points(spec: ExperimentFile, base: Scenario, seed: int, factors: dict, lines: dict[KeyPath, int],
                   shown: str, from_set: frozenset[str]) -> tuple[pd.DataFrame, list[InputError]]:
    """The design table (one row per point) and the errors of its points' scenarios (``_check_points``)."""
    from sim.experiments.design import design_table

    table = design_table(spec.design, seed, {k: _annotation(k) for k in factors})
    return table, _check_points(base, table, spec, lines, shown, from_set)


def outputs_checkable(base: Scenario | None, written: Any, refused: set[KeyPath], found: list[InputError]) -> bool:
    """Whether the outputs can be checked without a design table: the runs last the base scenario's weeks, as
    written (no weeks factor, and the overrides, weeks among them, not refused)."""
    return (base is not None and isinstance(written, dict) and "weeks" not in written
            and ("overrides",) not in refused and not any(e.key == "overrides.weeks" for e in found))


def checked_outputs(spec: ExperimentFile, base: Scenario, table: pd.DataFrame | None, factors: dict, lines: dict[KeyPath, int],
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
            errors.append(_too_short(outputs, i, weeks, shortest, factors, spec, lines, shown, from_set) or InputError(
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


def factor_values(data: dict, refused: set[KeyPath]) -> dict[str, Any]:
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


def _too_short(outputs: list[str], where: int, weeks: int, shortest: int, factors: dict, spec: ExperimentFile,
               lines: dict[KeyPath, int], shown: str, from_set: frozenset[str]) -> InputError | None:
    """The error for an output read longer after release than the runs last ('reoffended_156w' in runs of 60 weeks),
    naming what made them that short and how long the outputs need them; None for an output no run length keeps.
    "unknown output" at the file's line blamed the shipped file for a `--set weeks=60` the user gave. The outputs it
    offers are those every point's runs reach (`shortest` weeks, where weeks is a factor): offered those of the longest
    runs, a user who took one was then refused it as not reached by every design point."""
    horizon = _horizon(outputs[where])
    if horizon is None or horizon <= weeks:
        return None
    need = max(h for h in map(_horizon, outputs) if h is not None)
    reached = metric_names(shortest)[0]
    within = (f"outputs within {shortest} weeks ({', '.join(m for m in reached if _horizon(m))})"
              if any(map(_horizon, reached)) else
              f"outputs of the runs' end, which every run reaches (e.g. {', '.join(reached[:3])})")
    line = _line(lines, ("outputs", where))
    at = f"{shown}:{line}" if line else shown
    if "weeks" in from_set and "weeks" not in factors:
        return InputError(
            f"weeks={weeks} makes the runs {weeks} weeks long, too short for outputs[{where}] '{outputs[where]}' of "
            f"{at} (the share {horizon} weeks after release): the experiment's outputs need runs of at least {need} weeks",
            file="--set", expected=f"--set weeks={need} or more, or an experiment with {within}")
    cause = ("design.factors.weeks (its longest runs)" if "weeks" in factors else
             "overrides.weeks" if "weeks" in spec.overrides else "the scenario's own weeks")
    return InputError(
        f"'{outputs[where]}' is the share {horizon} weeks after release, which runs of {weeks} weeks never reach "
        f"({cause}): the outputs need runs of at least {need} weeks", file=shown, line=line, key=f"outputs[{where}]",
        expected=(f"design weeks all of at least {need}" if "weeks" in factors else f"weeks of at least {need}")
        + f", or {within}")


NETWORK_FILE = ("network", "file")


def absolute_files(spec: ExperimentFile, base_dir: Path, from_set: frozenset[str]) -> None:
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
        changes = {k: plain_value(row[k]) for k in relevant}
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
        shortest = plain_value(table["weeks"].min())
        scenario = apply_overrides(base, {"weeks": shortest}, origin=shown)
        by = f"design.factors.weeks (its shortest runs, {shortest} weeks) in {shown}"
        weeks_line = _line(lines, ("design", "factors", "weeks"))
    else:
        scenario, by, weeks_line = base, f"overrides.weeks in {shown}", _line(lines, ("overrides", "weeks"))
        if "weeks" in from_set:
            by, weeks_line = "--set weeks=", None
    return found + _event_week_errors(scenario.weeks, _event_data(scenario), {}, None,
                                      shortened_by=by + (f":{weeks_line}" if weeks_line else ""))


def check_key(key: str):
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
                         f"fractions whose rounding moves a step by up to {percent(moved, 0)}, so its elementary effects would "
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
