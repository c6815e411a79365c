"""Every command the README and docs/ tell a user to run exists: its program is installed (in the
project's environment, or a make target of the Makefile, or a `sim` subcommand with those options,
long or short), a `python -m` module imports, a `python SCRIPT.py` script exists and defines the
options shown, a `pip install -e ".[extra]"` names an extra of pyproject.toml, a scenario named by
`sim` is shipped and an experiment is shipped or a file of the repository. In ```python blocks, every
function or module of `sim` that a snippet imports or calls (`ex.compare(`, `analysis.load(`) exists;
the snippets are not run (they take minutes), so arguments and results are not checked here. An inline name
that starts with a weekly rule's module (`referral.refer`) or with `Policy.` names a rule, a scenario key or
section (`supervision.strictness`) or a policy setting that exists.

Commands are read from ```bash / ```sh / ```console blocks and from inline code that starts with
`sim `, `make `, `.venv/bin/`, `python `, `jupyter `, `papermill ` or `pytest `. Placeholders in
capitals (DIR, EXPERIMENT), results and the reader's own files are not checked: only what would fail
as "command not found", "unrecognized arguments" or "unknown scenario".
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import pkgutil
import re
import shlex
import sys
import tomllib
import typing
from pathlib import Path

import pytest

import sim.rules
from sim.cli import build_parser
from sim.errors import InputError
from sim.levers import Policy
from sim.scenarios.fields import model_at, resolve_key

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = Path(sys.executable).parent  # the project's environment (.venv/bin when run as the docs say)
INLINE = re.compile(r"`((?:sim|make|\.venv/bin/\S+|python|jupyter|papermill|pytest) [^`]+)`")
SHELL_BUILTINS = {"cd", "export", "source"}
SYSTEM = {"git", "apt-get", "sudo"}  # outside the project's environment: only checked to be spelt as expected
SHOWN_TYPOS = {"baselin"}  # README shows `sim run baselin` to show the "did you mean" answer
TAKES_SCENARIOS = {"run", "compare", "validate", "robustness", "optimise", "calibrate"}
TAKES_EXPERIMENT = {"sweep", "sensitivity"}


def documented_commands() -> list[tuple[str, str]]:
    """(where, command) for every command line the docs show."""
    found = []
    for path in DOCS:
        text = path.read_text()
        for lang, block in re.findall(r"```(\w*)\n(.*?)```", text, re.S):
            if lang in ("bash", "sh", "shell", "console"):
                for line in block.splitlines():
                    line = re.sub(r"(^|\s)#.*$", "", line.strip().removeprefix("$ ")).strip()
                    if line:
                        found.append((path.name, line))
        prose = re.sub(r"```.*?```", "", text, flags=re.S).replace("\n", " ")
        found += [(path.name, command) for command in INLINE.findall(prose)]
    return found


COMMANDS = documented_commands()


def words(command: str) -> list[str]:
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


@functools.cache
def make_targets() -> set[str]:
    return set(re.findall(r"^([\w.-]+):", (ROOT / "Makefile").read_text(), re.M))


def extras() -> set[str]:
    return set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"])


@functools.cache
def sim_options() -> dict[str, set[str]]:
    """Each sim subcommand and the options it accepts."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {name: set(p._option_string_actions) for name, p in sub.choices.items()} | {"": set(parser._option_string_actions)}


def problem(command: str) -> str | None:
    """Why the documented command would not run, or None."""
    argv = words(command)
    program = argv[0]
    if program in SHELL_BUILTINS:
        if program == "source" and argv[1].startswith(".venv/bin/"):
            return None if (BIN / Path(argv[1]).name).exists() else f"no {argv[1]}"
        return None
    if program == "make":
        missing = [t for t in argv[1:] if not t.startswith("-") and "=" not in t and t not in make_targets()]
        return f"no make target {missing}" if missing else None
    if program in SYSTEM:
        return None
    name = Path(program).name if program.startswith(".venv/bin/") else program
    if name in ("pip", "python") or name.startswith("python3"):
        return python_problem(name, argv[1:])
    if name == "sim":
        return sim_problem(argv[1:])
    if name == "jupyter" and len(argv) > 1:
        name = f"jupyter-{argv[1]}"
    return None if (BIN / name).exists() else f"{name} is not installed in {BIN.name}/"


def python_problem(name: str, args: list[str]) -> str | None:
    if name == "pip":
        if not (BIN / "pip").exists():
            return "pip is not installed"
        for arg in args:
            extra = re.fullmatch(r"\.\[([\w,-]+)\]", arg)
            if extra and not set(extra.group(1).split(",")) <= extras():
                return f"no extra {extra.group(1)} in pyproject.toml"
        return None
    if "-m" in args:
        module = args[args.index("-m") + 1]
        return None if importlib.util.find_spec(module) else f"no module {module}"
    if args and args[0].endswith(".py"):
        script = ROOT / args[0]
        if not script.is_file():
            return f"no script {args[0]}"
        source = script.read_text()
        flags = [a.strip("[]").split("=")[0] for a in args[1:] if a.strip("[]").startswith("--")]
        unknown = [f for f in flags if f'"{f}"' not in source]
        return f"{args[0]} has no option {unknown}" if unknown else None
    return None


@functools.cache
def shipped_scenarios() -> set[str]:
    return {p.stem for p in (ROOT / "sim" / "scenarios").glob("*.yaml")}


def sim_problem(args: list[str]) -> str | None:
    options = sim_options()
    subcommand = next((a for a in args if not a.startswith("-")), "")
    if subcommand and subcommand not in options:
        return f"no sim subcommand {subcommand!r}"
    flags = [a.split("=")[0] for a in args if a.startswith("-")]
    unknown = [f for f in flags if f not in options[subcommand]]
    if unknown:
        return f"sim {subcommand} has no option {unknown}"
    parser = next(a for a in build_parser()._actions if a.dest == "command").choices.get(subcommand)
    positional, rest = [], args[args.index(subcommand) + 1:] if subcommand else []
    while rest:
        word = rest.pop(0)
        action = parser._option_string_actions.get(word.split("=")[0]) if word.startswith("-") else None
        if action is not None:
            if action.nargs != 0 and "=" not in word and rest:
                rest.pop(0)  # the option's value
        elif not word.startswith("-"):
            positional.append(word)
    plain = [w for w in positional if re.fullmatch(r"[a-z][a-z0-9_]*", w)]  # a name, not a path, DIR or ...
    if subcommand in TAKES_SCENARIOS:
        unknown = [w for w in plain if w not in shipped_scenarios() | SHOWN_TYPOS]
        return f"sim {subcommand}: no shipped scenario {unknown}" if unknown else None
    if subcommand in TAKES_EXPERIMENT:
        missing = [w for w in positional if (w in plain and not (ROOT / "experiments" / f"{w}.yaml").exists())
                   or (w.startswith("experiments/") and not (ROOT / w).exists())]
        return f"sim {subcommand}: no experiment {missing}" if missing else None
    return None


def python_names(text: str) -> list[tuple[str, str]]:
    """(module, name) for every `from sim... import name` and `alias.name` of a sim module in the python blocks
    of one document, in order (a block may use an alias imported by an earlier one)."""
    aliases, found = {}, []
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        code = re.sub(r"#.*", "", block)
        for module, alias in re.findall(r"^\s*import (sim[\w.]*)(?: as (\w+))?", code, re.M):
            aliases[alias or module] = module
        for module, names in re.findall(r"^\s*from (sim[\w.]*) import ([\w, ]+)", code, re.M):
            for name in (n.strip() for n in names.split(",")):
                found.append((module, name))
                aliases[name] = f"{module}.{name}"
        for alias, name in re.findall(r"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*?)\.([A-Za-z_]\w*)\(", code):
            if alias in aliases:
                found.append((aliases[alias], name))
    return found


PYTHON_NAMES = [(path.name, module, name) for path in DOCS for module, name in python_names(path.read_text())]


def is_module(name: str) -> bool:
    """Whether ``name`` is an importable module (False, not an error, below a module that is not a package)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def python_name_problem(module: str, name: str) -> str | None:
    """Why `module.name` (a module or an attribute of one) does not exist, or None."""
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        if is_module(".".join(parts[:i])):
            obj = importlib.import_module(".".join(parts[:i]))
            for attr in [*parts[i:], name]:
                if hasattr(obj, attr):
                    obj = getattr(obj, attr)
                elif is_module(f"{obj.__name__}.{attr}"):
                    obj = importlib.import_module(f"{obj.__name__}.{attr}")
                else:
                    return f"{module} has no {name}"
            return None
    return f"no module {module}"


@pytest.mark.parametrize(("where", "module", "name"), PYTHON_NAMES, ids=[f"{w}:{m}.{n}" for w, m, n in PYTHON_NAMES])
def test_every_documented_python_name_exists(where, module, name):
    assert python_name_problem(module, name) is None, f"{where}: {module}.{name}: {python_name_problem(module, name)}"


def test_a_python_name_that_does_not_exist_is_caught():
    text = "```python\nimport sim.experiments as ex\nex.no_such_function(1)\n```\n```python\nfrom sim import no_such\n```\n"
    assert [python_name_problem(m, n) for m, n in python_names(text)] == [
        "sim.experiments has no no_such_function", "sim has no no_such"]


RULE_MODULES = {module.name for module in pkgutil.iter_modules(sim.rules.__path__)}
DOTTED = re.compile(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\(\))?`")
FILE_ENDINGS = {"csv", "md", "parquet", "png", "py", "yaml", "json"}


def rule_and_policy_names(text: str) -> list[str]:
    """Inline names of a weekly rule (`referral.refer`, `reintegration.family.bond_at_release`) or of a policy
    setting (`Policy.independence`); a scenario key that starts with a rule's name (`supervision.strictness`) is
    one too, and file names are not."""
    return [name for name in DOTTED.findall(text)
            if name.split(".")[0] in RULE_MODULES | {"Policy"} and name.rpartition(".")[2] not in FILE_ENDINGS]


def rule_or_policy_problem(name: str) -> str | None:
    """Why a documented rule, policy setting or scenario key does not exist, or None."""
    parts = tuple(name.split("."))
    if parts[0] == "Policy":
        known = len(parts) == 2 and (parts[1] in typing.get_type_hints(Policy) or hasattr(Policy, parts[1]))
        return None if known else f"Policy has no {'.'.join(parts[1:])}"
    if model_at(parts) is not None:  # a section of the scenario, e.g. `offending.general`
        return None
    try:
        resolve_key(name)
        return None
    except InputError:
        pass
    module, _, attribute = name.rpartition(".")
    if python_name_problem(f"sim.rules.{module}", attribute) is None:
        return None
    return f"no rule sim.rules.{name} and no scenario key {name}"


RULE_NAMES = sorted({(path.name, name) for path in DOCS for name in rule_and_policy_names(path.read_text())})


@pytest.mark.parametrize(("where", "name"), RULE_NAMES, ids=[f"{w}:{n}" for w, n in RULE_NAMES])
def test_every_rule_and_policy_setting_the_docs_name_exists(where, name):
    assert rule_or_policy_problem(name) is None, f"{where}: {rule_or_policy_problem(name)}"


def test_a_rule_or_policy_setting_that_does_not_exist_is_caught():
    text = ("acceptance in `referral.accept`, `Policy.no_such`; fine: `referral.refer`, `supervision.strictness`, "
            "`offending.violent_extremist`, `Policy.independence`, `events.parquet`")
    assert [rule_or_policy_problem(name) for name in rule_and_policy_names(text)] == [
        "no rule sim.rules.referral.accept and no scenario key referral.accept", "Policy has no no_such",
        None, None, None, None]


def test_the_docs_show_commands_to_check():
    assert len(COMMANDS) >= 30
    assert any(c.startswith("make notebooks") for _, c in COMMANDS)


@pytest.mark.parametrize(("where", "command"), COMMANDS, ids=[f"{w}:{c[:50]}" for w, c in COMMANDS])
def test_every_documented_command_exists(where, command):
    assert problem(command) is None, f"{where}: `{command}`: {problem(command)}"


@pytest.mark.parametrize(("command", "expected"), [
    (".venv/bin/no-such-tool notebooks/", "no-such-tool is not installed"),
    ("make no_such_target", "no make target"),
    ("sim fly", "no sim subcommand"),
    ("sim run baseline --no-such-option 3", "has no option ['--no-such-option']"),
    ('.venv/bin/pip install -e ".[no_such_extra]"', "no extra"),
    (".venv/bin/python -m no_such_module", "no module"),
    ("sim run baseline -x 3", "has no option ['-x']"),
    ("python benchmarks/no_such_benchmark.py", "no script"),
    ("python benchmarks/step_throughput.py [--no-such-option]", "has no option ['--no-such-option']"),
    ("sim compare baseline ngo_surj -r 10", "no shipped scenario ['ngo_surj']"),
    ("sim sweep experiments/no_such.yaml --out DIR", "no experiment"),
    ("sim sensitivity no_such_experiment --out DIR", "no experiment"),
])
def test_a_command_that_does_not_exist_is_caught(command, expected):
    assert expected in (problem(command) or "")


@pytest.mark.parametrize("command", [
    "sim run baseline strict_supervision -r 12 --out results/strict",
    "sim validate my_scenario.yaml",
    "sim sweep stigma_supervision_ngo --set population.community=500 --replicates 1 --out results/try",
    "sim robustness A B [C...]",
    "python benchmarks/step_throughput.py [--cpu]",
])
def test_a_command_that_exists_is_not_flagged(command):
    assert problem(command) is None


def tour() -> str:
    """The README's tour of the commands: the text of its bash block."""
    readme = (ROOT / "README.md").read_text()
    return readme.split("## A tour of the commands", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]


def tour_lines() -> list[tuple[str, str]]:
    """(command, comment) for each `sim` line of the tour; comment lines under a command belong to it."""
    found = []
    for line in tour().splitlines():
        if line.startswith("sim "):
            command, _, comment = line.partition("  #")
            found.append((command.strip(), comment))
        elif line.strip().startswith("#") and found:
            found[-1] = (found[-1][0], f"{found[-1][1]} {line.strip()}")
    return found


def test_the_tour_calibrates_within_minutes():
    """The tour's `sim calibrate` line ran the default --budget of 500 (468 runs, 12 minutes on a shared 2-core machine)
    in a five-minute tour. It now asks for a budget of at most 150 runs, a few minutes, and the README says both times."""
    from sim.calibration.fit import plan
    from sim.calibration.objective import parse_parameters
    from sim.scenarios import load_scenario

    (line,) = [command for command, _ in tour_lines() if command.startswith("sim calibrate ")]
    args = build_parser().parse_args(words(line)[1:])
    free = parse_parameters(args.params, load_scenario(args.scenario))
    _, runs = plan(args.budget, len(free), args.replicates, args.check_replicates, args.popsize, args.scan_points)
    assert runs <= 150, line
    assert f"--budget {args.budget} ({runs} runs" in tour() and "the default 500 (468 runs)" in tour()


def test_the_tour_says_how_many_runs_and_how_long_each_line_that_runs_the_model_takes():
    """The README called its tour "five-minute" while its sensitivity line alone planned 3,072 runs (half an hour on the
    shared 2-core machine) and its sweep, patterns and calibration took minutes more. The heading promises no duration
    now; each line that runs the model says its runs, counted as the command plans them, and its measured time."""
    from sim.experiments.experiment import load_experiment
    from sim.job_size import check_design

    counted = 0
    for command, comment in tour_lines():
        if words(command)[1].startswith("-"):  # sim --version
            continue
        args = build_parser().parse_args(words(command)[1:])
        if args.command in ("run", "compare"):
            runs = len(args.scenarios) * args.replicates
        elif args.command in ("sweep", "sensitivity"):
            experiment = load_experiment(ROOT / args.experiment, replicates=args.replicates, samples=args.samples)
            runs = check_design(experiment.spec.design, experiment.replicates)
        elif args.command not in ("patterns", "calibrate"):  # calibrate's runs: the test above
            continue
        else:
            runs = None
        if runs is not None:
            assert f"{runs:,} runs" in comment, (command, runs)
            counted += 1
        assert re.search(r"\b\d+(\.\d+)? (s|min)\b", comment), f"no measured time: {command}"
    assert counted >= 5 and "five-minute" not in (ROOT / "README.md").read_text()
