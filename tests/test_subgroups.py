"""sim compare --by: differences within subgroups of people, paired by replicate."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments import compare

TINY = {"population.community": 300, "population.released": 80, "weeks": 56}


@pytest.fixture(scope="module")
def mixed():
    return compare(["baseline", "ngo_surge"], replicates=3, seed=2, by="offence_type",
                   overrides={**TINY, "population.violent_extremist_share": 0.5})


def test_one_group_gives_the_whole_cohort_numbers():
    whole = compare(["baseline", "ngo_surge"], replicates=3, seed=2, by="offence_type", overrides=TINY)
    groups = whole.subgroups
    assert set(groups["subgroup"]) == {"violent_extremist"}  # the baseline cohort is all violent extremists
    cohort = whole.table[whole.table["clock"] == "weeks_since_release"]
    merged = groups.merge(cohort, on=["scenario", "metric", "week"], suffixes=("", "_cohort"))
    assert len(merged) == len(cohort)
    for column in ("mean", "difference", "diff_low", "diff_high"):
        pd.testing.assert_series_equal(merged[column], merged[f"{column}_cohort"], check_names=False)


def test_each_group_has_its_own_paired_differences(mixed):
    groups = mixed.subgroups
    assert set(groups["subgroup"]) == {"violent_extremist", "general"}
    other = groups[groups["scenario"] == "ngo_surge"]
    assert (other["replicates"] == 3).all()
    assert (other["diff_low"] <= other["difference"]).all() and (other["difference"] <= other["diff_high"]).all()
    general = groups.query("subgroup == 'general' and metric == 'reoffended' and scenario == 'baseline' and week == 52")
    extremist = groups.query("subgroup == 'violent_extremist' and metric == 'reoffended' and scenario == 'baseline' and week == 52")
    assert general["mean"].item() > extremist["mean"].item()  # general offenders reoffend far more often
    assert "## By offence_type" in mixed.markdown()


def test_by_writes_subgroups_csv(mixed, tmp_path):
    mixed.save(tmp_path / "out", figures=False)
    assert len(pd.read_csv(tmp_path / "out" / "subgroups.csv")) == len(mixed.subgroups)


def test_unknown_subgroup_exits_2_before_running(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["compare", "baseline", "ngo_surge", "--by", "star_sign", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--by" in err and "offence_type" in err
    assert not out.exists()
