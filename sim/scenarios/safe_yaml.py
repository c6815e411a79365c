"""Read scenario YAML safely and remember the line of every key.

Scenario files come from users and trainers, so the reader is deliberately narrow: plain data only
(no tags, so no ``!!python/object``), no anchors or aliases (no alias bombs), no duplicate keys
(the second would silently win). Keys are kept as the text written, and dates stay text.
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
_FLOAT = "tag:yaml.org,2002:float"


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


# Dates stay text (no schema field is a date), and 1e-4 is a number as in YAML 1.2, not a string.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _FLOAT, re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"), list("-+0123456789")
)


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
        raise InputError(
            f"invalid YAML: {what}", file=file, line=mark.line + 1 if mark else None, expected="valid YAML"
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
    if node.tag not in {"tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", _FLOAT}:
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
