"""The sections of a ``sim run`` or ``sim compare`` folder: the findings in words and the headline outcomes first, then
the figures, the groups of ``sim compare --by``, the costs and the full comparison."""

from __future__ import annotations

import html
from dataclasses import replace

import pandas as pd

from sim.analysis import summaries
from sim.analysis.results import Results, recorded
from sim.checked_read import read_csv, read_text
from sim.curves import CURVE_WORDS, EXTREMIST_SHARE, GENERAL_TERRORISM, TERRORISM_CURVE, commits_terrorism
from sim.experiments.comparison import CUT_MARK, CUT_NOTE
from sim.figures import curves_figure, support_figure, titled, titles, weekly_figure
from sim.outcomes import followed_note
from sim.report.blocks import figure_html, table_html
from sim.report.costs import costs_sections, currency_of
from sim.report.markdown import markdown_html
from sim.report.tables import comparison_tables
from sim.scenarios.schema import Scenario
from sim.units import COHORT_SHARE, UNITS, percent


def headline(summary: pd.DataFrame, scenarios: list[dict]) -> pd.DataFrame:
    """``analysis.headline`` as a reader reads it: every first-event curve (terrorism offence too, unless every
    cohort is recorded as one that cannot commit it: 0 by construction, as comparison.md leaves it out:
    ``sim.curves.curves_of``), each in words, and each scenario by its title with its name, as comparison.md's "In
    short" names it."""
    table = summaries.headline(summary)
    cohorts = [{key: recorded(s, *key.split(".")) for key in (EXTREMIST_SHARE, *GENERAL_TERRORISM)} for s in scenarios]
    known = all(isinstance(c[EXTREMIST_SHARE], int | float) for c in cohorts)  # an unreadable record keeps the curve
    if cohorts and known and not commits_terrorism(cohorts):
        table = table[[c for c in table.columns if not c.startswith(f"{TERRORISM_CURVE} ")]]
    names = titles(scenarios, table.index)
    table.index = [titled(names, name) for name in table.index]
    table.columns = [f"{CURVE_WORDS[metric].capitalize()} within {when} of release"
                     for metric, _, when in (column.partition(" at ") for column in table.columns)]
    return table


def headline_section(results: Results) -> list[str]:
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


BANDS_ARE_NOT_A_TEST = ("Each band is one scenario's 95% interval of its mean across replicates, not a test of a "
                        "difference: replicate r of every scenario shares its seed, so two bands can overlap where the "
                        "paired difference is clear.")


def run_figures(results: Results) -> list[str]:
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


def run_sections(results: Results) -> list[str]:
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


def compare_sections(results: Results) -> list[str]:
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


def subgroup_sections(results: Results) -> list[str]:
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
        table["same_people"] = table["same_people"].map(lambda v: "" if v != v else percent(v, 0))
    table = table.rename(columns=SUBGROUP_HEADERS)
    return [f"<h2>By {html.escape(subgroup_words(by))}</h2>",
            '<p class="note">Each outcome within each group: the group\'s share in each scenario and its difference from '
            "the reference's same group in the same replicate (shares in percent, differences in percentage points, "
            "95% intervals in brackets). Groups are small: compare a difference with its interval before reading it as "
            "an effect.</p>",
            comparison_tables(table, currency_of(results.scenarios), results.scenarios, GROUP_UNITS)]


GROUP_UNITS = {metric: replace(unit, name="% of group") if unit is COHORT_SHARE else unit for metric, unit in UNITS.items()}
"""The units of a table by subgroup: a group's share is of the group's people, not of the whole cohort."""
