"""Dependencies run one way: scenarios -> model -> outcomes; experiments, commands, reports and the dashboard on top.

Read from the source's import statements (those inside functions too), so a late import cannot hide a dependency
the wrong way: an experiment that needs a lever's name in words must not have to load the dashboard to get it.
What a module imports is followed to what that imports in turn, since loading the model loads all of it: a core
module that imported a helper which imported the comparisons passed when only direct imports were read. Every
module is placed in one of the three layers, so that a new one cannot fall outside the check.
"""

from __future__ import annotations

import ast
from pathlib import Path

import sim

PACKAGE = Path(sim.__file__).parent
CORE = ("sim.scenarios", "sim.agents", "sim.rules", "sim.world", "sim.model", "sim.outcomes", "sim.network",
        "sim.network_file", "sim.streams", "sim.draws", "sim.arrays", "sim.levers", "sim.objectives", "sim.schedule",
        "sim.compiled", "sim.curves", "sim.cost_columns", "sim.stats", "sim.units")
SHARED = ("sim", "sim.errors", "sim.money", "sim.counts", "sim.file_digests", "sim.colour_vision", "sim.browser",
          "sim.data", "sim.pace", "sim.headroom")
"""Plain helpers that know neither the model nor what is built on it (errors, money in words, count limits, file
digests, colours, the test browser, shipped data, the pace of a job of runs, the room a job's runs take), so either
side may import them."""
ON_TOP = ("sim.experiments", "sim.calibration", "sim.runner", "sim.analysis", "sim.report", "sim.patterns",
          "sim.commands", "sim.cli", "sim.__main__", "sim.dashboard", "sim.costs", "sim.figures", "sim.output",
          "sim.checked_read", "sim.job_size", "sim.provenance", "sim.folder_lock", "sim.own_files", "sim.report_folders")
FRONT_ENDS = ("sim.commands", "sim.cli", "sim.dashboard")  # only the command line reaches these
COMMAND_LINE = ("sim.commands", "sim.cli", "sim.__main__")


def under(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def layer(module: str) -> str | None:
    """The layer a module is placed in: the longest name that holds it (``sim`` itself holds only the package)."""
    placed = [(name, which) for which, names in (("core", CORE), ("shared", SHARED), ("on top", ON_TOP))
              for name in names if module == name or (name != "sim" and module.startswith(name + "."))]
    return max(placed, key=lambda p: len(p[0]))[1] if placed else None


def modules() -> dict[str, Path]:
    return {".".join(("sim", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__"): path
            for path in PACKAGE.rglob("*.py")}


def imports() -> dict[str, set[str]]:
    """Each module of the package, with the ``sim`` modules it imports anywhere in its source: ``from sim import
    network`` imports ``sim.network``, and a module's packages (``sim.rules`` for ``sim.rules.custody``) load with it."""
    known = modules()
    found = {}
    for module, path in known.items():
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names
                             if f"{node.module}.{alias.name}" in known)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        names |= {".".join(name.split(".")[:end]) for name in set(names) for end in range(2, name.count(".") + 1)}
        found[module] = {name for name in names if under(name, ("sim",)) and name != module}
    return found


def reached(start: str, graph: dict[str, set[str]]) -> set[str]:
    """Every module loading `start` may load, through the modules it imports and theirs."""
    seen, todo = set(), [start]
    while todo:
        for name in graph.get(todo.pop(), ()):
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def test_every_module_is_placed_in_a_layer():
    assert not sorted(module for module in modules() if layer(module) is None)


def test_the_model_core_reaches_nothing_built_on_top_of_it():
    graph = imports()
    wrong = {module: sorted(name for name in reached(module, graph) if layer(name) == "on top")
             for module in graph if layer(module) == "core"}
    assert not {module: names for module, names in wrong.items() if names}


def test_the_shared_helpers_import_neither_side():
    graph = imports()
    wrong = {module: sorted(name for name in names if layer(name) != "shared")
             for module, names in graph.items() if layer(module) == "shared"}
    assert not {module: names for module, names in wrong.items() if names}


def test_only_the_command_line_imports_the_dashboard_and_the_commands():
    def wrong(module: str, name: str) -> bool:  # a front end's own modules import each other
        return under(name, FRONT_ENDS) and not under(name, (".".join(module.split(".")[:2]),))

    found = {module: sorted(name for name in names if wrong(module, name))
             for module, names in imports().items() if not under(module, COMMAND_LINE)}
    assert not {module: names for module, names in found.items() if names}
