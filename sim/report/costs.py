"""A comparison's costs: what they are in (currency and price year), what each unit cost rests on, and the price per
offence averted at every horizon, so that every amount the findings give is in a table of the report."""

from __future__ import annotations

import html
import json

import pandas as pd

from sim.analysis.results import Results, recorded
from sim.checked_read import Grid, read_csv
from sim.figures import titled, titles
from sim.folder_lock import settings_record
from sim.money import readable
from sim.report.blocks import table_html
from sim.scenarios.fields import metadata


def currency_of(scenarios: list[dict]) -> str | None:
    """What costs are in: the first scenario's currency (the reference's, as in comparison.md) and its price year,
    e.g. 'GBP at 2023 prices' (an amount without its price year cannot be set against a budget); None if not
    recorded."""
    currency = recorded(scenarios[0], "costs", "currency") if scenarios else None
    if not isinstance(currency, str):
        return None
    year = recorded(scenarios[0], "costs", "price_year")
    return f"{currency} at {year} prices" if isinstance(year, int) and not isinstance(year, bool) else currency


COST_EFFECTIVENESS = ["scenario", "outcome", "week", "extra_cost", "averted", "averted_low", "averted_high",
                      "cost_per_averted", "ci_low", "ci_high", "estimable", "quadrant"]


def costs_sections(results: Results) -> list[str]:
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
        code = recorded(results.scenarios[0], "costs", "currency") if results.scenarios else None
        names = titles(results.scenarios, table["scenario"])
        cohort = recorded(results.scenarios[0], "population", "released") if results.scenarios else None
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
