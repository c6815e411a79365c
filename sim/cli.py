"""The ``sim`` command line. Each subcommand lives in ``sim/commands/<name>.py``.

Exit status: 0 success, 2 bad input or usage (one clear message, no traceback), 1 internal error,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM); either way the command removes its partial output
and says so in one line. What the command says is not its work: once a pipe's reader has gone (`| head -1`) the rest
is dropped and the work goes on to its own exit status; a stdout or stderr that cannot be written (a full device,
an I/O error) is dropped too, the work goes on, and the command ends with one line saying so (on stderr, if that can
be written) and exit status 2 (``OutlivesItsReader``). A SIGTERM or Ctrl-C once the command has finished (while the interpreter shuts down) keeps its exit
status and says so in one line (``after_finishing``). Set ``SIM_DEBUG=1`` to see the traceback of an internal error.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import errno
import importlib
import os
import pkgutil
import signal
import sys
import threading
import traceback
import warnings
from typing import NoReturn

import sim.commands
from sim.errors import InputError, closest, command_line, interruption, left_when_stopped
from sim.file_digests import hashed_once


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors say one line and exit 2 like every other input error."""

    def error(self, message: str):  # noqa: D102
        raise InputError(message, file=self.prog, expected=usage_expected(message))


USAGE_EXPECTED = {
    "not allowed with argument": "one of the two options, not both",
}
"""What would have been accepted, for argparse's messages that do not say (it words the others itself: 'the following
arguments are required: --out', 'expected one argument', 'invalid choice: ... (choose from ...)')."""


def usage_expected(message: str) -> str | None:
    """The `expected` of argparse's `message` (``USAGE_EXPECTED``)."""
    return next((said for words, said in USAGE_EXPECTED.items() if words in message), None)


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """``parser.parse_args``, but an option the command does not have is refused by the command, naming it and the
    option of that command closest to it (`sim run --wekks 3`: 'did you mean --weeks?'), where argparse said
    'sim: unrecognized arguments' and sent the reader to every command's help."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        name = f"sim {args.command}"
        options = [option for action in subcommand_parser(parser, args.command)._actions
                   for option in action.option_strings if option.startswith("--")]
        typed = [word.split("=", 1)[0] for word in extra if word.startswith("--")]
        close = [match for word in typed if (match := closest(word, options, cutoff=0.75))]
        hint = f": did you mean {', '.join(dict.fromkeys(close))}?" if close else ""
        raise InputError(f"unrecognized arguments: {' '.join(extra)}", file=name,
                         expected=f"the options `{name} --help` lists{hint}")
    return args


def subcommand_parser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of the command `name` within the ``sim`` parser."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices[name]


def commands() -> list:
    """The command modules, in the order they should be listed."""
    modules = [importlib.import_module(f"sim.commands.{m.name}") for m in pkgutil.iter_modules(sim.commands.__path__)]
    return sorted((m for m in modules if hasattr(m, "NAME")), key=lambda m: getattr(m, "ORDER", 50))


def installed_version() -> str:
    """The installed package's version (from its metadata), or the source tree's when not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reintegration-sim")
    except PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="sim", description="reintegration-sim: compare recidivism, recall and stigma across scenarios.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for module in commands():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.__doc__)
        module.configure(command)
        command.set_defaults(execute=module.execute)
    return parser


def show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings for the user read ``warning: ...`` on one line, without the source line of the code."""
    print(f"warning: {message}", file=sys.stderr if file is None else file)


class Terminated(BaseException):
    """SIGTERM, raised where the command is so that its cleanup runs as it does for Ctrl-C."""


_finished: int | None = None
"""The exit status of the command the program ran, once it has finished (``main`` run as the program)."""


def _terminate(signum, frame):
    if _finished is not None:
        after_finishing(_finished)
    raise Terminated


def _interrupted_while_exiting(signum, frame):
    after_finishing(_finished if _finished is not None else 0, "interrupted")


def _ignored_to_the_end() -> None:
    """Ignore Ctrl-C and SIGTERM once the exit handlers have run (this one, registered as sim.cli loads, runs after
    those registered later, Dask's among them): the interpreter then puts their default action back, and one sent while it tears its modules down (most of a
    second after `sim sensitivity`) ended a command that had written everything with status 130 or 143 and no word.
    Until then a signal still ends an exit that hangs (``after_finishing``)."""
    if _finished is not None:
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.SIG_IGN)


atexit.register(_ignored_to_the_end)


def after_finishing(code: int, word: str = "terminated") -> NoReturn:
    """End the program on a SIGTERM (or a Ctrl-C: `word`) that came after its command finished, with the command's
    exit status and one line.

    Once ``main`` returned, SIGTERM had its default action again: one sent while the interpreter shut down (its exit
    handlers, the threads of a Dask client it waits for) ended a command that had written everything with status 143
    and no word, which a supervisor or a script took for a command stopped part-way; a Ctrl-C then, right after the
    command said `wrote DIR`, ended it alike with status 130."""
    with contextlib.suppress(Exception):  # what the command printed, still buffered, is its result
        sys.stdout.flush()
    said = ("after the command had finished: everything it writes is written" if code == 0 else
            f"after the command had ended (exit status {code})")
    with contextlib.suppress(Exception):
        print(f"{word} while exiting, {said}", file=sys.stderr, flush=True)
    os._exit(code)


def stopped(stop: BaseException) -> int:
    """Say that the command was stopped, and what it leaves (a sweep: how many of its runs its folder holds, and how to
    resume it: ``sim.errors.say_when_stopped``); return its exit code: 130 for Ctrl-C, 143 for SIGTERM."""
    word, code = ("terminated", 143) if isinstance(stop, Terminated) else ("interrupted", 130)
    # a command that keeps finished work (a sweep, calibration, sensitivity analysis, robustness or optimise run) says
    # what it keeps (``sim.experiments.when_stopped.saying``); the others (run, compare, patterns, report) keep nothing
    left = left_when_stopped(stop) or "anything half-written is removed: rerun the command to start again"
    print(f"{word}: {left}", file=sys.stderr)
    return code


class OutlivesItsReader:
    """The program's stdout or stderr, for a reader that may stop reading: `sim run ... 2>&1 | head -1` closed the pipe
    at the second progress line, the command died of the BrokenPipeError in the middle of its work and exited 0 with
    no results written. A command's work is its files, not its lines: once its reader has gone, what it says is
    dropped and the work goes on to its end and its exit status. A stream that cannot be written for another reason
    (`> /dev/full`: no space left) is dropped alike, but kept as `failed`: the command then ends saying so, exit 2
    (``unwritten``); it ended in an internal error, exit 1, after writing its results."""

    def __init__(self, stream) -> None:
        self.stream, self.gone, self.failed = stream, False, None

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self.stream.write(text)
            except OSError as error:
                self.leave(error)
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except OSError as error:
                self.leave(error)

    def leave(self, error: OSError | None = None) -> None:
        """Drop what is said from now on (keeping `error`, unless it is that of a reader gone); the interpreter flushes
        the stream as it exits, so its descriptor goes to /dev/null, where that cannot fail as well."""
        self.gone = True
        if error is not None and not isinstance(error, BrokenPipeError):
            self.failed = error
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), self.stream.fileno())

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


STREAMS = ("standard output", "standard error")


def unwritten(streams: tuple[OutlivesItsReader, OutlivesItsReader], code: int) -> int:
    """The exit status of a command whose `streams` (stdout, stderr) have said all it said: `code`, or 2 where one of
    them could not be written (a command that failed keeps its own), said in one line on stderr if it can be."""
    for stream in streams:
        stream.flush()  # what is still buffered fails here, not as the interpreter exits
    failed = [(name, stream.failed) for name, stream in zip(STREAMS, streams, strict=True) if stream.failed]
    if not failed:
        return code
    name, error = failed[0]
    print(f"error: {name} could not be written ({error.strerror or error}): what the command said there is lost; the "
          "files it writes are not affected", file=streams[1], flush=True)
    return code or 2


@contextlib.contextmanager
def outliving_readers():
    """sys.stdout and sys.stderr as ``OutlivesItsReader`` while the program's command runs."""
    before = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = streams = OutlivesItsReader(sys.stdout), OutlivesItsReader(sys.stderr)
    try:
        yield streams
    finally:
        sys.stdout, sys.stderr = before


def main(argv: list[str] | None = None) -> int:
    """Run the command `argv` (None: the program's own arguments) and return its exit status. Run as the program (the
    ``sim`` script, ``python -m sim``: `argv` None), a SIGTERM after the command has finished keeps its exit status
    (``after_finishing``); called from Python, the caller's SIGTERM handler is put back."""
    global _finished
    program = argv is None and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if threading.current_thread() is threading.main_thread() else None
    try:
        with outliving_readers() if program else contextlib.nullcontext() as streams:
            code = command(argv)
            if streams is not None:
                code = unwritten(streams, code)
    except Terminated as stop:  # landed as the command returned, before its status was kept
        code = stopped(stop)
    finally:
        if previous is not None and not program:
            signal.signal(signal.SIGTERM, previous)
    if program:
        _finished = code
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not where it is ignored (a background job)
            signal.signal(signal.SIGINT, _interrupted_while_exiting)
    return code


def command(argv: list[str] | None) -> int:
    """Parse and run one command, and return its exit status: every error a user can cause is one line here."""
    warnings.showwarning = show_warning
    with command_line():  # messages, the errors printed below included, name options as typed, e.g. --set
        try:
            args = parse(build_parser(), argv)
            with hashed_once():  # a part checked in several steps of a command (a resume's) is hashed once
                return int(args.execute(args) or 0)
        except InputError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        except (KeyboardInterrupt, Terminated) as stop:
            return stopped(stop)
        except Exception as error:  # an internal error, said plainly, but for a name too long: the user's path
            if isinstance(error, OSError) and error.errno == errno.ENAMETOOLONG:  # a file, --out..., checked before work
                print(f"error: {error.filename}: {error.strerror} for the file system (expected a path whose every "
                      "folder and file name is at most 255 bytes)", file=sys.stderr)
                return 2
            if (stop := interruption(error)) is not None:  # a Ctrl-C or SIGTERM that compiled code turned into an error
                return stopped(stop)
            if os.environ.get("SIM_DEBUG"):
                traceback.print_exc()
            print(f"internal error: {type(error).__name__}: {error} (set SIM_DEBUG=1 for the traceback)", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
