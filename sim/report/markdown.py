"""A folder's Markdown (comparison.md, robustness.md, optimise.md, a sensitivity ranking) as HTML, without what points
at the folder's files: a report is sent on its own, and what those files hold is in its own tables and figures."""

from __future__ import annotations

import html
import re

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
