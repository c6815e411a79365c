"""Turn pydantic validation errors into plain sentences, one each: file:line: dotted.key: what was expected."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

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
    got = f" (got {value!r})" if kind.startswith("int_") and isinstance(value, float) else f" (got {fmt(value)})"
    return f"expected {_TYPES[kind]}{got}", _TYPES[kind]  # 10.0 written as 10 would read 'expected an integer (got 10)'


def origin_of(path: KeyPath, origins: dict[KeyPath, Origin], default: Origin) -> Origin:
    """Where the key (or, for a missing key, its closest written parent) came from."""
    for end in range(len(path), 0, -1):
        if path[:end] in origins:
            return origins[path[:end]]
    return default


def _clean(loc: tuple) -> KeyPath:
    """Drop the discriminator tag pydantic inserts: ('events', 0, 'media_shock', 'week') -> ('events', 0, 'week')."""
    loc = tuple(loc)
    if len(loc) > 2 and loc[0] == "events" and isinstance(loc[1], int) and loc[2] in EVENT_MODELS:
        return loc[:2] + loc[3:]
    return loc


def describe(error: dict[str, Any], path: KeyPath, data: Any) -> tuple[KeyPath, str, str]:
    """(path, message, expected) for one pydantic error, in the words of the schema."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    got = f" (got {fmt(value)})"
    if kind == "extra_forbidden":
        model = model_at(path[:-1], data)
        options = list(model.model_fields) if model else []
        return path, f"unknown key{suggest(str(path[-1]), options)}", "a known key"
    if kind in _RANGE:
        info = field_at(path, data)
        text = range_text(info) if info else None
        if text is None:
            op = {"greater_than": "greater than", "greater_than_equal": "at least",
                  "less_than": "less than", "less_than_equal": "at most"}[kind]
            text = f"{op} {fmt(next(iter(ctx.values())))}"
        return path, f"must be {text}{got}", text
    if kind == "literal_error":
        return path, f"expected one of {ctx['expected']}{got}", f"one of {ctx['expected']}"
    if kind == "union_tag_invalid":
        expected = f"one of {ctx['expected_tags']}"
        return (*path, "kind"), f"unknown event kind {fmt(ctx['tag'])}: expected {expected}", expected
    if kind == "union_tag_not_found":
        return (*path, "kind"), "every event needs a kind", "'media_shock' or 'policy_change'"
    if kind == "missing":
        return path, "required key is missing", "a value for this key"
    if kind == "string_too_short":
        return path, f"must not be empty{got}", "non-empty text"
    if kind == "string_pattern_mismatch" and path == ("name",):
        expected = ("a name without a slash or control character that does not start with a dot (it names the "
                    "scenario's folders)")
        return path, f"must be {expected}{got}", expected
    if kind == "name_too_many_bytes" and path == ("name",):
        expected = (f"a name of at most {ctx['max_length']} bytes (it names the scenario's folders, and an accented or "
                    "non-Latin letter takes two to four)")
        return path, f"must be {expected} (got {len(value)} characters, {len(value.encode('utf-8'))} bytes)", expected
    if kind == "string_too_long" and path == ("name",):
        expected = f"a name of at most {ctx['max_length']} characters (it names the scenario's folders)"
        return path, f"must be {expected} (got {len(value)} characters)", expected
    if (typed := type_error(kind, value)) is not None:
        return (path, *typed)
    msg = error["msg"]
    return path, f"{msg[:1].lower()}{msg[1:]}{got}", msg  # pydantic's words: in the message, so not repeated


def explained(exc: ValidationError, data: Any, origins: dict[KeyPath, Origin], default: Origin) -> list[InputError]:
    """Each pydantic error in the user's words, with where it was written."""
    found = []
    for error in exc.errors(include_url=False):
        path, message, expected = describe(error, _clean(error["loc"]), data)
        file, line = origin_of(path, origins, default)
        found.append(InputError(message, file=file, line=line, key=dotted(path) or None, expected=expected))
    return found


def error_paths(exc: ValidationError) -> set[KeyPath]:
    """The keys pydantic refused (an event's whole entry when its kind is unknown), as paths of names."""
    return {_clean(error["loc"]) for error in exc.errors(include_url=False)}

