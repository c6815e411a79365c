"""The sections of the decision analyses, ``sim robustness`` and ``sim optimise``: their findings in the words their
commands write, each figure beside its section (drawn into the report when the folder has none), PRIM's boxes as a
table."""

from __future__ import annotations

import html
from pathlib import Path

from sim.checked_read import damaged, read_text
from sim.experiments.sweep_folder import MANIFEST, WRITTEN, read_manifest
from sim.report.blocks import figure_of, png_file_html, table_html
from sim.report.markdown import markdown_html
from sim.report_folders import OPTIMISE_MANIFEST
from sim.scenarios.fields import unit_of

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
        nominal = folder / "sweeps" / name / "nominal"
        if (nominal / MANIFEST).is_file():
            manifest = read_manifest(nominal)
            try:
                scenarios.append(manifest["experiment"]["base_scenario"])
            except (KeyError, TypeError):
                raise damaged(nominal / MANIFEST, "names no sweep's scenario", WRITTEN) from None
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
