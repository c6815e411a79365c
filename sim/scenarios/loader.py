"""Load a scenario (shipped name, YAML path, dict or Scenario), resolve ``extends``, apply overrides.

Every problem becomes an :class:`~sim.errors.InputError` that names the file, the line, the dotted
key and what was expected, because the people writing scenarios are trainers and analysts, not
programmers reading tracebacks.
"""

from __future__ import annotations

import copy
import functools
import warnings
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any, get_origin

from pydantic import ValidationError

from sim.errors import InputError, did_you_mean, together
from sim.scenarios.explain import Origin, error_paths, explained
from sim.scenarios.fields import (
    EVENT_MODELS,
    FITTED,
    IDENTITY_KEYS,
    MISSING,
    dotted_keys,
    is_model,
    key_path,
    parameters,
    resolve_key,
    value_at,
    wants_text,
)
from sim.scenarios.safe_yaml import KeyPath, dotted, parse_yaml, read_yaml_file, refused_number
from sim.scenarios.schema import Scenario

SOURCES = "a shipped scenario name, a path to a YAML file, a mapping or a Scenario"
"""What a scenario may be given as, wherever one is read."""

SCENARIO_DIR = Path(__file__).parent
# Keys read only when the model is built (the structure, and each person's, household's, member's, NGO's and officer's
# fixed traits, sim.world): a policy change may not touch them, since it would change nothing.
FIXED_DURING_RUN = frozenset({
    *IDENTITY_KEYS, FITTED, "seed", "weeks", "events", "population", "network",
    "release.window_weeks", "release.licence_weeks", "release.licence_spread", "release_state.desisted_risk",
    "movement.active_share", "movement.imprisoned_share",
    "stigma.baseline", "stigma.concentration", "stigma.media_susceptibility",
    "attitudes.affinity_prior", "attitudes.susceptibility_concentration",
    "supervision.caseload", "ngo.service_breadth",
    *(f"offending.{profile}.{key}" for profile in ("general", "violent_extremist")
      for key in ("base_hazard", "risk_dispersion", "desisted_share")),
    "families.support_capacity", "families.concentration", "families.resources_lost", "families.reinforcing_general",
    "families.reinforcing_extremist",
})


def fixed_during_run(path: tuple) -> bool:
    """True for a key (as a path of names) that cannot change once the model is built: it or a section holding it
    is in ``FIXED_DURING_RUN``."""
    names = [str(name) for name in path]
    return any(".".join(names[:depth]) in FIXED_DURING_RUN for depth in range(1, len(names) + 1))

Origins = dict[KeyPath, Origin]


def shipped_names() -> list[str]:
    """Names of the shipped scenarios, ``baseline`` first."""
    return sorted((p.stem for p in SCENARIO_DIR.glob("*.yaml")), key=lambda n: (n != "baseline", n))


def list_scenarios() -> list[tuple[str, str]]:
    """(name, description) of every shipped scenario, ``baseline`` first, for ``sim list`` and the dashboard."""
    return [(name, " ".join(load_scenario(name).description.split())) for name in shipped_names()]


def load_scenario(
    source: str | PathLike[str] | Mapping[str, Any] | Scenario, overrides: Mapping[str, Any] | None = None,
    *, weeks: int | None = None,
) -> Scenario:
    """Resolve ``source`` into a validated Scenario, then apply dotted-key ``overrides`` (``--set``) and the
    horizon ``weeks`` (``--weeks``); a message about either names the option the user typed."""
    if not isinstance(source, str | PathLike | Mapping | Scenario):
        raise InputError(f"must be {SOURCES} (got {type(source).__name__})", key="scenario", expected=SOURCES)
    if not isinstance(overrides, Mapping | None):
        raise InputError(f"must map dotted keys to values (got {type(overrides).__name__})", key="--set",
                         expected="a mapping such as {'stigma.baseline': 0.8}")
    if weeks is not None and "weeks" in (overrides or {}):  # the later won unread: --set weeks=abc --weeks 3 ran
        raise InputError(f"--weeks {weeks} and --set weeks={overrides['weeks']} both set the horizon",
                         expected="the horizon given once, as --weeks W or as --set weeks=W")
    given = [(key, value, "--set") for key, value in (overrides or {}).items()]
    if weeks is not None:
        given.append(("weeks", weeks, "--weeks"))
    if isinstance(source, Scenario):
        if not given:
            return source.model_copy(deep=True)
        scenario = source
        for origin in ("--set", "--weeks"):
            part = {key: value for key, value, given_as in given if given_as == origin}
            scenario = apply_overrides(scenario, part, origin=origin) if part else scenario
        found = _policy_change_errors(scenario, _event_data(scenario), {}, "--set")
        from_file = {("network", "file"): ("--set", None)} if "network.file" in (overrides or {}) else {}
        found += _errors_of(_check_network_file, scenario, from_file, None)
        if found:
            raise together(found, "--set")
        return scenario
    if isinstance(source, Mapping):
        data, origins = resolve_dict(copy.deepcopy(dict(source)))
        shown = None
    else:
        path = _locate(source)
        shown = _show(path)
        data, origins = resolve_file(path)
    # every error of the file and the options, so that all can be fixed in one go; the marks of fitted values are
    # checked against what the files set, before the defaults fill in the rest and a --set value replaces one
    found: list[InputError] = _fitted_errors(data, origins, shown)
    # The schema defaults are the root of every chain: a partial section (e.g. one key of
    # offending.general) keeps the scenario's defaults for the rest, not the section class's.
    data, origins = _merge(Scenario().model_dump(), {}, data, origins)
    own_weeks = data.get("weeks")  # the file's own horizon, before --weeks or --set weeks= shorten it
    for key, value, origin in given:
        found += _errors_of(_assign, data, origins, key, value, origin=origin)  # a key refused is left out
    scenario, errors, refused = _checked(data, origins, shown)
    found += errors
    if scenario is not None:  # the checks across keys, each skipped where a key it reads was refused
        scenario._fitted_in = {key: _file_name(origins.get((FITTED, key), (shown, None))[0]) for key in scenario.fitted}
        events = [] if ("events",) in refused else data.get("events") or []
        found += _policy_change_errors(scenario, events, origins, shown, refused)
        if not _refused(("weeks",), refused):
            found += _event_week_errors(scenario.weeks, events, origins, shown, refused,
                                        own_weeks=own_weeks if type(own_weeks) is int else None)
        if not any(_refused(path, refused) for path in NETWORK_KEYS):
            found += _errors_of(_check_network_file, scenario, origins, shown)
    if found:
        raise together(found, shown)
    return scenario


def apply_overrides(scenario: Scenario, changes: Mapping[str, Any], *, origin: str = "--set") -> Scenario:
    """A new validated Scenario with dotted keys changed; errors name ``origin`` as the file.

    The model calls this for ``policy_change`` events at run time; the CLI for ``--set``.
    """
    data = scenario.model_dump()  # without the marks of fitted values (``Scenario.fitted``): kept below
    origins: Origins = {}
    for key, value in changes.items():
        _assign(data, origins, key, value, origin=origin)
    changed = _validate(data, origins, origin)
    given = [at for key, value in changes.items() for at in _given(key_path(key), value)]
    changed.fitted = {key: to for key, to in scenario.fitted.items() if not any(_covers(at, key) for at in given)}
    changed._fitted_in = {key: scenario._fitted_in.get(key) for key in changed.fitted}
    return changed


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``["a.b=0.9", ...]`` -> ``{"a.b": "0.9"}``; a key given twice is refused. Values stay text: the loader reads them as YAML scalars
    where the schema expects a number or a flag, so ``--set name=123`` still gives the text '123'."""
    result: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(
                f"expected KEY=VALUE, e.g. supervision.strictness=0.9 (got {item!r})", file="--set", expected="KEY=VALUE"
            )
        if key.strip() in result:  # the last would silently win, as a duplicate key in a file would
            raise InputError(f"given twice ({key.strip()}={result[key.strip()]}, then {key.strip()}={value}): "
                             "the last would silently replace the first",
                             file="--set", key=key.strip(), expected="each key once")
        result[key.strip()] = value
    return result


def parse_scalar(text: str) -> Any:
    """Read a command-line value as YAML: '0.9' -> 0.9, 'true' -> True, 'null' -> None; other text stays text. A
    number not written in plain decimal ('0500', which YAML 1.1 reads as 320) is refused, as in a file."""
    if not text.strip():
        return text
    if (refusal := refused_number(text.strip())) is not None:
        raise refusal
    try:
        value, _ = parse_yaml(text)
    except InputError:
        return text
    return value if value is None or isinstance(value, bool | int | float) else text


def resolve_file(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict[str, Any], Origins]:
    """A scenario file merged over its ``extends`` parents (unvalidated), with where each key was written."""
    shown = _show(path)
    data, lines = read_yaml_file(path, shown)
    origins = {key: (shown, line) for key, line in lines.items()}
    return resolve_dict(data, origins, base=path.parent, shown=shown, stem=path.stem, chain=(*chain, path.resolve()))


def resolve_dict(
    data: dict[str, Any],
    origins: Origins | None = None,
    *,
    base: Path | None = None,
    shown: str | None = None,
    stem: str | None = None,
    chain: tuple[Path, ...] = (),
) -> tuple[dict[str, Any], Origins]:
    """Merge ``data`` over its parent. Child mappings win key by key; lists (``events``) are replaced whole.

    The keys of ``IDENTITY_KEYS`` (the file's name, title, description and parent) belong to the file itself:
    they are not inherited, and ``name`` defaults to the file stem.
    """
    origins = dict(origins or {})
    merged, merged_origins = data, origins
    if "extends" in data and data["extends"] is not None:
        ref = data["extends"]
        line = origins.get(("extends",), (shown, None))[1]
        if not isinstance(ref, str) or not ref.strip():
            raise InputError(
                f"expected a scenario name or path (got {ref!r})", file=shown, line=line, key="extends",
                expected="a shipped scenario name or a path",
            )
        parent = _find_parent(ref, base or Path.cwd(), shown, line)
        if parent.resolve() in chain:
            names = [p.name for p in chain[chain.index(parent.resolve()):]] + [parent.name]
            raise InputError(
                f"scenarios extend each other in a cycle: {' -> '.join(names)}", file=shown, line=line, key="extends",
                expected="a chain of parents that ends",
            )
        parent_data, parent_origins = resolve_file(parent, chain)
        merged, merged_origins = _merge(parent_data, parent_origins, data, origins)
        marks, own = merged.get(FITTED), data.get(FITTED) if isinstance(data.get(FITTED), dict) else {}
        if isinstance(marks, dict):  # a value set again here is no longer the parent's fit, unless marked here too
            merged[FITTED] = {key: to for key, to in marks.items()
                              if key in own or not _sets(data, key_path(key))}
            merged_origins = {p: o for p, o in merged_origins.items()
                              if p[0] != FITTED or len(p) == 1 or p[1] in merged[FITTED]}
    for key in IDENTITY_KEYS:
        if key not in data:
            merged.pop(key, None)
            merged_origins = {p: o for p, o in merged_origins.items() if p[0] != key}
    if "name" not in data and stem:
        merged["name"] = stem
    return merged, merged_origins


def _merge(base: dict, base_origins: Origins, over: dict, over_origins: Origins) -> tuple[dict, Origins]:
    replaced: list[KeyPath] = []

    def merge(a: dict, b: dict, prefix: KeyPath) -> dict:
        result = dict(a)
        for key, value in b.items():
            if isinstance(value, dict) and isinstance(a.get(key), dict):
                result[key] = merge(a[key], value, (*prefix, key))
            else:
                result[key] = copy.deepcopy(value)
                replaced.append((*prefix, key))
        return result

    merged = merge(base, over, ())
    kept = {p: o for p, o in base_origins.items() if not any(p[: len(r)] == r for r in replaced)}
    return merged, {**kept, **over_origins}


def _is_name(text: str) -> bool:
    return bool(text) and not any(c in text for c in "/\\") and not text.startswith(".") and Path(text).suffix == ""


def _locate(source: str | PathLike[str]) -> Path:
    if isinstance(source, str) and _is_name(source):
        shipped = SCENARIO_DIR / f"{source}.yaml"
        if shipped.is_file():
            return shipped
        if not Path(source).exists():
            names = ", ".join(shipped_names())
            raise InputError(
                f"unknown scenario '{source}'{did_you_mean(source, shipped_names())}: expected one of {names}, or a path to a YAML file",
                expected=f"one of {names}, or a path to a YAML file",
            )
    return Path(source).expanduser()


def locate_scenario(ref: str, base: Path) -> Path | None:
    """The file a scenario reference names: a shipped name wins, else a path relative to `base`
    (``.yaml`` may be left off). None when there is no such file or folder."""
    if _is_name(ref) and (SCENARIO_DIR / f"{ref}.yaml").is_file():
        return SCENARIO_DIR / f"{ref}.yaml"
    candidate = base / ref
    for path in (candidate, candidate.with_name(candidate.name + ".yaml")):
        if path.exists():
            return path
    return None


def _find_parent(ref: str, base: Path, shown: str | None, line: int | None) -> Path:
    """The parent an ``extends:`` names (a folder is returned too, so that reading it says what is wrong)."""
    found = locate_scenario(ref, base)
    if found is not None:
        return found
    candidate = base / ref
    names = ", ".join(shipped_names())
    raise InputError(
        f"no parent scenario '{ref}': expected a shipped name ({names}) or an existing path (looked for {candidate})",
        file=shown, line=line, key="extends", expected=f"a shipped name ({names}) or an existing path",
    )


def _show(path: Path) -> str:
    """A path as the user will recognise it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _assign(data: dict, origins: Origins, key: str, value: Any, *, origin: str) -> None:
    """Set a dotted key in raw scenario data, checking the key against the schema first."""
    try:
        path, info = resolve_key(str(key))
    except InputError as e:
        raise e.replace(file=origin) from None
    if path == ("extends",):  # the parent is merged when the file is read: setting it afterwards would change nothing
        raise InputError("cannot be changed here: a scenario's parent is merged in when its file is read",
                         file=origin, key="extends", expected="a scenario file with `extends:` naming the parent")
    if isinstance(value, str) and origin == "--set" and (is_model(info.annotation) or get_origin(info.annotation) is list):
        # --set reads one plain value: a section or a list written here would be refused as 'expected a list (got '[]')'
        if is_model(info.annotation):
            first = next(iter(info.annotation.model_fields))
            raise InputError("is a section of keys: --set gives one key one value", file=origin, key=str(key),
                             expected=f"one key of the section at a time, e.g. --set {key}.{first}=...")
        raise InputError("is a list: --set gives one key one plain value", file=origin, key=str(key),
                         expected=f"{key} written in a scenario file")
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()  # numpy scalars from batch_run parameter grids
    marks = data.get(FITTED)
    if isinstance(marks, dict) and path[0] != FITTED:  # a value given here is not the one the file fitted
        given = _given(path, value)
        for stale in [key for key in marks if any(_covers(at, key) for at in given)]:
            del marks[stale]
            origins.pop((FITTED, stale), None)
    if isinstance(value, str) and not wants_text(info.annotation) and not is_model(info.annotation):
        try:
            value = parse_scalar(value)
        except InputError as e:
            raise e.replace(file=origin, key=str(key)) from None
        # 1e3 or 1000.0 for an integer key is refused as in a file (``sim.scenarios.explain.type_error``): it was
        # taken here and refused there, and one rule decides for both
    node = data
    for part in path[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    if isinstance(value, Mapping) and isinstance(node.get(path[-1]), dict):
        node[path[-1]], _ = _merge(node[path[-1]], {}, dict(value), {})
    else:
        node[path[-1]] = copy.deepcopy(value)
    for stale in [p for p in origins if p[: len(path)] == path]:
        del origins[stale]
    origins[path] = (origin, None)


FITTED_EXPECTED = ("a parameter this file sets, with the data or calibration it was fitted to, e.g. "
                   "release.imprisonment_share: BJS 2005 curves")


def _fitted_errors(data: dict, origins: Origins, shown: str | None) -> list[InputError]:
    """Each key a file marks fitted (``Scenario.fitted``) must be a parameter that the same file sets: a value is
    fitted where it is written, and a mark on a value the file takes from its parent or the defaults would hold (in
    ``sim robustness``) an assumption nobody fitted. `data` are as resolved, before the defaults; every key refused is
    named."""
    marks = data.get(FITTED)
    if not isinstance(marks, dict):
        return []  # the schema says what is wrong with it
    errors = []
    for key in marks:
        file, line = origins.get((FITTED, key), (shown, None))
        try:
            path, info = resolve_key(str(key))
        except InputError as e:
            path, why = None, f"is not a parameter: {e.message}"
        if path is not None and dotted(path) not in _parameter_keys():
            why = f"is not a parameter ({'a section of them' if is_model(info.annotation) else 'it belongs to the file'})"
        elif path is not None:
            set_by = origins.get(path) or ((shown, None) if _sets(data, path) else None)
            if set_by is not None and set_by[0] == file:
                continue
            came = "it has its default" if set_by is None else f"its value comes from {set_by[0]}"
            why = f"is marked fitted, but {file or 'the scenario'} does not set {dotted(path)} ({came})"
        errors.append(InputError(why, file=file, line=line, key=f"{FITTED}.{key}", expected=FITTED_EXPECTED))
    return errors


@functools.cache
def _parameter_keys() -> frozenset[str]:
    return frozenset(dotted(path) for path, _, _ in parameters())


def _sets(data: dict, path: KeyPath) -> bool:
    """Whether raw scenario data hold a value at `path` (``value_at``'s walk, which says ``MISSING`` where they stop)."""
    return value_at(data, path, MISSING) is not MISSING


def _given(path: KeyPath, value: Any) -> list[KeyPath]:
    """The keys a value given at `path` sets: `path` itself, or each key of a mapping given for a section."""
    if not isinstance(value, Mapping):
        return [path]
    return [(*path, *key.split(".")) for key in dotted_keys(value)] or [path]


def _covers(path: KeyPath, key: str) -> bool:
    """Whether setting the key at `path` (a parameter, or a section holding it) sets the fitted `key`."""
    return key_path(key)[: len(path)] == tuple(path)


def _file_name(shown: str | None) -> str | None:
    """A file as a fitted value's provenance names it: its name, without the folders of this machine."""
    return Path(shown).name if shown and not shown.startswith("--") else None


def _validate(data: dict, origins: Origins, shown: str | None) -> Scenario:
    scenario, errors, _ = _checked(data, origins, shown)
    if errors:
        raise together(errors, shown)
    return scenario


FAMILY_ENGAGEMENT: frozenset[KeyPath] = frozenset({("families", "engagement_floor"), ("families", "reference_visits")})
NETWORK_KEYS: tuple[KeyPath, ...] = (("network", "kind"), ("network", "file"), ("population", "community"))
"""The keys the checks across keys read (``_check_family_engagement``, ``_check_network_file``): a check is skipped
when one of them was refused, as its verdict would rest on a value the file does not hold."""


def _checked(data: dict, origins: Origins, shown: str | None) -> tuple[Scenario | None, list[InputError], set[KeyPath]]:
    """Validate scenario data, finding every error the schema and the checks across its keys can: (the Scenario,
    the errors, the keys refused). With errors, the Scenario is the data with each refused key put back to its
    default, for the checks that do not read those keys (None in the rare case that cannot be done)."""
    try:
        return _check_family_engagement(Scenario.model_validate(data, strict=True), origins, shown), [], set()
    except ValidationError as exc:
        errors, refused = explained(exc, data, origins, (shown, None)), error_paths(exc)
    except InputError as e:  # valid key by key, not together
        errors, refused = [e], set(FAMILY_ENGAGEMENT)
    scenario = _put_aside(data, refused)
    if scenario is not None and not any(_refused(path, refused) for path in FAMILY_ENGAGEMENT):
        try:
            _check_family_engagement(scenario, origins, shown)
        except InputError as e:
            errors.append(e)
            refused |= FAMILY_ENGAGEMENT
            scenario = _put_aside(data, refused)
    return scenario, errors, refused


def _refused(path: KeyPath, refused: set[KeyPath]) -> bool:
    """Whether the key at `path`, or a section or list entry holding it, was refused."""
    return any(path[:depth] in refused for depth in range(1, len(path) + 1))


def _put_aside(data: dict, refused: set[KeyPath]) -> Scenario | None:
    """The scenario with each refused key (a whole list, an entry of it refused) back at its default, and no events
    if one of them was refused; None if that still does not validate."""
    fixed, defaults = copy.deepcopy(data), Scenario().model_dump()
    for path in sorted(refused, key=len):
        path = next((path[:i] for i, part in enumerate(path) if isinstance(part, int)), path)  # a list as a whole
        if not path or path[0] == "events":
            fixed["events"] = []
            continue
        node, default = fixed, defaults
        for name in path[:-1]:
            node = node.get(name) if isinstance(node, dict) else None
            default = default.get(name) if isinstance(default, dict) else None
        if not isinstance(node, dict):
            continue
        if isinstance(default, dict) and path[-1] in default:
            node[path[-1]] = copy.deepcopy(default[path[-1]])
        else:
            node.pop(path[-1], None)
    try:
        return Scenario.model_validate(fixed, strict=True)
    except ValidationError:
        return None


def _errors_of(check: Any, *args: Any, **kwargs: Any) -> list[InputError]:
    """The errors a check that raises finds ([] when it passes)."""
    try:
        check(*args, **kwargs)
    except InputError as e:
        return e.each()
    return []


def _event_data(scenario: Scenario) -> list[dict[str, Any]]:
    return [event.model_dump() for event in scenario.events]


def _known_events(events: Any, refused: set[KeyPath] = frozenset()) -> list[tuple[int, dict[str, Any]]]:
    """(index, mapping) of each event in the raw data whose entry the schema did not refuse as a whole (it is a
    mapping of a known kind)."""
    if not isinstance(events, list):
        return []
    return [(i, event) for i, event in enumerate(events) if isinstance(event, dict)
            and event.get("kind") in EVENT_MODELS and ("events", i) not in refused]


def _check_family_engagement(scenario: Scenario, origins: Origins, shown: str | None) -> Scenario:
    """A family's engagement after release is divided by its value at ``families.reference_visits``
    (``sim.rules.reintegration.family.household_support``): with that and ``families.engagement_floor`` both 0 it
    is 0/0, and every family bond would be NaN for the whole run."""
    families = scenario.families
    if families.engagement_floor > 0 or families.reference_visits > 0:
        return scenario
    file, line = origins.get(("families", "reference_visits")) or origins.get(("families", "engagement_floor")) or (shown, None)
    raise InputError(
        "is 0 with families.engagement_floor 0: engagement after release is divided by its value at these visits, "
        "which would be 0", file=file, line=line, key="families.reference_visits",
        expected="above 0, or families.engagement_floor above 0",
    )


class EventAfterHorizonWarning(UserWarning):
    """A scheduled event falls after a horizon that ``--set weeks=`` shortened: it will not fire."""


def _event_week_errors(weeks: int, events: Any, origins: Origins, shown: str | None, refused: set[KeyPath] = frozenset(),
                       *, shortened_by: str | None = None, own_weeks: int | None = None) -> list[InputError]:
    """An event after the last week would never fire: an error naming its line, or a warning when the
    horizon was shortened on the command line, or by ``shortened_by`` (e.g. an experiment's override or
    design factor; the scenario file itself is then fine for its own horizon, ``own_weeks`` where known: an event
    after that is the file's own error however short the run). `events` are as written (raw scenario data, or
    ``_event_data``); an event whose week the schema `refused` is skipped. Every such event is named."""
    option = shortened_by
    if option is None:
        given = origins.get(("weeks",), (None, None))[0]
        option = {"--weeks": "--weeks", "--set": "--set weeks="}.get(given)
    errors = []
    for i, event in _known_events(events, refused):
        week = event.get("week")
        if _refused(("events", i, "week"), refused) or type(week) is not int or week <= weeks:
            continue
        label = event.get("label")
        if not isinstance(label, str) or _refused(("events", i, "label"), refused):
            label = EVENT_MODELS[event["kind"]].model_fields["label"].default
        file, line = origins.get(("events", i, "week")) or origins.get(("events", i), (shown, None))
        shortened = option is not None and (own_weeks is None or week <= own_weeks)
        if option is not None and not shortened:
            errors.append(InputError(f"week {week} is after the scenario's own last week ({own_weeks}), so "
                                     f"'{label}' would never fire", file=file, line=line, key=f"events[{i}].week",
                                     expected=f"a week from 1 to {own_weeks} (the scenario's weeks)"))
            continue
        message = f"week {week} is after the last week of the run ({weeks}), so '{label}' never fires"
        if shortened:
            where = f"{file}:{line}: " if file and line else ""
            warnings.warn(f"{where}events[{i}].week: {message} (the horizon was shortened by {option})",
                          EventAfterHorizonWarning, stacklevel=3)
            continue
        errors.append(InputError(message, file=file, line=line, key=f"events[{i}].week",
                                 expected=f"a week from 1 to {weeks} (the scenario's weeks)"))
    return errors


def _check_network_file(scenario: Scenario, origins: Origins, shown: str | None, relative_to: str | None = None) -> None:
    """Resolve ``network.file`` against the scenario file that names it (``--set``: the working directory),
    then read and check the graph now, so that a bad file stops the command before anything is written.
    `relative_to` names what a relative path was read against where the caller resolved it (an experiment file)."""
    from sim.network_file import FILE_KINDS, community_graph_edges

    network = scenario.network
    file, line = origins.get(("network", "file")) or origins.get(("network", "kind")) or (shown, None)
    if network.kind not in FILE_KINDS:
        if network.file is not None:
            raise InputError(f"is read only when network.kind is edgelist or graphml (network.kind is {network.kind})",
                             file=file, line=line, key="network.file",
                             expected="no network.file, or network.kind: edgelist or graphml")
        return
    from_file = bool(file and file != "--set")
    if network.file is not None:
        base = Path(file).parent if from_file else Path.cwd()
        network.file = str((base / network.file).resolve())
    relative_to = relative_to or ("the scenario file" if from_file else "the working directory")
    try:
        community_graph_edges(network.file, network.kind, scenario.population.community, relative_to)
    except InputError as e:
        raise e.replace(file=file, line=line) from None


def _policy_change_errors(scenario: Scenario, events: Any, origins: Origins, shown: str | None,
                          refused: set[KeyPath] = frozenset()) -> list[InputError]:
    """Each key of a policy change must name a parameter, and its value must validate there (in `scenario`), alone
    and with the event's other values. `events` are as written (raw scenario data, or ``_event_data``); an event
    whose ``set`` the schema `refused` is skipped. Every key refused is named."""
    errors = []
    for i, event in _known_events(events, refused):
        changes = event.get("set")
        if event["kind"] != "policy_change" or _refused(("events", i, "set"), refused) or not isinstance(changes, dict):
            continue
        prefix = dotted(("events", i, "set"))
        found = []
        for key, value in changes.items():
            file, line = origins.get(("events", i, "set", key)) or origins.get(("events", i, "set"), (shown, None))
            try:
                path, info = resolve_key(key)
                if fixed_during_run(path) or is_model(info.annotation):
                    why = " (it shapes the world when the model is built)" if fixed_during_run(path) else ""
                    raise InputError(
                        f"is not a parameter that can change during a run{why}", key=dotted(path),
                        expected="a parameter such as supervision.strictness",
                    )
                apply_overrides(scenario, {key: value})
            except InputError as e:
                found.append(e.replace(file=file, line=line, key=f"{prefix}.{e.key or key}", others=[]))
        if found:
            errors += found
            continue
        try:  # values valid one by one may not be together (families.engagement_floor and reference_visits)
            apply_overrides(scenario, changes)
        except InputError as e:
            file, line = origins.get(("events", i, "set", e.key)) or origins.get(("events", i, "set"), (shown, None))
            errors.append(e.replace(file=file, line=line, key=f"{prefix}.{e.key}", others=[]))
    return errors
