"""sim compare --by: differences within subgroups of people, paired by replicate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.experiments import compare
from sim.experiments.subgroups import SUBGROUPS
from sim.runner import run
from sim.units import percent

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
    known = other.dropna(subset=["diff_low"])  # none where the difference is the same in every replicate
    assert (known["diff_low"] <= known["difference"]).all() and (known["difference"] <= known["diff_high"]).all()
    assert len(known) and not other.loc[other["diff_low"].isna(), "difference"].isna().any()
    general = groups.query("subgroup == 'general' and metric == 'reoffended' and scenario == 'baseline' and week == 52")
    extremist = groups.query("subgroup == 'violent_extremist' and metric == 'reoffended' and scenario == 'baseline' and week == 52")
    assert general["mean"].item() > extremist["mean"].item()  # general offenders reoffend far more often
    assert "## By offence type" in mixed.markdown()


def test_by_writes_subgroups_csv(mixed, tmp_path):
    mixed.save(tmp_path / "out", figures=False)
    written = pd.read_csv(tmp_path / "out" / "subgroups.csv")
    pd.testing.assert_frame_equal(written, mixed.subgroups.reset_index(drop=True), check_dtype=False)  # every value


def test_each_group_says_how_many_people_it_holds_and_a_small_one_is_flagged():
    """Eight general offenders among eighty: their share moves 12 points with each person. Shown as a bare '+12.5
    points' beside a group of 72, a reader takes it for a rate; each group now says its size, a small one says so."""
    few = compare(["baseline", "ngo_surge"], replicates=2, seed=2, by="offence_type",
                  overrides={**TINY, "population.violent_extremist_share": 0.9})
    released = few.runs.events[few.runs.events["followup"] > 0]
    expected = released.groupby(["scenario", "offence_type"]).size() / 2
    table = few.subgroups.drop_duplicates(["scenario", "subgroup"]).set_index(["scenario", "subgroup"])["people"]
    pd.testing.assert_series_equal(table.sort_index(), expected.sort_index().astype(float), check_names=False)
    general = expected[("baseline", "general")]
    assert 0 < general < 30
    section = few.markdown().split("## By offence type")[1].split("##")[0]
    sizes = {line.split(":")[0]: line for line in section.splitlines() if "people per replicate" in line}
    assert sizes["- general (general offenders)"].startswith(
        f"- general (general offenders): {general:g} people per replicate in every scenario; a small group: one person "
        f"is {100 / general:.0f} points of its share or more")
    assert "small group" not in sizes["- violent_extremist (violent-extremist offenders)"]
    assert set(few.subgroups["same_people"]) == {1.0}  # fixed at conviction: the same people in both scenarios
    assert "moves people" not in section


def test_a_group_the_policy_fills_with_other_people_says_how_many_stay():
    """Better assessment (full cooperation) re-ranks people: a risk tier of 20 in both scenarios holds partly other
    people, so its difference is partly one of who is in it. The equal sizes alone would read as the same group."""
    moved = compare(["baseline", "full_cooperation"], replicates=2, seed=2, by="risk_tier", overrides=TINY)
    events = moved.runs.events[moved.runs.events["followup"] > 0].set_index(["replicate", "person"])
    base = events.loc[events["scenario"] == "baseline", "risk_tier"]
    own = events.loc[events["scenario"] == "full_cooperation", "risk_tier"]
    q2 = own[own == "Q2"]
    expected = float((base.reindex(q2.index) == "Q2").mean())
    table = moved.subgroups.query("subgroup == 'Q2' and scenario == 'full_cooperation'")
    assert set(table["same_people"]) == {expected} and expected < 0.95
    assert set(moved.subgroups.query("scenario == 'baseline'")["same_people"]) == {1.0}
    (line,) = [line for line in moved.markdown().splitlines() if line.startswith("- Q2") and "people per" in line]
    assert f"of the people in it in Full cooperation, {percent(expected, 0)} are in it in Baseline too: the policy " \
        "moves people between groups" in line


def test_unknown_subgroup_exits_2_before_running(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["compare", "baseline", "ngo_surge", "--by", "star_sign", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--by" in err and all(name in err for name in ("offence_type", "risk_tier", "ngo_enrolled", "supervision_level"))
    assert not out.exists()


@pytest.fixture(scope="module")
def events():
    """Two replicates of baseline and ngo_surge, a few people still in prison at the horizon."""
    return run(["baseline", "ngo_surge"], replicates=2, seed=5,
               overrides={**TINY, "weeks": 20, "release.window_weeks": 30}).events


def test_a_scenario_with_another_cohort_is_not_said_to_move_people_between_groups(events):
    """A scenario releasing other people (a smaller cohort) has groups of another size, but that says nothing of the
    policy moving people: person numbers cannot be matched, so no share is given and no such claim made."""
    from sim.curves import CURVE_WORDS
    from sim.experiments.subgroups import subgroup_lines, subgroup_table

    fewer = events[(events["scenario"] == "baseline") | (events["person"] % 4 > 0)]  # ngo_surge: 3 in 4 of the people
    table = subgroup_table(fewer, "offence_type", ["baseline", "ngo_surge"], (13, 20))
    assert table.loc[table["scenario"] == "ngo_surge", "same_people"].isna().all()
    (size,) = [line for line in subgroup_lines(table, CURVE_WORDS, 2) if "people per replicate" in line]
    assert "in ngo_surge" in size and "moves people" not in size


def test_a_group_only_one_scenario_has_people_in_is_said_to_have_nothing_to_compare(events):
    """`sim compare baseline ngo_absent --by ngo_enrolled` said of the enrolled '138 people per replicate in every
    scenario' (No NGOs has none), and a group absent from the reference's cohort (`general_offenders` against
    `high_stigma` by `offence_type`) read 'nan% → 2.9%, cannot tell without an interval: n/a'."""
    from sim.curves import CURVE_WORDS
    from sim.experiments.subgroups import subgroup_lines, subgroup_table

    general = events.assign(offence_type=np.where(events["scenario"] == "baseline", "general", "violent_extremist"))
    table = subgroup_table(general, "offence_type", ["baseline", "ngo_surge"], (13, 20))
    lines = subgroup_lines(table, CURVE_WORDS, 2)
    assert len(lines) == 2 and not any("nan%" in line or "n/a" in line for line in lines), lines
    plain, extremist = sorted(lines)  # general (general offenders) ..., violent_extremist (...) ...
    assert plain.startswith("general (general offenders): ") and ", 0 in ngo_surge" in plain, plain
    assert extremist.startswith("violent_extremist ") and ": 0 people per replicate in baseline, " in extremist, extremist
    for line in lines:
        assert line.endswith("; only one scenario has anybody in it, so there is nothing to compare it with."), line
        assert "every scenario" not in line and "followed 20 weeks" not in line, line


@pytest.mark.parametrize("by", ["risk_tier", "ngo_enrolled", "supervision_level"])
def test_each_subgroup_column_partitions_the_cohort(events, by):
    released = events["followup"] > 0
    assert (~released).any() and released.any()
    for _, run_events in events.groupby(["scenario", "replicate"]):
        groups = run_events.loc[run_events["followup"] > 0, by]
        assert groups.notna().all() and set(groups) <= set(SUBGROUPS[by])  # every released person in exactly one group
    if by != "ngo_enrolled":
        assert (events.loc[~released, by] == "unreleased").all()


def test_risk_tiers_are_quartiles_of_assessed_risk_at_release(events):
    released = events[events["followup"] > 0]
    for _, people in released.groupby(["scenario", "replicate"]):
        sizes = people["risk_tier"].value_counts()
        assert sizes.max() - sizes.min() <= 1  # four equal quarters
        highest = people.groupby("risk_tier")["assessed_risk"].agg(["min", "max"]).loc[list(SUBGROUPS["risk_tier"])]
        assert (highest["max"].to_numpy()[:-1] <= highest["min"].to_numpy()[1:]).all()  # Q1 < Q2 < Q3 < Q4, no overlap
    assert set(released["supervision_level"]) == {"low", "medium", "high"}  # everyone leaves on licence
    levels = released.groupby("supervision_level")["contacts_at_release"].mean()
    assert levels["low"] < levels["medium"] < levels["high"]


def test_ngo_enrolment_follows_ngo_capacity(events):
    enrolled = events[events["followup"] > 0].groupby("scenario")["ngo_enrolled"].apply(lambda g: (g == "enrolled").mean())
    assert enrolled["ngo_surge"] > enrolled["baseline"] > 0
    assert set(run("ngo_absent", replicates=1, seed=5, overrides=TINY).events["ngo_enrolled"]) == {"never enrolled"}


def test_without_licence_one_supervision_level_gives_the_whole_cohort_numbers():
    whole = compare(["baseline", "ngo_surge"], replicates=2, seed=3, by="supervision_level",
                    overrides={**TINY, "release.licence_weeks": 0})
    groups = whole.subgroups
    assert set(groups["subgroup"]) == {"none"}
    cohort = whole.table[whole.table["clock"] == "weeks_since_release"]
    merged = groups.merge(cohort, on=["scenario", "metric", "week"], suffixes=("", "_cohort"))
    assert len(merged) == len(cohort)
    for column in ("mean", "difference", "diff_low", "diff_high"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_cohort"], equal_nan=True)


def test_compare_by_risk_tier_on_the_command_line(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["compare", "baseline", "ngo_surge", "--by", "risk_tier", "--replicates", "2", "--no-figures",
                 "--set", "population.community=300", "--set", "population.released=80", "--set", "weeks=56",
                 "--out", str(out)]) == 0
    table = pd.read_csv(out / "subgroups.csv")
    assert list(dict.fromkeys(table["subgroup"])) == ["Q1", "Q2", "Q3", "Q4"]
    assert (table["by"] == "risk_tier").all()
    assert "## By risk tier" in (out / "comparison.md").read_text()


def _one_group(difference: float, low: float, high: float, replicates: int) -> pd.DataFrame:
    """subgroups.csv's rows of one group and curve at week 52: the reference's and a scenario's paired difference."""
    row = {"by": "risk_tier", "subgroup": "Q4", "reference": "baseline", "metric": "reoffended",
           "clock": "weeks_since_release", "week": 52, "replicates": replicates, "people": 100.0, "same_people": 1.0,
           "ci_low": np.nan, "ci_high": np.nan, "paired_p": np.nan}
    return pd.DataFrame([{**row, "scenario": "baseline", "mean": 0.06, "difference": 0.0, "diff_low": 0.0,
                          "diff_high": 0.0},
                         {**row, "scenario": "ngo_surge", "mean": 0.06 + difference, "difference": difference,
                          "diff_low": low, "diff_high": high}])


@pytest.mark.parametrize(("difference", "low", "high", "replicates", "verdict"), [
    (-0.02, np.nan, np.nan, 6, "lower"),  # the same fall in each of 6 replicates: clear, as In short says
    (0.02, np.nan, np.nan, 6, "higher"),
    (-0.02, np.nan, np.nan, 3, "no clear difference"),  # in each of 3 only: too few to tell from chance
    (-0.02, np.nan, np.nan, 1, "cannot tell without an interval"),  # one replicate tells nothing
    (0.0, np.nan, np.nan, 3, "no difference in any replicate"),
    (-0.02, -0.03, -0.01, 3, "lower"), (-0.02, -0.05, 0.01, 3, "no clear difference")])
def test_a_group_s_verdict_is_read_by_the_rule_in_short_reads_the_whole_cohort_by(difference, low, high, replicates,
                                                                                  verdict):
    """A group whose share fell by the same 2 points in each of 6 replicates was 'cannot tell without an interval',
    where In short calls the same difference in the whole cohort 'fewer' (``clear_of_zero``): for whom it works was
    read by a stricter rule than whether it works. In each of 3 it is no clear difference, and says why."""
    from sim.curves import CURVE_WORDS
    from sim.experiments.subgroups import subgroup_lines
    from sim.stats import clear_of_zero

    (line,) = [line for line in subgroup_lines(_one_group(difference, low, high, replicates), CURVE_WORDS, replicates)
               if "people per replicate" not in line]
    assert f"% → {percent((0.06 + difference), 1)}, {verdict}: " in line, line
    assert (verdict in ("lower", "higher")) == clear_of_zero(difference, low, high, replicates)
    if low != low and replicates == 3 and difference:  # the reason, not 'the same difference in every replicate'
        assert ("(no interval: the same difference in each of the 3 replicates: too few to tell it from chance, as 6 or "
                "more would)") in line, line


def test_a_group_s_two_shares_agree_with_the_difference_written_after_them():
    """'2.7% → 2.3%, lower: -0.5 points' (2.74% and 2.26%) read 0.4 apart: the two shares take the decimals that make
    them agree with the difference, as comparison.md's headlines do (``comparison.pair_decimals``)."""
    from sim.curves import CURVE_WORDS
    from sim.experiments.subgroups import subgroup_lines

    table = _one_group(-0.0048, -0.006, -0.0036, 3)
    table.loc[table["scenario"] == "baseline", "mean"] = 0.0274
    table.loc[table["scenario"] == "ngo_surge", "mean"] = 0.0226
    (line,) = [line for line in subgroup_lines(table, CURVE_WORDS, 3) if "people per replicate" not in line]
    assert "2.74% → 2.26%, lower: -0.5 points" in line, line


def test_a_group_s_reference_share_and_one_difference_read_alike_in_every_scenario_s_line():
    """In one group '2.25% → 2.00% ... -0.3 points' stood beside '2.2% → 2.0% ... -0.2 points': the same difference,
    -0.25 points, averaged as -0.0025000000000000005 and -0.0024999999999999996. Both lines now read it alike."""
    from sim.curves import CURVE_WORDS
    from sim.experiments.subgroups import subgroup_lines

    table = _one_group(-0.0025000000000000005, -0.01, 0.005, 4)
    other = table[table["scenario"] == "ngo_surge"].assign(scenario="strict_supervision", difference=-0.0024999999999999996)
    table = pd.concat([table, other], ignore_index=True)
    table.loc[table["scenario"] == "baseline", "mean"] = 0.0225
    table.loc[table["scenario"] != "baseline", "mean"] = 0.02
    lines = [line for line in subgroup_lines(table, CURVE_WORDS, 4) if "people per replicate" not in line]
    assert len(lines) == 2 and all("2.3% → 2.0%, no clear difference: -0.3 points" in line for line in lines), lines
