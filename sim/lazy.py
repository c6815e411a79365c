"""Package exports loaded on first use (PEP 562).

``sim.calibration`` and ``sim.experiments`` re-export their main functions; importing them eagerly
would load the model, scipy and Dask whenever any small module of the package is read — for example
by the command line, which must answer ``--help`` and refuse bad input at once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, homes: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``package.homes[name]`` when ``name`` is first read."""

    def attribute(name: str) -> Any:
        if name in homes:
            return getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return attribute
