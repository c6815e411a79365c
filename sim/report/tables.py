"""A results table (a comparison, summary or table by subgroup) as a reader reads it: one table per outcome, each value
in its unit with its 95% interval in one cell, or why it has none, and p-values as p-values."""

from __future__ import annotations

import html

import pandas as pd

from sim.experiments.comparison import CUT_MARK, CUT_NOTE
from sim.figures import LABELS, titled, titles
from sim.money import figures_apart
from sim.outcomes import no_interval
from sim.report.blocks import table_html
from sim.stats import cut_said, cut_short, zero_width
from sim.units import UNITS, UNKNOWN, Unit


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
    ``sim.units.UNITS``: shares in percent and their differences in percentage points, people, money in
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
