"""sim compare: the comparison table, its statistics, and the files the command writes."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from scipy import stats

from sim import analysis
from sim.cli import main
from sim.errors import InputError
from sim.experiments import compare
from sim.experiments.comparison import fewer_replicates
from sim.experiments.subgroups import GROUPS_ALIKE
from sim.scenarios.loader import EventAfterHorizonWarning
from sim.stats import CUT
from sim.units import percent

TINY = {"population.community": 300, "population.released": 60, "weeks": 40}
LIGHT = {"extends": "general_offenders", "name": "light", "supervision": {"strictness": 0.1}}
STRICT = {"extends": "general_offenders", "name": "strict", "supervision": {"strictness": 1.0}}
SAME = {"extends": "general_offenders", "name": "same_as_light", "supervision": {"strictness": 0.1}}


@pytest.fixture(scope="module")
def comparison():
    return compare([LIGHT, STRICT, SAME], replicates=4, seed=3, overrides=TINY)


def test_table_has_every_scenario_metric_and_horizon_with_intervals(comparison):
    table = comparison.table
    assert list(table.columns) == ["scenario", "reference", "metric", "clock", "week", "replicates", "mean", "ci_low",
                                   "ci_high", "difference", "diff_low", "diff_high", "paired_p"]
    # shares at the horizons within the 40-week run; the weekly series and costs at those and the run's end
    assert set(table.loc[table["clock"] == "weeks_since_release", "week"]) == {26}
    assert set(table.loc[table["clock"] == "week", "week"]) == {26, 40}
    assert {"reoffended", "recalled", "returned", "community_stigma"} <= set(table["metric"])
    assert (table["reference"] == "light").all() and (table["replicates"] == 4).all()
    assert (table["ci_low"] <= table["mean"]).all() and (table["mean"] <= table["ci_high"]).all()
    known = table.dropna(subset=["diff_low", "diff_high"])
    assert (known["diff_low"] <= known["difference"]).all() and (known["difference"] <= known["diff_high"]).all()
    events = table[table["clock"] == "weeks_since_release"]
    assert events["ci_low"].ge(0).all() and events["ci_high"].le(1).all()  # shares stay within 0-100%
    others = table[table["scenario"] != "light"]
    assert others["paired_p"].dropna().between(0, 1).all()
    assert others["paired_p"].isna().eq(others["diff_low"].isna()).all()  # no interval, no p: the same in every replicate
    assert len(known) > len(table) / 2
    assert table.loc[table["scenario"] == "light", "paired_p"].isna().all()
    assert table.loc[table["scenario"] == "light", "difference"].eq(0).all()


def test_strict_supervision_recalls_more_with_a_small_p(comparison):
    row = comparison.table.query("scenario == 'strict' and metric == 'recalled'").iloc[0]
    assert row["difference"] > 0 and row["diff_low"] > 0  # the interval excludes no difference
    assert row["paired_p"] < 0.05


def test_identical_settings_show_no_difference(comparison):
    # common random numbers: the same settings under another name give the same people and events
    rows = comparison.table.query("scenario == 'same_as_light' and clock == 'weeks_since_release'")
    assert rows["difference"].eq(0).all()
    # 0 in every replicate is no interval and no p, as any difference the same in every replicate: rare events the
    # settings did not touch give it too, where a zero-width interval with p = 1 claimed the scenarios known equal
    assert rows[["diff_low", "diff_high", "paired_p"]].isna().all().all()
    (short,) = [line for line in comparison.markdown().splitlines() if line.startswith("- **same as light** (same_as_light)")]
    assert "no difference in new offences in any replicate (so no interval)" in short
    # and so is the cost, the same in every replicate: it read 'may cost GBP 0 more per person released over the run
    # (40 weeks; 2023 prices), within noise', where there is no noise
    assert short.endswith("no difference in cost per person released over the run (40 weeks) in any replicate "
                          "(so no interval)."), short
    assert "may cost" not in short and "within noise" not in short


def test_differences_are_mean_differences_of_paired_replicates(comparison):
    curves = comparison.runs.curves
    at = curves[curves["weeks_since_release"] == 26].groupby("scenario")["returned"].mean()
    row = comparison.table.query("scenario == 'strict' and metric == 'returned'").iloc[0]
    assert row["difference"] == pytest.approx(at["strict"] - at["light"])
    assert row["mean"] == pytest.approx(at["strict"])


def test_headlines_say_it_in_words(comparison):
    text = comparison.markdown()
    assert "# Comparison against light" in text
    assert "strict: recall for breach within 26 weeks of release" in text and "paired t p" in text
    assert "log-rank" not in text
    assert "left at risk" not in text  # every replicate follows someone 26 weeks: nothing to say about replicates


def test_the_reference_s_share_reads_alike_in_every_scenario_s_headline(comparison):
    """Baseline's recall read '15.75%' beside one scenario and '15.8%' beside the next: each line took the decimals its
    own pair needed to agree with its difference. One outcome's lines now share them (and each pair still agrees)."""
    import copy

    shown = copy.copy(comparison)
    table = comparison.table.copy()
    last = (table["clock"] == "weeks_since_release") & (table["week"] == 26) & (table["metric"] == "recalled")
    for name, mean in (("light", 0.1575), ("strict", 0.419), ("same_as_light", 0.1131)):
        table.loc[last & (table["scenario"] == name), ["mean", "difference"]] = mean, mean - 0.1575
    shown.table = table
    lines = [line for line in shown.headlines() if "recall for breach" in line]
    assert len(lines) == 2 and all("vs 15.75% in light" in line for line in lines), lines
    assert "41.90% " in lines[0] and "+26.2 points" in lines[0] and "11.31% " in lines[1] and "-4.4 points" in lines[1]


@pytest.mark.parametrize(("value", "shown"), [(-0.0025000000000000005, "-0.3"), (-0.0024999999999999996, "-0.3"),
                                              (0.0075, "+0.8"), (0.0225, "+2.3"), (-0.0004, "-0.04"), (0.0, "0.0")])
def test_a_difference_in_points_is_rounded_as_a_reader_rounds_whatever_its_floating_point_noise(value, shown):
    """One difference of -0.25 points, averaged two ways, read -0.3 in one line and -0.2 in the next: it is rounded
    without its noise, half away from zero (not to the even digit, as Python rounds an exact half)."""
    from sim.experiments.comparison import points_text
    from sim.units import percent

    assert points_text(value, sign=False) == shown
    assert percent(0.0225) == "2.3%" and percent(0.1575, 2) == "15.75%" and percent(float("nan")) == "n/a"


def test_comparison_md_says_every_setting_a_scenario_changes_before_its_effects(comparison):
    """A scenario that moves several settings has an effect of all of them together: comparison.md lists them (not
    the name or the seed, which change nothing), so that an effect is not credited to the one its title names."""
    text = comparison.markdown()
    differs = text[text.index("## What differs"):text.index("## In short")]
    assert "- strict: Supervision strictness (`supervision.strictness`) 0.1 → 1.0." in differs
    assert "- same as light (same_as_light): nothing but its name." in differs
    bundle = compare(["baseline", "ngo_surge"], replicates=1, seed=1, overrides=TINY).markdown()
    said = bundle[bundle.index("## What differs"):bundle.index("## In short")]
    assert all(f"(`{key}`)" in said for key in ("ngo.capacity", "cooperation.community_interventions",
                                                "cooperation.reintegration_support"))
    assert "those of all of these together" in said and "seed" not in said
    # a lever by its number in words: '; 7. NGOs ...' read as a stray numeral after the semicolon
    assert "; lever 7, NGOs support families during custody (`cooperation.community_interventions`) 0.3 → 0.6" in said


def test_weeks_shortened_past_the_events_warns_as_sim_run_does_and_says_they_never_fire():
    """`sim compare --weeks 40` loaded the scenarios before shortening them: attack_backlash's events (weeks 52 and
    80) were dropped without the warning `sim run --weeks 40` gives, and comparison.md said the scenarios differ in
    their scheduled events although none fired."""
    sets = {key: value for key, value in TINY.items() if key != "weeks"}
    with pytest.warns(EventAfterHorizonWarning) as caught:
        bundle = compare(["baseline", "attack_backlash"], replicates=1, seed=1, overrides=sets, weeks=40)
    said = [str(w.message) for w in caught if w.category is EventAfterHorizonWarning]
    assert len(said) == 2 and all("attack_backlash.yaml:" in w and "shortened by --weeks" in w for w in said)
    differs = bundle.markdown().split("## What differs")[1].split("## In short")[0]
    assert "its scheduled events, though those that differ fall after the run's last week (40) and never fire" in differs
    with pytest.warns(EventAfterHorizonWarning, match="week 80"):  # week 52 fires: the events do differ
        kept = compare(["baseline", "attack_backlash"], replicates=1, seed=1, overrides=sets, weeks=60).markdown()
    differs = kept.split("## What differs")[1].split("## In short")[0]
    assert "its scheduled events." in differs and "never fire" not in differs


def test_in_short_says_when_its_horizon_rests_on_few_of_the_people_released():
    """Releases spread over 36 weeks of a 40-week run: at 26 weeks since release only those released in the first
    15 weeks (about 42%) were followed that long; with releases in the first 2 weeks everyone was."""
    def caveat(window: int) -> str:
        text = compare(["baseline", "ngo_surge"], replicates=1, seed=1,
                       overrides={**TINY, "release.window_weeks": window}).markdown()
        return text[text.index("## In short"):text.index("In points")]

    spread = caveat(36)
    assert "were followed 26 weeks (the others were released later in the run)" in spread
    share = float(spread.split("Only ")[1].split("%")[0])
    assert 30 < share < 50
    assert "were followed" not in caveat(2)


def test_differences_are_paired_t_intervals_over_replicates(comparison):
    curves = comparison.runs.curves
    at = curves[curves["weeks_since_release"] == 26].pivot(index="replicate", columns="scenario", values="recalled")
    differences = at["strict"] - at["light"]
    test = stats.ttest_rel(at["strict"], at["light"])
    low, high = test.confidence_interval(0.95)
    row = comparison.table.query("scenario == 'strict' and metric == 'recalled'").iloc[0]
    assert row["difference"] == pytest.approx(differences.mean())
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((low, high))
    assert row["paired_p"] == pytest.approx(test.pvalue)


def test_a_scenario_with_a_seed_of_its_own_is_paired_on_the_reference_s_seed(tmp_path):
    """Without --seed every scenario runs on the reference's seed, as documented: a copy of the reference that
    sets another seed in its file differs from it by exactly nothing, not by seed noise with an interval."""
    reference = {"extends": "general_offenders", "name": "reference", "seed": 5}
    copy = {**reference, "name": "copy", "seed": 6}
    result = compare([reference, copy], replicates=3, overrides=TINY)
    assert result.runs.seeds["copy"] == result.runs.seeds["reference"]
    differences = result.table.loc[result.table["scenario"] == "copy", "difference"]
    assert len(differences) > 0 and (differences == 0).all()
    cli = tmp_path / "cli"
    for name, spec in (("reference", reference), ("copy", copy)):
        (tmp_path / f"{name}.yaml").write_text("\n".join(f"{k}: {v}" for k, v in spec.items()) + "\n")
    sets = [arg for key, value in TINY.items() if key != "weeks" for arg in ("--set", f"{key}={value}")]
    assert main(["compare", str(tmp_path / "reference.yaml"), str(tmp_path / "copy.yaml"), "-r", "2", *sets,
                 "--weeks", "30", "--out", str(cli), "--no-figures"]) == 0
    table = pd.read_csv(cli / "comparison.csv")
    assert (table.loc[table["scenario"] == "copy", "difference"] == 0).all()


def test_a_file_seed_beyond_the_seed_option_s_range_is_compared(tmp_path, capsys):
    """The schema takes a file seed up to 2**63 - 1, and so does `sim run`: compare runs on it too, with the seeds
    `sim run` gives it, where it said "--seed: must be an integer from 0 to 4294967295" though no --seed was given."""
    from sim.streams import MAX_FILE_SEED, MAX_SEED, replicate_seed

    (tmp_path / "big.yaml").write_text(f"extends: general_offenders\nname: big\nseed: {MAX_FILE_SEED}\n")
    sets = [arg for key, value in TINY.items() if key != "weeks" for arg in ("--set", f"{key}={value}")]
    assert main(["compare", str(tmp_path / "big.yaml"), "general_offenders", "-r", "2", *sets, "--weeks", "20",
                 "--out", str(tmp_path / "out"), "--no-figures"]) == 0
    assert "--seed" not in capsys.readouterr().err
    result = compare([tmp_path / "big.yaml", "general_offenders"], replicates=2, overrides={**TINY, "weeks": 20})
    assert result.seed == MAX_FILE_SEED
    assert result.runs.seeds["general_offenders"] == [replicate_seed(MAX_FILE_SEED, r) for r in range(2)]
    with pytest.raises(InputError, match="seed: must be an integer from 0 to 4294967295"):  # the option itself keeps its range
        compare([tmp_path / "big.yaml", "general_offenders"], replicates=1, seed=MAX_SEED + 1, overrides=TINY)


def test_one_replicate_gives_a_difference_and_no_interval(capsys):
    one = compare([LIGHT, STRICT], replicates=1, seed=3, overrides=TINY)
    table = one.table
    assert table["difference"].notna().all() and table[["ci_low", "ci_high", "paired_p"]].isna().all().all()
    assert table.loc[table["scenario"] == "strict", ["diff_low", "diff_high"]].isna().all().all()
    text = one.markdown()
    assert "95% CI" not in text and "strict: recall for breach within 26 weeks" in text


def test_run_with_one_replicate_prints_no_interval(tmp_path, capsys):
    args = ["run", "general_offenders", "--weeks", "30", "--set", "population.community=300",
            "--set", "population.released=50", "--out", str(tmp_path / "run"), "--no-figures"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "(no interval: 1 replicate)" in out and "95% CI" not in out


def test_command_writes_comparison_files_atomically(tmp_path, capsys):
    out = tmp_path / "cmp"
    args = ["compare", "general_offenders", "strict_supervision", "--replicates", "2", "--weeks", "30",
            "--set", "population.community=300", "--set", "population.released=50", "--out", str(out), "--no-figures"]
    assert main(args) == 0
    assert {"comparison.csv", "comparison.md", "curves.parquet", "events.parquet", "manifest.json"} <= {
        p.name for p in out.iterdir()}
    table = pd.read_csv(out / "comparison.csv")
    assert set(table["scenario"]) == {"general_offenders", "strict_supervision"}
    assert capsys.readouterr().out.strip().endswith(f"wrote {out}")


@pytest.mark.parametrize("args", [
    ["compare", "baseline"],  # one scenario: nothing to compare with
    ["compare", "baseline", "no_such_scenario"],
    ["compare", "baseline", "high_stigma", "--set", "stigma.baseline=2"],
])
def test_bad_input_exits_2_with_nothing_written(tmp_path, capsys, args):
    out = tmp_path / "cmp"
    assert main([*args, "--replicates", "1", "--out", str(out)]) == 2
    assert not out.exists() and capsys.readouterr().err.startswith("error: ")


def test_summary_reads_every_whole_year_the_run_reaches():
    from sim.runner import run

    result = run(["general_offenders"], replicates=2, seed=1,
                 overrides={"population.community": 200, "population.released": 40})
    assert result.scenarios[0].weeks == 261
    summary = result.summary
    for clock in ("weeks_since_release", "week"):
        assert sorted(set(summary.loc[summary["clock"] == clock, "week"])) == [52, 104, 156, 208, 260]
    assert summary.loc[summary["clock"] == "weeks_since_release", ["ci_low", "ci_high"]].stack().between(0, 1).all()


def test_saved_comparison_draws_the_kaplan_meier_figure(comparison, tmp_path):
    comparison.save(tmp_path / "cmp")
    assert (tmp_path / "cmp" / "figures" / "kaplan_meier.png").stat().st_size > 0
    assert "paired t" in (tmp_path / "cmp" / "comparison.md").read_text()


def test_kaplan_meier_figure_draws_each_scenario_from_release_to_the_shares_in_comparison_csv(comparison, colour_at):
    """What kaplan_meier.png shows: one panel per first event, labelled axes, a line per scenario named as compared,
    starting at 0% at release and, where nothing competes, at the share comparison.csv gives at week 26 (everyone is
    followed 40 weeks here, so the pooled estimate is the mean share of equal-sized replicates)."""
    import numpy as np

    from sim.experiments.figures import KM_TITLE, kaplan_meier_figure
    from sim.figures import FIRST_EVENT_PANELS, LABELS, plt

    assert (comparison.runs.events["followup"] == 40).all()
    fig = kaplan_meier_figure(comparison.runs.events, comparison.runs.scenarios, 40)
    assert fig.get_suptitle() == KM_TITLE
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["light", "strict", "same as light"]
    assert [ax.get_title() for ax in fig.axes] == [LABELS[m] for m in FIRST_EVENT_PANELS]  # as the curves' panels
    assert fig.axes[0].get_ylabel() == "Estimated share (%)"  # no jargon on the axis: the title names the estimator
    table = comparison.table.set_index(["scenario", "metric"])["mean"]
    for ax, metric in zip(fig.axes, FIRST_EVENT_PANELS, strict=True):
        assert ax.get_xlabel() == "Weeks since release" and ax.get_xlim() == (0, 40)
        assert [line.get_label() for line in ax.lines] == ["light", "strict", "same as light"]
        for line, name in zip(ax.lines, ["light", "strict", "same_as_light"], strict=True):
            weeks, percent = (np.asarray(a, dtype=float) for a in line.get_data())
            assert (weeks[0], percent[0]) == (0, 0), f"{metric} of {name} does not start at release"
            assert weeks[-1] == 40
            at_26 = percent[np.searchsorted(weeks, 26, side="right") - 1]
            if metric == "terrorism_offence":  # a general cohort: comparison.csv reads no such curve (none commit one)
                assert (name, metric) not in table.index and at_26 == 0
            elif metric == "recalled":  # a return for a new offence first censors recall: 1 - KM is above the share
                assert at_26 >= 100 * table[name, metric] - 1e-9
            else:
                assert at_26 == pytest.approx(100 * table[name, metric])
    # no terrorism offence in any scenario: a line at 0% for each, not an empty panel
    terrorism = fig.axes[FIRST_EVENT_PANELS.index("terrorism_offence")]
    assert all(np.all(np.asarray(line.get_ydata()) == 0) for line in terrorism.lines)
    # and the reader sees each of them, rather than the bottom of the axis drawn over them or the last drawn over
    # the others: lines that coincide take turns in dashes along the axis
    from matplotlib.colors import to_rgb

    colours = [np.array(to_rgb(line.get_color())) for line in terrorism.lines]
    seen = set()
    for pixel in colour_at(fig, terrorism, np.arange(1, 39, 0.25), 0):
        distance = [np.abs(pixel - colour).max() for colour in colours]
        if min(distance) < 0.1:
            seen.add(int(np.argmin(distance)))
    assert seen == {0, 1, 2}
    # where lines do not coincide they stay solid: light and strict differ in reoffending
    reoffended = {line.get_label(): line for line in fig.axes[FIRST_EVENT_PANELS.index("reoffended")].lines}
    assert reoffended["strict"].get_linestyle() == "-" and reoffended["light"].get_linestyle() == "--"
    plt.close(fig)


def test_lines_a_hundredth_of_their_panel_apart_take_turns_in_dashes_and_lines_further_apart_stay_solid():
    """Baseline's grey lay wholly under High community stigma's orange in ngo_custody.png (1.9 people apart at most on
    a panel of 320): the legend named a line nobody could see. Lines that close take turns in dashes, as lines that
    coincide exactly do; a line further off stays solid."""
    import numpy as np

    from sim.figures import draw_bands, plt

    weeks = np.arange(50)
    level = 300 * np.sin(weeks / 16) ** 2
    frame = pd.concat([pd.DataFrame({"scenario": name, "replicate": replicate, "week": weeks,
                                     "people": level + shift + replicate})
                       for name, shift in (("baseline", 0.0), ("high_stigma", 1.9), ("ngo_surge", 30.0))
                       for replicate in range(3)])
    fig, ax = plt.subplots()
    draw_bands(ax, frame, "week", "people", {"baseline": "#666666", "high_stigma": "#de8f05", "ngo_surge": "#0173b2"})
    styles = {line.get_label(): line.get_linestyle() for line in ax.lines}
    assert styles == {"baseline": "--", "high_stigma": "--", "ngo_surge": "-"}
    plt.close(fig)


def test_recidivism_recall_figure_draws_the_mean_shares_in_comparison_csv(comparison):
    """recidivism_recall.png of a comparison: a line per scenario, named as compared, at week 26 at the mean share
    comparison.csv gives (in percent), its band the same 95% interval as ci_low to ci_high."""
    import numpy as np

    from sim.figures import curves_figure, plt

    fig = curves_figure(comparison.runs.curves, comparison.runs.scenarios)
    table = comparison.table[comparison.table["week"] == 26].set_index(["scenario", "metric"])
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["light", "strict", "same as light"]
    assert fig.axes[0].get_ylabel() == "Share of cohort (%)"
    for ax, metric in zip(fig.axes, ("reoffended", "recalled", "returned"), strict=True):
        assert ax.get_xlabel() == "Weeks since release"
        for line, band, name in zip(ax.lines, ax.collections, ["light", "strict", "same_as_light"], strict=True):
            weeks, percent = (np.asarray(a, dtype=float) for a in line.get_data())
            assert percent[weeks == 26] == pytest.approx(100 * table.at[(name, metric), "mean"])
            corners = band.get_paths()[0].vertices
            at_26 = corners[np.isclose(corners[:, 0], 26), 1]
            assert sorted({round(v, 9) for v in at_26}) == pytest.approx(
                sorted({round(100 * table.at[(name, metric), c], 9) for c in ("ci_low", "ci_high")}))
        # light and same_as_light are one scenario under two names: their lines take turns in dashes, so the one
        # drawn last does not hide the other; strict's stays solid
        styles = {line.get_label(): line.get_linestyle() for line in ax.lines}
        assert styles == {"light": "--", "same as light": "--", "strict": "-"}
    plt.close(fig)


def test_a_scenario_has_one_colour_in_every_figure_whatever_its_place(comparison):
    """A scenario's colour was its place in each figure (the first blue, the second orange), so a scenario listed
    second in one figure and first in another changed colour between them: now it is a function of the scenario."""
    from matplotlib.colors import to_hex

    from sim.dashboard.curves import colours as side_colours
    from sim.experiments.figures import kaplan_meier_figure
    from sim.figures import NEUTRAL, curves_figure, plt, scenario_colours

    def drawn(fig) -> dict[str, str]:
        return {line.get_label(): to_hex(line.get_color()) for line in fig.axes[0].lines}

    scenarios = comparison.runs.scenarios
    first = curves_figure(comparison.runs.curves, scenarios)  # light, strict, same_as_light
    later = kaplan_meier_figure(comparison.runs.events, scenarios[::-1], 40)  # same_as_light, strict, light
    assert [line.get_label() for line in later.axes[0].lines] == ["same as light", "strict", "light"]
    assert drawn(first) == drawn(later) and len(set(drawn(first).values())) == 3
    plt.close("all")
    # the rule: by the scenario, never by its place; the shipped reference grey; two sides of the dashboard alike
    for names in (["baseline", "ngo_surge", "light"], ["light", "ngo_surge", "baseline"], ["ngo_surge", "light"]):
        assert {name: scenario_colours(names)[name] for name in names} == {
            name: scenario_colours(["baseline", "ngo_surge", "light"])[name] for name in names}
    assert scenario_colours(["high_stigma", "baseline"])["baseline"] == NEUTRAL
    assert side_colours(["ngo_surge", "baseline"]) == side_colours(["baseline", "ngo_surge"])[::-1]
    same = side_colours(["ngo_surge", "ngo_surge"])  # one scenario on both sides, its sliders set apart
    assert same[0] == scenario_colours(["ngo_surge"])["ngo_surge"] and same[1] != same[0]



def test_the_scenarios_shown_beside_the_baseline_most_often_take_the_strongest_shades():
    """The demo's scenarios took the palette's palest pink and yellow, faint lines on a projector: the colour order
    names every shipped scenario but the reference (a misspelt one would fall back to a hash), the first take the
    strongest shades, and the demo's three are grey, orange and blue."""
    from sim.figures import COLOUR_ORDER, NEUTRAL, SCENARIO_SHADES, scenario_colours
    from sim.scenarios.loader import shipped_names

    assert sorted(COLOUR_ORDER) == sorted(n for n in shipped_names() if n != "baseline")
    assert scenario_colours(["baseline", "high_stigma", "ngo_surge"]) == {
        "baseline": NEUTRAL, "high_stigma": SCENARIO_SHADES[1], "ngo_surge": SCENARIO_SHADES[0]}
    assert "#ece133" not in SCENARIO_SHADES  # seaborn's yellow

def test_any_two_shipped_scenarios_beside_the_baseline_are_in_colours_the_whole_room_tells_apart():
    """No NGOs' brown and General offenders' orange were 12 apart (CIEDE2000), 7 on a projector, in one figure: the
    colours of scenarios shown together stay apart for colour-blind viewers and on a washed-out projector, in every
    figure and report as on the dashboard."""
    from itertools import combinations

    from sim.colour_vision import told_apart
    from sim.figures import scenario_colours
    from sim.scenarios.loader import shipped_names

    others = [name for name in shipped_names() if name != "baseline"]
    close = [(a, b) for a, b in combinations(others, 2)
             if not all(told_apart(x, y) for x, y in combinations(scenario_colours(["baseline", a, b]).values(), 2))]
    assert not close


def test_every_colour_a_shipped_scenario_can_be_drawn_in_stands_out_on_white():
    """Light Supervision's pale pink (1.7:1 against white) and the sky blue, orange and brown (2.3-2.7:1) were faint
    lines on a projector: every shade a scenario can take (the next one when its own is taken, a hash for any other
    name) and every colour the shipped scenarios are drawn in, alone, beside the baseline, beside any other (on the
    what-if page too, a scenario against itself) is at least 3:1 against white, WCAG's non-text contrast."""
    pytest.importorskip("solara")
    from sim.colour_vision import contrast
    from sim.dashboard.curves import colours as side_colours
    from sim.figures import LINE_CONTRAST, NEUTRAL, SCENARIO_SHADES, scenario_colours
    from sim.scenarios.loader import shipped_names

    names = shipped_names()
    drawn = {NEUTRAL, *SCENARIO_SHADES}
    for a in names:
        drawn |= set(scenario_colours([a]).values())
        for b in names:
            drawn |= {*scenario_colours(["baseline", a, b]).values(), *side_colours([a, b])}
    faint = {colour: round(contrast(colour), 2) for colour in drawn if contrast(colour) < LINE_CONTRAST}
    assert not faint


def test_kaplan_meier_caption_says_its_lines_are_one_pooled_estimate(comparison):
    from sim.experiments.figures import kaplan_meier_figure

    fig = kaplan_meier_figure(comparison.runs.events, comparison.runs.scenarios, 40)
    caption = "".join(fig.legends[0].get_title().get_text().split())  # as written, whatever the line breaks
    assert "lines:mean" not in caption
    assert "lines:one1-Kaplan-Meierestimatefromthepeopleofallreplicatespooled" in caption


# Releases spread over 30 of 56 weeks: one replicate of four releases nobody early enough to follow 52 weeks.
# One NGO: four would share 1.8 places, and the loader refuses NGOs left with none.
LATE = {"population.community": 300, "population.released": 6, "population.ngos": 1, "weeks": 56,
        "release.window_weeks": 30}
WHY = "the others have nobody left at risk this long after release"


@pytest.fixture(scope="module")
def late_releases():
    return compare(["baseline", "high_stigma"], replicates=4, seed=1, overrides=LATE, by="risk_tier")


def test_a_value_resting_on_fewer_replicates_says_how_many(late_releases):
    table = late_releases.table
    tail = table[(table["clock"] == "weeks_since_release") & (table["week"] == 52)]
    assert set(tail["replicates"]) == {3}
    text = late_releases.markdown()
    assert "4 replicates each" in text
    headlines = [line for line in text.splitlines() if "within 52 weeks of release" in line and "**" not in line]
    assert len(headlines) == 4
    (short,) = [line for line in text.splitlines() if line.startswith("- **High community stigma**")]
    outcomes = re.split(r"; (?:(?:may )?costs? |no difference in cost )", short)[0]  # said of the outcomes, not the cost
    assert outcomes.rstrip(".").endswith(f"(from 3 of 4 replicates: {WHY})")  # the plain answer says what it rests on
    assert all(line.endswith(f"(from 3 of 4 replicates: {WHY}).") for line in headlines)
    stigma = next(line for line in text.splitlines() if "community stigma at the end of the run (week 56)" in line)
    assert "replicates" not in stigma  # a calendar week: every replicate has a value


def test_a_horizon_reached_by_those_released_first_only_says_how_many_were_followed_that_long(late_releases):
    """Releases over 30 weeks of a 56-week run: a share within 52 weeks rests for its last weeks on the few released
    in the first 4; comparison.md and the report say how many, where the headline at the run's last year hid it."""
    events = late_releases.runs.events
    share = (events["followup"] >= 52).mean()
    assert 0 < share < 0.5
    said = (f"{percent(share, 1)} of the people released were followed 52 weeks or longer (the others were released "
            "too late in the run)")
    text = late_releases.markdown()
    assert said in text.split("## Headline differences")[1].split("\n- ")[0]
    everyone = compare(["baseline", "high_stigma"], replicates=2, seed=1, overrides={**LATE, "weeks": 90})
    assert "were followed" not in everyone.markdown()  # released by week 31 of 90: all followed a year


def test_offences_averted_are_said_to_count_every_offence_not_the_headline_share(comparison):
    """The price per offence averted counts every offence to a week of the run, repeat ones too; the headline is the
    share with a first offence within so many weeks of release. A reader met both as 'offences' unexplained."""
    from sim.costs import AVERTED_COUNTS

    assert "repeat offences included" in AVERTED_COUNTS
    # said where the offences averted are given, before them: In short's 'no clear difference in new offences' read
    # against the Costs section's 'averts 5.8 new offences' with the reason only at the foot of the page
    costs = comparison.markdown().split("## Costs")[1].split("## How to read this")[0]
    assert costs.index(AVERTED_COUNTS) < costs.index("averts")


# Three people released over 40 of 56 weeks: with seed 1 no replicate of three follows anyone 52 weeks, with seed 3 one.
LATER = {**LATE, "population.released": 3, "release.window_weeks": 40}


@pytest.mark.parametrize(("seed", "said"), [
    (1, "no difference to give in new offences, recalls for breach, returns to custody or terrorism offences (no "
        "replicate has people followed 52 weeks after release in both scenarios); "),
    (3, "new offences 0.0 points (no interval: only 1 of 3 replicates has people followed 52 weeks after release in "
        "both scenarios, so no telling whether it is more than chance); "),
])
def test_in_short_gives_the_reason_an_outcome_has_no_interval(seed, said):
    """Three replicates ran: "no interval: one replicate, or the same difference in every replicate" gave two reasons,
    neither of them true; the reason is that too few people were followed to the horizon."""
    (short,) = [line for line in compare(["baseline", "high_stigma"], replicates=3, seed=seed, overrides=LATER)
                .markdown().splitlines() if line.startswith("- **High community stigma**")]
    assert f"within 52 weeks of release: {said}" in short
    assert "one replicate, or" not in short and "n/a" not in short


def test_in_short_reads_the_same_difference_in_six_or_more_replicates_as_clear(comparison):
    """A difference with no spread over 6 replicates is clear (a sign test: p = 2^(1-6) = 0.031): "In short" said
    'so no telling whether it is more than chance' of it, while the cost sentence and sim robustness
    (``clear_of_zero``) called the same kind of difference clear. One replicate, or one followed, still tells
    nothing; over 2 to 5 the same difference is too few to tell from chance, and the words say so (it was called
    'fewer' on 2 seeds, where one person in 400 gives the same difference by chance)."""
    assert comparison.no_interval("new offences", -0.02, 6, 52) == (
        "fewer new offences (-2.0 points: the same difference in every replicate, so no interval)")
    assert comparison.no_interval("recalls for breach", 0.01, 6, 52).startswith("more recalls for breach (+1.0 points")
    for pairs in (2, 3, 4, 5):
        assert comparison.no_interval("new offences", -0.02, pairs, 52) == (
            f"no clear difference in new offences (-2.0 points: the same difference in each of the {pairs} replicates: "
            "too few to tell it from chance, as 6 or more would)")
    alone = comparison.no_interval("new offences", -0.02, 1, 52)
    assert alone.endswith("(no interval: only 1 of 4 replicates has people followed 52 weeks after release in both "
                          "scenarios, so no telling whether it is more than chance)")


def test_a_difference_the_same_in_every_replicate_is_clear_only_over_six_or_more():
    """``clear_of_zero`` called a difference the same on 2 seeds clear ('certain, given the model'): outcomes are
    counts of people, and two seeds easily give the same difference (one person in 400) by chance. n identical
    non-zero differences share one sign, a coin toss each with no true difference: a two-sided sign test gives
    p = 2^(1-n), below 0.05 from n = 6. 0 is never clear."""
    import math

    from sim.stats import clear_of_zero

    for pairs in (2, 3, 4, 5):
        assert not clear_of_zero(-0.0025, math.nan, math.nan, pairs), pairs
        assert not clear_of_zero(1000.0, math.nan, math.nan, pairs), pairs
    for pairs in (6, 7, 10):
        assert clear_of_zero(-0.0025, math.nan, math.nan, pairs) and clear_of_zero(1000.0, math.nan, math.nan, pairs)
    assert not any(clear_of_zero(0.0, math.nan, math.nan, pairs) for pairs in range(1, 12))
    assert not clear_of_zero(-0.0025, math.nan, math.nan, 1)
    assert 2 ** (1 - 5) > 0.05 > 2 ** (1 - 6)  # the sign test the threshold rests on


def test_the_summary_and_its_headline_table_say_how_many_replicates_a_mean_rests_on(late_releases):
    summary = late_releases.runs.summary
    at_52 = summary[summary["week"] == 52]
    assert set(at_52.loc[at_52["clock"] == "weeks_since_release", "replicates"]) == {3}
    assert set(at_52.loc[at_52["clock"] == "week", "replicates"]) == {4}  # a calendar week: every replicate
    table = analysis.headline(summary)
    assert list(table.columns) == ["reoffended at 52 weeks", "recalled at 52 weeks", "returned at 52 weeks",
                                   "terrorism_offence at 52 weeks"]
    assert table.map(lambda cell: cell.endswith("(from 3 of 4 replicates)")).all().all()
    full = summary.assign(replicates=4)  # every replicate reaches the horizon: no note
    assert not analysis.headline(full).map(lambda cell: "replicates" in cell).any().any()
    with pytest.raises(InputError, match="week=26: is not a horizon of the summary"):  # was an empty table
        analysis.headline(summary, week=26)


def test_sim_run_prints_how_many_replicates_the_longest_horizon_rests_on(tmp_path, capsys):
    sets = [arg for key, value in LATE.items() for arg in ("--set", f"{key}={value}")]
    assert main(["run", "baseline", *sets, "--replicates", "4", "--seed", "1", "--out", str(tmp_path / "run"),
                 "--no-figures"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "at  52 weeks" in line]
    assert len(lines) == 3 and all(line.endswith("(from 3 of 4 replicates)") for line in lines)


def test_a_subgroup_line_says_how_many_replicates_it_rests_on(late_releases):
    groups = late_releases.subgroups
    last = groups[(groups["week"] == 52) & (groups["scenario"] == "high_stigma") & groups["mean"].notna()]
    lines = late_releases.markdown().split("## By risk tier")[1].split("##")[0].strip().splitlines()
    lines = [line for line in lines if line.startswith("- ") and "people per replicate" not in line]  # sizes said once
    assert len(lines) == len(last)
    for line, row in zip(lines, last.itertuples(), strict=True):
        reference = groups.query("subgroup == @row.subgroup and metric == @row.metric and week == 52 "
                                 "and scenario == 'baseline'")["replicates"].item()
        # a reader is told what the group is, not its code: Q1 is the lowest quarter of assessed risk
        quarter = {"Q1": "lowest", "Q2": "second", "Q3": "third", "Q4": "highest"}[row.subgroup]
        assert line.startswith(f"- {row.subgroup} ({quarter} quarter of assessed risk at release), High community "
                               "stigma (high_stigma):")
        assert row.replicates < 4 and reference == row.replicates
        assert line.endswith(f"from {row.replicates} of 4 replicates: {WHY}).")
        # without an interval a label that says why, not a bare 'no telling' the docs never list
        assert " → " in line and "no telling" not in line
        interval = row.diff_low == row.diff_low  # the reference's count is the same: the pairs are the replicates
        labels = ("lower", "higher", "no clear difference") if interval else (
            ("no difference in any replicate",) if row.replicates >= 2 and row.difference == 0 else
            ("lower", "higher") if row.replicates >= 2 else ("cannot tell without an interval",))
        assert any(f"% → {percent(row.mean, 1)}, {label}: " in line for label in labels), line
    assert any("cannot tell without an interval: " in line for line in lines)  # the case of one replicate is here
    assert GROUPS_ALIKE in late_releases.markdown().split("## By risk tier")[1].split("##")[0]


def test_every_section_names_a_scenario_by_its_title_as_in_short_does(late_releases):
    """A policy reader meets a scenario by its title in every sentence of comparison.md (the headline differences, the
    groups and the costs, as in "In short" and the report's headline table), with its name, which reruns it, beside
    it at first mention; never by its name alone."""
    text = late_releases.markdown()
    for section in ("## Headline differences", "## By risk tier", "## Costs"):
        lines = [line for line in text.split(section)[1].split("\n## ")[0].splitlines() if line.startswith("- ")]
        named = [line for line in lines if "people per replicate in every scenario" not in line]
        assert named, section
        for line in named:
            assert "High community stigma (high_stigma)" in line and "Baseline" in line, line
            bare = line.replace("(high_stigma)", "").replace("(baseline)", "")
            assert "high_stigma" not in bare and "baseline" not in bare, line
    assert "Scenarios: Baseline (baseline), High community stigma (high_stigma);" in text


def test_arms_resting_on_different_counts_say_both():
    assert fewer_replicates({"high_stigma": 5, "baseline": 5}, 5) == ""
    assert fewer_replicates({"high_stigma": 2, "baseline": 2}, 5) == f"from 2 of 5 replicates: {WHY}"
    assert fewer_replicates({"high_stigma": 1, "baseline": 5}, 5) == \
        f"from 1 of 5 replicates in high_stigma and 5 of 5 in baseline: {WHY}"
    assert fewer_replicates({"high_stigma": 0, "baseline": 0}, 5) == \
        "no replicate has anyone left at risk this long after release"


def test_comparison_md_opens_with_the_answer_in_plain_words_judged_by_the_intervals():
    """'In short' first: more, fewer or no clear difference in each outcome, by its 95% interval (a point estimate
    within noise is never called fewer), and the extra cost per person with its price year."""
    from sim.experiments.comparison import Comparison
    from sim.scenarios import load_scenario

    comparison = Comparison.__new__(Comparison)
    scenarios = [load_scenario("baseline"), load_scenario("ngo_surge")]
    comparison.runs = type("Runs", (), {"scenarios": scenarios, "seeds": {"baseline": [1, 2, 3]}})()
    rows = []
    # t intervals, centred on their difference (one that is not was cut at the possible range, and says so)
    for metric, diff, low, high in (("reoffended", -0.014, -0.024, -0.004), ("recalled", -0.015, -0.072, 0.042),
                                    ("returned", 0.02, 0.01, 0.03), ("terrorism_offence", 0.0, 0.0, 0.0)):
        rows.append(("ngo_surge", "baseline", metric, "weeks_since_release", 156, 3, 0.05, 0.03, 0.07, diff, low, high, 0.02))
    # the costs at the run's end (182 weeks), the shares at its last whole year since release
    rows.append(("ngo_surge", "baseline", "cost_per_released", "week", 182, 3, 44611.0, 44000.0, 45000.0, 8167.0, 7489.0,
                 8846.0, 0.001))
    comparison.table = pd.DataFrame(rows, columns=["scenario", "reference", "metric", "clock", "week", "replicates",
                                                   "mean", "ci_low", "ci_high", "difference", "diff_low", "diff_high",
                                                   "paired_p"])
    (line,) = comparison.in_short()
    assert line.startswith("**NGO places for everyone** (ngo_surge) against Baseline, within 156 weeks of release: ")
    # each answer with its uncertainty, the interval it is judged by
    assert "fewer new offences (-1.4 points, 95% CI -2.4 to -0.4)" in line
    assert "no clear difference in recalls for breach (-1.5 points, 95% CI -7.2 to +4.2: within noise)" in line  # not 'fewer'
    assert "more returns to custody (+2.0 points, 95% CI +1.0 to +3.0)" in line
    # a zero-width interval, as comparison.csv held one before a difference of 0 everywhere had none
    assert "no difference in terrorism offences in any replicate (so no interval)" in line
    assert line.endswith("costs GBP 8,200 more per person released over the run (182 weeks; 95% CI +7,500 to +8,800; "
                         "2023 prices).")
    # one replicate: no interval for the cost either, so it is not stated as certain
    alone = comparison.table["metric"] == "cost_per_released"
    comparison.table.loc[alone, ["replicates", "diff_low", "diff_high"]] = [1, float("nan"), float("nan")]
    (line,) = comparison.in_short()
    assert line.endswith("may cost GBP 8,200 more per person released over the run (182 weeks; 2023 prices), one "
                         "replicate: no interval, so no telling whether it is more than chance.")
    # the same cost difference in each of 3 replicates (prices of places alone, say): no interval, and too few to
    # tell from chance, where ', within noise' gave no reason (there is no spread)
    comparison.table.loc[alone, "replicates"] = 3
    (line,) = comparison.in_short()
    assert line.endswith("may cost GBP 8,200 more per person released over the run (182 weeks; 2023 prices), the same "
                         "difference in each of the 3 replicates: too few to tell it from chance, as 6 or more would.")
    # in each of 6: clear of 0 (two-sided sign test p = 0.031)
    comparison.table.loc[alone, "replicates"] = 6
    (line,) = comparison.in_short()
    assert line.endswith("costs GBP 8,200 more per person released over the run (182 weeks; 2023 prices).")


def test_an_interval_on_two_replicates_never_puts_a_share_below_0_and_says_it_was_cut():
    """At these sizes 2 replicates gave 'recall for breach ... 6.0% vs 7.5%: -1.5 points (95% CI -20.6 to +17.6)': a
    scenario at -13.1%, which a reader takes literally. The interval stops at what is possible and its words say so."""
    two = compare(["baseline", "ngo_surge"], replicates=2, overrides={"population.community": 500,
                                                                      "population.released": 100, "weeks": 80})
    table = two.table[two.table["metric"].isin(("reoffended", "recalled", "returned", "terrorism_offence"))]
    reference = table[table["scenario"] == "baseline"].set_index(["metric", "week"])["mean"]
    other = table[table["scenario"] == "ngo_surge"].set_index(["metric", "week"])
    assert ((other["diff_low"] + reference).dropna() >= -1e-12).all()  # the scenario's share, at the interval's ends
    assert ((other["diff_high"] + reference).dropna() <= 1 + 1e-12).all()
    assert ((table["ci_low"].dropna() >= 0) & (table["ci_high"].dropna() <= 1)).all()
    said = two.markdown()
    assert "recall for breach within 52 weeks of release 6.0% (no interval: the same in every replicate) vs 7.5% in Baseline: -1.5 points " \
           f"(95% CI -7.5 to +17.6; {CUT})" in said
    assert f"(-1.5 points, 95% CI -7.5 to +17.6, {CUT}: within noise)" in said  # In short, too


def test_the_note_under_in_short_gives_the_rule_its_verdicts_follow(comparison):
    """In short says 'fewer new offences (-2.0 points: the same difference in every replicate, so no interval)'
    (``clear_of_zero``), and the note under it said "'Fewer' and 'more' only where that interval excludes 0": one
    contradicted the other. The note gives the one rule."""
    from sim.experiments.comparison import IN_POINTS

    text = comparison.markdown()
    assert IN_POINTS in text and ("or where there is none because the difference is the same non-zero number in each "
                                  "of 6 or more replicates (fewer could share one sign by chance)") in text
    assert "'Fewer' and 'more' only where that interval excludes 0." not in text


def test_a_headline_s_two_shares_agree_with_the_difference_written_after_them(comparison):
    """'new offence of any kind within 156 weeks of release 6.3% (95% CI 4.7%-7.9%) vs 4.8% in Baseline: +1.4 points'
    (sim compare baseline high_stigma ngo_surge -r 8: 6.28% and 4.84%, a difference of 1.44): 6.3 - 4.8 reads 1.5. The
    two shares take the decimals that make them agree with the difference, and the share's interval takes them too."""
    import copy

    shown = copy.copy(comparison)
    table = comparison.table.copy()
    row = (table["metric"] == "reoffended") & (table["clock"] == "weeks_since_release")
    strict, light = row & (table["scenario"] == "strict"), row & (table["scenario"] == "light")
    table.loc[strict, ["mean", "ci_low", "ci_high", "difference", "diff_low", "diff_high"]] = [
        0.0628125, 0.046995918590826816, 0.07862908140917325, 0.014375, 0.011264902646829762, 0.017485097353170265]
    table.loc[light, ["mean", "ci_low", "ci_high"]] = [0.0484375, 0.03300029226641284, 0.06387470773358721]
    table.loc[row & (table["scenario"] == "same_as_light"), ["mean", "difference"]] = [0.0484375, 0.0]  # light's twin
    shown.table = table
    (line,) = [h for h in shown.headlines() if h.startswith("strict: new offence of any kind")]
    assert "6.3% (95% CI 4.7%-7.9%) vs 4.8%" not in line, line
    assert "6.28% (95% CI 4.70%-7.86%) vs 4.84% in light: +1.4 points" in line, line
    # a pair that already agrees keeps one decimal
    table.loc[strict, ["mean", "ci_low", "ci_high", "difference"]] = [0.0634375, 0.0476209, 0.0792541, 0.015]
    assert any("6.3% (95% CI 4.8%-7.9%) vs 4.8% in light: +1.5 points" in h for h in shown.headlines()), shown.headlines()


def test_comparison_md_names_the_commands_that_answer_for_whom_and_what_if_the_assumptions_are_wrong(comparison):
    """A policy reader asks for whom a policy works and whether the answer would change if the model's assumptions
    were wrong; comparison.md answered neither and did not say which command does. It now names them, with the
    scenarios to give them (shipped names as they are; files as a placeholder, since a file's name does not rerun it)."""
    shipped = compare(["baseline", "ngo_surge"], replicates=1, seed=1, overrides=TINY).markdown()
    questions = shipped[shipped.index("## Questions this comparison leaves open"):shipped.index("## How to read this")]
    assert "`sim compare baseline ngo_surge --replicates 1 --by risk_tier`" in questions
    assert "`sim robustness baseline ngo_surge`" in questions
    assert "worth its extra cost" in questions  # priced: the acceptability curve answers 'is it worth it?'
    assert "`--by offence_type`" not in questions  # a wholly violent-extremist cohort has one offence type
    # ngo_surge moves three settings: what any one of them buys is not in this comparison, and the words say how to get it
    assert ("**Which change does the work?** NGO places for everyone (ngo_surge) changes 3 settings at once" in questions
            and "`sim compare baseline FILE.yaml`" in questions)
    files = comparison.markdown()
    questions = files[files.index("## Questions this comparison leaves open"):files.index("## How to read this")]
    assert "`sim robustness SCENARIO...` (the scenario files this comparison was given)" in questions
    assert "Which change does the work?" not in questions  # strict and same_as_light each change one setting
    by = compare(["baseline", "ngo_surge"], replicates=1, seed=1, overrides=TINY, by="risk_tier").markdown()
    assert "**For whom?**" not in by and "`sim robustness baseline ngo_surge`" in by  # the groups are above


def test_comparison_md_says_what_a_cost_counts_and_leaves_out():
    """'costs GBP 9,500 more' could be read as the whole cost of a policy to society: the Costs section says what it
    sums and that the harm of offences to their victims is not in it."""
    from sim.costs import COST_COUNTS

    text = compare(["baseline", "ngo_surge"], replicates=1, seed=1, overrides=TINY).markdown()
    costs = text[text.index("## Costs"):text.index("## Questions this comparison leaves open")]
    assert COST_COUNTS in costs and "leaves out what offences cost their victims" in COST_COUNTS


def test_comparison_md_says_what_a_replicate_is_and_that_its_intervals_leave_out_the_assumptions(comparison):
    """'4 replicates each' and '95% CI +8,200 to +11,000' meant nothing to a policy reader, and a narrow interval read
    as certainty: How to read this says a replicate is another synthetic cohort under the same settings, and that
    the intervals measure chance alone, not the assumed sizes and prices (which `sim robustness` tests)."""
    from sim.experiments.comparison import REPLICATE_MEANS

    text = comparison.markdown()
    assert f"- {REPLICATE_MEANS}" in text[text.index("## How to read this"):]
    assert "not how wrong the model's assumed sizes and prices may be" in REPLICATE_MEANS
