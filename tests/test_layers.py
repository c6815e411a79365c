"""Dependencies run one way: scenarios -> model -> outcomes; experiments, commands, reports and the dashboard on top.

Read from the source's import statements (those inside functions too), so a late import cannot hide a dependency
the wrong way: an experiment that needs a lever's name in words must not have to load the dashboard to get it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import sim

PACKAGE = Path(sim.__file__).parent
CORE = ("sim.scenarios", "sim.agents", "sim.rules", "sim.world", "sim.model", "sim.outcomes", "sim.network",
        "sim.streams", "sim.draws", "sim.arrays", "sim.levers", "sim.objectives", "sim.schedule",
        "sim.compiled")
ON_TOP = ("sim.experiments", "sim.calibration", "sim.runner", "sim.analysis", "sim.report", "sim.patterns",
          "sim.commands", "sim.cli", "sim.dashboard")
FRONT_ENDS = ("sim.commands", "sim.cli", "sim.dashboard")  # only the command line reaches these
COMMAND_LINE = ("sim.commands", "sim.cli", "sim.__main__")


def under(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def imports() -> dict[str, set[str]]:
    """Each module of the package, with the ``sim`` modules it imports anywhere in its source."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(("sim", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[module] = {name for name in names if under(name, ("sim",))}
    return found


def test_the_model_core_imports_nothing_built_on_top_of_it():
    wrong = {module: sorted(name for name in names if under(name, ON_TOP))
             for module, names in imports().items() if under(module, CORE)}
    assert not {module: names for module, names in wrong.items() if names}


def test_only_the_command_line_imports_the_dashboard_and_the_commands():
    def wrong(module: str, name: str) -> bool:  # a front end's own modules import each other
        return under(name, FRONT_ENDS) and not under(name, (".".join(module.split(".")[:2]),))

    found = {module: sorted(name for name in names if wrong(module, name))
             for module, names in imports().items() if not under(module, COMMAND_LINE)}
    assert not {module: names for module, names in found.items() if names}
