"""`sim patterns --quick`: every validation pattern runs and reports; the ones the model already shows pass."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.cli import main

MUST_PASS = ("intensive supervision", "circles of support / mentoring", "criminal record at hiring", "media shock")
ALL = ("general time to rearrest", "return to prison shape", "violent-extremist reoffending", *MUST_PASS,
       "prison visits / family ties", "contact and prejudice")


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    out = tmp_path_factory.mktemp("patterns") / "quick"
    assert main(["patterns", "--quick", "--out", str(out)]) == 0
    assert {"patterns.csv", "patterns.md", "validation_bjs.png", "validation_media.png", "manifest.json"} <= {
        p.name for p in out.iterdir()}
    return pd.read_csv(out / "patterns.csv")


def test_every_pattern_ran_with_an_interval_around_its_measure(table):
    assert set(table["pattern"]) == set(ALL)
    assert {"measure", "measured", "low", "high", "published", "criterion", "passed", "source"} <= set(table.columns)
    measured = table.dropna(subset=["measured"])
    assert len(measured) == len(table), table[table["measured"].isna()]
    assert (measured["low"] <= measured["measured"] + 1e-9).all() and (measured["measured"] <= measured["high"] + 1e-9).all()


@pytest.mark.parametrize("pattern", MUST_PASS)
def test_patterns_the_model_already_shows_pass(table, pattern):
    rows = table[table["pattern"] == pattern]
    assert rows["passed"].all(), rows[["measure", "measured", "low", "high", "criterion"]].to_string()
