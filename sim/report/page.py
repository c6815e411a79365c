"""The page around a report's sections: its stylesheet (tables fit the width, a print lays it out on A4), its manifest
without the places on a machine it names, and the marks that say ``sim report`` wrote it."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from sim.report_folders import GENERATOR, SOURCE

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


def manifest_section(manifest: dict, name: str) -> list[str]:
    """The manifest (the file `name`) last, folded away: what was run, with which code and seeds."""
    text = json.dumps(without_machine_paths(manifest), indent=2, default=str)
    if len(text) > MAX_MANIFEST_CHARS:
        text = text[:MAX_MANIFEST_CHARS] + f"\n... ({len(text) - MAX_MANIFEST_CHARS} more characters in {name})"
    return ["<h2>Manifest</h2>", f"<details><summary>{name}</summary><pre>{html.escape(text)}</pre></details>"]


def page(heading: str, kind: str, parts: list[str], source: str = "") -> str:
    """The whole HTML file: `parts` under the title `heading`, marked as written by ``sim report`` (``GENERATOR``),
    so that a later report may replace it and nothing else, and with the results it was written from (`source`:
    ``results_id``)."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">{GENERATOR}{SOURCE.format(source)}'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(heading)}</title><style>{STYLE}</style></head>"
            f'<body class="report-{kind}">\n' + "\n".join(parts) + "\n</body></html>\n")
