"""The scenarios a report's results come from: each one's description, what a run changed from the scenario as
shipped (where its description no longer holds) and the keys on which the scenarios differ, each in its unit."""

from __future__ import annotations

import html

import pandas as pd

from sim.analysis.summaries import scenario_differences
from sim.figures import titled, titles
from sim.report.blocks import table_html
from sim.scenarios.fields import unit_of


def scenario_sections(scenarios: list[dict]) -> tuple[list[str], set[str]]:
    """Each scenario's description (and what a run changed from it), then the keys on which the scenarios differ from
    the reference, in their units; with those keys, which the report's analysis varies (``validation_html``)."""
    if not scenarios:
        return [], set()
    names = titles(scenarios)
    parts = ["<h2>Scenarios</h2>"]
    for settings in scenarios:
        if settings.get("description"):
            parts.append(f'<p class="note"><b>{html.escape(names.get(settings.get("name"), ""))}</b> '
                         f'(<code>{html.escape(str(settings.get("name")))}</code>): '
                         f'{html.escape(" ".join(str(settings["description"]).split()))}</p>')
            changed = changed_from_description(settings)
            if changed:
                parts.append('<p class="note">The description is of the scenario as shipped; this run changed '
                             f"{html.escape(changed)} (with <code>--set</code> or an experiment's overrides), so "
                             "where they disagree the description does not hold here.</p>")
    reference, caption = reference_of(scenarios)
    differences = differences_table(scenarios, reference)
    parts += ["<h2>Scenario differences</h2>", f'<p class="note">{html.escape(caption)}</p>', table_html(differences)]
    return parts, set(differences.index)


def differences_table(scenarios: list[dict], reference: dict) -> pd.DataFrame:
    """``analysis.scenario_differences`` as a reader reads it: a column per scenario by its title with its name, and
    each key's unit from the parameter table (a 0.3 means nothing until it is 0.3 places per released person)."""
    table = scenario_differences(scenarios, reference)
    names = titles([reference, *scenarios])
    table.columns = [titled(names, str(name)) for name in table.columns]
    table.insert(0, "unit", [unit_of(key) for key in table.index])
    return table


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
    table = scenario_differences([shipped, settings])
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
