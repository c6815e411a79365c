"""`sim report DIR`: one self-contained HTML file from a run, compare, sweep, sensitivity, calibration or
robustness folder, in the order a reader needs it; bad input exits 2.

The browser tests at the end open each kind in headless chromium at 1280x720 (no horizontal scroll,
every figure loaded) and print it on A4.
"""

from __future__ import annotations

import errno
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim import analysis
from sim.cli import main
from sim.errors import InputError
from sim.scenarios import load_scenario
from sim.units import percent

ROOT = Path(__file__).resolve().parents[1]
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
    pd.DataFrame({"column": ["arrest"], "output": ["reoffended"], "month": [12.0], "week": [52.0], "target": [42.1],
                  "model_mean": [43.6], "model_low": [41.0], "model_high": [46.2], "error": [1.5]}).to_csv(
        path / "errors.csv", index=False)
    pd.DataFrame({"candidate": range(24)}).to_csv(path / "candidates.csv", index=False)
    (path / "calibrated.yaml").write_text("name: general_offenders_calibrated\nextends: general_offenders\n")
    (path / "calibration.png").write_bytes(png)
    (path / "manifest.json").write_text(json.dumps({"kind": "calibration"}))
    return path


@pytest.fixture(scope="module")
def robustness_template(tmp_path_factory):
    return write_robustness_folder(tmp_path_factory.mktemp("robust") / "out")


def write_robustness_folder(path):
    """A robustness folder as `sim robustness` writes it, from fabricated draws: the alternative's lower
    reoffending (-2 points) flips to higher when the assumption supervision.detection is above 0.7, and PRIM's box says so;
    it costs GBP 1,000 to 60,000 more a run and averts 2 offences and a tenth of a terrorism offence (its acceptability
    curves). The alternative's title and description (in its nominal sweep's manifest) hold HTML."""
    from sim.experiments.acceptability import acceptability_curve
    from sim.experiments.robustness import MANIFEST, write_report
    from sim.experiments.robustness_analysis import NOT_KEPT
    from sim.experiments.robustness_results import Robustness
    from sim.output import write_json

    rng = np.random.default_rng(5)
    draws = pd.DataFrame({"point": np.arange(60), "a.one": rng.random(60), "supervision.detection": rng.random(60)})
    draws["alt:reoffended_52w"] = np.where(draws["supervision.detection"] > 0.7, 0.02, -0.02)
    draws["alt:extra_cost"], draws["alt:offences_averted"] = 1000.0 * np.arange(1, 61), 2.0
    draws["alt:terrorism_offences_averted"] = 0.1
    kept = float((draws["supervision.detection"] <= 0.7).mean())
    table = pd.DataFrame([{"scenario": "alt", "reference": "ref", "outcome": "reoffended_52w", "nominal": -0.02,
                           "draws": 60, "share_keeping_sign": kept, "mean": draws["alt:reoffended_52w"].mean(),
                           "p05": -0.02, "median": -0.02, "p95": 0.02, "min": -0.02, "max": 0.02,
                           "flips": int((draws["supervision.detection"] > 0.7).sum()), "ties": 0}])
    boxes = pd.DataFrame([{"scenario": "alt", "outcome": "reoffended_52w", "box_holds": NOT_KEPT, "assumption": "supervision.detection",
                           "low": 0.71, "high": 1.0, "range_low": 0.0, "range_high": 1.0, "coverage": 1.0, "density": 1.0}])
    curves = [acceptability_curve(draws, "ref", {"alt": (30_000.0, averted)}, outcome)
              for outcome, averted in (("offences", 2.0), ("terrorism_offences", 0.2))]
    found = Robustness(path, draws, table, boxes, ["a.one", "supervision.detection"],
                       acceptability=pd.concat(curves, ignore_index=True), prices_terrorism=True)
    spec = {"names": ["ref", "alt"], "seed": 1, "draws": 60, "replicates": 1, "factors": {"a.one": (0, 1), "supervision.detection": (0, 1)}}
    path.mkdir(parents=True)
    write_json(path / MANIFEST, {"fingerprint": "f", "scenarios": spec["names"], "draws": 60, "replicates": 1,
                                 "seed": 1, "factors": spec["factors"],
                                 "settings": {"ref.title": "Reference", "alt.title": "<b>Tricky & $5 title</b>"}})
    write_report(path, found, spec)
    tricky = load_scenario("high_stigma").model_dump(mode="json") | {"name": "alt"}
    tricky |= {"title": "<b>Tricky & $5 title</b>", "description": "a <script>alert(1)</script> description"}
    for name, settings in (("ref", load_scenario("baseline").model_dump(mode="json") | {"name": "ref"}), ("alt", tricky)):
        (path / "sweeps" / name / "nominal").mkdir(parents=True)
        (path / "sweeps" / name / "nominal" / "manifest.json").write_text(
            json.dumps({"experiment": {"base_scenario": settings}}))
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
    assert "&lt;b&gt;Tricky &amp; $5 title&lt;/b&gt; (tricky): new offence of any kind within" in findings  # its title
    assert "points" in findings
    assert 'alt="The same outcomes from the people of all replicates pooled (1 - Kaplan-Meier' in text
    full = text[order[3]:text.index("<h2>Scenario differences</h2>")]
    assert "(reference)" in full and "percentage points, 95% interval" in full and "% of cohort, 95% interval" in full
    assert not re.search(r"\d\.\d{4,}|e-\d\d", full), "raw fractions or scientific notation in the comparison"
    table = pd.read_csv(compare_folder / "comparison.csv")
    rows = full.count("<tr") - full.count("<thead>")
    assert rows >= len(table)  # every row, whatever the length
    assert not (compare_folder / "report.html").exists()


def test_the_headline_table_gives_the_terrorism_offence_and_names_scenarios_and_outcomes_in_words(compare_folder,
                                                                                                   tmp_path):
    """A violent-extremist cohort's headline table carries its own outcome, a terrorism offence, beside the others;
    a minister reads a scenario's title and each outcome in words, not 'ngo_surge' or 'reoffended at 40 weeks'."""
    out = tmp_path / "r.html"
    assert main(["report", str(compare_folder), "--out", str(out)]) == 0
    table = report_section(out.read_text(), "Headline outcomes")
    headers = [html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table)]
    rows = [html.unescape(r) for r in re.findall(r"<tr>\s*<th[^>]*>(.*?)</th>\s*<td", table)]
    assert [h for h in headers if "release" in h] == [
        f"{outcome} within 40 weeks of release"
        for outcome in ("New offence of any kind", "Recall for breach", "Return to custody", "Terrorism offence")]
    assert rows == ["Baseline (baseline)", "<b>Tricky & $5 title</b> (tricky)"]


def test_every_table_names_scenarios_by_title_and_gives_each_setting_its_unit(compare_folder, tmp_path):
    """An adviser reading the full comparison or the scenario differences meets 'High stigma', not 'high_stigma' alone
    (the name stays beside it: it reruns the scenario), and reads 0.3 as places per released person, not a bare 0.3."""
    out = tmp_path / "r.html"
    assert main(["report", str(compare_folder), "--out", str(out)]) == 0
    text = out.read_text()
    tricky, baseline = "<b>Tricky & $5 title</b> (tricky)", "Baseline (baseline)"
    for name, (_, cells) in report_tables(report_section(text, "Full comparison")).items():
        assert {tricky, baseline} <= set(cells), name
        assert "tricky" not in cells and "baseline" not in cells, name
    assert "reference: Baseline (baseline);" in report_section(text, "Full comparison")
    differences = report_section(text, "Scenario differences")
    headers = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", differences)]
    assert headers[1:4] == ["unit", baseline, tricky]
    rows = {html.unescape(key): [html.unescape(c) for c in cells] for key, cells in
            re.findall(r"<tr>\s*<th>(.*?)</th>(.*?)</tr>", differences, re.S) for cells in [re.findall(r"<td>(.*?)</td>", cells)]}
    assert rows["stigma.baseline"][0] == "share (0-1)"


def test_the_pooled_kaplan_meier_figure_says_in_words_what_it_is_and_that_its_bands_are_narrower(compare_folder,
                                                                                                   tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", str(compare_folder), "--out", str(out)]) == 0
    captions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", out.read_text())
    pooled = [c for c in captions if "Kaplan-Meier" in c]
    assert len(pooled) == 1 and "the share with a first event by weeks since release" in pooled[0]
    assert "narrower than the bands and intervals above, which rest on replicates" in pooled[0]


def test_a_report_never_lets_overlapping_bands_pass_for_no_difference(run_folder, compare_folder, tmp_path):
    """Replicate r of every scenario shares its seed, so per-scenario bands overlap where the paired difference is
    clear: a run's report sends the reader to sim compare, a comparison's to its paired intervals."""
    def captions(folder):
        out = tmp_path / f"{folder.name}.html"
        assert main(["report", str(folder), "--out", str(out)]) == 0
        return out.read_text(), re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", out.read_text())

    run_text, run_captions = captions(run_folder)
    assert "run <code>sim compare</code> on the same scenarios" in run_text
    curves = next(c for c in run_captions if c.startswith("Recidivism, recall"))
    assert "not a test of a difference" in curves and "sim compare gives the paired differences" in curves
    compare_text, compare_captions = captions(compare_folder)
    assert "run <code>sim compare</code>" not in compare_text
    curves = next(c for c in compare_captions if c.startswith("Recidivism, recall"))
    assert "Judge differences by the paired intervals of the findings" in curves
    pooled = next(c for c in compare_captions if "Kaplan-Meier" in c)
    assert "not by these bands or those of the figures above" in pooled


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


def report_section(text: str, heading: str) -> str:
    """The HTML of one h2 section of a report."""
    return text.split(f"<h2>{heading}</h2>")[1].split("<h2>")[0]


def report_tables(section: str) -> dict[str, tuple[list[str], list[str]]]:
    """Each table of a section by its h3 heading, as it reads: (column headers, cells)."""
    found = {}
    for name, body in re.findall(r"<h3>(.*?)</h3>(.*?)(?=<h3>|$)", section, re.S):
        table = body.split("</table>")[0]
        found[html.unescape(name)] = ([html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", table)],
                                      [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", table)])
    return found


def intervals(cells: list[str]) -> list[str]:
    """The cells that hold a number with its interval (or the reason it has none)."""
    return [c for c in cells if re.match(r"[+-]?[\d,.]+ \(", c)]


def test_every_metric_a_run_or_comparison_writes_has_a_unit_and_a_name_in_words(run_folder, compare_folder):
    """A metric added without a unit in sim.units.UNITS fails here, rather than being labelled with another's unit;
    one without words in sim.figures.LABELS, rather than headed by its column name ('Ngo places') in a report."""
    from sim.figures import LABELS
    from sim.units import UNITS

    series = pd.read_parquet(run_folder / "timeseries.parquet")
    written = {c for c in series.columns if c not in ("scenario", "replicate", "seed", "week")}
    written |= set(pd.read_csv(run_folder / "summary.csv")["metric"]) | set(pd.read_csv(compare_folder / "comparison.csv")["metric"])
    assert written - set(UNITS) == set()
    assert written - set(LABELS) == set()


def test_compare_report_gives_costs_in_money_and_custody_in_person_weeks(compare_folder, tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", str(compare_folder), "--out", str(out)]) == 0
    tables = report_tables(report_section(out.read_text(), "Full comparison"))
    for name in ("Cost to date (the whole cohort of one run)", "Cost per person released"):
        headers, cells = tables[name]
        # a sum of money is read against a budget only with its price year
        assert {"mean (GBP at 2023 prices, 95% interval)", "difference (GBP at 2023 prices, 95% interval)"} <= set(headers)
        assert intervals(cells) and not any(re.search(r"\.\d", c) for c in intervals(cells)), "money to the penny"
    headers, cells = tables["Custody-weeks (the whole cohort of one run, in prison before release or back in custody)"]
    assert {"mean (person-weeks, 95% interval)", "difference (person-weeks, 95% interval)"} <= set(headers)
    assert not any("level 0-1" in h for name, (headers, _) in tables.items() if name.startswith(("Cost", "Custody"))
                   for h in headers)
    assert "Trust in NGOs (mean, 0-1)" in tables  # not the column name 'Trust ngo'


def test_every_amount_the_findings_give_for_costs_is_in_a_table_of_the_report(compare_folder, tmp_path):
    """A ministry checks a price against the table it comes from: the extra cost, the offences averted with their
    interval and the price per offence averted (or why there is none) of each sentence are one row of a table."""
    out = tmp_path / "r.html"
    assert main(["report", str(compare_folder), "--out", str(out)]) == 0
    text = out.read_text()
    said = html.unescape(report_section(text, "Findings").split("<h3>Costs</h3>")[1].split("<h3>")[0])
    sentences = re.findall(r"(?:to week |over the run \()(\d+)(?: weeks\))?, for one run's cohort of [\d,]+ people: "
                           r"(.+?) and (.+?); (.+?)\.</li>", said)
    assert len(sentences) == 2  # new offences and terrorism offences
    rows = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", report_section(text, "Costs"), re.S)]
    for week, spent, offences, price in sentences:
        assert any(week in row and spent in row and offences in row and price in row for row in rows), (spent, offences)
    # why the two prices are not summed, said in the same words beside the table as in comparison.md
    from sim.costs import PRICES_APART

    assert PRICES_APART in html.unescape(report_section(text, "Costs"))
    assert PRICES_APART in (compare_folder / "comparison.md").read_text()


def test_every_figure_the_findings_give_for_a_group_is_in_the_report_s_table_of_groups(tmp_path):
    """'For whom does it work?': each group's share and its difference with its interval, as the findings word them,
    is a row of the report's table of that outcome by group (with the shorter horizons the words leave out), headed
    as a share of the group (not of the cohort), under headings that name the column in words."""
    folder = sim.compare(["baseline", "ngo_surge"], replicates=2, seed=3, overrides=SMALL, by="risk_tier").save(
        tmp_path / "by")
    assert main(["report", str(folder)]) == 0
    text = (folder / "report.html").read_text()
    said = html.unescape(re.sub(r"<[^>]+>", "", report_section(text, "Findings")))
    figures = re.findall(r"(Q\d \([^)]*\)), NGO places for everyone \(ngo_surge\): (.+?) within (\d+) weeks "
                         r"[\d.]+% → ([\d.]+)%, [a-z ]+: ([+-]?[\d.]+) points against Baseline \((?:95% CI ([+-]?[\d.]+) to ([+-]?[\d.]+)|"
                         r"(no interval: the same difference in every replicate))", said)
    assert len(figures) >= 8  # a difference of 0.0 points has no sign (``points_text``)
    assert "<h3>By risk tier</h3>" in report_section(text, "Findings")  # the column in words, not its id
    tables = report_tables(report_section(text, "By risk tier"))
    assert all("% of cohort" not in header for headers, _ in tables.values() for header in headers)
    rows = {name.split(" (")[0].lower(): [dict(zip(headers, cells[i:i + len(headers)], strict=True))
                                          for i in range(0, len(cells), len(headers))]
            for name, (headers, cells) in tables.items()}
    named = {"recall for breach": "recalled for breach", "return to custody": "returned to custody"}
    for group, what, week, share, difference, low, high, none in figures:
        assert any(row["group"] == group and row["scenario"] == "NGO places for everyone (ngo_surge)" and row["week"] == week
                   and row["mean (% of group, 95% interval)"].startswith(f"{share} (")
                   and row["difference (percentage points, 95% interval)"] == f"{difference} ({none or f'{low} to {high}'})"
                   for row in rows[named.get(what, what)]), (group, what, week)


def test_each_unit_cost_gives_its_currency_year_and_source_or_says_it_is_assumed(compare_folder, tmp_path):
    """An amount is quoted only with what it rests on: each unit cost in its currency at its price year, its published
    source or the word "assumed", and a cost the run changed is not credited to the shipped source."""
    folder = tmp_path / "repriced"
    shutil.copytree(compare_folder, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    for scenario in manifest["scenarios"]:
        scenario["costs"]["court_case"] = 7500.0
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert main(["report", str(folder)]) == 0
    section = report_section((folder / "report.html").read_text(), "Costs")
    assert "In GBP at 2023 prices." in html.unescape(section)
    headers, cells = report_tables(section)["Unit costs"]
    assert headers == ["cost", "unit", "value", "source"]
    rows = {cells[i]: cells[i + 1:i + 4] for i in range(0, len(cells), 4)}
    assert rows["custody_week"][:2] == ["GBP per prisoner-week", "1,000"]
    assert rows["custody_week"][2].startswith("Ministry of Justice")
    assert rows["recall"][2].startswith("assumed: ")
    assert rows["levers.reintegration_support"][0] == "GBP per released person per week at full level"
    assert rows["court_case"][1:] == ["7,500", "set for this run; shipped GBP 5,000, assumed"]


def test_comparison_md_and_its_report_open_with_the_answer_in_plain_words(compare_folder, tmp_path):
    text = (compare_folder / "comparison.md").read_text()
    assert text.index("## In short") < text.index("## Headline differences")
    short = text.split("## In short")[1].split("## ")[0]
    assert "(tricky) against Baseline, within 26 weeks of release: " in short
    out = tmp_path / "r.html"
    assert main(["report", str(compare_folder), "--out", str(out)]) == 0
    findings = report_section(out.read_text(), "Findings")
    assert findings.index("<h3>In short</h3>") < findings.index("<h3>Headline differences</h3>")


def test_comparison_md_gives_the_price_year_of_its_costs(compare_folder):
    costs = (compare_folder / "comparison.md").read_text().split("## Costs", 1)[1].split("## ", 1)[0]
    assert "In GBP at 2023 prices" in costs
    assert "whole simulated cohort of one run" in costs  # custody-weeks are not per person


def test_run_report_summary_gives_each_metric_its_unit(run_folder, tmp_path):
    """People, counts and money are not levels 0-1; the levels are the attitudes, bonds and NGO standing."""
    out = tmp_path / "r.html"
    assert main(["report", str(run_folder), "--out", str(out)]) == 0
    tables = report_tables(report_section(out.read_text(), "Summary table"))
    unit = {name: re.fullmatch(r"mean \((.*), 95% interval\)", headers[-1]).group(1) for name, (headers, _) in tables.items()}
    for name in ("On licence (people)", "Licence ended (people)", "Recalled this week (people)",
                 "Returned to custody this week (people)", "In custody after release (people)"):
        assert unit[name] == "people"
    assert unit["New offences (count, the whole cohort of one run)"] == "offences"
    assert unit["Terrorism offences (count, the whole cohort of one run)"] == "offences"
    assert unit["Recalls for breach (count, the whole cohort of one run)"] == "recalls"
    assert unit["NGO places (places)"] == "places" and unit["Probation contacts expected this week"] == "contacts a week"
    assert {unit[name] for name in tables if name.startswith("Cost")} == {"GBP at 2023 prices"}
    assert unit["Employed (share of those in the community)"] == "% of those in the community"
    assert {name for name, u in unit.items() if u == "level 0-1"} == {
        "Community stigma (mean attitude, 0-1)", "Experienced stigma (mean, 0-1)", "Family bond (mean, 0-1)",
        "Prosocial ties (mean, 0-1)", "Unmet needs (mean, 0-1)", "Ideological commitment (mean, 0-1)",
        "Engagement with the movement (mean, 0-1)", "Stigma families experience (mean, 0-1)",
        "Trust in government (mean, 0-1)", "Trust in NGOs (mean, 0-1)", "NGOs' willingness to cooperate (mean, 0-1)",
        "NGOs' reputation (mean, 0-1)", "NGOs' independence (mean, 0-1)"}
    cells = intervals(tables["On licence (people)"][1])
    assert cells and all(re.fullmatch(r"[\d,]+\.\d \([\d,]+\.\d to [\d,]+\.\d\)", c) for c in cells)  # people to 0.1


def test_a_metric_the_model_does_not_know_says_its_unit_is_not_recorded(compare_folder, tmp_path):
    folder = tmp_path / "compare"
    shutil.copytree(compare_folder, folder)
    table = pd.read_csv(folder / "comparison.csv")
    table.loc[table["metric"] == "trust_ngo", "metric"] = "invented_metric"
    table.to_csv(folder / "comparison.csv", index=False)
    assert main(["report", str(folder), "--out", str(tmp_path / "r.html")]) == 0
    headers, _ = report_tables(report_section((tmp_path / "r.html").read_text(), "Full comparison"))["Invented metric"]
    assert "mean (unit not recorded, 95% interval)" in headers


def test_an_interval_that_is_missing_says_why(tmp_path):
    """With one replicate no mean or difference has an interval: each cell says so, never '0.2 ( to )' or a bare
    number under a header that promises an interval."""
    folder = sim.compare(["baseline", "ngo_surge"], replicates=1, seed=3, overrides=SMALL).save(tmp_path / "one", figures=False)
    assert main(["report", str(folder), "--out", str(tmp_path / "r.html")]) == 0
    text = (tmp_path / "r.html").read_text()
    assert "( to )" not in text
    headline = report_section(text, "Headline outcomes")
    assert "the mean across 1 replicate per scenario, with its 95% interval" in headline
    cells = re.findall(r"<td>(.*?)</td>", headline)
    assert cells and all(re.fullmatch(r"\d+\.\d% \(no interval: 1 replicate\)", c) for c in cells)
    full = report_section(text, "Full comparison")
    cells = [c for _, (_, table) in report_tables(full).items() for c in intervals(table)]
    assert cells and all(c.endswith(" (no interval: 1 replicate)") for c in cells)


def test_a_difference_the_same_in_every_replicate_says_so(compare_folder, tmp_path):
    """paired_difference gives no interval to a difference that is the same number in every replicate."""
    folder = tmp_path / "compare"
    shutil.copytree(compare_folder, folder)
    table = pd.read_csv(folder / "comparison.csv")
    same = (table["metric"] == "in_custody") & (table["scenario"] != table["reference"])
    table.loc[same, ["difference", "diff_low", "diff_high", "paired_p"]] = [2.0, np.nan, np.nan, np.nan]
    table.to_csv(folder / "comparison.csv", index=False)
    assert main(["report", str(folder), "--out", str(tmp_path / "r.html")]) == 0
    _, cells = report_tables(report_section((tmp_path / "r.html").read_text(), "Full comparison"))[
        "In custody after release (people)"]
    assert cells.count("+2.0 (no interval: the same difference in every replicate)") == same.sum()


def test_titles_and_descriptions_are_escaped_everywhere(compare_folder, tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", str(compare_folder), "--out", str(out)]) == 0
    text = out.read_text()
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;Tricky &amp; $5 title&lt;/b&gt;" in text and "<b>Tricky" not in text


@pytest.mark.parametrize("kind", ["compare", "robustness", "calibration"])
def test_a_report_sent_on_its_own_points_at_no_file_of_its_folder_and_no_place_on_a_machine(
        kind, compare_folder, robustness_template, run_folder, tmp_path):
    """The adviser who receives report.html by e-mail has neither comparison.csv nor figures/, and should not learn
    where the analyst kept the results: the words say what the report itself shows, and the manifest it embeds
    gives the program and folders by their names alone."""
    folder = tmp_path / kind
    if kind == "calibration":
        calibration_folder(folder, (run_folder / "figures" / "stigma.png").read_bytes())
    else:
        shutil.copytree({"compare": compare_folder, "robustness": robustness_template}[kind], folder)
    manifest_file = folder / {"robustness": "robustness.json"}.get(kind, "manifest.json")
    manifest = json.loads(manifest_file.read_text())
    manifest["command"] = ["/home/analyst/secret/bin/sim", kind, "baseline", "--out", "/home/analyst/secret/results/ngo"]
    manifest_file.write_text(json.dumps(manifest))
    assert main(["report", str(folder)]) == 0
    text = (folder / "report.html").read_text()
    words = html.unescape(re.sub(r"<[^>]+>", " ", text.split("<h2>Manifest</h2>")[0]))
    assert re.findall(r"[\w/<>-]*\w\.(?:csv|png|parquet|yaml|md)\b|\bfigures/", words) == []
    assert "/home/analyst" not in text and "&quot;sim&quot;" in text and "&quot;ngo&quot;" in text
    if kind == "compare":  # what the dropped pointers qualified is still said
        assert "The price is not estimable when the offences averted are not distinguishable from 0." in words


def test_report_of_a_sweep_folder_plots_each_outcome_against_each_factor(tmp_path):
    folder = sweep_folder(tmp_path / "sweep")
    assert main(["report", str(folder)]) == 0
    text = check_self_contained(folder / "report.html", images=2)  # reoffending and stigma, each against 3 factors
    assert "16 runs, 15 succeeded" in text and "RuntimeError: boom" in text
    assert "Each outcome against each factor" in text and "supervision.strictness" in text
    assert "General offenders" in text  # the base scenario's title


@pytest.mark.parametrize(("make", "kind"), [(sweep_folder, "Sweep"), (sensitivity_folder, "Sensitivity")])
def test_a_sweep_report_is_titled_after_its_experiment_and_says_what_it_asks(tmp_path, make, kind):
    """Titled 'Sweep: Baseline', after the base scenario alone, two sweeps of one scenario read the same: the
    experiment's name and description were only in the manifest at the end."""
    folder = make(tmp_path / "sweep")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["experiment"]["spec"]["description"] = "Does <b>strictness</b> & stigma matter?"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert main(["report", str(folder)]) == 0
    text = (folder / "report.html").read_text()
    title = f"{kind}: fabricated on General offenders (BJS 2005 cohort)"
    assert f"<title>{title}</title>" in text
    assert f"<h1>{title}</h1>\n<p>Does &lt;b&gt;strictness&lt;/b&gt; &amp; stigma matter?</p>\n" in text


def test_a_sweep_report_gives_its_outcomes_in_words_and_shares_in_percent(tmp_path):
    """Not 'reoffended_156w 0.34': the reader sees what the outcome is and 34.0 (% of cohort)."""
    folder = sweep_folder(tmp_path / "sweep")
    assert main(["report", str(folder)]) == 0
    text = (folder / "report.html").read_text()
    name = "New offence of any kind (first) at 156 weeks since release (% of cohort)"
    assert f"{name} against each factor." in text and "reoffended_156w against each factor" not in text
    table = text.split("<h3>Mean of each outcome at each point</h3>")[1].split("</table>")[0]
    headers, cells = re.findall(r"<th>(.*?)</th>", table), re.findall(r"<td>(.*?)</td>", table)
    assert name in headers and "runs" in headers and "reoffended_156w" not in headers
    assert "34.0" in cells and "0.34" not in cells  # 34.0: one run, no interval
    # 46.0 in each of its runs: "(46.0 to 46.0)" would read as a certainty
    assert "46.0 (no interval: the same in every replicate)" in cells and "46.0 (46.0 to 46.0)" not in cells


def test_a_sweep_report_keeps_its_intervals_within_0_to_100_and_names_each_factor_s_unit(tmp_path):
    """Its figure drew mean +- 1.96 standard errors, down to -3.6% of the cohort for a level where one run in eight
    had new offences; its table gave means without the intervals every other report gives, and its factors as bare
    keys. Now: t intervals (``interval``), cut at 0-100% and said to be, and each factor with its unit and meaning."""
    from sim.report.sweeps import factor_figure

    folder = sweep_folder(tmp_path / "sweep")
    runs = pd.read_parquet(folder / "runs")
    runs["reoffended_156w"] = np.where((runs["point"] == 0) & (runs["replicate"] == 0), 0.3, 0.0)
    runs.to_parquet(folder / "runs" / "part-00000.parquet", index=False)
    assert main(["report", str(folder)]) == 0
    text = (folder / "report.html").read_text()
    table = text.split("<h3>Mean of each outcome at each point</h3>")[1].split("</table>")[0]
    assert "15.0 (0.0 to 100.0; cut at the possible range)" in table
    assert "a share below 0% or above 100%, a count below 0) and is cut there" in table
    assert "<th>stigma.baseline, share (0-1)</th>" in table and "<th>ngo.capacity, places per released person</th>" in table
    design = text.split("<h3>Design</h3>")[1].split("</table>")[0]
    assert "<td>places per released person</td>" in design and "NGO client places funded" in design
    ok = runs[runs["status"] == "ok"]
    fig = factor_figure(ok, ["stigma.baseline", "supervision.strictness", "ngo.capacity"], "reoffended_156w")
    for ax in fig.axes:
        for bars in ax.containers:
            assert min(segment[:, 1].min() for segment in bars.lines[2][0].get_segments()) >= 0
        assert "\n" in ax.get_xlabel()  # key, then its unit


def test_report_of_a_sensitivity_folder_is_the_indices_with_intervals(tmp_path):
    folder = sensitivity_folder(tmp_path / "sobol")
    assert main(["report", str(folder)]) == 0
    text = check_self_contained(folder / "report.html", images=1)  # the indices, no heat maps
    assert "<h2>Sensitivity indices</h2>" in text and "S1 (95% interval)" in text and "ST (95% interval)" in text
    assert "0.450 (0.440 to 0.460)" in text  # lever_9's S1 with its interval
    assert "Each outcome against each factor" not in text


def test_a_sensitivity_report_leads_with_whether_the_sample_can_rank_the_factors(tmp_path):
    """ranking.md's verdict, not only an unranked table of indices: a reader must not pick a 'most important' lever
    the sample cannot tell from the next."""
    folder = sensitivity_folder(tmp_path / "sens")
    table = pd.read_csv(folder / "sensitivity.csv")
    table.loc[table["output"] == "final_community_stigma", ["S1_conf", "ST_conf"]] = 0.5  # intervals overlap
    table.to_csv(folder / "sensitivity.csv", index=False)
    assert main(["report", str(folder)]) == 0
    text = (folder / "report.html").read_text()
    assert text.index("<h2>Which factors matter most</h2>") < text.index("<h2>Sensitivity indices</h2>")
    verdicts = report_section(text, "Which factors matter most")
    reoffending, stigma = verdicts.split("Community stigma (mean attitude, 0-1) at the last week (<code>final_community_stigma</code>)</h3>")
    assert "<b>The top 3 are separated</b>: cooperation.lever_9, cooperation.lever_8, cooperation.lever_7." in reoffending
    assert "<b>The top 3 are NOT separated</b>" in stigma and "the sample is too small for a ranking" in stigma
    assert "<i>separated</i>" in verdicts and "*" not in verdicts


@pytest.mark.parametrize(("file", "text", "said"), [
    ("fit.csv", "parameter\nx\n", "fit.csv: lacks the columns value, low, high"),
    ("errors.csv", "target,model_mean,model_low,model_high,error\nhigh,1,2,3,4\n", "errors.csv: holds text in its target column"),
])
def test_the_report_of_a_calibration_refuses_a_table_that_is_not_the_one_sim_calibrate_wrote(tmp_path, run_folder, capsys,
                                                                                             file, text, said):
    """A fit.csv of one column was shown as the fitted values (exit 0)."""
    folder = calibration_folder(tmp_path / "cal", (run_folder / "figures" / "stigma.png").read_bytes())
    (folder / file).write_text(text)
    assert main(["report", str(folder)]) == 2
    assert said in capsys.readouterr().err and not (folder / "report.html").exists()


def test_report_of_a_calibration_folder(tmp_path, run_folder):
    folder = calibration_folder(tmp_path / "cal", (run_folder / "figures" / "stigma.png").read_bytes())
    assert main(["report", str(folder)]) == 0
    text = check_self_contained(folder / "report.html", images=1)
    assert "Fitted values" in text and "offending.general.base_hazard" in text and "24 candidates" in text
    assert "general_offenders_calibrated" in text


def test_report_of_a_robustness_folder_says_which_conclusions_hold_and_where_they_flip(robustness_template, tmp_path):
    folder = shutil.copytree(robustness_template, tmp_path / "robust")
    assert main(["report", str(folder)]) == 0
    text = check_self_contained(folder / "report.html", images=3)  # the spread of each difference, the PRIM box, the
    # acceptability curve
    order = [text.index(h) for h in ("<h2>In short</h2>", "<h2>Do the conclusions keep their sign?</h2>",
                                     "<h2>Where a conclusion loses its sign (PRIM)</h2>", "<h2>What was drawn</h2>")]
    assert order == sorted(order)
    short = text[order[0]:order[1]]
    # each scenario by its title (escaped), with its name at first mention, as robustness.json's settings record it
    assert "&lt;b&gt;Tricky &amp; $5 title&lt;/b&gt; (alt) against Reference: the difference in new offence of any kind " \
           "within 52 weeks (-2.0 points at the nominal values) keeps its sign in <b>" in short
    unit = "detection rate (hazard) per contact"  # every range in the assumption's unit
    assert re.search(rf"it flips mostly when detection rate per supervision contact "
                     rf"\(<code>supervision.detection</code>\) is "
                     rf"between 0.7\d* and 1 \(of 0-1; unit: {re.escape(unit)}\)", short)
    signs = text[order[1]:order[2]]
    assert "<th class=\"text\">share of draws keeping the sign</th>" in signs and "<td class=\"text\">-2.0 points</td>" in signs
    assert 'alt="Each draw' in signs
    prim = text[order[2]:order[3]]
    assert "(<code>supervision.detection</code>) is between" in prim and "<h3>PRIM boxes</h3>" in prim
    headers, cells = report_tables(prim)["PRIM boxes"]
    assert dict(zip(headers, cells, strict=True))["unit"] == unit
    assert 'alt="&lt;b&gt;Tricky &amp; $5 title&lt;/b&gt; (alt), new offence of any kind within 52 weeks' in prim
    assert "<td>&lt;b&gt;Tricky &amp; $5 title&lt;/b&gt; (alt)</td>" in prim  # the PRIM boxes' table
    assert "held-out" not in prim  # a folder written before boxes were tested on held-out draws: nothing said of it
    assert "a.one" in text[order[3]:]  # what was drawn
    assert (f'<td class="text">Detection rate per supervision contact</td><td class="text"><code>supervision.detection'
            f'</code></td><td class="text">{unit}</td><td class="text">0 to 1') in text[order[3]:]
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;Tricky &amp; $5 title&lt;/b&gt;" in text and "<b>Tricky" not in text
    assert "<summary>robustness.json</summary>" in text
    # is it worth its cost: the section's words and the acceptability curve beside them
    worth = text.split("<h2>Is it worth its cost?</h2>")[1].split("<h2>")[0]
    assert "<b>cost-effectiveness acceptability curve</b>" in worth and "figures/" not in worth
    assert ("(alt) against Reference: at the nominal values it costs more and averts new offences, GBP 15,000 per new "
            "offence averted") in worth
    assert "worth funding in half the draws or more from GBP 15,000 per new offence averted, and in 90% or more from " \
        "GBP 27,000" in worth
    # and per terrorism offence averted, after it: GBP 10,000 x k for draw k
    terrorism = worth.split("<b>Per terrorism offence averted.</b>")[1]
    assert ("(alt) against Reference: at the nominal values it costs more and averts terrorism offences, GBP 150,000 per "
            "terrorism offence averted") in terrorism
    assert ("worth funding in half the draws or more from GBP 300,000 per terrorism offence averted, and in 90% or more "
            "from GBP 540,000") in terrorism
    assert "set against what a terrorism offence averted is worth to you: worth funding in half the draws" in short
    assert worth.count("<img ") == 1 and ('alt="The share of draws in which each scenario is worth funding at each '
                                          "willingness to pay per new offence averted (left) and per terrorism offence "
                                          "averted (right) (line)") in worth


def test_robustness_report_draws_the_figures_a_no_figures_run_left_out(robustness_template, tmp_path):
    folder = shutil.copytree(robustness_template, tmp_path / "robust")
    shutil.rmtree(folder / "figures")
    assert main(["report", str(folder), "--out", str(tmp_path / "r.html")]) == 0
    check_self_contained(tmp_path / "r.html", images=3)


def cut(path, size):
    path.write_bytes(path.read_bytes()[:size])


def keep_lines(path, lines):
    path.write_text("".join(path.read_text().splitlines(keepends=True)[:lines]))


def refused(folder, named, capsys):
    """`sim report FOLDER` refuses it: exit 2, one line naming `named`, no traceback, no report written."""
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and named in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and "internal error" not in err
    assert not (folder / "report.html").exists()
    return err


@pytest.mark.parametrize(("damage", "named"), [
    (lambda f: (f / "robustness.csv").unlink(), "robustness.csv: is missing"),  # stopped before its results
    (lambda f: pd.read_csv(f / "robustness.csv").drop(columns="ties").to_csv(f / "robustness.csv", index=False),
     "robustness.csv: lacks the column ties"),  # written before ties were counted apart from flips: rerun to recount
    (lambda f: cut(f / "robustness.csv", (f / "robustness.csv").stat().st_size - 5), "robustness.csv: is truncated"),
    (lambda f: keep_lines(f / "draws.csv", 30), "draws.csv: holds 29 draws of the 60"),  # cut at a row's end
    (lambda f: cut(f / "prim_boxes.csv", 0), "prim_boxes.csv: cannot be read as CSV"),
    (lambda f: cut(f / "acceptability.csv", (f / "acceptability.csv").stat().st_size - 5), "acceptability.csv: is truncated"),
    (lambda f: pd.read_csv(f / "draws.csv").drop(columns="alt:extra_cost").to_csv(f / "draws.csv", index=False),
     "draws.csv: lacks the column alt:extra_cost"),  # the curve's words rest on each draw's extra cost
    (lambda f: cut(f / "figures" / "prim_alt_reoffended_52w.png", 500), "prim_alt_reoffended_52w.png: is truncated"),
    (lambda f: cut(f / "robustness.json", 20), "robustness.json: cannot be read as JSON"),
    (lambda f: (f / "robustness.json").write_text('{"scenarios": ["ref"]}'), "robustness.json: lacks the scenarios"),
])
def test_a_damaged_robustness_folder_is_named_exits_2_and_writes_nothing(robustness_template, tmp_path, capsys, damage,
                                                                         named):
    folder = shutil.copytree(robustness_template, tmp_path / "robust")
    damage(folder)
    refused(folder, named, capsys)


@pytest.mark.parametrize(("damage", "named"), [
    (lambda f: cut(f / "manifest.json", 5), "manifest.json: cannot be read as JSON"),
    (lambda f: (f / "manifest.json").write_text("[1, 2]"), "manifest.json: holds a JSON list, not an object"),
    (lambda f: (f / "fit.csv").write_bytes(b"\xff\xfe\x00broken"), "fit.csv: cannot be read as CSV"),
    (lambda f: cut(f / "calibration.png", 100), "calibration.png: is truncated"),
    (lambda f: keep_lines(f / "fit.csv", 1), "fit.csv: holds a header but no rows"),
    (lambda f: cut(f / "errors.csv", (f / "errors.csv").stat().st_size - 4), "errors.csv: is truncated"),
    (lambda f: (f / "calibrated.yaml").write_bytes(b"\xff\xfe\x00name"), "calibrated.yaml: is not UTF-8 text"),
    (lambda f: ((f / "calibrated.yaml").unlink(), (f / "calibrated.yaml").mkdir()), "calibrated.yaml: cannot be read"),
])
def test_a_damaged_calibration_folder_is_named_exits_2_and_writes_nothing(run_folder, tmp_path, capsys, damage, named):
    folder = calibration_folder(tmp_path / "cal", (run_folder / "figures" / "stigma.png").read_bytes())
    damage(folder)
    refused(folder, named, capsys)


def test_a_comparison_table_cut_to_its_header_is_named_exits_2_and_writes_nothing(compare_folder, tmp_path, capsys):
    folder = shutil.copytree(compare_folder, tmp_path / "compare")
    keep_lines(folder / "comparison.csv", 1)
    refused(folder, f"{folder / 'comparison.csv'}: holds a header but no rows", capsys)


@pytest.fixture(scope="module")
def compare_by_folder(tmp_path_factory):
    """A compare folder with every table `sim report` reads from one: summary, comparison, subgroups and costs."""
    return sim.compare(["baseline", "ngo_surge"], replicates=2, seed=3, overrides=SMALL, by="risk_tier").save(
        tmp_path_factory.mktemp("compare_by") / "out")


def cut_mid_row(path, share):
    """Cut `path` to about `share` of its bytes, inside a row (as `head -c` does to a file copied from a full disk)."""
    data = path.read_bytes()
    size = int(len(data) * share)
    size -= data[size - 1:size] == b"\n"
    path.write_bytes(data[:size])


def cut_row(path, line, fields):
    """Keep `path`'s lines before `line` (1: the header) and that line's first `fields` cells, ending with a newline."""
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines[:line - 1], ",".join(lines[line - 1].split(",")[:fields])]) + "\n")


def drop_rows(path, keep):
    """Keep the header and the rows for which `keep(row)` holds (`row`: a dict of the line's cells), whole lines."""
    header, *rows = path.read_text().splitlines(keepends=True)
    names = header.strip().split(",")
    path.write_text(header + "".join(r for r in rows if keep(dict(zip(names, r.strip().split(","), strict=False)))))


@pytest.mark.parametrize(("damage", "named"), [
    # cut mid-row: `sim report` wrote a report without a headline row, or with "replicates: 2.0"
    (lambda f: cut_mid_row(f / "comparison.csv", 0.1), "comparison.csv: is truncated (its last row is cut off"),
    (lambda f: cut_mid_row(f / "summary.csv", 0.5), "summary.csv: is truncated (its last row is cut off"),
    (lambda f: cut_mid_row(f / "subgroups.csv", 0.5), "subgroups.csv: is truncated (its last row is cut off"),
    (lambda f: cut_mid_row(f / "cost_effectiveness.csv", 0.9), "cost_effectiveness.csv: is truncated"),
    (lambda f: cut_row(f / "comparison.csv", 9, 4),
     "comparison.csv: is truncated (its last row is cut off: 4 of the header's 13 fields)"),
    (lambda f: cut_row(f / "subgroups.csv", 30, 16), "subgroups.csv: is truncated (its last row is cut off: 16 of"),
    (lambda f: keep_lines(f / "comparison.csv", 4) or (f / "comparison.csv").write_text(
        (f / "comparison.csv").read_text() + "ngo_surge,baseline\nbaseline,baseline,x,x,1,1,,,,,,,\n"),
     "comparison.csv: is ragged (its row on line 5 has 2 of the header's 13 fields)"),
    # cut at the end of a row: the file looks whole, the rows sim writes as a grid are not
    (lambda f: keep_lines(f / "comparison.csv", 12), "comparison.csv: lacks the row for metric"),
    (lambda f: drop_rows(f / "comparison.csv", lambda row: row["scenario"] == "baseline"),
     "comparison.csv: lacks the row for metric reoffended, week 26, scenario ngo_surge (clock weeks_since_release)"),
    (lambda f: keep_lines(f / "summary.csv", len((f / "summary.csv").read_text().splitlines()) - 1),
     "summary.csv: lacks the row for"),
    (lambda f: drop_rows(f / "summary.csv", lambda row: row["scenario"] == "baseline"),
     "summary.csv: lacks the row for scenario ngo_surge"),
    (lambda f: drop_rows(f / "cost_effectiveness.csv", lambda row: row["outcome"] == "offences" or row["week"] == "26"),
     "cost_effectiveness.csv: lacks the row for scenario ngo_surge, outcome terrorism_offences, week 40"),
    (lambda f: drop_rows(f / "comparison.csv", lambda row: True) or (f / "comparison.csv").write_text(
        (f / "comparison.csv").read_text().replace("\nngo_surge,", "\n,", 1)),
     "comparison.csv: has an empty cell in its scenario column (line 3)"),
])
def test_a_compare_folder_with_a_table_cut_short_is_named_exits_2_and_writes_nothing(compare_by_folder, tmp_path, capsys,
                                                                                     damage, named):
    """A compare folder copied from a full disk: `sim report` wrote a report lacking rows without a word (exit 0)."""
    folder = shutil.copytree(compare_by_folder, tmp_path / "compare")
    damage(folder)
    refused(folder, named, capsys)


@pytest.mark.parametrize("table", ["comparison.csv", "summary.csv"])
def test_analysis_load_refuses_a_table_cut_short_as_the_report_does(compare_by_folder, tmp_path, table):
    folder = shutil.copytree(compare_by_folder, tmp_path / "compare")
    cut_mid_row(folder / table, 0.5)
    with pytest.raises(InputError, match=rf"^{re.escape(str(folder / table))}: is truncated"):
        analysis.load(folder)


def test_a_compare_folder_whose_comparison_md_is_not_text_is_named_exits_2_and_writes_nothing(compare_folder, tmp_path,
                                                                                             capsys):
    folder = shutil.copytree(compare_folder, tmp_path / "compare")
    (folder / "comparison.md").write_bytes(b"\xff\xfe\x00 findings")
    assert "expected" in refused(folder, f"{folder / 'comparison.md'}: is not UTF-8 text", capsys)


@pytest.mark.parametrize(("damage", "named"), [
    (lambda p: keep_lines(p, 1), "sensitivity.csv: holds a header but no rows"),
    (lambda p: cut(p, p.stat().st_size - 4), "sensitivity.csv: is truncated"),
    (lambda p: p.write_text("a,b\n1,2\n"), "sensitivity.csv: lacks the columns output, factor"),
    (lambda p: p.write_text("output,factor,S1\nreoffended_156w,stigma.baseline,0.1\n"), "sensitivity.csv: lacks the columns"),
])
def test_a_damaged_sensitivity_table_is_named_exits_2_and_writes_nothing(tmp_path, capsys, damage, named):
    folder = sensitivity_folder(tmp_path / "sobol")
    damage(folder / "sensitivity.csv")
    refused(folder, named, capsys)


def test_report_out_may_not_go_inside_a_robustness_folder(robustness_template, tmp_path, capsys):
    folder = shutil.copytree(robustness_template, tmp_path / "robust")
    assert main(["report", str(folder), "--out", str(folder / "sweeps" / "r.html")]) == 2
    assert "--out" in capsys.readouterr().err and not (folder / "sweeps" / "r.html").exists()


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
    err = capsys.readouterr().err
    assert f"{tmp_path}: --out: is a folder, not a file" in err and f"expected a file name such as {tmp_path / 'report.html'}" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("given", ["new/", "new/.", "."])
def test_out_naming_a_folder_that_is_not_there_yet_exits_2_and_writes_nothing(run_folder, tmp_path, capsys, monkeypatch,
                                                                              given):
    """`--out new/` wrote the report as a file named `new`: the trailing / was lost when the path was read."""
    monkeypatch.chdir(tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in run_folder.iterdir()}
    assert main(["report", str(run_folder), "--out", given]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {given}: --out: ends with {given[-1]}, so it names a folder, not a file")
    assert f"expected a file name such as {Path(given) / 'report.html'}" in said
    assert list(tmp_path.iterdir()) == [] and {p.name: p.stat().st_mtime_ns for p in run_folder.iterdir()} == before
    from sim.report import write_report

    with pytest.raises(InputError, match="so it names a folder"):
        write_report(run_folder, str(tmp_path / "new") + "/")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["an earlier report", "nothing", "a report inside a results folder"])
def test_out_that_is_a_symbolic_link_is_refused_as_every_command_refuses_one(run_folder, compare_folder, tmp_path, capsys,
                                                                            monkeypatch, target):
    """Every command that writes a folder refuses an --out that is a link, before any work; `sim report --out` replaced
    the link with its file instead (the user's link gone, even one into another results folder, whose report the
    check of the link's own folder did not see). Now it is refused too, exit 2, naming the link, nothing written."""
    import sim.report

    built = []
    monkeypatch.setattr(sim.report, "build", lambda folder, build=sim.report.build: built.append(folder) or build(folder))
    if target == "an earlier report":
        assert main(["report", str(run_folder), "--out", str(tmp_path / "earlier.html")]) == 0
        pointed = tmp_path / "earlier.html"
    elif target == "nothing":
        pointed = tmp_path / "nothing.html"
    else:
        other = shutil.copytree(compare_folder, tmp_path / "compare")
        assert main(["report", str(other)]) == 0
        pointed = other / "report.html"
    built.clear()
    capsys.readouterr()
    before = pointed.read_bytes() if pointed.exists() else None
    link = tmp_path / "link.html"
    link.symlink_to(pointed)
    assert main(["report", str(run_folder), "--out", str(link)]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {link}: --out: is a symbolic link (to {pointed})")
    assert "expected a file that is not a link" in said and not built
    assert link.is_symlink() and (pointed.read_bytes() if pointed.exists() else None) == before


def test_out_under_a_link_to_nothing_is_refused_before_the_work(run_folder, tmp_path, capsys):
    """A folder on --out's path that is a link leading nowhere cannot be made: `sim run` found it only after its runs
    (an internal error, FileExistsError), `sim report` after building the report. Both refuse it first, exit 2."""
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    assert main(["report", str(run_folder), "--out", str(tmp_path / "gone" / "r.html")]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {tmp_path / 'gone' / 'r.html'}: --out: cannot be written: {tmp_path / 'gone'} is "
                           "a symbolic link to nothing")
    assert main(["run", "baseline", "--weeks", "5", "--set", "population.community=300", "--no-figures",
                 "--out", str(tmp_path / "gone" / "run")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'gone'} is a symbolic link to nothing" in err and "replicate 1/1" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gone"] and not (tmp_path / "nowhere").exists()


def test_a_report_may_be_written_under_another_project_s_manifest_json(run_folder, tmp_path):
    """A web project or browser extension keeps a manifest.json of its own: it is no results folder of sim's, and a
    report written below it was refused as 'inside the results folder'."""
    project = tmp_path / "site"
    project.mkdir()
    (project / "manifest.json").write_text('{"name": "a web app", "start_url": "/"}\n')
    assert main(["report", str(run_folder), "--out", str(project / "reports" / "run.html")]) == 0
    assert (project / "reports" / "run.html").read_bytes().startswith(b"<!DOCTYPE html>")


def test_out_may_not_replace_the_report_of_another_results_folder(run_folder, compare_folder, tmp_path, capsys):
    """A compare folder's own report.html is its folder's, not a place for the report of another folder."""
    other = shutil.copytree(compare_folder, tmp_path / "compare")
    assert main(["report", str(other)]) == 0
    before = (other / "report.html").read_bytes()
    capsys.readouterr()
    assert main(["report", str(run_folder), "--out", str(other / "report.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "--out: lies inside the results folder" in err and str(other) in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert (other / "report.html").read_bytes() == before


def test_a_comparison_md_cut_short_is_named_not_reported_as_half_its_findings(compare_folder, tmp_path, capsys):
    """comparison.md is shown as written: cut short (a copy interrupted, a disk full), the report showed half the
    findings in words without a word of its own. Every text file sim writes ends with a newline."""
    folder = shutil.copytree(compare_folder, tmp_path / "compare")
    text = (folder / "comparison.md").read_text()
    (folder / "comparison.md").write_text(text[: len(text) // 2].rstrip("\n"))
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {folder / 'comparison.md'}: is truncated") and len(err.strip().splitlines()) == 1
    assert not (folder / "report.html").exists()


def test_an_unwritable_out_is_refused_before_the_report_is_built(tmp_path, capsys, monkeypatch):
    """--out under a file, and the default --out in a read-only folder: exit 2 naming --out, nothing built or written.

    Root writes anywhere, so the read-only file system is played by the calls that create files in the folder."""
    import sim.report

    built = []
    monkeypatch.setattr(sim.report, "build", lambda folder, build=sim.report.build: built.append(folder) or build(folder))
    folder = sweep_folder(tmp_path / "sweep")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["report", str(folder), "--out", str(blocker / "report.html")]) == 2
    err = capsys.readouterr().err
    assert f"error: {blocker / 'report.html'}: --out: cannot be written" in err and "Traceback" not in err
    assert blocker.read_text() == "x"

    def read_only(create):
        def refuse(*args, dir=None, **kwargs):
            if dir is not None and Path(dir) == folder:
                raise OSError(errno.EROFS, "Read-only file system")
            return create(*args, dir=dir, **kwargs)
        return refuse

    monkeypatch.setattr(tempfile, "mkdtemp", read_only(tempfile.mkdtemp))
    monkeypatch.setattr(tempfile, "mkstemp", read_only(tempfile.mkstemp))
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"error: {folder / 'report.html'}: --out: cannot be written" in err and "Read-only file system" in err
    assert "the folder can still be reported, with --out naming a file elsewhere" in err  # what to do, not only why
    assert "Traceback" not in err and "internal error" not in err
    assert built == [] and sorted(p.name for p in folder.iterdir()) == ["manifest.json", "runs"]


def test_the_report_is_written_whole_with_the_mode_the_umask_gives(tmp_path):
    """Written through a temporary file renamed into place (``sim.output.replace_file``): none is left beside it, and
    the report has the mode a plain open would have given."""
    import os

    folder = sweep_folder(tmp_path / "sweep")
    old = os.umask(0o027)
    try:
        assert main(["report", str(folder)]) == 0
    finally:
        os.umask(old)
    assert (folder / "report.html").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "report.html", "runs"]


def test_a_folder_another_command_is_still_writing_is_refused(tmp_path, capsys):
    """A sweep holding its folder's lock is still writing it: its report would show a part as if it were the whole."""
    folder = sweep_folder(tmp_path / "sweep")
    holder = subprocess.Popen([sys.executable, "-c", "import time\nfrom sim.folder_lock import folder_lock\n"
                               f"with folder_lock({str(folder)!r}, command='sim sweep'):\n"
                               "    print('locked', flush=True)\n    time.sleep(300)"],
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert main(["report", str(folder)]) == 2
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert err.startswith(f"error: {folder}: is in use by another command (pid {holder.pid}, sim sweep)")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (folder / "report.html").exists()
    assert main(["report", str(folder)]) == 0  # once the sweep is gone


def test_the_report_of_a_stopped_sweep_says_how_many_of_its_planned_runs_it_holds(tmp_path):
    folder = sweep_folder(tmp_path / "sweep")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["experiment"] |= {"points": 27, "replicates": 2, "runs": 54}  # 16 of its 54 runs were made
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert main(["report", str(folder)]) == 0
    text = (folder / "report.html").read_text()
    assert "<title>Sweep (incomplete: 16 of 54 runs):" in text
    assert "Incomplete sweep: 16 of 54 planned runs done." in text
    assert text.index("Incomplete sweep") < text.index("<h2>Runs</h2>")
    assert "16 runs of the 54 the design plans, 15 succeeded" in text
    shutil.rmtree(folder)
    folder = sweep_folder(tmp_path / "sweep")  # a complete sweep says nothing of the kind
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["experiment"] |= {"points": 8, "replicates": 2, "runs": 16}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert main(["report", str(folder)]) == 0
    assert "incomplete" not in (folder / "report.html").read_text().lower()


def test_a_sweep_report_warns_when_its_runs_were_made_by_more_than_one_version_of_the_code(tmp_path):
    folder = sweep_folder(tmp_path / "sweep")
    part = folder / "runs" / "part-00000.parquet"
    runs = pd.read_parquet(part)
    runs.assign(code="aaaaaaaaaaaa", worker="this process").to_parquet(part, index=False)
    assert main(["report", str(folder)]) == 0
    assert "versions of the code" not in (folder / "report.html").read_text()  # one version: nothing to say
    runs.assign(code=["aaaaaaaaaaaa"] * 12 + ["bbbbbbbbbbbb"] * 4, worker="this process").to_parquet(part, index=False)
    assert main(["report", str(folder)]) == 0
    text = html.unescape(re.sub(r"<[^>]+>", "", (folder / "report.html").read_text()))
    assert ("These runs were made by 2 versions of the code (runs by the code column: aaaaaaaaaaaa 12, "
            "bbbbbbbbbbbb 4;") in text


@pytest.mark.parametrize(("setup", "says"), [
    ("file", "is a file, not a folder"),
    ("optimise", "holds part of what sim optimise writes, not its results"),
    ("patterns", "holds what sim patterns wrote"),
    ("missing", "no such folder"),
])
def test_a_folder_the_report_cannot_read_is_named_for_what_it_is(tmp_path, capsys, setup, says):
    folder = tmp_path / "folder"
    if setup == "file":
        folder.write_text("x")
    elif setup == "optimise":
        folder.mkdir()
        (folder / "optimise.json").write_text('{"fingerprint": "f"}')
        (folder / "trials.csv").write_text("mix,objective\n")
    elif setup == "patterns":
        folder.mkdir()
        (folder / "patterns.csv").write_text("pattern,result\n")
        (folder / "manifest.json").write_text('{"root_seed": 1}')
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {folder}: {says}") and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "(expected a folder written by sim run, compare, sweep, sensitivity, calibrate, robustness or optimise)" in err
    assert not (folder / "report.html").exists()


# ------------------------------------------------------------------------------------------ in a browser


def optimise_folder(path):
    """An optimisation's findings as `sim optimise` words them when it searches all twelve levers: a front table of
    fifteen columns, most headed by a long dotted key."""
    from sim.scenarios.settings import LEVERS

    levers = [f"cooperation.{lever}" for lever in LEVERS] + ["ngo.capacity", "supervision.strictness"]
    path.mkdir(parents=True)
    (path / "optimise.json").write_text(json.dumps({"scenario": "baseline", "levers": {k: [0, 1] for k in levers}}))
    head = ["trial", "cost over the run", "reoffended_156w", *levers]
    rows = [[str(t), f"{13_414_471 + t * 1_000_000:,}", "4.7%", *["0.26"] * len(levers)] for t in range(3)]
    (path / "optimise.md").write_text("\n".join([
        "# Best mixes for baseline under a budget of GBP 15,000,000 over the run", "",
        "## Front: the cheapest mix for each level of the objective", "", "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head), *("| " + " | ".join(row) + " |" for row in rows), ""]))
    return path


A4_WIDTH = 703  # px at 96 dpi: 210 mm less the print stylesheet's 12 mm margins


@pytest.mark.browser
@pytest.mark.timeout(240)
@pytest.mark.parametrize("kind", ["run", "compare", "sweep", "sensitivity", "calibration", "robustness", "optimise"])
def test_each_kind_reads_at_1280x720_and_prints_on_a4(browser, kind, run_folder, compare_folder, tmp_path,
                                                      robustness_template):
    folder = {"run": lambda: run_folder, "compare": lambda: compare_folder,
              "sweep": lambda: sweep_folder(tmp_path / "sweep"),
              "sensitivity": lambda: sensitivity_folder(tmp_path / "sobol"),
              "calibration": lambda: calibration_folder(tmp_path / "cal", (run_folder / "figures" / "stigma.png").read_bytes()),
              "robustness": lambda: robustness_template,
              "optimise": lambda: optimise_folder(tmp_path / "optimise"),
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
    page.emulate_media(media="print")  # on A4 nothing is cut off at the right edge of the paper
    page.set_viewport_size({"width": A4_WIDTH, "height": 1000})
    right = page.evaluate("Math.max(...[...document.querySelectorAll('body > *')].map(e => e.getBoundingClientRect().right))")
    assert right <= A4_WIDTH + 1, f"{right:.0f} px wide on a {A4_WIDTH} px page"
    # only a wide table's headers may break inside a word: a comparison's 'week' never reads 'wee / k'
    broken = page.evaluate("[...document.querySelectorAll('th')].filter(h => getComputedStyle(h).overflowWrap == "
                           "'anywhere').map(h => h.closest('table').rows[0].cells.length)")
    assert all(columns >= 9 for columns in broken) and (kind != "optimise" or broken)
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
    support = support_figure(series, scenarios)
    for fig in (curves_figure(curves, scenarios), weekly_figure(series, scenarios), support):
        axes = fig.axes
        (legend,) = fig.legends
        caption = legend.get_title().get_text()
        assert "60 released people per replicate" in caption and "2 replicates per scenario" in caption
        assert "95%" in caption and "band" in caption
        assert all(ax.get_legend() is None for ax in axes), "a legend sits on the data"
        shared = axes[:2] if fig is support else axes  # custody after release on its own scale (see below)
        assert all(axes[0].get_shared_y_axes().joined(axes[0], ax) for ax in shared)
        assert all(ax.get_ylim()[0] >= 0 for ax in axes)
        assert [t.get_text() for t in legend.get_texts()] == ["Baseline", "Attack in the media, then backlash"]
    weekly = weekly_figure(series, scenarios)
    assert any(line.get_xdata()[0] == 20 for line in weekly.axes[0].lines), "the scheduled media shock is not marked"
    assert [t.get_text() for t in weekly.axes[0].texts] == ["1"]  # numbered on the panel, said in the caption
    # the shock is backlash's alone: its label says whose it is (an event every scenario has needs no owner)
    assert says(weekly, "1 week 20: attack reported in the media (Attack in the media, then backlash)")
    both = [scenarios[0] | {"events": backlash["events"]}, backlash | {"name": "ngo_surge"}]
    caption = weekly_figure(series, both).legends[0].get_title().get_text()
    assert "1 week 20: attack reported in the media" in caption and "(Attack" not in caption
    support = support_figure(series, scenarios)
    assert all(isinstance(ax.yaxis.get_major_locator(), MaxNLocator) for ax in support.axes)
    support.canvas.draw()
    assert all(float(t).is_integer() for t in support.axes[0].get_yticks()), "people tick at fractions"


def test_custody_after_release_has_its_own_y_scale_in_ngo_custody_png():
    """ngo_custody.png drew about 10 people in custody after release on the 0-320 axis of the NGO panels beside it,
    a flat line at the bottom: that panel has a y scale of its own, fitted to its numbers, which it shows; the two NGO
    panels keep sharing theirs, and the caption says which panel stands apart."""
    from sim.figures import plt, support_figure

    weeks = np.arange(60)
    series = pd.DataFrame([(scenario, replicate, week, 300 * scale * min(week, 30) / 30 + replicate,
                            150 * scale * min(week, 30) / 30, 10 * min(week, 30) / 30 + replicate)
                           for scenario, scale in (("baseline", 0.5), ("ngo_surge", 1.0)) for replicate in (0, 1)
                           for week in weeks],
                          columns=["scenario", "replicate", "week", "ngo_enrolled", "ngo_waitlist", "in_custody"])
    fig = support_figure(series)
    fig.canvas.draw()
    enrolled, waitlist, custody = fig.axes
    assert enrolled.get_shared_y_axes().joined(enrolled, waitlist) and enrolled.get_ylim() == waitlist.get_ylim()
    assert enrolled.get_ylim()[1] >= 300
    assert not enrolled.get_shared_y_axes().joined(enrolled, custody)
    assert custody.get_ylim()[0] == 0 and 11 <= custody.get_ylim()[1] <= 20, custody.get_ylim()  # 11 people at most
    assert any(label.get_visible() and label.get_text() for label in custody.get_yticklabels())
    assert not any(label.get_visible() and label.get_text() for label in waitlist.get_yticklabels())
    assert says(fig, "the panel 'In custody after release' has a y scale of its own")
    plt.close("all")


def late_curves() -> pd.DataFrame:
    """First-event curves of two scenarios, three replicates each, to week 10 since release: replicate 1 follows
    nobody past week 9, replicate 2 nobody past week 8; the replicates differ so much that a t band would pass
    100% (scenario a) and 0% (scenario b)."""
    rows = []
    for scenario, shares in (("a", (1.0, 0.5, 0.9)), ("b", (0.0, 0.5, 0.1))):
        for replicate, (share, last) in enumerate(zip(shares, (10, 9, 8), strict=True)):
            rows += [(scenario, replicate, week, (0.0 if week == 0 else share) if week <= last else np.nan)
                     for week in range(11)]
    return pd.DataFrame(rows, columns=["scenario", "replicate", "weeks_since_release", "recalled"])


def test_curves_stop_at_the_last_week_every_replicate_reaches_and_bands_stay_within_0_and_1():
    from sim.figures import curves_figure, draw_bands, panels, plt

    curves = late_curves()
    fig, (ax,) = panels(1)
    drawn = draw_bands(ax, curves, "weeks_since_release", "recalled", {"a": "red", "b": "blue"})
    plt.close(fig)
    shown = drawn.dropna(subset=["mean"])
    assert shown.groupby("scenario")["weeks_since_release"].max().to_dict() == {"a": 8, "b": 8}
    assert (shown["replicates"] == 3).all()  # no point of a line is a mean over fewer replicates
    assert shown[["low", "high"]].stack().between(0, 1).all()
    assert shown["high"].max() == 1 and shown["low"].min() == 0  # cut, not merely small
    assert says(curves_figure(curves, metrics=("recalled",)),
                "each line ends at the last week since release all its scenario's replicates reach (week 8 of 10)")
    full = curves[curves["weeks_since_release"] <= 8]
    assert not says(curves_figure(full, metrics=("recalled",)), "ends at")  # nothing cut: nothing said


def test_the_curves_mark_how_far_everyone_released_is_followed_when_they_go_further():
    """Releases are spread over a window, so past the run's weeks less the window a curve rests on those released
    first: a dashed line marks it in every panel and the caption says so; curves that stop there need no line."""
    from sim.figures import curves_figure

    curves = pd.DataFrame([(scenario, 0, week, step * week) for scenario, step in (("a", 0.01), ("b", 0.02))
                           for week in range(11)],
                          columns=["scenario", "replicate", "weeks_since_release", "recalled"])
    scenarios = [{"name": name, "weeks": weeks, "release": {"window_weeks": 4}} for name, weeks in (("a", 12), ("b", 11))]
    fig = curves_figure(curves, scenarios, metrics=("recalled", "recalled"))
    dashed = [[line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--"] for ax in fig.axes[:2]]
    assert dashed == [[7], [7]]  # the shorter run follows everyone 11 - 4 weeks
    assert says(fig, "the dashed line (week 7 since release) is as far as everyone released is followed")
    fig = curves_figure(curves[curves["weeks_since_release"] <= 7], scenarios, metrics=("recalled",))
    assert not [line for line in fig.axes[0].lines if line.get_linestyle() == "--"]
    assert not says(fig, "dashed line")


def test_a_line_at_zero_is_seen_not_hidden_by_the_bottom_of_the_axis(colour_at):
    """A scenario with no recall yet (or nobody on a waitlist) has its line along the bottom of the panel: the
    reader must see its colour there, not the axis spine drawn over it."""
    from matplotlib.colors import to_rgb

    from sim.figures import curves_figure, plt, weekly_figure

    curves = pd.DataFrame([(scenario, replicate, week, 0.0 if scenario == "none" else 0.01 * week * (replicate + 1))
                           for scenario in ("none", "some") for replicate in (0, 1) for week in range(11)],
                          columns=["scenario", "replicate", "weeks_since_release", "recalled"])
    fig = curves_figure(curves, metrics=("recalled",))
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == ["none", "some"]
    assert colour_at(fig, ax, 5, 0) == pytest.approx(to_rgb(ax.lines[0].get_color()), abs=0.1)
    plt.close(fig)
    series = curves.rename(columns={"weeks_since_release": "week", "recalled": "ngo_waitlist"})
    fig = weekly_figure(series, metrics=("ngo_waitlist",))
    assert colour_at(fig, fig.axes[0], 5, 0) == pytest.approx(to_rgb(fig.axes[0].lines[0].get_color()), abs=0.1)
    plt.close(fig)


def test_weekly_lines_leave_out_weeks_only_some_replicates_have():
    from sim.figures import weekly_figure

    series = pd.DataFrame([(scenario, replicate, week, np.nan if week < (1, 3)[replicate] else 0.5 + 0.01 * week)
                           for scenario in ("a", "b") for replicate in (0, 1) for week in range(6)],
                          columns=["scenario", "replicate", "week", "experienced_stigma"])
    fig = weekly_figure(series, metrics=("experienced_stigma",))
    for line in fig.axes[0].lines:
        weeks, values = line.get_data()
        assert list(np.asarray(weeks)[~np.isnan(values)]) == [3, 4, 5]
    assert says(fig, "no line at weeks 1-2, where only some replicates have anyone in the community")


def says(fig, text: str) -> bool:
    """Whether a figure's caption holds `text`, wherever it is wrapped onto lines (the figure is closed)."""
    from sim.figures import plt

    caption = fig.legends[0].get_title().get_text()
    plt.close(fig)
    return "".join(text.split()) in "".join(caption.split())


def test_dollar_signs_and_underscores_in_titles_are_printed_as_written(run_folder, tmp_path):
    from sim.figures import curves_figure, save

    curves = pd.read_parquet(run_folder / "curves.parquet")
    scenarios = [{"name": "baseline", "title": "Costs $5 and $x$ in_a_row", "population": {"released": 60}}]
    fig = curves_figure(curves[curves["scenario"] == "baseline"], scenarios)
    (label,) = [t.get_text() for t in fig.legends[0].get_texts()]
    assert label == r"Costs \$5 and \$x\$ in_a_row"  # escaped: matplotlib prints the dollar signs, no math
    save(fig, tmp_path / "f.png")
    assert (tmp_path / "f.png").stat().st_size > 1000


def test_a_sweep_over_a_text_factor_gets_its_figure_with_named_levels():
    """network.kind is a factor a sweep may vary: its levels are names, placed side by side on the axis."""
    from sim.report.sweeps import factor_figure

    runs = pd.DataFrame({"network.kind": ["watts_strogatz", "barabasi_albert"] * 4,
                         "stigma.baseline": [0.2, 0.4, 0.6, 0.8] * 2, "reoffended_26w": np.linspace(0.1, 0.3, 8)})
    fig = factor_figure(runs, ["network.kind", "stigma.baseline"], "reoffended_26w")
    assert [tick.get_text() for tick in fig.axes[0].get_xticklabels()] == ["barabasi_albert", "watts_strogatz"]


def test_the_shipped_validation_table_is_the_one_docs_validation_shows():
    """The report says what docs/VALIDATION.md says: the shipped table, written by the same full run, is its table."""
    from sim import patterns
    from sim.data import VALIDATION, shipped

    shipped_table = pd.read_csv(shipped(VALIDATION)).fillna({"study": "", "plain_contrast": ""})
    assert patterns.markdown_table(shipped_table) in patterns.DOCS.read_text()
    assert patterns.headline(shipped_table) in patterns.DOCS.read_text()
    # what `sim patterns --write-docs` writes from its table is this file (each independent test with its study)
    rewritten = patterns.shipped_table(shipped_table.drop(columns=["study", "plain_contrast"]))
    pd.testing.assert_frame_equal(rewritten, shipped_table)
    independent = shipped_table[shipped_table["kind"] == patterns.INDEPENDENT]
    assert independent["study"].str.len().gt(0).all() and independent["plain_contrast"].str.len().gt(0).all()


@pytest.mark.parametrize("kind", ["run", "compare", "sweep"])
def test_every_report_says_its_numbers_are_a_model_s_and_names_the_validation_test_it_fails(
        kind, run_folder, compare_folder, tmp_path):
    from sim import patterns
    from sim.data import VALIDATION, shipped

    folder = {"run": run_folder, "compare": compare_folder}.get(kind)
    if folder is None:
        folder = tmp_path / "sweep"
        sweep_folder(folder)
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "--out", str(out)]) == 0
    section = report_section(out.read_text(), "What these results are")
    assert "comes from a simulation model, not from observing people" in section
    # where each assumption's source is: a document named by the title its readers will find it under
    title = next(line for line in (ROOT / "docs" / "PARAMETERS.md").read_text().splitlines() if line.startswith("# "))
    assert f"<i>{title[2:]}</i>, in the reintegration-sim documentation" in section
    failed = re.search(r"failed: ([\w, ]+)\)", patterns.DOCS.read_text()).group(1).split(", ")
    studies = pd.read_csv(shipped(VALIDATION)).set_index("pattern")["study"]
    assert failed and f"it fails {len(failed)}:" in section
    for pattern in failed:
        assert html.escape(studies[pattern]) in section  # named by its study's title
    if "cosa_participants" in failed:  # the model's NGO effect on participants is far smaller than published
        assert "weaker than the study" in section


@pytest.mark.parametrize("kind", ["run", "compare"])
def test_a_report_whose_analysis_varies_what_a_failed_validation_test_tests_says_its_conclusions_rest_on_it(
        kind, run_folder, compare_folder, tmp_path):
    """A ministry reading a comparison of NGO places is told that the one published effect the model fails is NGO
    support's, that its conclusions about it rest on that effect and what the failure means for them; a comparison
    of stigma alone is not told so."""
    out = tmp_path / "r.html"
    assert main(["report", str({"run": run_folder, "compare": compare_folder}[kind]), "--out", str(out)]) == 0
    section = html.unescape(re.sub(r"<[^>]+>", "", report_section(out.read_text(), "What these results are")))
    varies = "This report's analysis varies ngo.capacity: its conclusions about it rest on this effect."
    assert (varies in section) == (kind == "run")  # baseline and ngo_surge differ in NGO places; baseline and tricky do not
    assert "may understate it" in section and "not evidence of what a programme like the one studied would achieve" in section


def test_a_scenario_description_contradicted_by_the_run_s_settings_says_what_changed(run_folder, tmp_path):
    """baseline's description says 400 people, each followed three years; this run followed 60 for 40 weeks."""
    out = tmp_path / "r.html"
    assert main(["report", str(run_folder), "--out", str(out)]) == 0
    section = report_section(out.read_text(), "Scenarios")
    baseline = section.split("(<code>baseline</code>)")[1].split("(<code>")[0]
    assert "A cohort of 400 people" in baseline and "each of them is followed for three years after release" in baseline
    assert "this run changed" in baseline and "population.released 400 to 60" in baseline and "weeks 182 to 40" in baseline


def test_robustness_words_explain_prim_latin_hypercube_and_common_random_numbers_in_plain_words(robustness_template,
                                                                                                tmp_path):
    """A reader meets 'PRIM', 'Latin hypercube' and 'common random numbers' with a plain sentence saying what each is."""
    markdown = (robustness_template / "robustness.md").read_text()
    prim = markdown.split("## Where a conclusion loses its sign (PRIM)")[1].split("\n## ")[0]
    assert prim.strip().startswith("PRIM (the Patient Rule Induction Method) searches the drawn assumptions for the "
                                   "ranges within which a conclusion most often fails to hold")
    assert "each draw sets every assumption at once, the draws spread evenly over each range" in markdown
    assert "their difference is the policy's, not luck's" in markdown
    out = tmp_path / "r.html"
    assert main(["report", str(robustness_template), "--out", str(out)]) == 0
    section = report_section(out.read_text(), "Where a conclusion loses its sign (PRIM)")
    assert "<p>PRIM (the Patient Rule Induction Method) searches" in section


def test_a_calibration_report_says_what_its_columns_and_errors_are_in(tmp_path, run_folder):
    """'1.2 on fresh seeds', 'open_low True' and an error column without a unit do not tell a reader what they read; a
    fitted value is given in its unit in the report, not left to a document the reader does not have."""
    folder = calibration_folder(tmp_path / "cal", (run_folder / "figures" / "stigma.png").read_bytes())
    (folder / "manifest.json").write_text(json.dumps({"best_score": 7.25, "check_max_abs_error": 1.2}))
    assert main(["report", str(folder)]) == 0
    text = (folder / "report.html").read_text()
    assert "7.2 percentage points on the fit's seeds, 1.2 percentage points on fresh seeds" in text
    fitted = report_section(text, "Fitted values and their uncertainty")
    headers, cells = next(iter(report_tables(f"<h3>fit</h3>{fitted}").values()))
    assert dict(zip(headers, cells, strict=True))["unit"] == "hazard (rate) per week"  # the report holds what it needs
    assert "the values this many replicates cannot tell apart from the best" in fitted
    assert "not a confidence interval for the real-world value" in fitted
    errors = report_section(text, "Error against the target")
    assert "<b>error</b> the model mean minus the target in percentage points" in errors


@pytest.mark.parametrize("kind", ["run", "compare"])
def test_the_headline_table_says_how_many_replicates_its_intervals_rest_on(kind, run_folder, compare_folder, tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", str({"run": run_folder, "compare": compare_folder}[kind]), "--out", str(out)]) == 0
    note = report_section(out.read_text(), "Headline outcomes").split("</p>")[0]
    assert "the mean across 2 replicates per scenario, with its 95% interval across them" in note
    # releases over 26 weeks of a 40-week run: how many were followed to the table's horizon is said above it
    folder = {"run": run_folder, "compare": compare_folder}[kind]
    summary = pd.read_csv(folder / "summary.csv")
    week = summary.loc[summary["clock"] == "weeks_since_release", "week"].max()
    share = (pd.read_parquet(folder / "events.parquet")["followup"] >= week).mean()
    assert share < 1 and f"{percent(share, 1)} of the people released were followed {week} weeks or longer" in note


def test_a_cut_interval_in_the_report_s_tables_is_marked_and_explained():
    """comparison.csv's intervals of 2 replicates stop at what a share can be (paired_difference); the report's table
    marks each one so, and says above the table what the mark means, rather than print '-7.5' as if measured."""
    from sim.report.tables import comparison_tables

    table = pd.DataFrame({"scenario": ["baseline", "ngo_surge"], "reference": "baseline", "metric": "recalled",
                          "clock": "weeks_since_release", "week": 52, "replicates": 2, "mean": [0.075, 0.06],
                          "ci_low": [0.0, 0.06], "ci_high": [0.266, 0.06], "difference": [0.0, -0.015],
                          "diff_low": [0.0, -0.075], "diff_high": [0.0, 0.176], "paired_p": [np.nan, 0.5]})
    shown = html.unescape(comparison_tables(table))
    assert "7.5 (0.0 to 26.6; cut at the possible range)" in shown and "6.0 (no interval: the same in every replicate)</td>" in shown
    assert "-1.5 (-7.5 to +17.6; cut at the possible range)" in shown
    assert "an interval marked 'cut at the possible range' ran past what the value can be" in shown


def test_a_cut_interval_in_the_headline_table_is_explained_above_it():
    """analysis.headline marks a share's interval cut at 0%; the report's note above the table says what the mark
    means when a cell carries it, and says nothing of it when none does."""
    from sim.analysis.summaries import headline
    from sim.report.comparison import headline_note

    summary = pd.DataFrame({"scenario": ["baseline", "ngo_surge"], "clock": "weeks_since_release",
                            "metric": "recalled", "week": 52, "replicates": 2, "mean": [0.02, 0.06],
                            "ci_low": [0.0, 0.05], "ci_high": [0.2, 0.07]})
    table = headline(summary)
    assert "cut at the possible range" in table.to_string()
    assert "an interval marked 'cut at the possible range' ran past what the value can be" in headline_note(summary, table)
    whole = summary.assign(ci_low=[0.01, 0.05], ci_high=[0.03, 0.07])
    assert "cut at the possible range" not in headline_note(whole, headline(whole))


def test_a_failed_validation_test_names_the_prices_it_leaves_unvalidated_as_comparison_md_names_them():
    """'price per offence averted' named neither of the two prices comparison.md gives ('per new offence averted',
    'per terrorism offence averted', ``sim.costs.ONE``): the warning is about both."""
    from sim.report.validation import validation_html

    text = validation_html({"ngo.capacity"})
    assert "price per new offence or terrorism offence averted that rests on it" in text
    assert "price per offence averted" not in text


def test_money_is_written_to_two_figures_and_to_more_where_its_interval_needs_them():
    """Money the model estimates is written to two significant figures (``sim.money``), as comparison.md and
    robustness.md give it; where an interval is too narrow for its ends to differ at two, both the amount and the
    ends take as many more as tell them apart: a cohort's cost over a run read '12,000,000 (12,000,000 to 12,000,000)',
    as if the replicates had not varied."""
    from sim.money import money_interval
    from sim.report.tables import interval_cell
    from sim.units import MONEY

    assert interval_cell(MONEY, 9_851, 8_951, 10_751, 4, difference=True) == "+9,900 (+9,000 to +11,000)"
    assert interval_cell(MONEY, 12_034_567, 11_915_567, 12_153_567, 4, difference=False) == \
        "12,000,000 (11,900,000 to 12,200,000)"
    assert money_interval(-12_151_234, -11_912_345, "GBP") == "GBP 11,900,000 to 12,200,000 less"
    assert money_interval(-420_099, -344_901, "GBP") == "GBP 340,000 to 420,000 less"


def test_a_report_replacing_one_of_other_results_says_so(run_folder, compare_folder, tmp_path, capsys):
    """`sim report r1 --out shared.html` then `sim report sw1 --out shared.html` replaced r1's report without a word.
    A report now records which results it was written from (a digest of their folder, which names no machine's
    path), and one of other results is replaced with a note; the same results' report is replaced as before."""
    shared = tmp_path / "shared.html"
    for folder, noted in ((run_folder, False), (run_folder, False), (compare_folder, True)):
        assert main(["report", str(folder), "--out", str(shared)]) == 0
        err = capsys.readouterr().err
        assert ("held the report of other results" in err) is noted, err
    assert str(tmp_path) not in shared.read_text(encoding="utf-8")[:600]  # the head names no path of this machine


def test_the_validation_tally_counts_a_pass_against_the_study_s_direction_apart_and_names_the_cohort_tested(
        tmp_path, monkeypatch):
    """'it reproduces 4' counted a test the model passed only because its band holds no effect, the model's ratio on
    the other side of 1 from the study's; and a report on a violent-extremist cohort was not told that no test is of
    such a cohort."""
    import sim.data
    from sim.report.validation import NOT_OF_THIS_COHORT, validation_html

    rows = pd.DataFrame({
        "kind": ["independent test"] * 3 + ["calibration target"], "pattern": ["a", "b", "c", "d"],
        "measure": ["ratio of shares with a new offence, general_offenders", "hazard ratio of a first recall",
                    "risk ratio of a new offence", "share with a first terrorism offence (%)"],
        "contrast": ["x.y 4 vs the scenario's own", "prison.visits 1 vs 0", "ngo.capacity as set", "baseline cohort"],
        "follow_up": "12 months", "measured": [0.98, 0.8, 0.8, 2.5], "low": [0.97, 0.79, 0.79, 2.1],
        "high": [0.99, 0.81, 0.81, 2.9], "published": ["1.12 (ratio)", "0.75 (hazard ratio)", "0.29 (risk ratio)",
                                                         "2.5 (percent)"],
        "band": ["0.9 to 1.3", "0.65 to 0.85", "0.15 to 0.6", "1.5 to 5"], "passed": [True, True, False, True],
        "study": ["Study A", "Study B", "Study C", "Study D"], "plain_contrast": ["intensive against routine", "visits",
                                                                               "circles", ""]})
    rows.to_csv(tmp_path / "validation.csv", index=False)
    monkeypatch.setattr(sim.data, "shipped", lambda name: tmp_path / name)
    text = validation_html({"ngo.capacity"})
    assert html.escape("it reproduces 1, and 1 more passes only within a band that includes no effect, on the other "
                       "side of it from the study's estimate; it fails 1") in text
    assert "the ratio of shares with a new offence is 0.98 in the model against 1.12 (ratio) published" in text
    assert "Study B" not in text.split("Passed on the other side")[1]  # a pass in the study's direction is not named
    assert html.escape(NOT_OF_THIS_COHORT) not in text
    assert html.escape(NOT_OF_THIS_COHORT) in validation_html(extremist=True)


def test_a_report_on_a_violent_extremist_cohort_says_no_validation_test_is_of_such_a_cohort(compare_folder, run_folder):
    from sim.report import build
    from sim.report.validation import NOT_OF_THIS_COHORT

    assert html.escape(NOT_OF_THIS_COHORT) in build(compare_folder)  # baseline: a violent-extremist cohort
    general = sim.run(["general_offenders"], replicates=1, seed=3, overrides=SMALL)
    folder = general.save(run_folder.parent / "general")
    assert html.escape(NOT_OF_THIS_COHORT) not in build(folder)
