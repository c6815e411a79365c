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

This module tells the kinds apart and puts the report together (``build``, ``write_report``); each kind's sections
are in a module of their own (``comparison``, ``sweeps``, ``calibration``, ``decisions``), built from the pieces
of ``blocks``, ``markdown`` and ``tables``, inside the page of ``page``. What a kind alone needs from
``sim.experiments`` and ``sim.costs`` is imported inside the function that needs it, so that a report loads only
what its folder's kind needs.
"""

from __future__ import annotations

import html
import sys
from datetime import datetime
from pathlib import Path

from sim.analysis.results import load, recorded
from sim.checked_read import read_json, read_text
from sim.curves import holds_extremists
from sim.errors import InputError, path_argument
from sim.figures import titles
from sim.output import probe_writable, replace_file
from sim.report.calibration import calibration_sections, is_calibration
from sim.report.comparison import compare_sections, run_sections
from sim.report.decisions import is_optimisation, is_robustness, optimise_sections, robustness_sections
from sim.report.page import manifest_section, page
from sim.report.scenarios import scenario_sections
from sim.report.sweeps import sweep_sections, unfinished
from sim.report.validation import validation_html
from sim.report_folders import (
    OPTIMISE_MANIFEST,
    READS,
    REPORT,
    ROBUSTNESS_MANIFEST,
    check_directory,
    check_out,
    out_file,
    report_source,
    results_id,
)


def build(folder: str | Path) -> str:
    """The HTML text of the report on `folder`: its kind's sections, told apart by its files, then the scenarios, under
    what the numbers are (``validation_html``) and over the manifest."""
    from sim.experiments.sensitivity_analysis import TABLE as SENSITIVITY_TABLE

    folder = Path(folder)
    kind_title, varied, about = None, set(), ""
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
        results = load(folder)
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
    described, differing = scenario_sections(scenarios)
    body += described
    varied |= differing
    if kind == "calibration":
        target = Path(str(manifest.get("target", ""))).name
        heading = f"Calibration: {manifest.get('scenario', folder.resolve().name)}" + (f" fitted to {target}" if target else "")
    elif kind == "optimisation":  # optimise.md's own title names the scenario and the budget, with its currency
        first = read_text(folder / "optimise.md", "optimise.md as written by sim optimise").partition("\n")[0]
        heading = first.lstrip("# ").strip() or f"Best mixes for {manifest.get('scenario', folder.resolve().name)}"
    else:
        shown = ", ".join(names.values()) if names else folder.resolve().name
        experiment, about = swept(manifest) if kind in ("sweep", "sensitivity") else (None, "")
        heading = f"{kind_title or kind.capitalize()}: " + (f"{experiment} on {shown}" if experiment else shown)
    extremists = holds_extremists(recorded(s, "population", "violent_extremist_share") for s in scenarios)
    intro = [f"<h1>{html.escape(heading)}</h1>", *([f"<p>{html.escape(about)}</p>"] if about else []),
             f'<p class="note">Folder <code>{html.escape(folder.resolve().name)}</code>; report written '
             f"{datetime.now().isoformat(timespec='minutes')}. Synthetic people only: a tool for exploring policy, "
             "never a prediction about a real person.</p>", validation_html(varied, extremists)]
    body += manifest_section(manifest, {"robustness": ROBUSTNESS_MANIFEST,
                                        "optimisation": OPTIMISE_MANIFEST}.get(kind, "manifest.json"))
    return page(heading, kind, intro + body, results_id(folder))


def swept(manifest: dict) -> tuple[str | None, str]:
    """The name and description of the experiment a sweep or sensitivity folder ran, as its manifest records them:
    titled after its base scenario alone, two sweeps of one scenario read the same."""
    name = recorded(manifest, "experiment", "name")
    description = recorded(manifest, "experiment", "spec", "description")
    return (name if isinstance(name, str) and name else None), (description if isinstance(description, str) else "")


def write_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write the report (default ``FOLDER/report.html``) atomically and return its path.

    Everything that can be checked is checked before the report is built (``sim.report_folders``): a folder
    the report reads and nobody is still writing, an `out` that replaces nothing the report did not write,
    in a place that can be written.
    """
    folder = path_argument(folder, "folder", READS)
    default = out is None
    out = folder / REPORT if default else out_file(out)  # a str ending in "/" names a folder: refused
    check_directory(folder)
    check_out(out, folder)
    try:
        probe_writable(out)
    except InputError as error:  # a results folder on a read-only disk is read, and its report written elsewhere
        if not default:
            raise
        raise error.replace(expected="a place this user can create and write in: the folder can still be reported, "
                                     "with --out naming a file elsewhere") from None
    text = build(folder)
    other = out.exists() and report_source(out) not in (None, results_id(folder))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        replace_file(out, lambda temporary: temporary.write_text(text, encoding="utf-8"))  # with the umask's mode
    except OSError as error:  # e.g. the disk filled, or the place became unwritable, while it was built
        raise InputError(f"cannot be written ({error.strerror or error})", file=str(out), key="--out",
                         expected="a file in a folder this user can create and write") from None
    if other:  # an earlier report may be replaced, but not without a word when it was of other results
        print(f"note: {out} held the report of other results than {folder}; it now holds this one", file=sys.stderr)
    return out
