"""The objectives table (sim.objectives) covers every lever once, names outputs a run writes, and is the one that
docs/OBJECTIVES.md and the analysts' lever tables show. Whether the model moves them as it says: test_directions.py."""

from __future__ import annotations

import re
from pathlib import Path

from sim import analysis
from sim.figures import LABELS
from sim.objectives import BETTER, OBJECTIVES
from sim.scenarios.settings import LEVERS

DOC = Path(__file__).parents[1] / "docs" / "OBJECTIVES.md"
ARROW = {"higher": "↑", "lower": "↓"}


def test_every_lever_has_one_objective_in_the_briefs_order():
    assert sorted(objective.lever for objective in OBJECTIVES) == sorted(LEVERS)
    assert [objective.number for objective in OBJECTIVES] == list(range(1, len(LEVERS) + 1))


def test_each_side_shows_in_an_output_a_run_writes_with_a_better_direction():
    for objective in OBJECTIVES:
        for side in ("opportunity", "challenge"):
            metric = getattr(objective, f"{side}_metric")
            assert metric in LABELS and metric in BETTER, (objective.lever, side, metric)
        # the lever moves its opportunity the better way and its challenge the worse way
        assert objective.moves("opportunity") == objective.opportunity_better
        assert objective.moves("challenge") != objective.challenge_better


def test_the_docs_bold_outputs_are_the_tables():
    """Each row of docs/OBJECTIVES.md names in bold, on each side of its 'visible in' column, the table's output and
    the way the lever moves it."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 5 and cells[0].isdigit():
            sides = cells[4].split(" / ")
            rows[cells[1].strip("`")] = [re.findall(r"\*\*`(\w+)` ([↑↓])\*\*", side) for side in sides]
    assert list(rows) == [objective.lever for objective in OBJECTIVES]
    for objective in OBJECTIVES:
        expected = [[(getattr(objective, f"{side}_metric"), ARROW[objective.moves(side)])]
                    for side in ("opportunity", "challenge")]
        assert rows[objective.lever] == expected, objective.lever


def test_the_analysts_table_is_the_objectives_table():
    table = analysis.OBJECTIVES
    assert list(table["lever"]) == [objective.lever for objective in OBJECTIVES]
    for row, objective in zip(table.itertuples(), OBJECTIVES, strict=True):
        for column in analysis.OBJECTIVE_COLUMNS:
            assert getattr(row, column) == getattr(objective, column), (objective.lever, column)
