"""Walk the scenario schema by dotted key: which model holds a key, a field's range, every parameter.

The loader uses this to explain errors in words taken from the schema itself, the docs generator
to build the parameter tables, and the property tests to draw valid and invalid values.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.errors import InputError, did_you_mean
from sim.scenarios.parameter_fields import ASSUMED
from sim.scenarios.safe_yaml import KeyPath, dotted
from sim.scenarios.schema import Scenario
from sim.scenarios.timed_events import MediaShock, PolicyChange

EVENT_MODELS: dict[str, type[BaseModel]] = {"media_shock": MediaShock, "policy_change": PolicyChange}
IDENTITY_KEYS = ("name", "title", "description", "extends")  # belong to one file; not inherited, not parameters
FITTED = "fitted"  # the values a file marks fitted to data (``Scenario.fitted``): inherited, but not a parameter


def differing_keys(reference: Mapping[str, Any], other: Mapping[str, Any], ignore: Iterable[str] = ()) -> list[str]:
    """The settings on which a scenario differs from a reference, both as ``sim.folder_lock.settings_record`` gives
    them (dotted keys): those `other` holds otherwise than `reference`, in its order, then those only `reference` holds
    (a key one lacks reads as None); a scenario's identity (IDENTITY_KEYS) and `ignore` are no setting. The one rule
    comparison.md's 'What differs', ``sim.analysis.scenario_differences`` and a resumed sweep's refusal read."""
    skip = {*IDENTITY_KEYS, *ignore}
    return [key for key in dict.fromkeys([*other, *reference])
            if key not in skip and other.get(key) != reference.get(key)]


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def model_at(path: KeyPath, data: Any = None) -> type[BaseModel] | None:
    """The model whose fields are the keys of the mapping at ``path``; events are told apart by ``kind``."""
    model: type[BaseModel] | None = Scenario
    node = data
    i = 0
    while i < len(path):
        part = path[i]
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return None
        node = node.get(part) if isinstance(node, dict) else None
        if model is Scenario and part == "events":
            if i + 1 >= len(path) or not isinstance(path[i + 1], int):
                return None
            index = path[i + 1]
            item = node[index] if isinstance(node, list) and index < len(node) else None
            model = EVENT_MODELS.get(item.get("kind")) if isinstance(item, dict) else None
            node, i = item, i + 2
            continue
        annotation = model.model_fields[part].annotation
        model = annotation if is_model(annotation) else None
        i += 1
    return model


def field_at(path: KeyPath, data: Any = None) -> FieldInfo | None:
    model = model_at(path[:-1], data) if path else None
    return model.model_fields.get(path[-1]) if model and isinstance(path[-1], str) else None


def bounds(info: FieldInfo) -> dict[str, Any]:
    """The ge/gt/le/lt constraints of a field, e.g. ``{"ge": 0.0, "le": 1.0}``."""
    found = {}
    for item in info.metadata:
        for name in ("ge", "gt", "le", "lt"):
            if getattr(item, name, None) is not None:
                found[name] = getattr(item, name)
    return found


def fmt(value: Any) -> str:
    """A value as a user would write it in YAML."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def range_text(info: FieldInfo) -> str | None:
    """``between 0 and 1``, ``greater than 0 and at most 1``, ``at least 1`` ... or None if unbounded."""
    b = bounds(info)
    low = f"at least {fmt(b['ge'])}" if "ge" in b else f"greater than {fmt(b['gt'])}" if "gt" in b else None
    high = f"at most {fmt(b['le'])}" if "le" in b else f"less than {fmt(b['lt'])}" if "lt" in b else None
    if "ge" in b and "le" in b:
        return f"between {fmt(b['ge'])} and {fmt(b['le'])}"
    return " and ".join(p for p in (low, high) if p) or None


def choices(annotation: Any) -> tuple[Any, ...]:
    """The allowed values of a Literal field (empty for other fields)."""
    return get_args(annotation) if get_origin(annotation) is Literal else ()


def wants_text(annotation: Any) -> bool:
    """Whether a field takes text, so a command-line string must not be read as a YAML number."""
    if annotation is str:
        return True
    if get_origin(annotation) is Literal:
        return all(isinstance(a, str) for a in get_args(annotation))
    if get_origin(annotation) in (Union, types.UnionType):
        return any(wants_text(a) for a in get_args(annotation) if a is not type(None))
    return False


def suggest(name: str, options: list[str]) -> str:
    """`` (did you mean 'x'?)`` or, with no close match, the list of valid keys."""
    return did_you_mean(name, options) or f" (expected one of: {', '.join(options)})"


def key_path(key: Any) -> KeyPath:
    """A dotted key (``supervision.strictness`` or ``supervision__strictness``) as a path of names, unchecked."""
    return tuple(str(key).replace("__", ".").split("."))


def resolve_key(key: str) -> tuple[KeyPath, FieldInfo]:
    """Check a dotted key (``supervision.strictness`` or ``supervision__strictness``) against the schema."""
    parts = key_path(key)
    if not all(p.strip() for p in parts) or any(p != p.strip() for p in parts):
        raise InputError("malformed key", key=key, expected="a dotted key such as supervision.strictness")
    model: type[BaseModel] = Scenario
    for i, part in enumerate(parts):
        if part not in model.model_fields:
            options = list(model.model_fields)
            raise InputError(f"unknown key '{part}'{suggest(part, options)}", key=dotted(parts), expected="a known key")
        info = model.model_fields[part]
        if i < len(parts) - 1:
            if not is_model(info.annotation):
                what = ("the marks of values fitted to data, written in a scenario file, not a section of parameters"
                        if parts[: i + 1] == (FITTED,) else "a single value, not a section")
                raise InputError(f"'{dotted(parts[: i + 1])}' is {what}", key=dotted(parts),
                                 expected="a dotted key that ends at a parameter")
            model = info.annotation
    return parts, info


def parameters() -> Iterator[tuple[KeyPath, FieldInfo, Any]]:
    """Every parameter leaf of the schema: (path, field, default), in schema order.

    Defaults come from a default Scenario, so profiles built by a default factory show their own values.
    """
    defaults = Scenario()

    def walk(model: type[BaseModel], instance: Any, prefix: KeyPath):
        for name, info in model.model_fields.items():
            if model is Scenario and name in (*IDENTITY_KEYS, "events", FITTED):
                continue
            value = getattr(instance, name)
            if is_model(info.annotation):
                yield from walk(info.annotation, value, (*prefix, name))
            else:
                yield (*prefix, name), info, value

    yield from walk(Scenario, defaults, ())


def conditions(path: KeyPath) -> dict[str, Any]:
    """Where the model reads the parameter at `path` at all: the ``when`` metadata of the field and of the
    sections holding it (``offending.violent_extremist.*`` only with violent-extremist people in the cohort)."""
    found: dict[str, Any] = {}
    model: type[BaseModel] = Scenario
    for part in path:
        info = model.model_fields[part]
        extra = metadata(info)
        found.update(extra.get("when", {}))
        if is_model(info.annotation):
            model = info.annotation
    return found


def dotted_keys(overrides: Mapping[str, Any], prefix: str = "") -> set[str]:
    """The dotted keys a set of overrides sets: ``--set`` gives dotted keys, the Python API may also nest dicts."""
    keys: set[str] = set()
    for key, value in overrides.items():
        full = f"{prefix}{key}"
        keys |= dotted_keys(value, f"{full}.") if isinstance(value, Mapping) else {full}
    return keys


MISSING: Any = object()
"""``value_at``'s answer, when asked for it, where raw scenario data hold no value at a key: a file that does not set
it (None would not do, a file may set a key to null)."""
_REQUIRED: Any = object()  # no default given: a key not held is an error, as in a validated scenario it is a bug


def value_at(scenario: Any, path: KeyPath, default: Any = _REQUIRED) -> Any:
    """The value at `path` (``("supervision", "strictness")``) in a scenario, in its ``model_dump()`` or in a file's
    raw data (before the defaults). Raw data may stop short of `path` (the key absent, or a value where a section
    should be): with a `default` (``MISSING``, to ask whether a file sets a key) that is the answer, else the walk
    raises as a validated scenario's never does."""
    for part in path:
        if isinstance(scenario, dict) and part in scenario:
            scenario = scenario[part]
        elif default is not _REQUIRED and not isinstance(scenario, BaseModel):
            return default
        else:
            scenario = scenario[part] if isinstance(scenario, dict) else getattr(scenario, part)
    return scenario


def overrides_as_read(scenario: Scenario, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """`overrides` (``--set``'s, or the Python API's, dotted or nested) with each value as `scenario`, once they are
    applied to it, holds it: 500 for the text '500' a --set gives, 30 for '3e1'. What every command's manifest
    records, so a script rebuilding the work from it gets the numbers the runs used, not the text typed."""
    held = scenario.model_dump()  # plain values: an events list as mappings, not schema objects

    def read(given: Mapping[str, Any], at: KeyPath) -> dict[str, Any]:
        return {key: read(value, (*at, *key_path(key))) if isinstance(value, Mapping)
                else value_at(held, (*at, *key_path(key))) for key, value in given.items()}

    return read(overrides, ())


def read_in(path: KeyPath, scenario: Any) -> bool:
    """Whether the model reads the parameter at `path` in a scenario (or its ``model_dump()``): a value it does
    not read changes nothing."""
    for key, allowed in conditions(path).items():
        now = value_at(scenario, tuple(key.split(".")))
        if isinstance(allowed, dict):
            bound = {side: bound_value(limit, scenario) for side, limit in allowed.items()}
            if ("above" in bound and not now > bound["above"]) or ("below" in bound and not now < bound["below"]):
                return False
        elif now not in allowed:
            return False
    return True


def bound_value(bound: Any, scenario: Any) -> Any:
    """A ``when`` bound in a scenario: a number, or another parameter's dotted key standing for its value there."""
    return value_at(scenario, tuple(bound.split("."))) if isinstance(bound, str) else bound


def condition_text(path: KeyPath) -> str:
    """``conditions`` in words, for the parameter table ("" when the model always reads it)."""
    words = []
    for key, allowed in conditions(path).items():
        if isinstance(allowed, dict):
            words += [f"{key} is {side} {bound if isinstance(bound, str) else fmt(bound)}" for side, bound in allowed.items()]
        else:
            words.append(f"{key} is {' or '.join(str(a).lower() if isinstance(a, bool) else a for a in allowed)}")
    return f"Read only when {' and '.join(words)}." if words else ""


def metadata(info: FieldInfo) -> dict:
    """A parameter's metadata beyond its type and bounds (unit, source, plausible range, ...), {} when it has none."""
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def is_assumed(info: FieldInfo) -> bool:
    """Whether a parameter's default is an assumption (its source says so) rather than published or calibrated."""
    extra = metadata(info)
    return str(extra.get("source", "")).startswith(ASSUMED)


def unit_of(key: str) -> str:
    """The unit the schema gives a dotted key ('' for a key it does not know, e.g. an event's), so that a value in a
    report or table is read in it (a 0.3 means nothing until it is 0.3 places per released person)."""
    try:
        _, info = resolve_key(key)
    except InputError:
        return ""
    extra = metadata(info)
    return str(extra.get("unit", ""))


def words_of(key: str) -> str:
    """What a parameter is, in the first sentence of the schema's words ('Civil society informs risk and needs
    assessment'), so that a reader need not know what its key stands for; '' for a key the schema does not know."""
    try:
        _, info = resolve_key(key)
    except InputError:
        return ""
    return str(info.description or "").split(". ")[0].rstrip(".")


def plausible_range(info: FieldInfo) -> tuple[float, float] | None:
    """The plausible range of a numeric parameter: its ``plausible`` metadata, else its validation bounds."""
    extra = metadata(info)
    if "plausible" in extra:
        low, high = extra["plausible"]
        return float(low), float(high)
    return settable_range(info)


def settable_range(info: FieldInfo) -> tuple[float, float] | None:
    """What a scenario file may set a numeric parameter to (its validation bounds), None if a side is open."""
    b = bounds(info)
    low, high = b.get("ge", b.get("gt")), b.get("le", b.get("lt"))
    return (float(low), float(high)) if low is not None and high is not None else None


NOT_DRAWN = ("population", "seed", "weeks")
"""Sections and keys ``sim robustness`` never draws: the population is the cohort studied, and the seed and horizon are
how a run is made, not assumptions. Assumed prices (``costs``) are drawn: they change what a draw costs, never what
happens in it, so the cost conclusion is tested against them as the others are against behaviour."""


def has_plausible_range(info: FieldInfo) -> bool:
    """An explicit ``plausible`` range. Validation bounds say what a file may hold, not what is plausible: a
    share's 0-1 would draw a weekly job loss of 0.9 where 0.01 is assumed, so a parameter without a ``plausible``
    range is not drawn."""
    extra = metadata(info)
    if "plausible" in extra:
        low, high = extra["plausible"]
        return low < high
    return False


def robustness_range(path: KeyPath, info: FieldInfo) -> tuple[float, float] | None:
    """The range ``sim robustness`` draws the parameter at `path` from, or None if it never draws it (not assumed,
    not a number, in ``NOT_DRAWN``, or assumed without a plausible range). Robustness also leaves out a parameter
    the compared scenarios set differently, or one none of them reads."""
    if dotted(path).startswith(NOT_DRAWN) or not is_assumed(info) or info.annotation not in (int, float):
        return None
    return plausible_range(info) if has_plausible_range(info) else None
