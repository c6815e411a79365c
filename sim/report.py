"""One self-contained HTML file from a result folder: something to send to a ministry or print on A4.

Kinds of folder (told apart by their files): ``sim run``, ``sim compare`` (findings in words and the
headline table first, then the figures, then the full comparison in percent with intervals), ``sim
sweep`` (each outcome against each factor), ``sim sensitivity`` (the indices with intervals, as a
figure and a table), ``sim calibrate`` (the fitted values and the fit), ``sim optimise`` (optimise.md, then the front) and ``sim robustness`` (the share
of draws keeping each conclusion's sign, the assumption ranges PRIM finds it does not hold in, in words, tables
and figures). Tables are never cut short, fit the page width without scrolling, and a print stylesheet
lays the report out on A4 (a header may break inside a long key, such as the twelve levers an optimisation searches,
so that a wide table fits; a number never breaks). Figures are embedded as base64 PNG; nothing is fetched, so the file reads
offline. Every text that comes from a file (titles, descriptions, labels) is escaped.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from sim import analysis
from sim.checked_read import Grid, damaged, read_csv, read_json, read_text, require_columns
from sim.curves import CURVE_WORDS, TERRORISM_CURVE
from sim.errors import InputError, path_argument
from sim.experiments.comparison import CUT_MARK, CUT_NOTE, cut_said, cut_short
from sim.experiments.store import is_lost
from sim.figures import (
    LABELS,
    curves_figure,
    finish,
    palette,
    panels,
    plain,
    save,
    support_figure,
    titled,
    titles,
    weekly_figure,
)
from sim.folder_lock import settings_record
from sim.money import figures_apart, readable
from sim.outcomes import (
    COHORT_SHARE,
    SAME_IN_EVERY,
    UNITS,
    UNKNOWN,
    Unit,
    followed_note,
    no_interval,
    zero_width,
)
from sim.output import probe_writable, replace_file
from sim.report_folders import (
    GENERATOR,
    OPTIMISE_MANIFEST,
    READS,
    REPORT,
    ROBUSTNESS_MANIFEST,
    check_directory,
    check_out,
    out_file,
)
from sim.scenarios.fields import metadata, unit_of, words_of
from sim.scenarios.schema import Scenario

DPI = 80
MAX_MANIFEST_CHARS = 100_000
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222;
       line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; border-bottom: 1px solid #ccc; padding-top: .6em; }
h3 { font-size: 1.05em; margin-bottom: .2em; }
table { border-collapse: collapse; font-size: .9em; margin: .4em 0 1em; width: 100%; table-layout: auto; }
th, td { border: 1px solid #ddd; padding: .25em .5em; text-align: right; overflow-wrap: break-word; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
table:has(th:nth-child(9)) th { overflow-wrap: anywhere; }  /* only a wide table's headers break inside a word */
td.text, th.text { text-align: left; }
img { max-width: 100%; height: auto; } figure { margin: 1em 0; }
pre { background: #f7f7f7; padding: 1em; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .75em; }
.note { color: #555; font-size: .9em; } .findings li { margin: .3em 0; }
.warning { border-left: 4px solid #b35900; background: #fff4e5; padding: .4em .8em; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; } figure, tr, .findings li { break-inside: avoid; }
  table { font-size: 8.5pt; } th, td { padding: .2em .3em; } details > summary { display: none; }
}
"""


# ------------------------------------------------------------------------------------------ pieces


def figure_html(fig, caption: str) -> str:
    """A matplotlib Figure as an embedded PNG (the figure is closed)."""
    buffer = save(fig, io.BytesIO(), dpi=DPI)
    return png_html(buffer.getvalue(), caption)


def png_html(data: bytes, caption: str) -> str:
    text = html.escape(caption)
    encoded = base64.b64encode(data).decode("ascii")
    return f'<figure><img alt="{text}" src="data:image/png;base64,{encoded}"><figcaption class="note">{text}</figcaption></figure>'


def table_html(frame: pd.DataFrame | None, *, index: bool = True, digits: int = 3) -> str:
    """A frame as an HTML table, every row (escaped; numbers to `digits` significant digits)."""
    if frame is None or frame.empty:
        return '<p class="note">(none)</p>'
    text = frame.to_html(index=index, float_format=lambda v: f"{v:.{digits}g}", border=0, na_rep="", escape=True)
    return text


def p_value(value: float) -> str:
    if value != value:
        return ""
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def interval_columns(columns: list[str]) -> list[tuple[str, str, str]]:
    """(value, low, high) column triples: ``x`` with ``x_low``/``x_high``, ``mean`` with ``ci_low``/``ci_high``,
    ``difference`` with ``diff_low``/``diff_high``; found by name so new interval columns are formatted too."""
    triples = []
    for low in (c for c in columns if c.endswith("_low")):
        stem = low[: -len("_low")]
        high = f"{stem}_high"
        if high not in columns:
            continue
        value = stem if stem in columns else ("mean" if stem == "ci" and "mean" in columns else
                                              next((c for c in columns if c.startswith(stem) and c not in (low, high)
                                                    and not c.endswith(("_low", "_high"))), None))
        if value is not None:
            triples.append((value, low, high))
    return triples


def is_p_column(name: str) -> bool:
    return name == "p" or name.endswith(("_p", "p_value", "pvalue"))


HEADERS = {"replicates": "n", "week": "week", "scenario": "scenario"}


def comparison_tables(table: pd.DataFrame, currency: str | None = None, scenarios: list[dict] | None = None,
                      units: dict[str, Unit] = UNITS) -> str:
    """The full comparison (or summary), one table per outcome, each in its unit (`units`, by default
    ``sim.outcomes.UNITS``: shares in percent and their differences in percentage points, people, money in
    `currency`, ...) with its 95% interval in one cell, or the reason it has none; p-values as p-values; each scenario
    (and the reference) by its title with its name, as the findings name it. Columns are recognised by name, so
    columns added later are formatted too."""
    if {"scenario", "reference"} & set(table.columns):
        names = titles(scenarios, table["scenario"] if "scenario" in table else ())
        table = table.assign(**{c: table[c].map(lambda name: titled(names, name)) for c in ("scenario", "reference")
                                if c in table.columns})
    columns = list(table.columns)
    triples = interval_columns(columns)
    used = {c for triple in triples for c in triple}
    p_columns = [c for c in columns if is_p_column(c)]
    keys = [c for c in columns if c not in used and c not in p_columns and c != "metric"]
    parts = []
    groups = table.groupby("metric", sort=False) if "metric" in columns else [("", table)]
    for metric, rows in groups:
        unit = units.get(metric, UNKNOWN)
        # A summary of an older version has no replicate count: its means lack an interval only when one replicate has a value.
        replicates = rows["replicates"] if "replicates" in rows else pd.Series(1, index=rows.index)
        constant = [c for c in keys if c not in ("scenario", "week") and rows[c].nunique() <= 1]
        out = pd.DataFrame({HEADERS.get(c, c.replace("_", " ")): rows[c].astype(str) for c in keys if c not in constant})
        reference = rows["scenario"] == rows["reference"] if {"scenario", "reference"} <= set(rows) else None
        for value, low, high in triples:
            difference = value.startswith("diff")
            label = f"{value} ({unit.label(currency, difference=difference)}, 95% interval)"
            cells = [interval_cell(unit, v, lo, hi, n, difference=difference)
                     for v, lo, hi, n in zip(rows[value], rows[low], rows[high], replicates, strict=True)]
            if difference and reference is not None:
                cells = ["(reference)" if ref else cell for cell, ref in zip(cells, reference, strict=True)]
            out[label] = cells
        for c in p_columns:
            if rows[c].notna().any():
                out[c.replace("_", " ")] = rows[c].map(p_value)
        said = "; ".join(f"{c.replace('_', ' ')}: " + (str(rows[c].iloc[0]) if c == "reference" else  # a name reruns it
                                                       str(rows[c].iloc[0]).replace("_", " ")) for c in constant)
        if any(cut_short(*cells) for triple in triples for cells in zip(*(rows[c] for c in triple), strict=True)):
            said = "; ".join(filter(None, (said, CUT_NOTE)))
        name = LABELS.get(metric, str(metric).replace("_", " ").capitalize())
        parts += [f"<h3>{html.escape(name)}</h3>", f'<p class="note">{html.escape(said)}</p>' if said else "",
                  table_html(out, index=False)]
    return "\n".join(parts)


def interval_cell(unit: Unit, value: float, low: float, high: float, replicates: int, *, difference: bool) -> str:
    """'value (low to high)' in `unit`; a value without an interval says why, so an empty bracket never reads as one."""
    if value != value:
        return ""
    figures = figures_apart(low, high)  # money's ends told apart; other units keep their decimals
    shown = unit.text(value, signed=difference, figures=figures)
    if low != low or high != high or zero_width(low, high):
        return f"{shown} ({no_interval(int(replicates), difference=difference)})"
    cut = cut_said(value, low, high, "; ", CUT_MARK)
    return (f"{shown} ({unit.text(low, signed=difference, figures=figures)} to "
            f"{unit.text(high, signed=difference, figures=figures)}{cut})")


FILE = r"`?\b[\w<>-]+(?:/[\w<>-]+)*\.(?:csv|png|parquet|json|yaml|md)\b`?|\bfigures/"


def without_file_pointers(line: str) -> str:
    """A line of a folder's Markdown without what points at the folder's files, which a reader of the report (sent on
    its own) does not have: a bracket that opens with a file ("(cost_effectiveness.csv: ...)"), a file listed last in
    a bracket ("(trial 5, `best_3.yaml`)" becomes "(trial 5)"), then every sentence still naming one. What the files
    hold is in the report's own tables and figures."""
    line = re.sub(rf" \((?:{FILE})[^()]*\)", "", line)
    line = re.sub(rf",\s*(?:{FILE})(?=\))", "", line)
    if not re.search(FILE, line):
        return line
    lead = re.match(r"(\s*(?:- )?)", line).group(1)
    kept = [part for part in re.split(r"(?<=\.)\s+(?=\S)", line[len(lead):]) if not re.search(FILE, part)]
    return lead + " ".join(kept) if kept else ""


def markdown_html(text: str) -> str:
    """The few Markdown forms ``comparison.md`` and ``robustness.md`` use (headings, bullets, **bold**, paragraphs,
    pipe tables), escaped; without pointers to the folder's files (``without_file_pointers``) and so without a
    "Files" section."""
    out, items, rows = [], [], []

    def inline(line: str) -> str:
        bold = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(line))
        italic = re.sub(r"(?<![*\w])\*([^*\s][^*]*?)\*(?![*\w])", r"<i>\1</i>", bold)
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", italic)

    def flush() -> None:
        if items:
            out.append('<ul class="findings">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()
        if rows:
            head, *body = [[inline(cell.strip()) for cell in row.strip().strip("|").split("|")] for row in rows
                           if not re.fullmatch(r"\|[-:| ]+\|", row.strip())]
            out.append("<table><thead><tr>" + "".join(f'<th class="text">{c}</th>' for c in head) + "</tr></thead><tbody>"
                       + "".join("<tr>" + "".join(f'<td class="text">{c}</td>' for c in row) + "</tr>" for row in body)
                       + "</tbody></table>")
            rows.clear()

    skipping = False
    for line in text.splitlines():
        if line.startswith("#"):
            skipping = line.lstrip("#").strip() == "Files"
        if skipping or not line.startswith("|") and line.strip() and not (line := without_file_pointers(line)).strip():
            continue
        kind = "item" if line.startswith("- ") else "row" if line.startswith("|") else None
        if (items and kind != "item") or (rows and kind != "row"):
            flush()
        if kind == "item":
            items.append(inline(line[2:]))
            continue
        if kind == "row":
            rows.append(line)
            continue
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")) + 1, 4)
            if level > 2:  # the file's own top heading is replaced by the report's
                out.append(f"<h{level}>{inline(line.lstrip('#').strip())}</h{level}>")
        elif line.strip():
            out.append(f"<p>{inline(line)}</p>")
    flush()
    return "\n".join(out)


# ------------------------------------------------------------------------------------------ kinds


def headline(summary: pd.DataFrame, scenarios: list[dict]) -> pd.DataFrame:
    """``analysis.headline`` as a reader reads it: every first-event curve (terrorism offence too, unless every
    cohort is recorded with no violent-extremist people: 0 by construction, as comparison.md leaves it out:
    ``sim.curves.curves_of``), each in words, and each scenario by its title with its name, as comparison.md's "In
    short" names it."""
    table = analysis.headline(summary)
    shares = [analysis.recorded(s, "population", "violent_extremist_share") for s in scenarios]
    if shares and all(isinstance(share, int | float) and share == 0 for share in shares):
        table = table[[c for c in table.columns if not c.startswith(f"{TERRORISM_CURVE} ")]]
    names = titles(scenarios, table.index)
    table.index = [titled(names, name) for name in table.index]
    table.columns = [f"{CURVE_WORDS[metric].capitalize()} within {when} of release"
                     for metric, _, when in (column.partition(" at ") for column in table.columns)]
    return table


def headline_section(results: analysis.Results) -> list[str]:
    """The report's headline outcomes: heading, note and table (nothing for a folder without a summary)."""
    if results.summary is None:
        return []
    if not (results.summary["clock"] == "weeks_since_release").any():  # a run shorter than anyone's first week out
        return ["<h2>Headline outcomes</h2>", '<p class="note">Nobody in this run was followed for a whole week after '
                "release, so there is no share with a first event to show: run more weeks.</p>"]
    table = headline(results.summary, results.scenarios)
    events = results.read_events(["followup"])
    followup = events["followup"] if events is not None else None
    return ["<h2>Headline outcomes</h2>", headline_note(results.summary, table, followup), table_html(table)]


def headline_note(summary: pd.DataFrame, table: pd.DataFrame, followup: pd.Series | None = None) -> str:
    """What the headline table (``table``, ``analysis.headline`` of ``summary``) shows, with how many replicates each
    scenario ran (an interval means little without), what its cut mark means where a cell carries it, and how many
    of the people released were followed to its horizon (``followed_note``, from the events' `followup`)."""
    ran = sorted(set(summary.groupby("scenario")["replicates"].max().astype(int))) if "replicates" in summary else []
    count = (f"{ran[0]} replicate{'' if ran[0] == 1 else 's'} per scenario" if len(ran) == 1 else
             f"{', '.join(map(str, ran[:-1]))} or {ran[-1]} replicates per scenario" if ran else "replicates")
    cut = table.map(lambda cell: CUT_MARK in str(cell)).to_numpy().any()
    week = int(summary.loc[summary["clock"] == "weeks_since_release", "week"].max())
    followed = followed_note(followup, week)
    return ('<p class="note">Cumulative share of the released cohort with each first event, in percent: the mean '
            f"across {count}, with its 95% interval across them in brackets{'; ' + CUT_NOTE if cut else ''}."
            + (f" {html.escape(followed)}" if followed else "") + "</p>")


def currency_of(scenarios: list[dict]) -> str | None:
    """What costs are in: the first scenario's currency (the reference's, as in comparison.md) and its price year,
    e.g. 'GBP at 2023 prices' (an amount without its price year cannot be set against a budget); None if not
    recorded."""
    currency = analysis.recorded(scenarios[0], "costs", "currency") if scenarios else None
    if not isinstance(currency, str):
        return None
    year = analysis.recorded(scenarios[0], "costs", "price_year")
    return f"{currency} at {year} prices" if isinstance(year, int) and not isinstance(year, bool) else currency


BANDS_ARE_NOT_A_TEST = ("Each band is one scenario's 95% interval of its mean across replicates, not a test of a "
                        "difference: replicate r of every scenario shares its seed, so two bands can overlap where the "
                        "paired difference is clear.")


def run_figures(results: analysis.Results) -> list[str]:
    scenarios = results.scenarios
    paired = (" Judge differences by the paired intervals of the findings." if results.comparison is not None
              else " sim compare gives the paired differences with their intervals.") if len(scenarios) > 1 else ""
    parts = [figure_html(curves_figure(results.curves, scenarios),
                         "Recidivism, recall and return to custody by weeks since release."
                         + (f" {BANDS_ARE_NOT_A_TEST}{paired}" if paired else ""))]
    if results.timeseries is not None:
        parts.append(figure_html(weekly_figure(results.timeseries, scenarios), "Community and experienced stigma by week."))
        parts.append(figure_html(support_figure(results.timeseries, scenarios),
                                 "NGO enrolment, waitlist and people in custody by week (people)."))
    return parts


def run_sections(results: analysis.Results) -> list[str]:
    parts = [*headline_section(results)]
    if len(results.scenarios) > 1:
        parts.append('<p class="note">This report describes each scenario on its own. For the differences between '
                     "them, with paired 95% intervals and p-values, run <code>sim compare</code> on the same scenarios "
                     "(the first is the reference).</p>")
    parts += ["<h2>Figures</h2>", *run_figures(results)]
    if results.summary is not None:
        parts += ["<h2>Summary table</h2>", '<p class="note">Every metric at the standard horizons.</p>',
                  comparison_tables(results.summary, currency_of(results.scenarios), results.scenarios)]
    return parts


KM_CAPTION = ("The same outcomes from the people of all replicates pooled (1 - Kaplan-Meier: the share with a first "
              "event by weeks since release, allowing for people followed for different lengths of time; for recall, a "
              "return for a new offence first ends a person's follow-up). Its bands count people as independent, so "
              "they are narrower than the bands and intervals above, which rest on replicates: judge differences by "
              "the paired intervals of the findings, not by these bands or those of the figures above.")


def compare_sections(results: analysis.Results) -> list[str]:
    parts = ["<h2>Findings</h2>"]
    findings = results.directory / "comparison.md"
    parts.append(markdown_html(read_text(findings, "comparison.md as written by sim compare")) if findings.exists()
                 else '<p class="note">(no comparison.md)</p>')
    parts += headline_section(results)
    parts += ["<h2>Figures</h2>", *run_figures(results)]
    events = results.events
    if events is not None and results.scenarios:
        from sim.experiments.figures import kaplan_meier_figure

        horizon = min(int(s.get("weeks", Scenario.model_fields["weeks"].default)) for s in results.scenarios)
        parts.append(figure_html(kaplan_meier_figure(events, results.scenarios, horizon),
                                 KM_CAPTION))
    parts += subgroup_sections(results)
    parts += costs_sections(results)
    parts += ["<h2>Full comparison</h2>",
              '<p class="note">Every outcome, horizon and scenario against the reference, each in the unit its header '
              "names: shares of the cohort in percent, their differences in percentage points; 95% intervals in "
              "brackets, or why there is none.</p>",
              comparison_tables(results.comparison, currency_of(results.scenarios), results.scenarios)]
    return parts


SUBGROUP_HEADERS = {"subgroup": "group", "people": "people per replicate",
                    "same_people": "share of them in the same group in the reference"}


def subgroup_sections(results: analysis.Results) -> list[str]:
    """A ``sim compare --by`` folder's groups: each outcome's table as the full comparison gives it (each group's share
    and its difference from the reference's same group, with intervals, at every horizon), each group in words and
    its size, so that every figure the findings give for a group is in a table."""
    from sim.experiments.subgroups import group_words, subgroup_words

    path = results.directory / "subgroups.csv"
    if not path.exists():
        return []
    table = read_csv(path, ["by", "subgroup", "scenario", "metric", "week", "people"], rows=True,
                     filled=["by", "subgroup", "scenario", "reference", "metric", "clock", "week", "replicates"])
    by = str(table["by"].iloc[0])
    table = table.assign(subgroup=[group_words(by, group) for group in table["subgroup"]],
                         people=table["people"].map(lambda n: "" if n != n else f"{n:,.0f}"))
    if "same_people" in table:
        table["same_people"] = table["same_people"].map(lambda v: "" if v != v else f"{100 * v:.0f}%")
    table = table.rename(columns=SUBGROUP_HEADERS)
    return [f"<h2>By {html.escape(subgroup_words(by))}</h2>",
            '<p class="note">Each outcome within each group: the group\'s share in each scenario and its difference from '
            "the reference's same group in the same replicate (shares in percent, differences in percentage points, "
            "95% intervals in brackets). Groups are small: compare a difference with its interval before reading it as "
            "an effect.</p>",
            comparison_tables(table, currency_of(results.scenarios), results.scenarios, GROUP_UNITS)]


GROUP_UNITS = {metric: replace(unit, name="% of group") if unit is COHORT_SHARE else unit for metric, unit in UNITS.items()}
"""The units of a table by subgroup: a group's share is of the group's people, not of the whole cohort."""


COST_EFFECTIVENESS = ["scenario", "outcome", "week", "extra_cost", "averted", "averted_low", "averted_high",
                      "cost_per_averted", "ci_low", "ci_high", "estimable", "quadrant"]


def costs_sections(results: analysis.Results) -> list[str]:
    """What a comparison's costs rest on and what they buy: each unit cost with its currency, price year and source (or
    "assumed"), then the extra cost, the offences averted and the price per offence averted at every horizon, as the
    findings' sentences give them (``sim.costs.ratio_parts``), so that every amount in the words is in a table here."""
    from sim.costs import AVERTED_COUNTS, COUNTED, PRICES_APART, TERRORISM, ratio_parts

    path = results.directory / "cost_effectiveness.csv"
    prices = unit_costs(results.scenarios)
    if prices is None and not path.exists():
        return []
    currency = currency_of(results.scenarios) or "the scenario's currency"
    parts = ["<h2>Costs</h2>"]
    if prices is not None:
        parts += ["<h3>Unit costs</h3>",
                  f'<p class="note">In {html.escape(currency)}. Costs price what the model records and never change '
                  "what happens in it. Most are <b>assumed</b>: placeholders of the right order, not estimates; replace "
                  "them with a programme's own costs (<code>--set costs.KEY=VALUE</code>) before quoting an amount.</p>",
                  table_html(prices, index=False)]
    if path.exists():
        compared = [s["name"] for s in results.scenarios[1:] if isinstance(s.get("name"), str)]  # with the first
        table = read_csv(path, COST_EFFECTIVENESS, rows=True, filled=["scenario", "outcome", "week", "replicates"],
                         grids=[Grid(("scenario", "outcome", "week"), known={"scenario": compared})])
        code = analysis.recorded(results.scenarios[0], "costs", "currency") if results.scenarios else None
        names = titles(results.scenarios, table["scenario"])
        cohort = analysis.recorded(results.scenarios[0], "population", "released") if results.scenarios else None
        words = [ratio_parts(row, code if isinstance(code, str) else "") for row in table.itertuples()]
        shown = pd.DataFrame({
            "scenario": [titled(names, name) for name in table["scenario"]],
            "offences counted": table["outcome"].map(COUNTED).fillna(table["outcome"]),
            "to week": table["week"].astype(int).astype(str),
            "cost against the reference": [w[0] for w in words],
            "offences (95% CI)": [w[1] for w in words],
            "price (95% Fieller interval)": [w[2] for w in words]})
        reference = titled(names, str(results.scenarios[0].get("name"))) if results.scenarios else "the reference"
        parts += ["<h3>Price per offence averted</h3>",
                  f'<p class="note">Each scenario against {html.escape(reference)}, in {html.escape(currency)}: the paired '
                  "mean extra cost and offences averted are totals of one run"
                  + (f", that is of a simulated cohort of {cohort:,} people released" if isinstance(cohort, int) else "")
                  + f", not of a programme: scale them to a programme's size. {AVERTED_COUNTS} The price is not "
                  "estimable where the "
                  "offences averted are not shown to differ from 0."
                  + (f" {PRICES_APART}" if (table["outcome"] == TERRORISM).any() else "") + "</p>",
                  table_html(shown, index=False)]
    return parts


def unit_costs(scenarios: list[dict]) -> pd.DataFrame | None:
    """The reference's unit costs (``costs:``) as a table: each with its unit in the scenario's currency, and its
    source, "assumed" (with what it was assumed from) or, for a value changed from the shipped one, that it was set for
    this run; a column per scenario where the scenarios price alike no more. None if no cost is recorded."""
    from sim.costs import unit_cost_origin
    from sim.scenarios.fields import parameters

    priced = [s for s in scenarios if isinstance(s.get("costs"), dict)]
    if not priced:
        return None
    flat = [settings_record(s["costs"], "costs.") for s in priced]
    currency = str(flat[0].get("costs.currency", ""))
    names = titles(priced)
    rows = []
    for path, info, default in parameters():
        key = ".".join(path)
        if path[0] != "costs" or key in ("costs.currency", "costs.price_year") or key not in flat[0]:
            continue
        extra = metadata(info)
        values = [f.get(key) for f in flat]
        source = unit_cost_origin(info, next((v for v in values if v != default), values[0]), currency, full=True)
        row = {"cost": key.removeprefix("costs."),
               "unit": str(extra.get("unit", "")).replace("GBP", currency)}
        if len({json.dumps(v) for v in values}) == 1:
            row["value"] = readable(values[0])
        else:
            row.update({titled(names, str(s.get("name"))): readable(v) for s, v in zip(priced, values, strict=True)})
        rows.append({**row, "source": source})
    return pd.DataFrame(rows)


def outcomes_of(runs: pd.DataFrame, factors: list[str]) -> list[str]:
    """The outcomes a sweep report plots: reoffending and recall at the longest horizon, final community stigma."""
    numeric = [c for c in runs.columns if c not in factors and c not in analysis.RUN_LABELS
               and pd.api.types.is_numeric_dtype(runs[c])]
    chosen = []
    for metric in ("reoffended", "recalled"):
        found = sorted((c for c in numeric if re.fullmatch(rf"{metric}_\d+w", c)), key=lambda c: int(c[len(metric) + 1:-1]))
        chosen += found[-1:]
    return chosen + [c for c in ("final_community_stigma",) if c in numeric]


def factor_figure(runs: pd.DataFrame, factors: list[str], outcome: str):
    """An outcome against each factor: every run as a dot, the mean per level (or per tenth of the range)
    with its 95% t interval across the runs there (``sim.outcomes.interval``, within what the outcome can be) as a
    line; each factor by its key and unit; panels share the y-axis."""
    from sim.experiments.metrics import value_range
    from sim.outcomes import interval

    title, scale, _ = analysis.value_label(outcome)
    bounds = {k: scale * v for k, v in value_range(outcome).items()}  # a share stays within 0-100%
    fig, axes = panels(len(factors), width=4.2, height=4.0)
    colour = palette(["x"])["x"]
    for ax, factor in zip(axes, factors, strict=True):
        x, y = runs[factor], runs[outcome].astype(float) * scale
        if not pd.api.types.is_numeric_dtype(x):  # a text factor (network.kind): its levels at 0, 1, ... by name
            levels = sorted(x.astype(str).unique())
            x = x.astype(str).map({level: i for i, level in enumerate(levels)}).astype(float)
            ax.set_xticks(range(len(levels)), [plain(level) for level in levels], rotation=20)
        x = x.astype(float)
        ax.scatter(x, y, s=6, alpha=0.25, color="#888888", lw=0)
        bins = x if x.nunique() <= 12 else pd.cut(x, 10).map(lambda b: b.mid).astype(float)
        cells = {at: interval(values, **bounds) for at, values in y.groupby(bins)}
        at = np.array(list(cells), dtype=float)
        mean, low, high = (np.array(column, dtype=float) for column in zip(*cells.values(), strict=True))
        ax.errorbar(at, mean, yerr=[np.nan_to_num(mean - low), np.nan_to_num(high - mean)], color=colour, lw=2,
                    marker="o", ms=4, capsize=3)
        unit = unit_of(factor)
        ax.set_xlabel(plain(f"{factor}\n{unit}" if unit else factor))  # on two lines: panels sit close
    axes[0].set_ylabel("% of cohort" if scale == 100 else "")
    finish(fig, axes, title, f"{len(runs):,} runs; dots: runs; line: mean per level with its 95% t interval across "
                             "the runs there")
    return fig


def mixed_code_html(runs: pd.DataFrame) -> list[str]:
    """A warning when the runs were made by more than one version of the code (their ``code`` column): the same seed
    may give other numbers under each, so points run by different versions differ by more than their factors."""
    counts = runs["code"].dropna().value_counts() if "code" in runs else pd.Series(dtype=int)
    if len(counts) < 2:
        return []
    each = ", ".join(f"<code>{html.escape(str(code))}</code> {count:,}" for code, count in counts.items())
    return [f'<p class="warning"><b>These runs were made by {len(counts)} versions of the code</b> (runs by the '
            f"<code>code</code> column: {each}; the manifest gives the versions behind each). The same seed may give "
            "other numbers under each, so two points may differ by more than their factors: sweep into a new folder "
            "with one version installed everywhere to compare like with like.</p>"]


def sweep_sections(results: analysis.Results, planned: int | None = None) -> list[str]:
    """A sweep's runs, factors and outcomes (a sensitivity analysis's indices first); ``planned`` is the runs a
    stopped sweep's design plans (``unfinished``), for the warning that it is incomplete."""
    from sim.experiments.sensitivity_analysis import TABLE as SENSITIVITY_TABLE

    runs, factors = results.runs, results.factors
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    incomplete = planned is not None
    parts = ["<h2>Runs</h2>", f"<p>{len(runs):,} runs" + (f" of the {planned:,} the design plans" if incomplete else "")
             + f", {len(ok):,} succeeded; factors: {html.escape(', '.join(factors) or 'none found')}.</p>"]
    if incomplete:
        parts.insert(0, f'<p class="warning"><b>Incomplete sweep: {len(runs):,} of {planned:,} planned runs done.</b> '
                        "It was stopped before the end; everything below shows only the runs done. Rerun the same "
                        f"<code>{resuming_command(results.manifest)}</code> into this folder to finish it.</p>")
    parts += mixed_code_html(runs)
    declared = analysis.recorded(results.manifest, "experiment", "spec", "design", "factors")
    if isinstance(declared, dict) and declared:
        levels = pd.DataFrame({"factor": list(declared), "unit": [unit_of(str(key)) for key in declared],
                               "what it is": [words_of(str(key)) for key in declared], "values": [
            f"{v['low']} to {v['high']}" if isinstance(v, dict) and {"low", "high"} <= set(v) else json.dumps(v)
            for v in declared.values()]})
        parts += ["<h3>Design</h3>", table_html(levels, index=False)]
    failed = runs.drop(ok.index)
    if not failed.empty:
        parts += ["<h3>Failed runs</h3>",
                  table_html(failed[[c for c in ("point", "replicate", "seed", "status", "error") if c in failed]],
                             index=False)]
        if lost := int(is_lost(failed).sum()):
            parts.append(f"<p>{lost:,} of them were lost to the infrastructure (status <code>lost</code>: a worker died "
                         f"or could not start them), not failed in the model: rerun the same "
                         f"<code>{resuming_command(results.manifest)}</code> into "
                         "this folder to run them again.</p>")
    if (results.directory / SENSITIVITY_TABLE).exists():  # the answer first, then what it was computed from
        warning = 1 if incomplete else 0  # an incomplete sweep says so before anything else
        return parts[:warning] + sensitivity_sections(results) + parts[warning:]
    outcomes = outcomes_of(ok, factors)
    if factors and outcomes:
        parts.append("<h2>Each outcome against each factor</h2>")
        for outcome in outcomes:
            parts.append(figure_html(factor_figure(ok, factors, outcome),
                                     f"{analysis.value_label(outcome)[0]} against each factor."))
        if len(ok) and ok.groupby(factors).ngroups <= 500:
            from sim.experiments.metrics import value_range
            from sim.outcomes import interval

            grouped = ok.groupby(factors)
            shown = pd.DataFrame({"runs": grouped.size()})
            cut = False
            for outcome in outcomes:  # each in its unit: shares of the cohort in percent, not 0.77
                title, scale, form = analysis.value_label(outcome)
                cells = grouped[outcome].apply(lambda v, outcome=outcome: interval(v, **value_range(outcome)))
                shown[title] = [point_cell(cell, scale, form) for cell in cells]
                cut = cut or any(cut_short(*cell) for cell in cells)
            shown.index = shown.index.set_names([f"{f}, {unit_of(f)}" if unit_of(f) else f for f in factors])
            parts += ["<h3>Mean of each outcome at each point</h3>",
                      '<p class="note">Mean over the runs at each point (its replicates), with its 95% t interval across '
                      "them in brackets (none with one run, nor when every run gave the same value); shares of the cohort in percent"
                      + (f"; {CUT_NOTE}" if cut else "") + ".</p>", table_html(shown.reset_index(), index=False)]
    return parts


def point_cell(cell: tuple[float, float, float], scale: float, form: str) -> str:
    """A sweep point's mean (``interval``) in its unit with its interval, marked when cut at the possible range;
    none with one run, and none said when every run gave the same value (``zero_width``)."""
    mean, low, high = cell
    if mean != mean:
        return ""
    if low != low:
        return f"{scale * mean:{form}}"
    if zero_width(low, high):
        return f"{scale * mean:{form}} ({SAME_IN_EVERY})"
    return (f"{scale * mean:{form}} ({scale * low:{form}} to {scale * high:{form}}"
            + cut_said(mean, low, high, "; ", CUT_MARK) + ")")


def unfinished(results: analysis.Results) -> int | None:
    """The runs a stopped sweep's design plans, when it holds fewer; None for a finished one (or unknown)."""
    planned = planned_runs(results.manifest)
    return planned if planned is not None and len(results.runs) < planned else None


def planned_runs(manifest: dict) -> int | None:
    """The runs a sweep's design plans (points x replicates), as its manifest records them; None if it does not."""
    experiment = manifest.get("experiment")
    if not isinstance(experiment, dict):
        return None
    runs = experiment.get("runs")
    if isinstance(runs, int) and not isinstance(runs, bool):
        return runs
    design, replicates = manifest.get("design"), experiment.get("replicates")
    if isinstance(design, list) and isinstance(replicates, int) and not isinstance(replicates, bool):
        return len(design) * replicates
    return None


def resuming_command(manifest: dict) -> str:
    """The command that finishes a stopped sweep folder, as its last session ran it: ``sim sensitivity`` or ``sim
    sweep`` (a sweep started from Python, whose command line is the notebook's)."""
    sessions = manifest.get("sessions")
    command = sessions[-1].get("command") if isinstance(sessions, list) and sessions and isinstance(sessions[-1], dict) else None
    word = command[1] if isinstance(command, list) and len(command) > 1 else None
    return f"sim {word}" if word in ("sweep", "sensitivity") else "sim sweep"


def sensitivity_sections(results: analysis.Results) -> list[str]:
    """The answer of a sensitivity analysis: its indices with intervals, as a figure and a table."""
    from sim.experiments.figures import sensitivity_figure
    from sim.experiments.sensitivity_analysis import INDICES, TABLE, effect_columns, index_text, output_heading, ranking

    path = results.directory / TABLE
    table = read_csv(path, ["output", "factor"], rows=True)
    method = "sobol" if "S1" in table.columns else "morris"
    table = require_columns(table, path, INDICES[method])
    # the verdict first, as ranking.md words it, built from the table so that the two cannot disagree: whether the
    # sample separates the leading factors, or their order is noise and no factor may be called the most important
    parts = ["<h2>Which factors matter most</h2>", markdown_html(ranking(table, method)),
             "<h2>Sensitivity indices</h2>",
             '<p class="note">' + ("Sobol' indices: the share of each output's variance due to a factor alone (S1) "
                                   "and with its interactions (ST); 95% intervals in brackets."
                                   if method == "sobol" else
                                   "Morris screening: mu* (mean absolute elementary effect, 95% interval) and sigma "
                                   "(interactions and non-linearity), a share's in percentage points.") + "</p>",
             figure_html(sensitivity_figure(table, method), "Sensitivity indices with 95% intervals.")]
    pairs = [("S1", "S1_conf"), ("ST", "ST_conf")] if method == "sobol" else [("mu_star", "mu_star_conf")]
    shown = pd.DataFrame({"output": table["output"], "factor": table["factor"]})
    for value, conf in pairs:
        shown[f"{value} (95% interval)"] = [index_text(v, c, method) if v == v else
                                            "undefined (the output is constant across the runs)"
                                            for v, c in zip(table[value], table[conf], strict=True)]
    shown.insert(2, "what it is", shown["factor"].map(lambda key: words_of(str(key))))
    for output, rows in shown.groupby("output", sort=False):
        if method == "morris":  # in the unit its heading names: a share's effects in points, not as 0-1 under '%'
            rows = pd.concat([rows[["output", "factor", "what it is"]], effect_columns(table.loc[rows.index])], axis=1)
        parts += [f"<h3>{html.escape(output_heading(str(output)))}</h3>", table_html(rows.drop(columns="output"),
                                                                                    index=False)]
    return parts


def calibration_sections(folder: Path, manifest: dict) -> list[str]:
    """The fitted values first, then the fit as a figure, then the error at every target point."""
    parts = []
    score = manifest.get("best_score")
    if isinstance(score, int | float):
        parts.append(f"<p>Largest gap between the model's curve and the target, at the worst point: {score:.1f} "
                     "percentage points on the fit's seeds"
                     + (f", {manifest['check_max_abs_error']:.1f} percentage points on fresh seeds"
                        if isinstance(manifest.get("check_max_abs_error"), int | float) else "")
                     + (" at the target points fitted" if isinstance(manifest.get("holdout"), dict) else "") + ".</p>")
    if held := held_out_text(manifest):
        parts.append(f"<p>{html.escape(held)}</p>")
    if provenance := calibration_provenance(manifest):
        parts.append(f'<p class="note">{html.escape(provenance)}</p>')
    if (folder / "fit.csv").exists():
        parts += ["<h2>Fitted values and their uncertainty</h2>",
                  '<p class="note"><b>value</b>: the best fit. <b>low</b> to <b>high</b>: the values that fit the target '
                  "as well as the best one would on 97.5% of draws of seeds, i.e. the values this many replicates cannot "
                  "tell apart from the best; not a confidence interval for the real-world value, and it ignores the "
                  "target's own sampling error. <b>open low</b>/<b>open high</b>: True when that range reaches the edge "
                  "of the values scanned, so it may extend beyond. <b>search low</b> to <b>search high</b>: the range "
                  "searched. Each in the parameter's own unit.</p>",
                  table_html(with_units(read_csv(folder / "fit.csv", FIT_COLUMNS, rows=True, numeric=FIT_COLUMNS[1:]))
                             .rename(columns=lambda c: c.replace("_", " ")), index=False, digits=4)]
    if (folder / "calibration.png").exists():
        parts += ["<h2>Fit</h2>", png_file_html(folder / "calibration.png", "The target against the model's mean and 95% band.")]
    if (folder / "errors.csv").exists():
        parts += ["<h2>Error against the target</h2>",
                  '<p class="note">On fresh seeds, at every point of the target: <b>target</b> and <b>model mean</b> in '
                  "% of the cohort (cumulative), <b>model low</b> to <b>model high</b> the middle 95% of the fresh-seed "
                  "runs, <b>error</b> the model mean minus the target in percentage points"
                  + ("; <b>held out</b>: True at the points left out of the fit" if isinstance(manifest.get("holdout"), dict)
                     else "") + ".</p>",
                  table_html(read_csv(folder / "errors.csv", ERROR_COLUMNS, rows=True, numeric=ERROR_COLUMNS)
                             .rename(columns=lambda c: c.replace("_", " ")), index=False, digits=4)]
    if (folder / "candidates.csv").exists():
        parts.append(f'<p class="note">{len(read_csv(folder / "candidates.csv")):,} candidates searched.</p>')
    if (folder / "calibrated.yaml").exists():
        text = read_text(folder / "calibrated.yaml", "calibrated.yaml as written by sim calibrate")
        parts += ["<h2>The fitted scenario</h2>", '<p class="note">As a scenario file that extends the one fitted, ready to '
                  "run or compare.</p>", f"<pre>{html.escape(re.sub(ABSOLUTE, lambda m: Path(m[0]).name, text))}</pre>"]
    return parts


FIT_COLUMNS = ("parameter", "value", "low", "high")  # of fit.csv (``Calibration.intervals``), the numbers after the name
ERROR_COLUMNS = ("target", "model_mean", "model_low", "model_high", "error")  # of errors.csv (``Calibration.errors``)


def with_units(fit: pd.DataFrame) -> pd.DataFrame:
    """fit.csv with each parameter's unit beside it (``unit_of``): a fitted 0.012 is read in it."""
    if "parameter" not in fit or "unit" in fit:
        return fit
    return fit.assign(unit=fit["parameter"].map(lambda key: unit_of(str(key))))[
        ["parameter", "unit", *(c for c in fit if c != "parameter")]]


def generations(settings: dict) -> str:
    count = settings.get("generations", "?")
    return f"{count} generation" + ("" if count == 1 else "s")


def calibration_provenance(manifest: dict) -> str:
    """Which data, which seed, how the search ended and what the fresh-seed check is (not a held-out test: the
    held-out points are, when there are any)."""
    settings = manifest.get("settings") if isinstance(manifest.get("settings"), dict) else {}
    text = []
    if manifest.get("target"):
        digest = manifest.get("target_sha256")
        text.append(f"Fitted to {Path(str(manifest['target'])).name}" + (f" (sha256 {str(digest)[:16]})" if digest else "")
                    + (f" with root seed {settings['root_seed']}" if "root_seed" in settings else "") + ".")
    if settings.get("converged") is False:
        text.append(f"The search stopped at its budget after {generations(settings)}, before "
                    "differential evolution converged: a larger --budget may fit better.")
    elif settings.get("converged") is True:
        text.append(f"Differential evolution converged after {generations(settings)}.")
    if manifest.get("all_candidates_scored_alike") is True:
        text.append("Every candidate scored alike: the parameters searched do not move the matched curves (a target of "
                    "another cohort, or a curve this scenario never produces?), so the values and intervals say nothing.")
    elif isinstance(threshold := manifest.get("interval_threshold"), int | float) and threshold <= 0:
        text.append("The intervals hold only candidates that scored exactly the best, which does not make the values "
                    "exact: the replicate noise estimated from the fresh-seed runs stays below the best score on the "
                    "search's seeds (more --check-replicates estimate it better).")
    if "check_replicates" in settings:
        text.append(f"The fresh seeds are the best fit rerun {settings['check_replicates']} times with new random "
                    "numbers against the same target points: they check that the fit is not the luck of the search's "
                    "seeds; " + ("the held-out points, not they, are the out-of-sample check."
                                 if isinstance(manifest.get("holdout"), dict) else
                                 "nothing of the target was held out of the fit."))
    return " ".join(text)


def held_out_text(manifest: dict) -> str:
    """What a calibration held out of its fit and its error there beside the fitted points' ('' if nothing)."""
    held = manifest.get("holdout")
    if not isinstance(held, dict):
        return ""
    try:
        text = (f"Held out of the fit: the target's {held['held_out_points']} points from {held['unit']} {held['from']:g} "
                f"on (the {held['fitted_points']} before it were fitted). The largest gap there is "
                f"{held['best_score_held_out']:.1f} percentage points on the fit's seeds and "
                f"{held['check_max_abs_error_held_out']:.1f} on fresh seeds, against {held['best_score_in_sample']:.1f} and "
                f"{held['check_max_abs_error_in_sample']:.1f} at the points fitted: this is the out-of-sample check.")
        if held.get("within_limit_candidates", 0) > 1:
            text += (f" The {held['within_limit_candidates']} candidates within the intervals' limit score "
                     f"{held['within_limit_held_out_score_low']:.1f} to {held['within_limit_held_out_score_high']:.1f} "
                     "points there.")
    except (KeyError, TypeError, ValueError):
        return "Held out of the fit: part of the target (manifest.json's holdout is incomplete)."
    return text


PNG_END = b"IEND\xaeB`\x82"  # the last chunk of every PNG file


def png_file_html(path: Path, caption: str) -> str:
    """A PNG file of the folder, embedded; a truncated one is named rather than shown broken."""
    data = path.read_bytes()
    if not data.endswith(PNG_END):
        raise damaged(path, "is truncated (no PNG end marker)", "an intact PNG file (rerun the command that wrote it)")
    return png_html(data, caption)


def figure_of(path: Path, caption: str, draw) -> str:
    """The folder's figure at `path`, or, when it was not written (``--no-figures``), `draw(file)` into the report."""
    if path.exists():
        return png_file_html(path, caption)
    buffer = io.BytesIO()
    draw(buffer)
    return png_html(buffer.getvalue(), caption)


BOX_HEADERS = {"box_holds": "box holds", "low": "box from", "high": "box to", "range_low": "drawn from",
               "range_high": "drawn to", "held_out": "on held-out draws", "held_out_inside": "held-out draws in box",
               "held_out_density": "held-out density", "held_out_outside_density": "held-out share outside",
               "held_out_p": "Fisher p"}


def robustness_sections(folder: Path) -> tuple[list[str], dict, list[dict]]:
    """The words and tables of robustness.md, each figure beside its section, then PRIM's boxes as a table.

    Read from the folder's tables (checked), not from robustness.md, so the report cannot disagree with them.
    Returns the body, the analysis's robustness.json and the scenarios (their settings as each nominal sweep ran them).
    """
    from sim.costs import OFFENCES, ONE, TERRORISM
    from sim.experiments.acceptability import ACCEPTABILITY_SECTION, curve_outcomes, draw_acceptability
    from sim.experiments.robustness import load
    from sim.experiments.robustness_analysis import HELD_OUT_COLUMNS
    from sim.experiments.robustness_figures import draw_prim, draw_spread
    from sim.experiments.robustness_results import describe
    from sim.experiments.robustness_words import PRIM_SECTION, SIGN_TABLE, introduction, sections

    found, spec = load(folder)
    parts = [markdown_html(introduction(found, spec))]
    for heading, lines in sections(found, spec):
        parts += [f"<h2>{html.escape(heading)}</h2>", markdown_html("\n".join(lines))]
        if heading == SIGN_TABLE:
            parts.append(figure_of(folder / "figures" / "robustness.png", "Each draw's difference from the reference "
                                   "(dots) and the nominal difference (diamond).", lambda f: draw_spread(found, f)))
        if heading == ACCEPTABILITY_SECTION and found.has_curve():
            both = TERRORISM in curve_outcomes(found)
            per = f"per {ONE[OFFENCES]} averted" + (f" (left) and per {ONE[TERRORISM]} averted (right)" if both else "")
            parts.append(figure_of(folder / "figures" / "acceptability.png", "The share of draws in which each scenario "
                                   f"is worth funding at each willingness to pay {per} (line), its 95% Wilson interval "
                                   "(band) and where the nominal answer changes (dashed).",
                                   lambda f: draw_acceptability(found, f)))
        if heading == PRIM_SECTION and not found.boxes.empty:
            for (scenario, outcome), box in found.boxes.groupby(["scenario", "outcome"], sort=False):
                parts.append(figure_of(
                    folder / "figures" / f"prim_{scenario}_{outcome}.png",
                    f"{found.named(scenario)}, {describe(outcome)}: the draws over the box's most restricted assumptions, "
                    "flips and draws with no difference marked, PRIM's box drawn.",
                    lambda f, scenario=scenario, outcome=outcome, box=box: draw_prim(found, scenario, outcome, box, f)))
            boxes = found.boxes.assign(scenario=found.boxes["scenario"].map(found.named),
                                       outcome=found.boxes["outcome"].map(describe))
            boxes.insert(boxes.columns.get_loc("assumption") + 1, "unit", boxes["assumption"].map(unit_of))
            tested = (boxes["held_out"].astype(str) != "").any()  # not in a folder written before boxes were tested
            boxes = (boxes if tested else boxes.drop(columns=HELD_OUT_COLUMNS)).rename(columns=BOX_HEADERS)
            parts += ["<h3>PRIM boxes</h3>", '<p class="note">Each assumption the box restricts: its range in the box, '
                      "its whole drawn range (both in its unit), the share of such draws the box holds (coverage) and the share of draws "
                      "in it that are such draws (density)"
                      + ("; then whether PRIM run the same way on half the draws finds a box that beats chance on the "
                         "other half (the held-out draws inside it, the share of them that are such draws, that share "
                         "outside it, and Fisher's one-sided p)" if tested else "") + ".</p>", table_html(boxes, index=False)]
    scenarios = []
    for name in spec["names"]:
        path = folder / "sweeps" / name / "nominal" / "manifest.json"
        if path.is_file():
            manifest = read_json(path, "manifest.json as written by sim sweep")
            try:
                scenarios.append(manifest["experiment"]["base_scenario"])
            except (KeyError, TypeError):
                raise damaged(path, "names no sweep's scenario", "manifest.json as written by sim sweep") from None
    if len(scenarios) < len(spec["names"]):
        scenarios = []  # a partial list would compare the wrong scenarios
    return parts, spec["manifest"], scenarios


def is_robustness(folder: Path) -> bool:
    """A finished ``sim robustness`` folder: what was asked and the words it writes last (``write_report``)."""
    from sim.experiments.robustness import MANIFEST, REPORT

    return (folder / MANIFEST).is_file() and (folder / REPORT[-1]).is_file()


def is_optimisation(folder: Path) -> bool:
    """A finished ``sim optimise`` folder: its search record and the findings it writes last."""
    return (folder / OPTIMISE_MANIFEST).is_file() and (folder / "optimise.md").is_file()


def optimise_sections(folder: Path) -> list[str]:
    """optimise.md's findings (the best mixes under the budget, whether fresh seeds confirm them), then the front."""
    parts = [markdown_html(read_text(folder / "optimise.md", "optimise.md as written by sim optimise"))]
    front = folder / "figures" / "front.png"
    if front.exists():
        parts += ["<h2>Figure</h2>", png_file_html(front, "Each mix tried: its cost against the objective; the front "
                                                   "(the cheapest mix for each level of the objective), the budget, "
                                                   "the scenario as it stands and the best mixes marked, all at their "
                                                   "search values (before the fresh seeds' confirmation above).")]
    return parts


def is_calibration(folder: Path) -> bool:
    return (folder / "fit.csv").exists() and (folder / "calibrated.yaml").exists() and (folder / "manifest.json").exists()


# ------------------------------------------------------------------------------------------ whole


MEANING = {
    "absent": "the model does not reproduce even the direction of the published effect",
    "weaker": "the model's effect is smaller than the study found, so its estimates of what this support achieves may "
              "understate it, or the study's effect may not carry over to this cohort",
    "stronger": "the model's effect is larger than the study found, so its estimates of what this support achieves may "
                "overstate it",
}


def validation_html(varied: set[str] = frozenset()) -> str:
    """What the numbers are (a model's, resting on assumptions) and how the model fares against published effects it
    was not tuned to, naming by its study every test it fails, what a failure means for the conclusions about the
    support it tests and, where the report's analysis varies a setting the failed test varies (`varied`: dotted keys),
    that this report's conclusions are among them: read from the table the last full validation run shipped
    (``sim.data.VALIDATION``), so a report never hides a failure nor leaves the reader to connect it."""
    from sim.costs import OFFENCES, ONE, TERRORISM
    from sim.data import VALIDATION, shipped
    from sim.scenarios.docs import TITLE

    parts = ["<h2>What these results are</h2>",
             "<p>Every number here comes from a simulation model, not from observing people. Its rules, and most of the "
             f"sizes it uses, are assumptions (<i>{TITLE}</i>, in the reintegration-sim documentation, gives each "
             "one's meaning, unit and source or says it is assumed): read a difference as what the model implies, and "
             "test whether a conclusion survives the assumptions with a robustness analysis "
             "(<code>sim robustness</code>).</p>"]
    path = shipped(VALIDATION)
    if not path.is_file():
        return "\n".join([*parts, '<p class="warning">No record of the model\'s validation ships with this version.</p>'])
    table = read_csv(path, ["kind", "measure", "measured", "low", "high", "published", "band", "passed", "study",
                            "plain_contrast", "follow_up"], rows=True)
    tests = table[table["kind"] == "independent test"]
    failed = tests[~tests["passed"].astype(bool)]
    said = (f"Checked against {len(tests)} effects published by studies the model was not tuned to, it reproduces "
            f"{len(tests) - len(failed)}")
    if failed.empty:
        return "\n".join([*parts, f'<p class="note">{html.escape(said)}.</p>'])
    lines = []
    for row in failed.itertuples():
        published = float(str(row.published).split()[0])
        neutral = 1.0 if "ratio" in str(row.published) else 0.0
        if (row.measured - neutral) * (published - neutral) <= 0:
            direction, kind = "in the model the effect is absent or goes the other way", "absent"
        elif abs(row.measured - neutral) < abs(published - neutral):
            direction, kind = "the model's effect is weaker than the study's", "weaker"
        else:
            direction, kind = "the model's effect is stronger than the study's", "stronger"
        measure = str(row.measure).split(" (")[0]
        keys = sorted(set(re.findall(r"\b[a-z_]+\.[a-z_]+\b", str(row.contrast))))
        shared = [key for key in keys if key in varied]
        lines.append(f"<li><i>{html.escape(str(row.study))}</i>: for {html.escape(str(row.plain_contrast))}, the "
                     f"{html.escape(measure)} at {html.escape(str(row.follow_up))} is {row.measured:.3g} in the model "
                     f"(95% interval {row.low:.3g} to {row.high:.3g}) against {html.escape(str(row.published))} "
                     f"published (the test accepts {html.escape(str(row.band))}"
                     + ("; 1 would mean no effect" if neutral == 1 else "") + f"): {direction}. What it means: "
                     f"{MEANING[kind]}. The size of what {html.escape(', '.join(keys) or 'this contrast')} changes is "
                     f"therefore not validated: any difference, offence averted or price per {ONE[OFFENCES]} or "
                     f"{ONE[TERRORISM]} averted that rests on it is what the model assumes, not evidence of what a programme like the one studied would "
                     "achieve." + (f" <b>This report's analysis varies {html.escape(', '.join(shared))}: its "
                                   "conclusions about it rest on this effect.</b>" if shared else "") + "</li>")
    return "\n".join([*parts, f'<div class="warning"><p><b>{html.escape(said)}; it fails {len(failed)}:</b></p>'
                       f'<ul>{"".join(lines)}</ul><p>The model is not validated for '
                       f'{"this mechanism" if len(failed) == 1 else "these mechanisms"}: conclusions that rest on '
                       f'{"it" if len(failed) == 1 else "them"} are the least supported in this report.</p></div>'])


def build(folder: str | Path) -> str:
    """The HTML text of the report on `folder`."""
    from sim.experiments.sensitivity_analysis import TABLE as SENSITIVITY_TABLE

    folder = Path(folder)
    kind_title, varied = None, set()
    if is_calibration(folder):
        manifest = read_json(folder / "manifest.json", "manifest.json as written by sim calibrate")
        kind, body, scenarios = "calibration", calibration_sections(folder, manifest), []
    elif is_robustness(folder):
        kind = "robustness"
        body, manifest, scenarios = robustness_sections(folder)
    elif is_optimisation(folder):
        manifest = read_json(folder / OPTIMISE_MANIFEST, f"{OPTIMISE_MANIFEST} as written by sim optimise")
        kind, body, scenarios = "optimisation", optimise_sections(folder), []
        varied = set(manifest.get("levers") or ())  # the levers searched
    else:
        results = analysis.load(folder)
        manifest, scenarios = results.manifest, results.scenarios
        kind = "sensitivity" if (folder / SENSITIVITY_TABLE).exists() else results.kind
        planned = unfinished(results) if kind in ("sweep", "sensitivity") else None
        if kind in ("sweep", "sensitivity"):
            body = sweep_sections(results, planned)
            varied = set(results.factors)
        else:
            body = (compare_sections if kind == "compare" else run_sections)(results)
        if planned is not None:
            kind_title = f"{kind.capitalize()} (incomplete: {len(results.runs):,} of {planned:,} runs)"
    names = titles(scenarios)
    if scenarios:
        body.append("<h2>Scenarios</h2>")
        for settings in scenarios:
            if settings.get("description"):
                body.append(f'<p class="note"><b>{html.escape(names.get(settings.get("name"), ""))}</b> '
                            f'(<code>{html.escape(str(settings.get("name")))}</code>): '
                            f'{html.escape(" ".join(str(settings["description"]).split()))}</p>')
                changed = changed_from_description(settings)
                if changed:
                    body.append('<p class="note">The description is of the scenario as shipped; this run changed '
                                f"{html.escape(changed)} (with <code>--set</code> or an experiment's overrides), so "
                                "where they disagree the description does not hold here.</p>")
        reference, caption = reference_of(scenarios)
        differences = differences_table(scenarios, reference)
        varied |= set(differences.index)
        body += ["<h2>Scenario differences</h2>", f'<p class="note">{html.escape(caption)}</p>', table_html(differences)]
    if kind == "calibration":
        target = Path(str(manifest.get("target", ""))).name
        heading = f"Calibration: {manifest.get('scenario', folder.resolve().name)}" + (f" fitted to {target}" if target else "")
    elif kind == "optimisation":  # optimise.md's own title names the scenario and the budget, with its currency
        first = read_text(folder / "optimise.md", "optimise.md as written by sim optimise").partition("\n")[0]
        heading = first.lstrip("# ").strip() or f"Best mixes for {manifest.get('scenario', folder.resolve().name)}"
    else:
        heading = f"{kind_title or kind.capitalize()}: " + (", ".join(names.values()) if names else folder.resolve().name)
    intro = [f"<h1>{html.escape(heading)}</h1>",
             f'<p class="note">Folder <code>{html.escape(folder.resolve().name)}</code>; report written '
             f"{datetime.now().isoformat(timespec='minutes')}. Synthetic people only: a tool for exploring policy, "
             "never a prediction about a real person.</p>", validation_html(varied)]
    text = json.dumps(without_machine_paths(manifest), indent=2, default=str)
    manifest_file = {"robustness": ROBUSTNESS_MANIFEST, "optimisation": OPTIMISE_MANIFEST}.get(kind, "manifest.json")
    if len(text) > MAX_MANIFEST_CHARS:
        text = text[:MAX_MANIFEST_CHARS] + f"\n... ({len(text) - MAX_MANIFEST_CHARS} more characters in {manifest_file})"
    body += ["<h2>Manifest</h2>", f"<details><summary>{manifest_file}</summary><pre>{html.escape(text)}</pre></details>"]
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">{GENERATOR}'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(heading)}</title><style>{STYLE}</style></head>"
            f'<body class="report-{kind}">\n' + "\n".join(intro + body) + "\n</body></html>\n")


# Marks a file as written by `sim report`, so that a later report may replace it and nothing else.


def differences_table(scenarios: list[dict], reference: dict) -> pd.DataFrame:
    """``analysis.scenario_differences`` as a reader reads it: a column per scenario by its title with its name, and
    each key's unit from the parameter table (a 0.3 means nothing until it is 0.3 places per released person)."""
    table = analysis.scenario_differences(scenarios, reference)
    names = titles([reference, *scenarios])
    table.columns = [titled(names, str(name)) for name in table.columns]
    table.insert(0, "unit", [unit_of(key) for key in table.index])
    return table


ABSOLUTE = r"(?<![\w.~/-])/(?:[^\s/]+/)+[^\s/,;:)]+"  # an absolute POSIX path within a text, e.g. in a file's comment


def without_machine_paths(value):
    """A manifest as the report shows it: every absolute path (the program run, the --out folder, a scenario file) cut
    to its last part, so a report sent on does not disclose where its results lay on someone's machine."""
    if isinstance(value, dict):
        return {key: without_machine_paths(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_machine_paths(item) for item in value]
    if isinstance(value, str) and (value.startswith(("/", "~")) or re.match(r"[A-Za-z]:[\\/]", value)) and len(value) > 1:
        return Path(value.replace("\\", "/")).name
    return value


def changed_from_description(settings: dict) -> str:
    """The settings a run changed from the shipped scenario its description belongs to ('population.released 1000 to
    100; weeks 260 to 156'), e.g. a cohort of 100 where the description says 1,000; '' when none changed or the
    scenario is not a shipped one (its file may be gone)."""
    from sim.scenarios import load_scenario

    name = settings.get("name")
    try:
        shipped = load_scenario(str(name)).model_dump(mode="json")
    except Exception:  # noqa: BLE001 - a scenario from a file, or one this version no longer ships: nothing to compare
        return ""
    if shipped.get("description") != settings.get("description"):
        return ""  # another scenario of the same name
    table = analysis.scenario_differences([shipped, settings])
    return "; ".join(f"{key} {row.iloc[0]} to {row.iloc[1]}" for key, row in table.iterrows())


def reference_of(scenarios: list[dict]) -> tuple[dict, str]:
    """The reference of `scenarios` (the first of several, else the shipped baseline) and a caption saying which."""
    if len(scenarios) > 1:
        first = titled(titles(scenarios), str(scenarios[0].get("name")))
        return scenarios[0], f"Keys on which the scenarios differ from the first ({first}), each in its unit."
    from sim.scenarios import load_scenario

    baseline = load_scenario("baseline").model_dump(mode="json")
    baseline["name"] = "baseline (shipped defaults)"
    return baseline, "Keys on which the scenario differs from the shipped baseline, each in its unit."


def write_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write the report (default ``FOLDER/report.html``) atomically and return its path.

    Everything that can be checked is checked before the report is built (``sim.report_folders``): a folder
    the report reads and nobody is still writing, an `out` that replaces nothing the report did not write,
    in a place that can be written.
    """
    folder = path_argument(folder, "folder", READS)
    out = out_file(out) if out is not None else folder / REPORT  # a str ending in "/" names a folder: refused
    check_directory(folder)
    check_out(out, folder)
    probe_writable(out)
    text = build(folder)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        replace_file(out, lambda temporary: temporary.write_text(text, encoding="utf-8"))  # with the umask's mode
    except OSError as error:  # e.g. the disk filled, or the place became unwritable, while it was built
        raise InputError(f"cannot be written ({error.strerror or error})", file=str(out), key="--out",
                         expected="a file in a folder this user can create and write") from None
    return out
