"""Every analyst notebook runs top to bottom from a fresh kernel at its default size, and draws its figures.

Executed with nbclient in a temporary working folder, so nothing lands in the repository; the stored
notebooks must carry no outputs (reviewable diffs) and a cell tagged ``parameters`` (to scale them up).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

if os.environ.get("CI"):  # CI must execute the notebooks, never skip them
    import ipykernel  # noqa: F401
    import nbclient
else:
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
TIMEOUT = 300  # seconds per cell: generous for a loaded CI machine; each notebook takes about a minute or less


def test_the_six_notebooks_exist():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_stripped_with_a_parameters_cell(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "outputs must be stripped"
    assert any("parameters" in c.metadata.get("tags", []) for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_ends_by_saying_what_to_do_next(path):
    """An analyst reaching the end of a notebook was left without a next step; each ends with one, naming the
    parameters or commands to scale up with and where to go from there."""
    last = nbformat.read(path, as_version=4).cells[-1]
    assert last.cell_type == "markdown" and last.source.startswith("## What to do next"), last.source[:80]
    assert "`sim " in last.source or re.search(r"`0\d_", last.source), last.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the kernel inherits it: the notebooks' output folders land here
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    started = time.perf_counter()
    client.execute()  # raises CellExecutionError with the failing cell's traceback
    print(f"{path.name}: {time.perf_counter() - started:.1f} s")
    images = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert images, "the notebook drew no figure"
    SHOWN.get(path.stem, lambda notebook: None)(notebook)


def text_of(notebook, code: str) -> str:
    """The text a reader sees under the one code cell containing `code`."""
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and code in c.source]
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)


def lever_outcomes_in_the_order_named(notebook):
    """Notebook 04's lever table shows reoffending, recall, then the two stigmas, as its text names them (pivot
    sorted them alphabetically, stigma first)."""
    shown = text_of(notebook, 'pivot(index="lever"')
    named = re.findall(r"reoffended_\d+w|recalled_\d+w|final_community_stigma|final_experienced_stigma", shown)
    assert [name.split("_")[1 if name.startswith("final") else 0] for name in dict.fromkeys(named)] == [
        "reoffended", "recalled", "community", "experienced"], shown
    # the headline outcomes' effects are taken as the table above takes them: a cut interval says so, and an effect
    # the same in every replicate says it has no interval, where '+0.0 (+0.0 to +0.0)' claimed a certainty
    assert "(+0.0 to +0.0)" not in shown and "nan" not in shown
    # each effect's interval reads as one: never 'nan to nan' (none: it says why), and one not centred on its effect
    # (cut at what the metric can be, as lever_effects cuts it) says so
    from sim.experiments.comparison import CUT_NOTE

    table = text_of(notebook, "effect_text(*row)")
    assert CUT_NOTE in table  # the mark is lever_effects' ci_note, said once above the table as notebook 03 says it
    assert "nan" not in table and re.search(r"[+-]\d\.\d{3} \([+-]\d\.\d{3} to ", table), table
    for effect, low, high, cut in re.findall(r"([+-]\d\.\d{3}) \(([+-]\d\.\d{3}) to ([+-]\d\.\d{3})(; cut)?", table):
        e, lo, hi = float(effect), float(low), float(high)
        assert cut or abs((hi - e) - (e - lo)) <= 0.002, (effect, low, high)


def interaction_cuts_marked(notebook):
    """Notebook 03's interaction tables showed an interval cut at 0% or 100% of the cohort as plainly as a measured
    one. Each table has a column marking a cut interval as the reports do, and the notebook says once, above them,
    what the mark means."""
    from sim.experiments.comparison import CUT_NOTE

    cells = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and "analysis.interaction(" in c.source]
    (note,) = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and "CUT_NOTE" in c.source]
    assert len(cells) == 3 and note < cells[0]
    assert CUT_NOTE in text_of(notebook, "CUT_NOTE")
    tables = [text_of(notebook, notebook.cells[i].source) for i in cells]
    assert all("ci_note" in table for table in tables), tables  # which intervals it marks: tests/test_analysis.py


def grouped_by_a_factor(notebook):
    """Notebook 03 showed a sweep only as heat maps and interaction tables: how to take one factor's levels with a
    pandas groupby, with intervals, and draw each level's curves with their band was left to the analyst."""
    interaction_cuts_marked(notebook)
    shown = text_of(notebook, "ok.groupby(")
    assert "ci_low" in shown and all(level in shown for level in ("0.0", "0.5", "1.0")), shown
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and "hue=CAPACITY" in c.source]
    assert any("image/png" in output.get("data", {}) for output in cell.outputs)


def calibration_uncertainty_as_computed(notebook):
    """Notebook 05 said a parameter's interval held the candidates 'within twice the replicate noise of the best';
    sim.calibration's limit is the 97.5th percentile of the score replicate noise alone gives at the best fit."""
    prose = " ".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "twice the replicate noise" not in prose and "97.5th percentile" in prose
    assert "97.5th percentile" in text_of(notebook, "calibration.intervals()")


def calibration_checked_out_of_sample(notebook):
    """Notebook 05 fitted every BJS month and showed the error at the months it was fitted to, with no out-of-sample
    check; it holds the later months out of the fit (``holdout_from``) and prints the error there beside the other."""
    calibration_uncertainty_as_computed(notebook)
    shown = text_of(notebook, "calibration.intervals()")
    assert re.search(r"before month 37; .* at the \d+ points held out of the fit", shown), shown


def decisions_computed_not_written(notebook):
    """Notebook 06 answers the three decision questions with sentences computed from its runs: the price per offence
    averted (or why there is none), each group's difference, and the share of draws keeping the options' order; its
    prose holds no number of its own (outside code spans; 95% and 0 are the method's), so it cannot disagree with what
    the cells print."""
    numbering = r"(?m)^(#+ )?\d+\.? "  # the notebook's number in its title, numbered questions and sections
    prose = " ".join(re.sub(numbering, "", re.sub(r"`[^`]*`", "", c.source)) for c in notebook.cells
                     if c.cell_type == "markdown")
    prose = re.sub(r"\b95%|\b0\b", "", prose)  # the interval's level, and zero as in "distinguishable from 0"
    assert not re.search(r"\d", prose), re.findall(r"[^.]*\d[^.]*", prose)
    costs = text_of(notebook, "cost_lines(")
    assert "per person released" in costs and ("per new offence averted" in costs or "not estimable" in costs), costs
    # the costs are the whole run's (its last week, as sim robustness prices them), the shares the last whole year's
    # since release: a run of 78 weeks reads them at 78 and 52, where the longest week of any row was taken for both
    assert re.search(r"per person released over the run \(\d+ weeks\)", costs), costs
    since, end = map(int, re.search(r"within (\d+) weeks of their own release, .* up to week (\d+) of the simulation",
                                    costs).groups())
    assert since < end, costs
    # the comparison's new offences (a share with a first offence) and the offences averted (every offence to a week of
    # the simulation) looked contradictory side by side; a computed sentence says what each counts
    assert re.search(r"What each counts: .* first new offence within \d+ weeks of their own release, .* every new "
                     r"offence .* up to week \d+ of the simulation", costs), costs
    assert "people per replicate" in text_of(notebook, "subgroup_lines(")
    robust = text_of(notebook, "in_short(dataclasses")
    assert "keeps its sign in" in robust or "no sign to keep" in robust, robust
    # is it worth its cost: the acceptability curve in robustness.md's words, for each option
    worth = text_of(notebook, "acceptability_lines(found)")
    assert "cost-effectiveness acceptability curve" in worth, worth
    assert all(re.search(rf"\({name}\) against [^:]+: at the nominal values it ", worth) for name in ("ngo_surge",
                                                                                                  "strict_supervision")), worth
    ranking = text_of(notebook, "nominal.sort_values")
    assert re.search(r"holds in \d+ of \d+ draws|no order to keep", ranking), ranking
    assert not re.search(r"\b1 (tie|change) ", ranking), ranking  # '1 change the order' where one draw changes it
    # at the notebook's size neither option is told from the reference on the nominal replicates: an order of point
    # estimates was given as if it were one, without a word (the cell reads each by clear_of_zero)
    assert "The order is of point estimates: at the assumed values " in ranking, ranking
    assert "report.html" in text_of(notebook, "write_report(folder)")


def shares_shown(notebook):
    """Notebook 02's table of shares at the longest horizon since release: it took the longest week of every row,
    which the weekly series and costs (read to the run's end) pass, and showed an empty table."""
    shown = text_of(notebook, "shown.set_index")
    assert all(metric in shown for metric in ("reoffended", "recalled", "returned")), shown


SHOWN = {"02_compare_scenarios": shares_shown, "03_sweep_analysis": grouped_by_a_factor,
         "04_ten_objectives": lever_outcomes_in_the_order_named, "05_calibration": calibration_checked_out_of_sample, "06_decisions": decisions_computed_not_written}


def test_calibration_notebook_draws_the_candidates_of_a_fit_of_one_parameter():
    """Notebook 05 invites other FIT_PARAMS; its candidates cell unpacked two parameters and failed with one."""
    import matplotlib
    import pandas as pd

    from sim import analysis
    from sim.calibration.objective import FreeParameter

    matplotlib.use("Agg")
    notebook = nbformat.read(next(p for p in NOTEBOOKS if p.stem == "05_calibration"), as_version=4)
    (cell,) = [c.source for c in notebook.cells
               if c.cell_type == "code" and ("calibration.candidates" in c.source or "plot_candidates" in c.source)]
    calibration = SimpleNamespace(candidates=pd.DataFrame({"offending.general.base_hazard": [0.002, 0.01, 0.03],
                                                           "score": [9.0, 3.0, 7.0], "stage": "search"}),
                                  parameters=[FreeParameter("offending.general.base_hazard", 0.002, 0.03)],
                                  best_score=3.0, threshold=1.5, sigma=0.75)
    import matplotlib.pyplot as plt
    import numpy as np
    import seaborn as sns

    plt.close("all")
    exec(cell, {"calibration": calibration, "analysis": analysis, "plt": plt, "sns": sns, "np": np})
    (figure,) = [plt.figure(n) for n in plt.get_fignums()]
    assert figure.axes[0].get_xlabel() == "offending.general.base_hazard"
    assert "Candidates searched" in figure.axes[0].get_title()


def default_sizes(notebook) -> set[int]:
    """The counts a notebook's `parameters` cell sets (replicates, weeks, draws, population sizes)."""
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    values: dict = {}
    exec(cell.source, {}, values)
    found = set()
    for value in values.values():
        for item in value.values() if isinstance(value, dict) else [value]:
            if isinstance(item, int) and not isinstance(item, bool) and item > 1:
                found.add(item)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_prose_does_not_repeat_its_default_sizes(path):
    """Notebooks 01, 03 and 04 said "52, 104 and 156 weeks", "80 people, 2 replicates", "150 people, 3 replicates": true
    of the parameters cell when written, wrong once an analyst changes it. The cells print the sizes they ran with."""
    notebook = nbformat.read(path, as_version=4)
    prose = " ".join(c.source for c in notebook.cells if c.cell_type == "markdown").replace("\n", " ")
    repeated = []
    for size in sorted(default_sizes(notebook)):
        number = rf"(?<![\d.,])(?:{size}|{size:,})(?![\d,]|\.\d)"
        repeated += re.findall(rf"\S*(?:{number}\s*(?:people|replicates?|weeks|released|draws)\b"
                               rf"|(?:--replicates|--weeks|--draws|-r|\w=)\s?{number})", prose)
    assert not repeated, repeated


def test_each_notebook_s_horizon_follows_everyone_released_whole_years_and_no_more():
    """Notebook 03 ran general offenders, all released in week 1, for 182 weeks, 'the release window plus three years'
    of baseline's cohort (released over 26 weeks): half a year past the three years its outcomes are read at, paid in
    every run, and its final community stigma read then. A notebook's horizon is its scenario's release window plus
    whole years of follow-up."""
    import sim

    checked = {}
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        (cell,) = [c for c in notebook.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
        values: dict = {}
        exec(cell.source, {}, values)
        weeks = values.get("WEEKS") or values.get("SIZE", {}).get("weeks")
        if weeks is None:  # the scenario's own horizon
            continue
        named = re.findall(r'"scenario": "(\w+)"', " ".join(c.source for c in notebook.cells if c.cell_type == "code"))
        scenario = values.get("SCENARIO") or values.get("REFERENCE") or named[0]
        followed = weeks - sim.load_scenario(scenario).release.window_weeks
        checked[path.stem] = (scenario, weeks, followed)
        assert followed > 0 and followed % 52 == 0, (path.stem, scenario, weeks, followed)
    assert len(checked) >= 4, checked


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_prose_names_which_offence_a_price_is_per(path):
    """06 headed its costs 'What each option costs per offence averted' above prices the cells print 'per new offence
    averted' and 'per terrorism offence averted' (``sim.costs.ONE``): the prose names which, never a bare 'per offence
    averted'."""
    notebook = nbformat.read(path, as_version=4)
    prose = " ".join(c.source for c in notebook.cells if c.cell_type == "markdown").replace("\n", " ")
    assert not re.findall(r"\bper offence averted", prose)
