"""sim sensitivity: Sobol' and Morris indices computed on the sweep engine, resumable, with a table and a figure."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.errors import InputError
from sim.experiments import sensitivity
from sim.experiments.sensitivity_analysis import index_text, ranking

ROOT = Path(__file__).resolve().parents[1]

SOBOL = """\
name: tiny_sobol
description: Which matters more for recall, strictness or the NGO's name?
scenario: general_offenders
seed: 11
replicates: 1
overrides: {population.community: 200, population.released: 150, weeks: 30}
outputs: [recalled_26w, reoffended_26w]
design:
  kind: sobol
  samples: 16
  factors:
    supervision.strictness: {low: 0.0, high: 1.0}
    ngo.reputation: {low: 0.0, high: 1.0}
"""


@pytest.fixture(scope="module")
def sobol_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sobol")
    (folder / "exp.yaml").write_text(SOBOL)
    return folder, sensitivity(folder / "exp.yaml", out=folder / "out", workers=1, progress=False)


def test_sobol_table_has_first_and_total_order_with_intervals(sobol_run):
    folder, result = sobol_run
    table = pd.read_csv(folder / "out" / "sensitivity.csv")
    assert list(table.columns) == ["output", "factor", "S1", "S1_conf", "ST", "ST_conf"]
    assert len(table) == 4 and table[["S1", "ST", "S1_conf", "ST_conf"]].notna().all().all()
    assert (folder / "out" / "sensitivity.png").stat().st_size > 0  # its content: test_sobol_figure_draws_...
    assert len(result.sweep.runs) == 16 * (2 + 2)
    assert (table["S1_conf"] > 0).all() and (table["ST_conf"] > 0).all()


def test_the_same_experiment_in_a_new_folder_gives_the_same_indices(sobol_run):
    """Same seed, new folder (no runs to resume): every run, the design and the bootstrap intervals are drawn again alike."""
    folder, _ = sobol_run
    sensitivity(folder / "exp.yaml", out=folder / "again", workers=1, progress=False)
    pd.testing.assert_frame_equal(pd.read_csv(folder / "again" / "sensitivity.csv"), pd.read_csv(folder / "out" / "sensitivity.csv"))


def test_sobol_figure_draws_the_indices_in_sensitivity_csv(sobol_run):
    """sensitivity.png: a panel per output, a labelled bar per factor for S1 and ST of the lengths in
    sensitivity.csv, with every 95% interval inside the axis."""
    import textwrap

    from sim.analysis.labels import value_label
    from sim.experiments.figures import sensitivity_figure
    from sim.figures import plt

    folder, _ = sobol_run
    table = pd.read_csv(folder / "out" / "sensitivity.csv")
    fig = sensitivity_figure(table, "sobol")
    assert fig.get_suptitle() == "Sobol' sensitivity indices"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["first order (S1)", "total (ST)"]
    for ax, (output, rows) in zip(fig.axes, table.groupby("output", sort=False), strict=True):
        assert ax.get_title() == textwrap.fill(value_label(output)[0], 30)  # in words, not recalled 26w
        assert ax.get_xlabel() == "Share of output variance"
        assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(rows["factor"])  # one shared axis
        widths = [bar.get_width() for bar in ax.patches]
        assert widths == pytest.approx([*rows["S1"], *rows["ST"]])
        low, high = ax.get_xlim()
        for index, conf in (("S1", "S1_conf"), ("ST", "ST_conf")):  # within what an index can be: 0 to 1
            assert low <= max(0, (rows[index] - rows[conf]).min()) and min(1, (rows[index] + rows[conf]).max()) <= high
    plt.close(fig)
    # an estimate above 1 (the estimator's sampling error: ST 1.075 was measured) ends inside the panel, not at its edge
    over = table.assign(ST=table["ST"].where(table.index != 0, 1.075))
    fig = sensitivity_figure(over, "sobol")
    assert fig.axes[0].get_xlim()[1] > 1.075 * 1.02
    plt.close(fig)


def test_ranking_says_whether_the_sample_supports_it(sobol_run):
    folder, result = sobol_run
    text = (folder / "out" / "ranking.md").read_text()
    # titled after the experiment, with what it asks: '# Sensitivity ranking' alone read the same for every analysis
    assert text.startswith("# Sensitivity ranking: tiny_sobol on General offenders (BJS 2005 cohort)\n\nWhich matters "
                           "more for recall, strictness or the NGO's name?\n\n")
    assert "## Recalled for breach (first) at 26 weeks since release (% of cohort) (`recalled_26w`)" in text
    assert "(`reoffended_26w`)" in text
    assert "| 1 | supervision.strictness: 0 light-touch, 1 maximal licence conditions" in text.split("(`reoffended_26w`)")[0]
    assert text.count("separated") >= 2
    # the sample it judges, which "raise `samples`" asks to raise: read from the file alone, without the manifest
    assert "Design: Sobol' (Saltelli scheme, first and total order): 16 samples x (2 factors + 2) = 64 points, " \
           "1 replicate each" in text


def indices(st, st_conf, s1):
    return pd.DataFrame({"output": "y", "factor": [f"f{i}" for i in range(len(st))], "S1": s1, "S1_conf": 0.05,
                         "ST": st, "ST_conf": st_conf})


def test_overlapping_intervals_or_negative_s1_mean_no_ranking():
    clear = ranking(indices([0.6, 0.3, 0.15, 0.02], 0.04, [0.5, 0.25, 0.1, 0.0]), "sobol")
    assert "The top 3 are separated**: f0, f1, f2" in clear and "Estimator trouble" not in clear
    noisy = ranking(indices([0.3, 0.25, 0.2, 0.1], 0.1, [-0.29, 0.2, 0.1, 0.05]), "sobol")
    assert "NOT separated** (overlapping intervals: #1 and #2, #2 and #3" in noisy
    assert "too small for a ranking" in noisy and "negative S1 for 1 factor(s) (down to -0.29)" in noisy
    assert "No factor stands apart" in noisy
    two = ranking(indices([0.9, 0.1], 0.05, [0.85, 0.05]), "sobol")  # an experiment of two factors has no top 3
    assert "**The top 2 are separated**: f0, f1." in two and "top 3 are separated**" not in two
    one = ranking(indices([0.9, 0.2, 0.19, 0.18], 0.05, [0.8, 0.0, 0.0, 0.0]), "sobol")
    assert "NOT separated" in one and "The leading factor (f0) stands apart from the rest" in one
    # SALib's negative S1 is kept and said to be what an index cannot be, not shown outside its own interval
    # its whole interval below 0 too: the estimator failed (the words once said 'indistinguishable from 0', the
    # opposite of the interval, and dropped it)
    assert "| 1 | f0 | 0.300 (0.200 to 0.400) | -0.290 (estimator failure at this sample size: 95% interval -0.340 " \
           "to -0.240, wholly below 0, which an index cannot be; raise samples) |" in noisy


def test_no_ranking_rests_on_an_index_whose_estimator_failed():
    """ST 1.603 with its whole interval (1.161 to 2.045) above 1 on 8 samples: ranking.md said the leading factor
    'stands apart from the rest' on that estimate alone. Now it ranks nothing and says why, with the interval."""
    from sim.experiments.sensitivity_analysis import verdict

    failed = indices([1.603, 0.015, 0.010, 0.008], [0.442, 0.015, 0.015, 0.012], [0.5, 0.01, 0.01, 0.0])
    v = verdict(failed, "sobol")
    assert v["failed"] == [0] and not v["separated"] and v["leading"] == 0
    text = ranking(failed, "sobol")
    assert "**Not ranked: the estimator failed at this sample size: ST of f0 is 1.603, its whole 95% interval (1.161 " \
           "to 2.045) above 1, which an index cannot be.** The order below is of estimates that cannot be trusted: " \
           "raise `samples`." in text
    assert "stands apart" not in text and "are separated**" not in text and "NOT separated" not in text
    # an estimate past 1 whose interval reaches back into the range is trouble, not failure: the verdict stands
    assert verdict(indices([1.05, 0.2, 0.19], [0.1, 0.02, 0.02], [0.9, 0.1, 0.1]), "sobol")["leading"] == 1


def test_an_index_estimate_outside_its_range_says_so_beside_its_interval():
    """ranking.md and sim report read '-0.290 (0.000 to 0.000; cut...)' and '1.100 (0.900 to 1.000; cut...)': an
    estimate outside its own interval. The words now say the estimate is past what the index can be."""
    assert index_text(-0.1, 0.3, "sobol") == ("-0.100 (below 0, which an index cannot be; 95% interval 0.000 to 0.200; "
                                              "cut at the possible range)")
    assert index_text(1.1, 0.2, "sobol") == ("1.100 (above 1, which an index cannot be; 95% interval 0.900 to 1.000; "
                                             "cut at the possible range)")
    assert index_text(1.603, 0.442, "sobol") == ("1.603 (estimator failure at this sample size: 95% interval 1.161 "
                                                 "to 2.045, wholly above 1, which an index cannot be; raise samples)")
    assert index_text(0.25, 0.49, "sobol") == "0.250 (0.000 to 0.740; cut at the possible range)"  # within: as before
    assert index_text(0.3, 0.1, "sobol") == "0.300 (0.200 to 0.400)"


def test_strictness_drives_recall(sobol_run):
    _, result = sobol_run
    recall = result.table[result.table["output"] == "recalled_26w"].set_index("factor")
    assert recall.loc["supervision.strictness", "ST"] > 0.5
    assert recall.loc["supervision.strictness", "ST"] > recall.loc["ngo.reputation", "ST"]


def test_sensitivity_resumes_its_sweep(sobol_run, capsys):
    folder, result = sobol_run
    assert main(["sensitivity", str(folder / "exp.yaml"), "--out", str(folder / "out"), "--workers", "1"]) == 0
    assert result.sweep.manifest["sessions"][-1]["runs"] == 0  # every run was already on disk
    out = capsys.readouterr().out
    assert "sensitivity.csv" in out and "recalled_26w: top two by ST supervision.strictness, " in out
    assert out.splitlines()[0].startswith("S1: the share of an output's variance a factor explains alone")  # the table's key


def test_sensitivity_takes_the_sweeps_batch_option(tmp_path):
    """`sim sensitivity ... --batch 7` was refused as an unrecognised argument, though it resumes like a sweep and the
    docs cite the sweep's options: its runs now go into Parquet parts of --batch runs, as a sweep's."""
    import pyarrow.dataset as ds

    (tmp_path / "exp.yaml").write_text(SOBOL.replace("kind: sobol\n  samples: 16", "kind: morris\n  samples: 2\n  levels: 4"))
    argv = ["sensitivity", str(tmp_path / "exp.yaml"), "--out", str(tmp_path / "out"), "--workers", "1", "--batch", "2"]
    assert main(argv) == 0
    parts = sorted((tmp_path / "out" / "runs").glob("*.parquet"))
    assert len(parts) == 3 and all(ds.dataset(part).count_rows() == 2 for part in parts)  # 2 x (2 + 1) runs


def test_morris_screening(tmp_path):
    text = SOBOL.replace("kind: sobol\n  samples: 16", "kind: morris\n  samples: 4\n  levels: 4")
    (tmp_path / "exp.yaml").write_text(text)
    result = sensitivity(tmp_path / "exp.yaml", out=tmp_path / "out", workers=1, progress=False)
    assert {"mu", "mu_star", "mu_star_conf", "sigma"} <= set(result.table.columns)
    assert len(result.sweep.runs) == 4 * (2 + 1)
    recall = result.table[result.table["output"] == "recalled_26w"].set_index("factor")
    assert recall.loc["supervision.strictness", "mu_star"] > recall.loc["ngo.reputation", "mu_star"]
    morris_figure_shows(pd.read_csv(tmp_path / "out" / "sensitivity.csv"))
    assert main(["report", str(tmp_path / "out")]) == 0  # the report's tables: a share's mu* in points, as the heading
    shown = (tmp_path / "out" / "report.html").read_text()
    assert "mu* (percentage points, 95% interval)" in shown and "sigma (percentage points)" in shown
    strictness = recall.loc["supervision.strictness"]
    assert index_text(100 * strictness["mu_star"], 100 * strictness["mu_star_conf"], "morris", ".1f") in shown


def test_morris_effects_on_a_share_are_in_percentage_points_as_its_heading_reads():
    """ranking.md headed 'Recalled for breach ... (% of cohort)' over mu* '0.233 (0.037 to 0.430)', a 0-1 share that a
    reader takes for 0.23%: a share's mu* and sigma are now in percentage points, so named, as the tool gives every
    difference of shares; an output that is no share keeps its own unit. The note on cut intervals says only what
    mu* can be, not 'a Sobol' index above 1'."""
    table = pd.DataFrame({"output": ["recalled_52w"] * 2 + ["final_community_stigma"] * 2,
                          "factor": ["supervision.strictness", "ngo.reputation"] * 2,
                          "mu": [0.233, 0.01, 0.029, 0.017], "mu_star": [0.233, 0.05, 0.029, 0.017],
                          "mu_star_conf": [0.1965, 0.08, 0.026, 0.015], "sigma": [0.1, 0.074, 0.0379, 0.0263]})
    text = ranking(table, "morris")
    share, level = text.split("## Community stigma")
    assert "(% of cohort) (`recalled_52w`)" in share
    assert "| rank | factor | mu* (percentage points, 95% interval) | sigma (percentage points) |" in share
    assert "| 23.3 (3.6 to 43.0) | 10.0 |" in share and "0.233" not in share.split("## Recalled")[1]
    assert "| 5.0 (0.0 to 13.0; cut at the possible range) | 7.4 |" in share
    assert "| rank | factor | mu* (95% interval) | sigma |" in level and "| 0.029 (0.003 to 0.055) | 0.0379 |" in level
    assert "ran past what mu* can be (a mean absolute effect, never below 0) and is cut there" in text
    assert "Sobol'" not in text


def test_morris_ranking_says_which_way_each_factor_moves_the_output_and_shows_small_effects():
    """ranking.md gave mu* and sigma only, so a reader could not tell whether more NGO places lower or raise
    reoffending (mu -0.091); and supervision.strictness's mu* 0.00014 on stigma read '0.000 (0.000 to 0.000)', as if
    it had no effect at all."""
    table = pd.DataFrame({"output": ["reoffended_156w"] * 2 + ["final_community_stigma"] * 2,
                          "factor": ["ngo.capacity", "stigma.baseline", "stigma.baseline", "supervision.strictness"],
                          "mu": [-0.091125, 0.088875, 0.5675, 4.38e-05], "mu_star": [0.091125, 0.088875, 0.5675, 1.4332e-04],
                          "mu_star_conf": [0.0274, 0.0037, 0.0103, 6.687e-05], "sigma": [0.0327, 0.0043, 0.0121, 1.758e-04]})
    text = ranking(table, "morris")
    share, level = text.split("## Community stigma")
    assert "| sigma (percentage points) | direction (mu, percentage points) |" in share
    assert "| 9.1 (6.4 to 11.9) | 3.3 | lowers (-9.1) |" in share and "| 8.9 (8.5 to 9.3) | 0.4 | raises (+8.9) |" in share
    assert "| 0.00014 (0.00008 to 0.00021) | 0.000176 | mixed (+0.00004) |" in level  # steps went both ways
    assert "| 0.568 (0.557 to 0.578) | 0.0121 | raises (+0.568) |" in level  # three places, as before
    assert "|---|---|---|---|---|" in share


def test_a_separation_from_few_trajectories_is_provisional():
    """'The top 3 are separated' from 4 trajectories: SALib's bootstrap interval over 4 values is too narrow to bear
    that out, so the verdict says it is provisional (ranking.md, the report, from the samples the design records)."""
    from sim.experiments.sensitivity_analysis import verdict

    table = pd.DataFrame({"output": "recalled_156w", "factor": ["a", "b", "c", "d"], "mu": [0.56, -0.041, -0.0045, 0.0],
                          "mu_star": [0.56, 0.041, 0.0045, 0.0], "mu_star_conf": [0.04, 0.007, 0.0036, 0.0],
                          "sigma": [0.047, 0.0085, 0.0044, 0.0]})
    assert verdict(table, "morris", 4)["few"] and not verdict(table, "morris", 10)["few"]
    assert not verdict(table, "morris")["few"]  # unknown: nothing said
    few = ranking(table, "morris", samples=4)
    assert "**The top 3 are separated**: a, b, c. Any separation here is provisional: 4 trajectories are too few " \
           "for a bootstrap 95% interval (fewer than 10: it comes out too narrow); confirm it with more `samples`." in few
    assert "provisional" not in ranking(table, "morris", samples=20)


@pytest.mark.parametrize(("span", "levels", "refused"), [("{low: 0, high: 1}", 4, True), ("{low: 0, high: 2}", 4, True),
                                                      ("{low: 0, high: 3}", 4, False), ("{low: 0, high: 1}", 2, False)])
def test_a_whole_number_factor_whose_range_the_morris_levels_split_into_fractions_is_refused(tmp_path, span, levels,
                                                                                           refused):
    """supervision.warnings 0-1 on 4 levels: 2/3 was rounded to 1, every step went the whole range, and SALib divided
    by the 2/3 it planned, so mu* was 1.5 times too large (0.163 against the runs' 0.109)."""
    from sim.errors import InputError
    from sim.experiments import load_experiment

    text = SOBOL.replace("kind: sobol\n  samples: 16", f"kind: morris\n  samples: 4\n  levels: {levels}").replace(
        "ngo.reputation: {low: 0.0, high: 1.0}", f"supervision.warnings: {span}")
    (tmp_path / "exp.yaml").write_text(text)
    if refused:
        with pytest.raises(InputError, match="design.factors.supervision.warnings: is a whole number, and 4 levels "
                                             "put its grid from 0 to [12] at fractions whose rounding moves a step"):
            load_experiment(tmp_path / "exp.yaml")
    else:  # the range fits the levels: each step is a whole number
        steps = load_experiment(tmp_path / "exp.yaml").design["supervision.warnings"].diff().abs()
        assert set(steps.dropna()) <= {0, *range(1, 4)}


def morris_figure_shows(table: pd.DataFrame) -> None:
    """sensitivity.png of a Morris screening: per output, each factor's point at (mu*, sigma) of sensitivity.csv,
    named inside its panel, its mu* interval inside the axis (not cut off at the outermost point)."""
    import numpy as np

    from sim.experiments.figures import sensitivity_figure
    from sim.figures import plt

    fig = sensitivity_figure(table, "morris")
    assert fig.get_suptitle() == "Morris screening"
    fig.canvas.draw()
    for ax, (output, rows) in zip(fig.axes, table.groupby("output", sort=False), strict=True):
        assert ax.get_title().replace("\n", " ").startswith(("Recalled for breach (first)", "New offence of any kind"))
        # a share's effects in percentage points, as the panel's title (% of cohort) reads
        assert ax.get_xlabel() == "mu* (mean |effect|, points)" and ax.get_ylabel() == "sigma (spread, points)"
        (points,) = ax.lines
        assert np.asarray(points.get_xdata()).tolist() == pytest.approx((100 * rows["mu_star"]).tolist())
        assert np.asarray(points.get_ydata()).tolist() == pytest.approx((100 * rows["sigma"]).tolist())
        assert [t.get_text() for t in ax.texts] == list(rows["factor"])
        low, high = ax.get_xlim()
        assert low <= 0 and 100 * (rows["mu_star"] + rows["mu_star_conf"]).max() <= high, f"{output}: an interval is cut off"
        assert ax.get_ylim()[0] <= 0 and 100 * rows["sigma"].max() < ax.get_ylim()[1]
        box = ax.get_window_extent()
        for text in ax.texts:
            extent = text.get_window_extent()
            assert box.x0 <= extent.x0 and extent.x1 <= box.x1, f"{text.get_text()} runs out of the {output} panel"
    plt.close(fig)


def test_a_grid_experiment_is_refused_before_any_run(tmp_path):
    with pytest.raises(InputError, match="sobol or morris"):
        sensitivity(ROOT / "tests" / "data" / "tiny_grid.yaml", out=tmp_path / "out", workers=1)
    assert not (tmp_path / "out").exists()


def test_the_command_refuses_a_grid_without_announcing_outputs_it_will_not_analyse(tmp_path, capsys):
    assert main(["sensitivity", str(ROOT / "tests" / "data" / "tiny_grid.yaml"), "--out", str(tmp_path / "out")]) == 2
    printed = capsys.readouterr()
    assert "outputs:" not in printed.out and "sobol or morris" in printed.err
    assert not (tmp_path / "out").exists()


def test_a_folder_in_the_way_of_its_table_is_refused_before_any_run(sobol_run, tmp_path, capsys):
    """Resuming into a sweep where sensitivity.csv is a folder: exit 2 naming it, nothing run, the folder left alone."""
    import shutil

    folder, _ = sobol_run
    out = tmp_path / "out"
    shutil.copytree(folder / "out", out)
    (out / "sensitivity.csv").unlink()
    (out / "sensitivity.csv").mkdir()
    before = sorted(path.relative_to(out) for path in out.rglob("*"))
    assert main(["sensitivity", str(folder / "exp.yaml"), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert f"{out / 'sensitivity.csv'}: is in the way: sim sensitivity writes a file of this name here" in err
    assert "internal error" not in err
    assert sorted(path.relative_to(out) for path in out.rglob("*")) == before


def test_the_user_s_own_table_beside_a_sweep_and_an_edited_ranking_are_refused_not_replaced(sobol_run, tmp_path,
                                                                                              capsys):
    """sim sensitivity on a sweep folder replaced the user's own sensitivity.csv (and an edited ranking.md) without a
    word. A file sim did not write as it is now refuses the command before any run, naming it, and is left."""
    import shutil

    folder, _ = sobol_run
    out = tmp_path / "out"
    shutil.copytree(folder / "out", out)
    with open(out / "ranking.md", "a") as edited:
        edited.write("my notes\n")
    assert main(["sensitivity", str(folder / "exp.yaml"), "--out", str(out), "--workers", "1"]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {out / 'ranking.md'}: --out: was changed since sim sensitivity wrote it")
    assert (out / "ranking.md").read_text().endswith("my notes\n")
    sweep_only = tmp_path / "sweep"
    shutil.copytree(folder / "out", sweep_only, ignore=shutil.ignore_patterns("sensitivity.*", "ranking.md", ".sim.*"))
    (sweep_only / "sensitivity.csv").write_text("factor,my_own_estimate\n")
    assert main(["sensitivity", str(folder / "exp.yaml"), "--out", str(sweep_only), "--workers", "1"]) == 2
    assert f"{sweep_only / 'sensitivity.csv'}: --out: was not written by sim sensitivity" in capsys.readouterr().err
    assert (sweep_only / "sensitivity.csv").read_text() == "factor,my_own_estimate\n"


def test_a_copy_of_the_experiment_under_another_name_keeps_the_folder_s_name_in_its_ranking(sobol_run, tmp_path,
                                                                                             capsys):
    """Resumed by a copy of its file under another name, the folder's manifest took the new name while ranking.md
    kept the first. Both now keep the name the folder was started with, and the resume says so."""
    import shutil

    folder, _ = sobol_run
    out = tmp_path / "out"
    shutil.copytree(folder / "out", out)
    (tmp_path / "copy.yaml").write_text(SOBOL.replace("name: tiny_sobol", "name: other_name"))
    assert main(["sensitivity", str(tmp_path / "copy.yaml"), "--out", str(out), "--workers", "1"]) == 0
    assert "was started by experiment 'tiny_sobol'" in capsys.readouterr().err
    import json

    recorded = json.loads((out / "manifest.json").read_text())["experiment"]
    assert (recorded["name"], recorded["spec"]["name"]) == ("tiny_sobol", "tiny_sobol")
    assert (out / "ranking.md").read_text() == (folder / "out" / "ranking.md").read_text()


def test_an_output_constant_across_the_runs_is_said_so_not_ranked():
    """Identical in every run (e.g. terrorism_offence_26w in a general cohort): Sobol' indices are 0/0, undefined."""
    import warnings

    import numpy as np
    import yaml

    from sim.experiments.experiment import load_experiment
    from sim.experiments.sensitivity_analysis import analyse, verdict

    exp = load_experiment(yaml.safe_load(SOBOL))
    n = len(exp.design)
    means = pd.DataFrame({"recalled_26w": np.full(n, 0.25), "reoffended_26w": np.linspace(0, 1, n)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no stray "invalid value encountered in divide"
        table = analyse(exp, means)
    constant = table[table["output"] == "recalled_26w"]
    assert constant[["S1", "S1_conf", "ST", "ST_conf"]].isna().all().all()
    assert table[table["output"] == "reoffended_26w"]["ST"].notna().all()
    assert verdict(constant, "sobol")["constant"] and not verdict(table[table["output"] == "reoffended_26w"],
                                                                  "sobol")["constant"]
    text = ranking(table, "sobol").split("(`recalled_26w`)")[1].split("(`reoffended_26w`)")[0]
    assert "constant across the runs" in text and "undefined (NaN in sensitivity.csv)" in text
    assert "too small for a ranking" not in text and "0.000 (0.000 to 0.000)" not in text


def test_the_terminal_names_the_outputs_and_says_a_constant_one_is_not_ranked(tmp_path, capsys):
    """A general cohort has no terrorism offences: that output is 0 in every run, so it is said so, as in ranking.md."""
    path = tmp_path / "exp.yaml"
    path.write_text(SOBOL.replace("outputs: [recalled_26w, reoffended_26w]", "outputs: [terrorism_offence_26w, recalled_26w]")
                    .replace("samples: 16", "samples: 4"))
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == "outputs: terrorism_offence_26w, recalled_26w"  # before the job's size
    out = captured.out
    assert ("terrorism_offence_26w: not ranked: the output is constant across the runs (the same value at every design "
            "point), so there is no variance to share out among the factors; its Sobol' indices are undefined (NaN in "
            "sensitivity.csv)") in out
    assert "recalled_26w: top two by ST" in out


def test_a_rerun_without_figure_leaves_no_figure_of_the_earlier_analysis(sobol_run, tmp_path):
    """sensitivity.png beside a rewritten sensitivity.csv must be of that table, or not be there at all."""
    import shutil

    folder, _ = sobol_run
    copy = tmp_path / "out"
    shutil.copytree(folder / "out", copy)
    assert (copy / "sensitivity.png").is_file()
    sensitivity(folder / "exp.yaml", out=copy, workers=1, progress=False, figure=False)
    assert not (copy / "sensitivity.png").exists() and (copy / "sensitivity.csv").is_file()


def test_an_analysis_stopped_while_its_files_are_renamed_is_not_reported_as_one(sobol_run, tmp_path,
                                                                             refused_until_rerun):
    """sim sensitivity replaced sensitivity.csv, ranking.md and sensitivity.png one by one: a rerun with other outputs
    (re-using the sweep) stopped between two left ranking.md of one analysis beside sensitivity.csv of the other, and
    sim report built its verdict from the table under the other's words. Now the table comes last and the folder is
    refused as stopped early until a rerun writes the set whole."""
    import shutil

    folder, _ = sobol_run
    out = tmp_path / "out"
    shutil.copytree(folder / "out", out)
    (tmp_path / "exp.yaml").write_text(SOBOL.replace("[recalled_26w, reoffended_26w]", "[recalled_26w]"))
    argv = ["sensitivity", str(tmp_path / "exp.yaml"), "--out", str(out), "--workers", "1"]
    refused_until_rerun(out, ("sensitivity.csv", "ranking.md", "sensitivity.png"), 1, lambda: main(argv), "sim sensitivity")
    assert set(pd.read_csv(out / "sensitivity.csv")["output"]) == {"recalled_26w"}
    assert "reoffended" not in (out / "ranking.md").read_text()


def test_an_output_undefined_at_a_point_is_named_not_blamed_on_failed_runs(tmp_path):
    """Every run succeeded, but at one point nobody was followed to the output's horizon (the share is NaN there): the
    analysis stops naming the output and the point and what to change, instead of pointing at failed runs that do not
    exist ("no usable result at 1 design point(s) ...; see the failed runs")."""
    import numpy as np

    from sim.experiments import load_experiment
    from sim.experiments.sensitivity_analysis import AnalysisError, point_means

    (tmp_path / "exp.yaml").write_text(SOBOL)
    exp = load_experiment(tmp_path / "exp.yaml")
    runs = pd.DataFrame({"point": range(len(exp.design)), "status": "ok", "recalled_26w": 0.1, "reoffended_26w": 0.2})
    runs.loc[5, "recalled_26w"] = np.nan
    with pytest.raises(InputError) as undefined:  # exit 2 from the command line, naming the file and the key
        point_means(runs, exp)
    said = str(undefined.value)
    assert said.startswith(f"{tmp_path / 'exp.yaml'}: outputs: recalled_26w is undefined (NaN) in every run at 1 design "
                           "point(s) (first: [5])")
    assert "reoffended_26w" not in said and "no run failed" in said and "an earlier one" in said
    assert "failed runs" not in said
    runs.loc[5, "status"] = "failed"
    with pytest.raises(AnalysisError) as failed:
        point_means(runs, exp)
    assert "every run failed at 1 design point(s) (first: [5])" in str(failed.value)
    assert "lost to the infrastructure" not in str(failed.value)  # the model failed: rerunning would fail again
    runs.loc[5, "status"] = "lost"  # its worker died: rerunning into the folder runs it again
    with pytest.raises(AnalysisError) as lost:
        point_means(runs, exp)
    assert "1 of their runs were lost to the infrastructure" in str(lost.value)
    assert "rerunning into the folder runs again" in str(lost.value)


def test_morris_mu_star_is_the_change_over_a_factors_whole_range_as_ranking_md_says():
    """mu* is in the output's units per the factor's whole range (SALib divides by the step as a share of the range),
    not per unit of the factor: an output of 2 x stigma.baseline over 0.1-0.6 has mu* 1.0, not 2. ranking.md says so,
    where a reader was left to guess (and would read a factor of 0-1000 as a thousand times weaker)."""
    from sim.experiments import load_experiment
    from sim.experiments.sensitivity_analysis import analyse

    exp = load_experiment({"name": "m", "scenario": "baseline", "seed": 1, "outputs": ["final_community_stigma"],
                           "design": {"kind": "morris", "samples": 6, "levels": 4, "factors": {
                               "stigma.baseline": {"low": 0.1, "high": 0.6},
                               "supervision.strictness": {"low": 0.0, "high": 1.0}}}})
    means = pd.DataFrame({"final_community_stigma": 2 * exp.design["stigma.baseline"]})
    table = analyse(exp, means).set_index("factor")
    assert table.loc["stigma.baseline", "mu_star"] == pytest.approx(1.0)
    assert "per a factor's whole range" in ranking(table.reset_index(), "morris")


def test_the_python_function_takes_max_runs_as_sweep_does(tmp_path):
    """The limit's message says how to lift it; from Python, sensitivity() had no max_runs to do so (TypeError)."""
    (tmp_path / "exp.yaml").write_text(SOBOL)
    with pytest.raises(InputError, match="above the limit of 10"):
        sensitivity(tmp_path / "exp.yaml", out=tmp_path / "out", workers=1, max_runs=10)
    assert not (tmp_path / "out").exists()


def test_samples_sets_the_design_size_from_the_command_line_and_says_it_first(tmp_path, capsys):
    """A researcher had to copy the experiment file to lower design.samples for a smaller analysis. Now --samples N
    replaces it: the design's size is said before any run, the runs are N x (factors + 2), ranking.md states the
    sample, and a resume with another N is refused naming it."""
    (tmp_path / "exp.yaml").write_text(SOBOL)
    argv = ["sensitivity", str(tmp_path / "exp.yaml"), "--workers", "1", "--out", str(tmp_path / "out")]
    assert main([*argv, "--samples", "4"]) == 0
    said = capsys.readouterr().err.splitlines()
    assert said[1] == ("design: Sobol' (Saltelli scheme, first and total order): 4 samples x (2 factors + 2) = 16 points, "
                       "1 replicate each")
    assert any(line.startswith("sweep tiny_sobol: 16 points x 1 replicate = 16 runs") for line in said[:3])
    assert len(pd.read_parquet(tmp_path / "out" / "runs")) == 16
    assert "4 samples x (2 factors + 2) = 16 points" in (tmp_path / "out" / "ranking.md").read_text()
    assert main([*argv, "--samples", "8"]) == 2
    assert "design.samples 4 there, 8 now" in capsys.readouterr().err


@pytest.mark.parametrize(("experiment", "samples", "said"), [
    ("sobol", "12", "must be a power of 2 for a Sobol' design (SALib's sampler) (got 12)"),
    ("sobol", "1", "must be between 2 and 1048576 (got 1)"),
    ("grid", "8", "tiny_grid.yaml is a grid, which has no sample size"),
])
def test_a_samples_value_the_design_cannot_take_is_refused_before_anything_is_written(tmp_path, capsys, experiment,
                                                                                      samples, said):
    (tmp_path / "exp.yaml").write_text(SOBOL)
    source = tmp_path / "exp.yaml" if experiment == "sobol" else ROOT / "tests" / "data" / "tiny_grid.yaml"
    assert main(["sensitivity", str(source), "--samples", samples, "--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("error: --samples: ") and said in line
    assert captured.out == "" and not (tmp_path / "out").exists()


def test_an_index_s_interval_stays_between_0_and_1_and_each_output_and_factor_is_named_in_words():
    """ranking.md gave 'reoffended_52w' and 'cooperation.reintegration_support 0.500 (-0.144 to 1.144)' at 8 samples: a
    share of variance below 0 and above 1, under a key. The interval is cut at 0 and 1 and says so; the output is
    named in words with its unit, the factor with what it is."""
    table = pd.DataFrame({"output": "reoffended_52w", "factor": ["cooperation.assessment", "cooperation.policy_input"],
                          "S1": [0.5, 0.05], "S1_conf": [0.644, 0.02], "ST": [0.5, 0.06], "ST_conf": [0.644, 0.02]})
    text = ranking(table, "sobol")
    assert "## New offence of any kind (first) at 52 weeks since release (% of cohort) (`reoffended_52w`)" in text
    assert ("| 1 | cooperation.assessment: Civil society informs risk and needs assessment | 0.500 (0.000 to 1.000; cut at "
            "the possible range) |") in text
    assert "| 0.060 (0.040 to 0.080) | 0.050 (0.030 to 0.070) |" in text  # an interval within 0-1 is as it was
    assert "ran past what the index can be (below 0, or a Sobol' index above 1) and is cut there" in text


def test_a_design_too_large_to_hold_names_the_samples_that_fit(tmp_path, capsys):
    """A design over the points a sweep can hold said only 'split it'; a sampled design names the --samples that fit,
    a power of 2 for Sobol' (12 points a sample here: 65,536 samples are 786,432 points, 131,072 too many)."""
    from sim.cli import main

    out = tmp_path / "never"
    assert main(["sensitivity", "cooperation_levers_sobol", "--samples", "131072", "--max-runs", "10000000",
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "has 1,572,864 design points, more than the 1,000,000 a sweep can hold (expected --samples of at most " \
           "65,536, a power of 2 (786,432 points), or split it into several experiments)" in err
    assert "Traceback" not in err and not out.exists()
