"""`sim report DIR`: one self-contained HTML file from a run, compare, sweep, sensitivity or calibration
folder, in the order a reader needs it; bad input exits 2.

The browser tests at the end open each kind in headless chromium at 1280x720 (no horizontal scroll,
every figure loaded) and print it on A4.
"""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.scenarios import load_scenario

SMALL = {"population.community": 400, "population.released": 60, "weeks": 40}
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
IMAGE = re.compile(r'<img [^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
HOSTILE = "title: <b>Tricky & $5 title</b>\ndescription: a <script>alert(1)</script> description costing $x$.\n"


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    result = sim.run(["baseline", "ngo_surge"], replicates=2, seed=3, overrides=SMALL)
    return result.save(tmp_path_factory.mktemp("run") / "out")


@pytest.fixture(scope="module")
def compare_folder(tmp_path_factory):
    """A real compare folder; the second scenario's title and description hold HTML and dollar signs."""
    base = tmp_path_factory.mktemp("compare")
    (base / "tricky.yaml").write_text(f"name: tricky\nextends: high_stigma\n{HOSTILE}")
    comparison = sim.compare(["baseline", str(base / "tricky.yaml")], replicates=2, seed=3, overrides=SMALL)
    return comparison.save(base / "out")


def sweep_folder(path):
    """A fabricated sweep folder with the runs dataset and manifest `sim sweep` writes, and one failed run."""
    factors = ["stigma.baseline", "supervision.strictness", "ngo.capacity"]
    grid = pd.MultiIndex.from_product([[0.2, 0.8], [0.2, 0.9], [0.0, 1.0], range(2)], names=[*factors, "replicate"])
    runs = grid.to_frame(index=False)
    runs = runs.assign(point=runs.index // 2, seed=np.arange(len(runs)), status="ok", error=None, seconds=0.2,
                       reoffended_156w=0.3 + 0.2 * runs["stigma.baseline"], final_community_stigma=runs["stigma.baseline"])
    runs.loc[3, ["status", "error", "reoffended_156w"]] = ["failed", "RuntimeError: boom", np.nan]
    (path / "runs").mkdir(parents=True)
    runs.to_parquet(path / "runs" / "part-00000.parquet", index=False)
    manifest = {"experiment": {"name": "fabricated", "spec": {"design": {"kind": "grid", "factors": {
        "stigma.baseline": [0.2, 0.8], "supervision.strictness": [0.2, 0.9], "ngo.capacity": [0.0, 1.0]}}},
        "base_scenario": load_scenario("general_offenders").model_dump(mode="json")}, "sessions": []}
    (path / "manifest.json").write_text(json.dumps(manifest))
    return path


def sensitivity_folder(path):
    """A sweep folder with the sensitivity.csv that `sim sensitivity` writes beside it (Sobol')."""
    folder = sweep_folder(path)
    factors = [f"cooperation.lever_{i}" for i in range(10)]
    rows = [(output, factor, 0.05 * i, 0.01, 0.06 * i, 0.02) for output in ("reoffended_156w", "final_community_stigma")
            for i, factor in enumerate(factors)]
    pd.DataFrame(rows, columns=["output", "factor", "S1", "S1_conf", "ST", "ST_conf"]).to_csv(
        folder / "sensitivity.csv", index=False)
    return folder


def calibration_folder(path, png: bytes):
    path.mkdir(parents=True)
    pd.DataFrame({"parameter": ["offending.general.base_hazard"], "value": [0.0123], "low": [0.011],
                  "high": [0.0135]}).to_csv(path / "fit.csv", index=False)
    pd.DataFrame({"target": ["rearrest"], "month": [12], "error": [1.5]}).to_csv(path / "errors.csv", index=False)
    pd.DataFrame({"candidate": range(24)}).to_csv(path / "candidates.csv", index=False)
    (path / "calibrated.yaml").write_text("name: general_offenders_calibrated\nextends: general_offenders\n")
    (path / "calibration.png").write_bytes(png)
    (path / "manifest.json").write_text(json.dumps({"kind": "calibration"}))
    return path


def check_self_contained(path, images: int) -> str:
    text = path.read_text()
    assert not EXTERNAL.search(text), "the report must not fetch anything"
    assert "<script" not in text and "<link" not in text
    found = IMAGE.findall(text)
    assert len(found) == images
    assert all(len(data) > 1000 for data in found)
    assert path.stat().st_size < 2_000_000
    assert "@media print" in text and "size: A4" in text
    assert "First 60" not in text and " rows.</p>" not in text  # never truncated
    return text


def test_report_of_a_run_folder_is_one_offline_file(run_folder, capsys):
    assert main(["report", str(run_folder)]) == 0
    report = run_folder / "report.html"
    assert "MB" in capsys.readouterr().out
    text = check_self_contained(report, images=3)
    assert "Headline outcomes" in text and "NGO places for everyone" in text  # the scenario's title
    differences = text[text.index("Scenario differences"):text.index("Manifest")]
    assert "ngo.capacity" in differences and "population.released" not in differences
    assert "python_version" in text  # the manifest
    assert str(run_folder.parent) not in text  # no machine path


def test_compare_report_leads_with_findings_then_figures_then_the_full_table_in_percent(compare_folder, tmp_path):
    out = tmp_path / "elsewhere" / "compare.html"
    assert main(["report", str(compare_folder), "--out", str(out)]) == 0
    text = check_self_contained(out, images=4)  # three standard figures and the Kaplan-Meier
    order = [text.index(h) for h in ("<h2>Findings</h2>", "<h2>Headline outcomes</h2>", "<h2>Figures</h2>",
                                     "<h2>Full comparison</h2>")]
    assert order == sorted(order)
    findings = text[order[0]:order[1]]
    assert "tricky: new offence within" in findings and "points" in findings
    assert 'alt="1 - Kaplan-Meier' in text
    full = text[order[3]:text.index("<h2>Scenario differences</h2>")]
    assert "(reference)" in full and "percentage points, 95% interval" in full and "% of cohort, 95% interval" in full
    assert not re.search(r"\d\.\d{4,}|e-\d\d", full), "raw fractions or scientific notation in the comparison"
    table = pd.read_csv(compare_folder / "comparison.csv")
    rows = full.count("<tr") - full.count("<thead>")
    assert rows >= len(table)  # every row, whatever the length
    assert not (compare_folder / "report.html").exists()


def test_the_paired_test_is_shown_as_a_p_value(compare_folder, tmp_path):
    """The replicate-level paired test's p is formatted as a p value, a tiny one as "<0.001"."""
    folder = tmp_path / "compare"
    shutil.copytree(compare_folder, folder)
    table = pd.read_csv(folder / "comparison.csv")
    assert "paired_p" in table.columns
    table.assign(paired_p=0.0004).to_csv(folder / "comparison.csv", index=False)
    assert main(["report", str(folder)]) == 0
    full = (folder / "report.html").read_text().split("<h2>Full comparison</h2>")[1].split("<h2>")[0]
    assert "paired p" in full and "&lt;0.001" in full and "paired_p" not in full


def test_titles_and_descriptions_are_escaped_everywhere(compare_folder, tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", str(compare_folder), "--out", str(out)]) == 0
    text = out.read_text()
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;Tricky &amp; $5 title&lt;/b&gt;" in text and "<b>Tricky" not in text


def test_report_of_a_sweep_folder_plots_each_outcome_against_each_factor(tmp_path):
    folder = sweep_folder(tmp_path / "sweep")
    assert main(["report", str(folder)]) == 0
    text = check_self_contained(folder / "report.html", images=2)  # reoffending and stigma, each against 3 factors
    assert "16 runs, 15 succeeded" in text and "RuntimeError: boom" in text
    assert "Each outcome against each factor" in text and "supervision.strictness" in text
    assert "General offenders" in text  # the base scenario's title


def test_report_of_a_sensitivity_folder_is_the_indices_with_intervals(tmp_path):
    folder = sensitivity_folder(tmp_path / "sobol")
    assert main(["report", str(folder)]) == 0
    text = check_self_contained(folder / "report.html", images=1)  # the indices, no heat maps
    assert "<h2>Sensitivity indices</h2>" in text and "S1 (95% interval)" in text and "ST (95% interval)" in text
    assert "0.450 (0.440 to 0.460)" in text  # lever_9's S1 with its interval
    assert "Each outcome against each factor" not in text


def test_report_of_a_calibration_folder(tmp_path, run_folder):
    folder = calibration_folder(tmp_path / "cal", (run_folder / "figures" / "stigma.png").read_bytes())
    assert main(["report", str(folder)]) == 0
    text = check_self_contained(folder / "report.html", images=1)
    assert "Fitted values" in text and "offending.general.base_hazard" in text and "24 candidates" in text
    assert "general_offenders_calibrated" in text


@pytest.mark.parametrize("setup", ["missing", "empty", "not a result"])
def test_bad_folder_exits_2_and_writes_nothing(tmp_path, capsys, setup):
    folder = tmp_path / "folder"
    if setup != "missing":
        folder.mkdir()
    if setup == "not a result":
        (folder / "manifest.json").write_text("{}")
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(folder) in err and "Traceback" not in err
    assert not (folder / "report.html").exists()


def test_out_that_is_a_folder_exits_2(run_folder, tmp_path, capsys):
    assert main(["report", str(run_folder), "--out", str(tmp_path)]) == 2
    assert "--out" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------ in a browser


@pytest.mark.browser
@pytest.mark.timeout(240)
@pytest.mark.parametrize("kind", ["run", "compare", "sweep", "sensitivity", "calibration"])
def test_each_kind_reads_at_1280x720_and_prints_on_a4(browser, kind, run_folder, compare_folder, tmp_path):
    folder = {"run": lambda: run_folder, "compare": lambda: compare_folder,
              "sweep": lambda: sweep_folder(tmp_path / "sweep"),
              "sensitivity": lambda: sensitivity_folder(tmp_path / "sobol"),
              "calibration": lambda: calibration_folder(tmp_path / "cal", (run_folder / "figures" / "stigma.png").read_bytes()),
              }[kind]()
    out = tmp_path / f"{kind}.html"
    assert main(["report", str(folder), "--out", str(out)]) == 0
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(out.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, "the report scrolls sideways"
    assert page.locator("h1").is_visible()
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert page.evaluate("[...document.images].every(i => i.getBoundingClientRect().width <= 1280)")
    smallest = page.evaluate("Math.min(...[...document.querySelectorAll('td')].map("
                             "c => parseFloat(getComputedStyle(c).fontSize)))") if page.locator("td").count() else 14
    assert smallest >= 13, f"table text of {smallest} px"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    page.close()


# ------------------------------------------------------------------------------------------ figures for a paper


def test_figures_say_who_they_show_share_axes_keep_legends_off_the_data_and_mark_events(run_folder):
    from matplotlib.ticker import MaxNLocator

    from sim.figures import curves_figure, support_figure, weekly_figure

    curves = pd.read_parquet(run_folder / "curves.parquet")
    series = pd.read_parquet(run_folder / "timeseries.parquet")
    backlash = load_scenario("attack_backlash", {**SMALL, "events": [
        {"kind": "media_shock", "week": 20, "label": "attack reported in the media"}]}).model_dump(mode="json")
    scenarios = [load_scenario("baseline", SMALL).model_dump(mode="json"), backlash | {"name": "ngo_surge"}]
    for fig in (curves_figure(curves, scenarios), weekly_figure(series, scenarios), support_figure(series, scenarios)):
        axes = fig.axes
        (legend,) = fig.legends
        caption = legend.get_title().get_text()
        assert "60 released people per replicate" in caption and "2 replicates per scenario" in caption
        assert "95%" in caption and "band" in caption
        assert all(ax.get_legend() is None for ax in axes), "a legend sits on the data"
        assert all(axes[0].get_shared_y_axes().joined(axes[0], ax) for ax in axes)
        assert all(ax.get_ylim()[0] >= 0 for ax in axes)
        assert [t.get_text() for t in legend.get_texts()] == ["Baseline", "Attack in the media, then backlash"]
    weekly = weekly_figure(series, scenarios)
    assert any(line.get_xdata()[0] == 20 for line in weekly.axes[0].lines), "the scheduled media shock is not marked"
    assert "attack reported in the media" in [t.get_text() for t in weekly.axes[0].texts]
    support = support_figure(series, scenarios)
    assert all(isinstance(ax.yaxis.get_major_locator(), MaxNLocator) for ax in support.axes)
    support.canvas.draw()
    assert all(float(t).is_integer() for t in support.axes[0].get_yticks()), "people tick at fractions"


def test_dollar_signs_and_underscores_in_titles_are_printed_as_written(run_folder, tmp_path):
    from sim.figures import curves_figure, save

    curves = pd.read_parquet(run_folder / "curves.parquet")
    scenarios = [{"name": "baseline", "title": "Costs $5 and $x$ in_a_row", "population": {"released": 60}}]
    fig = curves_figure(curves[curves["scenario"] == "baseline"], scenarios)
    (label,) = [t.get_text() for t in fig.legends[0].get_texts()]
    assert label == r"Costs \$5 and \$x\$ in_a_row"  # escaped: matplotlib prints the dollar signs, no math
    save(fig, tmp_path / "f.png")
    assert (tmp_path / "f.png").stat().st_size > 1000
