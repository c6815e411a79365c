"""docs/ODD.md names what the code has: every parameter, code object, Policy quantity and world-building stream it
names exists, and section 3 gives the weekly rules in the schedule's order.

tests/test_core.py checks that every scheduled rule is named and every ``sim.rules`` function named exists;
tests/test_parameters_doc.py that section 7 writes Policy quantities apart from the parameters they are built from.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

from sim.levers import Policy
from sim.model import ReintegrationModel
from sim.scenarios.fields import parameters
from sim.scenarios.safe_yaml import dotted
from sim.schedule import SCHEDULE, rule_name

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / "docs" / "ODD.md"
LEAVES = {dotted(path) for path, _, _ in parameters()}
SECTIONS = {key.split(".")[0] for key in LEAVES}


def odd_text(path: Path = ODD) -> str:
    return path.read_text(encoding="utf-8")


def code_spans(text: str) -> list[str]:
    """Code spans as Markdown reads them: a span may wrap onto the next line (read as a space), not across a
    paragraph."""
    return [re.sub(r"\s*\n\s*", " ", span) for span in re.findall(r"`((?:[^`\n]|\n(?!\s*\n))+)`", text)]


def section(text: str, number: int) -> str:
    start = text.index(f"## {number}. ")
    end = text.find(f"## {number + 1}. ", start)
    return text[start:end if end >= 0 else None]


def parameter_names(text: str) -> set[str]:
    """Dotted names in code spans whose first part is a scenario section (``supervision.strictness``), wildcards kept."""
    names = set()
    for span in code_spans(text):
        for name in re.findall(r"(?<![\w./])([a-z_]+(?:\.[a-z_*]+)+)(?![\w/])", span):
            if name.split(".")[0] in SECTIONS:
                names.add(name)
    return names


def unknown_parameters(text: str) -> list[str]:
    """Names that are neither a parameter nor a group of them (``offending.violent_extremist``, ``lever_effects.*``)."""
    unknown = []
    for name in sorted(parameter_names(text)):
        pattern = re.compile(re.escape(name).replace(r"\*", r"[a-z_]*") + r"(\..+)?")
        if not any(pattern.fullmatch(leaf) for leaf in LEAVES):
            unknown.append(name)
    return unknown


def test_every_parameter_the_odd_names_is_in_the_schema():
    assert unknown_parameters(odd_text()) == []


def test_every_code_object_the_odd_names_exists():
    """``sim.<module>[.<name>]`` and ``ReintegrationModel.<name>`` resolve (a renamed function fails here)."""
    named = 0
    for span in code_spans(odd_text()):
        for path in re.findall(r"(?<![\w.])(sim(?:\.\w+)+)", span):
            parts = path.split(".")
            for split in range(len(parts), 0, -1):  # the longest importable module, then attributes
                try:
                    target = importlib.import_module(".".join(parts[:split]))
                except ModuleNotFoundError:
                    continue
                for attribute in parts[split:]:
                    assert hasattr(target, attribute), f"docs/ODD.md names {path}, which does not exist"
                    target = getattr(target, attribute)
                named += 1
                break
            else:
                raise AssertionError(f"docs/ODD.md names {path}: no such module")
        for attribute in re.findall(r"ReintegrationModel\.(\w+)", span):
            assert hasattr(ReintegrationModel, attribute), f"docs/ODD.md names ReintegrationModel.{attribute}"
    assert named > len(SCHEDULE)


def test_every_policy_quantity_the_odd_names_exists():
    fields = {field.name for field in dataclasses.fields(Policy)}
    names = set(re.findall(r"Policy\.(\w+)", odd_text()))
    assert names and names <= fields, sorted(names - fields)


def test_the_world_streams_the_odd_names_are_the_ones_the_world_is_built_from():
    """Section 4 lists the world-building streams: each is drawn from, and every one drawn from is listed."""
    named = {name for span in code_spans(section(odd_text(), 4)) for name in re.findall(r"^world\.\w+$", span)}
    model = ReintegrationModel("baseline", rng=1, population__community=300, population__released=30, weeks=1)
    built = {name for name in model.streams.generators if name.startswith("world.")}
    assert named == built


def test_section_3_gives_the_weekly_rules_in_the_schedules_order():
    scheduled = [f"sim.rules.{rule_name(rule)}" for rule in SCHEDULE]
    named = [name for name in re.findall(r"`(sim\.rules\.[\w.]+)`", section(odd_text(), 3)) if name in scheduled]
    assert list(dict.fromkeys(named)) == scheduled


def test_a_parameter_in_a_code_span_wrapped_onto_the_next_line_is_checked():
    """A span may wrap in ODD.md: its names are read whole, and the text between two spans is not read as one."""
    text = "chance `supervision.detectable ·\n  supervision.no_such_thing` then `effects.job_finding`"
    assert unknown_parameters(text) == ["supervision.no_such_thing"]
