"""Turn pydantic validation errors into plain sentences, one each: file:line: dotted.key: what was expected.

The same mistake is worded alike in every file sim reads (a scenario file, an experiment file): what differs between
kinds of file, their keys, their tagged union and their own cases, is each one's ``Words``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from sim.errors import InputError
from sim.scenarios.fields import EVENT_MODELS, field_at, fmt, model_at, range_text, suggest
from sim.scenarios.safe_yaml import KeyPath, dotted

Origin = tuple[str | None, int | None]  # (file as shown, 1-based line) where a key was written

_RANGE = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
_TYPES = {
    "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "an integer",
    "float_type": "a number", "float_parsing": "a number", "finite_number": "a finite number",
    "string_type": "text", "bool_type": "true or false", "bool_parsing": "true or false",
    "model_type": "a mapping of keys", "model_attributes_type": "a mapping of keys", "dict_type": "a mapping of keys",
    "list_type": "a list",
}


def type_error(kind: str, value: Any) -> tuple[str, str] | None:
    """(message, expected) of a value of the wrong type (pydantic's error `kind`), the same in every file sim reads;
    None for an error of another kind."""
    if kind not in _TYPES:
        return None
    if kind.startswith("int_") and isinstance(value, float):  # 10.0 written as 10 would read 'expected an integer (got 10)'
        if value.is_integer():  # 1e3 or 1000.0, in a file and in --set alike: an integer key takes an integer as written
            return (f"expected an integer (got {value!r}): write {int(value)}, without a decimal point or exponent",
                    f"an integer, e.g. {int(value)}")
        return f"expected {_TYPES[kind]} (got {value!r})", _TYPES[kind]
    return f"expected {_TYPES[kind]} (got {fmt(value)})", _TYPES[kind]


def origin_of(path: KeyPath, origins: dict[KeyPath, Origin], default: Origin) -> Origin:
    """Where the key (or, for a missing key, its closest written parent) came from."""
    for end in range(len(path), 0, -1):
        if path[:end] in origins:
            return origins[path[:end]]
    return default


Said = tuple[KeyPath, str, str]  # (the key, the message, what was expected) of one error


@dataclass(frozen=True)
class Words:
    """What translating an error needs to know of one kind of file sim reads; every other case is worded alike in all.

    A file's schema has at most one tagged union (a scenario's events, an experiment's design), its members told apart
    by a ``kind`` key; ``union_at`` is where it sits, as a pattern of names and ``int`` for a list index. The hooks
    get the key, the data read and the tag of the union member pydantic tried (None outside the union)."""

    union: str  # what a member of the union is: 'event', 'design'
    union_at: tuple[str | type, ...]
    kinds: tuple[str, ...]  # the union's tags
    keys: Callable[[KeyPath, Any, str | None], list[str]]  # the keys allowed in the mapping at a key
    field: Callable[[KeyPath, Any, str | None], FieldInfo | None]  # the field at a key, whose bounds are its range
    own: Callable[[dict[str, Any], KeyPath, str | None], Said | None] = lambda error, path, tag: None  # tried first
    inserted: frozenset[str] = frozenset()  # further names of types pydantic puts in an error's location


def located(loc: tuple, words: Words) -> tuple[KeyPath, str | None]:
    """The key of an error's location in the file, and the union's tag pydantic inserted in it (None if none):
    ('events', 0, 'media_shock', 'week') is events[0].week, of a media_shock. The names of the types pydantic tried
    are dropped too ('list[union[bool,int,float,str]]')."""
    loc, tag, at = tuple(loc), None, len(words.union_at)
    if len(loc) > at and loc[at] in words.kinds and all(
            part == want if isinstance(want, str) else isinstance(part, want)
            for part, want in zip(loc, words.union_at, strict=False)):
        loc, tag = loc[:at] + loc[at + 1:], loc[at]
    return tuple(part for part in loc if not (isinstance(part, str) and (
        part in words.inserted or part.startswith(("list[", "union[", "dict["))))), tag


def _one_of(kinds: tuple[str, ...]) -> str:
    return f"one of {', '.join(fmt(kind) for kind in kinds)}"


def describe(error: dict[str, Any], path: KeyPath, data: Any, words: Words, tag: str | None = None) -> Said:
    """(key, message, expected) for one pydantic error at `path` (``located``), in the words of the schema: the kind
    of file's own cases (``words.own``) first, then those worded alike in every file."""
    if (said := words.own(error, path, tag)) is not None:
        return said
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    got = f" (got {fmt(value)})"
    if kind == "extra_forbidden":
        allowed = words.keys(path[:-1], data, tag)
        return path, f"unknown key '{path[-1]}'" + (suggest(str(path[-1]), allowed) if allowed else ""), "a known key"
    if kind in _RANGE:
        info = words.field(path, data, tag)
        text = range_text(info) if info else None
        if text is None:
            op = {"greater_than": "greater than", "greater_than_equal": "at least",
                  "less_than": "less than", "less_than_equal": "at most"}[kind]
            text = f"{op} {fmt(next(iter(ctx.values())))}"
        return path, f"must be {text}{got}", text
    if kind == "literal_error":
        return path, f"expected one of {ctx['expected']}{got}", f"one of {ctx['expected']}"
    if kind == "union_tag_invalid":
        expected = _one_of(words.kinds)
        return (*path, "kind"), f"unknown {words.union} kind {fmt(ctx['tag'])}: expected {expected}", expected
    if kind == "union_tag_not_found":
        return (*path, "kind"), "required key is missing", _one_of(words.kinds)
    if kind == "missing":
        return path, "required key is missing", "a value for this key"
    if kind == "string_too_short":
        return path, f"must not be empty{got}", "non-empty text"
    if (typed := type_error(kind, value)) is not None:
        return (path, *typed)
    message = error["msg"].removeprefix("Value error, ").replace("Input should be", "must be")
    message = message[:1].lower() + message[1:]
    if not isinstance(value, dict | list):  # a mapping or a list is not worth quoting
        message += got
    return path, message, message  # pydantic's words, or a validator's: in the message, so not repeated


def _scenario_own(error: dict[str, Any], path: KeyPath, tag: str | None) -> Said | None:
    """A scenario's name names its folders: what it may not hold, said with that reason."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if path != ("name",):
        return None
    if kind == "string_pattern_mismatch":
        expected = ("a name without a slash or control character that does not start with a dot (it names the "
                    "scenario's folders)")
        return path, f"must be {expected} (got {fmt(value)})", expected
    if kind == "name_too_many_bytes":
        expected = (f"a name of at most {ctx['max_length']} bytes (it names the scenario's folders, and an accented or "
                    "non-Latin letter takes two to four)")
        return path, f"must be {expected} (got {len(value)} characters, {len(value.encode('utf-8'))} bytes)", expected
    if kind == "string_too_long":
        expected = f"a name of at most {ctx['max_length']} characters (it names the scenario's folders)"
        return path, f"must be {expected} (got {len(value)} characters)", expected
    return None


def _scenario_keys(path: KeyPath, data: Any, tag: str | None) -> list[str]:
    model = model_at(path, data)
    return list(model.model_fields) if model else []


SCENARIO = Words(union="event", union_at=("events", int), kinds=tuple(EVENT_MODELS), keys=_scenario_keys,
                 field=lambda path, data, tag: field_at(path, data), own=_scenario_own)
"""A scenario file's words: its events are the union; its schema's models say the keys and the ranges."""


def explained(exc: ValidationError, data: Any, origins: dict[KeyPath, Origin], default: Origin,
              words: Words = SCENARIO) -> list[InputError]:
    """Each pydantic error in the user's words, with where it was written."""
    found = []
    for error in exc.errors(include_url=False):
        path, tag = located(error["loc"], words)
        path, message, expected = describe(error, path, data, words, tag)
        file, line = origin_of(path, origins, default)
        found.append(InputError(message, file=file, line=line, key=dotted(path) or None, expected=expected))
    return found


def error_paths(exc: ValidationError, words: Words = SCENARIO) -> set[KeyPath]:
    """The keys pydantic refused (an event's whole entry when its kind is unknown), as paths of names."""
    return {located(error["loc"], words)[0] for error in exc.errors(include_url=False)}
