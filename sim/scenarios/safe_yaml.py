"""Read scenario YAML safely and remember the line of every key.

Scenario files come from users and trainers, so the reader is deliberately narrow: plain data only
(no tags, so no ``!!python/object``), no anchors or aliases (no alias bombs), no duplicate keys
(the second would silently win). Keys are kept as the text written, and dates stay text.

Numbers are decimal, as a reader expects: ``500``, ``-3``, ``0.25``, ``.5``, ``1e-4``. A plain value that some YAML
reads as another number is refused, naming its line and key (``refused_number``): PyYAML follows YAML 1.1, which
reads ``0500`` as octal (320), ``8:20`` in base 60 (500) and ``1_000`` as 1000, where YAML 1.2 reads 500 and takes the
other two as text: a zero-padded ``printf %04d`` value silently ran another model. ``--set`` values follow the same rule.
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from sim.errors import InputError

KeyPath = tuple[str | int, ...]
MAX_BYTES = 5_000_000  # a scenario is a page of text; refuse anything absurdly large
MAX_DEPTH = 32  # a scenario nests about five levels; deeper input is a mistake or an attack
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NOT_DECIMAL = "tag:reintegration-sim,number-not-decimal"  # resolved here, refused when built (never constructed)
DECIMAL = "a decimal number without leading zeros or digit separators"
_EXPONENT = r"(?:[eE][-+]?[0-9]+)?"
_DECIMAL_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_DECIMAL_FLOAT = re.compile(
    rf"^[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*{_EXPONENT}|[eE][-+]?[0-9]+)|\.[0-9]+{_EXPONENT})$"
    r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
)
_LEADING_ZERO = re.compile(rf"^[-+]?0[0-9_]+(?:\.[0-9_]*)?{_EXPONENT}$")
_PREFIXED = re.compile(r"^[-+]?0(?:[xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)$")
_SEPARATED = re.compile(rf"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+){_EXPONENT}$")  # holding a `_`: 1_000
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_NUMBER_LIKE = re.compile("|".join(f"(?:{rx.pattern})" for rx in (_LEADING_ZERO, _PREFIXED, _SEPARATED, _SEXAGESIMAL)))


def dotted(path: KeyPath) -> str:
    """``("events", 2, "set", "x.y")`` -> ``events[2].set.x.y``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _RefusedError(Exception):
    def __init__(self, message: str, path: KeyPath, line: int) -> None:
        super().__init__(message)
        self.message, self.path, self.line = message, path, line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, anchors and explicit tags while the document is composed."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._path: list[str | int | None] = []

    def compose_node(self, parent, index):
        # PyYAML calls compose_node(mapping, key_node) for values and (sequence, i) for items.
        self._path.append(index.value if isinstance(index, ScalarNode) else index)
        try:
            event = self.peek_event()
            path = tuple(p for p in self._path if p is not None)
            line = event.start_mark.line + 1
            if len(self._path) > MAX_DEPTH:
                raise _RefusedError(f"nested too deeply (more than {MAX_DEPTH} levels)", path[:1], line)
            if isinstance(event, AliasEvent):
                raise _RefusedError(f"aliases are not allowed (found '*{event.anchor}')", path, line)
            if getattr(event, "anchor", None) is not None:
                raise _RefusedError(f"anchors and aliases are not allowed (found '&{event.anchor}')", path, line)
            if getattr(event, "tag", None) is not None:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                raise _RefusedError(f"tags are not allowed (found '{tag}'); write plain values", path, line)
            return super().compose_node(parent, index)
        finally:
            self._path.pop()


# Dates stay text (no schema field is a date); numbers are decimal, 1e-4 among them as in YAML 1.2 (not a string), and
# whatever YAML 1.1 or 1.2 would read as another number is marked to be refused (the order matters: decimal first).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in {_TIMESTAMP, _INT, _FLOAT}]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _tag, _rx in ((_INT, _DECIMAL_INT), (_FLOAT, _DECIMAL_FLOAT), (_NOT_DECIMAL, _NUMBER_LIKE)):
    _Loader.add_implicit_resolver(_tag, _rx, list("-+.0123456789"))


def refused_number(text: str) -> InputError | None:
    """The refusal of a plain value that YAML reads as a number but that is not written as a plain decimal one (None
    for any other text), saying how YAML 1.1 reads it; the caller adds where it was written."""
    if not _NUMBER_LIKE.match(text) or _DECIMAL_INT.match(text) or _DECIMAL_FLOAT.match(text):
        return None
    sign, digits = ("-" if text.startswith("-") else ""), text.lstrip("+-")
    old = yaml.safe_load(text)  # what PyYAML's YAML 1.1 makes of it
    if _SEXAGESIMAL.match(text):
        said, meant = f"is a number in base 60 in YAML 1.1 ({old}) and text in YAML 1.2", None
    elif _PREFIXED.match(text):
        base = {"x": "hexadecimal", "o": "octal", "b": "binary"}[digits[1].lower()]
        said, meant = f"is written in {base}", str(int(digits.replace("_", ""), 0))
    elif "_" in text:
        said, meant = "has digit separators, which YAML 1.1 drops and YAML 1.2 reads as text", digits.replace("_", "")
    else:
        octal = isinstance(old, int) and not isinstance(old, bool)  # 0900 is not octal: YAML 1.1 leaves it text
        said = "has a leading zero, " + (f"which YAML 1.1 reads as octal: {old}" if octal
                                         else "the mark of an octal number in YAML 1.1")
        meant = digits.lstrip("0")
        meant = "0" + meant if not meant or meant.startswith((".", "e", "E")) else meant
    example = f", e.g. {sign}{meant}" if meant is not None else ""
    return InputError(f"'{text}' {said}", expected=f"{DECIMAL}{example}")


def parse_yaml(text: str, file: str | None = None) -> tuple[Any, dict[KeyPath, int]]:
    """Parse one YAML document into plain data and a map from key path to 1-based line.

    Each text is parsed once per process (replicates and sweeps build many models from the same
    scenario files, and parsing costs more than building a small world); callers get their own copy.
    """
    data, lines = _parse_once(text, file)
    return copy.deepcopy(data), dict(lines)


@functools.lru_cache(maxsize=256)
def _parse_once(text: str, file: str | None) -> tuple[Any, dict[KeyPath, int]]:
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        data = None if node is None else _build(loader, node, (), lines, file)
        return data, lines
    except _RefusedError as e:
        raise InputError(e.message, file=file, line=e.line, key=dotted(e.path) or None, expected="plain YAML data") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = "; ".join(str(p) for p in (e.context, e.problem) if p)
        tab = "'\\t'" in str(e.problem)  # PyYAML: "found character '\t' that cannot start any token"
        raise InputError(
            "invalid YAML: a tab, which YAML does not allow for indenting" if tab else f"invalid YAML: {what}",
            file=file, line=mark.line + 1 if mark else None,
            # "valid YAML" was read as said already, by the "invalid YAML" of the message, and left off
            expected="spaces instead of tabs" if tab else "`key: value` lines indented with spaces",
        ) from None
    except ReaderError as e:
        line = text[: e.position].count("\n") + 1 if isinstance(e.position, int) else None
        raise InputError(
            f"invalid YAML: control character U+{e.character:04X} is not allowed", file=file, line=line, expected="printable text"
        ) from None
    except yaml.YAMLError as e:
        raise InputError(f"invalid YAML: {' '.join(str(e).split())}", file=file, expected="valid YAML") from None
    except RecursionError:
        raise InputError("invalid YAML: nested too deeply", file=file, expected="a scenario a few levels deep") from None
    finally:
        if loader is not None:
            loader.dispose()


def _build(loader: _Loader, node, path: KeyPath, lines: dict[KeyPath, int], file: str | None) -> Any:
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise InputError(
                    "a key must be plain text", file=file, line=line, key=dotted(path) or None, expected="a plain key"
                )
            key = key_node.value
            if key in result:
                raise InputError(
                    f"duplicate key '{key}' (first at line {lines[(*path, key)]}, again at line {line})",
                    file=file, line=line, key=dotted((*path, key)), expected="each key once",
                )
            lines[(*path, key)] = line
            result[key] = _build(loader, value_node, (*path, key), lines, file)
        return result
    if isinstance(node, SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            items.append(_build(loader, item, (*path, i), lines, file))
        return items
    if node.tag == _NOT_DECIMAL:
        refusal = refused_number(node.value)
        raise refusal.replace(file=file, line=node.start_mark.line + 1, key=dotted(path) or None,
                              expected=f"{refusal.expected}, or in quotes if it is text")
    if node.tag not in {"tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", _INT, _FLOAT}:
        return node.value  # plain text (this also covers YAML 1.1 oddities like '=' and '<<')
    return loader.construct_object(node)


NO_SUCH_FILE = "no such file"  # how a missing file's message begins (``sim validate`` words it for both kinds of file)


def read_yaml_file(path: Path, shown: str, what: str = "scenario") -> tuple[dict[str, Any], dict[KeyPath, int]]:
    """Read a scenario (or experiment: ``what``) file: a UTF-8 YAML mapping. Every failure is an InputError naming
    ``shown`` and saying which kind of file was expected."""
    if path.is_dir():
        raise InputError(f"is a directory; expected a YAML {what} file", file=shown, expected="a YAML file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"file is too large ({size} bytes)", file=shown, expected=f"at most {MAX_BYTES} bytes")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{NO_SUCH_FILE}; expected an existing YAML {what} file", file=shown,
                         expected="an existing YAML file") from None
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", file=shown, expected="a readable file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start}); save the file as UTF-8",
            file=shown, line=line, expected="UTF-8 text",
        ) from None
    data, lines = parse_yaml(text, shown)
    if data is None:
        raise InputError(f"the file is empty; expected a mapping of {what} keys", file=shown,
                         expected=f"a mapping of {what} keys")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the value {data!r}"
        raise InputError(
            f"the top level must be a mapping of keys (found {kind})", file=shown, line=1,
            expected=f"a mapping of {what} keys",
        )
    return data, lines
