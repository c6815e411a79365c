"""The one error type for bad user input: it says where (file, line, key) and what was expected.

The CLI prints ``error: <str(e)>`` and exits 2, so ``str()`` is a line (one per error, when a file holds several) that a user can act on
without a traceback, e.g. ``scenarios/foo.yaml:12: supervision.strictness: must be between 0 and 1 (got 1.5)``.
Errors record the command line's option (``--set``, ``--max-runs``) where a value came from; called from Python, the
same error names the argument the caller gave instead (``overrides``, ``max_runs=``), see ``command_line``.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from os import PathLike
from pathlib import Path
from typing import Any


class InputError(Exception):
    """A scenario file, override or command-line value the model cannot use.

    ``file`` is a path (or a pseudo-file such as ``--set``), ``line`` is 1-based, ``key`` is dotted
    (``events[2].set.supervision.strictness``); any of them may be ``None`` when unknown.
    ``expected`` is a short phrase of what would have been accepted (``between 0 and 1``).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | PathLike[str] | None = None,
        line: int | None = None,
        key: str | None = None,
        expected: str | None = None,
        others: list[InputError] | tuple[InputError, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.key = key
        self.expected = expected
        self.others = list(others)  # further errors found in the same file, each shown on its own line

    def replace(self, **changes: Any) -> InputError:
        """A copy with some fields changed, e.g. to place an error inside an enclosing key."""
        fields = {"file": self.file, "line": self.line, "key": self.key, "expected": self.expected,
                  "others": self.others}
        message = changes.pop("message", self.message)
        fields.update(changes)
        return InputError(message, **fields)

    def __str__(self) -> str:
        named = _as_typed if _ON_COMMAND_LINE.get() else _as_python
        where = ""
        if self.file is not None:
            shown = str(self.file)  # a path as it is; a pseudo-file such as --set as the caller gave it
            where = (named(shown) if shown.startswith("--") else shown) + (f":{self.line}" if self.line is not None else "")
        elif self.line is not None:
            where = f"line {self.line}"
        key = named(self.key) if self.key else self.key
        parts = [p for p in dict.fromkeys((where, key)) if p]  # `--weeks: weeks:` from Python is one `weeks:`
        message = named(self.message)
        if self.expected and not says_what_is_expected(message, named(self.expected)):
            message += f" (expected {named(self.expected)})"
        text = " ".join(": ".join([*parts, message]).split("\n"))
        if self.others:  # every error of a file, one a line, so that all can be fixed in one go
            text += f" ({len(self.others)} more below)\n" + "\n".join(f"error: {other}" for other in self.others)
        return text

    def each(self) -> list[InputError]:
        """This error and the others it carries, each on its own (none carrying others)."""
        return [self.replace(others=[]), *(error for other in self.others for error in other.each())]

    def __reduce__(self):  # keep the keyword fields when pickled (multiprocessing, dask)
        fields = {"file": self.file, "line": self.line, "key": self.key, "expected": self.expected,
                  "others": self.others}
        return (_rebuild, (self.message, fields))


def _rebuild(message: str, fields: dict[str, Any]) -> InputError:
    return InputError(message, **fields)


_AS_GIVEN = object()


def together(errors: Iterable[InputError], file: Any = _AS_GIVEN) -> InputError:
    """Every error found in one pass as the one error to raise: the first, carrying the others, so that ``str()`` lists
    them all, one a line (``(N more below)``). Each is shown once. With `file` (the file checked; None for data given
    from Python) they are put in file order: that file's first, then each other file's (a parent scenario, ``--set``)
    in the order first met, by line within each, an error without a line last; without it, in the order given."""
    found = list({str(error): error for given in errors for error in given.each()}.values())
    if not found:
        raise ValueError("no errors to raise")
    if file is not _AS_GIVEN:
        files = list(dict.fromkeys(str(error.file) for error in found if error.file != file))
        found.sort(key=lambda e: (-1 if e.file == file else files.index(str(e.file)), e.line is None, e.line or 0))
    first, *rest = found
    return first.replace(others=rest)


_ON_COMMAND_LINE: ContextVar[bool] = ContextVar("on_command_line", default=False)


@contextmanager
def command_line() -> Iterator[None]:
    """Errors shown inside name the options typed (``--set``); everywhere else, the Python arguments that carry the same
    values, since a caller of ``sim.run(..., overrides=...)`` typed no ``--set``. Only ``sim.cli.main`` enters it."""
    token = _ON_COMMAND_LINE.set(True)
    try:
        yield
    finally:
        _ON_COMMAND_LINE.reset(token)


ARGUMENTS = {"--set": "overrides", "--match": "matches", "--budget-basis": "basis"}
"""Options whose Python argument is not the option's own name with ``_`` for ``-`` (``--max-runs``: ``max_runs``)."""

_OPTION = re.compile(r"(?<![\w-])--([a-z][a-z-]*)(?: ([A-Z0-9]\S*))?")
_SET_VALUE = re.compile(r"(?<![\w-])--set ([\w.{}\[\]]+)=(\S+?)(?=[),;]|$| )")


def argument(option: str) -> str:
    """The Python argument that carries a command-line option's value: ``--max-runs`` is ``max_runs``."""
    return ARGUMENTS.get(option, option.removeprefix("--").replace("-", "_"))


def _as_typed(text: str) -> str:
    return text


def _as_python(text: str) -> str:
    """A message's options as the Python arguments a caller gave: ``--set KEY=VALUE`` is ``overrides={'KEY': VALUE}``,
    ``--max-runs 500`` is ``max_runs=500``, a bare ``--out`` is ``out``."""
    text = _SET_VALUE.sub(lambda m: f"overrides={{'{m[1]}': {m[2]}}}", text)
    return _OPTION.sub(lambda m: argument("--" + m[1]) + (f"={m[2]}" if m[2] else ""), text)


def require_at_least(value: Any, least: int, key: str) -> None:
    """Refuse a count that is not an integer of at least `least`, naming the option `key`: what the command line
    checks as it parses (``sim.commands.common.at_least``), for callers from Python."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):  # 2.0 is not "below 1"
        raise InputError(f"must be a whole number of at least {least} (got {value!r})", key=key,
                         expected=f"an integer >= {least}")
    if value < least:
        raise InputError(f"must be at least {least} (got {value!r})", key=key, expected=f"an integer >= {least}")


def path_argument(value: Any, key: str, expected: str, what: str = "a folder") -> Path:
    """A path given from Python (`what`: a folder to read or write), with ``~`` expanded as a shell would; anything
    but a path is an input error naming `key`, rather than pathlib's TypeError."""
    if not isinstance(value, str | PathLike):
        raise InputError(f"got {type(value).__name__} instead of {what}", key=key, expected=expected)
    return Path(value).expanduser()


def closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The option `word` was most likely meant to be (a misspelt name, key or option), or None when none is close."""
    import difflib

    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` after a refused name when one of `options` is close to it (``closest``), else ''."""
    close = closest(word, options)
    return f" (did you mean '{close}'?)" if close else ""


def says_what_is_expected(message: str, expected: str) -> bool:
    """Whether a message already tells what would be accepted: it says "expected", suggests the key meant, quotes
    the expected text ("must be at least 2 (got 1)" with "at least 2"); the value given, "(got 1)", is not what was
    expected, so it keeps the advice ("must be a whole number of weeks (got 5.5) (expected one of 26, 52)")."""
    return bool(re.search(r"\bexpected\b|did you mean", message)) or expected in message


def say_when_stopped(stop: BaseException, left: str) -> None:
    """Attach to a Ctrl-C or SIGTERM what the stopped command leaves (one line, e.g. how many runs a sweep's folder
    holds and how to resume it), for ``sim.cli`` to say instead of its general line. The last said is kept: the
    outermost command owns the whole folder (``sim robustness`` around each of its sweeps), where the innermost knew
    only its own sweep's runs."""
    stop.sim_left = left  # type: ignore[attr-defined]


def left_when_stopped(stop: BaseException) -> str | None:
    """What ``say_when_stopped`` attached to `stop`, if anything."""
    return getattr(stop, "sim_left", None)


def interruption(error: BaseException) -> BaseException | None:
    """The Ctrl-C or SIGTERM (a ``BaseException`` that is not an ``Exception``) that `error` was raised from, if any.

    A signal's handler raises wherever the main thread is. Inside a callback of compiled code (numba loading a cached
    kernel) CPython turns it into a ``SystemError`` caused by the ``KeyboardInterrupt``: caught as the run's own error,
    one Ctrl-C in about nine recorded a finished run as failed for good and the command went on."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if not isinstance(error, Exception):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None
