"""One self-contained HTML file from a run, compare or sweep folder: something an analyst can e-mail.

Figures are embedded as base64 PNG, tables as HTML, no scripts, styles or images are fetched, so
the file reads offline. Figures are drawn at screen resolution to keep the file small (well under
2 MB for the standard outputs).
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from sim import analysis
from sim.errors import InputError

DPI = 60
MAX_ROWS = 60
MAX_MANIFEST_CHARS = 100_000
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1150px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-top: .8em; }
table { border-collapse: collapse; font-size: .85em; margin: .5em 0 1em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; } pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: .75em; }
.note { color: #555; font-size: .9em; } .wide { overflow-x: auto; }
"""


def figure_html(fig, caption: str) -> str:
    """A matplotlib Figure as an embedded PNG (the figure is closed)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}"><figcaption class="note">{html.escape(caption)}</figcaption></figure>'


def table_html(frame: pd.DataFrame, *, index: bool = True, digits: int = 3, max_rows: int = MAX_ROWS) -> str:
    """A frame as an HTML table (at most `max_rows` rows, with a note saying so)."""
    if frame is None or frame.empty:
        return '<p class="note">(none)</p>'
    shown = frame.head(max_rows)
    note = f'<p class="note">First {max_rows} of {len(frame)} rows.</p>' if len(frame) > max_rows else ""
    text = shown.to_html(index=index, float_format=lambda v: f"{v:.{digits}g}", border=0, na_rep="")
    return f'<div class="wide">{text}</div>{note}'


def reference_scenarios(results: analysis.Results) -> tuple[list[dict], dict | None, str]:
    """The scenarios to compare and the reference: the first of several, else the shipped baseline."""
    scenarios = results.scenarios
    if len(scenarios) > 1:
        return scenarios, scenarios[0], f"Keys on which the scenarios differ from the first ({scenarios[0].get('name')})."
    from sim.scenarios import load_scenario

    baseline = load_scenario("baseline").model_dump(mode="json")
    baseline["name"] = "baseline (shipped defaults)"
    return scenarios, baseline, "Keys on which the scenario differs from the shipped baseline."


def run_sections(results: analysis.Results) -> list[str]:
    parts = []
    if results.summary is not None:
        parts += ["<h2>Headline outcomes</h2>",
                  '<p class="note">Cumulative share of the released cohort with each first event, mean across replicates (95% interval).</p>',
                  table_html(analysis.headline(results.summary))]
    if results.comparison is not None:
        parts += ["<h2>Comparison</h2>", table_html(results.comparison, index=False)]
    parts.append("<h2>Figures</h2>")
    parts.append(figure_html(analysis.plot_curves(results.curves), "Recidivism, recall and return to custody by weeks since release."))
    if results.timeseries is not None:
        parts.append(figure_html(analysis.plot_stigma(results.timeseries), "Community and experienced stigma by week."))
        support = analysis.plot_stigma(results.timeseries, ("ngo_enrolled", "ngo_waitlist", "in_custody"),
                                       title="Support and custody over time (mean, 95% band)")
        parts.append(figure_html(support,
                                 "NGO enrolment, waitlist and people in custody by week (people)."))
    if results.summary is not None:
        parts += ["<h2>Summary table</h2>", "<details><summary>Every metric at 52, 104 and 156 weeks (or the last week)"
                  "</summary>", table_html(results.summary, index=False, max_rows=5_000), "</details>"]
    return parts


def sweep_sections(results: analysis.Results) -> list[str]:
    runs, factors = results.runs, results.factors
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    parts = ["<h2>Runs</h2>", f"<p>{len(runs)} runs, {len(ok)} succeeded; factors: {html.escape(', '.join(factors) or 'none found')}.</p>"]
    declared = results.manifest.get("experiment", {}).get("spec", {}).get("design", {}).get("factors", {})
    if isinstance(declared, dict) and declared:
        levels = pd.DataFrame({"factor": list(declared), "values": [json.dumps(v) for v in declared.values()]})
        parts += ["<h3>Design</h3>", table_html(levels, index=False)]
    failed = runs.drop(ok.index)
    if not failed.empty:
        parts += ["<h3>Failed runs</h3>", table_html(failed[[c for c in ("point", "replicate", "seed", "error") if c in failed]], index=False)]
    metrics = [c for c in ok.columns if c not in factors and c not in analysis.RUN_LABELS and pd.api.types.is_numeric_dtype(ok[c])]
    if factors and metrics:
        means = ok.groupby(factors)[metrics].mean().reset_index()
        parts += ["<h2>Mean of each metric at each point</h2>", table_html(means, index=False)]
    reoffended = sorted((c for c in metrics if c.startswith("reoffended_") and c.endswith("w")), key=lambda c: int(c[11:-1]))
    values = reoffended[-1:] + [c for c in ("final_community_stigma",) if c in metrics]
    if len(factors) >= 2 and values:
        parts.append("<h2>Figures</h2>")
        x, y, facet = factors[1], factors[0], (factors[2] if len(factors) > 2 else None)
        for value in values:
            fig = analysis.plot_heatmap(ok, x, y, value, facet=facet)
            parts.append(figure_html(fig, f"{value} over {y} x {x}" + (f" at each {facet}" if facet else "")))
    return parts


def build(folder: str | Path) -> str:
    """The HTML text of the report on `folder`."""
    results = analysis.load(folder)
    title = f"sim {results.kind}: {results.directory.name}"
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="note">Folder <code>{html.escape(str(results.directory))}</code>; report written '
        f"{datetime.now().isoformat(timespec='seconds')}. Synthetic people only: a tool for exploring policy, "
        "never a prediction about a real person.</p>",
    ]
    parts += sweep_sections(results) if results.kind == "sweep" else run_sections(results)
    scenarios, reference, caption = reference_scenarios(results)
    if scenarios:
        parts += ["<h2>Scenario differences</h2>", f'<p class="note">{html.escape(caption)}</p>',
                  table_html(analysis.scenario_differences(scenarios, reference))]
    manifest = json.dumps(results.manifest, indent=2, default=str)
    if len(manifest) > MAX_MANIFEST_CHARS:
        manifest = manifest[:MAX_MANIFEST_CHARS] + f"\n... ({len(manifest) - MAX_MANIFEST_CHARS} more characters in manifest.json)"
    parts += ["<h2>Manifest</h2>", f"<details><summary>manifest.json</summary><pre>{html.escape(manifest)}</pre></details>"]
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")


def write_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write the report (default ``FOLDER/report.html``) atomically and return its path."""
    folder = Path(folder)
    out = Path(out) if out is not None else folder / "report.html"
    if out.is_dir():
        raise InputError("is a folder", file=str(out), key="--out", expected="a file name such as report.html")
    text = build(folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{out.name}.partial-", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o666 & ~umask)
        os.replace(staging, out)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return out
