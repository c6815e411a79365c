"""`sim patterns --quick`: every row has a kind, a two-sided band and pass/fail; docs/ is left alone unless asked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import patterns
from sim.cli import main

INDEPENDENT_PATTERNS = {"isp_new_arrests", "isp_incarceration", "visits_reconviction", "visits_revocation",
                        "cosa_participants"}
# tuned to: the BJS curves and hazard shape, the VE terrorism rate, the ISP violation contrast, contact-prejudice
CALIBRATION_PATTERNS = {"bjs_arrest", "bjs_return_to_prison", "bjs_return_hazard_shape", "ve_terrorism_reoffence",
                        "isp_technical_violations", "contact_prejudice"}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("patterns") / "quick"
    before = patterns.DOCS.stat().st_mtime_ns
    assert main(["patterns", "--quick", "--workers", "1", "--out", str(out)]) == 0
    assert patterns.DOCS.stat().st_mtime_ns == before  # docs/VALIDATION.md is written only with --write-docs
    assert {"patterns.csv", "patterns.md", "validation_bjs.png", "validation_media.png", "manifest.json"} <= {
        p.name for p in out.iterdir()}
    return out, pd.read_csv(out / "patterns.csv")


def test_every_row_has_a_kind_a_band_and_an_interval(quick):
    _, table = quick
    assert set(table["kind"]) == {"independent test", "calibration target", "input check"}
    assert set(table.loc[table["kind"] == "independent test", "pattern"]) == INDEPENDENT_PATTERNS
    assert set(table.loc[table["kind"] == "calibration target", "pattern"]) == CALIBRATION_PATTERNS
    assert table["measured"].notna().all(), table[table["measured"].isna()]
    assert (table["low"] <= table["measured"] + 1e-9).all() and (table["measured"] <= table["high"] + 1e-9).all()
    assert table[["band", "contrast", "follow_up", "source"]].notna().all().all()


def test_a_row_passes_exactly_when_its_estimate_is_inside_the_band(quick):
    _, table = quick
    banded = table[table["pattern"] != "media_shock"]
    inside = (banded["band_low"] <= banded["measured"]) & (banded["measured"] <= banded["band_high"])
    assert (banded["passed"] == inside).all()
    isp = table[table["pattern"] == "isp_new_arrests"].iloc[0]
    assert (isp["band_low"], isp["band_high"]) == (0.9, 1.3)  # two-sided, from the published table


def test_headline_counts_only_independent_tests(quick):
    out, table = quick
    independent = table[table["kind"] == "independent test"]
    text = (out / "patterns.md").read_text()
    assert text.startswith(f"{int(independent['passed'].sum())} of {len(independent)} independent tests pass")
    assert ("**FAIL**" in text) == (not table["passed"].all())


@pytest.mark.parametrize("pattern", ["record_at_hiring", "media_shock"])
def test_input_checks_come_back_out(quick, pattern):
    _, table = quick
    rows = table[table["pattern"] == pattern]
    assert not rows.empty, f"no {pattern} row: the check was not run"  # .all() of no rows is True
    assert (rows["kind"] == "input check").all() and rows["passed"].all(), rows.to_string()


def test_published_effects_ship_with_the_package():
    effects = patterns.published_effects()
    assert effects["contact_prejudice"].band_low == -0.30 and effects["contact_prejudice"].band_high == -0.12
    assert effects["visits_revocation"].follow_up == "36-84"
    from sim.data import BJS_2005, PUBLISHED_EFFECTS, shipped

    assert shipped(BJS_2005).is_file() and shipped(PUBLISHED_EFFECTS).is_file()


def test_monthly_hazard_is_a_centred_moving_average():
    percent = 100 * (1 - np.exp(-0.1 * np.arange(6)))  # constant hazard 1 - e^-0.1 each month
    assert patterns.monthly_hazard(percent) == pytest.approx(np.full(5, 1 - np.exp(-0.1)))


def test_write_docs_needs_a_full_run(tmp_path, capsys):
    assert main(["patterns", "--quick", "--write-docs", "--out", str(tmp_path / "p")]) == 2
    assert "--write-docs" in capsys.readouterr().err and not (tmp_path / "p").exists()


def test_the_arms_of_a_pattern_differ_only_in_what_it_contrasts():
    from sim.levers import Policy

    settings = patterns.arm_settings(patterns.QUICK)
    # no family visits at all in "none": the policy-input lever, which restores missed visits, is off
    assert Policy.from_scenario(settings["no_visits"]).visits == 0
    assert Policy.from_scenario(settings["all_visited"]).visits == 1
    # the attack arm keeps attack_backlash's attack and drops its later policy change
    assert [event.kind for event in settings["attack"].events] == ["media_shock"]
    assert settings["quiet"].events == []
