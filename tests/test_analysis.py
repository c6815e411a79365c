"""The analysis helper: loading result folders as tidy frames, the tables and plots the notebooks repeat."""

from __future__ import annotations

import json
import re
import shutil
import threading
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

import sim
from sim import analysis
from sim.errors import InputError
from sim.figures import LABELS, scenario_colours
from sim.scenarios import load_scenario
from sim.stats import interval

SMALL = {"population.community": 400, "population.released": 60, "weeks": 40}


@pytest.fixture(scope="module")
def result():
    return sim.run(["baseline", "high_stigma"], replicates=3, seed=7, overrides=SMALL)


@pytest.fixture(scope="module")
def run_folder(result, tmp_path_factory):
    return result.save(tmp_path_factory.mktemp("run") / "out", figures=False)


def sweep_folder(path, factors=("stigma.baseline", "supervision.strictness", "ngo.capacity")):
    """A fabricated sweep folder: the runs dataset and manifest `sim sweep` writes, with known values."""
    rng = np.random.default_rng(0)
    grid = pd.MultiIndex.from_product([[0.2, 0.8], [0.2, 0.9], [0.0, 1.0], range(3)],
                                      names=[*factors, "replicate"]).to_frame(index=False)
    runs = grid.assign(point=grid.index // 3, seed=np.arange(len(grid)), status="ok", error=None, seconds=0.1,
                       reoffended_156w=0.3 + 0.2 * grid[factors[0]] - 0.1 * grid[factors[2]] + rng.normal(0, 0.01, len(grid)),
                       final_community_stigma=grid[factors[0]] * 0.9)
    (path / "runs").mkdir(parents=True)
    runs.to_parquet(path / "runs" / "part-00000.parquet", index=False)
    manifest = {"experiment": {"name": "fabricated", "spec": {"design": {"kind": "grid", "factors": {
        f: sorted(runs[f].unique().tolist()) for f in factors}}},
        "base_scenario": load_scenario("general_offenders").model_dump(mode="json")}}
    (path / "manifest.json").write_text(json.dumps(manifest))
    return path


def test_every_name_the_notebooks_and_docs_call_is_in_the_analysts_namespace():
    """`from sim import analysis` is the notebooks' API: each analysis.<name> a notebook, README.md or a doc calls is
    one the package gives by name (``__all__``), whichever of its modules holds it."""
    root = Path(__file__).resolve().parent.parent
    called = {name for path in [*root.glob("notebooks/*.ipynb"), *root.glob("docs/*.md"), root / "README.md"]
              for name in re.findall(r"\banalysis\.([A-Za-z_]\w*)", path.read_text(encoding="utf-8"))}
    assert {"load", "headline", "lever_effects", "fit_table", "no_interval"} <= called  # the search finds them
    assert sorted(called - set(analysis.__all__)) == []
    assert [name for name in analysis.__all__ if not hasattr(analysis, name)] == []


def test_load_reads_a_run_folder_as_tidy_frames(run_folder, result):
    loaded = analysis.load(run_folder)
    assert loaded.kind == "run"
    pd.testing.assert_frame_equal(loaded.curves, result.curves)
    assert loaded.timeseries is not None and loaded.summary is not None
    assert [s["name"] for s in loaded.scenarios] == ["baseline", "high_stigma"]
    assert len(loaded.events) == len(result.events)
    assert len(loaded.runs) == 6  # one row per scenario and replicate


def test_load_tells_compare_and_sweep_folders_apart(run_folder, tmp_path):
    compare = tmp_path / "compare"
    shutil.copytree(run_folder, compare)
    pd.DataFrame({"scenario": ["baseline"], "metric": ["reoffended"]}).to_csv(compare / "comparison.csv", index=False)
    loaded = analysis.load(compare)
    assert loaded.kind == "compare" and list(loaded.comparison["scenario"]) == ["baseline"]

    swept = analysis.load(sweep_folder(tmp_path / "sweep"))
    assert swept.kind == "sweep"
    assert swept.factors == ["stigma.baseline", "supervision.strictness", "ngo.capacity"]
    assert len(swept.runs) == 24 and swept.curves is None
    assert [s["name"] for s in swept.scenarios] == ["general_offenders"]


def test_a_resumed_sweep_loads_in_point_order_as_sweep_reads_it(tmp_path):
    """Parts land in the order runs finish (workers, resumes): load must give the same frame whatever that order."""
    from sim.experiments import Sweep

    folder = sweep_folder(tmp_path / "sweep")
    whole = pd.read_parquet(folder / "runs" / "part-00000.parquet")
    (folder / "runs" / "part-00000.parquet").unlink()
    whole.iloc[12:].to_parquet(folder / "runs" / "part-00001.parquet", index=False)  # the second half finished first
    whole.iloc[:12].to_parquet(folder / "runs" / "part-00002.parquet", index=False)
    runs = analysis.load(folder).runs
    assert runs[["point", "replicate"]].values.tolist() == whole[["point", "replicate"]].values.tolist()
    pd.testing.assert_frame_equal(runs, Sweep(folder).runs)


@pytest.mark.parametrize("edit", [
    lambda m: m | {"experiment": [1, 2]},
    lambda m: m | {"experiment": m["experiment"] | {"spec": "grid"}},
    lambda m: m | {"experiment": m["experiment"] | {"spec": {"design": [1]}}},
    lambda m: {"scenarios": 5},
])
def test_a_sweep_manifest_edited_into_other_json_types_is_read_as_far_as_it_goes(tmp_path, capsys, edit):
    """The runs are intact: the factors fall back to the runs table's dotted columns, the scenarios to none."""
    from sim.cli import main

    folder = sweep_folder(tmp_path / "sweep")
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps(edit(manifest)))
    swept = analysis.load(folder)
    assert sorted(swept.factors) == ["ngo.capacity", "stigma.baseline", "supervision.strictness"]
    assert swept.scenarios == [] or [s["name"] for s in swept.scenarios] == ["general_offenders"]
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 0
    assert "internal error" not in capsys.readouterr().err


def holding(name, text="{}"):
    """A folder holding only the file `name`, which tells the command that wrote it."""
    def make(folder):
        (folder / name).write_text(text)
        return folder
    return make


def stopped_run(folder):
    (folder / "manifest.json").write_text(json.dumps({"command": ["sim", "run", "baseline"]}))
    return folder


@pytest.mark.parametrize("make, says", [
    (lambda p: p / "missing", "no such folder"),
    (lambda p: p, "is not a result folder"),
    (lambda p: p / "notes.txt", "is a file, not a folder"),
    (holding("optimise.json"), "holds what sim optimise wrote"),
    (stopped_run, "holds part of what sim run writes, not its results"),
    (holding("robustness.json"), "holds what sim robustness wrote"),
    (holding("calibrated.yaml", "name: x\n"), "holds what sim calibrate wrote"),
])
def test_load_says_why_a_folder_is_not_one_it_reads(tmp_path, make, says):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputError, match=says) as refused:
        analysis.load(make(tmp_path))
    assert "a folder written by sim run, compare or sweep" in str(refused.value)


def test_run_table_reads_the_curves_at_each_horizon_and_the_last_week(result):
    table = analysis.run_table(result.curves, result.timeseries)
    row = table[(table["scenario"] == "high_stigma") & (table["replicate"] == 1)].iloc[0]
    curve = result.curves[(result.curves["scenario"] == "high_stigma") & (result.curves["replicate"] == 1)]
    series = result.timeseries[(result.timeseries["scenario"] == "high_stigma") & (result.timeseries["replicate"] == 1)]
    assert row["reoffended_40w"] == curve.loc[curve["weeks_since_release"] == 40, "reoffended"].item()
    assert row["final_community_stigma"] == series.loc[series["week"].idxmax(), "community_stigma"]
    assert not any(c.endswith("_52w") for c in table.columns)  # the run is only 40 weeks long


def test_headline_gives_percent_with_intervals(result):
    table = analysis.headline(result.summary)
    assert list(table.index) == ["baseline", "high_stigma"]
    assert list(table.columns) == ["reoffended at 40 weeks", "recalled at 40 weeks", "returned at 40 weeks",
                                   "terrorism_offence at 40 weeks"]  # a violent-extremist cohort's own outcome
    assert table.iloc[0, 0].endswith(")") and "%" in table.iloc[0, 0]


def test_a_share_the_same_in_every_replicate_is_said_to_have_no_interval():
    """'0.0% (0.0-0.0)' read as a certainty where three replicates merely agreed (no terrorism offence in any)."""
    assert analysis.share_text(0.0, 0.0, 0.0, 3, 3) == "0.0% (no interval: the same in every replicate)"
    assert analysis.share_text(0.132, 0.12, 0.144, 3, 3, ci="95% CI ") == "13.2% (95% CI 12.0-14.4)"
    assert analysis.share_text(0.132, np.nan, np.nan, 1, 3) == "13.2% (no interval: 1 replicate) (from 1 of 3 replicates)"


def test_scenario_differences_lists_only_the_keys_that_differ():
    base = load_scenario("baseline").model_dump(mode="json")
    high = load_scenario("high_stigma").model_dump(mode="json")
    strict = load_scenario("baseline", {"supervision.strictness": 0.9, "weeks": 52}).model_dump(mode="json")
    strict["name"] = "strict"
    table = analysis.scenario_differences([base, high, strict])
    assert list(table.columns) == ["baseline", "high_stigma", "strict"]
    assert set(table.index) >= {"stigma.baseline", "supervision.strictness", "weeks"}
    assert "description" not in table.index and "population.released" not in table.index
    assert table.loc["supervision.strictness", "strict"] == 0.9


def test_interval_keeps_negative_differences():
    mean, low, high = interval(pd.Series([-0.1, -0.12, -0.08]))
    assert mean == pytest.approx(-0.1) and low < mean < high < 0


def test_curves_and_stigma_keep_one_colour_per_scenario_and_label_units(result):
    colours = scenario_colours(["baseline", "high_stigma"])
    curves = analysis.plot_curves(result.curves)
    stigma = analysis.plot_stigma(result.timeseries, events=[(20, "attack reported")])
    for fig in (curves, stigma):
        lines = {line.get_label(): line.get_color() for line in fig.axes[0].get_lines() if not line.get_label().startswith("_")}
        assert lines == {name: colour for name, colour in colours.items()}
    assert curves.axes[0].get_xlabel() == "Weeks since release"
    assert curves.axes[0].get_ylabel() == "Share of cohort (%)"
    assert stigma.axes[0].get_xlabel() == "Week of simulation"
    # the band is drawn: one filled interval per scenario
    assert len(curves.axes[0].collections) == 2
    assert stigma.get_suptitle().startswith("Stigmatisation")
    # other weekly metrics get a title that does not call them stigma
    other = analysis.plot_stigma(result.timeseries, ("employment_rate", "in_custody"))
    assert "stigma" not in other.get_suptitle().lower()


def test_curves_and_stigma_name_scenarios_by_their_titles_given_the_runs_scenarios(result, run_folder):
    """The notebooks' figures showed 'high_stigma' where the saved figures and reports say 'High community stigma'."""
    titles = {s.name: s.title for s in result.scenarios}
    assert titles["high_stigma"] != "high_stigma"
    for scenarios in (result.scenarios, analysis.load(run_folder).scenarios):  # settings, or a folder's manifest dicts
        for fig in (analysis.plot_curves(result.curves, scenarios=scenarios),
                    analysis.plot_stigma(result.timeseries, scenarios=scenarios)):
            shown = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
            assert shown == [titles["baseline"], titles["high_stigma"]]
    unnamed = analysis.plot_curves(result.curves)  # without them, the names the table holds
    assert [text.get_text() for text in unnamed.axes[0].get_legend().get_texts()] == ["baseline", "high_stigma"]


def test_curves_and_stigma_keep_their_legend_in_a_figure_cut_to_its_contents(result):
    """Jupyter shows a figure cut to its tight bounding box (``bbox_inches="tight"``), which left out the legend placed
    under the panels: every notebook's curves and weekly figures showed coloured lines with nothing naming them."""
    for fig in (analysis.plot_curves(result.curves), analysis.plot_stigma(result.timeseries)):
        renderer = fig.canvas.get_renderer()
        shown = fig.get_tightbbox(renderer)  # inches: the part of the figure Jupyter and savefig(bbox_inches="tight") keep
        legend = fig.axes[0].get_legend().get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted())
        assert shown.y0 <= legend.y0 and legend.y1 <= shown.y1 and shown.x0 <= legend.x0 and legend.x1 <= shown.x1


def test_heatmap_shows_the_mean_over_replicates_at_each_facet(tmp_path):
    runs = analysis.load(sweep_folder(tmp_path / "sweep")).runs
    fig = analysis.plot_heatmap(runs, "supervision.strictness", "stigma.baseline", "reoffended_156w", facet="ngo.capacity")
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["ngo.capacity = 0.0", "ngo.capacity = 1.0"]
    cell = runs[(runs["stigma.baseline"] == 0.8) & (runs["supervision.strictness"] == 0.2) & (runs["ngo.capacity"] == 1.0)]
    shown = [t.get_text() for t in panels[1].texts]
    assert f"{100 * cell['reoffended_156w'].mean():.1f}" in shown


def test_interaction_is_the_difference_of_means_at_each_level(tmp_path):
    runs = analysis.load(sweep_folder(tmp_path / "sweep")).runs
    table = analysis.interaction(runs, "ngo.capacity", "stigma.baseline", "reoffended_156w")
    at = runs[runs["stigma.baseline"] == 0.2]
    expected = at.loc[at["ngo.capacity"] == 1.0, "reoffended_156w"].mean() - at.loc[at["ngo.capacity"] == 0.0, "reoffended_156w"].mean()
    assert table.iloc[0, 1] == pytest.approx(expected)
    assert table.iloc[0, 1] == pytest.approx(-0.1, abs=0.02)
    assert (table["ci_low"] < table.iloc[:, 1]).all()


def test_lever_effects_pairs_replicates_and_signs_the_benefit():
    scenarios = analysis.lever_scenarios("baseline", SMALL)
    assert len(scenarios) == 20 and scenarios[0].name == "policy_input=0"
    assert scenarios[1].cooperation.policy_input == 1.0 and scenarios[1].cooperation.assessment == 0.3
    rows = []
    for scenario in scenarios:
        lever, level = scenario.name.split("=")
        for replicate in range(3):
            rows.append({"scenario": scenario.name, "replicate": replicate, "reoffended_40w": 0.1 + replicate / 100,
                         **{f"final_{m}": 0.5 + replicate / 100 for m in (
                             "trust_government", "ngo_independence", "ngo_willingness", "community_stigma",
                             "ngo_reputation", "commitment", "family_bond", "employment_rate", "trust_ngo",
                             "experienced_stigma", "ngo_enrolled", "ngo_places", "needs", "family_stigma")},
                         **{f"final_{s}": 20 for s in analysis.COHORT_STATES},
                         "recalled_40w": 0.2 + replicate / 100 - ((0.05 + replicate / 1000)
                                                                  if (lever, level) == ("supervision_partnership", "1") else 0)})
    effects = analysis.lever_effects(pd.DataFrame(rows))
    recall = effects[(effects["lever"] == "supervision_partnership") & (effects["role"] == "opportunity")].iloc[0]
    assert recall["metric"] == "recalled_40w"
    assert recall["effect"] == pytest.approx(-0.051)
    # paired: the interval is of the shifts -0.050, -0.051, -0.052, not of the levels 1 point apart in each scenario
    assert recall["ci_low"] == pytest.approx(-0.051 - 4.303 * 0.001 / np.sqrt(3), abs=1e-5)
    assert recall["benefit"] == pytest.approx(5.1)  # fewer recalls is better: +5.1 points
    assert set(effects["role"]) == {"opportunity", "challenge"} and len(effects) == 20


def lever_rows(recalled_off, recalled_on):
    """A lever runs table whose recall share at 40 weeks is `recalled_off` / `recalled_on` (one per replicate)."""
    rows = []
    for scenario in analysis.lever_scenarios("baseline", SMALL):
        level = scenario.name.split("=")[1]
        for replicate, recalled in enumerate(recalled_on if level == "1" else recalled_off):
            rows.append({"scenario": scenario.name, "replicate": replicate, "reoffended_40w": 0.1, "recalled_40w": recalled,
                         **{f"final_{m}": 0.5 for m in (
                             "trust_government", "ngo_independence", "ngo_willingness", "community_stigma",
                             "ngo_reputation", "commitment", "family_bond", "employment_rate", "trust_ngo",
                             "experienced_stigma", "ngo_enrolled", "ngo_places", "needs", "family_stigma")},
                         **{f"final_{s}": 20 for s in analysis.COHORT_STATES}})
    return pd.DataFrame(rows)


def test_lever_effects_keep_an_effect_within_what_the_share_can_be():
    """Notebook 04: recalls at 1% and 3% of the cohort with the lever off, 0% with it on, gave an effect of -2 points
    with an interval from -14.7 points (recalls at -12.7% of the cohort) and a benefit of up to +14.7 points; with
    the lever on, recalls cannot fall below 0%: the interval stops at -2 points, its other end as measured."""
    effects = analysis.lever_effects(lever_rows([0.01, 0.03], [0.0, 0.0]))
    recall = effects[(effects["lever"] == "supervision_partnership") & (effects["role"] == "opportunity")].iloc[0]
    assert recall["effect"] == pytest.approx(-0.02)
    assert recall["ci_low"] == pytest.approx(-0.02)
    assert recall["ci_high"] == pytest.approx(-0.02 + 12.706 * 0.02 / 2, abs=1e-4)
    assert recall["benefit_high"] == pytest.approx(2.0)


def test_lever_outcomes_give_each_lever_s_effect_on_the_headline_outcomes_as_lever_effects_gives_it():
    """Notebook 04's table of headline outcomes took a plain t interval: -9.9 (-18.6 to -1.3) for recall where
    lever_effects said -0.099 (-0.171 to -0.013; cut), and '+0.0 (+0.0 to +0.0)' where the difference is the same in
    every replicate. Both tables now take the one difference."""
    table = lever_rows([0.01, 0.03], [0.0, 0.0])
    outcomes = analysis.lever_outcomes(table).set_index(["lever", "outcome"])
    assert list(outcomes.index.unique("outcome")) == ["reoffended_40w", "recalled_40w", "final_community_stigma",
                                                     "final_experienced_stigma"]
    recall = outcomes.loc[("supervision_partnership", "recalled_40w")]
    effects = analysis.lever_effects(table)
    same = effects[(effects["lever"] == "supervision_partnership") & (effects["metric"] == "recalled_40w")].iloc[0]
    assert recall[["effect", "ci_low", "ci_high", "ci_note"]].tolist() == same[["effect", "ci_low", "ci_high",
                                                                                "ci_note"]].tolist()
    assert recall["ci_low"] == pytest.approx(-0.02) and recall["ci_note"] == analysis.CUT_MARK  # cut at 0% and said
    stigma = outcomes.loc[("supervision_partnership", "final_community_stigma")]
    assert stigma["effect"] == 0 and np.isnan(stigma["ci_low"])  # the same in every replicate: no interval
    with pytest.raises(InputError, match="reoffended_52w: is not a column of the lever runs table"):
        analysis.lever_outcomes(table, ["reoffended_52w"])


def test_interaction_keeps_an_effect_within_what_the_share_can_be():
    """Notebook 03: a cell at 0% and 2% moving to 0% and 0% gave an effect of -1 point from -13.7 points; the share
    cannot go below 0%, so the effect cannot go below -1 point."""
    runs = pd.DataFrame({"ngo.capacity": [0.0, 0.0, 1.0, 1.0], "stigma.baseline": 0.5, "status": "ok",
                         "reoffended_156w": [0.0, 0.02, 0.0, 0.0]})
    row = analysis.interaction(runs, "ngo.capacity", "stigma.baseline", "reoffended_156w").iloc[0]
    assert row["effect of ngo.capacity 0.0 -> 1.0"] == pytest.approx(-0.01)
    assert row["ci_low"] == pytest.approx(-0.01)
    assert row["ci_high"] == pytest.approx(-0.01 + 12.706 * 0.01, abs=1e-4)


def test_interaction_gives_no_interval_to_an_effect_the_same_in_every_replicate():
    """interaction's Welch difference gave two cells each the same in every replicate an interval of width 0, a
    certainty the replicates cannot show, where ``sim compare``'s paired difference gives none: one rule for both."""
    runs = pd.DataFrame({"ngo.capacity": [0.0, 0.0, 1.0, 1.0], "stigma.baseline": 0.5, "status": "ok",
                         "final_community_stigma": [0.5, 0.5, 0.4, 0.4]})
    row = analysis.interaction(runs, "ngo.capacity", "stigma.baseline", "final_community_stigma").iloc[0]
    assert row["effect of ngo.capacity 0.0 -> 1.0"] == pytest.approx(-0.1)
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"]) and row["ci_note"] == ""


def test_interaction_pairs_the_runs_of_a_sweep_on_common_random_numbers():
    """On common random numbers replicate r of every point runs on one seed, so the two cells are paired samples, as
    ``lever_effects`` and ``sim compare`` take them; interaction took them for independent ones (Welch), whose
    interval here includes 0 where the paired one, over the seeds the cells share, excludes it."""
    from sim.stats import paired_difference

    shared = pd.DataFrame({"ngo.capacity": [0.0] * 4 + [1.0] * 4, "stigma.baseline": 0.5, "status": "ok",
                           "seed": [11, 12, 13, 14] * 2,
                           "reoffended_156w": [0.20, 0.30, 0.40, 0.50, 0.19, 0.28, 0.39, 0.48]})
    row = analysis.interaction(shared, "ngo.capacity", "stigma.baseline", "reoffended_156w").iloc[0]
    by_seed = shared.set_index("seed").groupby("ngo.capacity")["reoffended_156w"]
    expected = paired_difference(by_seed.get_group(0.0), by_seed.get_group(1.0), floor=0.0, ceiling=1.0)
    assert [row["effect of ngo.capacity 0.0 -> 1.0"], row["ci_low"], row["ci_high"]] == pytest.approx(expected[:3])
    assert row["ci_high"] < 0
    independent = analysis.interaction(shared.assign(seed=range(8)), "ngo.capacity", "stigma.baseline",
                                       "reoffended_156w").iloc[0]
    assert independent["ci_low"] < 0 < independent["ci_high"]  # unpaired: Welch, as before


def test_bjs_target_ships_with_the_package_and_fit_error_is_model_minus_target():
    target = analysis.bjs_target()
    assert len(target) == 60 and target["month"].min() == 1  # month 0 is 0 by definition, not a target point
    assert target.loc[target["month"] == 12, "arrest"].item() == pytest.approx(0.434, abs=0.001)
    assert target.loc[target["month"] == 12, "weeks_since_release"].item() == 52
    curves = pd.DataFrame({"weeks_since_release": np.tile(np.arange(53), 2), "replicate": np.repeat([0, 1], 53),
                           "reoffended": 0.5, "returned": 0.2})
    fit = analysis.fit_table(curves, target)
    row = fit[(fit["target"] == "arrest") & (fit["month"] == 12)].iloc[0]
    observed = target.loc[target["month"] == 12, "arrest"].item()  # the shipped target, not the table's own copy
    assert row["observed"] == pytest.approx(observed) and row["model"] == pytest.approx(0.5)
    assert row["error_points"] == pytest.approx(100 * (0.5 - observed))  # model minus target, in points
    assert fit["month"].max() == 12  # only months the run covers


def test_fit_table_reads_the_model_where_calibration_does():
    """Month 2 is week 8.67: the curve is read there by interpolation, as sim calibrate scores a fit, not at week 9."""
    from sim.calibration.objective import model_percent
    from sim.calibration.target import read_target
    from sim.data import BJS_2005, shipped

    weeks = np.arange(53)
    curves = pd.DataFrame({"weeks_since_release": weeks, "replicate": 0, "reoffended": weeks / 100, "returned": 0.0})
    row = analysis.fit_table(curves).query("target == 'arrest' and month == 2").iloc[0]
    assert row["model"] == pytest.approx(8.6667 / 100, abs=1e-4)
    points = read_target(shipped(BJS_2005)).of("arrest").assign(output="reoffended").query("time == 2")
    assert 100 * row["model"] == pytest.approx(model_percent([curves], points)[0, 0])
    # one run's curves, as sim.simulate returns them (no scenario or replicate column), read the same
    alone = analysis.fit_table(curves.drop(columns="replicate")).query("target == 'arrest' and month == 2").iloc[0]
    assert alone["model"] == row["model"]


@pytest.mark.parametrize("column", ["scenario", "point"])
def test_fit_table_refuses_curves_of_several_scenarios_or_design_points(column):
    """Two scenarios' (or a sweep's points') curves were pooled into one band, grouped by replicate alone: a narrower,
    meaningless interval, or, for a sweep, one point's numbers given for the whole sweep."""
    weeks = np.arange(53)
    one = pd.DataFrame({"weeks_since_release": weeks, "replicate": 0, "reoffended": weeks / 100, "returned": 0.0})
    first, second = ("baseline", "high_stigma") if column == "scenario" else (0, 1)
    two = pd.concat([one.assign(**{column: first}), one.assign(**{column: second}, reoffended=weeks / 50)])
    with pytest.raises(InputError, match=f"holds 2 {column}s: fit_table fits one") as caught:
        analysis.fit_table(two)
    assert f"curves[curves['{column}'] == {first!r}]" in caught.value.expected
    assert analysis.fit_table(two[two[column] == second]).equals(analysis.fit_table(one.assign(reoffended=weeks / 50)))


def test_fit_table_keeps_the_model_band_within_0_to_100_percent():
    """Notebook 05's calibration band of two replicates, one at 0 and one at 0.4% by month 3, ran to -7.6% of the
    cohort: a share cannot be below 0, so the band stops there, with the mean where it was."""
    weeks = np.arange(53)
    curves = pd.DataFrame({"weeks_since_release": np.tile(weeks, 2), "replicate": np.repeat([0, 1], 53),
                           "reoffended": np.concatenate([0 * weeks, weeks / 1000]), "returned": 0.0})
    fit = analysis.fit_table(curves)
    row = fit.query("target == 'arrest' and month == 3").iloc[0]
    assert row["model"] == pytest.approx(0.0065)
    assert row["model_low"] == 0.0
    assert row["model_high"] == pytest.approx(interval(pd.Series([0.0, 0.013]))[2])  # the top is as measured
    assert (fit["model_low"] >= 0).all() and (fit["model_high"] <= 1).all()


@pytest.mark.parametrize("call, says", [
    (lambda r, s: analysis.headline(r.summary, metrics=("reofended",)), "reofended: is not a metric of the summary (did you mean 'reoffended'?)"),
    (lambda r, s: analysis.headline(r.summary, week=100), "week=100: is not a horizon of the summary (expected one of 40 weeks"),
    (lambda r, s: analysis.headline(None), "got None instead of the summary"),
    # the summary holds it, by calendar week: "is not a metric of the summary" was untrue
    (lambda r, s: analysis.headline(r.summary, ["community_stigma"]),
     "community_stigma: is a week-by-week series of the summary, not a share with a first event"),
    (lambda r, s: analysis.plot_curves(r.curves, metrics=("reofended",)), "reofended: is not a column of the curves (did you mean 'reoffended'?)"),
    (lambda r, s: analysis.plot_stigma(r.timeseries, metrics=("comunity_stigma",)), "did you mean 'community_stigma'?"),
    (lambda r, s: analysis.plot_heatmap(r.runs, "supervision.strictness", "stigma.baseline", "reoffended_40w"),
     "supervision.strictness: is not a column of the runs table (expected a design factor, which only a sweep's runs have"),
    (lambda r, s: analysis.interaction(r.runs, "ngo.capacity", "stigma.baseline", "reoffended_40w"), "only a sweep's runs have"),
    (lambda r, s: analysis.plot_heatmap(s.runs, "supervision.strictness", "stigma.baseline", "reoffended_156"),
     "reoffended_156: is not a column of the runs table (did you mean 'reoffended_156w'?)"),
    (lambda r, s: analysis.interaction(s.runs, "ngo.capacty", "stigma.baseline", "reoffended_156w"), "did you mean 'ngo.capacity'?"),
    (lambda r, s: analysis.lever_effects(r.runs), "the runs table holds no runs of 20 of the 20 lever scenarios"),
    (lambda r, s: analysis.fit_table(r.curves, mapping={"arrest": "reofended"}), "reofended: is not a column of the curves"),
    (lambda r, s: analysis.fit_table(r.curves, mapping={"arest": "reoffended"}), "arest: is not a column of the target"),
    (lambda r, s: analysis.plot_fit(analysis.fit_table(r.curves.query("scenario == 'baseline' and weeks_since_release < 3"))),
     "the fit table is empty: the run ends before the target's first month"),
    (lambda r, s: analysis.interaction(s.runs[s.runs["ngo.capacity"] == 0.0], "ngo.capacity", "stigma.baseline",
                                       "reoffended_156w"), "ngo.capacity: has 1 level in the runs that succeeded"),
    # each was pandas' TypeError from inside the mean, or seaborn's KeyError or ValueError
    (lambda r, s: analysis.plot_stigma(r.timeseries, metrics=["scenario"]),
     "scenario: is not a number in the timeseries (it holds str values) (expected a column of numbers such as"),
    (lambda r, s: analysis.plot_curves(r.curves, metrics="scenario"), "scenario: is not a number in the curves"),
    (lambda r, s: analysis.plot_heatmap(s.runs, "supervision.strictness", "stigma.baseline", "reoffended_156w",
                                        cmap="rockett"), "cmap: is not a colour palette seaborn or matplotlib knows"),
    # with the names it could have been: '(got 'rockett')' left them off
    (lambda r, s: analysis.plot_heatmap(s.runs, "supervision.strictness", "stigma.baseline", "reoffended_156w",
                                        cmap="rockett"), "knows: 'rockett' (expected a name such as 'flare', 'rocket_r'"),
    (lambda r, s: analysis.plot_interaction(s.runs, "supervision.strictness", "stigma.baseline", "reoffended_156w",
                                            palette_name="flair"), "palette_name: is not a colour palette"),
    (lambda r, s: analysis.plot_interaction(s.runs, "supervision.strictness", "stigma.baseline", "reoffended_156w",
                                            palette_name=5), "palette_name: is not a colour palette"),
])
def test_a_misspelt_name_or_a_table_of_another_kind_is_one_clear_message(run_folder, tmp_path, call, says):
    """An analyst's slip (a metric misspelt, a sweep's factor asked of a run, a horizon the summary lacks) is told in one
    line naming it, not a KeyError from pandas, a NaN cast error or a silently empty or NaN table."""
    with pytest.raises(InputError) as refused:
        call(analysis.load(run_folder), analysis.load(sweep_folder(tmp_path / "sweep")))
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_a_colour_map_a_list_of_colours_or_a_palette_name_each_draws_a_figure(tmp_path):
    """What seaborn accepts for a colour scale, the figures accept: a name, a list of colours, a matplotlib colour map."""
    from matplotlib import colormaps

    runs = analysis.load(sweep_folder(tmp_path / "sweep")).runs
    for cmap in ("mako", ["white", "darkred"], colormaps["viridis"]):
        figure = analysis.plot_heatmap(runs, "supervision.strictness", "stigma.baseline", "reoffended_156w", cmap=cmap)
        assert figure.axes
    for palette_name in ("colorblind", ["black", "orange", "blue"]):
        figure = analysis.plot_interaction(runs, "supervision.strictness", "stigma.baseline", "reoffended_156w",
                                           palette_name=palette_name)
        assert len(figure.axes[0].get_legend().get_texts()) == runs["stigma.baseline"].nunique()


def test_loading_a_stopped_sweep_warns_that_its_tables_hold_only_the_runs_done(tmp_path):
    """sim report heads the report of a stopped sweep with a warning; a notebook loading it is told the same."""
    folder = sweep_folder(tmp_path / "sweep")
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps(manifest | {"experiment": manifest["experiment"] | {"runs": 54}}))
    with pytest.warns(analysis.IncompleteWarning) as told:
        loaded = analysis.load(folder)
    assert loaded.planned == 54 and len(loaded.runs) == 24
    assert str(told[0].message) == (f"{folder}: incomplete sweep: it holds 24 runs of the 54 its design plans, stopped "
                                     "before the end, and its tables and figures show only those (rerun the same sim "
                                     "sweep into this folder to finish it)")
    stopped = manifest | {"experiment": manifest["experiment"] | {"runs": 54},
                          "sessions": [{"command": ["/usr/bin/sim", "sensitivity", "cooperation_levers_sobol"]}]}
    (folder / "manifest.json").write_text(json.dumps(stopped))  # it was a sensitivity analysis: rerun that, not a sweep
    with pytest.warns(analysis.IncompleteWarning, match=r"rerun the same sim sensitivity into this folder"):
        analysis.load(folder)
    (folder / "manifest.json").write_text(json.dumps(manifest | {"experiment": manifest["experiment"] | {"runs": 24}}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert analysis.load(folder).planned == 24  # a finished sweep loads without a word


def test_loading_a_sweep_another_command_is_writing_warns_that_it_is_not_finished(tmp_path):
    from sim.folder_lock import folder_lock

    folder = sweep_folder(tmp_path / "sweep")
    taken, release = threading.Event(), threading.Event()

    def sweeping():
        with folder_lock(folder, command="sim sweep"):
            taken.set()
            release.wait(60)

    writer = threading.Thread(target=sweeping)
    writer.start()
    try:
        assert taken.wait(60)
        with pytest.warns(analysis.IncompleteWarning, match=r"another command \(.*sim sweep\) is still writing this "
                                                            r"sweep: it holds 24 runs so far"):
            analysis.load(folder)
    finally:
        release.set()
        writer.join()


def test_interaction_plot_bars_are_the_t_intervals_of_the_tables_kept_within_0_100(tmp_path):
    """Notebook 03's interaction plot drew seaborn's bootstrap 'ci 95', which for the default 2 replicates per cell is
    the range of the two runs, far narrower than any 95% interval; its bars are now the tables' t intervals."""
    from sim.stats import interval

    runs = analysis.load(sweep_folder(tmp_path / "sweep")).runs
    fig = analysis.plot_interaction(runs, "supervision.strictness", "stigma.baseline", "reoffended_156w", facet="ngo.capacity")
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["ngo.capacity = 0.0", "ngo.capacity = 1.0"]
    assert panels[0].get_ylabel() == "Share of cohort (%)" and panels[0].get_xlabel() == "supervision.strictness"
    assert "95% t interval" in fig._suptitle.get_text()
    cell = runs[(runs["ngo.capacity"] == 0.0) & (runs["stigma.baseline"] == 0.2) & (runs["supervision.strictness"] == 0.2)]
    mean, low, high = interval(100 * cell["reoffended_156w"], floor=0, ceiling=100)
    bars = panels[0].containers[0]  # the first stigma level's line: its bar at the first strictness level
    (segment,) = [s for s in bars.lines[2][0].get_segments()[:1]]
    assert segment[:, 1].tolist() == pytest.approx([low, high])
    assert bars.lines[0].get_ydata()[0] == pytest.approx(mean)
    assert high - low > 100 * (cell["reoffended_156w"].max() - cell["reoffended_156w"].min())  # wider than the range


def test_candidates_plot_draws_one_free_parameter_against_the_score_and_log_ranges_on_a_log_axis():
    from types import SimpleNamespace

    from sim.calibration.objective import FreeParameter

    candidates = pd.DataFrame({"a.rate": [0.002, 0.01, 0.02, 0.03], "b.share": [0.0, 0.1, 0.3, 0.5],
                               "score": [9.0, 4.0, 3.0, 7.0]})
    wide, share = FreeParameter("a.rate", 0.002, 0.03), FreeParameter("b.share", 0.0, 0.5)
    one = analysis.plot_candidates(SimpleNamespace(candidates=candidates, parameters=[share], best_score=3.0, threshold=1.5))
    ax = one.axes[0]
    assert ax.get_xlabel() == "b.share" and ax.get_ylabel().startswith("Score") and ax.get_xscale() == "linear"
    assert [h.get_label() for h in ax.get_legend().legend_handles] == [
        "other candidates", "within replicate noise of the best (score under its 97.5th percentile)"]
    three = analysis.plot_candidates(SimpleNamespace(candidates=candidates.assign(c=1.0), parameters=[
        wide, share, FreeParameter("c", 0.5, 2.0)], best_score=3.0, threshold=1.5))
    ax = three.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_xscale(), ax.get_yscale()) == ("a.rate", "b.share", "log", "linear")
    assert "1 further free parameter not shown" in ax.get_title()


def test_lever_effects_of_one_replicate_keep_their_metric_labels_and_say_there_is_no_interval():
    """At REPLICATES = 1 (notebook 04 made quick) the forest plot lost every metric label (drawn at a NaN interval's
    end) and its title still promised 95% intervals."""
    rows = [{"number": n, "objective": o, "lever": lever, "role": role, "metric": f"final_{lever}_{role}",
             "benefit": 2.0, "benefit_low": np.nan, "benefit_high": np.nan}
            for n, o, lever in analysis.OBJECTIVES[["number", "objective", "lever"]].itertuples(index=False)
            for role in ("opportunity", "challenge")]
    fig = analysis.plot_lever_effects(pd.DataFrame(rows))
    labels = [t for ax in fig.axes for t in ax.texts]
    assert len(labels) == 20 and all(t.xy[0] == 2.0 for t in labels)
    assert fig._suptitle.get_text().endswith("(mean; no interval: one replicate)")


def test_load_reads_a_folder_given_from_the_home_folder_as_a_shell_would(run_folder, monkeypatch):
    """`analysis.load("~/results/demo")`, as typed for `sim report`, said 'no such folder'."""
    monkeypatch.setenv("HOME", str(run_folder.parent))
    assert analysis.load(f"~/{run_folder.name}").kind == "run"


def test_a_run_saved_reported_and_read_from_the_home_folder_as_a_shell_would(tmp_path, monkeypatch):
    """`result.save("~/out")` made a folder named '~' in the working directory, which `load("~/out")` then did not
    find; a scenario file given as "~/my.yaml" was 'no such file'."""
    from sim.report import write_report

    home, elsewhere = tmp_path / "home", tmp_path / "cwd"
    home.mkdir(), elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    (home / "mine.yaml").write_text("name: mine\nextends: baseline\npopulation: {community: 200, released: 20}\n")
    result = sim.run("~/mine.yaml", replicates=1, weeks=5)
    assert result.save("~/out") == home / "out" and analysis.load("~/out").kind == "run"
    assert write_report("~/out") == home / "out" / "report.html"
    assert list(elsewhere.iterdir()) == []


def test_tradeoffs_plot_labels_each_objective_where_no_other_label_covers_it():
    """In notebook 04's opportunity-against-challenge plot, objectives with nearly the same effects (1, 2 and 6 at
    about +7 and +4 points) printed their numbers over one another; each number now stands clear of the others."""
    rows = [{"number": n, "objective": o, "lever": lever, "role": role, "metric": f"final_{lever}_{role}",
             **({"benefit": 7.0 + n / 100, "benefit_low": 5.0, "benefit_high": 9.0} if role == "opportunity" else
                {"benefit": -4.0, "benefit_low": -6.0, "benefit_high": -2.0})}
            for n, o, lever in analysis.OBJECTIVES[["number", "objective", "lever"]].itertuples(index=False)
            for role in ("opportunity", "challenge")]
    fig = analysis.plot_tradeoffs(pd.DataFrame(rows))
    (ax,) = [a for a in fig.axes if a.texts]
    fig.draw_without_rendering()
    boxes = {t.get_text(): Text.get_window_extent(t) for t in ax.texts}  # the number, not its line to the point
    assert sorted(boxes, key=int) == [str(n) for n in range(1, 11)]
    overlapping = [(a, b) for a in boxes for b in boxes if int(a) < int(b) and boxes[a].overlaps(boxes[b])]
    assert not overlapping, overlapping


def test_interaction_marks_an_interval_cut_at_what_the_share_can_be_as_the_reports_do():
    """Notebook 03's tables showed an effect of -1 point with its interval from -1 to +11.7 points, cut at 0% (the share
    cannot fall lower), as plainly as a measured one: an analyst could not tell them apart. A cut interval carries the
    reports' mark (``CUT_MARK``), a measured one none."""
    from sim.experiments.comparison import CUT_MARK

    runs = pd.DataFrame({"ngo.capacity": [0.0, 0.0, 1.0, 1.0] * 2, "stigma.baseline": [0.5] * 4 + [0.8] * 4,
                         "status": "ok", "reoffended_156w": [0.0, 0.02, 0.0, 0.0, 0.3, 0.32, 0.25, 0.28]})
    table = analysis.interaction(runs, "ngo.capacity", "stigma.baseline", "reoffended_156w")
    assert table["ci_low"].iloc[0] == pytest.approx(-0.01)  # cut: the share at capacity 1 cannot go below 0%
    assert list(table["ci_note"]) == [CUT_MARK, ""]
    assert list(table.round(3)["ci_note"]) == [CUT_MARK, ""]  # as notebook 03 shows it


def test_every_interval_table_of_the_analysis_helper_marks_a_cut_interval():
    """Notebooks 04, 05 and 01 show lever_effects, fit_table and headline: a cut interval there was as unmarked as in
    the interaction tables."""
    from sim.experiments.comparison import CUT_MARK

    effects = analysis.lever_effects(lever_rows([0.01, 0.03], [0.0, 0.0]))
    recall = effects["metric"] == "recalled_40w"  # from 1% and 3% to 0% and 0%: cut at 0%; the others do not move
    assert set(effects.loc[recall, "ci_note"]) == {CUT_MARK} and set(effects.loc[~recall, "ci_note"]) == {""}
    weeks = np.arange(53)
    curves = pd.DataFrame({"weeks_since_release": np.tile(weeks, 2), "replicate": np.repeat([0, 1], 53),
                           "reoffended": np.concatenate([0 * weeks, weeks / 1000]), "returned": 0.0})
    fit = analysis.fit_table(curves)
    assert fit.query("target == 'arrest' and month == 3")["model_note"].tolist() == [CUT_MARK]
    assert set(fit.query("target == 'return_to_prison'")["model_note"]) == {""}  # 0 in both: a measured 0 to 0
    summary = pd.DataFrame({"scenario": "a", "metric": ["reoffended", "terrorism_offence"], "clock": "weeks_since_release",
                            "week": 52, "replicates": 3, "mean": [0.3, 0.003], "ci_low": [0.25, 0.0],
                            "ci_high": [0.35, 0.016]})
    cells = analysis.headline(summary).iloc[0].tolist()
    assert cells == ["30.0% (25.0-35.0)", f"0.3% (0.0-1.6; {CUT_MARK})"]


def test_every_share_the_project_writes_goes_no_higher_than_1(result):
    """``value_range('final_ngo_enrolled_share')`` gave a floor and no ceiling, so an interval of that share could run
    past 100%. The metrics are those the code writes (a sweep's run columns; a run table's, a final_ column for every
    weekly metric; and what lever_effects derives per person of the cohort), so a share added without a unit fails
    here."""
    import re

    from sim.curves import CURVES
    from sim.experiments.metrics import metric_names, summarised, value_range

    assert value_range("final_ngo_enrolled_share") == {"floor": 0.0, "ceiling": 1.0}
    table = analysis.per_person(analysis.run_table(result.curves, result.timeseries))
    written = (set(metric_names(156)[0]) | set(table.columns)) - {"scenario", "replicate", "seed"}
    shares = {c for c in written if summarised(c) in CURVES or re.search(r"(share|rate)$", summarised(c))}
    assert {"final_ngo_enrolled_share", "final_employment_rate", "reoffended_156w", "recalled_26w"} <= shares
    assert {c: value_range(c) for c in shares if value_range(c) != {"floor": 0.0, "ceiling": 1.0}} == {}


def test_interaction_plot_keeps_a_0_1_level_within_0_1_as_the_reports_do():
    """The interaction plot kept only shares of the cohort within their range: final community stigma at 0.98 and 1.0
    drew its bar up to 1.12, a level the 0-1 scale does not have (the reports' figures stop it at 1)."""
    runs = pd.DataFrame({"supervision.strictness": [0.2, 0.2, 0.9, 0.9], "stigma.baseline": 0.8, "status": "ok",
                         "final_community_stigma": [0.98, 1.0, 0.5, 0.6]})
    fig = analysis.plot_interaction(runs, "supervision.strictness", "stigma.baseline", "final_community_stigma")
    (segment, _) = fig.axes[0].containers[0].lines[2][0].get_segments()
    assert segment[:, 1].tolist() == pytest.approx([0.99 - 12.706 * 0.01, 1.0], abs=1e-3)


def test_an_analyst_s_slips_get_an_input_error_not_pandas_own(run_folder):
    """The Results where a table is meant, or a folder's path, ended in AttributeError deep in pandas; one metric as a
    string was split into letters ("r: is not a metric"); week "52" was 'not a horizon (expected one of 52)'."""
    results = analysis.load(run_folder)
    for call, said in ((lambda: analysis.headline(results), "got Results instead of the summary"),
                       (lambda: analysis.headline(str(run_folder)), "got str instead of the summary"),
                       (lambda: analysis.plot_curves(results), "got Results instead of the curves")):
        with pytest.raises(InputError, match=said) as caught:
            call()
        assert "as a DataFrame, e.g. analysis.load(folder)." in caught.value.expected
    for folder in (None, 1, [str(run_folder)]):
        with pytest.raises(InputError, match="instead of a folder"):
            analysis.load(folder)
    one = analysis.headline(results.summary, metrics="reoffended")
    assert one.equals(analysis.headline(results.summary, metrics=["reoffended"]))
    with pytest.raises(InputError, match="must be a whole number of weeks since release") as caught:
        analysis.headline(results.summary, week="40")
    assert caught.value.key == "week"
    assert analysis.headline(results.summary, week=np.int64(40)).equals(analysis.headline(results.summary, week=40))
    fig = analysis.plot_curves(results.curves, "recalled")
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == [LABELS["recalled"]]
    plt.close(fig)


def test_robustness_of_one_scenario_named_as_a_string_is_refused_as_one_scenario(tmp_path):
    """`sim.robustness("baseline", out=...)` read the name letter by letter: "unknown scenario 'b'"."""
    with pytest.raises(InputError, match="needs at least two scenarios"):
        sim.robustness("baseline", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_scenario_differences_reads_the_scenarios_sim_run_returns_as_those_a_folder_holds(result, run_folder):
    """`scenario_differences(sim.run(...).scenarios)` ended in "'Scenario' object has no attribute 'get'"."""
    table = analysis.scenario_differences(result.scenarios)
    assert table.equals(analysis.scenario_differences(analysis.load(run_folder).scenarios))
    assert "stigma.baseline" in table.index
    for wrong in ("baseline", result.scenarios[0]):
        with pytest.raises(InputError, match="instead of a list of scenarios"):
            analysis.scenario_differences(wrong)


def test_a_sweep_figure_or_table_asked_wrongly_says_how_not_pandas(tmp_path):
    """A factor named twice, a list for a name, no successful run, or a column of text as the value each ended in a
    pandas or matplotlib error (or, for interaction, a table of NaN effects)."""
    runs = analysis.load(sweep_folder(tmp_path / "sweep")).runs
    x, y, value = "stigma.baseline", "supervision.strictness", "reoffended_156w"
    for call, said in (
            (lambda: analysis.plot_heatmap(runs, x, x, value), "names one column twice"),
            (lambda: analysis.interaction(runs, x, x, value), "names one column twice"),
            (lambda: analysis.plot_heatmap(runs, x, y, value, facet=y), "names one column twice"),
            (lambda: analysis.plot_heatmap(runs, [x], y, value), "got list where a column is named"),
            (lambda: analysis.plot_heatmap(runs.assign(status="error"), x, y, value), "holds no run that succeeded"),
            (lambda: analysis.plot_interaction(runs.iloc[:0], x, y, value), "holds no run that succeeded"),
            (lambda: analysis.interaction(runs, x, y, "status"), "status: is not a number in the runs table")):
        with pytest.raises(InputError, match=said):
            call()
    plt.close("all")


def test_a_figure_or_run_table_asked_wrongly_says_how(result):
    """No metric, a list of colours, (week, label) pairs given as weeks, and horizons that are not whole weeks ended
    in matplotlib's or Python's own errors, or (26.5, -5) in a table without its curves; colours for some scenarios
    only raised KeyError for the others, which now take the shared palette's."""
    for call, said in (
            (lambda: analysis.plot_curves(result.curves, []), "names no metric"),
            (lambda: analysis.plot_curves(result.curves, colours=["red", "blue"]), "got list instead of a mapping"),
            (lambda: analysis.plot_stigma(result.timeseries, events=[20]), r"are not \(week, label\) pairs"),
            (lambda: analysis.run_table(result.curves, result.timeseries, weeks=26), "must be whole numbers of weeks"),
            (lambda: analysis.run_table(result.curves, result.timeseries, weeks=(26.5,)), "must be whole numbers"),
            (lambda: analysis.run_table(result.curves, result.timeseries, weeks=(0,)), "must be whole numbers"),
            (lambda: analysis.run_table(result.timeseries, result.curves), "is not a column of the curves"),
            (lambda: analysis.fit_table(result.curves.query("scenario == 'baseline'"), mapping=["arrest"]),
             "got list instead of a mapping"),
            (lambda: analysis.fit_table(result.curves.query("scenario == 'baseline'"), target="bjs.csv"),
             "got str instead of the target")):
        with pytest.raises(InputError, match=said):
            call()
    analysis.plot_curves(result.curves, scenarios=["baseline", "high_stigma"])  # names, as well as settings
    fig = analysis.plot_curves(result.curves, colours={"baseline": "black"})
    lines = {line.get_label(): line.get_color() for line in fig.axes[0].lines}
    assert lines["baseline"] == "black" and lines["high_stigma"] != "black"
    plt.close("all")


def test_the_lever_pipeline_asked_wrongly_says_how(tmp_path, result):
    """A sweep's runs given to per_person, one level given to lever_effects, and a runs table given to the lever
    figures ended in KeyError or IndexError; colours for some levers only raised KeyError for the others."""
    sweep_runs = analysis.load(sweep_folder(tmp_path / "sweep")).runs
    table = analysis.run_table(result.curves, result.timeseries)
    for call, said in ((lambda: analysis.per_person(sweep_runs), "is not a column of the runs table of a run"),
                       (lambda: analysis.calibration_fit(table), "got DataFrame instead of a calibration"),
                       (lambda: analysis.plot_candidates(None), "got NoneType instead of a calibration"),
                       (lambda: analysis.lever_effects(table, levels=(0,)), "must be two lever levels"),
                       (lambda: analysis.lever_effects(table, levels=0), "must be two lever levels"),
                       (lambda: analysis.plot_lever_effects(table), "is not a column of the lever effects"),
                       (lambda: analysis.plot_tradeoffs(table), "is not a column of the lever effects")):
        with pytest.raises(InputError, match=said):
            call()
    rows = [{"number": n, "objective": o, "lever": lever, "role": role, "metric": f"final_{lever}_{role}",
             "benefit": 2.0, "benefit_low": 1.0, "benefit_high": 3.0}
            for n, o, lever in analysis.OBJECTIVES[["number", "objective", "lever"]].itertuples(index=False)
            for role in ("opportunity", "challenge")]
    lever = analysis.OBJECTIVES["lever"].iloc[0]
    for plot in (analysis.plot_lever_effects, analysis.plot_tradeoffs):
        plot(pd.DataFrame(rows), colours={lever: "black"})
    plt.close("all")
